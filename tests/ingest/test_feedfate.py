"""Feeds that moved or died (issue 16): real redirects, a real 410, a real SQLite file.

Every test runs `refresh_feeds` against a server on 127.0.0.1 and counts the requests each
path received: a feed that moved for good is fetched from its new URL from then on (no
request to the old one), a temporary hop anywhere keeps the old URL, a 410 stops every
request until the mark is cleared.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from heraldtui.core.ingest.fetch import Fetcher, NotModified
from heraldtui.core.ingest.refresh import FeedOutcome, RefreshReport, refresh_feeds
from heraldtui.core.models import FeedSource
from heraldtui.core.storage.fates import clear_gone, feed_states
from heraldtui.core.storage.store import Store
from tests.fixtures.site.make import full_item, rss
from tests.support.httpserver import LocalServer, http_server

server = pytest.fixture(http_server)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "data" / "heraldtui.sqlite3")


def refresh(
    feeds: list[FeedSource],
    store: Store,
    *,
    now: Callable[[], datetime] | None = None,
    force: bool = False,
) -> RefreshReport:
    clock = now or (lambda: datetime.now(UTC))
    return asyncio.run(refresh_feeds(feeds, store, now=clock, force=force))


def one(feeds: list[FeedSource], store: Store, **kw: object) -> FeedOutcome:
    [outcome] = refresh(feeds, store, **kw).outcomes  # type: ignore[arg-type]
    return outcome


def hits(server: LocalServer, path: str) -> int:
    return len(server.requests_to(path))


def serve_feed(server: LocalServer, path: str, n: int = 1) -> None:
    server.route(path, body=rss([full_item(n, server.base_url)]), content_type="text/xml")


@pytest.mark.parametrize("status", [301, 308])
def test_a_permanent_redirect_moves_the_feed(
    server: LocalServer, store: Store, status: int
) -> None:
    serve_feed(server, "/new")
    server.route("/old", status=status, headers={"Location": server.url("/new")})
    feed = [FeedSource("Moved", server.url("/old"))]
    first = one(feed, store)
    assert first.status == "ok" and first.new == 1
    assert first.moved_to == server.url("/new")
    assert f"moved permanently to {server.url('/new')}" in first.describe()
    assert "heraldtui feeds follow Moved" in first.describe()
    [state] = feed_states(store)
    assert state.url == server.url("/old")  # still the configured URL
    assert state.moved_to == server.url("/new") and state.moved_at is not None
    # From now on the new URL is fetched directly: the old one is not asked again.
    second = one(feed, store)
    assert second.status == "not-modified" and second.moved_to == server.url("/new")
    assert (hits(server, "/old"), hits(server, "/new")) == (1, 2)


def test_a_chain_of_permanent_hops_moves_to_its_end(server: LocalServer, store: Store) -> None:
    serve_feed(server, "/c")
    server.route("/a", status=301, headers={"Location": server.url("/b")})
    server.route("/b", status=308, headers={"Location": server.url("/c")})
    feed = [FeedSource("Chain", server.url("/a"))]
    assert one(feed, store).moved_to == server.url("/c")
    one(feed, store)
    assert [hits(server, p) for p in ("/a", "/b", "/c")] == [1, 1, 2]


@pytest.mark.parametrize(
    ("first", "second"),
    [(301, 302), (302, 301), (307, 308), (308, 307), (301, 303)],
    ids=["301-then-302", "302-then-301", "307-then-308", "308-then-307", "301-then-303"],
)
def test_a_temporary_hop_anywhere_keeps_the_old_url(
    server: LocalServer, store: Store, first: int, second: int
) -> None:
    serve_feed(server, "/c")
    server.route("/a", status=first, headers={"Location": server.url("/b")})
    server.route("/b", status=second, headers={"Location": server.url("/c")})
    feed = [FeedSource("Detour", server.url("/a"))]
    outcome = one(feed, store)
    assert outcome.status == "ok" and outcome.moved_to is None
    assert "moved" not in outcome.describe()
    [state] = feed_states(store)
    assert state.moved_to is None
    one(feed, store)
    assert hits(server, "/a") == 2  # fetched from the configured URL again


def test_a_moved_feed_that_moves_again_or_comes_home(server: LocalServer, store: Store) -> None:
    serve_feed(server, "/home")
    serve_feed(server, "/away")
    server.route("/home-moved", status=301, headers={"Location": server.url("/away")})
    feed = [FeedSource("Wanderer", server.url("/home-moved"))]
    assert one(feed, store).moved_to == server.url("/away")
    # The new place moves for good again: followed from there.
    serve_feed(server, "/further")
    server.route("/away", status=308, headers={"Location": server.url("/further")})
    assert one(feed, store).moved_to == server.url("/further")
    assert feed_states(store)[0].moved_to == server.url("/further")
    # ... and back to the URL in feeds.toml: no move any more.
    server.route("/further", status=301, headers={"Location": server.url("/home-moved")})
    server.route("/home-moved", body=rss([full_item(1, server.base_url)]), content_type="text/xml")
    outcome = one(feed, store)
    assert outcome.moved_to is None
    assert feed_states(store)[0].moved_to is None


def test_the_fetcher_says_when_every_hop_was_permanent(server: LocalServer) -> None:
    server.route("/feed", status=304)
    server.route("/p", status=301, headers={"Location": server.url("/feed")})
    server.route("/t", status=302, headers={"Location": server.url("/feed")})

    async def fetch(path: str) -> NotModified:
        async with Fetcher() as fetcher:
            got = await fetcher.fetch(server.url(path), etag='"x"')
        assert isinstance(got, NotModified)
        return got

    assert asyncio.run(fetch("/p")).moved_to == server.url("/feed")
    assert asyncio.run(fetch("/t")).moved_to is None
    assert asyncio.run(fetch("/feed")).moved_to is None


def test_writing_the_new_url_into_feeds_toml_keeps_the_state(
    server: LocalServer, store: Store
) -> None:
    """After the user points the name at the new URL, the feed is not started afresh:
    its validators and items stay, and its move is done."""
    server.route(
        "/new",
        body=rss([full_item(1, server.base_url)]),
        content_type="text/xml",
        headers={"ETag": '"v1"'},
    )
    server.route("/old", status=301, headers={"Location": server.url("/new")})
    one([FeedSource("Moved", server.url("/old"))], store)
    outcome = one([FeedSource("Moved", server.url("/new"))], store)
    assert outcome.status == "not-modified" and outcome.moved_to is None
    assert server.requests_to("/new")[-1].headers.get("if-none-match") == '"v1"'
    [state] = feed_states(store)
    assert (state.url, state.moved_to, state.items) == (server.url("/new"), None, 1)
    # Pointing it somewhere else entirely starts afresh, with no move.
    serve_feed(server, "/other", 2)
    one([FeedSource("Moved", server.url("/other"))], store)
    assert feed_states(store)[0].moved_to is None


def test_410_gone_stops_fetching_until_cleared(server: LocalServer, store: Store) -> None:
    server.route("/dead", status=410)
    serve_feed(server, "/alive")
    feeds = [FeedSource("Dead", server.url("/dead")), FeedSource("Alive", server.url("/alive"))]
    clock = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    report = refresh(feeds, store, now=lambda: clock)
    dead = report.outcomes[0]
    assert dead.status == "gone" and report.gone == (dead,)
    assert report.refreshed == 1 and not report.failed
    assert dead.describe() == (
        "Dead: gone since Mon 02 Mar 2026 (HTTP 410 Gone): not fetched until cleared "
        "(heraldtui feeds clear Dead, or c on the feeds screen)"
    )
    state = {s.name: s for s in feed_states(store)}["Dead"]
    assert state.gone_since == clock and state.status == "error"
    # Neither a later refresh nor --force (nor a day later) asks the server again.
    later = clock + timedelta(days=3)
    assert refresh(feeds, store, now=lambda: later).outcomes[0].status == "gone"
    assert refresh(feeds, store, now=lambda: later, force=True).outcomes[0].status == "gone"
    assert hits(server, "/dead") == 1 and hits(server, "/alive") == 3
    # Cleared: fetched again (and the feed came back).
    assert clear_gone(store, "Dead") is True
    assert clear_gone(store, "Dead") is False
    serve_feed(server, "/dead", 5)
    back = refresh(feeds, store).outcomes[0]
    assert back.status == "ok" and hits(server, "/dead") == 2
    assert {s.name: s for s in feed_states(store)}["Dead"].gone_since is None


def test_gone_after_a_permanent_move_and_a_new_url_clears_it(
    server: LocalServer, store: Store
) -> None:
    server.route("/old", status=301, headers={"Location": server.url("/gone")})
    server.route("/gone", status=410)
    assert one([FeedSource("F", server.url("/old"))], store).status == "gone"
    # The user points the name at another URL: the mark was for the old one.
    serve_feed(server, "/elsewhere")
    assert one([FeedSource("F", server.url("/elsewhere"))], store).status == "ok"
    assert feed_states(store)[0].gone_since is None


def test_a_404_is_not_gone(server: LocalServer, store: Store) -> None:
    feed = [FeedSource("Missing", server.url("/nothing"))]
    assert one(feed, store).status == "error"
    assert one(feed, store).status == "error"
    assert hits(server, "/nothing") == 2
