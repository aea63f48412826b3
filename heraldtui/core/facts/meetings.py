"""Public meetings an article announces or reports: name, date, time, link, place.

A meeting is anchored on a sentence that names one with a noun ("meeting", "panel",
"forum", "session", "surgery", "webinar", "board", "drop-in", "Q&A", "question time",
"public event"), whoever runs it (a commissioner, a council, a community group), and
is not private ("in private", "behind closed doors", "invitation only"). Words that only
look like one are not: "meeting" as a verb ("after meeting residents"), "hearing" unless
it is an explicitly public hearing (never a verb, never a court's), a hospital's
"surgery", "on board", and a panel or session in a sentence about a court
(`names_a_meeting`).

A dated sentence that only refers back to a meeting named shortly before (in an earlier
sentence, a few paragraphs up, or the headline) is that meeting too: "The event takes
place on ...", "It will be held on ...", or a sentence saying it can be watched ("COPS
will be live-streamed at 6pm on Monday", "webcast", "Facebook Live"). Words inside a web
address written in the text ("/pcc-accountability-meeting/") name nothing.

Its date is read from that sentence, or from a details block next to it: a short date
line right after it ("Wednesday 15th January 2025, 7pm"), or labelled lines after or
before it ("Date: ...", "Time: ...", "Venue: ..."), or a listing whose name line is
followed by labelled lines in the same block ("When:", "Date and time:", "Where:",
"Watch online: <url>"). The dates themselves are read by `dates.find_dates`: any usual
UK form ("14th November 2024", "Thursday, November 14", "14/11/2024", day first,
"2024-11-14", "next Tuesday", "last night", "tomorrow", a bare "on Tuesday" by the tense
of its sentence), a year left out chosen by that tense (a write-up in January of "the
meeting on 2 December" means last December; a notice or a tenseless line, the next such
date, a week of slack). A date that dates something else ("published on", "closes on",
a deadline for questions: "submitted by 6 October", "no later than 5pm on Monday") is not
the meeting's. A preview that announces an upcoming meeting does not list the earlier
meetings of the series it recalls ("The first of these meetings was held on July 29"); a
write-up keeps the meeting it reports even when it names the next date. A weekday
written next to a date that falls on another day is kept as `weekday_mismatch`, not
silently trusted. A meeting with no date is not listed.

The time is the first clock time near the date ("10.30am", "7pm", "14:00", "noon"); the
link is one in the same sentence or paragraph, else the first later link offered for
watching, joining or booking (never a `mailto:` and never a "read the report" link),
without trailing punctuation; a bare URL alone on its line is read with the line before
it ("Watch online:" then the URL). The name is the capitalised phrase ending in the meeting
word ("Roads & Rural Crime Meeting", "Police, Fire and Crime Panel"), else the words
before it ("the commissioner's rural crime public meeting" -> "Rural Crime Public
Meeting"), else the name of the last meeting the article named ("The session starts at
..." refers back to it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from heraldtui.core.read.article_text import ArticleText, MarkdownBlock
from heraldtui.core.read.dates import find_dates as read_dates
from heraldtui.core.read.dates import mentions_date, uk_date
from heraldtui.core.read.lexicon import (
    GENERIC_MEETING_NAMES,
    MEETING_NOUNS,
    PUBLIC_EVENT_PHRASES,
    noun_alternation,
)
from heraldtui.core.text.prose import sentences


@dataclass(frozen=True, slots=True)
class MeetingMention:
    """One dated public meeting stated in one article."""

    name: str
    date: date
    time: time | None
    url: str | None
    where: str | None
    weekday_mismatch: bool
    start: int


_NOT_EVENT_DATE = re.compile(
    r"(?:published|released|dated|since|until|closes|closed|from|between)\s+(?:on\s+)?$",
    re.IGNORECASE,
)
"""Words before a date that make it no meeting's: "the report published on 2 January"."""
_DEADLINE_BEFORE = re.compile(
    r"\b(?:by|before|no\s+later\s+than|not\s+later\s+than|deadline(?:\s+(?:is|of))?|"
    r"closing\s+date(?:\s+is)?)\s+(?:(?:12\s+)?(?:noon|midday|midnight)\s+|"
    r"\d{1,2}(?:[.:]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?\s+|the\s+end\s+of\s+)?(?:on\s+)?$",
    re.IGNORECASE,
)
_DEADLINE_TOPIC = re.compile(
    r"\b(?:questions?|submit\w*|submissions?|send|sent|emailed|register\w*|apply|"
    r"applications?|entries|nominations?|deadline|rsvp)\b",
    re.IGNORECASE,
)
"""A date after "by", "no later than" or "deadline" in a sentence about sending questions
or registering is the deadline ("questions can be submitted by 6 October"), not the
meeting's date."""

