"""The database's shape: its migrations, one per schema version, and the statements
that write and list it (kept with the tables they name, so a column is added in one file).

`store.py` runs them; each migration runs in its own transaction with the version bump,
so an interrupted upgrade resumes where it stopped.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "FEED_COLUMNS",
    "LIST_ORDER",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "UPSERT_ARTICLE",
    "UPSERT_FACTS",
    "UPSERT_FEED",
    "Migration",
]

Migration = tuple[str, ...]
"""The statements of one schema step, run in one transaction (never `executescript`,
which would commit half-way)."""

MIGRATIONS: Final[tuple[Migration, ...]] = (
    # 1: feeds and their articles.
    (
        """
        CREATE TABLE feeds (
            name          TEXT PRIMARY KEY,
            url           TEXT NOT NULL,
            status        TEXT NOT NULL DEFAULT 'never',
            last_fetch    TEXT,
            etag          TEXT,
            last_modified TEXT,
            content_hash  TEXT,
            retry_after   TEXT,
            error         TEXT,
            warning       TEXT,
            items         INTEGER NOT NULL DEFAULT 0
        )
        """,
        """
        CREATE TABLE articles (
            id           TEXT PRIMARY KEY,
            feed         TEXT NOT NULL REFERENCES feeds(name) ON DELETE CASCADE,
            guid         TEXT NOT NULL CHECK (guid <> ''),
            link         TEXT NOT NULL,
            title        TEXT NOT NULL,
            author       TEXT,
            published    TEXT,
            summary      TEXT NOT NULL,
            content      TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            read         INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
            starred      INTEGER NOT NULL DEFAULT 0 CHECK (starred IN (0, 1)),
            first_seen   TEXT NOT NULL,
            UNIQUE (feed, guid)
        )
        """,
    ),
    # 2: which story each article belongs to, kept by the grouping between runs. No
    # foreign key to articles: grouping may be computed for articles not stored yet.
    (
        """
        CREATE TABLE story_assignments (
            article_id TEXT PRIMARY KEY,
            story_id   TEXT NOT NULL
        )
        """,
        "CREATE INDEX story_assignments_story ON story_assignments (story_id)",
    ),
    # 3: each story's headline, kind and force as the grouping last decided them, so a
    # start-up can list tens of thousands of stories without analysing any text again.
    (
        """
        CREATE TABLE stories (
            id    TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            kind  TEXT NOT NULL,
            force TEXT
        )
        """,
    ),
    # 4: each inspection story's kind of inspection (PEEL, crime data integrity, Engage,
    # fire, ...). The grouping that decided the stored stories did not know it, and its
    # rules changed with it, so the stored grouping is dropped: the next listing regroups
    # every stored article once (story ids derive from articles, so stories keep theirs;
    # read marks are the articles').
    (
        "ALTER TABLE stories ADD COLUMN inspection_type TEXT",
        "DELETE FROM story_assignments",
        "DELETE FROM stories",
    ),
    # 5: articles by date, so the reader's first page of stories is read from the newest
    # article back (`Store.newest_listing`) and costs what it shows, not what is stored.
    ("CREATE INDEX articles_published ON articles (published)",),
    # 6: each article's extracted facts (`facts.extract`), so a merge reads no text. A row
    # holds while its `source` (a hash of what the extractors read) and `version` (the
    # extractor's) match the article; otherwise it is extracted again and replaced.
    # `facts` is `storage/facts_codec.py`'s JSON: a migration that changes that shape
    # must empty this table.
    (
        """
        CREATE TABLE article_facts (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            source     TEXT NOT NULL,
            version    INTEGER NOT NULL,
            facts      TEXT NOT NULL
        )
        """,
    ),
    # 7 (issue 17, feed keys): each feed's `key`, fixed when the store first sees the feed
    # (`storage/feed_keys.py`). Article ids hash it with the guid instead of the feed's
    # name, so renaming a feed in feeds.toml (`feeds.name` and `articles.feed` follow) keeps
    # every article id, mark, story and stored fact. A feed stored before keys is keyed by
    # its name now, which is what its articles' ids already hash: no id changes.
    (
        "ALTER TABLE feeds ADD COLUMN key TEXT NOT NULL DEFAULT ''",
        "UPDATE feeds SET key = name",
        "CREATE UNIQUE INDEX feeds_key ON feeds (key)",
    ),
    # 8 (issue 16, the reader's fixes to the grouping): corrections, anchored on article
    # ids (story ids change as stories do). The stored grouping stays the algorithm's;
    # `stories/corrections.py` applies these after it on every listing, so dropping the
    # stored grouping (a migration, `rebuild`) keeps every fix. AUTOINCREMENT: an undone
    # correction's id is never reused, so ids keep the order they were made in. IF NOT
    # EXISTS: a store taken back to an older version keeps the reader's fixes.
    (
        """
        CREATE TABLE IF NOT EXISTS corrections (
            id         INTEGER PRIMARY KEY AUTOINCREMENT,
            made       TEXT NOT NULL,
            action     TEXT NOT NULL CHECK (action IN ('split', 'move', 'merge')),
            article_id TEXT NOT NULL,
            anchor_id  TEXT,
            note       TEXT NOT NULL DEFAULT '',
            CHECK ((action = 'split') = (anchor_id IS NULL))
        )
        """,
    ),
    # 9 (issue 17, concurrent grouping): a counter every write of the stored grouping bumps
    # in its transaction (`storage/grouping.py`). A grouping computed from what was stored
    # at one count is saved only if the count is still that; otherwise another process
    # regrouped meanwhile and it is computed again from what that one stored.
    (
        """
        CREATE TABLE IF NOT EXISTS grouping_state (
            id         INTEGER PRIMARY KEY CHECK (id = 1),
            generation INTEGER NOT NULL
        )
        """,
        "INSERT OR IGNORE INTO grouping_state (id, generation) VALUES (1, 0)",
    ),
    # 10 (issue 16 feeds that moved or died, issue 17 pages that timed out): a feed's
    # permanent move or 410 Gone, kept for the configured `url` it was seen on, and the
    # article pages not to fetch again for a while. Tables of their own, so the feeds row
    # and its upsert stay as they are; `storage/fates.py` reads and writes them. IF NOT
    # EXISTS: a file an older heraldtui took back to an earlier version may still hold them.
    (
        """
        CREATE TABLE IF NOT EXISTS feed_fates (
            name       TEXT PRIMARY KEY,
            url        TEXT NOT NULL,
            moved_to   TEXT,
            moved_at   TEXT,
            gone_since TEXT
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS page_failures (
            feed     TEXT NOT NULL,
            link     TEXT NOT NULL,
            failures INTEGER NOT NULL,
            last     TEXT NOT NULL,
            reason   TEXT NOT NULL,
            PRIMARY KEY (feed, link)
        )
        """,
    ),
)
SCHEMA_VERSION: Final = len(MIGRATIONS)

FEED_COLUMNS: Final = (
    "name, url, status, last_fetch, etag, last_modified, content_hash, retry_after, "
    "error, warning, items, key"
)
# `key` is written when the feed is first stored and never updated: it is its identity.
UPSERT_FEED: Final = f"""
    INSERT INTO feeds ({FEED_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (name) DO UPDATE SET
        url = excluded.url, status = excluded.status, last_fetch = excluded.last_fetch,
        etag = excluded.etag, last_modified = excluded.last_modified,
        content_hash = excluded.content_hash, retry_after = excluded.retry_after,
        error = excluded.error, warning = excluded.warning, items = excluded.items
"""
# The WHERE clause skips rows that did not change, so re-saving a feed writes nothing.
UPSERT_ARTICLE: Final = """
    INSERT INTO articles (id, feed, guid, link, title, author, published, summary, content,
                          content_hash, first_seen)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET
        link = excluded.link,
        title = excluded.title,
        author = excluded.author,
        published = coalesce(excluded.published, articles.published),
        summary = excluded.summary,
        content = CASE WHEN excluded.content = '' THEN articles.content
                       ELSE excluded.content END,
        content_hash = CASE WHEN excluded.content = '' THEN articles.content_hash
                            ELSE excluded.content_hash END
    WHERE articles.link IS NOT excluded.link
       OR articles.title IS NOT excluded.title
       OR articles.author IS NOT excluded.author
       OR (excluded.published IS NOT NULL AND articles.published IS NOT excluded.published)
       OR articles.summary IS NOT excluded.summary
       OR (excluded.content <> '' AND articles.content_hash IS NOT excluded.content_hash)
"""
# Only for a stored article (the WHERE clause; also what lets `ON CONFLICT` parse after a
# SELECT): facts must not outlive their article, and a missing one must not fail the rest.
UPSERT_FACTS: Final = """
    INSERT INTO article_facts (article_id, source, version, facts)
    SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM articles WHERE id = ?)
    ON CONFLICT (article_id) DO UPDATE SET
        source = excluded.source, version = excluded.version, facts = excluded.facts
"""
LIST_ORDER: Final = "ORDER BY published IS NULL, published, id"
"""Oldest first, undated articles last: the order stories and lists are built in."""
