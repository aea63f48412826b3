"""The refresh pipeline end to end: real HTTP server, real SQLite file, real parser."""

from __future__ import annotations

import asyncio
import dataclasses
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime, timedelta
from multiprocessing import get_context
from pathlib import Path

import pytest

from heraldtui.core.ingest.fastpaths import FastPaths
from heraldtui.core.ingest.fetch import Fetcher
from heraldtui.core.ingest.refresh import FeedOutcome, ParsePool, refresh_feeds
from heraldtui.core.models import FeedSource
from heraldtui.core.storage.store import Store
from tests.fixtures.site.make import PARA, full_item, page, rss
from tests.support.httpserver import LocalServer, RecordedRequest, Reply, http_server

server = pytest.fixture(http_server)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "data" / "heraldtui.sqlite3")


def run(
    feeds: list[FeedSource],
    store: Store,
    fast_paths: FastPaths,
    now: Callable[[], datetime] | None = None,
) -> list[FeedOutcome]:
    clock = now or (lambda: datetime.now(UTC))
    report = asyncio.run(refresh_feeds(feeds, store, now=clock, fast_paths=fast_paths))
    return list(report.outcomes)


def test_one_broken_feed_does_not_cost_the_others(
    server: LocalServer, store: Store, fast_paths: FastPaths
) -> None:
    server.route("/good", body=rss([full_item(1, server.base_url)]), content_type="text/xml")
    server.route("/500", status=500, body=b"oops")
    server.route("/html", body=b"<html><body><p>Hello</p></body></html>", content_type="text/html")
    server.route("/empty", body=b"", content_type="text/xml")
    feeds = [
        FeedSource("Good", server.url("/good")),
        FeedSource("Down", server.url("/500")),
        FeedSource("Page", server.url("/html")),
        FeedSource("Empty", server.url("/empty")),
        FeedSource("Refused", "http://127.0.0.1:9/feed"),
    ]
    seen: list[tuple[str, int, int]] = []
    report = asyncio.run(
        refresh_feeds(
            feeds,
            store,
            on_progress=lambda o, d, t: seen.append((o.name, d, t)),
            fast_paths=fast_paths,
        )
    )
    by_name = {o.name: o for o in report.outcomes}
    assert [o.name for o in report.outcomes] == [f.name for f in feeds]
    assert by_name["Good"].status == "ok" and by_name["Good"].new == 1
    for name in ("Down", "Page", "Empty", "Refused"):
        assert by_name[name].status == "error", name
        assert by_name[name].error
    assert "500" in str(by_name["Down"].error)
    assert sorted(d for _, d, _ in seen) == [1, 2, 3, 4, 5] and {t for *_, t in seen} == {5}
    states = {s.name: s for s in store.feed_states()}
    assert states["Down"].status == "error" and "500" in str(states["Down"].error)
    assert store.article_count() == 1


def test_second_refresh_is_conditional_and_keeps_read_marks(
    server: LocalServer, store: Store, fast_paths: FastPaths
) -> None:
    body = rss([full_item(1, server.base_url), full_item(2, server.base_url)])
    server.route(
        "/feed",
        body=body,
        content_type="application/rss+xml",
        headers={"ETag": '"v1"', "Last-Modified": "Tue, 01 Oct 2024 09:00:00 GMT"},
    )
    feed = [FeedSource("Outlet", server.url("/feed"))]
    assert run(feed, store, fast_paths)[0].new == 2
    first = store.articles()
    store.set_read([first[0].id], True)

    def conditional(request: RecordedRequest) -> Reply:
        if request.headers.get("if-none-match") == '"v1"':
            return Reply(status=304)
        return Reply(body=body)

    server.handle("/feed", conditional)
    again = run(feed, store, fast_paths)[0]
    assert again.status == "not-modified" and again.new == 0
    sent = server.requests_to("/feed")[-1].headers
    assert sent.get("if-none-match") == '"v1"'
    assert sent.get("if-modified-since") == "Tue, 01 Oct 2024 09:00:00 GMT"
    assert store.article_count() == 2
    assert {a.id: a.read for a in store.articles()}[first[0].id] is True


def test_same_body_without_validators_is_not_parsed_again(
    server: LocalServer, store: Store, fast_paths: FastPaths
) -> None:
    server.route("/feed", body=rss([full_item(1, server.base_url)]), content_type="text/xml")
    feed = [FeedSource("Outlet", server.url("/feed"))]
    assert run(feed, store, fast_paths)[0].status == "ok"
    assert run(feed, store, fast_paths)[0].status == "not-modified"