_TIME_12 = re.compile(
    r"\b(?P<h>1[0-2]|0?[1-9])(?:[.:](?P<m>[0-5]\d))?\s*(?P<ap>a\.?m\.?|p\.?m\.?)(?![a-z])",
    re.IGNORECASE,
)
_TIME_24 = re.compile(r"\b(?P<h>[01]?\d|2[0-3]):(?P<m>[0-5]\d)\b(?!\s*[ap]\.?m)", re.IGNORECASE)
_NOON = re.compile(r"\b(?:noon|midday)\b", re.IGNORECASE)

_NOUN_WORDS = tuple(n for n in MEETING_NOUNS if n.replace(" ", "").isalpha())
"""The meeting nouns made of words only, that can end a meeting's name ("Rural Crime Panel")."""
_KEYWORD = re.compile(
    rf"\b(?:meetings?|{noun_alternation(n for n in MEETING_NOUNS if n != 'meeting')})\b",
    re.IGNORECASE,
)
_OBJECT_AFTER = re.compile(
    r"\s+(?:the|a|an|his|her|its|their|our|your|my|this|these|those|with|him|them|us|me|you|"
    r"residents|people|officers|demand|targets?|needs?|standards?|expectations?|[A-Z][a-z]+)\b"
)
"""After a verb "meeting" (`meeting residents`, `meeting the needs of`), never the noun."""
_VERB_BEFORE = re.compile(
    r"(?:^|\b(?:is|are|was|were|be|been|am|after|before|by|for|when|while|without|from|of|"
    r"and|not|also|to|on|keep|kept|started|began|enjoy|enjoyed|spent|spend|avoid)|[,;:])\s*$",
    re.IGNORECASE,
)
_SURGERY_KIND = re.compile(
    r"\b(?:drop-in|advice|constituency|councillor|community|ward|beat|street|police|public|"
    r"neighbourhood|commissioner['’]?s?|pcc['’]?s?|mp['’]?s?)\s+$",
    re.IGNORECASE,
)
"""The surgeries people attend to raise concerns; "underwent surgery" is not one."""
_IN_PUBLIC = re.compile(
    r"\bpublic\s+$|^[\s,]+(?:will\s+be\s+|is\s+|was\s+)?(?:held\s+)?"
    r"(?:in\s+public|open\s+to\s+the\s+public)",
    re.IGNORECASE,
)
_COURT = re.compile(
    r"\b(?:court|magistrates|crown|trial|sentencing|sentenced|inquest|tribunal|judge|bail|"
    r"plea|jury|custody|appeal|adjourned)\b",
    re.IGNORECASE,
)
_NOT_A_BOARD = re.compile(r"\b(?:on|across\s+the|above)\s+$", re.IGNORECASE)
_PUBLIC_EVENT = re.compile(
    r"\b(?:" + "|".join(r"\s+".join(p.split()) for p in PUBLIC_EVENT_PHRASES) + r")\b",
    re.IGNORECASE,
)
_PRIVATE = re.compile(
    r"\b(?:private|closed\s+doors|in\s+camera|invitation\s+only|not\s+open\s+to\s+the\s+public|"
    r"closed\s+session|confidential)\b",
    re.IGNORECASE,
)
_PROPER_NAME = re.compile(
    r"(?P<name>(?:[A-Z][\w'’-]*|&)(?:,?[ \t]+(?:[A-Z][\w'’-]*|&|and|of|for|the|on))*)[ \t]+"
    rf"(?P<kw>{noun_alternation(n.title() for n in _NOUN_WORDS)}|"
    rf"{noun_alternation(n for n in _NOUN_WORDS if ' ' not in n)})\b"
)
_COMMON_NAME = re.compile(
    r"(?:\b(?i:a|an|the|his|her|its|their|our|next|this|first|latest|annual|monthly)|"
    r"\b[A-Za-z]+['’]s)[ \t]+"
    r"(?P<words>(?:[a-z][a-z-]+[ \t]+){0,3})"
    rf"(?P<kw>{noun_alternation(n for n in _NOUN_WORDS if ' ' not in n)})\b"
)
_NAME_DROP = frozenset(
    {"The", "A", "An", "This", "That", "His", "Her", "Its", "Their", "Next", "Our", "Now",
     "Residents", "Public"}
)  # fmt: skip
_ACCESS = re.compile(
    r"\b(?:watch|watched|stream|streamed|live|join|register|registration|book|booking|"
    r"reserve|reserved|sign\s+up|online|link|tickets?|places?|attend|view)\b",
    re.IGNORECASE,
)
_VENUE = re.compile(
    r"\b(?:at|in)\s+(?P<where>(?:the\s+)?(?:[A-Z][\w'’-]*[ \t]+){0,4}(?:Centre|Center|Hall|"
    r"House|Library|Church|School|Academy|College|Club|Rooms?|Chambers?|Offices|Headquarters|"
    r"HQ|Station|Institute|Pavilion|Theatre|Hub|Hotel|Arena|Buildings|Guildhall))\b"
)


