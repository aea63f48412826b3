"""People named in an article: where a text introduces a person, and how.

An article introduces people in a few set ways, and only those are read as names (a run
of capitalised words is otherwise a place, a force or an organisation):

- a role before the name: "Police and Crime Commissioner Jane Roe", "the Chief
  Constable, John Doe", "residents' association chair Ann Poe";
- a title before a surname: "Mr Doe", "Mrs Roe", "Supt Poe", also glued ("Mr.Doe");
- a name next to a speech verb or a relative clause: "John Doe said", "said John Doe",
  "John Doe, who chairs ...", "according to John Doe".

Any later occurrence of a full name already found counts too (captions repeat names,
sometimes glued to the sentence before: "Jane Roe.Police and Crime Commissioner Jane Roe").
A candidate name is two or three capitalised words, none of them a role, organisation,
place-type, day or month word.

Roles, ranks and titles come from the lexicon (`read/lexicon.py`, data in
`data/roles.toml`); a name next to a speech verb uses the lexicon's speech verbs, the same
the quote finder attributes with. Merging the mentions of a story into people is
`facts/people.py`.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from heraldtui.core.read.dates import MONTH_NAMES, WEEKDAY_NAMES
from heraldtui.core.read.lexicon import (
    CASED_ROLES,
    ROLES,
    SPEECH_VERBS,
    TITLES,
    word_set,
)
from heraldtui.core.text.prose import fold

STOP_WORDS = (
    word_set(
        """
        police constabulary crime commissioner chief constable inspector inspectorate
        council county borough city office service services federation association court
        panel meeting board team centre center road street lane avenue university college
        school hospital trust group unit department home government parliament fire rescue
        his her the a an this that these those he she they it we i you our their its my mr
        mrs ms dr report peel hmicfrs hm majesty superintendent sergeant detective deputy
        assistant acting temporary chair councillor mayor minister secretary residents
        community public accountability performance safety strategic operation today
        yesterday tonight news local north south east west new image photo picture credit
        read more click watch live and of for in on at to by with from but or if when while
        after before as so all every some most many no not also however now then there here
        what which who whom whose where why how yes staff officers officer people force
        forces pcc pcso supt sgt cllr insp commissioners constables lead
        """
    )
    | frozenset(MONTH_NAMES)
    | frozenset(WEEKDAY_NAMES)
)
"""Words that end a candidate name: ranks, place types, function words, days, months.

The ranks here are the ones a name finder must stop at; the role table
(`lexicon.RANK_WORDS`) also holds abbreviations and honorifics ("Ch", "Sir") that can sit
inside how a person is introduced ("Chief Constable Sir Jane Roe"), which this list leaves
to the role and title patterns."""
_TOKEN = r"(?:Mc|Mac|O['’]|D['’])?[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?"
_NAME = rf"{_TOKEN}(?:[ \t]+{_TOKEN}){{1,2}}"
# The same verbs the quote finder accepts as an attribution, longest first for the regex.
_SPEECH = "|".join(sorted(SPEECH_VERBS, key=lambda w: (-len(w), w)))


def _phrase_pattern(phrase: str) -> str:
    parts = []
    for word in phrase.split():
        if word == "&":
            parts.append("(?:&|and)")
        else:
            parts.append(re.escape(word).replace("'", "['’]"))
    return r"\s+".join(parts)


def _role_regex() -> re.Pattern[str]:
    phrases = sorted(ROLES, key=len, reverse=True)
    body = "|".join(_phrase_pattern(p) for p in phrases)
    cased = "|".join(sorted(CASED_ROLES, key=len, reverse=True))
    return re.compile(
        rf"(?:\b(?i:{body})\b|\b(?:{cased})\b)(?:,[ \t]*|[ \t]+)"
        rf"(?P<name>{_TOKEN}(?:[ \t]+{_TOKEN}){{0,2}})"
    )


_ROLE_NAME = _role_regex()


def _appositive_regex() -> re.Pattern[str]:
    phrases = sorted(ROLES, key=len, reverse=True)
    body = "|".join(_phrase_pattern(p) for p in phrases)
    return re.compile(
        rf"(?<![\w-])(?P<name>{_NAME}),[ \t]+(?:(?i:the|a|an)[ \t]+)?"
        r"(?:(?i:[a-z]+['’]s|new|current|interim|former|county|force|district|area|local)"
        r"[ \t]+){0,2}"
        rf"(?P<role>\b(?i:{body}))\b"
    )


_APPOSITIVE = _appositive_regex()
"""A role written after the name: "Jane Roe, the force's chief constable", "Jane Roe,
Police and Crime Commissioner for the county, said"."""
_TITLE_NAME = re.compile(
    rf"\b(?P<title>{'|'.join(TITLES)})(?:\.[ \t]*|[ \t]+)(?P<name>{_TOKEN}(?:[ \t]+{_TOKEN})?)"
)
_SPEECH_NAME = re.compile(
    rf"\b(?:{_SPEECH}|according[ \t]+to)[ \t]+(?P<name>{_NAME})\b"
    rf"|(?P<name2>{_NAME})(?:[ \t]+(?:{_SPEECH})\b|,[ \t]+(?:who|the|a|an|head|chair|director|"
    r"leader|spokesman|spokeswoman|spokesperson)\b)"
)


