"""Proxies and private certificate authorities, as httpx reads them (issue 17).

Everything is real and on 127.0.0.1: a forwarding proxy (`tests/support/proxyserver.py`,
absolute-form requests for http, CONNECT tunnels for https) that records what it was
asked, servers answering http and https (with the throwaway CA of `tests/fixtures/tls/`),
and the environment set with `monkeypatch.setenv`. The fetcher tests run with every fast
path on and off (`fast_paths`): both transports must behave the same.
"""

from __future__ import annotations

import asyncio
import importlib.util
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from heraldtui.cli import main
from heraldtui.core.errors import ConfigError
from heraldtui.core.ingest.config import load_config
from heraldtui.core.ingest.fastpaths import FastPaths
from heraldtui.core.ingest.fetch import Fetched, Fetcher, FetchFailed
from heraldtui.core.ingest.proxies import ProxyRoutes
from tests.support.httpserver import LocalServer
from tests.support.paths import FIXTURES
from tests.support.proxyserver import ForwardingProxy

TLS = FIXTURES / "tls"
RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Behind the proxy</title>'
    b"<item><title>Road closed by the bridge</title><link>https://example.org/a</link>"
    b"<guid>a</guid></item></channel></rss>"
)


@pytest.fixture(autouse=True)
def no_certificate_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    """The machine's own SSL_CERT_FILE stays out (tests/conftest.py clears the proxies)."""
    for name in ("SSL_CERT_FILE", "SSL_CERT_DIR"):
        monkeypatch.delenv(name, raising=False)


def _server_tls() -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(TLS / "server.pem", TLS / "server.key")
    return context


def _serve(tls: ssl.SSLContext | None) -> Iterator[LocalServer]:
    server = LocalServer(tls=tls)
    server.route("/feed.xml", body=RSS, content_type="application/rss+xml")
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def plain() -> Iterator[LocalServer]:
    """A feed over http."""
    yield from _serve(None)


@pytest.fixture
def private() -> Iterator[LocalServer]:
    """A feed over https, its certificate signed by the private test CA."""
    yield from _serve(_server_tls())


@pytest.fixture
def proxy() -> Iterator[ForwardingProxy]:
    found = ForwardingProxy()
    yield found
    found.close()


@pytest.fixture
def other_proxy() -> Iterator[ForwardingProxy]:
    """A second proxy, which a test expects to see nothing."""
    found = ForwardingProxy()
    yield found
    found.close()


def fetch(url: str, fast_paths: FastPaths, **options: object) -> Fetched:
    async def run() -> Fetched:
        async with Fetcher(fast_paths=fast_paths, **options) as fetcher:  # type: ignore[arg-type]
            result = await fetcher.fetch(url)
        assert isinstance(result, Fetched)
        return result

    return asyncio.run(run())


def failure(url: str, fast_paths: FastPaths, **options: object) -> str:
    with pytest.raises(FetchFailed) as caught:
        fetch(url, fast_paths, **options)
    return str(caught.value)


def hostport(server: LocalServer) -> str:
    return server.base_url.split("://", 1)[1]


# -- the environment's proxies -------------------------------------------------------------


