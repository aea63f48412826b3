"""The fetcher's HTTP/1.1 transport against scripted servers on 127.0.0.1.

The server here speaks raw bytes over real sockets, one script per test: what to answer to
the n-th request on the m-th connection, and whether to hang up after. That is what the
transport's choices depend on (keep-alive, a kept connection the server dropped, a body
left unread, an answer cut short), and what a well-behaved `http.server` cannot be made
to do on cue. TLS uses the throwaway CA in `tests/fixtures/tls/` (see its README).
"""

from __future__ import annotations

import asyncio
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from heraldtui.core.ingest.fetch import Fetched, Fetcher, FetchFailed, NotModified
from heraldtui.core.ingest.transport import H11Transport
from tests.support.paths import FIXTURES

TLS = FIXTURES / "tls"


@dataclass(frozen=True)
class Answer:
    """Bytes to send for one request; `close` hangs up after them."""

    data: bytes
    close: bool = False
    later: bytes = b""
    """Sent 50 ms after `data`, on the same connection (before any `close`)."""


def ok(body: bytes = b"<rss/>", *, close: bool = False, extra: str = "") -> Answer:
    head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n{extra}\r\n"
    return Answer(head.encode() + body, close)


NOT_MODIFIED = Answer(b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\n\r\n')

Script = Callable[[int, int, bytes], Answer]
"""(connection number, request number on that connection, request head) -> Answer."""


@dataclass
class ScriptedServer:
    script: Script
    tls: ssl.SSLContext | None = None
    connections: int = 0
    requests: list[bytes] = field(default_factory=list)
    host: str = "127.0.0.1"
    port: int = 0

    def url(self, path: str = "/feed") -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{self.host}:{self.port}{path}"

    def serve(self, listener: socket.socket) -> None:
        while True:
            try:
                sock, _ = listener.accept()
            except OSError:
                return
            number = self.connections
            self.connections += 1
            threading.Thread(target=self._talk, args=(sock, number), daemon=True).start()

    def _talk(self, sock: socket.socket, number: int) -> None:
        try:
            if self.tls is not None:
                sock = self.tls.wrap_socket(sock, server_side=True)
            with sock:
                buffer = b""
                for index in range(1000):
                    while b"\r\n\r\n" not in buffer:
                        data = sock.recv(65536)
                        if not data:
                            return
                        buffer += data
                    head, _, buffer = buffer.partition(b"\r\n\r\n")
                    self.requests.append(head)
                    answer = self.script(number, index, head)
                    sock.sendall(answer.data)
                    if answer.later:
                        time.sleep(0.05)
                        sock.sendall(answer.later)
                    if answer.close:
                        return
        except (OSError, ssl.SSLError):
            return


@pytest.fixture
def serve() -> Iterator[Callable[..., ScriptedServer]]:
    listeners: list[socket.socket] = []

    def start(
        script: Script, *, tls: ssl.SSLContext | None = None, host: str = "127.0.0.1"
    ) -> ScriptedServer:
        listener = socket.create_server((host, 0))
        listeners.append(listener)
        server = ScriptedServer(script, tls, host=host, port=listener.getsockname()[1])
        threading.Thread(target=server.serve, args=(listener,), daemon=True).start()
        return server

    yield start
    for listener in listeners:
        listener.close()


def trusting_test_ca() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(TLS / "ca.pem"))


def server_tls() -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(TLS / "server.pem", TLS / "server.key")
    return context


async def fetch_twice(server: ScriptedServer, **options: object) -> tuple[bytes, bytes]:
    """Two fetches of the same URL on one Fetcher; both must succeed: their bodies."""
    async with Fetcher(**options) as fetcher:  # type: ignore[arg-type]
        first = await fetcher.fetch(server.url())
        second = await fetcher.fetch(server.url())
    assert isinstance(first, Fetched) and isinstance(second, Fetched)
    return first.body, second.body


# -- keep-alive ----------------------------------------------------------------------------


