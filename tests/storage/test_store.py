"""The SQLite store against real database files in tmp_path."""

from __future__ import annotations

import dataclasses
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import overload

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heraldtui.core.errors import StoreError
from heraldtui.core.models import Article, FeedState, Story
from heraldtui.core.storage.rows import StoryHeader
from heraldtui.core.storage.schema import MIGRATIONS, SCHEMA_VERSION
from heraldtui.core.storage.store import Store

T0 = datetime(2024, 11, 7, 8, 0, tzinfo=UTC)


def make_article(feed: str, n: int, **changes: object) -> Article:
    article = Article(
        feed=feed,
        guid=f"item-{n}",
        link=f"https://news.example/{feed}/{n}",
        title=f"Constabulary told to improve crime recording, report {n}",
        author="A. Reporter",
        published=T0 + timedelta(hours=n),
        summary=f"Inspectors graded the force on nine areas (report {n}).",
        content=f"Inspectors found that **crime recording** needs work. Paragraph {n}.",
    )
    return dataclasses.replace(article, **changes)  # type: ignore[arg-type]


def state(name: str, **changes: object) -> FeedState:
    base = FeedState(name=name, url=f"https://news.example/{name}.rss", status="ok", key=name)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def snapshot(path: Path) -> tuple[list[tuple[object, ...]], ...]:
    """Everything in the database, through a separate plain connection."""
    with sqlite3.connect(path) as conn:
        return tuple(
            conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("feeds", "articles", "story_assignments")
        )


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "heraldtui.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store(db_path) as opened:
        yield opened


# -- opening ----------------------------------------------------------------------------


def test_opening_creates_folder_file_and_schema(db_path: Path) -> None:
    assert not db_path.parent.exists()
    with Store(db_path) as store:
        assert store.schema_version == SCHEMA_VERSION
    assert db_path.is_file()
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_connection_settings(store: Store) -> None:
    conn = store._connection()
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "heraldtui.sqlite3"
    path.write_text("these are my notes, not a database\n" * 200)
    with pytest.raises(StoreError, match=r"heraldtui\.sqlite3.*not a database"):
        Store(path)


def test_a_folder_that_cannot_be_created_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be")
    with pytest.raises(StoreError, match="cannot create the data folder"):
        Store(blocker / "heraldtui.sqlite3")


def test_a_database_from_a_newer_version_is_refused(db_path: Path) -> None:
    Store(db_path).close()
    with sqlite3.connect(db_path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match="newer than this heraldtui"):
        Store(db_path)


def test_closed_store_raises_store_error(db_path: Path) -> None:
    store = Store(db_path)
    store.close()
    store.close()  # twice is harmless
    with pytest.raises(StoreError, match="closed"):
        store.feed_states()
    with pytest.raises(StoreError, match="closed"):
        store.save_feed_state(state("a"))


# -- migrations -------------------------------------------------------------------------


