"""The words heraldtui reads local policing news by, each vocabulary named once.

Grouping (`stories/`) and the fact extractors (`facts/`) recognise the same things: who
speaks ("said", "told"), who people are ("Chief Constable", "Supt"), what a meeting is
("panel", "surgery"), what a grade is ("requires improvement") and when a text talks about
an inspection ("HMICFRS", "PEEL", "rated"). Each of those vocabularies lives here once, as
words; the modules that read text compose their regular expressions from them, so adding a
phrasing is one edit in one place, and the readers cannot disagree about a word.

Lists a non-programmer would extend are data files beside `forces.toml`: the roles and
titles people are introduced with (`data/roles.toml`) and the short forms of first names
(`data/short_names.toml`). Calendar words (months, weekdays) belong to `read/dates.py`,
which owns how dates are read.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType


def word_set(text: str) -> frozenset[str]:
    """A word list written as text (easier to read and extend than a literal)."""
    return frozenset(text.split())


def noun_alternation(phrases: Iterable[str]) -> str:
    """A regex alternation (no group) of literal phrases, longest first so a phrase is
    tried before a shorter one it starts with; a space matches any run of blanks and "&"
    any spacing around it ("Q & A")."""
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    return "|".join(
        r"[ \t]+".join(re.escape(w) for w in p.split()).replace("\\&", r"\s*&\s*") for p in ordered
    )


def _data(name: str) -> dict[str, object]:
    raw = resources.files("heraldtui.core.data").joinpath(name).read_text("utf-8")
    return tomllib.loads(raw)


# ---------------------------------------------------------------- speech

SPEECH_VERBS = word_set(
    """
    said says say added adds continued continues explained explains told tells commented
    comments stated states warned warns insisted insists admitted admits remarked noted
    notes urged urges declared concluded concludes replied replies responded wrote writes
    acknowledged acknowledges stressed stresses emphasised emphasises pledged promised
    argued argues claimed claims asked asks reflected recalled confirmed confirms announced
    announces revealed reveals observed observes accepted accepts agreed agrees cautioned
    highlighted highlights welcomed welcomes vowed vows adding saying
    """
)
"""Verbs that attribute words to a speaker: a quote's attribution ("...," said X) and a
name next to one ("Jane Roe said") are read with the same verbs. The participles
("..., adding: ...") continue an attribution already made in the sentence."""

ORGANISATION_WORDS = word_set(
    """
    radio fm tv television bbc itv news newspaper press gazette times echo herald post mail
    mirror telegraph guardian standard argus observer express chronicle journal advertiser
    magazine online authority authorities combined agency commission partnership ombudsman
    inquiry committee society foundation charity network institute ministry directorate
    company ltd plc group union trust federation association council
    """
)
"""Words that end a capitalised run naming an outlet or a body ("told Greatest Hits Radio",
"Manchester Combined Authority say"): such a run is never a person."""

PERSON_NOUNS = word_set("member politician leader")
"""Nouns that, after "The" and before a speech verb, describe a person already named ("The
former Assembly Member for the valley said:"): read like a pronoun. Ranks and roles are
`ROLES`; "spokesperson" is not here (a force's spokesperson is nobody named)."""

# ---------------------------------------------------------------- roles, ranks and titles


@cache
def _roles_table() -> dict[str, object]:
    return _data("roles.toml")


def _str_map(value: object) -> Mapping[str, str]:
    assert isinstance(value, dict)
    return MappingProxyType({str(k): str(v) for k, v in value.items()})


ROLES: Mapping[str, str] = _str_map(_roles_table()["roles"])
"""Role phrases as outlets write them (lower case) -> the label shown for the role."""
CASED_ROLES: Mapping[str, str] = _str_map(_roles_table()["cased_roles"])
"""Abbreviated ranks that count only in capitals ("PC Smith") -> the role's label."""
_titles = _roles_table()["titles"]
assert isinstance(_titles, dict)
TITLES: tuple[str, ...] = tuple(str(t) for t in _titles["before_surname"])
"""Honorifics and short ranks written before a surname ("Mr Doe", "Supt Roe")."""


def phrase_pattern(phrase: str) -> str:
    """A role phrase as a regex: any run of spaces for a space, "&" also "and", a curly
    apostrophe for a straight one."""
    parts = []
    for word in phrase.split():
        if word == "&":
            parts.append("(?:&|and)")
        else:
            parts.append(re.escape(word).replace("'", "['’]"))
    return r"\s+".join(parts)


ROLE_PATTERN = "|".join(phrase_pattern(p) for p in sorted(ROLES, key=len, reverse=True))
"""Any role phrase (a regex alternation, no group, longest first; use case-insensitively)."""
TITLE_WORDS = frozenset(t.lower() for t in TITLES)
"""The titles in lower case, for word lookups."""
HONORIFICS = frozenset(str(t) for t in _titles["honorifics"])
"""Titles that are part of how a person is styled, not a form of address: "Sir Jane Roe"
is Jane Roe, styled Sir; "Sir Jane" (first name) is the same person."""
BEFORE_FIRST_NAME = frozenset(str(t) for t in _titles["before_first_name"])
"""Honorifics written before a first name alone ("Sir Iain", "Dame Zoe")."""
MALE_TITLES = frozenset(str(t) for t in _titles["male"])
"""Titles that say a person is a man ("Mr", "Sir"): the text's own evidence of gender."""
FEMALE_TITLES = frozenset(str(t) for t in _titles["female"])
"""Titles that say a person is a woman ("Mrs", "Ms", "Dame")."""
_post = _roles_table()["post_nominals"]
assert isinstance(_post, dict)
POST_NOMINALS = tuple(str(t) for t in _post["letters"])
"""Letters written after a name ("QPM", "OBE"): never part of it."""
_leadership = _roles_table()["leadership"]
assert isinstance(_leadership, dict)
LEADERSHIP_ROLES = tuple(str(r) for r in _leadership["roles"])
"""Role labels of the people who lead or answer for a force, in the order its screen
lists them (commissioner first, then the chief officers)."""

# ---------------------------------------------------------------- first names


def _short_forms() -> frozenset[tuple[str, str]]:
    table = _data("short_names.toml")["short_forms"]
    assert isinstance(table, dict)
    return frozenset((str(short), str(full)) for full, shorts in table.items() for short in shorts)


SHORT_FORMS = _short_forms()
"""(short form, full first name) pairs, lower case: ("tom", "thomas")."""

# ---------------------------------------------------------------- meetings

MEETING_NOUNS = (
    "meeting",
    "panel",
    "forum",
    "surgery",
    "webinar",
    "drop-in",
    "q&a",
    "question time",
    "session",
    "hearing",
    "board",
)
"""Nouns that name a public meeting."""
GUARDED_MEETING_NOUNS = frozenset({"session", "hearing", "board"})
"""Meeting nouns that as often name something else (a court's session or hearing, "on
board"): only the meetings reader, which checks the words around them, takes them."""
PLAIN_MEETING_NOUNS = tuple(n for n in MEETING_NOUNS if n not in GUARDED_MEETING_NOUNS)
"""The meeting nouns that need no check: enough for a topic cue."""
PUBLIC_EVENT_PHRASES = ("public event", "public consultation event", "public question time")
"""Phrases that name a public meeting without a meeting noun of their own."""
GENERIC_MEETING_NAMES = frozenset({"public meeting", "meeting", "session", "panel"})
"""Names that say only that there is a meeting: a proper name from another source wins."""
FORCE_WIDE_MEETINGS: tuple[tuple[str, str], ...] = (
    ("panel", r"police(?:,?\s*fire)?\s+(?:and|&)\s+crime\s+panel"),
    (
        "accountability",
        r"(?:accountability|performance)(?:\s+(?:and|&)\s+(?:accountability|performance))?"
        r"\s+(?:meeting|board)",
    ),
)
"""Bodies that meet for a whole force area, one meeting on a date (the police and crime
panel, the commissioner's accountability meeting), and how a text names each (a regex on
lowercased text): unlike a village's public meeting, the force and the date are enough to
tell one of their meetings from another."""

# ---------------------------------------------------------------- grades

GRADE_SPELLINGS: Mapping[str, str] = MappingProxyType(
    {
        "outstanding": "outstanding",
        "good": "good",
        "adequate": "adequate",
        "requires improvement": "requires-improvement",
        "require improvement": "requires-improvement",
        "requiring improvement": "requires-improvement",
        "required improvement": "requires-improvement",
        "inadequate": "inadequate",
    }
)
"""The inspectorate's grade words as outlets spell them -> the grade's key."""
SINGLE_WORD_GRADES = ("outstanding", "inadequate", "adequate", "good")
"""The one-word grades, longest first where one ends another ("inadequate"/"adequate")."""
REQUIRES_IMPROVEMENT = r"requi[a-z]{0,6}\s+improvements?"
""""requires improvement" in any inflection or small misspelling ("requries improvements")."""
GRADE_PATTERN = rf"(?:{'|'.join(SINGLE_WORD_GRADES)}|{REQUIRES_IMPROVEMENT})"
"""Any grade word in prose (a regex fragment, to be used with word boundaries)."""
GRADING_PARTICIPLES = word_set("rated graded judged assessed ranked classed deemed")
"""The participles that give a grade whatever follows ("was rated", "is ranked as"); "found"
does only as "found to be"."""
GRADED = GRADING_PARTICIPLES | word_set(
    "found considered classified recognised recognized marked scored awarded given"
)
"""Every participle that can state a grade given: "were judged to be", "was recognised as"."""
GRADING = GRADED | word_set(
    """
    rates rate rating grades grade judges finds ranks classes received receives achieved
    retained kept
    """
)
"""Every verb form that can put a grade on something: "rates its ... as", "received a"."""


def words_pattern(words: Iterable[str]) -> str:
    """A regex alternation (no group) of single words, longest first."""
    return "|".join(sorted(words, key=lambda w: (-len(w), w)))


# ---------------------------------------------------------------- inspections

GRADE_GIVEN = (
    rf"\b(?:{words_pattern(GRADING_PARTICIPLES)}|found\s+to\s+be)\b[^.]{{0,60}}"
    rf"\b(?:{'|'.join(SINGLE_WORD_GRADES)}|requir\w*\s+improvement)"
)
"""A grade given in prose: a grading verb, then a grade word in the same sentence ("was
rated 'good'", "judged as inadequate", "found to be inadequate at")."""
PEEL_NAMED = r"(?-i:\bPEEL\b|\(Peel\)|\bPeel\s+(?:report|inspection|assessment)s?\b)"
"""PEEL named: in capitals, or as some outlets write it ("the Peel report", "(Peel)"); a
"Peel" alone is a name or a place."""
INSPECTION_LEAD = (
    rf"{PEEL_NAMED}|\bHMICF?R?S?\b|[Ii]nspectorate|[Ii]nspection|\binspector\b|\b[Ii]nspectors\b|"
    r"\bHM Inspector|\b[Ww]atchdog|\bgraded\b|\bgrades\b|requir\w*\s+improvement|"
    r"\b(?:rated|judged|assessed|ranked)\s+(?:as\s+)?"
    rf"(?:being\s+)?['‘“\"]?(?:{'|'.join(SINGLE_WORD_GRADES)})|"
    r"\b(?:told|urged|ordered|warned)\b[^.]{0,40}?\bimprov|"
    r"\b(?:must|needs?\s+to|required\s+to)\s+(?:make\s+)?improv|"
    r"special\s+measures|enhanced\s+(?:level\s+of\s+)?monitoring"
)
"""Words that make a headline or lead about an inspection (case as written): the
inspectorate or an inspection named, a grade given ("judged as inadequate"), the force
told to improve ("told it needs to improve how it investigates crime"), or the
inspectorate's enhanced monitoring ("special measures"). A capitalised "Inspectors" starts
a sentence; a capitalised "Inspector" is a rank ("Inspector Jo Hale")."""
INSPECTION_HINTS = (
    "nspect",
    "peel",
    "hmic",
    "grade",
    "rated",
    "judged",
    "assess",
    "ranked",
    "improv",
    "watchdog",
    "special measures",
    "monitoring",
)
"""`INSPECTION_LEAD` cannot match lower-cased text without one of these substrings: a few
fast scans skip the regex (keep them in step when the pattern grows)."""
INSPECTION_BODY = (
    rf"{PEEL_NAMED}|\bHMICF?R?S?\b|[Ii]nspectorate|\b[Ii]nspectors\b|\bHM Inspector|" + GRADE_GIVEN
)
"""What an inspection article's text names: the inspectorate, or a grade given."""
_AFTER_CONSTABULARY = "".join(
    f"(?<!{body}{joint}fire)"
    for body in ("constabulary", "constabularies")
    for joint in (" ", " and ", " & ", ", ", ", and ")
)
"""After "fire": not right after "Constabulary", as in the inspectorate's own name however
an outlet writes it ("Inspectorate of Constabulary Fire and Rescue Service", "...
Constabularies and Fire and Rescue Services"), which names no fire service."""
INSPECTION_TYPES: tuple[tuple[str, str], ...] = (
    ("crime-data-integrity", r"crime data integrity|crime recording inspection"),
    (
        "custody",
        r"custody (?:suite )?inspection|inspection of (?:police )?custody|"
        r"police custody (?:suites|facilities)",
    ),
    ("vetting", r"vetting|misconduct and counter-corruption"),
    ("child-protection", r"child protection|joint targeted area|(?-i:\bJTAI\b)"),
    ("super-complaint", r"super-complaint"),
    ("fraud", r"fraud inspection|inspection of fraud"),
    (
        "engage",
        r"(?:\binto|\bout\s+of|\bfrom|\bunder|\bplaced\s+in|\bput\s+in|\bexit(?:s|ed|ing)?|"
        r"\bleav(?:es|ing)|\bleft|\bto|\bno\s+longer\s+in|\bneeds?|\bneed\s+of)\s+"
        r"(?:an?\s+|the\s+|its\s+)?['‘“\"]?(?:special\s+measures|"
        r"enhanced\s+(?:level\s+of\s+)?monitoring|(?-i:Engage)\b)",
    ),
    (
        "fire",
        rf"\bfire{_AFTER_CONSTABULARY}\s+(?:and|&)\s+rescue\b(?!\s+services\b)|"
        r"\bfire\s+(?:service|brigade)\b(?!\s+inspectorate)|(?-i:\bFRS\b)",
    ),
    (
        "thematic",
        r"\bthematic\b|(?-i:\bState of Policing\b)|annual assessment of policing|"
        r"\bnational\s+(?:review|inspection|summary)\b(?!\s+(?:body|bodies|team))",
    ),
    ("peel", PEEL_NAMED),
)
"""Kinds of inspection and how a lead names each (case-insensitive where not marked
`(?-i:...)`), first match wins: a story never holds two kinds. `engage` is a force moved
into or out of the inspectorate's enhanced monitoring ("taken out of special measures",
"moved into Engage"), not a graded inspection; `fire` is one fire and rescue service's
inspection (a fire service is named in the singular; the inspectorate's own name, "...
Constabulary and Fire & Rescue Services", is not one); `thematic` a national or thematic
report."""
MONITORING_RECALLED = (
    r"\b(?:after|since|until|before|when|while|once|having|previously|formerly|which|"
    r"that)\b(?:\s+\S+){0,3}\s*$"
)
"""Words right before an `engage` phrase that recall an earlier decision ("four years after
coming out of special measures", "which was placed in special measures in 2019") rather
than report one: matched on the lowercased text before the phrase."""
GRADES_REPORTED = r"\bgrad(?:es|ed|ing)\b|\brated\b|\bratings?\b"
"""Words of a graded report in a lead ("the strongest set of grades"): such a lead reports
an inspection's grades, not a monitoring decision, whatever it recalls."""
PEEL_PERIOD = r"\bPEEL\s*(20\d\d)\s*[/–—-]\s*(?:20)?(\d\d)\b"
"""A PEEL period ("PEEL 2021/22"): the years as groups 1 and 2."""
INSPECTORATE_SOURCE = r"hmicfrs|hmic\b|inspectorate|justiceinspectorates"
"""What names the inspectorate in a feed's name or a link (case-insensitive): its own
publications outrank any outlet's."""
INSPECTION_CUE = r"inspect|hmic|peel\b|grade|graded|\brated\b|rating|watchdog|judged"
"""Words that show a text talks about an inspection at all (case-insensitive)."""
RESPONSE_CUE = (
    r"\b(?:respond(?:s|ed)?|responses?\s+to|welcom(?:es|ed|ing)|statement|reacts?|"
    r"reacted|reaction)\b"
)
"""Words that make a headline a response to something ("Federation responds to ...",
"Commissioner welcomes ...", "Statement on ..."; case-insensitive). "Response" alone is
not one: "response times" is what an inspection grades."""

# ---------------------------------------------------------------- documents and sources

OFFICIAL_FEED = (
    r"\b(?:o?pf?cc|commissioner)\b|\b(?:police|constabulary)(?:\s+(?:news|service|online))?$|"
    + INSPECTORATE_SOURCE
)
"""A feed that is a force's, a commissioner's or the inspectorate's own (its name,
case-insensitive: "Wolds Constabulary News", "Office of the Ridge PCC", "HMICFRS News"): a
release it publishes is the original that outlets reprint. A "Police Federation" is not."""
OFFICIAL_HOST = (
    r"(?:pf?cc|pcp)(?:[.-]|$)|(?:^|[.-])police(?:[.-]|$)|commissioner|"
    r"\.gov\.uk$|\.gov\.scot$|\.gov\.wales$|\.nhs\.uk$|\.parliament\.uk$|" + INSPECTORATE_SOURCE
)
"""The host of an official body's site (a force, a commissioner, a police and crime panel,
the inspectorate, government), lower case: a page of theirs linked from an article is a
primary document even when nothing says which kind ("other")."""
DOCUMENT_FILE = r"\.(?:pdf|docx?|odt|rtf|pptx?|xlsx?)$"
"""A linked document file (its path, lower case): a primary document whatever its host."""
DOCUMENT_HOSTS: tuple[tuple[str, str], ...] = (
    ("report", INSPECTORATE_SOURCE),
    (
        "webcast",
        r"(?:^|\.)(?:youtube\.com|youtu\.be|vimeo\.com|public-i\.tv|twitch\.tv)$|"
        r"webcast|livestream",
    ),
)
"""Hosts that say a link's kind (lower case): the inspectorate publishes reports, video
sites and council webcasting services show meetings."""
DOCUMENT_PATHS: tuple[tuple[str, str], ...] = (
    ("agenda", r"agenda|ielistdocuments|mgissuehistory|minutes|meeting-?papers|/papers\b"),
    ("webcast", r"web-?cast|live-?stream|/live(?:/|$)|/videos?/"),
    ("statement", r"statement|press-?release|news-?release"),
    ("report", r"peel-(?:report|assessment|inspection)|inspection-report|/reports?/.*inspect"),
)
"""Words of a link's path (and query, lower case) that say its kind, first match wins."""
DOCUMENT_WORDS: tuple[tuple[str, str], ...] = (
    (
        "agenda",
        r"\bagendas?\b|\b(?:meeting|committee|board|panel)\s+papers\b|"
        r"\b(?:the|meeting|draft|published)\s+minutes\b|\bminutes\s+of\b",
    ),
    (
        "webcast",
        r"\bweb-?cast(?:s|ing|ed)?\b|\blive-?\s?stream(?:s|ed|ing)?\b|\bstream(?:s|ed|ing)?\b|"
        r"(?<!neighbourhood )(?<!neighborhood )\bwatch(?:ed|ing)?\b|\bbroadcast\s+live\b|"
        r"\b(?:shown|broadcast|streamed)\s+(?:live\s+)?online\b|\bview\s+(?:it\s+)?live\b",
    ),
    (
        "statement",
        r"\bstatements?\b|\b(?:press|news|media)\s+releases?\b|\bresponses?\b(?!\s+times?\b)",
    ),
    ("report", r"\breports?\b|\bfindings\b|\bPEEL\b|\binspection\b"),
)
"""Words in a link's own text, or near it in its sentence, that say what it links to
(case-insensitive): "read the full report", "watch live", "the agenda", "the force's
statement". In a sentence the nearest to the link wins ("the report will be discussed at
the meeting, which can be watched at <link>")."""
WEB_SUFFIXES = word_set(
    """
    uk com org net gov info tv io eu scot wales cymru news online london example
    """
)
"""The last labels of the web addresses an article writes out as text without a scheme
("hmicfrs.justiceinspectorates.gov.uk/peel-reports/..."): "example" is the reserved name
the project's own examples use."""
STORY_KINDS = ("inspection", "meeting", "other")
"""The kinds a story is grouped as (`models.StoryKind`): what a `[[watch]]` rule's `kinds`
may name, besides a kind of inspection (`INSPECTION_TYPES`)."""
WATCH_KIND_ALIASES = {"inspections": "inspection", "meetings": "meeting"}
"""Plurals a user writes in a `[[watch]]` rule's `kinds`, read as the kind."""
FORCE_SUFFIXES = word_set("police constabulary service force")
"""Trailing words of a force's name that are not its place ("Herts Police" -> "Herts"):
how a force the user types is compared with a story's force."""


def watch_kinds() -> tuple[str, ...]:
    """Every kind a `[[watch]]` rule may name: story kinds, then kinds of inspection."""
    return STORY_KINDS + tuple(kind for kind, _ in INSPECTION_TYPES)
