"""The local database: feed states, articles with their read marks, story grouping and
each article's extracted facts.

One SQLite file holds everything heraldtui remembers between runs. How it is used:

- **Connections and threads.** A `Store` owns one connection opened with
  `check_same_thread=False`; every use of it is guarded by one `threading.RLock`, so the
  TUI's worker threads and `asyncio.to_thread` calls may share a `Store` freely. Queries are
  short, so serialising them in-process costs little, and SQLite serialises writers anyway.
  Several `Store` objects (or processes) on the same file are fine too: the file is in WAL
  mode (readers never block the writer), each connection waits up to `BUSY_TIMEOUT_MS` for a
  lock, and every write transaction starts with `BEGIN IMMEDIATE` (so it takes the write
  lock up front and can never fail half-way on a lock upgrade) and is retried a few times
  with back-off if the database stays locked.
- **Transactions.** The connection runs in autocommit mode and every public write is one
  explicit transaction: it all happens or, on any exception, none of it does.
- **Schema.** `PRAGMA user_version` holds the schema version; `MIGRATIONS` is an ordered list
  and each step runs in its own transaction together with the version bump, so an
  interrupted upgrade resumes where it stopped. A file from a newer heraldtui is refused
  rather than misread.
- **Articles** are keyed by `Article.id` (a hash of their feed's `key` and guid) and also
  carry `UNIQUE(feed, guid)`. A feed's key is fixed when it is first stored, so a feed
  renamed in feeds.toml keeps its articles' ids (`adopt_feeds`, `feed_keys.py`). Saving a
  feed's items is an upsert: new items are inserted, changed ones updated, and
  `read`/`starred` are never touched by a refresh. An item that comes back with empty
  content keeps the text already stored (the refresh does not re-fetch pages it already
  has) and one that comes back without a date keeps its stored date.
- **Dates** are stored as fixed-width ISO 8601 text in UTC with microseconds, so text
  order is time order and the file stays readable with the `sqlite3` shell.
- **Speed.** Items are written with `executemany` in one transaction per feed; listing
  selects only the columns it needs, and `articles(with_content=False)` skips the bodies,
  which are most of the file, for a quick start-up listing.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Final, TypeVar

from heraldtui.core.errors import StoreError
from heraldtui.core.models import (
    Article,
    FeedSource,
    FeedState,
    Story,
)
from heraldtui.core.storage import feed_keys
from heraldtui.core.storage.grouping import bump_generation, write_stories
from heraldtui.core.storage.rows import (
    ARTICLES,
    LISTED,
    UNDATED,
    WITH_HEADER,
    StoryHeader,
    feed_state_row,
    like_article,
    listed_article,
    read_feed_state,
    story_header,
    to_db,
)
from heraldtui.core.storage.schema import (
    FEED_COLUMNS,
    LIST_ORDER,
    MIGRATIONS,
    SCHEMA_VERSION,
    UPSERT_ARTICLE,
    UPSERT_FACTS,
    UPSERT_FEED,
    Migration,
)

if TYPE_CHECKING:
    from heraldtui.core.models import ArticleFacts

__all__ = ["Store", "content_hash"]

BUSY_TIMEOUT_MS: Final = 5000
"""How long one statement waits for another connection's lock before giving up."""
WRITE_ATTEMPTS: Final = 5
"""Write transactions that still find the database locked are retried this many times."""
RETRY_DELAY_S: Final = 0.05
"""First back-off between write attempts; doubled after each one."""

_T = TypeVar("_T")