@dataclass(frozen=True, slots=True)
class MeetingDate:
    """A date a meeting sentence gives, and whether a weekday written with it disagrees."""

    value: date
    mismatch: bool


def find_dates(sentence: str, published: date | None) -> list[MeetingDate]:
    """The dates of events in a sentence (`dates.find_dates`, which resolves them), less
    those that date something else ("published on", "closes on", "since", a deadline for
    questions)."""
    out: list[MeetingDate] = []
    deadline_topic = bool(_DEADLINE_TOPIC.search(sentence))
    for found in read_dates(sentence, published):
        if _NOT_EVENT_DATE.search(sentence[max(0, found.start - 20) : found.start]):
            continue
        if deadline_topic and _DEADLINE_BEFORE.search(
            sentence[max(0, found.start - 40) : found.start]
        ):
            continue
        mismatch = found.weekday is not None and found.weekday != found.value.weekday()
        out.append(MeetingDate(found.value, mismatch))
    return out


def find_time(text: str) -> time | None:
    """The first clock time in a text, as 24-hour."""
    found: list[tuple[int, time]] = []
    for m in _TIME_12.finditer(text):
        hour = int(m["h"]) % 12 + (12 if m["ap"].lower().startswith("p") else 0)
        found.append((m.start(), time(hour, int(m["m"] or 0))))
    for m in _TIME_24.finditer(text):
        found.append((m.start(), time(int(m["h"]), int(m["m"]))))
    for m in _NOON.finditer(text):
        found.append((m.start(), time(12, 0)))
    return min(found)[1] if found else None


def meeting_name(sentence: str) -> str | None:
    """The meeting's own name in a sentence, or None when it only says "the meeting"."""
    for m in _PROPER_NAME.finditer(sentence):
        words = m["name"].split()
        while words and (words[0] in _NAME_DROP or not words[0][:1].isupper()):
            words.pop(0)
        cut = next((n for n, w in enumerate(words) if w.endswith(",")), None)
        if cut is not None and words[cut].rstrip(",").lower() in _NOUN_WORDS:
            # "the PCC Accountability Meeting, the session ...": the name ends at the comma.
            return " ".join([*words[:cut], words[cut].rstrip(",")])
        while words and words[-1] in ("and", "of", "for", "the", "on", "&"):
            words.pop()
        if words:
            return " ".join([*words, m["kw"].title()])
    for m in _COMMON_NAME.finditer(sentence):
        words = m["words"].split()
        while words and words[0].endswith("ed"):  # "a packed rural crime forum"
            words.pop(0)
        if words:
            return " ".join(w if w in _SMALL_WORDS else w.capitalize() for w in [*words, m["kw"]])
        if m["kw"] != "session":
            return None
    return None


_WEB_ADDRESS = re.compile(
    r"https?://|www\.|\.(?:gov|org|com|net|co|ac|nhs|police)(?:\.uk)?/", re.IGNORECASE
)
"""What makes a word a web address written in the text: its words
("/pcc-accountability-meeting/") name nothing."""


