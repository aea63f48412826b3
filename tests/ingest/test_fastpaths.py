"""The fast-path switch: `HERALDTUI_FAST_PATHS=0` turns all three off, and nothing else changes."""

from __future__ import annotations

import asyncio
import pickle
from collections.abc import Mapping
from pathlib import Path

import httpx
import pytest

from heraldtui.core.ingest import parse, proxies
from heraldtui.core.ingest.fastpaths import ENV_VAR, FAST_PATHS_ON, FastPaths
from heraldtui.core.ingest.fetch import Fetcher
from heraldtui.core.ingest.proxies import LazyTransport
from heraldtui.core.ingest.rssfast import PlainFeed, read_plain_rss
from heraldtui.core.ingest.transport import H11Transport
from heraldtui.core.models import Article
from heraldtui.core.newsroom import Newsroom
from heraldtui.core.text import html_markdown
from heraldtui.core.text.fast_markdown import fast_markdown
from tests.fixtures.site.make import PARA, full_item, page, rss
from tests.support.httpserver import LocalServer, http_server
from tests.support.paths import FIXTURES

server = pytest.fixture(http_server)


@pytest.mark.parametrize(
    ("value", "want"),
    [
        (None, FAST_PATHS_ON),
        ("0", FastPaths.off()),
        (" 0\n", FastPaths.off()),
        ("1", FAST_PATHS_ON),
        ("", FAST_PATHS_ON),
        ("off", FAST_PATHS_ON),  # only 0 turns them off
    ],
)
def test_the_environment_switches_all_three_at_once(value: str | None, want: FastPaths) -> None:
    environ = {} if value is None else {ENV_VAR: value}
    assert FastPaths.from_env(environ) == want
    assert FastPaths.off() == FastPaths(rss=False, markdown=False, transport=False)
    assert pickle.loads(pickle.dumps(want)) == want  # it travels to the parse workers


@pytest.mark.parametrize("on", [True, False])
async def test_the_fetcher_takes_the_transport_it_is_given(on: bool) -> None:
    async with Fetcher(fast_paths=FastPaths(transport=on)) as fetcher:
        client = fetcher._client
        assert client is not None
        transport = client._transport
        if not on:  # httpx's own, made on the first request (see ingest/proxies.py)
            assert isinstance(transport, LazyTransport)
            transport = transport.inner()
    assert isinstance(transport, H11Transport if on else httpx.AsyncHTTPTransport)


def _refresh(config: Path, data: Path) -> tuple[FastPaths, list[Article]]:
    with Newsroom.open(config, data) as room:
        report = asyncio.run(room.refresh())
        assert {o.status for o in report.outcomes} == {"ok"}, report
        return room.fast_paths, room.store.articles()


def test_a_refresh_without_fast_paths_stores_the_same_articles(
    server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = server.base_url
    teaser = {"title": "Teaser", "link": server.url("/a/teaser")}
    server.route(
        "/full", body=rss([full_item(1, base), full_item(2, base)]), content_type="text/xml"
    )
    server.route("/teaser", body=rss([teaser]), content_type="application/rss+xml")
    server.route("/a/teaser", body=page("Teaser", f"<p>{PARA}</p>" * 3), content_type="text/html")
    server.route("/atom", body=(FIXTURES / "feeds" / "atom.xml").read_bytes())
    server.route("/json", body=(FIXTURES / "feeds" / "jsonfeed-1.1.json").read_bytes())
    config = tmp_path / "feeds.toml"
    config.write_text(
        "".join(
            f'[[feeds]]\nname = "{name}"\nurl = "{server.url("/" + name)}"\n\n'
            for name in ("full", "teaser", "atom", "json")
        )
    )
    taken: dict[str, int] = {"rss": 0, "markdown": 0, "transport": 0}

    def rss_spy(body: bytes, headers: Mapping[str, str]) -> PlainFeed | None:
        found = read_plain_rss(body, headers)
        taken["rss"] += found is not None
        return found

    def markdown_spy(html: str, base_url: str | None) -> str | None:
        converted = fast_markdown(html, base_url)
        taken["markdown"] += converted is not None
        return converted

    def transport_spy(**options: object) -> H11Transport:
        taken["transport"] += 1
        return H11Transport(**options)  # type: ignore[arg-type]

    monkeypatch.setattr(parse, "read_plain_rss", rss_spy)
    monkeypatch.setattr(proxies, "H11Transport", transport_spy)
    monkeypatch.setattr(html_markdown, "fast_markdown", markdown_spy)

    monkeypatch.delenv(ENV_VAR, raising=False)
    paths, fast = _refresh(config, tmp_path / "fast")
    assert paths == FAST_PATHS_ON
    assert taken["rss"] >= 2 and taken["markdown"] >= 2 and taken["transport"] == 1, taken

    taken.update(rss=0, markdown=0, transport=0)
    monkeypatch.setenv(ENV_VAR, "0")
    paths, plain = _refresh(config, tmp_path / "plain")
    assert paths == FastPaths.off()
    assert taken == {"rss": 0, "markdown": 0, "transport": 0}

    assert len(fast) == 7
    assert PARA.strip() in next(a for a in fast if a.title == "Teaser").content  # its page
    assert plain == fast
