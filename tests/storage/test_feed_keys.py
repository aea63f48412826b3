"""Which stored feed a configured feed is (`Store.adopt_feeds`), on real SQLite files: a
rename is taken only when it is unambiguous, and an article is never stored under a key
its feed does not have."""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path

import pytest

from heraldtui.core.errors import StoreError
from heraldtui.core.models import FeedSource
from heraldtui.core.storage.store import Store
from tests.storage.test_store import db_path, integrity, make_article, state, store

__all__ = ["db_path", "store"]  # the fixtures, shared with test_store


def feed(name: str, url: str) -> FeedSource:
    return FeedSource(name=name, url=url)


def test_a_new_name_with_a_stored_feeds_url_takes_its_place(store: Store, db_path: Path) -> None:
    store.save_feed_result(state("Old", url="https://a.example/"), [make_article("Old", 1)])
    store.set_read([make_article("Old", 1).id], True)
    [adopted] = store.adopt_feeds([feed("New", "https://a.example/")])
    assert (adopted.name, adopted.key, adopted.status) == ("New", "Old", "ok")
    [article] = store.articles()
    assert (article.feed, article.id, article.read) == ("New", make_article("Old", 1).id, True)
    assert integrity(db_path) == "ok"


def test_no_rename_when_the_old_feed_is_still_configured_or_the_match_is_ambiguous(
    store: Store,
) -> None:
    url = "https://same.example/"
    store.save_feed_result(state("Kept", url=url), [make_article("Kept", 1)])
    adopted = store.adopt_feeds([feed("Kept", url), feed("Copy", url)])
    assert {(s.name, s.key, s.status) for s in adopted} == {
        ("Kept", "Kept", "ok"),
        ("Copy", "Copy", "never"),
    }
    # Two stored feeds left the file with the same URL: neither is the new one.
    adopted = store.adopt_feeds([feed("Third", url)])
    assert {s.name for s in adopted} == {"Kept", "Copy", "Third"}
    assert store.article_count(feed="Kept") == 1


def test_adopting_an_unchanged_file_writes_nothing(store: Store, db_path: Path) -> None:
    feeds = [feed("A", "https://a.example/"), feed("B", "https://b.example/")]
    with sqlite3.connect(db_path) as watcher:  # its data_version moves on others' commits
        first = watcher.execute("PRAGMA data_version").fetchone()
        store.adopt_feeds(feeds)
        stored = watcher.execute("PRAGMA data_version").fetchone()
        assert [s.name for s in store.adopt_feeds(feeds)] == ["A", "B"]
        assert first != stored == watcher.execute("PRAGMA data_version").fetchone()


def test_an_article_keyed_unlike_its_feed_is_refused(store: Store) -> None:
    store.adopt_feeds([feed("Old", "https://a.example/")])
    store.adopt_feeds([feed("New", "https://a.example/")])  # keyed "Old" still
    with pytest.raises(StoreError, match="keyed"):
        store.save_feed_result(state("New", key=""), [make_article("New", 1)])
    rekeyed = dataclasses.replace(make_article("New", 1), feed_key="Old")
    assert store.save_feed_result(state("New", key="Old"), [rekeyed]) == 1
    assert [a.id for a in store.articles()] == [make_article("Old", 1).id]


def test_a_renamed_feed_keeps_its_move_and_gone_mark(store: Store) -> None:
    """The fates of a feed (a permanent move, a 410) are stored by its name: a rename
    takes them along, or the renamed feed would be fetched again from the address it left."""
    from datetime import UTC, datetime

    from heraldtui.core.storage.fates import feed_states, save_fates

    url = "https://old.example/rss"
    store.save_feed_result(state("Old", url=url), [make_article("Old", 1)])
    when = datetime(2026, 3, 1, tzinfo=UTC)
    moved = dataclasses.replace(
        state("Old", url=url), moved_to="https://new.example/rss", moved_at=when
    )
    save_fates(store, [moved])
    store.adopt_feeds([feed("Renamed", url)])
    [renamed] = feed_states(store)
    assert (renamed.name, renamed.moved_to, renamed.fetch_url) == (
        "Renamed",
        "https://new.example/rss",
        "https://new.example/rss",
    )
