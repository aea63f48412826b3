"""Feed keys: what keeps a feed's articles (their ids, marks, stories and facts) when the
user renames the feed in feeds.toml.

An article's id hashes its feed's `key` and its guid (`models.article_id`). The key is
fixed when the store first sees the feed: its name then, or that name with `#2`, `#3`, ...
when another stored feed already holds it (one renamed from that name), so no two feeds
share one. It never changes afterwards: not when the feed is renamed, not when its URL is
edited (or follows a redirect), so neither costs a mark.

`adopt` matches the feeds file with the store before anything is listed or refreshed:

- a configured name that is stored is the same feed, whatever its URL is now;
- a configured name that is not stored, whose URL is the stored URL of exactly one stored
  feed that is no longer configured, is that feed renamed: the stored feed and its
  articles take the new name and keep their key;
- any other configured name is a new feed, stored with a key of its own.

Renaming the feed and changing its URL in the same edit cannot be told from removing one
feed and adding another: the old feed's articles stay stored (hidden, as any removed
feed's) and the new one starts afresh.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from heraldtui.core.models import FeedSource

__all__ = ["adopt", "has_new_names"]


def has_new_names(stored: Iterable[Sequence[object]], feeds: Sequence[FeedSource]) -> bool:
    """Whether a configured feed's name is not among the `stored` rows' names (their
    first column): only then has `adopt` anything to do."""
    names = {row[0] for row in stored}
    return any(feed.name not in names for feed in feeds)


def adopt(conn: sqlite3.Connection, feeds: Sequence[FeedSource]) -> None:
    """Store the configured feeds' renames and new feeds, in the caller's transaction."""
    stored = {name: url for name, url in conn.execute("SELECT name, url FROM feeds")}
    keys = {key for (key,) in conn.execute("SELECT key FROM feeds")}
    configured = {feed.name for feed in feeds}
    for feed in feeds:
        if feed.name in stored:
            continue
        left = [n for n, url in stored.items() if url == feed.url and n not in configured]
        if len(left) == 1:
            _rename(conn, left[0], feed.name)
            stored[feed.name] = stored.pop(left[0])
            continue
        key = _free_key(feed.name, keys)
        conn.execute(
            "INSERT INTO feeds (name, url, key) VALUES (?, ?, ?)", (feed.name, feed.url, key)
        )
        stored[feed.name] = feed.url
        keys.add(key)


def _rename(conn: sqlite3.Connection, old: str, new: str) -> None:
    # `articles.feed` references `feeds.name`: checked at commit, once both are renamed.
    conn.execute("PRAGMA defer_foreign_keys = ON")
    conn.execute("UPDATE feeds SET name = ? WHERE name = ?", (new, old))
    conn.execute("UPDATE articles SET feed = ? WHERE feed = ?", (new, old))
    # Its permanent move, Gone mark and pages not to fetch for a while are its too.
    conn.execute("UPDATE feed_fates SET name = ? WHERE name = ?", (new, old))
    conn.execute("UPDATE page_failures SET feed = ? WHERE feed = ?", (new, old))


def _free_key(name: str, taken: set[str]) -> str:
    key, n = name, 1
    while key in taken:
        n += 1
        key = f"{name}#{n}"
    return key