def test_retry_after_is_honoured_on_the_next_refresh(
    server: LocalServer, store: Store, fast_paths: FastPaths
) -> None:
    server.route("/busy", status=429, headers={"Retry-After": "3600"})
    feed = [FeedSource("Busy", server.url("/busy"))]
    first = run(feed, store, fast_paths)[0]
    assert first.status == "error" and "429" in str(first.error)
    second = run(feed, store, fast_paths)[0]
    assert second.status == "deferred"
    assert len(server.requests_to("/busy")) == 1
    later = datetime.now(UTC) + timedelta(hours=2)
    assert run(feed, store, fast_paths, now=lambda: later)[0].status == "error"
    assert len(server.requests_to("/busy")) == 2


def test_teasers_are_completed_from_their_pages_once(
    server: LocalServer, store: Store, fast_paths: FastPaths
) -> None:
    link = server.url("/a/teaser")
    server.route("/feed", body=rss([{"title": "Teaser", "link": link}]), content_type="text/xml")
    server.route(
        "/a/teaser",
        body=page("Teaser", f"<p>{PARA}</p><p>{PARA}</p><ul><li>Point one</li></ul>"),
        content_type="text/html; charset=utf-8",
    )
    feed = [FeedSource("Outlet", server.url("/feed"))]
    assert run(feed, store, fast_paths)[0].new == 1
    (article,) = store.articles()
    assert "equipment theft" in article.content and "- Point one" in article.content
    for boiler in ("Home | News", "Most read", "Copyright", "Privacy"):
        assert boiler not in article.content
    # the feed changes (a new item) but the stored page text is reused, not fetched again
    server.route(
        "/feed",
        body=rss([{"title": "Teaser", "link": link}, full_item(2, server.base_url)]),
        content_type="text/xml",
    )
    assert run(feed, store, fast_paths)[0].new == 1
    assert len(server.requests_to("/a/teaser")) == 1


def test_a_page_that_fails_keeps_the_teaser(
    server: LocalServer, store: Store, fast_paths: FastPaths
) -> None:
    link = server.url("/a/gone")
    server.route("/feed", body=rss([{"title": "Gone", "link": link}]), content_type="text/xml")
    server.route("/a/gone", status=404)
    (outcome,) = run([FeedSource("Outlet", server.url("/feed"))], store, fast_paths)
    assert outcome.status == "ok"
    (article,) = store.articles()
    assert article.content == "" and article.text == "A short teaser."


def test_full_text_false_never_fetches_pages(
    server: LocalServer, store: Store, fast_paths: FastPaths
) -> None:
    link = server.url("/a/x")
    server.route("/feed", body=rss([{"title": "X", "link": link}]), content_type="text/xml")
    run([FeedSource("Outlet", server.url("/feed"), full_text=False)], store, fast_paths)
    assert server.requests_to("/a/x") == []


def test_shared_fetcher_respects_timeouts(
    server: LocalServer, store: Store, fast_paths: FastPaths
) -> None:
    server.route("/slow", body=rss([full_item(1, server.base_url)]), delay=3.0)
    server.route("/fast", body=rss([full_item(2, server.base_url)]), content_type="text/xml")

    async def go() -> list[FeedOutcome]:
        async with Fetcher(read_timeout=0.5, total_timeout=1.0, fast_paths=fast_paths) as fetcher:
            report = await refresh_feeds(
                [FeedSource("Slow", server.url("/slow")), FeedSource("Fast", server.url("/fast"))],
                store,
                fetcher=fetcher,
                fast_paths=fast_paths,
            )
        return list(report.outcomes)

    slow, fast = asyncio.run(go())
    assert slow.status == "error" and "timed out" in str(slow.error)
    assert fast.status == "ok"


def test_exception_mid_refresh_leaves_store_consistent(
    server: LocalServer, store: Store, monkeypatch: pytest.MonkeyPatch, fast_paths: FastPaths
) -> None:
    server.route("/feed", body=rss([full_item(1, server.base_url)]), content_type="text/xml")
    feed = [FeedSource("Outlet", server.url("/feed"))]
    run(feed, store, fast_paths)
    server.route(
        "/feed",
        body=rss([full_item(1, server.base_url), full_item(2, server.base_url)]),
        content_type="text/xml",
    )
    original = Store.save_feed_result

    def explode(self: Store, *args: object, **kw: object) -> int:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Store, "save_feed_result", explode)
    (outcome,) = run(feed, store, fast_paths)
    assert outcome.status == "error" and "disk on fire" in str(outcome.error)
    assert store.article_count() == 1
    monkeypatch.setattr(Store, "save_feed_result", original)
    assert run(feed, store, fast_paths)[0].new == 1
    assert store.article_count() == 2