def _without_addresses(sentence: str) -> str:
    if "/" not in sentence and "www" not in sentence:
        return sentence
    return " ".join(w for w in sentence.split() if not _WEB_ADDRESS.search(w))


_STREAMED = re.compile(
    r"\b(?:live[- ]?stream(?:ed|ing)?|webcast(?:ing|ed)?|web-cast|streamed\s+(?:live|online)|"
    r"broadcast\s+live|facebook\s+live)\b",
    re.IGNORECASE,
)
"""Words that say an event can be watched: a dated sentence with them, next to a meeting
named before it, dates that meeting ("COPS will be live-streamed at 6pm on Monday")."""
_EVENT_REF = re.compile(
    r"^\W*(?:(?:the|this|that|its|their)\s+(?:(?:next|first|second|third|latest|new|"
    r"quarterly|monthly|live|online|virtual|public)\s+)*(?:event|session|broadcast|"
    r"livestream|live\s+stream|webcast|one)\b|the\s+(?:first|next|second|third|fourth|"
    r"latest|last)\s+(?:ever\s+)?(?:will|is\s+due|takes?\s+place|is\s+being|is\s+on)\b|"
    r"it\s+(?:will|is\s+due|takes\s+place|is\s+being))",
    re.IGNORECASE,
)
"""A sentence that refers back to the meeting just named: "The event takes place on ...",
"The first will take place on ..."."""
_REF_REACH = 4
"""How many paragraphs back a back-reference ("The event ...") may find its meeting."""


def names_a_meeting(sentence: str) -> bool:
    """Whether a sentence names a public meeting with a noun, not a verb or a court.

    "Meeting" is a verb when an object follows it and a verb-taking word comes before
    ("after meeting residents", "is meeting the needs of"). "Hearing" counts only as an
    explicitly public hearing ("a public hearing", "held in public"), never a court's;
    "surgery" only as an advice surgery ("a councillor surgery", "Ward Surgery"), never a
    hospital's; "board" not in "on board". A panel, session or board in a sentence about a
    court is the court's.
    """
    sentence = _without_addresses(sentence)
    if _PUBLIC_EVENT.search(sentence):
        return True
    court = bool(_COURT.search(sentence))
    for m in _KEYWORD.finditer(sentence):
        word = m.group(0).lower()
        before = sentence[max(0, m.start() - 40) : m.start()]
        after = sentence[m.end() : m.end() + 40]
        if word.startswith("meeting"):
            if word == "meeting" and _OBJECT_AFTER.match(after) and _VERB_BEFORE.search(before):
                continue
            return True
        if court:
            continue
        if word == "hearing":
            if _IN_PUBLIC.search(before) or _IN_PUBLIC.match(after):
                return True
        elif word == "surgery":
            if m.group(0) == "Surgery" or _SURGERY_KIND.search(before):
                return True
        elif word == "board":
            if not _NOT_A_BOARD.search(before):
                return True
        else:
            return True
    return False


_SMALL_WORDS = frozenset({"and", "of", "for", "the", "on", "in", "with"})
_LABEL = re.compile(
    r"^\W{0,3}(?P<label>(?:date|time|day)(?:\s*(?:and|&|/)\s*(?:date|time|place|venue))?|when|"
    r"where|venue|location|place|address|(?:watch|join|view|stream)(?:\s+(?:online|live|it))?|"
    r"live\s*stream|livestream|online|link|book(?:ing)?|register|registration|tickets?)"
    r"\s*[:–—-]\s*(?P<value>.*)$",
    re.IGNORECASE,
)
"""A details line under an announcement: "Date: Wednesday 4 December", "- Venue: ...",
"Date and time: 5/3/2024, 18:00", "Watch online: https://..."."""
_DATE_LABELS = ("date", "when", "time", "day")
_PLACE_LABELS = ("where", "venue", "location", "place", "address")


def _labelled(para: str, *labels: str) -> str | None:
    """The value of the first details line whose label starts with one of these words."""
    for line in para.split("\n"):
        m = _LABEL.match(line.strip())
        if m and m["value"].strip() and m["label"].lower().split()[0].split("/")[0] in labels:
            return m["value"].strip()
    return None


_LISTING_LINES = 8
"""How many lines under a meeting's name a listing's labelled lines may run."""


