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


_DETERMINER = r"(?:its|the|their|our)"
_THE_PUBLIC = r"(?:(?:members\s+of\s+)?the\s+public|people)"


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
    return re.compile(rf"\b(?:{body})\b", re.IGNORECASE), tuple(key for _, key in pairs)


def area_spans(text: str) -> list[tuple[int, int, str]]:
    pattern, keys = _area_regex()
    return [(m.start(), m.end(), keys[(m.lastindex or 1) - 1]) for m in pattern.finditer(text)]


def area_key(name: str) -> str | None:
    """The area key for a whole name (a table cell, a list item's left part), or None."""
    cleaned = name.strip(" \t*_:-–—.;'\"“”‘’")
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
