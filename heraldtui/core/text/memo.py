"""Readings of short texts kept for when the same text comes again.

Outlets repeat paragraphs (a standing line under every item, a press release or agency
copy printed by several) and headlines ("Weekly crime round-up"), and the articles that
print one are near in time, so grouping reads each such text once (`stories.reading`,
`read.forces`, `stories.features`). Only short texts are kept: a news paragraph runs to a
few hundred characters (the real articles we measure: half under 170, 99 % under 530),
and keeping the long ones would let a hostile feed of one-paragraph articles fill memory.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

__all__ = ["LONGEST_KEPT", "TEXTS_KEPT", "kept_when_short"]

TEXTS_KEPT = 4096
"""Texts whose reading each such function keeps, the most recently read. Grouping's three
paragraph tables hold about 1.7 KB a paragraph on the benchmark streams (7 MB in all), and
at most about 25 KB whatever a feed holds (600 characters of two-letter words, or of one
capitalised run): 100 MB."""
LONGEST_KEPT = 600
"""The longest text kept, in characters; longer ones are read every time."""

_T = TypeVar("_T")


def kept_when_short(read: Callable[[str], _T]) -> Callable[[str], _T]:
    """`read`, its answers for the last `TEXTS_KEPT` texts of at most `LONGEST_KEPT`
    characters kept (`read` must be a pure function of the text, and its answers never
    changed by their callers)."""
    kept = lru_cache(maxsize=TEXTS_KEPT)(read)

    @wraps(read)
    def reading(text: str) -> _T:
        return kept(text) if len(text) <= LONGEST_KEPT else read(text)

    return reading
