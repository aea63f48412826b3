"""httpx's transport layer for the fetcher: HTTP/1.1 over asyncio streams, parsed by h11.

Why not httpx's own transport: a refresh where nothing changed is 200 conditional GETs that
each come back `304`, and the time goes on per-request machinery, not on the network.
httpx's default transport (httpcore on anyio) spent about 1.7 ms of CPU per such request
here, three quarters of it in connection-pool bookkeeping, cancel scopes and stream
wrappers; the same exchange on asyncio streams with h11 (the HTTP/1.1 parser httpcore
itself uses) costs about 0.4 ms. The client API above this (requests, headers, URLs,
responses, exceptions) stays httpx's, so `fetch.py` does not know the difference.

The method, and where it is deliberately smaller than httpcore:

- HTTP/1.1 only, no proxies: the fetcher never asked for HTTP/2, and sends a request
  that a proxy applies to through httpx's own proxy transport instead (`proxies.py`).
- One idle pool per (scheme, host, port), at most `max_idle_per_host` kept per host and
  `max_idle` in all, each for at most `keepalive_expiry` seconds (expired ones are closed
  whenever a connection is released). The fetcher's own semaphores bound how many
  requests run at once, so the pool needs no waiting room (and no pool timeout).
- A kept connection is only used again if nothing arrived on it while it was idle: a
  server's goodbye (EOF, or a `408` sent before hanging up) or bytes beyond the end of
  the last answer would otherwise be read as the next answer. A connection the server
  dropped without our having seen it yet is found out on use: if a reused connection
  fails before the first byte of the answer, the request (only GET or HEAD, which are
  safe to repeat) is sent once more on a new connection. A fresh connection's failure is
  the request's failure.
- The timeouts of the request (httpx puts `connect`, `read` and `write` in
  `request.extensions["timeout"]`) bound each connect, each read and each drain; the
  fetcher's total deadline is a cancellation from outside, which closes the connection.
- A connection goes back to the pool only when both sides finished the exchange cleanly
  (h11 says `DONE` for both). A body left unread, a cancelled request, an error or a
  server that ends bodies by closing (HTTP/1.0, `Connection: close`) closes it.
- Errors are httpx's: `ConnectError`/`ConnectTimeout`, `ReadError`/`ReadTimeout`,
  `WriteError`/`WriteTimeout`, `RemoteProtocolError`, each raised `from` the OS or TLS
  error underneath, which is what `fetch.py` reads to word the reason.
- TLS uses the context given (or made by the function given), else `default_tls()`:
  what httpx trusts with `trust_env=True`, the file or folder named by `SSL_CERT_FILE` /
  `SSL_CERT_DIR` when set, else certifi's roots. It is built on the first https request:
  a refresh of http-only feeds does not pay for loading the roots.
- Response headers are limited to `max_header_bytes` (h11 refuses more), so a server
  sending endless headers costs that much memory and no more.
- A request whose `extensions[REFUSE_PRIVATE]` holds `PrivateNetworks` (an article page
  of a remote feed: see `addresses.py`) resolves the host itself, keeps the addresses
  that are not private and connects to those, one after another, so what was checked is
  what is reached (a DNS answer cannot change in between); when none is left it fails
  with `PrivateAddressRefused`. It never reuses a kept connection to a private address.
  Each response says in `extensions[PEER]` which address answered it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import ssl
from collections.abc import AsyncIterator, Callable, Iterable
from typing import NamedTuple, SupportsIndex

import h11

from heraldtui.core.ingest import addresses
from heraldtui.core.ingest.addresses import PrivateNetworks
from heraldtui.core.ingest.web import httpx

__all__ = [
    "PEER",
    "REFUSE_PRIVATE",
    "CertificatesUnreadable",
    "H11Transport",
    "PrivateAddressRefused",
    "default_tls",
]

REFUSE_PRIVATE = "heraldtui.refuse_private"
"""The request extension that holds the `PrivateNetworks` a request may not connect to."""
PEER = "heraldtui.peer"
"""The response extension that holds the address of the server that answered."""

_READ_SIZE = 64 * 1024
_RETRY_SAFE = frozenset({b"GET", b"HEAD"})
_HAPPY_EYEBALLS_DELAY = 0.25
"""RFC 8305's suggestion: try the next address of a host if one stalls this long."""


class CertificatesUnreadable(httpx.ConnectError):
    """`SSL_CERT_FILE` or `SSL_CERT_DIR` names certificates that cannot be loaded."""


class PrivateAddressRefused(httpx.ConnectError):
    """The host is at a private address, which this request may not reach."""

    def __init__(self, host: str, address: str, *, request: httpx.Request) -> None:
        super().__init__(f"{host} is at a private address ({address})", request=request)
        self.address = address


