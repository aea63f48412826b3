"""Recognising police forces in news text.

Method. Outlets name a force as a place followed by a suffix ("Herts Police", "Wolds
Constabulary", "Chiltern Vale police", "Metropolitan Police Service") or by a fixed alias
("the Met", "GMP", "Police Scotland"). We find every suffix word, walk back over the
capitalised words before it (allowing "and", "&" and "of" inside a name, stopping at
punctuation) and then:

1. look the longest trailing run of those words up in the bundled table of UK forces
   (`data/forces.toml`), which maps every place spelling to the official name;
2. otherwise drop leading words that cannot start a place ("Yesterday", "Chief Constable
   of", "His Majesty's Inspectorate of") and keep what is left as an unknown force's place.

What is *not* a force: "Police and Crime Commissioner/Panel", "Police Federation",
"Police Station" and the like. The place before them still tells us the force's *area*,
which is reported with the role `area` (the grouping uses it when an article names no
force, e.g. a PCC's own press release; "<place> PCC" and "<place> Police and Crime
Commissioner" give one too). A lowercase suffix ("Wolds police") is only a descriptive
use: it counts when its place is in the table, stands in a headline, is possessive
("Chiltern Vale's police force") or matches a properly named force in the same text;
otherwise "told police" after a person's name would invent forces.

Every mention carries a `key` (the official name for known forces, the lowercased place
for others) so that "Wolds police" and "Wolds Constabulary" compare equal, and a `name`:
the official name, or the fullest capitalised name written for that key. `scan_mentions`
is the one entry point: the grouping reads every article's forces and areas through it.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Literal, NamedTuple

from heraldtui.core.read.dates import MONTH_NAMES, WEEKDAY_NAMES, contains_any
from heraldtui.core.read.lexicon import (
    FORCE_SUFFIXES,
    FORCE_WIDE_MEETINGS,
    TITLE_WORDS,
    word_set,
)
from heraldtui.core.text.memo import kept_when_short

MentionRole = Literal["force", "area"]


@dataclass(frozen=True, slots=True)
class ForceMention:
    """One place where a text names (or, for `area`, implies) a police force."""

    text: str
    """The words as written."""
    name: str | None
    """Official name (table), else the fullest capitalised name for this key in the text."""
    start: int
    end: int
    key: str
    """Identity for comparisons: the official name, or the lowercased place."""
    role: MentionRole = "force"


@dataclass(frozen=True, slots=True)
class _Table:
    by_place: dict[str, str]
    """Lowercased place spelling -> official name."""
    aliases: dict[str, str]
    """Exact alias -> official name."""
    alias_re: re.Pattern[str] | None
    alias_gate: re.Pattern[str] | None
    """Any alias as plain text: a search that skips to the aliases' first letters, where
    `alias_re` (which starts with a lookbehind) tries every position."""


@lru_cache(maxsize=1)
def _table() -> _Table:
    raw = resources.files("heraldtui.core.data").joinpath("forces.toml").read_text("utf-8")
    data = tomllib.loads(raw)
    by_place: dict[str, str] = {}
    aliases: dict[str, str] = {}
    for entry in data["force"]:
        name = str(entry["name"])
        for place in entry.get("places", []):
            by_place[_norm_place(str(place))] = name
        for alias in entry.get("aliases", []):
            aliases[str(alias)] = name
    alias_re = alias_gate = None
    if aliases:
        alts = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
        # "the Met Office" is the weather service, not the force.
        alias_re = re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])(?!\s+Office)")
        alias_gate = re.compile(alts)
    return _Table(by_place, aliases, alias_re, alias_gate)


def _norm_place(place: str) -> str:
    return " ".join(place.replace("&", "and").replace("’", "'").split()).lower()


# ---------------------------------------------------------------- word lists


_CONNECTORS = frozenset({"and", "&", "of", "upon"})

# Capitalised words that start sentences or precede a force name without being part of
# the place: function words, time words, ranks and titles, generic adjectives.
_NOT_PLACE = (
    word_set(
        """
        a an the this that these those it its he she they we you i his her their our my your
        yesterday today tonight tomorrow meanwhile but and or so yet when while after before
        as at by for from in into on onto over under with without about against between
        during since until says said say told tells tell asked thanks thank according also
        if then there here where which who whom whose what why how all both each every some
        any many most more several other another such no not only just now new former
        retired serving acting deputy assistant temporary interim chief constable inspector
        inspectorate inspectors superintendent sergeant detective officer officers
        commissioner commissioners pcc pccs opcc hm her his majesty's majestys majesty
        councillor mp minister home secretary office
        local county regional national neighbouring neighboring nearby rural urban city town
        village area force forces traffic military secret riot mounted railway border armed
        special specials volunteer volunteers community neighbourhood neighborhood federal
        state royal transport response roads dog marine river cyber fraud counter-terrorism
        counter terrorism specialist private school campus university hospital airport port
        civilian uniformed plain-clothed plain plainclothes undercover senior junior young
        british english welsh scottish irish uk england wales britain european
        """
    )
    | TITLE_WORDS
    | frozenset(MONTH_NAMES)
    | frozenset(WEEKDAY_NAMES)
)

# Words right after "Police" that make it something other than the force itself.
_AREA_AFTER = re.compile(
    r"\s*(?:,\s*Fire\s+and\s+Crime|and\s+Crime|&\s+Crime|Federation|Fed\b)", re.IGNORECASE
)
_NOT_FORCE_AFTER = re.compile(
    r"\s*(?:Station|Stations|HQ|Headquarters|Chiefs|Superintendents|Staff\s+Association|"
    r"Box|Museum|Cadets?|College|Academy|Authority|Scotland)\b"
)
_AREA_ANCHOR = re.compile(r"\b(?:O?PCC|Police\s+(?:and|&)\s+Crime\s+Commissioner)\b")
# A force's head or overseer named with its place after ("the Commissioner for Cleveland",
# "Police and Crime Panel for Gwent", "Chief Constable of Norfolk") or before
# ("Norfolk's chief constable", "Cleveland Commissioner Jo Bell"): an area, taken only
# for places in the table ("Commissioner for Victims" names no force). Found by literal
# scans (they are in most policing articles, so no regex runs over the whole text).
_PLACE_AFTER = ("ommissioner for ", "ommissioner of ", "PCC for ", "anel for ", "onstable of ")
_HEAD_AFTER_PLACE = ("Chief Constable", "chief constable", "Chief constable", "ommissioner")
"""Literal forms; a "Commissioner" is matched from its second letter, either case."""
_CAPITALISED_RUN = re.compile(
    r"(?:the\s+)?([A-Z][\w'’-]*(?:\s+(?:(?:and|&|of)\s+)?[A-Z][\w'’-]*){0,4})"
)
_FIRE_WORDS = frozenset({"Fire", "Rescue", "Service", "Services", "Brigade", "FRS"})
# A fire and rescue service ("Essex County Fire and Rescue Service", "London Fire
# Brigade", "Staffordshire FRS"): not a police force, read apart from them.
_FIRE_SUFFIX = re.compile(
    r"Fire\s+(?:and|&)\s+Rescue(?:\s+Service|\s+Authority)?\b|Fire\s+(?:Brigade|Service)\b|FRS\b"
)
_TOKEN = re.compile(r"\S+")
_WORD_OK = re.compile(r"^[A-Z][A-Za-z'’-]*$")


class _Run(NamedTuple):
    # NamedTuples, not frozen dataclasses: several are made per force mention, and a
    # frozen dataclass's __init__ costs several times as much.
    words: tuple[str, ...]
    start: int


def _run_before(text: str, pos: int) -> _Run | None:
    """The capitalised words right before `pos` (a suffix), on its line, or None."""
    if pos == 0 or not text[pos - 1].isspace():
        return None
    limit = max(text.rfind("\n", 0, pos) + 1, pos - 120)
    run = _run_ending(text[limit:pos])
    if run is None or limit == 0:
        return run
    return _Run(run.words, run.start + limit)


@lru_cache(maxsize=16384)
def _run_ending(text: str) -> _Run | None:
    """`_run_before` for the end of `text` (the line up to the suffix, at most 120
    characters): it reads nothing else, so it is cached by that text, which repeats (the
    same force names written the same way in a feed's headlines and paragraphs)."""
    limit = 0
    pos = len(text)
    words: list[tuple[str, int]] = []
    end = pos
    while len(words) < 10:
        while end > limit and text[end - 1] in " \t\xa0":
            end -= 1
        if end <= limit:
            break
        start = max(text.rfind(" ", limit, end), text.rfind("\xa0", limit, end)) + 1
        start = max(start, limit)
        token = text[start:end]
        core = token.lstrip("(“\"‘'[*_#")
        if core.endswith((",", ".", ";", ":", "!", "?", ")", "”", '"', "]")):
            break
        if not (core in _CONNECTORS or _WORD_OK.match(core)):
            break
        words.append((core, start + len(token) - len(core)))
        if core != token:  # an opening bracket or quote starts the name
            break
        end = start
    words.reverse()
    while words and words[0][0] in _CONNECTORS:
        words.pop(0)
    if not words or words[-1][0] in _CONNECTORS:
        return None
    return _Run(tuple(w for w, _ in words), words[0][1])


def _strip_possessive(word: str) -> str:
    for tail in ("'s", "’s", "s'", "s’"):
        if word.endswith(tail):
            return word[: -len(tail)] if tail[0] in "'’" else word[:-1]
    return word


@dataclass(frozen=True, slots=True)
class _Place:
    words: tuple[str, ...]
    start_index: int
    official: str | None
    possessive: bool


def _resolve_place(run: _Run) -> _Place | None:
    """Known place (longest trailing run in the table) or an unknown place, or None."""
    return _resolve_words(run.words)


@lru_cache(maxsize=16384)
def _resolve_words(run_words: tuple[str, ...]) -> _Place | None:
    """`_resolve_place` by the run's words alone; cached, because the same few force
    names recur in every article of a feed."""
    words = list(run_words)
    possessive = False
    last = _strip_possessive(words[-1])
    if last != words[-1]:
        possessive = True
        words[-1] = last
    table = _table()
    for i in range(len(words)):
        if words[i] in _CONNECTORS:
            continue
        official = table.by_place.get(_norm_place(" ".join(words[i:])))
        if official is not None:
            return _Place(tuple(words[i:]), i, official, possessive)
    # An unknown place never contains "of": "Joanne Bewick of Tyne Borders Police".
    i = max((j + 1 for j, w in enumerate(words) if w == "of"), default=0)
    while i < len(words) and (
        words[i] in _CONNECTORS or words[i].lower() in _NOT_PLACE or words[i].isupper()
    ):
        i += 1
    rest = words[i:]
    if not rest or rest[-1].lower() in _NOT_PLACE:
        return None
    if i > 0 and words[i - 1].lower().rstrip(".") in TITLE_WORDS:
        return None  # "Mr Hollis told police"
    return _Place(tuple(rest), i, None, possessive)


def _place_key(words: tuple[str, ...]) -> str:
    return _norm_place(" ".join(words))


def _place_before(text: str, pos: int) -> tuple[_Place, int] | None:
    """The place named right before `pos` (a suffix or an anchor) and where it starts."""
    run = _run_before(text, pos)
    place = _resolve_place(run) if run is not None else None
    if run is None or place is None:
        return None
    return place, _offset(run, text, place.start_index)


def _offset(run: _Run, text: str, index: int) -> int:
    """Character offset of word `index` of a run."""
    pos = run.start
    for word in run.words[:index]:
        pos = text.index(word, pos) + len(word)
    return text.index(run.words[index], pos)


class _Raw(NamedTuple):
    start: int
    end: int
    key: str
    official: str | None
    written_name: str | None
    """A capitalised full name as written ("Wolds Constabulary"), None for weak forms."""
    role: MentionRole
    weak: bool


_STEM = re.compile("olice|onstabulary")
"""A literal: found by fast search, where `\\b(?:Police|...)` costs ~50 ns a character."""
_SUFFIX_AFTER = re.compile(r"\s+(?:[Ss]ervice|force)\b")


def _suffixes(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, words) of every "Police", "Constabulary", "Police Service",
    "police force" (any case of the first letter) in `text`."""
    for m in _STEM.finditer(text):
        start = m.start() - 1
        if start < 0 or text[start] not in "PpCc":
            continue
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] == "-"):
            continue
        end = m.end()
        if end < len(text) and (text[end].isalnum() or text[end] == "-"):
            continue
        if text[start] in "Pp":
            after = _SUFFIX_AFTER.match(text, end)
            if after and (text[start] == "p" or after.group().strip()[0] == "S"):
                end = after.end()
        yield start, end, " ".join(text[start:end].split())


@lru_cache(maxsize=256)
def _capitalised(suffix: str) -> str:
    """A suffix as a name writes it ("police service" -> "Police Service")."""
    return " ".join(w.capitalize() for w in suffix.split())


def _scan(text: str, headline: bool) -> list[_Raw]:
    return _found(text, headline) or _implied(text)


def _implied(text: str) -> list[_Raw]:
    """For a text that names no force nor area: how outlets write a force they never
    name, through its head or overseer (`_heads`), in order."""
    if "ommissioner" in text or "onstable" in text or "anel for" in text or "PCC for" in text:
        return sorted(_heads(text), key=lambda r: (r.start, r.end))
    return []


def _found(text: str, headline: bool) -> list[_Raw]:
    """The names, descriptive forms and areas `text` writes, in order (`_scan` without
    the heads and overseers it reads only in a text that has none of these)."""
    table = _table()
    found: list[_Raw] = []
    taken: list[tuple[int, int]] = []
    gate = table.alias_gate
    if gate is not None and table.alias_re is not None and gate.search(text) is not None:
        for m in table.alias_re.finditer(text):
            official = table.aliases[m.group()]
            found.append(_Raw(m.start(), m.end(), official, official, official, "force", False))
            taken.append((m.start(), m.end()))
    for m_start, m_end, suffix in _suffixes(text):
        if taken and any(s <= m_start < e for s, e in taken):
            continue
        after = text[m_end : m_end + 40]
        role: MentionRole = "force"
        if suffix[1:] == "olice" and _AREA_AFTER.match(after):
            role = "area"
        elif _NOT_FORCE_AFTER.match(after):
            continue
        before = _place_before(text, m_start)
        if before is None:
            continue
        place, start = before
        key = place.official or _place_key(place.words)
        lower_suffix = suffix[0].islower()
        weak = lower_suffix and place.official is None
        weak_ok = not weak or headline or place.possessive
        written = None
        if role == "force" and not lower_suffix and not place.possessive:
            written = " ".join((*place.words, _capitalised(suffix)))
        found.append(
            _Raw(
                start,
                m_end,
                key,
                place.official,
                written,
                role,
                weak and not weak_ok,
            )
        )
    area_anchors = _AREA_ANCHOR.finditer(text) if "PCC" in text or "Crime C" in text else ()
    for m in area_anchors:
        before = _place_before(text, m.start())
        if before is None:
            continue
        place, start = before
        if any(r.start == start for r in found):
            continue
        key = place.official or _place_key(place.words)
        found.append(_Raw(start, m.end(), key, place.official, None, "area", False))
    found.sort(key=lambda r: (r.start, r.end))
    return found


def _heads(text: str) -> Iterator[_Raw]:
    """Areas implied by a force's head or overseer (see `_PLACE_AFTER`) in a text that
    names no force or area otherwise; only places the table knows."""
    by_place = _table().by_place
    for anchor in _PLACE_AFTER:
        at = text.find(anchor)
        while at >= 0:
            after = _CAPITALISED_RUN.match(text, at + len(anchor))
            at = text.find(anchor, at + len(anchor))
            if after is None:
                continue
            words = after.group(1).split()
            for n in range(len(words), 0, -1):
                official = by_place.get(_norm_place(" ".join(words[:n])))
                if official is not None:
                    start = after.start(1)
                    end = text.index(words[n - 1], start) + len(words[n - 1])
                    yield _Raw(start, end, official, official, None, "area", False)
                    break
    for anchor in _HEAD_AFTER_PLACE:
        at = text.find(anchor)
        while at >= 0:
            begin = at - 1 if anchor[0] == "o" else at
            end = at + len(anchor)
            at = text.find(anchor, end)
            if anchor[0] == "o" and (begin < 0 or text[begin] not in "Cc"):
                continue
            if begin <= 0 or not text[begin - 1].isspace():
                continue
            # Only a capitalised word that may end a place ("Norfolk's", "Cleveland"), not
            # a rank or a name's own words ("Deputy", "Police and Crime").
            head = text[max(0, begin - 40) : begin].rstrip()
            word = head[head.rfind(" ") + 1 :]
            if not word[:1].isupper() or _strip_possessive(word).lower() in _NOT_HEAD_PLACE:
                continue
            run = _run_before(text, begin)
            place = _resolve_place(run) if run is not None else None
            if run is None or place is None or place.official is None:
                continue
            start = _offset(run, text, place.start_index)
            yield _Raw(start, end, place.official, place.official, None, "area", False)


_NOT_HEAD_PLACE = _NOT_PLACE | {"police", "crime", "constabulary", "fire", "rescue"}


def scan_fire_services(text: str) -> list[tuple[str, int]]:
    """(key, start) of every fire and rescue service the text names by place ("Essex
    County Fire and Rescue Service" -> "fire:essex"): the key compares two outlets'
    spellings ("Essex Fire and Rescue Service"), and never equals a police force's."""
    out: list[tuple[str, int]] = []
    if "Fire" not in text and "FRS" not in text:
        return out
    for m in _FIRE_SUFFIX.finditer(text):
        run = _run_before(text, m.start())
        if run is None:
            continue
        words = [_strip_possessive(w) for w in run.words]
        for i in range(len(words) - 1, -1, -1):
            if words[i] in _FIRE_WORDS:  # "Saltings Fire Brigade and Wolds FRS": two
                words = words[i + 1 :]
                break
        while words and words[-1].lower() in {"county", "city"}:
            words.pop()  # "Essex County Fire and Rescue Service" is Essex's
        start = 0
        while start < len(words) and (
            words[start] in _CONNECTORS or words[start].lower() in _NOT_PLACE
        ):
            start += 1
        place = [w for w in words[start:] if w not in _CONNECTORS]
        if place:
            out.append(("fire:" + _place_key(tuple(place)), _offset(run, text, start)))
    return out


@lru_cache(maxsize=1)
def _official_names() -> frozenset[str]:
    return frozenset(_table().by_place.values()) | frozenset(_table().aliases.values())


def is_official(key: str) -> bool:
    """Whether a mention's key is a force of the table (then it is its official name);
    other keys are an unknown force's lowercased place."""
    return key in _official_names()


def scan_mentions(text: str, *, headline: bool = False) -> list[ForceMention]:
    """Every force the text names and every force area it implies, in order.

    `headline=True` accepts a lowercase descriptive form of an unknown force ("Wolds police
    grades"), which headlines use for the force itself.
    """
    return _mentions(text, _scan(text, headline))


def scan_paragraphs(
    paragraphs: Sequence[str], parts: Sequence[str] | None = None
) -> list[ForceMention]:
    """`scan_mentions` of the paragraphs joined by blank lines, each paragraph read once
    however many texts print it (`text.memo`). Every pattern here
    stays within a paragraph that ends in punctuation (none reads past ". " into the next
    paragraph); one that ends in a word ("By Kent Police") is read with the next
    (`parts`: their `joined_where_open`, if the caller has it)."""
    text = "\n\n".join(paragraphs)
    raws: list[_Raw] = []
    offset = 0
    for part in joined_where_open(paragraphs) if parts is None else parts:
        if offset:  # NamedTuple._replace is a Python loop over the fields: spelt out
            for r in _found_kept(part):
                key, official, written, role, weak = r[2:]
                raws.append(
                    _Raw(r.start + offset, r.end + offset, key, official, written, role, weak)
                )
        else:
            raws.extend(_found_kept(part))
        offset += len(part) + 2
    return _mentions(text, raws or _implied(text))  # heads are read in the whole text


def joined_where_open(paragraphs: Sequence[str]) -> list[str]:
    """The paragraphs, each one that ends in a word, a digit or a joining character ("-",
    "&", ",") joined by a blank line with the next: the parts that a pattern reading
    across the blank line (a run of capitalised words, "Police\n\nService") cannot span."""
    parts: list[str] = []
    pending: list[str] = []
    for para in paragraphs:
        last = para[-1:]
        if pending or last.isalnum() or last in _OPEN_ENDS:
            pending.append(para)
            if not (last.isalnum() or last in _OPEN_ENDS):
                parts.append("\n\n".join(pending))
                pending = []
        else:
            parts.append(para)
    if pending:
        parts.append("\n\n".join(pending))
    return parts


_OPEN_ENDS = frozenset("-&,_")
"""Last characters of a paragraph that a pattern may read on from (besides letters and
digits): `_AREA_AFTER` reads ", Fire and Crime"."""


@kept_when_short
def _found_kept(part: str) -> tuple[_Raw, ...]:
    return tuple(_found(part, False))


def _mentions(text: str, raws: list[_Raw]) -> list[ForceMention]:
    """The mentions of `text` from its scan (`_scan`), weak forms dropped where no strong
    mention of their force stands beside them."""
    if len(raws) < 2:
        # One mention (most texts): its own written name is the fullest, and a weak form
        # has no strong mention of its key to keep it.
        return [
            ForceMention(
                text[r.start : r.end], r.official or r.written_name, r.start, r.end, r.key, r.role
            )
            for r in raws
            if not r.weak
        ]
    strong_keys = {r.key for r in raws if r.role == "force" and not r.weak}
    counts: dict[str, dict[str, int]] = {}
    for r in raws:
        if r.written_name:
            counts.setdefault(r.key, {}).setdefault(r.written_name, 0)
            counts[r.key][r.written_name] += 1
    fullest = {
        key: max(names, key=lambda n: (names[n], len(n), n)) for key, names in counts.items()
    }
    return [
        ForceMention(
            text[r.start : r.end], r.official or fullest.get(r.key), r.start, r.end, r.key, r.role
        )
        for r in raws
        if not (r.weak and r.key not in strong_keys)
    ]


def place_of(official: str) -> str:
    """The place words of a force name ("Wolds Constabulary" -> "Wolds")."""
    words = official.split()
    while words and words[-1].lower() in FORCE_SUFFIXES:
        words.pop()
    return " ".join(words)


@lru_cache(maxsize=4096)
def force_key(name: str) -> str:
    """One key for a force however it is spelt: "Herts Police", "herts", "Hertfordshire
    Constabulary" and "the Met" give the official name when the table knows the force
    (by its official name, an alias or a place), else the lower-cased place words.

    What a user types (a `[[watch]]` rule, `export --force`) is compared with a story's
    force through this, so neither needs the official spelling.
    """
    table = _table()
    words = " ".join(name.split())
    folded = words.casefold()
    for official in _official_names():
        if official.casefold() == folded:
            return official
    for alias, official in table.aliases.items():
        if alias.casefold() == folded or alias.casefold() == f"the {folded}":
            return official
    if folded.startswith("the "):
        words, folded = words[4:], folded[4:]
    place = _norm_place(place_of(words))
    found = table.by_place.get(place) or table.by_place.get(_norm_place(words))
    if found is not None:
        return found
    return place or folded


FORCE_BODIES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (body, re.compile(pattern)) for body, pattern in FORCE_WIDE_MEETINGS
)
"""Bodies that meet for a whole force area (its police and crime panel, its accountability
meeting), however an outlet words them: their force and date tell their meetings apart."""
FORCE_BODY_HINTS = ("panel", "accountab", "performance")
"""`FORCE_BODIES` cannot match without one of these (keep them in step)."""
_NO_BODIES: frozenset[str] = frozenset()


def force_bodies(lowered: str) -> frozenset[str]:
    """The force-wide bodies a lowercased text names (grouping's meeting keys, the
    agenda's test of two items being one meeting)."""
    if not contains_any(lowered, FORCE_BODY_HINTS):
        return _NO_BODIES
    return frozenset(body for body, pattern in FORCE_BODIES if pattern.search(lowered))
