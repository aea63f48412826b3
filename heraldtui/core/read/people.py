"""People named in an article: where a text introduces a person, and how.

An article introduces people in a few set ways, and only those are read as names (a run
of capitalised words is otherwise a place, a force or an organisation):

- a role before the name: "Police and Crime Commissioner Jane Roe", "the Chief
  Constable, John Doe", "residents' association chair Ann Poe", also with the role's
  acronym or its area between ("Police and Crime Commissioner (PCC) Jane Roe",
  "Commissioner for Wessex, Jane Roe", "Commissioner for North Wessex Jane Roe": the
  place is never part of the name) and with initials for a first name ("Chief Constable
  JD Roe");
- a role after the name: "Jane Roe, the force's chief constable", "Jane Roe is currently
  Acting Chief Constable", or, at the start of a sentence, "Jane Roe Police and Crime
  Commissioner for Wessex said" when the text confirms the name (below);
- a title before a surname: "Mr Doe", "Mrs Roe", "Supt Poe", also glued ("Mr.Doe");
  "Sir Jane Roe" is Jane Roe styled Sir, and "Sir Jane" names her by first name;
- a name next to a speech verb or a relative clause: "John Doe said", "John Doe, said",
  "said John Doe", "John Doe, who chairs ...", "according to John Doe", also with the
  body the person speaks for between ("John Doe of the Wessex Inspectorate said"), or
  speaking in the past continuous ("John Doe was responding to the report");
- a first name or surname alone next to a speech verb or a role ("Jane said",
  "Commissioner Jane", "Roe said") when it is the first name or surname of exactly one
  person the article names in full: the mention carries that person's surname.

Any later occurrence of a full name already found counts too (captions repeat names,
sometimes glued to the sentence before: "Jane Roe.Police and Crime Commissioner Jane Roe"),
and so does a first name followed by a surname the article gives with a title or rank
("Ms Roe", "Ch Con Roe" confirm "Jane Roe saw off two rivals"). A candidate name is two or
three capitalised words, none of them a role, organisation, place-type, day or month word;
letters after a name ("QPM", "OBE") are not part of it.

Roles, ranks, titles, honorifics and post-nominal letters come from the lexicon
(`read/lexicon.py`, data in `data/roles.toml`); a name next to a speech verb uses the
lexicon's speech verbs, the same the quote finder attributes with. Merging the mentions of
a story into people is `facts/people.py`.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from heraldtui.core.read.dates import MONTH_NAMES, WEEKDAY_NAMES
from heraldtui.core.read.lexicon import (
    BEFORE_FIRST_NAME,
    CASED_ROLES,
    HONORIFICS,
    ORGANISATION_WORDS,
    POST_NOMINALS,
    ROLE_PATTERN,
    ROLES,
    SHORT_FORMS,
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
    | ORGANISATION_WORDS
    | frozenset(MONTH_NAMES)
    | frozenset(WEEKDAY_NAMES)
)
"""Words that end a candidate name: ranks, place types, organisations, function words,
days, months.

