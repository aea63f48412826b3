"""Retrieve feeds and article pages: one shared HTTP client, bounded in every direction.

Retrieving is not parsing: this module returns bytes and validators, never articles.

- One `httpx.AsyncClient` per `Fetcher`, so connections are reused across feeds; a global
  semaphore and one per host keep us polite (at most `per_host` requests to one server).
- Conditional GET: the caller passes the ETag / Last-Modified it stored, we send
  If-None-Match / If-Modified-Since, and a 304 comes back as `NotModified`.
- Redirects are followed by hand, so each hop is checked: at most `max_redirects`, never
  to a scheme other than http(s), and a hop back to a URL already visited is a loop.
- Bodies are streamed raw and decompressed here (gzip, deflate; `inflate.py`) with a
  bounded output per step, so the size cap applies to the decompressed body and a gzip
  bomb costs at most one chunk beyond the cap in memory. (httpx's own decoder inflates a
  whole network read at once: 64 KiB of zeros can become 64 MiB before anyone counts.)
- Time is bounded three ways: connect, read (between bytes) and a total deadline per
  request (`asyncio.timeout`), so a server trickling one byte a second cannot hold a
  refresh forever.
- `file://` URLs are read from disk in a thread with the same cap; the file's mtime is
  its Last-Modified and mtime+size its ETag, so an unchanged file is `NotModified`.
- Requests go over our h11 transport (`transport.py`), a fast path; with
  `fast_paths.transport` off (`HERALDTUI_FAST_PATHS=0`, see `fastpaths.py`) they go over
  httpx's own transport instead, with the same limits and the same answers.
- Proxies (`HTTP_PROXY`, ..., `NO_PROXY`, `[settings] proxy`) and trusted certificates
  (`SSL_CERT_FILE`, `SSL_CERT_DIR`) are read as httpx reads them: see `proxies.py`.
- `fetch(url, public_only=True)` (an article page of a remote feed) never reaches a
  private address (`addresses.py`), on any redirect hop: our transport checks the
  addresses it connects to; through a proxy (which resolves names itself) only an address
  written in the URL can be checked; over httpx's transport (fast paths off) the name is
  resolved and checked just before httpx connects. `allow_private_pages` turns this off.

Every failure is a `FetchFailed` (a `FetchError`) whose message is one line a user can act
on (worded in `answers.py`); 429/503 carry `retry_after` when the server said when to come
back.
"""

from __future__ import annotations

import asyncio
import dataclasses
import email.utils
import mimetypes
import os
import ssl
import zlib
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import NamedTuple, Self
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

from heraldtui import __version__
from heraldtui.core.errors import FetchError
from heraldtui.core.ingest import addresses
from heraldtui.core.ingest.addresses import PrivateNetworks, literal_address
from heraldtui.core.ingest.answers import (
    ascii_digits,
    connect_reason,
    parse_retry_after,
    peer_address,
    status_reason,
)
from heraldtui.core.ingest.fastpaths import FAST_PATHS_ON, FastPaths
from heraldtui.core.ingest.inflate import Inflater, flush, pipe
from heraldtui.core.ingest.inflate import decoders as decoders_for
from heraldtui.core.ingest.limits import CHUNK, MAX_BODY_BYTES, size_text
from heraldtui.core.ingest.proxies import Network, ProxyUnusable
from heraldtui.core.ingest.transport import REFUSE_PRIVATE, PrivateAddressRefused
from heraldtui.core.ingest.web import httpx
from heraldtui.core.text.sanitize import for_terminal

__all__ = [
    "DEFAULT_USER_AGENT",
    "TOTAL_TIMEOUT",
    "FetchFailed",
    "Fetched",
    "Fetcher",
    "NotModified",
]

PROJECT_URL = "https://pypi.org/project/heraldtui/"
DEFAULT_USER_AGENT = f"heraldtui/{__version__} (+{PROJECT_URL})"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT = frozenset({301, 308})
_RETRYABLE = frozenset({429, 503})
# Headers that describe the bytes on the wire, not the decoded body we hand back.
_WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


@dataclass(frozen=True, slots=True)
class Fetched:
    """A body retrieved in full, decompressed; `url` is the final URL after redirects."""

    url: str
    status: int
    headers: Mapping[str, str]
    """Lower-case names; Content-Encoding/Length dropped, as `body` is already decoded."""
    body: bytes
    etag: str | None
    last_modified: str | None
    moved_to: str | None = None
    """`url` when every redirect on the way was permanent (301/308): the feed has moved."""
    peer: str | None = None
    """The address of the server that sent it; None for a file, through a proxy, or when
    the transport does not say."""