def test_parse_pool_uses_processes_only_when_enough_bytes_changed(
    server: LocalServer, tmp_path: Path, fast_paths: FastPaths
) -> None:
    for n in range(4):
        server.route(
            f"/f{n}", body=rss([full_item(10 * n + 1, server.base_url)]), content_type="text/xml"
        )
    feeds = [FeedSource(f"Outlet {n}", server.url(f"/f{n}")) for n in range(4)]

    def refresh(pool: ParsePool, store: Store) -> list[FeedOutcome]:
        report = asyncio.run(refresh_feeds(feeds, store, executor=pool, fast_paths=fast_paths))
        return list(report.outcomes)

    with Store(tmp_path / "small.sqlite3") as store, ParsePool(workers=2) as pool:
        assert [o.status for o in refresh(pool, store)] == ["ok"] * 4
        assert not pool.started_processes  # four bodies of a few kB: parsed in a thread
        assert store.article_count() == 4
    with Store(tmp_path / "db.sqlite3") as store:
        with ParsePool(workers=2, threshold=2) as pool:
            outcomes = refresh(pool, store)
            assert pool.started_processes  # more than two bytes to parse
        assert [o.status for o in outcomes] == ["ok"] * 4
        assert store.article_count() == 4
        with ParsePool(workers=2, threshold=2) as pool:
            again = refresh(pool, store)  # nothing changed: nothing parsed, no process started
            assert not pool.started_processes
        assert [o.status for o in again] == ["not-modified"] * 4
        assert {s.status for s in store.feed_states()} == {"not-modified"}


def test_a_broken_parse_pool_falls_back_to_parsing_here(
    server: LocalServer, store: Store, fast_paths: FastPaths
) -> None:
    server.route("/feed", body=rss([full_item(1, server.base_url)]), content_type="text/xml")
    pool = ProcessPoolExecutor(1, mp_context=get_context("spawn"))
    # A worker that dies breaks the pool for every later job.
    with pytest.raises(BrokenProcessPool):
        pool.submit(os._exit, 1).result()
    try:
        report = asyncio.run(
            refresh_feeds(
                [FeedSource("Outlet", server.url("/feed"))],
                store,
                executor=pool,
                fast_paths=fast_paths,
            )
        )
    finally:
        pool.shutdown()
    assert report.outcomes[0].status == "ok" and store.article_count() == 1


def test_retry_after_far_away_is_capped_shown_with_its_date_and_forced(
    server: LocalServer, store: Store, fast_paths: FastPaths
) -> None:
    """`Retry-After: Fri, 31 Dec 9999` silenced a feed for ever, shown only as a time."""
    server.route("/busy", status=503, headers={"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"})
    feed = [FeedSource("Busy", server.url("/busy"))]
    clock = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    run(feed, store, fast_paths, now=lambda: clock)
    state = store.feed_state("Busy")
    assert state is not None and state.retry_after is not None
    assert state.retry_after <= datetime.now(UTC) + timedelta(hours=24, minutes=1)
    # A store written before the cap held the date as sent: capped when read too.
    store.save_feed_state(
        dataclasses.replace(state, retry_after=datetime(9999, 12, 31, tzinfo=UTC))
    )
    skipped = run(feed, store, fast_paths, now=lambda: clock)[0]
    assert skipped.status == "deferred"
    assert skipped.error == (
        "the server asked to wait until Tue 03 Mar 2026 10:00 UTC (refresh --force tries now)"
    )
    day_after = clock + timedelta(hours=25)
    assert run(feed, store, fast_paths, now=lambda: day_after)[0].status == "error"
    before = len(server.requests_to("/busy"))
    forced = asyncio.run(
        refresh_feeds(feed, store, now=lambda: clock, fast_paths=fast_paths, force=True)
    )
    assert forced.outcomes[0].status == "error" and len(server.requests_to("/busy")) == before + 1
    assert forced.refreshed == 0 and not forced.skipped
