"""A remote feed's article pages never reach a private address (issue 17).

Everything here runs on the loopback interface, so the tests name the "private" network
themselves (`PrivateNetworks.of`): a server on 127.0.0.1 plays the feed on the internet
and a server on 127.0.0.2 (Linux routes all of 127/8 to lo) plays the user's own network,
or the other way round where a host name must resolve to the private one (`localhost` is
127.0.0.1). Requests are counted on the private server: refused means never asked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from heraldtui.cli import main
from heraldtui.core.errors import ConfigError
from heraldtui.core.ingest import addresses, pagefail
from heraldtui.core.ingest.addresses import PrivateNetworks
from heraldtui.core.ingest.config import load_config
from heraldtui.core.ingest.fastpaths import FAST_PATHS_ON, FastPaths
from heraldtui.core.ingest.fetch import Fetcher, FetchFailed
from heraldtui.core.ingest.refresh import FeedOutcome, refresh_feeds
from heraldtui.core.models import FeedSource
from heraldtui.core.newsroom import DB_NAME
from heraldtui.core.storage.store import Store
from tests.fixtures.site.make import PARA, page, rss
from tests.support.httpserver import LocalServer
from tests.support.proxyserver import ForwardingProxy

INTERNAL = PrivateNetworks.of("127.0.0.2/32")
"""127.0.0.2 is the user's network; 127.0.0.1 is the internet."""
LOOPBACK_ONE = PrivateNetworks.of("127.0.0.1/32", "::1/128")
"""The other way round, for `localhost` (which resolves to 127.0.0.1)."""
SECRET = page("Router admin", f"<p>{PARA}</p>" * 3)
ARTICLE = page("Rural crime", f"<p>{PARA}</p>" * 3)
FAST_PATHS = [pytest.param(FAST_PATHS_ON, id="fast"), pytest.param(FastPaths.off(), id="slow")]


def _serve(host: str) -> Iterator[LocalServer]:
    server = LocalServer(host=host)
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def public() -> Iterator[LocalServer]:
    yield from _serve("127.0.0.1")


@pytest.fixture
def internal() -> Iterator[LocalServer]:
    yield from _serve("127.0.0.2")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "data" / DB_NAME) as opened:
        yield opened


def publish(feed_server: LocalServer, links: list[str]) -> str:
    """A teaser-only feed on `feed_server` linking to `links`; its URL."""
    items = [{"title": f"Teaser {n}", "link": link} for n, link in enumerate(links)]
    feed_server.route("/feed", body=rss(items), content_type="text/xml")
    return feed_server.url("/feed")


def refresh(
    store: Store,
    feed_url: str,
    *,
    networks: PrivateNetworks = INTERNAL,
    fast_paths: FastPaths = FAST_PATHS_ON,
    allow: bool = False,
) -> FeedOutcome:
    async def go() -> FeedOutcome:
        fetcher = Fetcher(
            private_networks=networks, allow_private_pages=allow, fast_paths=fast_paths
        )
        async with fetcher:
            report = await refresh_feeds([FeedSource("Outlet", feed_url)], store, fetcher=fetcher)
        [outcome] = report.outcomes
        return outcome

    return asyncio.run(go())


def stored_text(store: Store, link: str) -> str:
    return next(a.content for a in store.articles() if a.link == link)


# -- the rule ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "10.0.0.5",
        "172.16.4.4",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "::1",
        "::",
        "fe80::1",
        "fe80::1%eth0",
        "fc00::1",
        "fd12:3456::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.5",
        "2002:7f00:1::1",
        "not an address",
    ],
)
def test_the_rule_calls_these_private(address: str) -> None:
    assert PrivateNetworks().contains(address)


@pytest.mark.parametrize(
    "address", ["8.8.8.8", "1.1.1.1", "100.128.0.1", "2606:4700::1111", "::ffff:8.8.8.8"]
)
def test_the_rule_leaves_public_addresses_alone(address: str) -> None:
    assert not PrivateNetworks().contains(address)