def default_tls(*, trust_env: bool = True) -> ssl.SSLContext:
    """Whom httpx trusts by default, for HTTP/1.1.

    With `trust_env`, exactly httpx's reading of the environment
    (`httpx.create_ssl_context`): the bundle in `SSL_CERT_FILE` when set, else the folder
    in `SSL_CERT_DIR`, else certifi's roots; so a private CA a user trusts for every
    other httpx program works here too. A file that cannot be read is the
    `CertificatesUnreadable` of each https request, not a crash of the refresh.
    """
    try:
        context = httpx.create_ssl_context(trust_env=trust_env)
    except (OSError, ssl.SSLError) as err:
        name = "SSL_CERT_FILE" if os.environ.get("SSL_CERT_FILE") else "SSL_CERT_DIR"
        detail = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise CertificatesUnreadable(
            f"cannot load the certificates in {name} ({os.environ.get(name, '')}): {detail}"
        ) from err
    context.set_alpn_protocols(["http/1.1"])
    return context


TLSSource = ssl.SSLContext | Callable[[], ssl.SSLContext]
"""A TLS context, or a function that makes it when the first https request needs it."""


class _Key(NamedTuple):
    scheme: str
    host: str
    port: int


class _Stale(Exception):
    """A kept-alive connection turned out closed before it answered: try a new one."""


class _Reader(asyncio.StreamReader):
    """A StreamReader that counts what arrived, so an idle connection's traffic shows."""

    def __init__(self) -> None:
        super().__init__(limit=_READ_SIZE)
        self.arrived = 0
        self.ended = False

    def feed_data(self, data: Iterable[SupportsIndex]) -> None:
        chunk = bytes(data)  # asyncio passes bytes, which this returns as is
        self.arrived += len(chunk)
        super().feed_data(chunk)

    def feed_eof(self) -> None:
        self.ended = True
        super().feed_eof()


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _timeouts(request: httpx.Request) -> dict[str, float | None]:
    found = request.extensions.get("timeout")
    return found if isinstance(found, dict) else {}


class _Connection:
    """One socket and the h11 state of the exchange on it."""

    def __init__(
        self,
        key: _Key,
        reader: _Reader,
        writer: asyncio.StreamWriter,
        max_header_bytes: int,
    ) -> None:
        self.key = key
        self.reader = reader
        self.writer = writer
        self.h11 = h11.Connection(h11.CLIENT, max_incomplete_event_size=max_header_bytes)
        self.reused = False
        self.received = 0
        """Bytes read for the current exchange."""
        self.consumed = 0
        """Bytes read over the connection's life: all that arrived, when it is idle."""
        self.idle_since = 0.0
        peer = writer.get_extra_info("peername")
        self.address: str | None = peer[0] if isinstance(peer, tuple) and peer else None
        """The address connected to: a kept connection to a private one serves no
        request that refuses those."""

    def expired(self, now: float, expiry: float) -> bool:
        return now - self.idle_since >= expiry

    def usable(self, now: float, expiry: float) -> bool:
        """Still open, not expired, and nothing arrived since the last answer ended."""
        return (
            not self.expired(now, expiry)
            and not self.reader.ended
            and self.reader.arrived == self.consumed
            and not self.writer.is_closing()
        )

    def close(self) -> None:
        self.writer.transport.abort()

    async def send(self, request: httpx.Request, timeouts: dict[str, float | None]) -> None:
        events: list[h11.Event] = [
            h11.Request(
                method=request.method,
                target=request.url.raw_path,
                headers=request.headers.raw,
            )
        ]
        stream = request.stream
        if not isinstance(stream, httpx.AsyncByteStream):
            raise httpx.LocalProtocolError("the request body is not async", request=request)
        async for chunk in stream:
            if chunk:
                events.append(h11.Data(data=chunk))
        events.append(h11.EndOfMessage())
        try:
            for event in events:
                data = self.h11.send(event)
                if data:
                    self.writer.write(data)
        except h11.LocalProtocolError as err:
            raise httpx.LocalProtocolError(str(err), request=request) from err
        except OSError as err:
            self._lost(err, request)
            raise httpx.WriteError(str(err) or type(err).__name__, request=request) from err
        try:
            async with asyncio.timeout(timeouts.get("write")):
                await self.writer.drain()
        except TimeoutError as err:
            raise httpx.WriteTimeout("timed out sending the request", request=request) from err
        except OSError as err:
            self._lost(err, request)
            raise httpx.WriteError(str(err) or type(err).__name__, request=request) from err

    async def response(
        self, request: httpx.Request, timeouts: dict[str, float | None]
    ) -> h11.Response:
        while True:
            event = await self.next_event(request, timeouts.get("read"))
            if isinstance(event, h11.Response):
                return event
            if not isinstance(event, h11.InformationalResponse):  # ConnectionClosed
                self._lost(None, request)
                raise httpx.RemoteProtocolError(
                    "the server closed the connection without answering", request=request
                )

    async def next_event(self, request: httpx.Request, timeout: float | None) -> h11.Event:
        while True:
            try:
                event = self.h11.next_event()
            except h11.RemoteProtocolError as err:
                self._lost(err, request)
                raise httpx.RemoteProtocolError(str(err), request=request) from err
            if isinstance(event, h11.Event):
                return event
            if event is h11.PAUSED:  # bytes after a finished answer: nothing we asked for
                self._lost(None, request)
                raise httpx.RemoteProtocolError(
                    "the server sent data nobody asked for", request=request
                )
            try:
                async with asyncio.timeout(timeout):
                    data = await self.reader.read(_READ_SIZE)
            except TimeoutError as err:
                raise httpx.ReadTimeout("timed out reading", request=request) from err
            except OSError as err:
                self._lost(err, request)
                raise httpx.ReadError(str(err) or type(err).__name__, request=request) from err
            self.received += len(data)
            self.consumed += len(data)
            self.h11.receive_data(data)  # b"" is the end of the stream, as h11 expects

    def _lost(self, err: BaseException | None, request: httpx.Request) -> None:
        """A reused connection that failed before any answer was closed while idle."""
        if self.reused and self.received == 0 and request.method.encode() in _RETRY_SAFE:
            raise _Stale() from err

    def finished(self) -> bool:
        """True when the exchange ended cleanly and the socket may carry another."""
        if self.h11.their_state is not h11.DONE:
            try:  # a body-less answer (304, HEAD) ends without more bytes: see if it did
                if not isinstance(self.h11.next_event(), h11.EndOfMessage):
                    return False
            except h11.ProtocolError:
                return False
        return (
            self.h11.our_state is h11.DONE
            and self.h11.their_state is h11.DONE
            and self.h11.trailing_data == (b"", False)  # no bytes beyond the answer
        )


