"""Copies within a story: syndicated articles and reprinted releases, counted once.

Five articles may be two independent sources: a news agency's story run by three
papers, a force's release reprinted by a radio site. Grouping already puts a near copy
in its original's story (`stories/rules.py`, rule 1); here the articles of one story are
compared with each other, and only those, from the sketches of their prose stored with
their facts (`text/sketch.py`), so no text is read again:

- Only prose is sketched (`prose_lines`): lines of at least `PROSE_LINE_WORDS` words,
  not table rows. Grade lists and tables use the inspectorate's own area names, so two
  outlets' independent lists would otherwise look alike.
- Two articles are copies of one text when at least `COPY_CONTAINMENT` of the smaller
  one's shingles are in the other (a shortened or lightly edited copy, a release with a
  paragraph of the outlet's own added) and both have `MIN_SHINGLES` or more (two
  one-line teasers prove nothing). Copies of copies are one family.
- In each family the original is the earliest published; at the same moment, the
  force's, commissioner's or inspectorate's own feed (`OFFICIAL_FEED`: its release is
  what outlets reprint), then the first in the story. Every other member names it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from heraldtui.core.models import Article, ArticleFacts, CopyOf
from heraldtui.core.read.lexicon import OFFICIAL_FEED
from heraldtui.core.text.sketch import containment

__all__ = ["COPY_CONTAINMENT", "MIN_SHINGLES", "PROSE_LINE_WORDS", "find_copies", "prose_lines"]

COPY_CONTAINMENT = 0.5
"""Share of the smaller article's prose shingles the other must hold to be the same
text. Copies measured hold 60-90 %; two outlets' own write-ups of one report, quoting
the same statement, under 40 %."""
MIN_SHINGLES = 20
"""Prose shingles (about 25 words) each article needs before it can be called a copy."""
PROSE_LINE_WORDS = 8
"""Words (runs between spaces) a line needs to count as prose: a grade list's lines
("Preventing crime – good") are shorter."""

_OFFICIAL = re.compile(OFFICIAL_FEED, re.IGNORECASE)
_UNDATED = datetime.max.replace(tzinfo=UTC)


def prose_lines(paragraphs: Iterable[str]) -> list[str]:
    """The lines of `paragraphs` that are prose (see the module docstring)."""
    return [
        line
        for paragraph in paragraphs
        for line in paragraph.split("\n")
        if "|" not in line and len(line.split()) >= PROSE_LINE_WORDS
    ]


def find_copies(articles: Sequence[Article], facts: Sequence[ArticleFacts]) -> tuple[CopyOf, ...]:
    """Each article of a story that copies another of it, with its original, in story
    order (see the module docstring)."""
    usable = [n for n, f in enumerate(facts) if f.sketch.shingles >= MIN_SHINGLES]
    if len(usable) < 2:
        return ()
    parent = list(range(len(articles)))

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for i, a in enumerate(usable):
        for b in usable[i + 1 :]:
            if containment(facts[a].sketch, facts[b].sketch) >= COPY_CONTAINMENT:
                parent[root(b)] = root(a)
    families: dict[int, list[int]] = {}
    for n in usable:
        families.setdefault(root(n), []).append(n)
    originals: dict[int, int] = {}
    for members in families.values():
        if len(members) > 1:
            first = min(members, key=lambda n: _seniority(articles[n], n))
            originals.update((n, first) for n in members if n != first)
    return tuple(
        CopyOf(articles[n].link, articles[originals[n]].link)
        for n in range(len(articles))
        if n in originals and articles[n].link != articles[originals[n]].link
    )


def _seniority(article: Article, index: int) -> tuple[datetime, bool, int]:
    """Earliest first; at the same moment an official feed's, then the story's first."""
    official = bool(_OFFICIAL.search(article.feed))
    return (article.published or _UNDATED, not official, index)