def test_named_networks_replace_the_rule() -> None:
    assert INTERNAL.contains("127.0.0.2") and not INTERNAL.contains("127.0.0.1")
    assert not INTERNAL.contains("10.0.0.5")


# -- through a refresh ---------------------------------------------------------------------


@pytest.mark.parametrize("fast_paths", FAST_PATHS)
def test_a_remote_feeds_pages_on_a_private_address_are_never_requested(
    public: LocalServer, internal: LocalServer, store: Store, fast_paths: FastPaths
) -> None:
    public.route("/story", body=ARTICLE, content_type="text/html")
    internal.route("/admin", body=SECRET, content_type="text/html")
    internal.route("/status", body=SECRET, content_type="text/html")
    links = [public.url("/story"), internal.url("/admin"), internal.url("/status")]
    outcome = refresh(store, publish(public, links), fast_paths=fast_paths)
    assert internal.requests == []
    assert outcome.status == "ok" and outcome.items == 3
    assert outcome.warning is not None
    assert "2 article pages refused: they point at a private address (127.0.0.2" in (
        outcome.warning
    )
    assert stored_text(store, public.url("/story")).count("rural team") == 3
    assert "rural team" not in stored_text(store, internal.url("/admin"))


@pytest.mark.parametrize("fast_paths", FAST_PATHS)
def test_a_redirect_to_a_private_address_is_refused_at_the_hop(
    public: LocalServer, internal: LocalServer, store: Store, fast_paths: FastPaths
) -> None:
    internal.route("/admin", body=SECRET, content_type="text/html")
    public.route("/story", status=302, headers={"Location": internal.url("/admin")})
    outcome = refresh(store, publish(public, [public.url("/story")]), fast_paths=fast_paths)
    assert len(public.requests_to("/story")) == 1
    assert internal.requests == []
    assert outcome.warning is not None
    assert "1 article page refused: it points at a private address (127.0.0.2" in (outcome.warning)


@pytest.mark.parametrize("fast_paths", FAST_PATHS)
def test_a_host_name_that_resolves_to_a_private_address_is_refused(
    public: LocalServer, internal: LocalServer, store: Store, fast_paths: FastPaths
) -> None:
    # Here 127.0.0.2 is the internet and 127.0.0.1 (what `localhost` resolves to) is home.
    public.route("/admin", body=SECRET, content_type="text/html")
    port = public.base_url.rsplit(":", 1)[1]
    feed = publish(internal, [f"http://localhost:{port}/admin"])
    outcome = refresh(store, feed, networks=LOOPBACK_ONE, fast_paths=fast_paths)
    assert public.requests == []
    assert outcome.warning is not None
    assert "refused: it points at a private address (127.0.0.1" in outcome.warning


def test_a_kept_connection_to_a_private_address_is_not_reused(internal: LocalServer) -> None:
    internal.route("/admin", body=SECRET, content_type="text/html")

    async def go() -> str:
        async with Fetcher(private_networks=INTERNAL) as fetcher:
            await fetcher.fetch(internal.url("/admin"))  # a local feed's page: kept alive
            with pytest.raises(FetchFailed) as refused:
                await fetcher.fetch(internal.url("/admin"), public_only=True)
        assert refused.value.private_address == "127.0.0.2"
        return str(refused.value)

    assert "127.0.0.2 is a private address" in asyncio.run(go())
    assert len(internal.requests_to("/admin")) == 1


@pytest.mark.parametrize("fast_paths", FAST_PATHS)
def test_a_local_feed_may_fetch_pages_on_its_own_network(
    internal: LocalServer, store: Store, fast_paths: FastPaths
) -> None:
    internal.route("/story", body=ARTICLE, content_type="text/html")
    outcome = refresh(store, publish(internal, [internal.url("/story")]), fast_paths=fast_paths)
    assert outcome.warning is None
    assert len(internal.requests_to("/story")) == 1
    assert stored_text(store, internal.url("/story")).count("rural team") == 3


