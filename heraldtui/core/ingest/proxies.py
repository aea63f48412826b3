"""Which requests go through a proxy, and whom https trusts, read as httpx reads them.

The fetcher runs its own transport (`transport.H11Transport`), and httpx reads the
environment only when it makes the transport itself, so before this every proxy variable
was silently ignored. Now the choice is httpx's, made here:

- The environment: `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY` (either case)
  are read by httpx's own helper (`get_environment_proxies`), so each URL pattern, the
  `http://` added to a bare `host:port`, `NO_PROXY=*`, and which names a `NO_PROXY` entry
  covers (`.example.org`, `example.org`, an address, `localhost`) are exactly httpx's.
- `[settings] proxy` in feeds.toml (checked by `config.py`: http:// or https:// only, as
  SOCKS needs a package heraldtui does not install) takes the place of the environment's
  proxies for every URL; `NO_PROXY` still says which hosts go direct.
- A request a proxy applies to is sent by httpx's own transport built with that proxy
  (httpcore: absolute-form requests for http, a `CONNECT` tunnel for https), mounted on
  the client for the proxy's URL patterns; the rest keep the fast transport. The proxy
  transport trusts what the fetcher trusts (its TLS context, `SSL_CERT_FILE` included),
  for the servers behind the tunnel and for an https proxy itself.
- Each proxy transport is built on its first request, so a refresh no proxy applies to
  imports no httpcore, and a proxy httpx cannot use (`socks5://` without `socksio`) fails
  the requests sent to it, each with one line, instead of the whole refresh.
- Certificates: every transport (ours, httpx's, a proxy's) trusts one TLS context, the
  fetcher's own or `transport.default_tls()`: `SSL_CERT_FILE` / `SSL_CERT_DIR` when set,
  as httpx reads them with `trust_env=True`, else certifi's roots. It is made on the first
  https request, and a file that cannot be read fails each https request with one line.

`Network` holds all of it for one `Fetcher`: the transports its client is given, and the
words for a failed connection when a proxy was in the way (the proxy's fault, or the
server's certificate behind it).

Issue 17: before this, the fetcher's own transport meant every one of these variables was
silently ignored, which cut off anyone behind a proxy or a private CA.
"""

from __future__ import annotations

import ssl
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial

from heraldtui.core.ingest.transport import CertificatesUnreadable, H11Transport, default_tls
from heraldtui.core.ingest.web import URLPattern, get_environment_proxies, httpx

__all__ = ["LazyTransport", "Network", "ProxyRoutes", "ProxyUnusable", "proxy_label"]


class ProxyUnusable(httpx.ProxyError):
    """httpx cannot make a transport for this proxy (a scheme it needs a package for)."""


def proxy_label(proxy: str) -> str:
    """`host:port` of a proxy URL, for messages: never its user name or password."""
    try:
        url = httpx.URL(proxy)
    except (httpx.InvalidURL, ValueError):
        return "(an invalid proxy URL)"
    port = url.port or {"http": 80, "https": 443}.get(url.scheme)
    host = f"[{url.host}]" if ":" in url.host else url.host
    return f"{url.scheme}://{host}:{port}" if port else f"{url.scheme}://{host}"


def _no_proxy_for_anything() -> bool:
    """`NO_PROXY=*` (or `*` among its entries): httpx then uses no proxy at all."""
    entries = urllib.request.getproxies().get("no", "")
    return any(entry.strip() == "*" for entry in entries.split(","))


@dataclass(frozen=True, slots=True)
class ProxyRoutes:
    """URL patterns, each with the proxy that serves it or None for a direct connection.

    The same mapping httpx builds for `AsyncClient(trust_env=True)` (or, with `setting`,
    for `proxy=setting`, keeping `NO_PROXY`); the most specific pattern wins, as in httpx.
    """

    routes: Mapping[str, str | None]

    @classmethod
    def read(cls, setting: str | None = None, *, trust_env: bool = True) -> ProxyRoutes:
        """The environment's proxies (with `trust_env`), `setting` in place of them."""
        found = get_environment_proxies() if trust_env else {}
        if setting is None:
            return cls(found)
        if trust_env and _no_proxy_for_anything():
            return cls({})
        direct = {pattern: None for pattern, proxy in found.items() if proxy is None}
        return cls({"all://": setting, **direct})

    def __bool__(self) -> bool:
        return any(proxy is not None for proxy in self.routes.values())

    def proxy_for(self, url: httpx.URL) -> str | None:
        """The proxy a request for `url` goes through, or None when it goes direct."""
        for pattern in sorted(URLPattern(key) for key in self.routes):
            if pattern.matches(url):
                return self.routes[pattern.pattern]
        return None

    def mounts(
        self, build: Callable[[str], httpx.AsyncBaseTransport]
    ) -> dict[str, httpx.AsyncBaseTransport | None]:
        """httpx's `mounts=`: one transport per proxy (made by `build`), None for direct."""
        transports: dict[str, httpx.AsyncBaseTransport] = {}
        mounted: dict[str, httpx.AsyncBaseTransport | None] = {}
        for pattern, proxy in self.routes.items():
            if proxy is None:
                mounted[pattern] = None
            else:
                if proxy not in transports:
                    transports[proxy] = LazyTransport(partial(build, proxy), proxy_label(proxy))
                mounted[pattern] = transports[proxy]
        return mounted


