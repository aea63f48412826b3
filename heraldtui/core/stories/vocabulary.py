"""The word lists grouping reads by, composed from the shared lexicon where they overlap.

What grouping shares with the fact extractors (meeting nouns, grade words, inspection
cues, titles, months) comes from `read/lexicon.py` and `read/dates.py`; what only grouping
needs (which words tell two articles apart, an outlet's furniture, what names an outlet)
is defined here, once. Regexes about the shape of text (markup, paragraphs, words,
capitalised runs) are not vocabulary and stay in `features`.
"""

from __future__ import annotations

import re

from heraldtui.core.read.dates import MONTH_NAMES, WEEKDAY_NAMES
from heraldtui.core.read.lexicon import (
    GRADE_GIVEN,
    GRADES_REPORTED,
    GRADING_PARTICIPLES,
    MONITORING_RECALLED,
    PEEL_PERIOD,
    PLAIN_MEETING_NOUNS,
    SINGLE_WORD_GRADES,
    TITLE_WORDS,
    word_set,
)
from heraldtui.core.read.lexicon import INSPECTION_BODY as INSPECTION_BODY_CUE
from heraldtui.core.read.lexicon import INSPECTION_HINTS as INSPECTION_HINTS
from heraldtui.core.read.lexicon import INSPECTION_LEAD as INSPECTION_LEAD_CUE
from heraldtui.core.read.lexicon import INSPECTION_TYPES as INSPECTION_KINDS

# Words too common to tell two articles apart: content words and headline scores
# leave them out.
STOP = word_set(
    """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours out over own same she should so some such than that the
    their theirs them then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours
    said says say told tell asked added one two three four five six seven eight nine ten
    first last next new year years week weeks month months day days today yesterday time
    mr mrs ms dr per cent also would could should may might must us it's its there's
    """
)
# Words every policing article uses: they say nothing about which event it is.
DOMAIN = word_set(
    """
    police force forces officer officers constabulary crime crimes chief constable
    commissioner pcc public people area areas report reports local county community
    residents said inspection inspectors inspectorate rated good adequate inadequate
    requires improvement improve outstanding work team teams service services
    """
)
STOP_DOMAIN = STOP | DOMAIN
"""What an article's content words leave out."""
# Capitalised words that are not entities (people, places, venues): days, months,
# titles and ranks, institutions, the outlets' furniture, sentence openers.
COMMON_CAPS = (
    STOP
    | DOMAIN
    | word_set(
        """
        his her majesty's hm hmicfrs peel police superintendent sergeant detective
        inspector constable deputy assistant chief commissioner commissioner's office image photo
        credit pictured picture video watch read more share follow facebook twitter
        instagram linkedin whatsapp email council government home secretary minister mp
        court crown magistrates judge jury the a an in on at he she they we it this that
        date when where venue entry tickets cost address location booking town village
        parish hall halls room rooms
        but and or if as after before when while there here however meanwhile residents
        officers people members questions places register recording data preventing
        responding investigating protecting managing developing leadership powers
        treatment vulnerable offenders positive workplace crime inspection grades grade
        accountability performance meeting meetings panel board strategic public safety
        community centre street road lane avenue news councillor
        federation chair chairman chairwoman his majesty majesty's service services fire
        rescue inspectorate constabulary national local county north south east west
        """
    )
    | TITLE_WORDS
    | frozenset(MONTH_NAMES)
    | frozenset(WEEKDAY_NAMES)
)

# An article is about an inspection when its headline or lead says so and its text names
# the inspectorate or a grade (the cues are the lexicon's).
INSPECTION_LEAD = re.compile(INSPECTION_LEAD_CUE)
INSPECTION_BODY = re.compile(INSPECTION_BODY_CUE)
INSPECTION_BODY_HINTS = (
    "PEEL",
    "Peel",
    "HMIC",
    "nspectorate",
    "nspectors",
    "HM Inspector",
    "found",
    *sorted(GRADING_PARTICIPLES),
)
"""`INSPECTION_BODY` cannot match without one of these (matched as written, like it: PEEL
named, the inspectorate, its inspectors, or a grading participle or "found to be" before a
grade). Its branches all start with a word boundary, so the regex tries every position of
a long text; a few substring scans skip it for most articles (keep them in step)."""
# A meeting named: an article's topic `meeting`, the kinds of meeting rule 3 compares,
# and a meeting story's headline.
MEETING = re.compile(rf"\b(?:{'|'.join(map(re.escape, PLAIN_MEETING_NOUNS))})s?\b")
"""Matched on lowercased text."""
MEETING_WORDS = PLAIN_MEETING_NOUNS
"""`MEETING` cannot match without one of these: a few fast substring scans skip it."""
MEETING_EACH: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (noun, re.compile(rf"{re.escape(noun)}(?<!\w{re.escape(noun)})s?\b"))
    for noun in PLAIN_MEETING_NOUNS
)
"""`MEETING` one noun at a time, each pattern starting with its noun, so that the regex
engine jumps to the noun instead of trying every position (the word boundary before it is
checked behind it): which nouns a long text names, without a scan per character."""