def test_allow_private_pages_lets_a_remote_feed_reach_them(
    public: LocalServer, internal: LocalServer, store: Store
) -> None:
    internal.route("/story", body=ARTICLE, content_type="text/html")
    outcome = refresh(store, publish(public, [internal.url("/story")]), allow=True)
    assert outcome.warning is None
    assert len(internal.requests_to("/story")) == 1


def test_feeds_themselves_are_never_restricted(internal: LocalServer, store: Store) -> None:
    internal.route("/story", body=ARTICLE, content_type="text/html")
    outcome = refresh(store, publish(internal, []))
    assert outcome.status == "ok"

    async def go() -> None:
        async with Fetcher(private_networks=INTERNAL) as fetcher:
            await fetcher.fetch(internal.url("/story"))

    asyncio.run(go())
    assert len(internal.requests_to("/story")) == 1


def test_through_a_proxy_only_addresses_in_the_url_are_checked(
    public: LocalServer, internal: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The proxy resolves names itself, so a name cannot be checked: said in the docs.
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    internal.route("/admin", body=SECRET, content_type="text/html")
    public.route("/story", body=ARTICLE, content_type="text/html")
    proxy = ForwardingProxy()
    port = public.base_url.rsplit(":", 1)[1]

    async def go() -> None:
        async with Fetcher(private_networks=LOOPBACK_ONE, proxy=proxy.url) as fetcher:
            with pytest.raises(FetchFailed, match=r"127\.0\.0\.1 is a private address"):
                await fetcher.fetch(public.url("/story"), public_only=True)
            await fetcher.fetch(f"http://localhost:{port}/story", public_only=True)

    try:
        asyncio.run(go())
    finally:
        proxy.close()
    assert proxy.seen == [("GET", f"http://localhost:{port}/story")]


# -- the setting and the program -----------------------------------------------------------


def test_the_setting_is_true_or_false_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    feeds = '[[feeds]]\nname = "A"\nurl = "https://a.example/feed"\n\n'
    path.write_text(feeds + '[settings]\ntheme = "nord"\nallow_private_pages = "yes"\n', "utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value) == f"{path}:7: settings: 'allow_private_pages' must be true or false"
    path.write_text(feeds + "[settings]\nallow_private_pages = true\n", "utf-8")
    assert load_config(path).settings.allow_private_pages is True
    path.write_text(feeds, "utf-8")
    assert load_config(path).settings.allow_private_pages is False


def test_refresh_through_the_cli_refuses_then_allows(
    public: LocalServer,
    internal: LocalServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr(addresses, "PRIVATE", INTERNAL)
    internal.route("/admin", body=SECRET, content_type="text/html")
    feed = publish(public, [internal.url("/admin")])
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[feeds]]\nname = "Outlet"\nurl = "{feed}"\n', "utf-8")
    assert main(["refresh", "--config", str(config), "--data-dir", str(tmp_path / "a")]) == 0
    out = capsys.readouterr().out
    assert "Outlet: 1 new of 1 items (warning: 1 article page refused: it points at a " in out
    assert "private address (127.0.0.2;" in out
    assert internal.requests == []
    with config.open("a", encoding="utf-8") as handle:
        handle.write("\n[settings]\nallow_private_pages = true\n")
    assert main(["refresh", "--config", str(config), "--data-dir", str(tmp_path / "b")]) == 0
    assert "Outlet: 1 new of 1 items\n" in capsys.readouterr().out
    assert len(internal.requests_to("/admin")) == 1


def test_the_warning_names_a_few_addresses_once_each() -> None:
    refused = ["10.0.0.5", "10.0.0.5", "10.0.0.6", "192.168.1.1", "127.0.0.1"]
    assert pagefail.note(timed_out=0, waiting=0, abandoned=0, refused=refused) == (
        "5 article pages refused: they point at a private address "
        "(10.0.0.5, 10.0.0.6, 192.168.1.1, ...; see allow_private_pages in [settings])"
    )
