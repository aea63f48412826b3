"""Feeds that moved or died, and article pages not to fetch again for a while.

Two tables of schema step 7, apart from `feeds` so its row and upsert stay as they are:

- `feed_fates`: a feed's permanent move (every redirect hop a 301/308: `moved_to`, from
  when) and its 410 Gone (`gone_since`). A row holds for the configured `url` it was seen
  on: once the user points the name at another URL, the row no longer applies (read as
  no fate) and the next save drops it.
- `page_failures`: article pages (by feed and link) whose fetch timed out or overran the
  feed's page budget, how often and when last; `ingest/pagefail.py` decides from them
  which pages a refresh skips.

Functions take the `Store` and use its transactions (`_write`, `_read`), so these writes
get the same lock, `BEGIN IMMEDIATE` and retries as every other.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from heraldtui.core.models import FeedState
from heraldtui.core.storage.rows import from_db, to_db
from heraldtui.core.storage.store import Store

__all__ = [
    "PageFailure",
    "clear_gone",
    "feed_states",
    "page_failures",
    "record_pages",
    "save_fates",
    "with_fates",
]

_UPSERT_FATE = """
    INSERT INTO feed_fates (name, url, moved_to, moved_at, gone_since) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (name) DO UPDATE SET
        url = excluded.url, moved_to = excluded.moved_to, moved_at = excluded.moved_at,
        gone_since = excluded.gone_since
"""
_RECORD_PAGE = """
    INSERT INTO page_failures (feed, link, failures, last, reason) VALUES (?, ?, 1, ?, ?)
    ON CONFLICT (feed, link) DO UPDATE SET
        failures = page_failures.failures + 1, last = excluded.last, reason = excluded.reason
"""


def with_fates(store: Store, states: Sequence[FeedState]) -> list[FeedState]:
    """`states` with their moves and Gone marks (those seen on the state's own URL)."""
    rows = store._read("SELECT name, url, moved_to, moved_at, gone_since FROM feed_fates")
    fates = {row["name"]: row for row in rows}
    out = []
    for state in states:
        row = fates.get(state.name)
        if row is None or row["url"] != state.url:
            out.append(state)
            continue
        out.append(
            dataclasses.replace(
                state,
                moved_to=row["moved_to"],
                moved_at=from_db(row["moved_at"]),
                gone_since=from_db(row["gone_since"]),
            )
        )
    return out


def feed_states(store: Store) -> list[FeedState]:
    """Every stored feed state with its fate: what refresh and the screens read."""
    return with_fates(store, store.feed_states())


def save_fates(store: Store, states: Iterable[FeedState]) -> None:
    """Store each state's move and Gone mark in one transaction (none: the row goes)."""
    rows = [(s.name, s.url, s.moved_to, to_db(s.moved_at), to_db(s.gone_since)) for s in states]
    if not rows:
        return

    def body(conn: sqlite3.Connection) -> None:
        for row in rows:
            if row[2] is None and row[4] is None:
                conn.execute("DELETE FROM feed_fates WHERE name = ?", (row[0],))
            else:
                conn.execute(_UPSERT_FATE, row)

    store._write(body)


def clear_gone(store: Store, name: str) -> bool:
    """Forget that `name` answered 410 Gone, so the next refresh fetches it; False when it
    was not marked gone."""

    def body(conn: sqlite3.Connection) -> bool:
        found = conn.execute(
            "SELECT 1 FROM feed_fates WHERE name = ? AND gone_since IS NOT NULL", (name,)
        ).fetchone()
        conn.execute("UPDATE feed_fates SET gone_since = NULL WHERE name = ?", (name,))
        conn.execute(
            "DELETE FROM feed_fates WHERE name = ? AND moved_to IS NULL AND gone_since IS NULL",
            (name,),
        )
        return found is not None

    return store._write(body)


@dataclass(frozen=True, slots=True)
class PageFailure:
    """An article page that timed out (or overran its feed's budget) `failures` times."""

    link: str
    failures: int
    last: datetime
    reason: str


def page_failures(store: Store, feed: str) -> dict[str, PageFailure]:
    """The feed's failed pages, by link."""
    rows = store._read(
        "SELECT link, failures, last, reason FROM page_failures WHERE feed = ?", (feed,)
    )
    out = {}
    for row in rows:
        last = from_db(row["last"])
        assert last is not None  # NOT NULL column
        out[row["link"]] = PageFailure(row["link"], int(row["failures"]), last, row["reason"])
    return out


def record_pages(
    store: Store,
    feed: str,
    *,
    failed: Mapping[str, str],
    done: Iterable[str] = (),
    keep: Collection[str] | None = None,
    when: datetime,
) -> None:
    """One refresh's pages of `feed`, in one transaction: each `failed` link (with its
    reason) counts one more failure at `when`; each `done` link is forgotten; with `keep`
    (the links the feed still carries), every other link of the feed is forgotten too, so
    the table holds at most one row per item of each feed."""
    stamp = to_db(when)
    fails = [(feed, link, stamp, reason) for link, reason in failed.items()]
    forget = [(feed, link) for link in done if link not in failed]
    kept = None if keep is None else set(keep)

    def body(conn: sqlite3.Connection) -> None:
        conn.executemany(_RECORD_PAGE, fails)
        conn.executemany("DELETE FROM page_failures WHERE feed = ? AND link = ?", forget)
        if kept is not None:
            links = [
                link
                for (link,) in conn.execute(
                    "SELECT link FROM page_failures WHERE feed = ?", (feed,)
                )
                if link not in kept
            ]
            conn.executemany(
                "DELETE FROM page_failures WHERE feed = ? AND link = ?",
                [(feed, link) for link in links],
            )

    if fails or forget or kept is not None:
        store._write(body)
