"""The reader's corrections to the grouping, as stored (table `corrections`, schema 8).

Kept apart from the stored grouping (`story_assignments`), which stays what the algorithm
decided: the grouping can be dropped and recomputed (a migration, `rebuild`) and the
corrections are applied after it again (`stories/corrections.py`). Functions take the
`Store` and use its transactions, so a correction is written whole or not at all.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, cast

from heraldtui.core.models import Article, Correction, CorrectionAction
from heraldtui.core.storage.rows import StoryHeader
from heraldtui.core.storage.store import Store

_COLUMNS = "id, made, action, article_id, anchor_id, note"


def _correction(row: tuple[Any, ...]) -> Correction:
    made = datetime.fromisoformat(row[1])
    return Correction(
        id=int(row[0]),
        made=made if made.tzinfo else made.replace(tzinfo=UTC),
        action=cast(CorrectionAction, row[2]),
        article=str(row[3]),
        anchor=None if row[4] is None else str(row[4]),
        note=str(row[5]),
    )


def add_correction(
    store: Store,
    action: CorrectionAction,
    article: str,
    anchor: str | None = None,
    *,
    note: str = "",
    made: datetime | None = None,
) -> Correction:
    """Store one correction and return it with its id (later ones apply after it)."""
    when = (made or datetime.now(UTC)).isoformat()

    def body(conn: sqlite3.Connection) -> Correction:
        cursor = conn.execute(
            "INSERT INTO corrections (made, action, article_id, anchor_id, note) "
            "VALUES (?, ?, ?, ?, ?)",
            (when, action, article, anchor, note),
        )
        row = conn.execute(
            f"SELECT {_COLUMNS} FROM corrections WHERE id = ?", (cursor.lastrowid,)
        ).fetchone()
        return _correction(row)

    return store._write(body)


def list_corrections(store: Store) -> list[Correction]:
    """Every stored correction, in the order they were made (the order they apply in)."""
    return [
        _correction(row) for row in store._raw(f"SELECT {_COLUMNS} FROM corrections ORDER BY id")
    ]


def remove_correction(store: Store, correction_id: int | None = None) -> Correction | None:
    """Undo one correction (the latest when `correction_id` is None); the removed one, or
    None when there was none such."""

    def body(conn: sqlite3.Connection) -> Correction | None:
        if correction_id is None:
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM corrections ORDER BY id DESC LIMIT 1"
            ).fetchone()
        else:
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM corrections WHERE id = ?", (correction_id,)
            ).fetchone()
        if row is None:
            return None
        conn.execute("DELETE FROM corrections WHERE id = ?", (row[0],))
        return _correction(row)

    return store._write(body)


def stories_holding(store: Store, article_ids: Iterable[str]) -> list[tuple[Article, StoryHeader]]:
    """Every article (without its text) of the stored stories that hold any of
    `article_ids`, with its story's header: what a partial listing (the reader's first
    page) adds so the corrections anchored on those articles see whole stories."""
    return store.whole_stories(article_ids, holding=True)
