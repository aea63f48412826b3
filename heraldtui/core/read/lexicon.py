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
GENERIC_MEETING_NAMES = frozenset({"public meeting", "meeting", "session", "panel"})
"""Names that say only that there is a meeting: a proper name from another source wins."""

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
GRADED = word_set(
    """
    rated graded judged assessed found deemed considered ranked classed classified
    recognised recognized marked scored awarded given
    """
)
"""Participles that state a grade given: "was rated", "were judged to be", "is ranked as"."""
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

INSPECTION_LEAD = (
    r"\bPEEL\b|\bHMICF?R?S?\b|[Ii]nspectorate|[Ii]nspection|\binspectors?\b|"
    r"\bHM Inspector|\bwatchdog|\bgraded\b|\bgrades\b|requir\w*\s+improvement|"
    rf"\brated\s+(?:as\s+)?['‘“\"]?(?:{'|'.join(SINGLE_WORD_GRADES)})"
)
"""Words that make a headline or lead about an inspection (case as written)."""
INSPECTION_HINTS = ("nspect", "peel", "hmic", "grade", "rated", "improvement", "watchdog")
"""`INSPECTION_LEAD` cannot match lower-cased text without one of these substrings: a few
fast scans skip the regex (keep them in step when the pattern grows)."""
INSPECTION_BODY = (
    r"\bPEEL\b|\bHMICF?R?S?\b|[Ii]nspectorate|\b[Ii]nspectors\b|\bHM Inspector|"
    rf"\b(?:rated|graded|judged)\b[^.]{{0,60}}\b(?:{'|'.join(SINGLE_WORD_GRADES)}|"
    r"requir\w*\s+improvement)"
)
"""What an inspection article's text names: the inspectorate, or a grade given."""
INSPECTION_TYPES: tuple[tuple[str, str], ...] = (
    ("crime-data-integrity", r"crime data integrity|crime recording inspection"),
    ("custody", r"custody (?:suite )?inspection|inspection of (?:police )?custody"),
    ("vetting", r"vetting|misconduct and counter-corruption"),
    ("child-protection", r"child protection|joint targeted area|\bJTAI\b"),
    ("super-complaint", r"super-complaint"),
    ("fraud", r"fraud inspection|inspection of fraud"),
    ("peel", r"\bPEEL\b"),
)
"""Kinds of inspection and how a lead names each (case-insensitive, but "PEEL" in capitals),
first match wins: a story never holds two kinds."""
PEEL_PERIOD = r"\bPEEL\s*(20\d\d)\s*[/–—-]\s*(?:20)?(\d\d)\b"
"""A PEEL period ("PEEL 2021/22"): the years as groups 1 and 2."""
INSPECTORATE_SOURCE = r"hmicfrs|hmic\b|inspectorate|justiceinspectorates"
"""What names the inspectorate in a feed's name or a link (case-insensitive): its own
publications outrank any outlet's."""
INSPECTION_CUE = r"inspect|hmic|peel\b|grade|graded|\brated\b|rating|watchdog|judged"
"""Words that show a text talks about an inspection at all (case-insensitive)."""