@dataclass(frozen=True, slots=True)
class NotModified:
    """The server (or the file system) says the copy we hold is still current."""

    url: str
    moved_to: str | None = None
    """As for `Fetched`: the final URL when every redirect on the way was permanent."""


class _Hop(NamedTuple):
    """A redirect's next URL, and whether it was permanent (301/308)."""

    url: str
    permanent: bool


class FetchFailed(FetchError):
    """A retrieval failed; `str(err)` is one line for the user.

    `status` is the HTTP status when the server answered; `retry_after` is an aware UTC
    time when a 429/503 said when to come back; `timed_out` says a deadline cut it short
    (a page that did is not fetched again for a while: see `ingest/pagefail.py`);
    `private_address` is the address a `public_only` fetch refused to reach.
    """

    def __init__(
        self,
        reason: str,
        *,
        url: str,
        status: int | None = None,
        retry_after: datetime | None = None,
        timed_out: bool = False,
        private_address: str | None = None,
    ) -> None:
        reason = _printable(reason)
        super().__init__(reason)
        self.reason = reason
        self.url = url
        self.status = status
        self.retry_after = retry_after
        self.timed_out = timed_out
        self.private_address = private_address

    def __reduce__(self) -> tuple[Callable[..., FetchFailed], tuple[object, ...]]:
        # Keyword-only arguments would be lost by the default pickling of exceptions.
        return (
            _rebuild_failure,
            (
                self.reason,
                self.url,
                self.status,
                self.retry_after,
                self.timed_out,
                self.private_address,
            ),
        )


def _printable(reason: str) -> str:
    """The reason with every character a terminal would obey or hide escaped (`\\x9b`).

    Reasons quote what a server sent (a redirect's Location, decoded as UTF-8 by httpx,
    may carry U+009B, the 8-bit CSI) and are printed on the user's terminal and kept in
    the store, so nothing in them may be a live escape sequence, a bidi control or mark,
    or an invisible filler (`sanitize.for_terminal`, which the CLI applies again).
    """
    return for_terminal(reason)


def _rebuild_failure(
    reason: str,
    url: str,
    status: int | None,
    retry_after: datetime | None,
    timed_out: bool,
    private_address: str | None = None,
) -> FetchFailed:
    return FetchFailed(
        reason,
        url=url,
        status=status,
        retry_after=retry_after,
        timed_out=timed_out,
        private_address=private_address,
    )


def _refused(host: str, address: str, url: str) -> FetchFailed:
    where = host if host == address else f"{host} ({address})"
    return FetchFailed(
        f"refused: {where} is a private address, and the feed is not local",
        url=url,
        private_address=address,
    )


def _seconds(value: float) -> str:
    return f"{value:g} s"


def _timeout(after: str, url: str) -> FetchFailed:
    return FetchFailed(f"timed out after {after}", url=url, timed_out=True)


# -- the fetcher ------------------------------------------------------------------------

TOTAL_TIMEOUT = 30.0
"""Seconds on the wire one fetch may take in all, redirects included (newsboat's download
timeout too): a body trickling a byte a second never trips the read timeout, and one such
feed held a whole refresh for a minute at 60 s."""


class _Deadline:
    """Time on the wire one fetch may still spend, redirects included (None: all of it).

    Only time holding a connection slot counts: a redirect's next hop may queue behind
    other feeds of the same host, which is not the server's fault (a busy host used to
    fail healthy feeds on the total deadline while they waited)."""

    left: float | None = None


