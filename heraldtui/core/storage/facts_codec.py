"""`ArticleFacts` as compact JSON, for the `article_facts` table.

Positional arrays, not objects: a store holds one record per article, and an export
decodes tens of thousands of them, so the shape is what `json` reads fastest and the
smallest text. The document is five lists (grades, counts, quotes, meetings, people),
trailing empty ones left out; each item is the record's fields in declaration order,
dates and times in ISO 8601. Readable with the `sqlite3` shell; changing the shape needs
a migration that empties the table (see `schema.py`).

`decode_facts` raises `ValueError` on anything it did not write: the store then treats
the row as missing, and the facts are extracted again.
"""

from __future__ import annotations

import json
from datetime import date, time
from typing import Any

from heraldtui.core.models import (
    ArticleFacts,
    CountStated,
    GradeStated,
    MeetingStated,
    PersonStated,
    QuoteStated,
)

__all__ = ["decode_facts", "encode_facts"]

_EMPTY = ArticleFacts()


def encode_facts(facts: ArticleFacts) -> str:
    parts: list[list[list[Any]]] = [
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
    ]
    while parts and not parts[-1]:
        parts.pop()
    return json.dumps(parts, ensure_ascii=False, separators=(",", ":"))


def decode_facts(text: str) -> ArticleFacts:
    try:
        parts = json.loads(text)
        if not isinstance(parts, list) or len(parts) > 5:
            raise ValueError("not a facts record")
        if not parts:
            return _EMPTY
        parts += [[]] * (5 - len(parts))
        grades, counts, quotes, meetings, people = parts
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
        )
    except (TypeError, ValueError) as exc:  # json's errors are ValueErrors too
        raise ValueError(f"not a facts record: {exc}") from None
