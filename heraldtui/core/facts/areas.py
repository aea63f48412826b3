"""Inspection areas and grade words: what a name or a cell says, as a key.

The area table is data (`data/peel_areas.toml`): every PEEL framework's official names
and the phrases outlets use instead. Area names are matched loosely: "its", "the" and
"their" stand for each other, and "the public" also reads "people" or "members of the
public". Grade words come from the lexicon (`read/lexicon.py`); a whole cell or list item
may misspell one ("Requirse improvement"), prose may not.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from heraldtui.core.read.lexicon import GRADE_SPELLINGS, REQUIRES_IMPROVEMENT
from heraldtui.core.text.prose import edit_distance, fold


@dataclass(frozen=True, slots=True)
class Area:
    """One graded inspection area: canonical key, official label, the names outlets use."""

    key: str
    label: str
    framework: str
    aliases: tuple[str, ...]


@cache
def areas() -> tuple[Area, ...]:
    """The area table, in display order (the 2023-25 areas first, then older ones)."""
    raw = resources.files("heraldtui.core.data").joinpath("peel_areas.toml").read_text("utf-8")
    table = tomllib.loads(raw)["areas"]
    return tuple(
        Area(key, str(v["label"]), str(v.get("framework", "")), tuple(v.get("aliases", ())))
        for key, v in table.items()
    )


def area_keys() -> tuple[str, ...]:
    """Canonical area keys in display order."""
    return tuple(a.key for a in areas())


def area_label(key: str) -> str:
    """The official label of an area key; an unknown key is shown as itself, readable."""
    for area in areas():
        if area.key == key:
            return area.label
    return key.replace("-", " ").capitalize()


_DETERMINER = r"(?:its|the|their|our|it['’]s)"
"""Any possessive stands for another ("it's" is a common misspelling of "its")."""
_THE_PUBLIC = r"(?:(?:members\s+of\s+)?the\s+public|people|public)"
_GERUND = re.compile(r"^([a-z]{3,})ing$")
_VERB_LEAD_IN = (
    r"(?:(?:how|the\s+way(?:\s+(?:that|in\s+which))?)\s+"
    r"(?:it|the\s+force|the\s+constabulary|the\s+service|they|officers|police|"
    r"[a-z][\w’'-]*(?:\s+[a-z][\w’'-]*)?)\s+"
    r"|how\s+(?:effective|efficient|well|legitimate)\s+is\s+(?:the\s+force|it)\s+(?:at|in)\s+"
    r"|the\s+extent\s+to\s+which\s+(?:the\s+force|it)\s+(?:is\s+)?"
    r"|(?:its|their|the\s+force['’]s)\s+(?:ability|capacity|capability)\s+to\s+"
    r"|(?:its|their|the\s+force['’]s)\s+approach\s+to\s+)?"
)
"""What outlets put before an area named by its verb: "how it investigates crime", "the
way the force responds to the public", "how Wyvern Police manages offenders", "its ability
to protect vulnerable people", and the older reports' forms "how effective is the force at
investigating crime", "the extent to which the force is efficient at ..."."""


def _alias_pattern(alias: str) -> str:
    """An alias as a loose pattern: "and" or "&", any possessive for "its"/"the", and
    "people" or "members of the public" for "the public" (outlets paraphrase freely)."""
    words = []
    lowered = alias.lower().replace("antisocial", "anti-social")
    lowered = re.sub(r"\bthe public\b", "\x00", lowered)
    for word in lowered.split():
        comma = word.endswith(",")
        word = word.rstrip(",")
        if word == "and":
            piece = r"(?:and|&)"
        elif word == "\x00":
            piece = _THE_PUBLIC
        elif word in ("its", "the", "their", "our"):
            piece = _DETERMINER
        elif gerund := _GERUND.match(word):
            # "investigating" also reads "investigates" and "investigate": outlets name
            # an area by its verb as often as by its gerund.
            piece = re.escape(gerund.group(1)) + "(?:ing|e?s|e)?"
        else:
            piece = r"[-\s]?".join(re.escape(part) for part in word.split("-"))
        words.append(piece + (",?" if comma else ""))
    return r"\s+".join(words)


@cache
def _area_regex() -> tuple[re.Pattern[str], tuple[str, ...]]:
    pairs = sorted(
        ((alias, area.key) for area in areas() for alias in area.aliases),
        key=lambda p: -len(p[0]),
    )
    body = "|".join(f"({_alias_pattern(alias)})" for alias, _ in pairs)
    pattern = re.compile(rf"\b{_VERB_LEAD_IN}(?:{body})\b", re.IGNORECASE)
    return pattern, tuple(key for _, key in pairs)


_SHARED_OBJECT = re.compile(r"\b([a-z]{3,}ing)\s*(?:,|and|&|or)\s+$", re.IGNORECASE)
"""A gerund that shares the next area's object: "preventing and investigating crime"."""


def area_spans(text: str) -> list[tuple[int, int, str]]:
    """Each area named in a text: (start, end, key), in order.

    Two verbs sharing one object name two areas when each verb with that object is one
    ("preventing and investigating crime"): the first verb is a span of its own.
    """
    pattern, keys = _area_regex()
    spans: list[tuple[int, int, str]] = []
    for m in pattern.finditer(text):
        key = keys[(m.lastindex or 1) - 1]
        alias_start = m.start(m.lastindex or 1)
        head, _, rest = text[alias_start : m.end()].partition(" ")
        shared = _SHARED_OBJECT.search(text, max(0, m.start() - 40), m.start())
        if shared and rest and _GERUND.match(head.lower()):
            other = area_key(f"{shared.group(1)} {rest}")
            if other is not None and other != key and not (spans and spans[-1][1] > shared.start()):
                spans.append((shared.start(1), shared.end(1), other))
        spans.append((m.start(), m.end(), key))
    return spans


def area_key(name: str) -> str | None:
    """The area key for a whole name (a table cell, a list item's left part), or None."""
    cleaned = name.strip(" \t*_:-–—.;?'\"“”‘’")
    pattern, keys = _area_regex()
    m = pattern.fullmatch(cleaned)
    return keys[(m.lastindex or 1) - 1] if m else None


_RI = re.compile(REQUIRES_IMPROVEMENT, re.IGNORECASE)


def grade_key(word: str) -> str | None:
    """A grade word as written (any case, a typo or two) -> its key, or None.

    For whole cells and list items only: in prose, near-misses are ordinary words.
    """
    cleaned = " ".join(fold(word).strip(" *_:-.;'\"()[]").split())
    if not cleaned or len(cleaned) > 30:
        return None
    if cleaned in GRADE_SPELLINGS:
        return GRADE_SPELLINGS[cleaned]
    if _RI.fullmatch(cleaned):
        return "requires-improvement"
    best: tuple[int, str] | None = None
    for spelling, key in GRADE_SPELLINGS.items():
        if len(spelling) < 6:
            continue
        distance = edit_distance(cleaned, spelling, 2)
        if distance <= 2 and (best is None or distance < best[0]):
            best = (distance, key)
    return best[1] if best else None
