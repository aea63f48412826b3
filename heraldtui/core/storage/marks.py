"""Marks and arrivals a digest for cron needs: which articles a refresh brought, and
read marks written together with a digest, or not at all.

Kept apart from `store.py` (which is long enough); these are functions of a `Store`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from heraldtui.core.storage.store import Store


def new_article_ids(store: Store, since: datetime) -> set[str]:
    """The articles first stored at or after `since` (a refresh's start): `first_seen` is
    written once, when an item is first stored, and never by a later refresh."""
    moment = since.astimezone(UTC).isoformat(timespec="microseconds")
    rows = store._raw("SELECT id FROM articles WHERE first_seen >= ?", (moment,))
    return {article_id for (article_id,) in rows}


def mark_read_with(store: Store, ids: Iterable[str], deliver: Callable[[], None]) -> None:
    """Mark `ids` read in the transaction that runs `deliver` (the digest's write): when
    `deliver` raises, the transaction rolls back and nothing is marked; the marks are
    committed only once it returned.

    `deliver` runs after the marks are written and the write lock is held, so no other
    process can commit in between; should the database be locked before that, it may be
    run again, which an atomic file write allows.
    """
    rows = [(article_id,) for article_id in ids]

    def body(conn: sqlite3.Connection) -> None:
        conn.executemany("UPDATE articles SET read = 1 WHERE id = ?", rows)
        deliver()

    store._write(body)