def content_hash(text: str) -> str:
    """A short fingerprint of an article's text, to tell whether it changed."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _is_locked(exc: sqlite3.OperationalError) -> bool:
    message = str(exc).lower()
    return "locked" in message or "busy" in message


def _file_identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of the file at `path`, None when there is none."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_dev, info.st_ino


class Store:
    """heraldtui's SQLite database; safe to share between threads of one process."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the data folder {self.path.parent}: {exc.strerror or exc}"
            ) from exc
        try:
            self._conn: sqlite3.Connection | None = sqlite3.connect(
                self.path,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database {self.path}: {exc}") from exc
        try:
            self._identity = _file_identity(self.path)
            self._configure()
            self._migrate()
        except BaseException:
            self.close()
            raise

    # -- lifecycle ---------------------------------------------------------------------

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection; further calls raise `StoreError`. Calling twice is fine."""
        with self._lock:
            conn, self._conn = self._conn, None
            if conn is None:
                return
            try:
                conn.execute("PRAGMA optimize")
            except sqlite3.Error:
                pass  # only statistics; never worth failing a close for
            finally:
                conn.close()

    @property
    def schema_version(self) -> int:
        with self._lock:
            return int(self._connection().execute("PRAGMA user_version").fetchone()[0])

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreError(f"the database {self.path} is closed")
        return self._conn

    def _configure(self) -> None:
        conn = self._connection()
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            # WAL may be refused (some network file systems); the store still works, with
            # readers and the writer taking turns.
            self._retrying(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone())
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot use the database {self.path}: {exc}") from exc

    def _migrate(self) -> None:
        """Bring the schema to `SCHEMA_VERSION`, one migration per transaction."""
        self._refuse_newer()
        for target, statements in enumerate(MIGRATIONS, start=1):

            def step(
                conn: sqlite3.Connection, target: int = target, sql: Migration = statements
            ) -> None:
                # Re-read inside the write lock: another process may have migrated already.
                current = int(conn.execute("PRAGMA user_version").fetchone()[0])
                if current >= target:
                    return
                for statement in sql:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {target}")

            if self.schema_version < target:
                self._write(step)

    def _refuse_newer(self) -> None:
        found = self.schema_version
        if found > SCHEMA_VERSION:
            raise StoreError(
                f"the database {self.path} has schema version {found}, newer than this "
                f"heraldtui understands ({SCHEMA_VERSION}); upgrade heraldtui or use "
                "another data folder"
            )

    # -- transactions ------------------------------------------------------------------

    def _retrying(self, action: Callable[[], _T]) -> _T:
        delay = RETRY_DELAY_S
        for attempt in range(WRITE_ATTEMPTS):
            try:
                return action()
            except sqlite3.OperationalError as exc:
                if not _is_locked(exc) or attempt == WRITE_ATTEMPTS - 1:
                    raise
            time.sleep(delay)
            delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    def _write(self, body: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run `body` in one write transaction: committed whole or rolled back whole.

        `body` may be run more than once (when the database is locked), so it must not
        consume one-shot iterators it was given.
        """

        def attempt() -> _T:
            conn = self._connection()
            self._check_still_there()
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = body(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            return result

        with self._lock:
            try:
                return self._retrying(attempt)
            except sqlite3.Error as exc:
                raise StoreError(f"cannot write to the database {self.path}: {exc}") from exc

    def _check_still_there(self) -> None:
        """SQLite goes on writing into a database file that was deleted (the open file
        lives on, unreachable): every later write would "succeed" and be lost. One stat
        per transaction tells the user instead."""
        if _file_identity(self.path) != self._identity:
            raise StoreError(
                f"the data folder {self.path.parent} was deleted or replaced while heraldtui "
                "ran: nothing more can be saved; restart heraldtui"
            )

    def _read(self, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
        with self._lock:
            conn = self._connection()
            try:
                cursor = conn.execute(sql, params)
                cursor.row_factory = sqlite3.Row
                return cursor.fetchall()
            except sqlite3.Error as exc:
                raise StoreError(f"cannot read the database {self.path}: {exc}") from exc

    # -- feeds -------------------------------------------------------------------------

    def feed_states(self) -> list[FeedState]:
        """Every feed the store knows, by name."""
        rows = self._read(f"SELECT {FEED_COLUMNS} FROM feeds ORDER BY name")
        return [read_feed_state(row) for row in rows]

    def feed_state(self, name: str) -> FeedState | None:
        rows = self._read(f"SELECT {FEED_COLUMNS} FROM feeds WHERE name = ?", (name,))
        return read_feed_state(rows[0]) if rows else None

    def save_feed_state(self, state: FeedState) -> None:
        self._write(lambda conn: conn.execute(UPSERT_FEED, feed_state_row(state)))

    def adopt_feeds(self, feeds: Sequence[FeedSource]) -> list[FeedState]:
        """Every stored state once the configured `feeds` are stored, renamed ones under
        their new name (`feed_keys.adopt`); writes only if a name is not stored yet."""
        if feed_keys.has_new_names(self._raw("SELECT name FROM feeds"), feeds):
            self._write(lambda conn: feed_keys.adopt(conn, feeds))
        return self.feed_states()

    def save_feed_states(self, states: Iterable[FeedState]) -> None:
        """Several feeds' states in one transaction (a refresh's unchanged feeds)."""
        rows = [feed_state_row(state) for state in states]  # may be a one-shot iterator
        if rows:
            self._write(lambda conn: conn.executemany(UPSERT_FEED, rows))

    # -- articles ----------------------------------------------------------------------

    def save_feed_result(self, state: FeedState, articles: Sequence[Article]) -> int:
        """Store a refreshed feed's state and items in one transaction; returns how many are new.

        Items seen before are updated where the feed changed them; their read and starred
        marks stay as the user left them.
        """
        now = to_db(datetime.now(UTC))

        def body(conn: sqlite3.Connection) -> int:
            conn.execute(UPSERT_FEED, feed_state_row(state))
            (key,) = conn.execute("SELECT key FROM feeds WHERE name = ?", (state.name,)).fetchone()
            known = {
                guid
                for (guid,) in conn.execute(
                    "SELECT guid FROM articles WHERE feed = ?", (state.name,)
                )
            }
            new: set[str] = set()

            def rows() -> Iterator[tuple[object, ...]]:
                for article in articles:
                    if article.feed != state.name:
                        raise StoreError(
                            f"article {article.guid!r} belongs to feed {article.feed!r}, "
                            f"not {state.name!r}"
                        )
                    if (article.feed_key or article.feed) != key:  # its id would be wrong
                        raise StoreError(
                            f"article {article.guid!r} is keyed {article.feed_key!r}, not as "
                            f"its feed {state.name!r} is stored ({key!r})"
                        )
                    if article.guid not in known:
                        new.add(article.guid)
                    yield (
                        article.id,
                        article.feed,
                        article.guid,
                        article.link,
                        article.title,
                        article.author,
                        to_db(article.published),
                        article.summary,
                        article.content,
                        content_hash(article.content),
                        now,
                    )

            conn.executemany(UPSERT_ARTICLE, rows())
            return len(new)

        return self._write(body)

    def articles(self, *, feed: str | None = None, with_content: bool = True) -> list[Article]:
        """Stored articles, oldest first (undated last), with their read and starred marks.

        `with_content=False` leaves `content` empty and skips reading the bodies: a fast
        listing for start-up; fetch one article's text with `article(id)` when it is shown.
        """
        columns = LISTED + (", a.content" if with_content else ", '' AS content")
        where, params = ("WHERE a.feed = ?", (feed,)) if feed is not None else ("", ())
        rows = self._raw(f"SELECT {columns} FROM {ARTICLES} {where} {LIST_ORDER}", params)
        return [listed_article(row) for row in rows]

    def listing(self) -> list[tuple[Article, StoryHeader | None]]:
        """Every article without its text, with the story the grouping last put it in.

        One query instead of three and two lookups per article: this is the reader's
        start-up path, and it runs over every stored article.
        """
        rows = self._raw(
            f"SELECT {WITH_HEADER} FROM {ARTICLES} "
            "LEFT JOIN story_assignments sa ON sa.article_id = a.id "
            "LEFT JOIN stories s ON s.id = sa.story_id "
            "ORDER BY a.published IS NULL, a.published, a.id"
        )
        return [(listed_article(row), story_header(row)) for row in rows]

    def newest_listing(
        self, limit: int, keep: Callable[[str], bool] = lambda feed: True
    ) -> list[tuple[Article, StoryHeader]]:
        """The stored stories whose latest article (of a feed `keep` accepts) is newest:
        at least `limit` of them (every story tied with the last one too), or all there
        are, each with every article it holds, without their text, in listing order.

        It walks the `published` index from the newest article back and stops once it
        has seen `limit` stories, so it costs what the reader's first page shows, not
        what is stored. Articles without a stored story are not in it (the full
        `listing()` groups them).
        """
        if limit < 1:
            return []
        chosen: dict[str, None] = {}  # story ids, in the order of their latest article
        with self._lock:
            conn = self._connection()
            try:
                cursor = conn.execute(
                    "SELECT a.published, a.feed, sa.story_id FROM articles a "
                    "JOIN story_assignments sa ON sa.article_id = a.id "
                    "JOIN stories s ON s.id = sa.story_id "
                    "ORDER BY a.published DESC"  # undated (NULL) last
                )
                full, last = False, None
                for published, feed, story_id in cursor:  # one row at a time
                    if full and published != last:
                        break  # past the last story's time: every story tied with it is in
                    if story_id in chosen or not keep(feed):
                        continue
                    chosen[story_id] = None
                    if len(chosen) == limit:
                        full, last = True, published
                cursor.close()
            except sqlite3.Error as exc:
                raise StoreError(f"cannot read the database {self.path}: {exc}") from exc
        out = self.whole_stories(chosen)
        out.sort(key=lambda pair: (pair[0].published or UNDATED, pair[0].id))
        return out

    def whole_stories(
        self, ids: Iterable[str], *, holding: bool = False
    ) -> list[tuple[Article, StoryHeader]]:
        """Every article (without its text) of the stored stories `ids` names, or with
        `holding`, of the stories that hold the articles `ids` names, with its header."""
        wanted = list(dict.fromkeys(ids))
        stories = (
            "(SELECT story_id FROM story_assignments WHERE article_id IN ({}))"
            if holding
            else "({})"
        )
        out: list[tuple[Article, StoryHeader]] = []
        for start in range(0, len(wanted), 500):  # SQLite caps bound parameters
            chunk = wanted[start : start + 500]
            rows = self._raw(
                f"SELECT {WITH_HEADER} FROM story_assignments sa "
                "JOIN articles a ON a.id = sa.article_id "
                "JOIN feeds f ON f.name = a.feed "
                "JOIN stories s ON s.id = sa.story_id "
                f"WHERE sa.story_id IN {stories.format(', '.join('?' * len(chunk)))}",
                chunk,
            )
            for row in rows:
                header = story_header(row)
                assert header is not None  # joined, never missing
                out.append((listed_article(row), header))
        return out

    def articles_by_id(
        self, ids: Iterable[str], *, like: Mapping[str, Article] | None = None
    ) -> list[Article]:
        """The stored articles among `ids`, with content, in listing order. `like` holds
        copies of some of them read earlier (listed without their text): what is equal in
        both is shared with those (`rows.like_article`), not held twice."""
        wanted = list(dict.fromkeys(ids))
        found: list[Article] = []
        for start in range(0, len(wanted), 500):  # SQLite caps bound parameters
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            rows = self._raw(
                f"SELECT {LISTED}, a.content, a.id FROM {ARTICLES} WHERE a.id IN ({marks}) "
                + LIST_ORDER,
                chunk,
            )
            if like is None:
                found += [listed_article(row) for row in rows]
            else:
                found += [
                    listed_article(row)
                    if (old := like.get(row[11])) is None
                    else like_article(row, old)
                    for row in rows
                ]
        return found

    def article(self, article_id: str) -> Article | None:
        """One article with its full content, or None if it is not stored."""
        sql = f"SELECT {LISTED}, a.content FROM {ARTICLES} WHERE a.id = ?"
        rows = self._raw(sql, (article_id,))
        return listed_article(rows[0]) if rows else None

    def article_count(self, *, feed: str | None = None) -> int:
        if feed is None:
            rows = self._raw("SELECT count(*) FROM articles")
        else:
            rows = self._raw("SELECT count(*) FROM articles WHERE feed = ?", (feed,))
        return int(rows[0][0])

    def stored_content(self, feed: str) -> dict[str, str]:
        """guid -> stored main text, for the items of `feed` that have one.

        The refresh uses it to reuse a page's text fetched on an earlier run instead of
        fetching the page again.
        """
        rows = self._raw(
            "SELECT guid, content FROM articles WHERE feed = ? AND content <> ''", (feed,)
        )
        return {guid: content for guid, content in rows}

    def _raw(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Rows as plain tuples: the fast path for large listings."""
        with self._lock:
            conn = self._connection()
            try:
                return conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise StoreError(f"cannot read the database {self.path}: {exc}") from exc

    # -- extracted facts ---------------------------------------------------------------

    def article_facts(self, sources: Mapping[str, str], version: int) -> dict[str, ArticleFacts]:
        """The stored facts of the articles in `sources` that are still current.

        `sources` maps an article id to the fingerprint of what the extractors read of it
        now (`facts.extract.facts_source`); a row stored for another fingerprint or
        another extractor `version`, or one that cannot be read, is left out: the caller
        extracts those articles again and saves their facts over it.
        """
        from heraldtui.core.storage.facts_codec import decode_facts

        found: dict[str, ArticleFacts] = {}
        ids = list(sources)
        for start in range(0, len(ids), 500):  # SQLite caps bound parameters
            chunk = ids[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            rows = self._raw(
                "SELECT article_id, source, version, facts FROM article_facts "
                f"WHERE article_id IN ({marks})",
                chunk,
            )
            for article_id, source, stored_version, text in rows:
                if source != sources[article_id] or stored_version != version:
                    continue
                try:
                    found[article_id] = decode_facts(text)
                except ValueError:
                    continue
        return found

    def save_article_facts(
        self, rows: Iterable[tuple[str, str, ArticleFacts]], version: int
    ) -> None:
        """Store articles' facts, `(article id, source fingerprint, facts)`, extracted by
        extractor `version`, in one transaction, over whatever was stored for them.

        Facts of an article the store does not hold are not kept (they would outlive it).
        """
        from heraldtui.core.storage.facts_codec import encode_facts

        encoded = [
            (article_id, source, version, encode_facts(facts), article_id)
            for article_id, source, facts in rows  # may be a one-shot iterator
        ]
        if encoded:
            self._write(lambda conn: conn.executemany(UPSERT_FACTS, encoded))

    # -- read marks --------------------------------------------------------------------

    def set_read(self, ids: Iterable[str], read: bool) -> None:
        self._set_flag("read", ids, read)

    def set_starred(self, ids: Iterable[str], starred: bool) -> None:
        self._set_flag("starred", ids, starred)

    def _set_flag(self, column: str, ids: Iterable[str], value: bool) -> None:
        rows = [(int(value), article_id) for article_id in ids]  # may be a one-shot iterator
        sql = f"UPDATE articles SET {column} = ? WHERE id = ?"
        self._write(lambda conn: conn.executemany(sql, rows))

    # -- grouping ----------------------------------------------------------------------

    def story_assignments(self) -> dict[str, str]:
        """article id -> story id, as the grouping last saved it."""
        rows = self._raw("SELECT article_id, story_id FROM story_assignments")
        return {str(article_id): str(story_id) for article_id, story_id in rows}

    def save_stories(self, stories: Sequence[Story], removed: Iterable[str] = ()) -> None:
        """Record stories (headers and which articles they hold) in one transaction.

        `removed` are ids of stories that no longer exist (merged into another, or
        split); their articles are moved by the stories that hold them now. Grouping
        saves through `grouping.save_grouping`, which first checks that no other process
        regrouped since it read the store.
        """
        gone = list(removed)
        self._write(lambda conn: write_stories(conn, stories, gone))

    def save_story_assignments(self, mapping: Mapping[str, str]) -> None:
        """Record (or move) articles into stories; other articles keep their story."""
        rows = list(mapping.items())
        sql = (
            "INSERT INTO story_assignments (article_id, story_id) VALUES (?, ?) "
            "ON CONFLICT (article_id) DO UPDATE SET story_id = excluded.story_id "
            "WHERE story_assignments.story_id <> excluded.story_id"
        )

        def body(conn: sqlite3.Connection) -> None:
            conn.executemany(sql, rows)
            bump_generation(conn)

        self._write(body)
