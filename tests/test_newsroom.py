"""The façade's own operations on a real feeds.toml and a real SQLite file in `tmp_path`.

What each stage does is tested in its package; these check what the CLI and the TUI rely
on the Newsroom for: editing the feeds file without a data folder, OPML both ways, the
feeds file found by default, feed states, a refresh that parses in worker processes
only when asked and only when enough feeds changed, and facts extracted once per article
text and extractor version, then read from the store.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import sqlite3
from collections.abc import Sequence
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from heraldtui.core import newsroom
from heraldtui.core.errors import ConfigError
from heraldtui.core.facts import extract
from heraldtui.core.facts.merge import merge_story
from heraldtui.core.ingest import refresh as ingest_refresh
from heraldtui.core.ingest import workerpool
from heraldtui.core.ingest.workerpool import WorkerPool
from heraldtui.core.models import Article, ArticleFacts, FeedState, MergedStory
from heraldtui.core.newsroom import (
    DB_NAME,
    FeedOutcome,
    Newsroom,
    default_config_path,
    render_digest,
)
from heraldtui.core.storage import store as store_module
from heraldtui.core.storage.store import Store
from tests.fixtures.site.make import full_item, rss
from tests.support.history import FEEDS as HISTORY_FEEDS
from tests.support.history import write_history
from tests.support.httpserver import LocalServer, http_server
from tests.support.paths import REPO
from tests.support.sets import load_set

server = pytest.fixture(http_server)

MINE = '# my feeds\n[[feeds]]\nname = "One"  # kept\nurl = "https://one.example/"\n'
OPML = b"""<?xml version="1.0"?>
<opml version="2.0"><head><title>elsewhere</title></head><body>
<outline text="Folder">
  <outline text="Two" xmlUrl="https://two.example/rss"/>
  <outline text="One again" xmlUrl="https://one.example/"/>
</outline>
</body></opml>"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(MINE, encoding="utf-8")
    return path


def names(config: Path) -> list[str]:
    with Newsroom.open(config, config.parent / "data") as room:
        return [feed.name for feed in room.feeds]