class Fetcher:
    """Fetch feeds and pages over one shared client; use as `async with Fetcher() as f`."""

    def __init__(
        self,
        user_agent: str = DEFAULT_USER_AGENT,
        *,
        max_connections: int = 16,
        per_host: int = 4,
        connect_timeout: float = 10,
        read_timeout: float = 20,
        total_timeout: float = TOTAL_TIMEOUT,
        max_bytes: int = MAX_BODY_BYTES,
        max_redirects: int = 5,
        tls: ssl.SSLContext | None = None,
        fast_paths: FastPaths = FAST_PATHS_ON,
        proxy: str | None = None,
        trust_env: bool = True,
        private_networks: PrivateNetworks | None = None,
        allow_private_pages: bool = False,
    ) -> None:
        self.user_agent = user_agent
        self.max_connections = max_connections
        self.per_host = per_host
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.total_timeout = total_timeout
        self.max_bytes = max_bytes
        self.max_redirects = max_redirects
        self.tls = tls
        """Whom to trust over https; None is httpx's (`SSL_CERT_FILE`, else certifi's)."""
        self.fast_paths = fast_paths
        """Only `transport` matters here: our h11 transport, or httpx's own."""
        self.private_networks = private_networks or addresses.PRIVATE
        """What a `public_only` fetch may not reach (tests name 127.0.0.2/32)."""
        self.allow_private_pages = allow_private_pages
        """`[settings] allow_private_pages`: `public_only` is ignored."""
        self._network = Network(
            tls=tls, proxy=proxy, trust_env=trust_env, limit=max_connections, per_host=per_host
        )
        """The transports, the proxies (`proxy` in place of the environment's) and TLS."""
        self._client: httpx.AsyncClient | None = None
        self._global = asyncio.Semaphore(max_connections)
        self._hosts: dict[tuple[str, str, int | None], asyncio.Semaphore] = {}

    async def __aenter__(self) -> Self:
        self._client = httpx.AsyncClient(
            transport=self._network.transport(fast=self.fast_paths.transport),
            mounts=self._network.mounts(),
            headers={
                "User-Agent": self.user_agent,
                "Accept-Encoding": "gzip, deflate",
                "Accept": (
                    "application/rss+xml, application/atom+xml, application/feed+json, "
                    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, "
                    "text/html;q=0.7, */*;q=0.5"
                ),
            },
            timeout=httpx.Timeout(
                connect=self.connect_timeout,
                read=self.read_timeout,
                write=self.read_timeout,
                pool=None,  # no transport waits for a connection (see proxies.Network)
            ),
            follow_redirects=False,
            trust_env=False,
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def is_local(self, feed: Fetched) -> bool:
        """Whether `feed` came from the user's own machine or network (a file, or a server
        at a private address), so its pages may be there too."""
        if feed.url.startswith("file:"):
            return True
        if feed.peer is not None:
            return self.private_networks.contains(feed.peer)
        literal = literal_address(urlsplit(feed.url).hostname or "")
        return literal is not None and self.private_networks.contains(literal)

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        public_only: bool = False,
    ) -> Fetched | NotModified:
        """The body at `url`, or NotModified when the validators still match.

        With `public_only` (and not `allow_private_pages`), neither `url` nor any
        redirect hop may reach a private address: a `FetchFailed` with
        `private_address` set. Raises FetchFailed (a FetchError) with a one-line reason.
        """
        try:
            scheme = urlsplit(url).scheme.lower()
        except ValueError:
            raise FetchFailed(f"invalid URL {url!r}", url=url) from None
        if scheme == "file":
            return await asyncio.to_thread(self._read_file, url, etag, last_modified)
        if scheme not in ("http", "https"):
            reason = f"unsupported URL scheme {scheme}:" if scheme else f"not a URL: {url!r}"
            raise FetchFailed(reason, url=url)
        if self._client is None:
            raise RuntimeError("Fetcher used outside `async with`")
        guard = None if self.allow_private_pages or not public_only else self.private_networks
        return await self._follow(self._client, url, etag, last_modified, guard)

    async def _follow(
        self,
        client: httpx.AsyncClient,
        url: str,
        etag: str | None,
        last_modified: str | None,
        guard: PrivateNetworks | None = None,
    ) -> Fetched | NotModified:
        visited = [url]
        current = url
        deadline = _Deadline()
        permanent = True  # every hop so far was a 301/308: a 302/307 anywhere keeps `url`
        for _ in range(self.max_redirects + 1):
            outcome = await self._request(client, current, etag, last_modified, deadline, guard)
            if isinstance(outcome, _Hop):
                nxt = outcome.url
                permanent = permanent and outcome.permanent
                if urlsplit(nxt).scheme.lower() not in ("http", "https"):
                    raise FetchFailed("redirect to a non-HTTP URL refused", url=url)
                if nxt in visited:
                    raise FetchFailed(f"redirect loop ({current} redirects back to {nxt})", url=url)
                visited.append(nxt)
                current = nxt
                continue
            if permanent and current != url:
                return dataclasses.replace(outcome, moved_to=current)
            return outcome
        raise FetchFailed(f"too many redirects (more than {self.max_redirects})", url=url)

    def _host_slot(self, url: httpx.URL) -> asyncio.Semaphore:
        key = (url.scheme, url.host, url.port)
        slot = self._hosts.get(key)
        if slot is None:
            slot = self._hosts[key] = asyncio.Semaphore(self.per_host)
        return slot

    async def _request(
        self,
        client: httpx.AsyncClient,
        url: str,
        etag: str | None,
        last_modified: str | None,
        deadline: _Deadline,
        guard: PrivateNetworks | None = None,
    ) -> Fetched | NotModified | _Hop:
        """One hop: a Fetched/NotModified result, or the next URL of a redirect."""
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        extensions = {} if guard is None else {REFUSE_PRIVATE: guard}
        try:
            request = client.build_request("GET", url, headers=headers, extensions=extensions)
        except (httpx.InvalidURL, httpx.UnsupportedProtocol, ValueError):
            raise FetchFailed(f"invalid URL {url!r}", url=url) from None
        if not 0 < (request.url.port or 80) < 65536:  # connect() would raise OverflowError
            raise FetchFailed(f"invalid URL {url!r}: no such port", url=url)
        host = request.url.host
        if guard is not None:
            await self._check_private(request.url, guard, url)
        phase = "connecting to"
        async with self._global, self._host_slot(request.url):
            loop = asyncio.get_running_loop()
            started = loop.time()
            left = self.total_timeout if deadline.left is None else deadline.left
            try:
                async with asyncio.timeout(max(left, 0.0)):
                    response = await client.send(request, stream=True)
                    try:
                        phase = "reading the body from"
                        outcome = await self._outcome(response, url)
                        if isinstance(outcome, Fetched) and not self._network.through(request.url):
                            outcome = dataclasses.replace(outcome, peer=peer_address(response))
                        return outcome
                    finally:
                        await response.aclose()
            except TimeoutError:
                raise _timeout(f"{_seconds(self.total_timeout)} in total", url) from None
            except httpx.ConnectTimeout:
                through = self._network.through(request.url)
                raise _timeout(
                    f"{_seconds(self.connect_timeout)} connecting to {host}{through}", url
                ) from None
            except httpx.ReadTimeout:
                what = "reading the body" if phase.startswith("reading") else "waiting for"
                where = "" if phase.startswith("reading") else f" {host} to answer"
                raise _timeout(f"{_seconds(self.read_timeout)} {what}{where}", url) from None
            except httpx.WriteTimeout:
                raise _timeout(
                    f"{_seconds(self.read_timeout)} sending the request to {host}", url
                ) from None
            except httpx.TimeoutException:
                raise _timeout(f"{_seconds(self.read_timeout)} {phase} {host}", url) from None
            except PrivateAddressRefused as err:
                raise _refused(host, err.address, url) from None
            except httpx.ConnectError as err:
                reason = self._network.connect_reason(err, request.url, connect_reason)
                raise FetchFailed(reason, url=url) from None
            except httpx.ProxyError as err:
                detail = str(err).splitlines()[0] if str(err) else type(err).__name__
                if not isinstance(err, ProxyUnusable):  # a CONNECT the proxy refused
                    detail = f"the proxy did not connect to {host} ({detail})"
                    detail += self._network.through(request.url)
                raise FetchFailed(detail, url=url) from None
            except httpx.InvalidURL:
                # The request URL was valid (built above), so this is httpx building the
                # next request of a redirect eagerly, even with follow_redirects=False: a
                # Location such as `javascript:alert(1)` or `data:,x` has no host to keep.
                raise FetchFailed(
                    "redirect to an invalid or non-HTTP URL refused", url=url
                ) from None
            except httpx.RemoteProtocolError as err:
                if "location header" in str(err).lower():  # the same eager step, unparsable
                    raise FetchFailed("redirect to an invalid URL refused", url=url) from None
                raise FetchFailed(
                    f"the server {host} closed the connection or sent a broken response",
                    url=url,
                ) from None
            except httpx.TransportError as err:
                detail = str(err).splitlines()[0] if str(err) else type(err).__name__
                raise FetchFailed(f"network error {phase} {host}: {detail}", url=url) from None
            finally:
                deadline.left = left - (loop.time() - started)

    async def _check_private(self, target: httpx.URL, guard: PrivateNetworks, url: str) -> None:
        """What can be checked before sending: an address in the URL (all a proxy leaves
        us), or every address of the name when httpx's transport will connect. Our own
        transport checks again at connect time (`REFUSE_PRIVATE`)."""
        literal = literal_address(target.host)
        if literal is not None and guard.contains(literal):
            raise _refused(target.host, str(literal), url)
        if literal is not None or self.fast_paths.transport or self._network.through(target):
            return
        try:
            found = await addresses.resolve(target.host, target.port or 80)
        except (OSError, UnicodeError):
            return  # httpx's transport will fail the same way, with its own words
        private = guard.first(r.address for r in found)
        if private is not None:
            raise _refused(target.host, private, url)

    async def _outcome(self, response: httpx.Response, url: str) -> Fetched | NotModified | _Hop:
        status = response.status_code
        if status in _REDIRECTS:
            location: str | None = response.headers.get("location")
            if not location:
                raise FetchFailed(f"HTTP {status} redirect without a Location", url=url)
            try:
                return _Hop(urljoin(str(response.url), location.strip()), status in _PERMANENT)
            except ValueError:
                raise FetchFailed("redirect to an invalid URL refused", url=url) from None
        if status == 304:
            return NotModified(url=str(response.url))
        if status >= 400 or status < 200:
            retry = None
            if status in _RETRYABLE:
                retry = parse_retry_after(response.headers.get("retry-after"))
            raise FetchFailed(status_reason(response), url=url, status=status, retry_after=retry)
        declared = response.headers.get("content-length", "")
        decoders_wanted = response.headers.get("content-encoding")
        if ascii_digits(declared) and int(declared) > self.max_bytes and not decoders_wanted:
            raise FetchFailed(f"body larger than {size_text(self.max_bytes)}", url=url)
        try:
            decoders = decoders_for(decoders_wanted)
        except ValueError as err:
            raise FetchFailed(str(err), url=url) from None
        body = await self._read_body(response.aiter_raw(CHUNK), decoders, url)
        headers = {
            k.lower(): v for k, v in response.headers.items() if k.lower() not in _WIRE_HEADERS
        }
        return Fetched(
            url=str(response.url),
            status=status,
            headers=headers,
            body=body,
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
        )

    async def _read_body(
        self, raw: AsyncIterator[bytes], decoders: list[Inflater], url: str
    ) -> bytes:
        parts: list[bytes] = []
        total = 0

        def take(pieces: Iterator[bytes]) -> None:
            nonlocal total
            for piece in pieces:
                total += len(piece)
                if total > self.max_bytes:
                    raise FetchFailed(f"body larger than {size_text(self.max_bytes)}", url=url)
                parts.append(piece)

        try:
            async for chunk in raw:
                take(pipe(decoders, chunk) if decoders else iter((chunk,)))
            take(flush(decoders))
        except zlib.error:
            names = ", ".join(d.coding for d in decoders)
            raise FetchFailed(f"the compressed body ({names}) is corrupt", url=url) from None
        return b"".join(parts)

    # -- file:// ------------------------------------------------------------------------

    def _read_file(
        self, url: str, etag: str | None, last_modified: str | None
    ) -> Fetched | NotModified:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise FetchFailed(f"file URL on another host refused ({parts.netloc})", url=url)
        path = Path(url2pathname(parts.path))
        try:
            with path.open("rb") as handle:
                stat = os.fstat(handle.fileno())
                file_etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
                file_modified = email.utils.formatdate(stat.st_mtime, usegmt=True)
                if (etag or last_modified) and (
                    (etag is None or etag == file_etag)
                    and (last_modified is None or last_modified == file_modified)
                ):
                    return NotModified(url=url)
                body = handle.read(self.max_bytes + 1)
        except FileNotFoundError:
            raise FetchFailed(f"file not found: {path}", url=url) from None
        except IsADirectoryError:
            raise FetchFailed(f"is a folder, not a file: {path}", url=url) from None
        except PermissionError:
            raise FetchFailed(f"permission denied reading {path}", url=url) from None
        except OSError as err:
            raise FetchFailed(f"cannot read {path}: {err.strerror or err}", url=url) from None
        if len(body) > self.max_bytes:
            raise FetchFailed(f"body larger than {size_text(self.max_bytes)}", url=url)
        content_type, _ = mimetypes.guess_type(path.name)
        headers = {"last-modified": file_modified, "etag": file_etag}
        if content_type:
            headers["content-type"] = content_type
        return Fetched(
            url=url,
            status=200,
            headers=headers,
            body=body,
            etag=file_etag,
            last_modified=file_modified,
        )