The ranks here are the ones a name finder must stop at; the role table also holds
abbreviations and honorifics ("Ch", "Sir") that can sit inside how a person is introduced
("Chief Constable Sir Jane Roe"), which this list leaves to the role and title patterns."""
_PLACE_ONLY = re.compile(
    r"^(?:North|South|East|West|Northern|Southern|Eastern|Western|Central|Greater|Mid|Upper|"
    r"Lower|Isle|Vale|Port)$|shire$"
)
"""Words that make a capitalised pair a place ("North Wessex", "Mereshire"), never a name."""
_UPPER = "A-ZÀ-ÖØ-Þ"
_LOWER = "a-zß-öø-ÿ"
_TOKEN = rf"(?:Mc|Mac|O['’]?|D['’])?[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}][{_LOWER}]+)?"
_TOKEN_RE = re.compile(_TOKEN)
_NAME = rf"{_TOKEN}(?:[ \t]+{_TOKEN}){{1,2}}"
_INITIALS = r"(?:[A-Z]{2}|[A-Z]\.(?:[ \t]?[A-Z]\.)?)"
"""A first name written as initials ("JD", "J.D."): read only right after a role."""
# The same verbs the quote finder accepts as an attribution, longest first for the regex.
_SPEECH = "|".join(sorted(SPEECH_VERBS, key=lambda w: (-len(w), w)))
_POST = rf"(?:,?[ \t]+(?:{'|'.join(sorted(POST_NOMINALS, key=len, reverse=True))})\b)"
"""Post-nominal letters after a name ("Jane Roe QPM", "Jane Roe, OBE")."""
_KNOWN_FIRST = frozenset(name for pair in SHORT_FORMS for name in pair)
"""First names the short-form table knows: enough to tell "Dave Roe" from "North Wessex"."""
_ROLE_HEADS = (
    frozenset(phrase.split()[-1] for phrase in ROLES)
    | frozenset(r.lower() for r in CASED_ROLES)
    | frozenset(t.lower() for t in TITLES)
)
"""Last words of roles and titles: where a place before a name cannot run on."""
_CONNECTORS = frozenset({"and", "&", "of", "the", "upon"})


_ROLE_BODY = ROLE_PATTERN
_CASED = "|".join(sorted(CASED_ROLES, key=len, reverse=True))
_PLACE_WORD = rf"[{_UPPER}][\w'’-]*"


def _role_regex() -> re.Pattern[str]:
    person = rf"(?:{_INITIALS}[ \t]+)?{_TOKEN}(?:[ \t]+{_TOKEN}){{0,3}}"
    return re.compile(
        rf"(?:\b(?i:{_ROLE_BODY})\b|\b(?:{_CASED})\b)"
        r"(?:[ \t]*\([A-Z][A-Za-z&]{1,8}\))?"
        rf"(?:[ \t]+(?:for|of)[ \t]+(?P<run>(?:the[ \t]+)?{_PLACE_WORD}"
        rf"(?:[ \t]+(?:and|&|of|the|upon|{_PLACE_WORD}))*)(?:,[ \t]*(?P<after>{person}))?"
        rf"|(?:,[ \t]*|[ \t]+)(?P<name>{person}))"
    )


_ROLE_NAME = _role_regex()
"""A role, its acronym or area if written, then the name: see the module docstring."""
_APPOSITIVE = re.compile(
    rf"(?<![\w-])(?P<name>{_NAME}){_POST}*,[ \t]+(?:(?i:the|a|an)[ \t]+)?"
    r"(?:(?i:[a-z]+['’]s|new|current|interim|former|county|force|district|area|local)"
    r"[ \t]+){0,2}"
    rf"(?P<role>\b(?i:{_ROLE_BODY}))\b"
)
"""A role written after the name: "Jane Roe, the force's chief constable", "Jane Roe,
Police and Crime Commissioner for the county, said"."""
_COPULAR = re.compile(
    rf"(?<![\w-])(?P<name>{_NAME}){_POST}*,?[ \t]+(?:is|was|has[ \t]+been|had[ \t]+been|"
    r"remains|became|becomes|will[ \t]+be)[ \t]+"
    r"(?:(?:currently|now|still|also|already|the|a|an|its|their|new|interim|current|"
    r"former|county|force|area|local|[a-z]+['’]s)[ \t]+){0,4}"
    rf"(?P<role>\b(?i:{_ROLE_BODY}))\b(?!['’]s)"
)
"""A name introduced by what the person is: "Jane Roe is currently Acting Chief Constable"."""
_NAME_ROLE = re.compile(
    rf"(?:^|(?<=[.!?:][ \t])|(?<=\n))(?P<name>{_NAME})[ \t]+"
    rf"(?P<role>(?=[A-Z])(?i:{_ROLE_BODY}))\b(?!['’]s)(?![ \t,]+{_TOKEN})"
)
"""A sentence opening with a name and a capitalised role, no comma between: "Jane Roe
Police and Crime Commissioner for Wessex was reacting". The same shape opens with a place
("North Wessex Police and Crime Commissioner said"), so it counts only when confirmed."""
_TITLE_NAME = re.compile(
    rf"\b(?P<title>{'|'.join(TITLES)})(?:\.[ \t]*|[ \t]+)(?P<name>{_TOKEN}(?:[ \t]+{_TOKEN})?)"
)
_SPEECH_NAME = re.compile(
    rf"\b(?:{_SPEECH}|according[ \t]+to)[ \t]+(?P<name>{_NAME})\b"
    rf"|(?P<name2>{_NAME}){_POST}*(?:,?[ \t]+(?:{_SPEECH})\b|,[ \t]+(?:who|the|a|an|head|"
    r"chair|director|leader|spokesman|spokeswoman|spokesperson)\b|[ \t]+(?:of|from)[ \t]+"
    rf"(?:the[ \t]+)?(?:[{_UPPER}][\w&'’-]*[ \t]+){{1,4}}(?:{_SPEECH})\b|[ \t]+(?:is|was)[ \t]+"
    r"(?:responding|reacting|speaking|commenting|writing)\b)"
)
"""A name beside a speech verb: "said Jane Roe", "Jane Roe said", "Jane Roe, who ...",
"Jane Roe of the Wessex Inspectorate said", "Jane Roe was responding to ..."."""
_SPEECH_WORD = re.compile(rf"\b(?:{_SPEECH})\b")
_ONE_BEFORE = re.compile(rf"(?<![\w'’-])(?P<tok>{_TOKEN}){_POST}*,?[ \t]+$")
_ONE_AFTER = re.compile(rf"[ \t]+(?P<tok>{_TOKEN})\b(?![ \t]+[{_UPPER}])")
"""A single capitalised word next to a speech verb: "Jane said", "said Roe" (read around
each speech verb, so the cost follows the verbs, not the capitals)."""