# Inspection kinds and PEEL periods: a story never holds two.
TYPE_NAMES: tuple[str, ...] = tuple(kind for kind, _ in INSPECTION_KINDS)
INSPECTION_TYPE = re.compile(
    "|".join(f"(?P<t{n}>{pattern})" for n, (_, pattern) in enumerate(INSPECTION_KINDS)), re.I
)
"""Every kind at once: its leftmost match is the first kind a text names (group `t<n>` is
`TYPE_NAMES[n]`); one pass instead of one per kind."""
PERIOD = re.compile(PEEL_PERIOD)
GRADE_IN_LEAD = re.compile(rf"{GRADE_GIVEN}|{GRADES_REPORTED}", re.I)
"""A grade given or grades named: such a lead is a graded report's, not a monitoring
decision's."""
RECALLED = re.compile(MONITORING_RECALLED)
"""Matched on the lowercased text before an `engage` phrase."""
# "today (Monday)", "today, Monday,": a write-up's own date, not the "said today" idiom.
TODAY_NAMED = re.compile(rf"\s*[(,]\s*(?:{'|'.join(WEEKDAY_NAMES)})\b", re.I)

# Lines that are the outlet's furniture, not the story (checked on short paragraphs).
BOILERPLATE = (
    "sign up",
    "newsletter",
    "follow us",
    "share this",
    "share on",
    "click here",
    "subscribe",
    "all rights reserved",
    "copyright",
    "©",
    "advertisement",
    "download our app",
    "download the app",
    "read more:",
    "related:",
    "(image:",
    "cookies",
    "this article was written by",
    "this story was written by",
    "this article was produced by",
    " on facebook",
    " on twitter",
)
# ...and those that start with these.
BOILERPLATE_START = ("image:", "photo:", "picture:", "more news", "see also")
# Hosts of social sites: a link to them is a share button, not a shared source.
SOCIAL = (
    "facebook.com",
    "twitter.com",
    "x.com",
    "instagram.com",
    "linkedin.com",
    "whatsapp.com",
    "youtube.com",
)

# "the next meeting", "a further forum", "the previous panel": another meeting than the
# one an article is about ("next week's meeting", "last night's forum" are that one).
OTHER_MEETING = re.compile(
    r"\b(?:next|following|further|another|previous|earlier|last|future)\s+"
    r"(?!(?:week|weekend|night|month|year|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|morning|evening|afternoon)\b)"
    r"(?:(?!(?:the|a|an|at|of|to|in|on|for|and|is|was|will)\b)[a-z'’-]+\s+){0,3}?"
    rf"(?:{'|'.join(map(re.escape, (*PLAIN_MEETING_NOUNS, 'session')))})s?\b"
)


# Words of outlets' and organisations' names that are not places.
FEED_WORDS = word_set(
    """
    echo post times news gazette herald chronicle advertiser mercury star standard observer
    journal courier mail express telegraph bulletin ledger press voice radio tv live online
    weekly daily evening morning sunday council town parish borough district city county
    office newsroom media group the of and for pcc police crime commissioner constabulary
    force service press-office newsdesk nub mirror argus recorder guardian sentinel leader
    reporter review record free observer citizen messenger packet examiner wire
    """
)


# Headlines that say little (a statement, a response): a story's title is another
# when it has one.
GENERIC_TITLE = re.compile(
    r"^(?:statement|update|response|press release|news|notice)\b|\bresponds?\b|\bwelcomes?\b",
    re.IGNORECASE,
)
# A grade: an inspection story's title should give it.
GRADE_WORD = re.compile(
    rf"\b(?:{'|'.join(SINGLE_WORD_GRADES)}|requires? improvement|improve)\b", re.I
)