def test_http_proxy_carries_http_feeds(
    monkeypatch: pytest.MonkeyPatch,
    fast_paths: FastPaths,
    plain: LocalServer,
    proxy: ForwardingProxy,
    other_proxy: ForwardingProxy,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("HTTPS_PROXY", other_proxy.url)
    assert fetch(plain.url("/feed.xml"), fast_paths).body == RSS
    assert proxy.seen == [("GET", plain.url("/feed.xml"))]  # absolute form: a proxy request
    assert other_proxy.seen == []
    assert [r.path for r in plain.requests] == ["/feed.xml"]


def test_https_proxy_tunnels_https_feeds_with_connect(
    monkeypatch: pytest.MonkeyPatch,
    fast_paths: FastPaths,
    private: LocalServer,
    proxy: ForwardingProxy,
    other_proxy: ForwardingProxy,
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    monkeypatch.setenv("HTTP_PROXY", other_proxy.url)
    monkeypatch.setenv("SSL_CERT_FILE", str(TLS / "ca.pem"))
    assert fetch(private.url("/feed.xml"), fast_paths).body == RSS
    assert proxy.seen == [("CONNECT", hostport(private))]  # the request itself stays inside TLS
    assert other_proxy.seen == []
    assert [r.path for r in private.requests] == ["/feed.xml"]


def test_all_proxy_carries_both_schemes(
    monkeypatch: pytest.MonkeyPatch,
    fast_paths: FastPaths,
    plain: LocalServer,
    private: LocalServer,
    proxy: ForwardingProxy,
) -> None:
    monkeypatch.setenv("ALL_PROXY", proxy.url.removeprefix("http://"))  # bare host:port too
    monkeypatch.setenv("SSL_CERT_FILE", str(TLS / "ca.pem"))
    assert fetch(plain.url("/feed.xml"), fast_paths).body == RSS
    assert fetch(private.url("/feed.xml"), fast_paths).body == RSS
    assert proxy.seen == [("GET", plain.url("/feed.xml")), ("CONNECT", hostport(private))]


@pytest.mark.parametrize("no_proxy", ["127.0.0.1", "localhost,127.0.0.1", "*"])
def test_no_proxy_goes_direct(
    monkeypatch: pytest.MonkeyPatch,
    fast_paths: FastPaths,
    plain: LocalServer,
    proxy: ForwardingProxy,
    no_proxy: str,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", no_proxy)
    assert fetch(plain.url("/feed.xml"), fast_paths).body == RSS
    assert proxy.seen == []
    assert len(plain.requests) == 1


def test_no_proxy_matches_names_as_httpx_does(
    monkeypatch: pytest.MonkeyPatch, fast_paths: FastPaths, proxy: ForwardingProxy
) -> None:
    """`localhost` in NO_PROXY spares localhost, not 127.0.0.1: the same URL string rules."""
    server = LocalServer()
    server.route("/feed.xml", body=RSS)
    try:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "localhost")
        by_name = server.url("/feed.xml").replace("127.0.0.1", "localhost")
        assert fetch(by_name, fast_paths).body == RSS
        assert fetch(server.url("/feed.xml"), fast_paths).body == RSS
    finally:
        server.close()
    assert proxy.seen == [("GET", server.url("/feed.xml"))]


def test_proxy_credentials_go_to_the_proxy_and_stay_out_of_messages(
    monkeypatch: pytest.MonkeyPatch, fast_paths: FastPaths, plain: LocalServer
) -> None:
    proxy = ForwardingProxy()
    try:
        monkeypatch.setenv("HTTP_PROXY", f"http://reader:s3cret@127.0.0.1:{proxy.port}")
        assert fetch(plain.url("/feed.xml"), fast_paths).body == RSS
    finally:
        proxy.close()
    assert proxy.headers[0]["proxy-authorization"] == "Basic cmVhZGVyOnMzY3JldA=="
    assert "proxy-authorization" not in plain.requests[0].headers
    message = failure(plain.url("/feed.xml"), fast_paths)  # the proxy is gone now
    assert "s3cret" not in message and "reader" not in message
    assert f"could not connect to the proxy http://127.0.0.1:{proxy.port}" in message


# -- [settings] proxy ----------------------------------------------------------------------


def test_the_setting_replaces_the_environments_proxies(
    monkeypatch: pytest.MonkeyPatch,
    fast_paths: FastPaths,
    plain: LocalServer,
    private: LocalServer,
    proxy: ForwardingProxy,
    other_proxy: ForwardingProxy,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", other_proxy.url)
    monkeypatch.setenv("ALL_PROXY", other_proxy.url)
    monkeypatch.setenv("SSL_CERT_FILE", str(TLS / "ca.pem"))
    assert fetch(plain.url("/feed.xml"), fast_paths, proxy=proxy.url).body == RSS
    assert fetch(private.url("/feed.xml"), fast_paths, proxy=proxy.url).body == RSS
    assert proxy.seen == [("GET", plain.url("/feed.xml")), ("CONNECT", hostport(private))]
    assert other_proxy.seen == []


def test_no_proxy_still_applies_to_the_setting(
    monkeypatch: pytest.MonkeyPatch,
    fast_paths: FastPaths,
    plain: LocalServer,
    proxy: ForwardingProxy,
) -> None:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    assert fetch(plain.url("/feed.xml"), fast_paths, proxy=proxy.url).body == RSS
    assert proxy.seen == []


def test_the_setting_through_the_real_program(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    plain: LocalServer,
    proxy: ForwardingProxy,
    other_proxy: ForwardingProxy,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", other_proxy.url)
    config = tmp_path / "feeds.toml"
    config.write_text(
        f'[settings]\nproxy = "{proxy.url}"\n\n'
        f'[[feeds]]\nname = "Proxied"\nurl = "{plain.url("/feed.xml")}"\nfull_text = false\n'
    )
    data = ["--data-dir", str(tmp_path / "data")]
    assert main(["refresh", "--config", str(config), *data]) == 0
    assert proxy.seen == [("GET", plain.url("/feed.xml"))]
    assert other_proxy.seen == []
    assert main(["export", "--offline", "--config", str(config), *data]) == 0
    assert "Road closed by the bridge" in capsys.readouterr().out


# -- private certificate authorities -------------------------------------------------------


def test_ssl_cert_file_makes_a_private_ca_trusted(
    monkeypatch: pytest.MonkeyPatch, fast_paths: FastPaths, private: LocalServer
) -> None:
    url = private.url("/feed.xml")
    assert "TLS certificate of '127.0.0.1' is not valid" in failure(url, fast_paths)
    monkeypatch.setenv("SSL_CERT_FILE", str(TLS / "ca.pem"))
    assert fetch(url, fast_paths).body == RSS


def test_ssl_cert_dir_makes_a_private_ca_trusted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast_paths: FastPaths, private: LocalServer
) -> None:
    # A folder of certificates is found by subject hash (`openssl rehash` names the links).
    ca = ssl.PEM_cert_to_DER_cert((TLS / "ca.pem").read_text())
    subject_hash = _subject_hash(ca)
    if subject_hash is None:
        pytest.skip("the openssl command is needed to name a certificate folder's entries")
    (tmp_path / f"{subject_hash}.0").write_bytes((TLS / "ca.pem").read_bytes())
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))
    assert fetch(private.url("/feed.xml"), fast_paths).body == RSS


def _subject_hash(der: bytes) -> str | None:
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    done = subprocess.run(
        [openssl, "x509", "-inform", "DER", "-noout", "-subject_hash"],
        input=der,
        capture_output=True,
        check=False,
    )
    return done.stdout.decode().strip() or None


def test_a_certificate_file_that_cannot_be_read_fails_each_https_request(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fast_paths: FastPaths,
    plain: LocalServer,
    private: LocalServer,
) -> None:
    missing = tmp_path / "nowhere.pem"
    monkeypatch.setenv("SSL_CERT_FILE", str(missing))
    message = failure(private.url("/feed.xml"), fast_paths)
    assert message.startswith(f"cannot load the certificates in SSL_CERT_FILE ({missing})")
    if fast_paths.transport:  # httpx's transport cannot be made without its TLS context
        assert fetch(plain.url("/feed.xml"), fast_paths).body == RSS  # http needs no roots


def test_a_certificate_error_through_the_real_program(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    private: LocalServer,
) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text(
        f'[[feeds]]\nname = "Private"\nurl = "{private.url("/feed.xml")}"\nfull_text = false\n'
    )
    data = ["--data-dir", str(tmp_path / "data")]
    main(["refresh", "--config", str(config), *data])
    err = capsys.readouterr().err
    assert "Private: error: the TLS certificate of '127.0.0.1' is not valid" in err
    assert "0 of 1 feeds refreshed" in err
    monkeypatch.setenv("SSL_CERT_FILE", str(TLS / "ca.pem"))
    assert main(["refresh", "--config", str(config), *data]) == 0
    assert "1 of 1 feeds refreshed, 1 new articles" in capsys.readouterr().out


# -- what goes wrong on the way ------------------------------------------------------------


def test_a_proxy_that_refuses_the_tunnel(
    monkeypatch: pytest.MonkeyPatch, fast_paths: FastPaths, private: LocalServer
) -> None:
    proxy = ForwardingProxy(refuse_connect=True)
    try:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        message = failure(private.url("/feed.xml"), fast_paths)
    finally:
        proxy.close()
    assert message == (
        f"the proxy did not connect to 127.0.0.1 (403 Forbidden) "
        f"(through the proxy http://127.0.0.1:{proxy.port})"
    )
    assert private.requests == []


def test_a_proxy_that_is_not_there(
    monkeypatch: pytest.MonkeyPatch, fast_paths: FastPaths, plain: LocalServer
) -> None:
    gone = ForwardingProxy()
    gone.close()
    monkeypatch.setenv("HTTP_PROXY", gone.url)
    message = failure(plain.url("/feed.xml"), fast_paths)
    assert (
        message
        == f"could not connect to the proxy http://127.0.0.1:{gone.port}: connection refused"
    )
    assert plain.requests == []


@pytest.mark.skipif(
    importlib.util.find_spec("socksio") is not None, reason="socksio is installed here"
)
def test_a_socks_proxy_in_the_environment_fails_its_requests_only(
    monkeypatch: pytest.MonkeyPatch, fast_paths: FastPaths, plain: LocalServer
) -> None:
    monkeypatch.setenv("ALL_PROXY", "socks5://127.0.0.1:9")
    message = failure(plain.url("/feed.xml"), fast_paths)
    assert message.startswith("cannot use the proxy socks5://127.0.0.1:9:")
    assert "socksio" in message


# -- the routes, and the setting's checks --------------------------------------------------


def test_routes_read_as_httpx_reads_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", ".internal.example, 10.0.0.1")
    routes = ProxyRoutes.read()
    assert routes.routes == {
        "https://": "http://proxy.example:3128",
        "all://*.internal.example": None,
        "all://10.0.0.1": None,
    }
    assert routes.proxy_for(httpx.URL("https://news.example/")) == "http://proxy.example:3128"
    assert routes.proxy_for(httpx.URL("http://news.example/")) is None
    assert routes.proxy_for(httpx.URL("https://a.internal.example/")) is None
    assert routes.proxy_for(httpx.URL("https://internal.example/")) is not None  # as httpx
    setting = ProxyRoutes.read("http://mine.example:8080")
    assert setting.proxy_for(httpx.URL("http://news.example/")) == "http://mine.example:8080"
    assert setting.proxy_for(httpx.URL("https://10.0.0.1/")) is None
    assert not ProxyRoutes.read(trust_env=False)
    monkeypatch.setenv("NO_PROXY", "*")
    assert not ProxyRoutes.read("http://mine.example:8080")


def settings_error(tmp_path: Path, value: str) -> str:
    path = tmp_path / "feeds.toml"
    path.write_text(
        f'[[feeds]]\nname = "A"\nurl = "https://a.example/"\n\n'
        f'[settings]\ntheme = "nord"\nproxy = "{value}"\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert message.startswith(f"{path}:7: settings: 'proxy' ")
    assert "\n" not in message
    return message


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("socks5://127.0.0.1:1080", "cannot be a SOCKS proxy"),
        ("ftp://proxy.example:21", "must be an http:// or https:// URL"),
        ("http://proxy.example:99999", "is not a valid URL"),
        ("http://[::1:3128", "is not a valid URL"),
        ("http://proxy.example:3128/path", "no path"),
        ("http:///nohost", "has no host name"),
        ("http://proxy example:3128", "without spaces"),
    ],
)
def test_a_bad_proxy_setting_is_a_config_error_with_its_line(
    tmp_path: Path, value: str, why: str
) -> None:
    assert why in settings_error(tmp_path, value)


def test_a_bad_proxy_setting_does_not_echo_a_password(tmp_path: Path) -> None:
    assert "hunter2" not in settings_error(tmp_path, "ftp://me:hunter2@proxy.example")


def test_proxy_setting_values_that_load(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    for value, loaded in [
        ("http://proxy.example:3128", "http://proxy.example:3128"),
        ("https://me:pw@proxy.example/", "https://me:pw@proxy.example/"),
        ("proxy.example:3128", "http://proxy.example:3128"),  # as httpx reads HTTP_PROXY
        ("  ", None),
    ]:
        path.write_text(f'[[feeds]]\nname = "A"\nurl = "a.xml"\n[settings]\nproxy = "{value}"\n')
        assert load_config(path).settings.proxy == loaded


def test_a_bad_proxy_setting_through_the_real_program(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text(
        '[settings]\nproxy = "socks5://127.0.0.1:1080"\n[[feeds]]\nname = "A"\nurl = "a.xml"\n'
    )
    assert main(["refresh", "--config", str(config), "--data-dir", str(tmp_path / "d")]) == 2
    err = capsys.readouterr().err
    assert f"{config}:2: settings: 'proxy' cannot be a SOCKS proxy" in err