async def test_sequential_requests_share_one_connection(
    serve: Callable[..., ScriptedServer],
) -> None:
    server = serve(lambda conn, n, head: ok(b"body %d" % n))
    async with Fetcher() as fetcher:
        first = await fetcher.fetch(server.url("/a"))
        second = await fetcher.fetch(server.url("/b"))
    assert isinstance(first, Fetched) and first.body == b"body 0"
    assert isinstance(second, Fetched) and second.body == b"body 1"
    assert server.connections == 1
    assert [head.split(b"\r\n")[0] for head in server.requests] == [
        b"GET /a HTTP/1.1",
        b"GET /b HTTP/1.1",
    ]


async def test_a_304_leaves_the_connection_reusable(serve: Callable[..., ScriptedServer]) -> None:
    server = serve(lambda conn, n, head: NOT_MODIFIED)
    async with Fetcher() as fetcher:
        for _ in range(3):
            assert isinstance(await fetcher.fetch(server.url(), etag='"v1"'), NotModified)
    assert server.connections == 1
    assert all(b'if-none-match: "v1"' in head.lower() for head in server.requests)


async def test_connection_close_is_honoured(serve: Callable[..., ScriptedServer]) -> None:
    server = serve(lambda conn, n, head: ok(extra="Connection: close\r\n", close=True))
    async with Fetcher() as fetcher:
        for _ in range(2):
            assert isinstance(await fetcher.fetch(server.url()), Fetched)
    assert server.connections == 2


async def test_http_10_body_ends_with_the_connection(serve: Callable[..., ScriptedServer]) -> None:
    server = serve(lambda conn, n, head: Answer(b"HTTP/1.0 200 OK\r\n\r\n<rss>all</rss>", True))
    assert await fetch_twice(server) == (b"<rss>all</rss>", b"<rss>all</rss>")
    assert server.connections == 2


async def test_chunked_body_is_joined(serve: Callable[..., ScriptedServer]) -> None:
    chunked = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n<rss\r\n2\r\n/>\r\n0\r\n\r\n"
    )
    server = serve(lambda conn, n, head: Answer(chunked))
    assert await fetch_twice(server) == (b"<rss/>", b"<rss/>")
    assert server.connections == 1


async def test_idle_pool_per_host_is_bounded(serve: Callable[..., ScriptedServer]) -> None:
    together = threading.Barrier(3, timeout=5)

    def script(conn: int, n: int, head: bytes) -> Answer:
        if conn < 3 and n == 0:
            together.wait()  # three connections open at once, then all answer
        return ok()

    server = serve(script)
    async with httpx.AsyncClient(transport=H11Transport(max_idle_per_host=1)) as client:
        await asyncio.gather(*(client.get(server.url()) for _ in range(3)))
        assert server.connections == 3
        await asyncio.gather(*(client.get(server.url()) for _ in range(3)))
    assert server.connections == 5  # one was kept and reused, two were opened anew


# -- a kept connection the server dropped ------------------------------------------------


async def test_dropped_keepalive_connection_is_retried_once(
    serve: Callable[..., ScriptedServer],
) -> None:
    def script(conn: int, n: int, head: bytes) -> Answer:
        if n == 1:  # an idle timeout racing our next request: hang up without answering
            return Answer(b"", close=True)
        return ok(b"conn %d" % conn)

    server = serve(script)
    assert await fetch_twice(server) == (b"conn 0", b"conn 1")
    assert server.connections == 2


async def test_connection_the_server_closed_while_idle_is_not_used(
    serve: Callable[..., ScriptedServer],
) -> None:
    server = serve(lambda conn, n, head: ok(b"conn %d" % conn, close=True))
    async with Fetcher() as fetcher:
        await fetcher.fetch(server.url())
        await asyncio.sleep(0.05)  # the hang-up has arrived
        second = await fetcher.fetch(server.url())
    assert isinstance(second, Fetched) and second.body == b"conn 1"


async def test_answer_cut_short_on_a_reused_connection_is_not_retried(
    serve: Callable[..., ScriptedServer],
) -> None:
    def script(conn: int, n: int, head: bytes) -> Answer:
        if n == 0:
            return ok()
        return Answer(b"HTTP/1.1 200 OK\r\nContent-Le", close=True)  # headers cut short

    server = serve(script)
    async with Fetcher() as fetcher:
        await fetcher.fetch(server.url())
        with pytest.raises(FetchFailed, match="closed the connection or sent a broken"):
            await fetcher.fetch(server.url())
    assert server.connections == 1