class _Body(httpx.AsyncByteStream):
    """The response body as it arrives; closing it returns or closes the connection."""

    def __init__(
        self,
        transport: H11Transport,
        connection: _Connection,
        request: httpx.Request,
        timeout: float | None,
    ) -> None:
        self._transport = transport
        self._connection = connection
        self._request = request
        self._timeout = timeout
        self._closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        connection = self._connection
        while not self._closed:
            # Never _Stale here: the head was read, so `received` is not 0.
            event = await connection.next_event(self._request, self._timeout)
            if isinstance(event, h11.Data):
                yield bytes(event.data)
            elif isinstance(event, h11.EndOfMessage):
                return
            else:
                raise httpx.RemoteProtocolError(
                    "the server closed the connection mid-answer", request=self._request
                )

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            self._transport._release(self._connection)


class H11Transport(httpx.AsyncBaseTransport):
    """Plain asyncio HTTP/1.1 for `httpx.AsyncClient(transport=...)` (see the module doc)."""

    def __init__(
        self,
        *,
        tls: TLSSource | None = None,
        trust_env: bool = True,
        max_idle_per_host: int = 4,
        max_idle: int = 16,
        keepalive_expiry: float = 5.0,
        max_header_bytes: int = 64 * 1024,
    ) -> None:
        self._tls = tls
        self._trust_env = trust_env
        self.max_idle_per_host = max_idle_per_host
        self.max_idle = max_idle
        self.keepalive_expiry = keepalive_expiry
        self.max_header_bytes = max_header_bytes
        self._idle: dict[_Key, list[_Connection]] = {}
        self._closed = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._closed:
            raise RuntimeError("H11Transport used after it was closed")
        scheme = request.url.scheme
        if scheme not in ("http", "https"):
            raise httpx.UnsupportedProtocol(f"unsupported scheme {scheme!r}", request=request)
        host = request.url.raw_host.decode("ascii")
        port = request.url.port or (443 if scheme == "https" else 80)
        key = _Key(scheme, host, port)
        timeouts = _timeouts(request)
        guard = request.extensions.get(REFUSE_PRIVATE)
        guard = guard if isinstance(guard, PrivateNetworks) else None
        connection = self._take_idle(key, guard)
        while True:
            if connection is None:
                connection = await self._connect(key, request, timeouts.get("connect"), guard)
            try:
                await connection.send(request, timeouts)
                head = await connection.response(request, timeouts)
            except _Stale:
                connection.close()
                connection = None  # this once: a new connection is not stale
                continue
            except BaseException:
                connection.close()
                raise
            break
        return httpx.Response(
            status_code=head.status_code,
            headers=head.headers.raw_items(),
            stream=_Body(self, connection, request, timeouts.get("read")),
            extensions={
                "http_version": b"HTTP/" + head.http_version,
                "reason_phrase": head.reason,
                PEER: connection.address,
            },
        )

    async def aclose(self) -> None:
        self._closed = True
        for pool in self._idle.values():
            for connection in pool:
                connection.close()
        self._idle.clear()

    def _take_idle(self, key: _Key, guard: PrivateNetworks | None) -> _Connection | None:
        pool = self._idle.get(key)
        now = asyncio.get_running_loop().time()
        while pool:
            if guard is not None and guard.contains(pool[-1].address or ""):
                return None  # kept for others; a new connection is checked (and refused)
            connection = pool.pop()
            if connection.usable(now, self.keepalive_expiry):
                connection.reused = True
                connection.received = 0
                return connection
            connection.close()
        return None

    def _release(self, connection: _Connection) -> None:
        now = asyncio.get_running_loop().time()
        idle = 0
        for key, kept in list(self._idle.items()):  # a few dozen at most: sweep them all
            for old in [c for c in kept if c.expired(now, self.keepalive_expiry)]:
                kept.remove(old)
                old.close()
            if not kept:
                del self._idle[key]
            idle += len(kept)
        pool = self._idle.get(connection.key, [])
        if (
            not self._closed
            and connection.finished()
            and len(pool) < self.max_idle_per_host
            and idle < self.max_idle
        ):
            connection.h11.start_next_cycle()
            connection.idle_since = now
            self._idle.setdefault(connection.key, []).append(connection)
        else:
            connection.close()

    def _context(self) -> ssl.SSLContext:
        if self._tls is None:
            self._tls = default_tls(trust_env=self._trust_env)
        elif not isinstance(self._tls, ssl.SSLContext):
            self._tls = self._tls()
        return self._tls

    async def _connect(
        self,
        key: _Key,
        request: httpx.Request,
        timeout: float | None,
        guard: PrivateNetworks | None = None,
    ) -> _Connection:
        tls = self._context() if key.scheme == "https" else None
        loop = asyncio.get_running_loop()
        reader = _Reader()
        protocol = asyncio.StreamReaderProtocol(reader)
        try:
            async with asyncio.timeout(timeout):
                if guard is not None:
                    transport = await self._connect_public(key, request, protocol, tls, guard)
                else:
                    # asyncio.open_connection, spelled out to use our reader.
                    transport, _ = await loop.create_connection(
                        lambda: protocol,
                        key.host,
                        key.port,
                        ssl=tls,
                        # An address literal has one address: nothing to race, and the
                        # race's tasks cost more than the connect itself on a fast network.
                        happy_eyeballs_delay=(
                            None if _is_address(key.host) else _HAPPY_EYEBALLS_DELAY
                        ),
                    )
        except TimeoutError as err:
            raise httpx.ConnectTimeout(
                f"timed out connecting to {key.host}", request=request
            ) from err
        except (OSError, ValueError) as err:
            # ValueError: a host name the resolver refuses (UnicodeError for a label over
            # 63 characters), which must cost this request, not the feed it came from.
            raise httpx.ConnectError(str(err) or type(err).__name__, request=request) from err
        writer = asyncio.StreamWriter(transport, protocol, reader, loop)
        return _Connection(key, reader, writer, self.max_header_bytes)

    async def _connect_public(
        self,
        key: _Key,
        request: httpx.Request,
        protocol: asyncio.StreamReaderProtocol,
        tls: ssl.SSLContext | None,
        guard: PrivateNetworks,
    ) -> asyncio.Transport:
        """A connection to the first address of the host that is not private and answers.

        The addresses are resolved here and connected to as addresses, so the ones
        checked are the ones reached; TLS still checks the certificate for the host name.
        """
        found = await addresses.resolve(key.host.strip("[]"), key.port)
        public = [r for r in found if not guard.contains(r.address)]
        if not public:
            if not found:
                raise OSError(f"no address found for {key.host}")
            raise PrivateAddressRefused(key.host, found[0].address, request=request)
        loop = asyncio.get_running_loop()
        failures: list[OSError] = []
        for resolved in public:
            try:
                transport, _ = await loop.create_connection(
                    lambda: protocol,
                    resolved.address,
                    key.port,
                    ssl=tls,
                    server_hostname=key.host.strip("[]") if tls is not None else None,
                )
            except OSError as err:
                failures.append(err)
                continue
            return transport
        if len(failures) == 1:
            raise failures[0]
        # asyncio's words when every address fails, which `fetch.py` reads.
        raise OSError(f"Multiple exceptions: {', '.join(str(f) for f in failures)}")