@dataclass(frozen=True, slots=True)
class PersonMention:
    """One way a person is named at one place in a text.

    `name` is as written ("Jane Roe", "Mrs Roe", "Mr.Roe", "Jane"); `first` is None for
    a title-and-surname form or a first name alone, and `surname` is then the surname it
    refers to (for "Jane", the surname of the one Jane the article names in full). `role`
    is the label of the role that introduced the name.
    """

    name: str
    first: str | None
    surname: str
    role: str | None
    start: int
    caption: bool = False
    """Named in a photo caption or credit, not in the body: a weaker spelling witness."""
    honorific: str | None = None
    """The honorific written before a full name ("Sir" in "Sir Jane Roe"), if any."""

    @property
    def full(self) -> bool:
        return self.first is not None


_SURNAME_WORDS = frozenset({"lane", "street", "court", "road"})
"""Place-type words that are also surnames: the last word of a name after a first name
("Michael Lane, Police and Crime Commissioner"), never a name on their own."""


def _clean_name(raw: str) -> list[str]:
    """Name tokens up to the first word that cannot be part of a name."""
    tokens: list[str] = []
    for token in raw.split():
        word = token.lower().strip("'’")
        if word in STOP_WORDS:
            if tokens and word in _SURNAME_WORDS:
                tokens.append(token)
            break
        tokens.append(token)
    return tokens


def _styled(tokens: list[str]) -> tuple[list[str], str | None]:
    """Tokens with a leading honorific or title taken off ("Sir Jane Roe" -> Jane Roe)."""
    if len(tokens) > 2 and tokens[0] in TITLES:
        return tokens[1:], tokens[0] if tokens[0] in HONORIFICS else None
    return tokens, None


def _role_label(phrase: str) -> str | None:
    phrase = re.sub(r"\s*\([^)]*\)\s*$", "", phrase)
    key = " ".join(fold(phrase).replace("&", "and").split())
    if phrase.strip() in CASED_ROLES:
        return CASED_ROLES[phrase.strip()]
    return ROLES.get(key) or ROLES.get(key.replace(" and ", " & "))


def _name_like(token: str) -> bool:
    return (
        bool(_TOKEN_RE.fullmatch(token))
        and token.lower() not in STOP_WORDS
        and not _PLACE_ONLY.search(token)
    )


def _name_after_place(run: str) -> tuple[int, list[str]] | None:
    """The name at the end of "<place> <First> <Surname>" after "Commissioner for": its
    offset in `run` and tokens, or None when the run is only a place."""
    words = run.split()
    for n, word in enumerate(words[1:], 1):
        if word.lower() in _ROLE_HEADS:
            words = words[:n]
            break
    while words and words[-1].lower() in _CONNECTORS:
        words.pop()
    if len(words) < 3:
        return None
    name = words[-2:]
    place = [w for w in words[:-2] if w.lower() not in _CONNECTORS]
    if not place or not all(_name_like(t) for t in name):
        return None
    at = run.rfind(" ".join(name)) if " ".join(name) in run else -1
    return (at, name) if at >= 0 else None