def test_migration_from_previous_version_keeps_data(db_path: Path) -> None:
    """A file at version N-1 (built with the old migrations only) upgrades in place."""
    db_path.parent.mkdir(parents=True)
    with sqlite3.connect(db_path) as conn:
        for statements in MIGRATIONS[:-1]:
            for sql in statements:
                conn.execute(sql)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
        conn.execute(
            "INSERT INTO feeds (name, url, status) VALUES ('old', 'https://o.example/', 'ok')"
        )
    with Store(db_path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert [s.name for s in store.feed_states()] == ["old"]
        store.save_story_assignments({"a1": "s1"})
        assert store.story_assignments() == {"a1": "s1"}
    assert integrity(db_path) == "ok"


def test_the_inspection_type_migration_drops_the_old_grouping_only(db_path: Path) -> None:
    """Version 3 stored stories without their kind of inspection, grouped by older rules:
    the upgrade keeps every article and mark and leaves the stories to be regrouped."""
    db_path.parent.mkdir(parents=True)
    with sqlite3.connect(db_path) as conn:
        for statements in MIGRATIONS[:3]:
            for sql in statements:
                conn.execute(sql)
        conn.execute("PRAGMA user_version = 3")
    with sqlite3.connect(db_path) as conn:
        conn.execute("INSERT INTO feeds (name, url) VALUES ('f', 'https://f.example/')")
        conn.execute(
            "INSERT INTO articles (id, feed, guid, link, title, summary, content, "
            "content_hash, read, first_seen) VALUES "
            "('a1', 'f', 'g1', 'https://f.example/1', 'T', '', 'x', 'h', 1, '2024')"
        )
        conn.execute("INSERT INTO story_assignments VALUES ('a1', 's1')")
        conn.execute("INSERT INTO stories VALUES ('s1', 'T', 'inspection', 'Wolds Constabulary')")
    with Store(db_path) as store:
        assert store.schema_version == SCHEMA_VERSION
        [(article, header)] = store.listing()
        assert (article.title, article.read, header) == ("T", True, None)
        assert store.story_assignments() == {}
    assert integrity(db_path) == "ok"


def test_a_storys_inspection_type_is_stored_with_its_header(store: Store) -> None:
    a, b = make_article("f", 1), make_article("f", 2)
    store.save_feed_result(state("f"), [a, b])
    store.save_stories(
        [
            Story("s1", "Report", "inspection", "Wolds Constabulary", (a,), "crime-data-integrity"),
            Story("s2", "Other", "other", None, (b,)),
        ]
    )
    headers = {article.id: header for article, header in store.listing()}
    assert headers[a.id] == StoryHeader(
        "s1", "Report", "inspection", "Wolds Constabulary", "crime-data-integrity"
    )
    assert headers[b.id] == StoryHeader("s2", "Other", "other", None, None)
    # a regrouping that changes the type replaces it
    store.save_stories([Story("s1", "Report", "inspection", "Wolds Constabulary", (a,), "peel")])
    assert {h.inspection_type for _, h in store.listing() if h} == {"peel", None}


def test_reopening_an_up_to_date_file_changes_nothing(db_path: Path) -> None:
    with Store(db_path) as store:
        store.save_feed_result(state("f"), [make_article("f", 1)])
    before = snapshot(db_path)
    with Store(db_path) as store:
        assert store.schema_version == SCHEMA_VERSION
    assert snapshot(db_path) == before


# -- feed states ------------------------------------------------------------------------


def test_feed_state_round_trip(store: Store) -> None:
    full = FeedState(
        name="Borough Gazette",
        url="https://gazette.example/police.rss",
        status="error",
        last_fetch=T0,
        etag='W/"abc"',
        last_modified="Thu, 07 Nov 2024 08:00:00 GMT",
        content_hash="1234",
        retry_after=T0 + timedelta(minutes=30),
        error="HTTP 503",
        warning="feed declares the wrong encoding",
        items=12,
        key="gazette-key",
    )
    store.save_feed_state(full)
    store.save_feed_state(state("Another"))
    assert store.feed_state("Borough Gazette") == full
    assert store.feed_state("missing") is None
    assert [s.name for s in store.feed_states()] == ["Another", "Borough Gazette"]
    store.save_feed_state(FeedState("Keyless", "https://keyless.example/"))
    assert store.feed_state("Keyless") == FeedState(
        "Keyless", "https://keyless.example/", key="Keyless"
    )
    # an upsert replaces every field but the key, fixed when the feed was first stored
    fixed = dataclasses.replace(full, status="ok", error=None, retry_after=None)
    store.save_feed_state(dataclasses.replace(fixed, key="other"))
    assert store.feed_state("Borough Gazette") == fixed


def test_naive_datetimes_are_taken_as_utc(store: Store) -> None:
    store.save_feed_state(state("n", last_fetch=datetime(2024, 1, 2, 3, 4, 5)))
    got = store.feed_state("n")
    assert got is not None
    assert got.last_fetch == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert got.last_fetch.tzinfo is not None


def test_other_time_zones_are_stored_as_the_same_instant(store: Store) -> None:
    from zoneinfo import ZoneInfo

    local = datetime(2024, 7, 1, 9, 30, tzinfo=ZoneInfo("Europe/London"))
    store.save_feed_result(state("z"), [make_article("z", 1, published=local)])
    [got] = store.articles()
    assert got.published == local
    assert got.published is not None and got.published.utcoffset() == timedelta(0)


# -- articles ---------------------------------------------------------------------------


def test_resaving_a_feed_adds_nothing_and_keeps_marks(store: Store, db_path: Path) -> None:
    items = [make_article("f", n) for n in range(5)]
    assert store.save_feed_result(state("f"), items) == 5
    store.set_read([items[0].id, items[1].id], True)
    store.set_starred(iter([items[1].id]), True)  # a one-shot iterator is fine
    before = snapshot(db_path)

    assert store.save_feed_result(state("f"), items) == 0
    assert snapshot(db_path) == before
    assert store.article_count() == 5
    marks = {a.guid: (a.read, a.starred) for a in store.articles()}
    assert marks == {
        "item-0": (True, False),
        "item-1": (True, True),
        "item-2": (False, False),
        "item-3": (False, False),
        "item-4": (False, False),
    }


def test_changed_items_are_updated_and_new_ones_counted(store: Store) -> None:
    items = [make_article("f", n) for n in range(3)]
    store.save_feed_result(state("f"), items)
    store.set_read([items[1].id], True)
    changed = dataclasses.replace(
        items[1],
        title="Corrected headline",
        summary="New teaser",
        content="Rewritten text",
        link="https://news.example/f/1-corrected",
        author=None,
        published=T0 + timedelta(days=1),
    )
    new = make_article("f", 9)
    assert store.save_feed_result(state("f", items=4), [items[0], changed, new]) == 1
    got = store.article(items[1].id)
    assert got is not None
    assert got == dataclasses.replace(changed, read=True)
    assert store.article_count() == 4  # an item missing from the feed is kept
    assert store.feed_state("f") == state("f", items=4)


def test_empty_content_or_missing_date_keeps_what_is_stored(store: Store) -> None:
    item = make_article("f", 1)
    store.save_feed_result(state("f"), [item])
    teaser = dataclasses.replace(item, content="", published=None, title="Newer title")
    assert store.save_feed_result(state("f"), [teaser]) == 0
    got = store.article(item.id)
    assert got is not None
    assert got.content == item.content
    assert got.published == item.published
    assert got.title == "Newer title"


def test_a_rewritten_text_alone_is_saved(store: Store) -> None:
    """Only the text's fingerprint tells this change apart from a re-save of the same item."""
    item = make_article("f", 1)
    store.save_feed_result(state("f"), [item])
    rewritten = dataclasses.replace(item, content="The text, corrected after publication.")
    assert store.save_feed_result(state("f"), [rewritten]) == 0
    got = store.article(item.id)
    assert got is not None and got.content == rewritten.content


def test_duplicate_guids_in_one_batch_count_once(store: Store) -> None:
    first = make_article("f", 1)
    again = dataclasses.replace(first, title="Second copy")
    assert store.save_feed_result(state("f"), [first, again]) == 1
    [got] = store.articles()
    assert got.title == "Second copy"


def test_listing_order_filter_and_light_listing(store: Store) -> None:
    undated = make_article("b", 0, published=None)
    late = make_article("a", 5)
    early = make_article("b", 1)
    same_time = [make_article("a", 7, guid=f"t{i}", published=T0) for i in range(3)]
    store.save_feed_result(state("a"), [late, *same_time])
    store.save_feed_result(state("b"), [undated, early])

    listed = store.articles()
    tied = sorted(same_time, key=lambda a: a.id)
    assert [a.id for a in listed] == [a.id for a in [*tied, early, late, undated]]
    assert [a.guid for a in store.articles(feed="b")] == ["item-1", "item-0"]
    assert store.articles(feed="nobody") == []
    assert store.article_count(feed="a") == 4

    light = store.articles(with_content=False)
    assert [a.id for a in light] == [a.id for a in listed]
    assert all(a.content == "" for a in light)
    assert [dataclasses.replace(a, content="") for a in listed] == light


def test_the_newest_listing_walks_back_only_as_far_as_the_stories_it_needs(
    store: Store,
) -> None:
    """Stories come by their latest article (of a kept feed), ties with the last one
    included; each with all its articles, in listing order; ungrouped articles left out."""
    a = [make_article("a", n) for n in range(6)]
    b = [make_article("b", n, guid=f"b{n}") for n in (2, 4)]
    b_undated = make_article("b", 0, guid="b-undated", published=None)
    tie = make_article("a", 40, guid="tie", published=b[1].published)
    store.save_feed_result(state("a"), [*a, tie])
    store.save_feed_result(state("b"), [*b, b_undated])
    # s-old holds the newest article (a5); s-mid (by b4), s-tie and s-four end at the same
    # hour; s-b ends earlier; s-undated has no date; a3 is not grouped yet.
    store.save_stories(
        [
            Story("s-old", "Old", "other", None, (a[0], a[5])),
            Story("s-mid", "Mid", "other", None, (a[1], b[1])),
            Story("s-b", "B", "other", None, (b[0],)),
            Story("s-tie", "Tie", "other", None, (tie,)),
            Story("s-four", "Four", "other", None, (a[4],)),
            Story("s-undated", "Undated", "other", None, (b_undated,)),
        ]
    )

    def stories(limit: int, keep: Callable[[str], bool] = lambda feed: True) -> set[str]:
        return {h.id for _, h in store.newest_listing(limit, keep)}

    assert stories(0) == set()
    assert stories(1) == {"s-old"}
    # three stories end at the same hour: asking for any of them brings all three
    assert stories(2) == stories(4) == {"s-old", "s-four", "s-mid", "s-tie"}
    assert stories(5) == {"s-old", "s-four", "s-mid", "s-tie", "s-b"}
    assert stories(6) == stories(10) == stories(5) | {"s-undated"}
    # only feed b: s-mid leads by b4 (its a1 is still listed with it), s-old is gone
    only_b = store.newest_listing(1, lambda feed: feed == "b")
    assert [(x.id, h.id) for x, h in only_b] == [(a[1].id, "s-mid"), (b[1].id, "s-mid")]
    listed = store.newest_listing(10)
    order = {x.id: i for i, (x, _) in enumerate(store.listing())}
    assert [order[x.id] for x, _ in listed] == sorted(order[x.id] for x, _ in listed)
    assert all(x.content == "" for x, _ in listed)
    assert a[3].id not in {x.id for x, _ in listed}  # not grouped yet


def test_content_lookups_for_the_refresh(store: Store) -> None:
    with_text = make_article("f", 1)
    teaser = make_article("f", 2, content="")
    store.save_feed_result(state("f"), [with_text, teaser])
    assert store.stored_content("f") == {"item-1": with_text.content}
    assert store.stored_content("other") == {}


def test_read_marks_are_set_and_cleared(store: Store) -> None:
    items = [make_article("f", n) for n in range(3)]
    store.save_feed_result(state("f"), items)
    store.set_read((a.id for a in items), True)
    store.set_read([items[2].id, "no-such-id"], False)
    store.set_starred([items[0].id], True)
    store.set_starred([items[0].id], False)
    assert [(a.read, a.starred) for a in store.articles()] == [
        (True, False),
        (True, False),
        (False, False),
    ]


class Exploding(Sequence[Article]):
    """A batch whose iteration fails half-way, like a parser giving up mid-feed."""

    def __init__(self, items: list[Article], fail_at: int) -> None:
        self.items = items
        self.fail_at = fail_at

    @overload
    def __getitem__(self, index: int) -> Article: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Article]: ...
    def __getitem__(self, index: int | slice) -> Article | Sequence[Article]:
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Article]:
        for i, item in enumerate(self.items):
            if i == self.fail_at:
                raise RuntimeError("parser gave up")
            yield item