class LazyTransport(httpx.AsyncBaseTransport):
    """A transport made on its first request (see the module docstring); `label` names
    the proxy it goes through, if any."""

    def __init__(
        self, build: Callable[[], httpx.AsyncBaseTransport], label: str | None = None
    ) -> None:
        self._build = build
        self._label = label
        self._inner: httpx.AsyncBaseTransport | None = None

    def inner(self) -> httpx.AsyncBaseTransport:
        """The transport itself, made now if it was not yet."""
        if self._inner is None:
            try:
                self._inner = self._build()
            except (ImportError, ValueError) as err:  # httpx's words for a scheme it lacks
                if self._label is None:
                    raise
                raise ProxyUnusable(f"cannot use the proxy {self._label}: {err}") from err
        return self._inner

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return await self.inner().handle_async_request(request)

    async def aclose(self) -> None:
        if self._inner is not None:
            await self._inner.aclose()


class Network:
    """The transports, proxies and TLS context of one fetcher (see the module docstring)."""

    def __init__(
        self,
        *,
        tls: ssl.SSLContext | None = None,
        proxy: str | None = None,
        trust_env: bool = True,
        limit: int = 16,
        per_host: int = 4,
    ) -> None:
        self._tls = tls
        self._trust_env = trust_env
        self._limit = limit
        self._per_host = per_host
        self.routes = ProxyRoutes.read(proxy, trust_env=trust_env)

    def trusted(self) -> ssl.SSLContext:
        """The one TLS context, made on first use."""
        if self._tls is None:
            self._tls = default_tls(trust_env=self._trust_env)
        return self._tls

    def transport(self, *, fast: bool = True) -> httpx.AsyncBaseTransport:
        """For every request no proxy applies to: ours (`fast`), else httpx's own."""
        if fast:
            return H11Transport(
                tls=self.trusted, max_idle_per_host=self._per_host, max_idle=self._limit
            )
        return LazyTransport(self._httpx)

    def mounts(self) -> dict[str, httpx.AsyncBaseTransport | None] | None:
        """httpx's `mounts=` for the proxies, None when no proxy applies to anything."""
        return self.routes.mounts(self._httpx) if self.routes else None

    def _httpx(self, proxy: str | None = None) -> httpx.AsyncBaseTransport:
        # httpx's own (httpcore, imported only now): the fetcher's semaphores already bound
        # the connections in use, so its pool never makes a request wait.
        limits = httpx.Limits(max_connections=self._limit, max_keepalive_connections=self._limit)
        if proxy is None:
            return httpx.AsyncHTTPTransport(verify=self.trusted(), limits=limits)
        # An https proxy is trusted as the servers are (httpcore takes no context for http).
        secure = proxy.lower().startswith("https:")
        return httpx.AsyncHTTPTransport(
            verify=self.trusted(),
            limits=limits,
            proxy=httpx.Proxy(proxy, ssl_context=self.trusted() if secure else None),
        )

    def through(self, url: httpx.URL) -> str:
        """` (through the proxy http://host:port)` when a proxy carries `url`, else ``."""
        proxy = self.routes.proxy_for(url)
        return "" if proxy is None else f" (through the proxy {proxy_label(proxy)})"

    def connect_reason(
        self, err: httpx.ConnectError, url: httpx.URL, wording: Callable[[BaseException, str], str]
    ) -> str:
        """`wording(err, host)` for the server, or for the proxy when the proxy failed."""
        if isinstance(err, CertificatesUnreadable):
            return str(err)
        reason = wording(err, url.host)
        proxy = self.routes.proxy_for(url)
        if proxy is None or "TLS" in reason:  # TLS: the server's, inside the tunnel
            return reason
        proxy_reason = wording(err, httpx.URL(proxy).host)
        return f"could not connect to the proxy {proxy_label(proxy)}: {proxy_reason}"
