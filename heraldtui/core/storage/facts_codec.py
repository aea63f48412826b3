"""`ArticleFacts` as compact JSON, for the `article_facts` table.

Positional arrays, not objects: a store holds one record per article, and an export
decodes tens of thousands of them, so the shape is what `json` reads fastest and the
smallest text. The document is six lists (grades, counts, quotes, meetings, people,
documents) and the prose sketch (`[shingles, hashes]`, the hashes as base64 of 32-bit
big-endian words: a fifth of their size as JSON numbers), trailing empty ones left out;
each item is the record's fields in declaration order, dates and times in ISO 8601.
Readable with the `sqlite3` shell. Rows are read only under the extractor version that
wrote them, so a shape that grows with a version bump needs no migration; changing the
shape under one version needs a migration that empties the table (see `schema.py`).

`decode_facts` raises `ValueError` on anything it did not write: the store then treats
the row as missing, and the facts are extracted again.
"""

from __future__ import annotations

import base64
import json
from datetime import date, time
from typing import Any

from heraldtui.core.models import (
    ArticleFacts,
    CountStated,
    DocumentStated,
    GradeStated,
    MeetingStated,
    PersonStated,
    QuoteStated,
    TextSketch,
)

__all__ = ["decode_facts", "encode_facts"]

_EMPTY = ArticleFacts()
_PARTS = 7


def _encode_sketch(sketch: TextSketch) -> list[Any]:
    if not sketch.shingles:
        return []
    return [sketch.shingles, base64.b64encode(sketch.packed).decode("ascii")]


def _decode_sketch(part: list[Any]) -> TextSketch:
    if not part:
        return TextSketch()
    shingles, text = part
    packed = base64.b64decode(text, validate=True)
    if not isinstance(shingles, int) or len(packed) % 4:
        raise ValueError("not a sketch")
    return TextSketch(shingles, packed)


def encode_facts(facts: ArticleFacts) -> str:
    parts: list[list[Any]] = [
        [[g.area, g.grade, g.start, g.structured, g.historic] for g in facts.grades],
        [[c.grade, c.count, c.start] for c in facts.counts],
        [[q.text, q.speaker, q.role, q.start] for q in facts.quotes],
        [
            [
                m.name,
                m.date.isoformat(),
                None if m.time is None else m.time.isoformat(),
                m.url,
                m.where,
                m.weekday_mismatch,
                m.start,
            ]
            for m in facts.meetings
        ],
        [
            [p.name, p.first, p.surname, p.role, p.start, p.caption, p.honorific]
            for p in facts.people
        ],
        [[d.url, d.kind] for d in facts.documents],
        _encode_sketch(facts.sketch),
    ]
    while parts and not parts[-1]:
        parts.pop()
    return json.dumps(parts, ensure_ascii=False, separators=(",", ":"))


def decode_facts(text: str) -> ArticleFacts:
    try:
        parts = json.loads(text)
        if not isinstance(parts, list) or len(parts) > _PARTS:
            raise ValueError("not a facts record")
        if not parts:
            return _EMPTY
        parts += [[]] * (_PARTS - len(parts))
        grades, counts, quotes, meetings, people, documents, sketch = parts
        return ArticleFacts(
            grades=tuple(GradeStated(*g) for g in grades),
            counts=tuple(CountStated(*c) for c in counts),
            quotes=tuple(QuoteStated(*q) for q in quotes),
            meetings=tuple(
                MeetingStated(
                    name,
                    date.fromisoformat(day),
                    None if clock is None else time.fromisoformat(clock),
                    url,
                    where,
                    mismatch,
                    start,
                )
                for name, day, clock, url, where, mismatch, start in meetings
            ),
            people=tuple(PersonStated(*p) for p in people),
            documents=tuple(DocumentStated(*d) for d in documents),
            sketch=_decode_sketch(sketch),
        )
    except (TypeError, ValueError) as exc:  # json's errors are ValueErrors too
        raise ValueError(f"not a facts record: {exc}") from None