def test_failure_half_way_leaves_the_database_as_before(store: Store, db_path: Path) -> None:
    store.save_feed_result(state("f", etag="old"), [make_article("f", 0)])
    before = snapshot(db_path)
    batch = Exploding([make_article("f", n) for n in range(1, 6)], fail_at=3)
    with pytest.raises(RuntimeError, match="parser gave up"):
        store.save_feed_result(state("f", etag="new", items=5), batch)
    assert snapshot(db_path) == before
    assert store.feed_state("f") == state("f", etag="old")
    # the store is still usable afterwards
    assert store.save_feed_result(state("f"), batch.items[:2]) == 2


def test_constraint_violation_rolls_back_and_is_a_store_error(store: Store, db_path: Path) -> None:
    store.save_feed_result(state("f"), [make_article("f", 0)])
    before = snapshot(db_path)
    bad = [make_article("f", 1), make_article("f", 2, guid=""), make_article("f", 3)]
    with pytest.raises(StoreError, match="CHECK constraint failed"):
        store.save_feed_result(state("f", etag="new"), bad)
    assert snapshot(db_path) == before


def test_articles_of_another_feed_are_refused(store: Store, db_path: Path) -> None:
    store.save_feed_state(state("f"))
    before = snapshot(db_path)
    with pytest.raises(StoreError, match="belongs to feed 'g'"):
        store.save_feed_result(state("f", items=2), [make_article("f", 1), make_article("g", 2)])
    assert snapshot(db_path) == before


