"""The stored grouping (`stories` and `story_assignments`), written so that processes
sharing one data folder leave what one process would.

Grouping is incremental: a process reads the stored assignments, groups the articles
that have none against them, and writes the stories that changed. Two processes doing
that at once (two readers, a reader and `heraldtui export`) each start from what was
stored when they read it; whichever writes second used to overwrite some of the first
one's stories with stories computed without the first one's articles, and the stories
stayed split for good (nothing new ever touched them again).

So every write of the grouping bumps a counter (`grouping_state.generation`, schema 9) in
its own transaction, and a grouping computed from what was stored at one count is saved
(`save_grouping`) only if the count is still that, checked and written in one
`BEGIN IMMEDIATE` transaction. Otherwise nothing is written and the caller groups again
from what the other process stored. The grouping itself runs outside the write lock: a
first grouping of a large history takes seconds, and a refresh in another process must
not wait that long to store its feeds.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Final

from heraldtui.core.models import Story

if TYPE_CHECKING:
    from heraldtui.core.storage.store import Store

__all__ = ["bump_generation", "generation", "grouping_size", "save_grouping", "write_stories"]

_UPSERT_STORY: Final = (
    "INSERT INTO stories (id, title, kind, force, inspection_type) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (id) DO UPDATE SET title = excluded.title, kind = excluded.kind, "
    "force = excluded.force, inspection_type = excluded.inspection_type"
)
_UPSERT_ASSIGNMENT: Final = (
    "INSERT INTO story_assignments (article_id, story_id) VALUES (?, ?) "
    "ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id "
    "WHERE story_assignments.story_id <> excluded.story_id"
)


def generation(store: Store) -> int:
    """The grouping's write counter now: read it before the listing a grouping starts
    from, and pass it to `save_grouping`."""
    rows = store._raw("SELECT generation FROM grouping_state WHERE id = 1")
    return int(rows[0][0]) if rows else 0


def bump_generation(conn: sqlite3.Connection) -> int:
    """Count one more write of the grouping, inside the caller's write transaction."""
    conn.execute(
        "INSERT INTO grouping_state (id, generation) VALUES (1, 1) "
        "ON CONFLICT (id) DO UPDATE SET generation = generation + 1"
    )
    return int(conn.execute("SELECT generation FROM grouping_state WHERE id = 1").fetchone()[0])


def write_stories(
    conn: sqlite3.Connection, stories: Sequence[Story], removed: Iterable[str] = ()
) -> int:
    """Record stories (headers and members) and drop `removed` ones, inside the caller's
    write transaction; returns the new generation."""
    conn.executemany("DELETE FROM stories WHERE id = ?", [(sid,) for sid in removed])
    conn.executemany(
        _UPSERT_STORY, [(s.id, s.title, s.kind, s.force, s.inspection_type) for s in stories]
    )
    conn.executemany(_UPSERT_ASSIGNMENT, [(a.id, s.id) for s in stories for a in s.articles])
    return bump_generation(conn)


def save_grouping(
    store: Store,
    stories: Sequence[Story],
    removed: Sequence[str] = (),
    *,
    expected: int,
    replace: bool = False,
) -> int | None:
    """Save a grouping computed from what was stored at generation `expected`: its
    changed `stories` and the ids of stories that no longer exist (`removed`), or, with
    `replace`, every story, over nothing else (a regroup from scratch).

    Returns the new generation, or None when another process saved a grouping since
    `expected`: then nothing is written, and the caller groups again.
    """
    removed = list(removed)  # the body may run again when the database is locked

    def body(conn: sqlite3.Connection) -> int | None:
        row = conn.execute("SELECT generation FROM grouping_state WHERE id = 1").fetchone()
        if (int(row[0]) if row else 0) != expected:
            return None
        if replace:
            conn.execute("DELETE FROM story_assignments")
            conn.execute("DELETE FROM stories")
        return write_stories(conn, stories, removed)

    return store._write(body)


def grouping_size(store: Store) -> tuple[int, int]:
    """(stored articles, stories they are grouped in), for `heraldtui rebuild` to report."""
    rows = store._raw(
        "SELECT (SELECT count(*) FROM articles), "
        "(SELECT count(DISTINCT sa.story_id) FROM story_assignments sa "
        "JOIN articles a ON a.id = sa.article_id)"
    )
    return int(rows[0][0]), int(rows[0][1])