def _lines_end(text: str, start: int, count: int) -> int:
    """The offset where the `count` lines from `start` end (bounded work per call)."""
    at = start
    for _ in range(count + 1):
        nl = text.find("\n", at + 1)
        if nl < 0:
            return len(text)
        at = nl
    return at


def _date_line(para: str) -> str | None:
    """The line of a details block that gives the date: a short first line or "Date: ..."."""
    labelled = _labelled(para, *_DATE_LABELS)
    if labelled is not None and mentions_date(labelled):
        return labelled
    first = para.split("\n", 1)[0]
    if len(first.split()) <= 14 and mentions_date(first):
        return first
    return None


def find_meetings(
    text: ArticleText, published: datetime | None, title: str | None = None
) -> list[MeetingMention]:
    """Dated public meetings in an article (see the module docstring); `title` is the
    article's headline, which may name the meeting its text then only refers back to."""
    pub = uk_date(published) if published is not None else None
    blocks = text.blocks
    paras: list[str] = []
    para_links: list[list[str]] = []
    for block in blocks:
        if not block.plain:
            continue
        paras.append(block.plain)
        para_links.append(
            [link.url for link in block.links if not link.url.lower().startswith("mailto:")]
        )
    link_sentences = _link_sentences(blocks)
    later = _later_access_links(para_links, link_sentences)
    out: list[MeetingMention] = []
    last_name: str | None = None
    # The paragraph that last named a meeting (-1: the headline), for back-references.
    last_named: int | None = None
    if title and not _PRIVATE.search(title) and names_a_meeting(title):
        last_named, last_name = -1, meeting_name(title)
    in_passing: set[int] = set()
    offset = 0
    for p, para in enumerate(paras):
        sents = sentences(para)
        for s, (at, sentence) in enumerate(sents):
            if _PRIVATE.search(sentence):
                continue
            named = names_a_meeting(sentence)
            if not named:
                # "The event takes place on ...", "COPS will be live-streamed on ...":
                # a dated sentence about the meeting named just before.
                refers = _EVENT_REF.match(sentence) or _STREAMED.search(sentence)
                if not refers or last_named is None or p - last_named > _REF_REACH:
                    continue
            else:
                last_named = p
            name = meeting_name(sentence)
            dates = find_dates(sentence, pub)
            date_text = sentence
            date_para = p
            if named and not dates and s + 1 < len(sents):
                # A listing: the name on its own line, then "When: ..." lines below it.
                end = _lines_end(para, at + len(sentence), _LISTING_LINES)
                line = _labelled(para[at + len(sentence) : end], *_DATE_LABELS)
                if line is not None:
                    dates = find_dates(line, pub)
                    date_text = para[at:end]
            if named and not dates and s == len(sents) - 1 and p + 1 < len(paras):
                line = _date_line(paras[p + 1])
                if line is not None:
                    dates = find_dates(line, pub)
                    date_text = paras[p + 1]
                    date_para = p + 1
            if named and not dates and s == 0 and p > 0:
                # A details block before the announcement must say what it is ("Date:").
                line = _labelled(paras[p - 1], *_DATE_LABELS)
                if line is not None:
                    dates = find_dates(line, pub)
                    date_text = paras[p - 1]
                    date_para = p - 1
            if not dates:
                if name:
                    last_name = name
                continue
            name = name or last_name or "Public meeting"
            last_name = name
            when = dates[0]
            if _IN_PASSING.search(sentence):
                in_passing.add(offset + at)
            clock = find_time(date_text) or find_time(sentence)
            url = _meeting_url(p, date_para, sentence, date_text, para_links, link_sentences)
            url = url or later[max(p, date_para) + 1]
            out.append(
                MeetingMention(
                    name, when.value, clock, url, _where(date_text, sentence),
                    when.mismatch, offset + at,
                )
            )  # fmt: skip
        offset += len(para) + 2
    return _dedupe(_upcoming_first(out, pub, in_passing))


_IN_PASSING = re.compile(
    r"\b(?:first|last|previous|earlier|latest|recent)\s+(?:of\s+(?:these|the)\s+)?"
    r"(?:meetings?|sessions?|events?)\b|\b(?:was|were)\s+held\b",
    re.IGNORECASE,
)
"""A sentence recalling an earlier meeting of a series ("The first of these meetings was
held on ...")."""