def _initials_ok(tokens: list[str]) -> bool:
    first = tokens[0].replace(".", "")
    return not (
        first.isupper()
        and (first in CASED_ROLES or first in POST_NOMINALS or first in {"HM", "UK", "MP"})
    )


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

    def overlaps(at: int, length: int) -> bool:
        return at - 1 in covered or any(i in covered for i in range(at, at + length))

    def add_full(at: int, tokens: list[str], role: str | None, honorific: str | None) -> None:
        name = " ".join(tokens)
        add(at, PersonMention(name, tokens[0], tokens[-1], role, at, False, honorific), True)

    for m in _ROLE_NAME.finditer(text):
        role = _role_label(_role_phrase(text, m))
        if m["run"] is not None:
            if m["after"]:
                tokens, honorific = _styled(_clean_name(m["after"]))
                if len(tokens) >= 2 and _initials_ok(tokens):
                    add_full(m.start("after") + m["after"].find(tokens[0]), tokens[:3], role,
                             honorific)  # fmt: skip
                continue
            split = _name_after_place(m["run"])
            if split is not None:
                offset, tokens = split
                add_full(m.start("run") + offset, tokens, role, None)
            continue
        tokens = _clean_name(m["name"])
        if len(tokens) == 2 and tokens[0] in TITLES:
            # "Chief Constable Sir Jane": an honorific and a first name (or a surname).
            at = m.start("name")
            add(at, PersonMention(" ".join(tokens), None, tokens[1], role, at))
            continue
        tokens, honorific = _styled(tokens)
        if not tokens or not _initials_ok(tokens):
            continue
        at = m.start("name") + (m["name"].find(tokens[0]) if honorific else 0)
        if len(tokens) == 1:
            if not tokens[0][:1].isupper() or not _TOKEN_RE.fullmatch(tokens[0]):
                continue
            add(at, PersonMention(tokens[0], None, tokens[0], role, at))
        else:
            add_full(at, tokens[:3], role, honorific)
    for pattern in (_APPOSITIVE, _COPULAR):
        for m in pattern.finditer(text):
            tokens, honorific = _styled(_clean_name(m.group("name")))
            at = m.start("name") + (m["name"].find(tokens[0]) if honorific and tokens else 0)
            if len(tokens) < 2 or overlaps(at, len(" ".join(tokens))):
                continue
            add_full(at, tokens, _role_label(m.group("role")), honorific)
    titled_surnames = {
        m["name"]
        for m in _TITLE_NAME.finditer(text)
        if " " not in m["name"] and m["title"] not in BEFORE_FIRST_NAME
    }
    for m in _NAME_ROLE.finditer(text):
        tokens = _clean_name(m["name"])
        at = m.start("name")
        if len(tokens) < 2 or overlaps(at, len(m["name"])) or not all(map(_name_like, tokens)):
            continue
        if tokens[-1] in titled_surnames or tokens[0].lower() in _KNOWN_FIRST:
            add_full(at, tokens, _role_label(m["role"]), None)
    for m in _TITLE_NAME.finditer(text):
        tokens = _clean_name(m.group("name"))
        at = m.start()
        if not tokens or overlaps(m.start("name"), len(tokens[0])):
            continue
        if len(tokens) == 2:
            honorific = m["title"] if m["title"] in HONORIFICS else None
            add_full(m.start("name"), tokens, None, honorific)
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
        if overlaps(at, len(raw)):
            continue
        tokens, honorific = _styled(tokens)
        if honorific:
            at += raw.find(tokens[0])
        add(at, PersonMention(" ".join(tokens), tokens[0], tokens[-1], None, at, False, honorific))
    _add_repeated(text, found, covered, titled_surnames | _rank_surnames(found))
    _add_single_names(text, found, covered)
    credited = _credited_lines(text)
    return [_mark_caption(text, found[k], credited) for k in sorted(found)]


def _role_phrase(text: str, m: re.Match[str]) -> str:
    """The role words a role-and-name match starts with (no acronym, area or comma)."""
    end = m.start("run") if m["run"] is not None else m.start("name")
    phrase = text[m.start() : end]
    phrase = re.sub(r"[ \t]+(?:for|of)[ \t]*$", "", phrase.rstrip(", \t\n"))
    return phrase.rstrip(", \t\n")


def _rank_surnames(found: dict[int, PersonMention]) -> set[str]:
    """Surnames the text gives after a rank or role ("Ch Con Roe")."""
    return {p.surname for p in found.values() if not p.full and p.role}