def test_add_feed_keeps_the_file_and_opens_no_data_folder(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = config.parent / "never-made"
    monkeypatch.setenv("HERALDTUI_DATA_DIR", str(data))
    Newsroom.add_feed(config, "Two", "https://two.example/rss")
    text = config.read_text(encoding="utf-8")
    assert text.startswith(MINE) and 'name = "Two"' in text
    assert not data.exists(), "editing the feeds file must not create the data folder"
    assert names(config) == ["One", "Two"]


@pytest.mark.parametrize(
    ("name", "url", "reason"),
    [
        ("one", "https://new.example/", "already exists"),
        ("New", "HTTPS://ONE.example/#top", "already exists"),
        ("New", "gopher://x", "url"),
    ],
)
def test_add_feed_refuses_and_leaves_the_file(
    config: Path, name: str, url: str, reason: str
) -> None:
    with pytest.raises(ConfigError, match=reason):
        Newsroom.add_feed(config, name, url)
    assert config.read_text(encoding="utf-8") == MINE


def test_import_opml_adds_what_is_new_and_counts_the_rest(config: Path) -> None:
    assert Newsroom.import_opml(config, OPML) == (1, 1)
    assert names(config) == ["One", "Two"]
    assert config.read_text(encoding="utf-8").startswith(MINE)
    assert Newsroom.import_opml(config, OPML) == (0, 2), "a second import adds nothing"


def test_import_opml_refuses_a_bad_document_before_writing(config: Path) -> None:
    with pytest.raises(ConfigError, match="DOCTYPE"):
        Newsroom.import_opml(config, b'<!DOCTYPE x [<!ENTITY a "b">]><opml/>')
    assert config.read_text(encoding="utf-8") == MINE


def test_export_opml_round_trips_through_import(config: Path, tmp_path: Path) -> None:
    Newsroom.add_feed(config, "Two", "https://two.example/rss")
    document = Newsroom.export_opml(config)
    assert document.startswith("<?xml") and 'xmlUrl="https://two.example/rss"' in document
    other = tmp_path / "other.toml"
    other.write_text("", encoding="utf-8")
    assert Newsroom.import_opml(other, document.encode("utf-8")) == (2, 0)
    assert names(other) == ["One", "Two"]


def test_export_opml_of_a_bad_feeds_file_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "feeds.toml"
    bad.write_text('[[feeds]]\nname = "A"\nurl = "htp:/x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=f"{bad}:3:"):
        Newsroom.export_opml(bad)


def test_the_default_feeds_file_is_the_one_in_the_working_folder(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert default_config_path(config.parent) == config
    elsewhere = config.parent / "elsewhere"
    elsewhere.mkdir()
    assert default_config_path(elsewhere).name == "feeds.toml"
    assert default_config_path(elsewhere) != elsewhere / "feeds.toml"  # the bundled one
    monkeypatch.chdir(config.parent)
    with Newsroom.open(data_dir=config.parent / "data") as room:
        assert room.config_path == config
        assert (config.parent / "data" / "heraldtui.sqlite3").is_file()


FEEDS = 6
"""More changed feeds than a `ParsePool` parses in its thread (4) before it starts processes."""


def serve_feeds(server: LocalServer, folder: Path) -> Path:
    lines = []
    for n in range(FEEDS):
        body = rss([full_item(10 * n + 1, server.base_url)], title=f"Outlet {n}")
        server.route(f"/f{n}", body=body, content_type="text/xml")
        lines.append(f'[[feeds]]\nname = "Outlet {n}"\nurl = "{server.url(f"/f{n}")}"\n')
    path = folder / "feeds.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def refresh(room: Newsroom, *, parallel: bool) -> tuple[list[FeedOutcome], int, int]:
    """The outcomes in file order, the refresh's own child processes alive as the last
    feed ended, and those still alive once it returned (other tests' children aside)."""
    before = set(child_processes())
    alive: list[int] = []

    def on_progress(outcome: FeedOutcome, done: int, total: int) -> None:
        if done == total:
            alive.append(len(set(child_processes()) - before))

    report = asyncio.run(room.refresh(on_progress, parallel=parallel))
    return list(report.outcomes), alive[0], len(set(child_processes()) - before)


def child_processes() -> list[int]:
    """The process ids whose parent is this test process (Linux /proc; [] elsewhere)."""
    me = str(os.getpid())
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # the process ended while we looked
        if fields[1] == me:
            children.append(int(stat.parent.name))
    return children


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def test_a_small_parallel_refresh_parses_in_process(server: LocalServer, tmp_path: Path) -> None:
    """Six small feeds are far under `POOL_THRESHOLD` bytes: starting workers would cost
    more than parsing them."""
    if not Path("/proc/self/stat").exists():
        pytest.skip("counting child processes reads /proc (Linux)")
    with Newsroom.open(serve_feeds(server, tmp_path), tmp_path / "data") as room:
        outcomes, alive, left = refresh(room, parallel=True)
    assert {o.status for o in outcomes} == {"ok"}
    assert alive == left == 0


def test_parallel_refresh_starts_workers_only_when_enough_feeds_changed(
    server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if cores() < 2:
        pytest.skip("one usable core: a ParsePool never starts worker processes")
    if not Path("/proc/self/stat").exists():
        pytest.skip("counting child processes reads /proc (Linux)")
    feeds = serve_feeds(server, tmp_path)
    # The pool's threshold at three of these feeds' bytes: past it, workers start.
    one_feed = len(rss([full_item(1, server.base_url)], title="Outlet 0"))
    monkeypatch.setattr(ingest_refresh, "POOL_THRESHOLD", 3 * one_feed)
    with Newsroom.open(feeds, tmp_path / "data") as room:
        outcomes, alive, left = refresh(room, parallel=True)
        assert [(o.name, o.status, o.new) for o in outcomes] == [
            (f"Outlet {n}", "ok", 1) for n in range(FEEDS)
        ]
        assert alive > 0, "six changed feeds: the later ones are parsed in processes"
        assert left == 0, "the refresh shut its pool down"
        outcomes, alive, _ = refresh(room, parallel=True)
        assert {o.status for o in outcomes} == {"not-modified"}
        assert alive == 0, "nothing changed: nothing parsed, no process started"
        states = room.feed_states()
    assert [s.name for s in states] == [f"Outlet {n}" for n in range(FEEDS)]
    assert {(s.status, s.items) for s in states} == {("not-modified", 1)}


def test_refresh_in_one_thread_stores_the_same(server: LocalServer, tmp_path: Path) -> None:
    with Newsroom.open(serve_feeds(server, tmp_path), tmp_path / "data") as room:
        outcomes, alive, _ = refresh(room, parallel=False)
        assert alive == 0, "the reader's refresh starts no process"
        assert [(o.status, o.new) for o in outcomes] == [("ok", 1)] * FEEDS
        titles = sorted(a.title for s in room.stories() for a in s.story.articles)
    assert titles == sorted(f"Rural crime week {10 * n + 1}" for n in range(FEEDS))


def test_feed_states_follow_the_feeds_file(config: Path, tmp_path: Path) -> None:
    with Newsroom.open(config, tmp_path / "data") as room:
        (state,) = room.feed_states()
    assert (state.name, state.url, state.status, state.last_fetch) == (
        "One",
        "https://one.example/",
        "never",
        None,
    )


def test_the_newest_stories_start_the_full_listing_of_the_feeds_file(tmp_path: Path) -> None:
    """The reader's first page: the first stories `stories()` lists, only of the feeds
    in the file (a feed removed from it leaves the page as it leaves the list)."""
    config = write_history(tmp_path, 600)
    with Newsroom.open(config, tmp_path / "data") as room:
        full = room.stories(merge=False)
        page = room.newest_stories(50)
        assert [s.story for s in page] == [s.story for s in full[:50]]
        assert all(not s.has_facts for s in page)
    kept = config.read_text(encoding="utf-8").split("[[feeds]]")
    config.write_text("[[feeds]]".join(kept[:-1]), encoding="utf-8")  # the last feed goes
    with Newsroom.open(config, tmp_path / "data") as room:
        full = room.stories(merge=False)
        page = room.newest_stories(50)
        assert [s.story for s in page] == [s.story for s in full[:50]]
        assert HISTORY_FEEDS[-1] not in {a.feed for s in page for a in s.story.articles}


# -- stored facts -------------------------------------------------------------------------

HELDOUT = REPO / "tests" / "heldout"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def stored_set(folder: Path) -> tuple[Path, list[Article]]:
    """A feeds file naming every feed of the held-out set and a store holding its
    articles, as a refresh leaves them: no story grouped, no facts extracted."""
    articles = load_set(HELDOUT)
    by_feed: dict[str, list[Article]] = {}
    for a in articles:
        by_feed.setdefault(a.feed, []).append(a)
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "feeds.toml"
    config.write_text(
        "".join(
            f"[[feeds]]\nname = {json.dumps(name)}\nurl = 'https://{n}.example/'\n\n"
            for n, name in enumerate(by_feed)
        ),
        encoding="utf-8",
    )
    with Store(folder / "data" / DB_NAME) as store:
        for name, items in by_feed.items():
            store.save_feed_result(FeedState(name=name, url="https://x.example/"), items)
    return config, articles


def count_extraction(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the articles extracted from now on, in order."""
    extracted: list[str] = []

    def counting(articles: Sequence[Article]) -> list[ArticleFacts]:
        extracted.extend(a.id for a in articles)
        return real(articles)

    real = extract.extract_many
    monkeypatch.setattr(extract, "extract_many", counting)
    return extracted


def without_history(stories: list[MergedStory]) -> list[MergedStory]:
    """The stories as one merge gives them, before the force's history is added."""
    return [
        dataclasses.replace(
            s,
            previous_inspection=None,
            related=(),
            grades=tuple(dataclasses.replace(g, previous=None) for g in s.grades),
        )
        for s in stories
    ]


def test_facts_are_extracted_once_then_read_from_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, articles = stored_set(tmp_path)
    extracted = count_extraction(monkeypatch)
    with Newsroom.open(config, tmp_path / "data") as room:
        first = room.stories()
        assert sorted(extracted) == sorted(a.id for a in articles), "each article once"
        assert room.stories() == first
    with Newsroom.open(config, tmp_path / "data") as room:  # a new run: nothing cached
        again = room.stories()
        room.export(again, tmp_path / "digest.json", "json", now=NOW)
    assert len(extracted) == len(articles), "the second run extracted nothing"
    assert again == first
    with Newsroom.open(config, tmp_path / "data") as room:  # the history added the same way
        fresh = room._with_history([merge_story(m.story) for m in first])
    assert again == fresh, "stored = fresh extraction"
    assert render_digest(first, "json", now=NOW) == (tmp_path / "digest.json").read_bytes()


def test_a_changed_text_or_a_new_extractor_is_extracted_again_when_merged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, articles = stored_set(tmp_path)
    data = tmp_path / "data"
    with Newsroom.open(config, data) as room:
        room.stories()
    changed = dataclasses.replace(articles[0], content=articles[0].content + "\n\nUpdated.")
    with Store(data / DB_NAME) as store:
        store.save_feed_result(FeedState(name=changed.feed, url="https://x.example/"), [changed])
    extracted = count_extraction(monkeypatch)
    with Newsroom.open(config, data) as room:
        listed = room.stories(merge=False)
        [story] = [m.story for m in listed if changed.id in {a.id for a in m.story.articles}]
        merged = room.merge(story)
        assert extracted == [changed.id], "only the changed article"
        assert merged == merge_story(merged.story)
        # A new extractor: stored facts are stale, and extracted again story by story.
        monkeypatch.setattr(extract, "EXTRACTOR_VERSION", extract.EXTRACTOR_VERSION + 1)
        other = next(m.story for m in listed if m.story.id != story.id)
        room.merge(other)
        assert extracted[1:] == [a.id for a in other.articles], "only the story merged"
        room._merged.clear()
        room.stories()
        assert sorted(extracted[1:]) == sorted(a.id for a in articles)
    with Newsroom.open(config, data) as room:
        room.stories()
    assert len(extracted) == 1 + len(articles), "all stored under the new version"


def test_a_large_extraction_in_worker_processes_stores_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if cores() < 2:
        pytest.skip("one usable core: extraction never starts worker processes")
    jobs: list[int] = []

    class Counting(WorkerPool):
        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
            jobs.append(len(args[0]))
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(workerpool, "WorkerPool", Counting)
    monkeypatch.setattr(newsroom, "FACTS_BATCH", 4)
    monkeypatch.setattr(newsroom, "POOL_MIN", 8)
    serial_config, _ = stored_set(tmp_path / "serial")
    with Newsroom.open(serial_config, tmp_path / "serial" / "data") as room:
        serial = room.stories()
    assert jobs == [], "not asked to: no process started (the reader)"
    config, articles = stored_set(tmp_path / "pool")
    with Newsroom.open(config, tmp_path / "pool" / "data") as room:
        pooled = room.stories(parallel=True)
    assert sum(jobs) == len(articles) and max(jobs) == 4, "every batch went to a worker"
    assert pooled == serial
    extracted = count_extraction(monkeypatch)
    with Newsroom.open(config, tmp_path / "pool" / "data") as room:
        assert room.stories() == pooled
    assert extracted == [] and sum(jobs) == len(articles), "they stored what they extracted"


def test_a_broken_pool_leaves_the_extraction_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Broken(WorkerPool):
        def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
            future: Future[Any] = Future()
            future.set_exception(BrokenProcessPool("a worker died"))
            return future

    monkeypatch.setattr(workerpool, "WorkerPool", Broken)
    monkeypatch.setattr(newsroom, "_usable_cores", lambda: 2)
    monkeypatch.setattr(newsroom, "FACTS_BATCH", 4)
    monkeypatch.setattr(newsroom, "POOL_MIN", 8)
    extracted = count_extraction(monkeypatch)
    config, articles = stored_set(tmp_path)
    with Newsroom.open(config, tmp_path / "data") as room:
        merged = room.stories(parallel=True)
    assert sorted(extracted) == sorted(a.id for a in articles)
    assert without_history(merged) == [merge_story(m.story) for m in merged]


def test_an_interrupted_extraction_keeps_the_batches_it_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An export stopped mid-way (Ctrl-C, a crash in an extractor) loses only the batch it
    was extracting: every batch before it is committed, and the next run extracts the rest."""
    monkeypatch.setattr(newsroom, "FACTS_BATCH", 4)
    config, articles = stored_set(tmp_path)
    calls: list[list[str]] = []
    real = extract.extract_many

    def interrupted(batch: Sequence[Article]) -> list[ArticleFacts]:
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append([a.id for a in batch])
        return real(batch)

    monkeypatch.setattr(extract, "extract_many", interrupted)
    with Newsroom.open(config, tmp_path / "data") as room, pytest.raises(KeyboardInterrupt):
        room.stories()
    monkeypatch.setattr(extract, "extract_many", real)
    done = {i for batch in calls for i in batch}
    assert len(done) == 8
    extracted = count_extraction(monkeypatch)
    with Newsroom.open(config, tmp_path / "data") as room:
        merged = room.stories()
    assert sorted(extracted) == sorted({a.id for a in articles} - done), "only the rest"
    assert without_history(merged) == [merge_story(m.story) for m in merged]


def test_facts_that_cannot_be_stored_are_still_merged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stored facts only save work: another process holding the database's write lock
    (a refresh from cron, say) must not cost the reader the story on screen."""
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 20)
    monkeypatch.setattr(store_module, "WRITE_ATTEMPTS", 2)
    monkeypatch.setattr(newsroom, "FACTS_BATCH", 4)
    config, articles = stored_set(tmp_path)
    path = tmp_path / "data" / DB_NAME
    with Newsroom.open(config, tmp_path / "data") as room:
        listed = room.stories(merge=False)
        writer = sqlite3.connect(path, isolation_level=None)
        try:
            writer.execute("BEGIN IMMEDIATE")  # held while the reader merges
            saves = count_saves(monkeypatch)
            merged = [room.merge(m.story) for m in listed[:2]] + room.stories()
            writer.execute("ROLLBACK")
        finally:
            writer.close()
        assert without_history(merged[2:]) == [merge_story(m.story) for m in merged[2:]]
        assert merged[:2] == merged[2:4]
        assert len(saves) == 3, "one failed save per merge, not one per batch"
        with Store(path) as store:
            assert store._raw("SELECT count(*) FROM article_facts") == [(0,)]
        room._merged.clear()  # the lock is gone: the next merge stores them
        assert room.stories() == merged[2:]
    with Store(path) as store:
        assert store._raw("SELECT count(*) FROM article_facts") == [(len(articles),)]


def count_saves(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The number of rows of each `save_article_facts` call from now on."""
    saves: list[int] = []
    real = Store.save_article_facts

    def counting(self: Store, rows: Any, version: int) -> None:
        rows = list(rows)
        saves.append(len(rows))
        real(self, rows, version)

    monkeypatch.setattr(Store, "save_article_facts", counting)
    return saves