def test_story_assignments_upsert(store: Store) -> None:
    store.save_story_assignments({"a": "s1", "b": "s1"})
    store.save_story_assignments({"b": "s2", "c": "s2"})
    assert store.story_assignments() == {"a": "s1", "b": "s2", "c": "s2"}
    store.save_story_assignments({})
    assert len(store.story_assignments()) == 3


printable = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=0, max_size=200)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=printable, content=printable, guid=printable.filter(bool))
def test_any_text_round_trips(tmp_path: Path, title: str, content: str, guid: str) -> None:
    """Feed text is data: quotes, NULs, SQL-looking text and emoji come back unchanged."""
    # One fresh file per example: an item saved by an earlier example with the same guid
    # would keep its stored text when this one's is empty.
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder, Store(Path(folder) / "p") as store:
        item = make_article(
            "f'; DROP TABLE articles; --", 1, title=title, content=content, guid=guid
        )
        store.save_feed_result(state(item.feed), [item])
        assert store.article(item.id) == item


def test_articles_read_again_for_their_text_share_what_the_listing_read(store: Store) -> None:
    """An export lists every article without its text, then reads them all again with it:
    what is equal is held once, and what changed in between is the store's."""
    store.save_feed_result(state("f"), [make_article("f", n) for n in (1, 2, 3)])
    listed = {a.id: a for a in store.articles(with_content=False)}
    changed = make_article("f", 2, title="Force told to improve (updated)")
    store.save_feed_result(state("f"), [make_article("f", 1), changed, make_article("f", 3)])
    store.set_read([changed.id], True)

    shared = store.articles_by_id(listed, like=listed)

    assert shared == store.articles_by_id(listed)  # the same records as without `like`
    one, two, three = shared
    for article in (one, three):
        old = listed[article.id]
        assert article.content and not old.content
        for name in ("feed", "guid", "link", "title", "author", "published", "summary"):
            assert getattr(article, name) is getattr(old, name), name
    assert two.title == changed.title and two.read  # changed since it was listed
    assert two.link is listed[two.id].link


