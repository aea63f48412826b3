"""Article pages that timed out are not fetched again on the next refreshes (issue 17).

A real server on 127.0.0.1 trickles some pages; the feed changes between refreshes (else
no page would be looked at anyway), and the requests each page received are counted.
The fetcher's deadline is shrunk to half a second so a refresh takes about that long.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from heraldtui.cli import main
from heraldtui.core.ingest.fetch import Fetcher
from heraldtui.core.ingest.pagefail import BUDGET_REASON, PAGE_GIVE_UP, PAGE_RETRY_AFTER
from heraldtui.core.ingest.refresh import FeedOutcome, refresh_feeds
from heraldtui.core.models import FeedSource
from heraldtui.core.newsroom import DB_NAME
from heraldtui.core.storage.fates import page_failures
from heraldtui.core.storage.store import Store
from tests.fixtures.site.make import PARA, full_item, page, rss
from tests.support.httpserver import LocalServer, http_server

server = pytest.fixture(http_server)

SLOW = page("Slow", f"<p>{PARA}</p>" * 40)
FINE = page("Fine", f"<p>{PARA}</p><p>{PARA}</p>")
CLOCK = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "data" / DB_NAME)


def teaser(server: LocalServer, path: str) -> dict[str, str]:
    return {"title": f"Teaser {path}", "link": server.url(path)}


def publish(server: LocalServer, pages: list[str], extra: int = 0) -> None:
    """The feed: a teaser per page, and `extra` full items (so it differs each time)."""
    items = [teaser(server, p) for p in pages]
    items += [full_item(100 + n, server.base_url) for n in range(extra)]
    server.route("/feed", body=rss(items), content_type="text/xml")


def refresh(
    store: Store,
    server: LocalServer,
    *,
    now: datetime = CLOCK,
    timeout: float = 0.5,
    budget: float = 60.0,
) -> FeedOutcome:
    async def go() -> FeedOutcome:
        async with Fetcher(total_timeout=timeout) as fetcher:
            report = await refresh_feeds(
                [FeedSource("Slow", server.url("/feed"))],
                store,
                fetcher=fetcher,
                now=lambda: now,
                pages_budget=budget,
            )
        [outcome] = report.outcomes
        return outcome

    return asyncio.run(go())


def hits(server: LocalServer, path: str) -> int:
    return len(server.requests_to(path))


def trickle(server: LocalServer, *paths: str) -> None:
    for path in paths:
        server.route(path, body=SLOW, trickle=0.05, chunk_size=64, content_type="text/html")


def test_a_page_that_timed_out_is_skipped_then_given_up(server: LocalServer, store: Store) -> None:
    slow = ["/slow0", "/slow1", "/slow2"]
    trickle(server, *slow)
    server.route("/fine", body=FINE, content_type="text/html")
    publish(server, [*slow, "/fine"])
    first = refresh(store, server)
    assert first.status == "ok"
    assert first.warning == "3 article pages timed out (teasers kept; not fetched for 24 h)"
    assert store.feed_state("Slow").warning == first.warning  # type: ignore[union-attr]
    assert {p: f.failures for p, f in page_failures(store, "Slow").items()} == {
        server.url(p): 1 for p in slow
    }
    # The next refresh (the feed changed) leaves the slow pages alone.
    publish(server, [*slow, "/fine"], extra=1)
    second = refresh(store, server, now=CLOCK + timedelta(hours=1))
    assert second.new == 1
    assert second.warning == "3 article pages skipped (they timed out within the last 24 h)"
    assert [hits(server, p) for p in slow] == [1, 1, 1]
    assert hits(server, "/fine") == 1  # its text was stored: not fetched again either
    # A day later they are tried again; after PAGE_GIVE_UP time-outs, given up.
    when = CLOCK
    for attempt in range(2, PAGE_GIVE_UP + 1):
        when += PAGE_RETRY_AFTER + timedelta(minutes=1)
        publish(server, [*slow, "/fine"], extra=attempt)
        assert "3 article pages timed out" in str(refresh(store, server, now=when).warning)
        assert [hits(server, p) for p in slow] == [attempt] * 3
    when += timedelta(days=30)
    publish(server, [*slow, "/fine"], extra=PAGE_GIVE_UP + 1)
    last = refresh(store, server, now=when)
    assert last.warning == f"3 article pages given up (timed out {PAGE_GIVE_UP} times)"
    assert [hits(server, p) for p in slow] == [PAGE_GIVE_UP] * 3


def test_pages_past_the_feeds_budget_are_remembered(server: LocalServer, store: Store) -> None:
    """The fetcher's own deadline is a minute; the feed's budget (1 s here) ends first."""
    trickle(server, "/slow0", "/slow1")
    server.route("/fine", body=FINE, content_type="text/html")
    publish(server, ["/slow0", "/slow1", "/fine"])
    outcome = refresh(store, server, timeout=60.0, budget=1.0)
    assert outcome.warning == "2 article pages timed out (teasers kept; not fetched for 24 h)"
    failures = page_failures(store, "Slow")
    assert sorted(failures) == [server.url("/slow0"), server.url("/slow1")]
    assert {f.reason for f in failures.values()} == {BUDGET_REASON}
    assert next(a.content for a in store.articles() if "slow" not in a.link).count("rural") == 2
    publish(server, ["/slow0", "/slow1", "/fine"], extra=1)
    refresh(store, server, timeout=60.0, budget=1.0, now=CLOCK + timedelta(hours=2))
    assert (hits(server, "/slow0"), hits(server, "/slow1")) == (1, 1)


def test_quick_failures_are_tried_each_time(server: LocalServer, store: Store) -> None:
    server.route("/gone", status=404)
    publish(server, ["/gone"])
    assert refresh(store, server).warning is None
    publish(server, ["/gone"], extra=1)
    refresh(store, server)
    assert hits(server, "/gone") == 2 and page_failures(store, "Slow") == {}


def test_a_page_that_answers_or_leaves_the_feed_is_forgotten(
    server: LocalServer, store: Store
) -> None:
    trickle(server, "/late", "/leaves")
    publish(server, ["/late", "/leaves"])
    refresh(store, server)
    assert len(page_failures(store, "Slow")) == 2
    # A day later /late answers quickly and /leaves is no longer in the feed.
    server.route("/late", body=FINE, content_type="text/html")
    publish(server, ["/late"], extra=1)
    outcome = refresh(store, server, now=CLOCK + PAGE_RETRY_AFTER + timedelta(minutes=1))
    assert outcome.warning is None
    assert page_failures(store, "Slow") == {}
    late = next(a for a in store.articles() if a.link == server.url("/late"))
    assert late.content.count("rural") == 2


def test_refresh_through_the_cli_says_how_many_pages_it_skipped(
    server: LocalServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trickle(server, "/slow0", "/slow1")
    publish(server, ["/slow0", "/slow1"])
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[feeds]]\nname = "Slow"\nurl = "{server.url("/feed")}"\n', "utf-8")
    data = tmp_path / "data"
    with Store(data / DB_NAME) as store:
        refresh(store, server, now=datetime.now(UTC))
    publish(server, ["/slow0", "/slow1"], extra=1)
    assert main(["refresh", "--config", str(config), "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert (
        "Slow: 1 new of 3 items (warning: 2 article pages skipped "
        "(they timed out within the last 24 h))"
    ) in out
    assert (hits(server, "/slow0"), hits(server, "/slow1")) == (1, 1)
    assert main(["feeds", "list", "--config", str(config), "--data-dir", str(data)]) == 0
    assert "2 article pages skipped" in capsys.readouterr().out