@dataclass(frozen=True, slots=True)
class PersonMention:
    """One way a person is named at one place in a text.

    `name` is as written ("Jane Roe", "Mrs Roe", "Mr.Roe"); `first` is None for a
    title-and-surname form. `role` is the label of the role that introduced the name.
    """

    name: str
    first: str | None
    surname: str
    role: str | None
    start: int
    caption: bool = False
    """Named in a photo caption or credit, not in the body: a weaker spelling witness."""

    @property
    def full(self) -> bool:
        return self.first is not None


def _clean_name(raw: str) -> list[str]:
    """Name tokens up to the first word that cannot be part of a name."""
    tokens: list[str] = []
    for token in raw.split():
        if token.lower().strip("'’") in STOP_WORDS:
            break
        tokens.append(token)
    return tokens


def _role_label(phrase: str) -> str | None:
    key = " ".join(fold(phrase).replace("&", "and").split())
    if phrase.strip() in CASED_ROLES:
        return CASED_ROLES[phrase.strip()]
    return ROLES.get(key) or ROLES.get(key.replace(" and ", " & "))


def find_people(text: str) -> list[PersonMention]:
    """People named in a plain text (see the module docstring), in order of appearance.

    `text` is plain text (`text.prose.plain_text`); offsets refer to it.
    """
    found: dict[int, PersonMention] = {}
    covered: set[int] = set()

    def add(at: int, mention: PersonMention, replace: bool = False) -> None:
        if at in found and not replace:
            return
        found[at] = mention
        covered.update(range(at, at + len(mention.name)))

    for m in _ROLE_NAME.finditer(text):
        tokens = _clean_name(m.group("name"))
        role_phrase = text[m.start() : m.start("name")].rstrip(", \t\n")
        role = _role_label(role_phrase)
        if not tokens:
            continue
        at = m.start("name")
        if len(tokens) == 1:
            add(at, PersonMention(tokens[0], None, tokens[0], role, at))
        else:
            name = " ".join(tokens)
            add(at, PersonMention(name, tokens[0], tokens[-1], role, at), replace=True)
    for m in _APPOSITIVE.finditer(text):
        tokens = _clean_name(m.group("name"))
        at = m.start("name")
        if len(tokens) < 2 or at in covered:
            continue
        name = " ".join(tokens)
        add(at, PersonMention(name, tokens[0], tokens[-1], _role_label(m.group("role")), at))
    for m in _TITLE_NAME.finditer(text):
        tokens = _clean_name(m.group("name"))
        at = m.start()
        if not tokens or m.start("name") in covered:
            continue
        if len(tokens) == 2:
            add(at, PersonMention(" ".join(tokens), tokens[0], tokens[1], None, at))
        else:
            written = text[m.start() : m.start("name")] + tokens[0]
            add(at, PersonMention(written, None, tokens[0], None, at))
    for m in _SPEECH_NAME.finditer(text):
        group = "name" if m.group("name") else "name2"
        raw = m.group(group)
        tokens = raw.split()
        if any(t.lower() in STOP_WORDS for t in tokens):
            continue
        at = m.start(group)
        if at in covered or at - 1 in covered:
            continue
        add(at, PersonMention(raw, tokens[0], tokens[-1], None, at))
    known = {p.name for p in found.values() if p.full}
    for name in sorted(known):
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            if m.start() not in covered:
                tokens = name.split()
                add(m.start(), PersonMention(name, tokens[0], tokens[-1], None, m.start()))
    credited = _credited_lines(text)
    return [_mark_caption(text, found[k], credited) for k in sorted(found)]


_CREDIT = re.compile(
    r"\((?:image|photo|picture|pic|credit|source)s?\b[^)\n]{0,80}\)|"
    r"^\W{0,3}(?:image|photo|picture|pictured|pic|credit|above|below|left|right|top|inset)\b"
    r"\s*[:,–—-]",
    re.IGNORECASE | re.MULTILINE,
)
"""A photo credit or caption label: "(Image: The Post)", "Pictured: ..."."""


def _credited_lines(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of the lines that carry a photo credit, in order."""
    out: list[tuple[int, int]] = []
    at = 0
    for line in text.split("\n"):
        if _CREDIT.search(line):
            out.append((at, at + len(line)))
        at += len(line) + 1
    return out


def _mark_caption(
    text: str, mention: PersonMention, credited: list[tuple[int, int]]
) -> PersonMention:
    """The mention flagged when it sits in a photo caption: a line that carries a credit,
    or a name glued to the text around it with no space ("Jane Roe.Police and ...",
    "Jane RoeThe Commissioner"), the mark of a caption run into the body."""
    a, b = mention.start, mention.start + len(mention.name)
    index = bisect_right(credited, (a, len(text) + 1)) - 1
    in_credited = index >= 0 and credited[index][0] <= a < credited[index][1]
    after = text[b : b + 2]
    glued = (
        (a > 0 and text[a - 1] in ".!?:")
        or after[:1].isalpha()
        or (len(after) == 2 and after[0] in ".!?" and after[1].isupper())
    )
    if glued or in_credited:
        return PersonMention(
            mention.name, mention.first, mention.surname, mention.role, mention.start, True
        )
    return mention