async def test_body_cut_short_is_an_error(serve: Callable[..., ScriptedServer]) -> None:
    server = serve(
        lambda conn, n, head: Answer(b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nabc", True)
    )
    async with Fetcher() as fetcher:
        with pytest.raises(FetchFailed, match="closed the connection or sent a broken"):
            await fetcher.fetch(server.url())


async def test_body_left_unread_closes_the_connection(serve: Callable[..., ScriptedServer]) -> None:
    def script(conn: int, n: int, head: bytes) -> Answer:
        return ok(b"x" * 5000) if head.startswith(b"GET /big ") else ok(b"small")

    server = serve(script)
    async with Fetcher(max_bytes=100) as fetcher:
        with pytest.raises(FetchFailed, match="larger than"):
            await fetcher.fetch(server.url("/big"))  # refused on its Content-Length, unread
        small = await fetcher.fetch(server.url("/small"))
    assert isinstance(small, Fetched) and small.body == b"small"
    assert server.connections == 2


async def test_cancelled_request_does_not_return_its_connection(
    serve: Callable[..., ScriptedServer],
) -> None:
    gate = threading.Event()

    def script(conn: int, n: int, head: bytes) -> Answer:
        if conn == 0:
            gate.wait(5)
        return ok()

    server = serve(script)
    async with Fetcher() as fetcher:
        task = asyncio.create_task(fetcher.fetch(server.url()))
        await asyncio.sleep(0.2)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        gate.set()
        assert isinstance(await fetcher.fetch(server.url()), Fetched)
    assert server.connections == 2


async def test_header_flood_is_refused(serve: Callable[..., ScriptedServer]) -> None:
    flood = b"HTTP/1.1 200 OK\r\n" + b"X-Pad: " + b"a" * 200_000 + b"\r\n\r\n"
    server = serve(lambda conn, n, head: Answer(flood, True))
    async with Fetcher() as fetcher:
        with pytest.raises(FetchFailed, match="broken response"):
            await fetcher.fetch(server.url())


async def test_informational_answers_are_skipped(serve: Callable[..., ScriptedServer]) -> None:
    early = b"HTTP/1.1 103 Early Hints\r\nLink: </x.css>\r\n\r\n"
    server = serve(lambda conn, n, head: Answer(early + ok(b"<rss/>").data))
    async with Fetcher() as fetcher:
        result = await fetcher.fetch(server.url())
    assert isinstance(result, Fetched) and result.body == b"<rss/>"


async def test_answer_sent_while_idle_is_not_taken_for_the_next_one(
    serve: Callable[..., ScriptedServer],
) -> None:
    # A server timing out an idle connection may say so (408) before it hangs up, or
    # without hanging up at all: that answer belongs to no request of ours.
    goodbye = b"HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n\r\n"
    server = serve(lambda conn, n, head: Answer(ok(b"conn %d" % conn).data, later=goodbye))
    async with Fetcher() as fetcher:
        await fetcher.fetch(server.url())
        await asyncio.sleep(0.2)  # the 408 has arrived
        second = await fetcher.fetch(server.url())
    assert isinstance(second, Fetched) and second.body == b"conn 1"


async def test_bytes_beyond_an_answer_are_not_the_next_answer(
    serve: Callable[..., ScriptedServer],
) -> None:
    def script(conn: int, n: int, head: bytes) -> Answer:
        return Answer(ok(b"conn %d" % conn).data + b"EVIL")  # more than Content-Length

    server = serve(script)
    assert await fetch_twice(server) == (b"conn 0", b"conn 1")


async def test_only_get_and_head_are_sent_twice(serve: Callable[..., ScriptedServer]) -> None:
    def script(conn: int, n: int, head: bytes) -> Answer:
        if n == 1:
            return Answer(b"", close=True)  # the kept connection dies under the request
        return ok()

    server = serve(script)
    async with httpx.AsyncClient(transport=H11Transport()) as client:
        await client.get(server.url())
        # A hang-up (RemoteProtocolError) or a reset (ReadError/WriteError), by timing.
        with pytest.raises(httpx.TransportError):
            await client.post(server.url(), content=b"form=1")
    assert server.connections == 1  # a POST may have had its effect: never repeated


async def test_expired_idle_connections_are_not_used(serve: Callable[..., ScriptedServer]) -> None:
    server = serve(lambda conn, n, head: ok())
    async with httpx.AsyncClient(transport=H11Transport(keepalive_expiry=0.05)) as client:
        await client.get(server.url())
        await asyncio.sleep(0.1)
        await client.get(server.url())
        await client.get(server.url())
    assert server.connections == 2


async def test_idle_connections_are_bounded_in_all(serve: Callable[..., ScriptedServer]) -> None:
    servers = [serve(lambda conn, n, head: ok()) for _ in range(3)]
    async with httpx.AsyncClient(transport=H11Transport(max_idle=2)) as client:
        for server in servers:
            await client.get(server.url())
        for server in servers:
            await client.get(server.url())
    assert [s.connections for s in servers] == [1, 1, 2]  # the third was not kept


async def test_an_unresolvable_host_name_fails_its_request_only() -> None:
    url = "http://" + "a" * 64 + ".example/feed"  # a DNS label over 63 characters
    async with Fetcher() as fetcher:
        with pytest.raises(FetchFailed, match="not a valid host name"):
            await fetcher.fetch(url)


# -- TLS ---------------------------------------------------------------------------------


async def test_tls_with_a_trusted_certificate(serve: Callable[..., ScriptedServer]) -> None:
    server = serve(lambda conn, n, head: ok(b"secret feed"), tls=server_tls())
    assert await fetch_twice(server, tls=trusting_test_ca()) == (b"secret feed", b"secret feed")
    assert server.connections == 1


async def test_tls_by_host_name(serve: Callable[..., ScriptedServer]) -> None:
    server = serve(lambda conn, n, head: ok(b"named"), tls=server_tls())
    async with Fetcher(tls=trusting_test_ca()) as fetcher:
        result = await fetcher.fetch(server.url().replace("127.0.0.1", "localhost"))
    assert isinstance(result, Fetched) and result.body == b"named"


async def test_tls_certificate_from_an_unknown_authority_is_refused(
    serve: Callable[..., ScriptedServer],
) -> None:
    server = serve(lambda conn, n, head: ok(), tls=server_tls())
    async with Fetcher() as fetcher:  # the default roots do not include our test CA
        with pytest.raises(FetchFailed, match=r"TLS certificate of '127\.0\.0\.1' is not valid"):
            await fetcher.fetch(server.url())


async def test_tls_name_mismatch_is_refused(serve: Callable[..., ScriptedServer]) -> None:
    try:
        server = serve(lambda conn, n, head: ok(), tls=server_tls(), host="127.0.0.2")
    except OSError:
        pytest.skip("this system cannot listen on 127.0.0.2 (only Linux routes all of 127/8)")
    async with Fetcher(tls=trusting_test_ca()) as fetcher:
        with pytest.raises(FetchFailed, match=r"TLS certificate of '127\.0\.0\.2' is not valid"):
            await fetcher.fetch(server.url())


# -- the transport on its own ------------------------------------------------------------


async def test_transport_refuses_other_schemes() -> None:
    transport = H11Transport()
    with pytest.raises(httpx.UnsupportedProtocol):
        await transport.handle_async_request(httpx.Request("GET", "ftp://example.org/x"))
    await transport.aclose()


async def test_closed_transport_closes_its_idle_connections(
    serve: Callable[..., ScriptedServer],
) -> None:
    server = serve(lambda conn, n, head: ok())
    transport = H11Transport()
    async with httpx.AsyncClient(transport=transport) as client:
        response = await client.get(server.url())
        assert response.content == b"<rss/>"
    with pytest.raises(RuntimeError, match="after it was closed"):
        await transport.handle_async_request(httpx.Request("GET", server.url()))