def _add_repeated(
    text: str, found: dict[int, PersonMention], covered: set[int], surnames: set[str]
) -> None:
    """Later occurrences of full names already found, and "<First> <Surname>" for a surname
    the text gives with a title or rank ("Ms Roe" confirms "Jane Roe")."""

    def add(at: int, name: str) -> None:
        if at in covered:
            return
        tokens = name.split()
        found[at] = PersonMention(name, tokens[0], tokens[-1], None, at)
        covered.update(range(at, at + len(name)))

    known = {p.name for p in found.values() if p.full}
    for name in sorted(known):
        for at in _whole_occurrences(text, name):
            add(at, name)
    surnames -= {n.split()[-1] for n in known}
    if not surnames:
        return
    alternation = "|".join(re.escape(s) for s in sorted(surnames, key=len, reverse=True))
    for m in re.finditer(rf"(?<![\w'’-])(?P<first>{_TOKEN})[ \t]+(?:{alternation})(?![\w-])", text):
        first = m["first"]
        if _name_like(first) and first not in TITLES and first.lower() not in _ROLE_HEADS:
            add(m.start(), m.group(0))


def _whole_occurrences(text: str, name: str) -> Iterator[int]:
    """Where `name` stands in `text` as a whole word (no word character or hyphen on
    either side), left to right without overlaps: a substring search, not a regex
    compiled per name (the names differ in every article, so compiled ones are not
    reused)."""
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        if not (at and _joins(text[at - 1])) and not (end < len(text) and _joins(text[end])):
            yield at
            at = text.find(name, end)
        else:
            at = text.find(name, at + 1)


def _joins(ch: str) -> bool:
    """Whether a character continues a word (`\\w` or a hyphen)."""
    return ch.isalnum() or ch in "_-"


def _add_single_names(text: str, found: dict[int, PersonMention], covered: set[int]) -> None:
    """A first name or surname alone that refers to one person named in full: "Jane said",
    "Commissioner Jane", "Sir Jane", "Roe said". The mention keeps the name as written and
    carries the person's surname, so the quote finder and the merge resolve it."""
    fulls = {p.name: p for p in found.values() if p.full}
    if not fulls:
        return
    surnames = {p.surname.casefold() for p in fulls.values()}

    def refers_to(token: str) -> str | None:
        key = fold_name(token)
        by_surname = {p.surname for p in fulls.values() if fold_name(p.surname) == key}
        if by_surname:
            return by_surname.pop() if len(by_surname) == 1 else None
        by_first = {
            p.surname for p in fulls.values() if p.first and _same_first(fold_name(p.first), key)
        }
        return by_first.pop() if len(by_first) == 1 else None

    for at, p in list(found.items()):
        if p.full or p.surname.casefold() in surnames:
            continue
        title = p.name[: len(p.name) - len(p.surname)].strip(" .")
        if title in TITLES and title not in BEFORE_FIRST_NAME:
            continue
        surname = refers_to(p.surname)
        if surname is not None:
            found[at] = replace(p, surname=surname)
    for verb in _SPEECH_WORD.finditer(text):
        lead = max(0, verb.start() - 40)
        before = _ONE_BEFORE.search(text, lead, verb.start())
        after = _ONE_AFTER.match(text, verb.end(), verb.end() + 40)
        for m in (before, after):
            if m is None:
                continue
            token, at = m["tok"], m.start("tok")
            if at in covered or token.lower() in STOP_WORDS or token in TITLES:
                continue
            surname = refers_to(token)
            if surname is not None:
                found[at] = PersonMention(token, None, surname, None, at)
                covered.update(range(at, at + len(token)))


@lru_cache(maxsize=8192)
def fold_name(name: str) -> str:
    """A name compared without case, marks or apostrophes ("Zoë" = "Zoe", "O'Dell" = "ODell").

    Cached: merging a story folds each spelling of each name several times, and an export
    merges thousands of stories naming the same people.
    """
    plain = unicodedata.normalize("NFKD", fold(name))
    return "".join(c for c in plain if not unicodedata.combining(c) and c not in "'’")


def _same_first(a: str, b: str) -> bool:
    return a == b or (a, b) in SHORT_FORMS or (b, a) in SHORT_FORMS


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
        return replace(mention, caption=True)
    return mention