def _upcoming_first(
    found: list[MeetingMention], published: date | None, in_passing: set[int]
) -> list[MeetingMention]:
    """Without the earlier meetings a preview mentions in passing: when an article
    announces an upcoming meeting, a past one it recalls after that, or in a sentence that
    says it is an earlier one of the series, is not a meeting of this story. A write-up
    that names the next date keeps the meeting it reports (it comes first)."""
    if published is None:
        return found
    upcoming = [m.start for m in found if m.date >= published]
    if not upcoming:
        return found
    first = min(upcoming)
    return [
        m for m in found if m.date >= published or (m.start < first and m.start not in in_passing)
    ]


def _link_sentences(blocks: Sequence[MarkdownBlock]) -> dict[str, str]:
    """Each link's URL -> the plain sentence around it, to judge what the link is for.

    A bare URL alone on its line is explained by the line before it ("Watch online:").
    """
    out: dict[str, str] = {}
    previous = ""
    for block in blocks:
        plain = block.plain
        sents = sentences(plain)
        for link in block.links:
            idx = plain.find(link.text) if link.text else -1
            sentence = plain
            if idx >= 0:
                before = previous
                for at, s in sents:
                    if at <= idx < at + len(s):
                        sentence = s
                        break
                    before = s
                bare = link.text.startswith(("http://", "https://"))
                if bare and not sentence.replace(link.text, "").strip(" \t.,;:<>()"):
                    sentence = f"{before} {sentence}"
            out.setdefault(link.url, sentence)
        if sents:
            previous = sents[-1][1]
    return out


def _meeting_url(
    p: int,
    date_para: int,
    sentence: str,
    date_text: str,
    para_links: list[list[str]],
    link_sentences: dict[str, str],
) -> str | None:
    for index in dict.fromkeys((p, date_para)):
        for url in para_links[index]:
            context = link_sentences.get(url, "")
            if context and (context in sentence or context in date_text or sentence in context):
                return url
        for url in para_links[index]:
            if _ACCESS.search(link_sentences.get(url, "")):
                return url
    return None


def _later_access_links(
    para_links: list[list[str]], link_sentences: dict[str, str]
) -> list[str | None]:
    """For each paragraph index, the first link from there on offered for watching,
    joining or booking (not a report): one pass, so many meetings cost no more."""
    later: list[str | None] = [None] * (len(para_links) + 1)
    for index in range(len(para_links) - 1, -1, -1):
        later[index] = later[index + 1]
        for url in reversed(para_links[index]):
            context = link_sentences.get(url, "")
            if _ACCESS.search(context) and not re.search(r"\breport\b", context, re.I):
                later[index] = url
    return later


def _where(date_text: str, sentence: str) -> str | None:
    labelled = _labelled(date_text, *_PLACE_LABELS)
    if labelled:
        return labelled.rstrip(".")
    lines = date_text.split("\n")
    second = lines[1].strip() if len(lines) > 1 else ""
    if second and len(second.split()) <= 12 and not _LABEL.match(second):
        return second.rstrip(".")
    for text in (sentence, date_text):
        m = _VENUE.search(text)
        if m:
            return m["where"].removeprefix("the ").strip()
    if re.search(r"\b(?:online|streamed|livestream|virtually)\b", sentence, re.IGNORECASE):
        return "Online"
    return None


def _dedupe(found: list[MeetingMention]) -> list[MeetingMention]:
    """One mention per date within an article, keeping any time, link and place given."""
    by_date: dict[date, MeetingMention] = {}
    for m in found:
        held = by_date.get(m.date)
        if held is None:
            by_date[m.date] = m
            continue
        by_date[m.date] = MeetingMention(
            _better_name(held.name, m.name),
            held.date,
            held.time or m.time,
            held.url or m.url,
            held.where or m.where,
            held.weekday_mismatch or m.weekday_mismatch,
            held.start,
        )
    return sorted(by_date.values(), key=lambda m: m.start)


def _better_name(a: str, b: str) -> str:
    """A proper name ("Roads & Rural Crime Meeting") over a generic one."""
    if a.casefold() in GENERIC_MEETING_NAMES and b.casefold() not in GENERIC_MEETING_NAMES:
        return b
    return a