# -- threads ----------------------------------------------------------------------------


def run_threads(*targets: object) -> list[BaseException]:
    errors: list[BaseException] = []

    def guard(target: object) -> None:
        try:
            target()  # type: ignore[operator]
        except BaseException as exc:  # collected and asserted on by the caller
            errors.append(exc)

    threads = [threading.Thread(target=guard, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_two_stores_on_one_file_write_concurrently(db_path: Path) -> None:
    first, second = Store(db_path), Store(db_path)
    barrier = threading.Barrier(2)

    def writer(store: Store, prefix: str) -> None:
        barrier.wait()
        for f in range(20):
            name = f"{prefix}{f}"
            items = [make_article(name, n) for n in range(25)]
            assert store.save_feed_result(state(name), items) == 25
            store.set_read([items[0].id], True)
            store.save_story_assignments({a.id: f"{name}-story" for a in items})

    try:
        errors = run_threads(lambda: writer(first, "x"), lambda: writer(second, "y"))
        assert errors == []
        assert first.article_count() == 2 * 20 * 25
        assert sum(a.read for a in second.articles(with_content=False)) == 40
        assert len(second.story_assignments()) == 1000
    finally:
        first.close()
        second.close()
    assert integrity(db_path) == "ok"


def test_one_store_shared_by_threads(store: Store, db_path: Path) -> None:
    def writer(prefix: str) -> None:
        for f in range(10):
            name = f"{prefix}{f}"
            store.save_feed_result(state(name), [make_article(name, n) for n in range(10)])

    def reader() -> None:
        for _ in range(30):
            listed = store.articles(with_content=False)
            assert len(listed) % 10 == 0  # a feed's items appear all at once or not at all

    errors = run_threads(lambda: writer("p"), lambda: writer("q"), reader, reader)
    assert errors == []
    assert store.article_count() == 200
    assert integrity(db_path) == "ok"


def test_save_feed_states_writes_them_all_in_one_transaction(store: Store) -> None:
    states = [state(f"Feed {n}", status="not-modified", items=n) for n in range(3)]
    store.save_feed_states(iter(states))  # a one-shot iterator is fine
    assert store.feed_states() == sorted(states, key=lambda s: s.name)
    store.save_feed_states([])
    with pytest.raises(StoreError):
        # One row breaks a constraint: none of the others are written either.
        store.save_feed_states([state("Feed 9", items=9), state("Feed 0", url=None)])
    assert store.feed_state("Feed 9") is None


def test_a_data_folder_deleted_while_open_says_so_instead_of_losing_writes(tmp_path: Path) -> None:
    """SQLite writes on into a deleted database file: every later write 'succeeded' and was
    lost. Now each write transaction checks the file is still the one it opened."""
    import shutil

    from heraldtui.core.errors import StoreError

    folder = tmp_path / "data"
    store = Store(folder / "heraldtui.sqlite3")
    try:
        store.save_feed_state(FeedState("A", "https://a.example/"))
        shutil.rmtree(folder)
        with pytest.raises(StoreError, match="was deleted or replaced while heraldtui ran"):
            store.save_feed_state(FeedState("B", "https://b.example/"))
        folder.mkdir()
        (folder / "heraldtui.sqlite3").write_bytes(b"")  # another file at the same path
        with pytest.raises(StoreError, match="deleted or replaced"):
            store.set_read(["x"], True)
    finally:
        store.close()
