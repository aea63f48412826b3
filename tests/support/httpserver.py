"""A real HTTP server on 127.0.0.1 for tests, with routes registered per test.

Fetch behaviour (status codes, validators, redirects, slow and huge bodies, compression) is
tested against a real socket, never a mocked transport: starting this server costs a few
milliseconds. Each test registers what a path answers, runs the code under test, then
asserts on the log of requests the server received (for example the validators a
conditional GET sent). Two counts let tests bound behaviour without timing it:
`most_waiting` (the most requests held at once before their replies began, for connection
limits) and `reply_complete` (whether a reply was written in full or the client hung up
first, for timeouts that must cut a slow body short). `LocalServer(tls=context)` serves
https with that server context (the certificate in `tests/fixtures/tls/`, say);
`LocalServer(host="127.0.0.2")` listens on another loopback address (Linux routes all of
127/8 to the loopback interface), for a second "host".

Use it from a test module:

    from tests.support.httpserver import LocalServer, Reply, http_server

    server = pytest.fixture(http_server)

    def test_something(server: LocalServer) -> None:
        server.route("/feed", body=b"<rss/>", content_type="application/rss+xml")
        url = server.url("/feed")
"""

from __future__ import annotations

import contextlib
import gzip as gzip_module
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

__all__ = ["LocalServer", "RecordedRequest", "Reply", "http_server"]


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request as the server saw it; header names are lower-case."""

    method: str
    path: str
    headers: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Reply:
    """What a route answers.

    `delay` waits before the status line (a slow server); `trickle` waits between body
    chunks of `chunk_size` bytes (a slow body). `gzip` compresses the body on the fly and
    labels it; to send bytes that are already compressed, set the header yourself.
    `length=False` leaves out Content-Length and ends the body by closing the connection.
    """

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    trickle: float = 0.0
    chunk_size: int = 64 * 1024
    gzip: bool = False
    length: bool = True


Responder = Reply | Callable[[RecordedRequest], Reply]


class LocalServer:
    """A threaded HTTP/1.1 server in a background thread, with a request log."""

    def __init__(self, *, tls: ssl.SSLContext | None = None, host: str = "127.0.0.1") -> None:
        self.scheme = "https" if tls is not None else "http"
        self._routes: dict[str, Responder] = {}
        self._lock = threading.Lock()
        self._ended = threading.Condition(self._lock)
        self.requests: list[RecordedRequest] = []
        self.waiting = 0
        """Requests received whose replies have not begun (their `delay` included)."""
        self.most_waiting = 0
        """The highest `waiting` seen: how many requests the client had open at once."""
        self._complete: dict[str, list[bool]] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                server._serve(self)

            def do_HEAD(self) -> None:
                server._serve(self)

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep pytest output readable

        self._httpd = ThreadingHTTPServer((host, 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        if tls is not None:  # the handshake happens in the request's thread, on first read
            self._httpd.socket = tls.wrap_socket(
                self._httpd.socket, server_side=True, do_handshake_on_connect=False
            )
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"{self.scheme}://{host!s}:{port}"

    def url(self, path: str) -> str:
        """The absolute URL of `path` on this server."""
        return self.base_url + path

    def route(
        self,
        path: str,
        *,
        status: int = 200,
        body: bytes | str = b"",
        headers: Mapping[str, str] | None = None,
        content_type: str | None = None,
        delay: float = 0.0,
        trickle: float = 0.0,
        chunk_size: int = 64 * 1024,
        gzip: bool = False,
        length: bool = True,
    ) -> None:
        """Make `path` (with its query string, if any) answer a fixed reply."""
        all_headers = dict(headers or {})
        if content_type is not None:
            all_headers["Content-Type"] = content_type
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.handle(
            path,
            Reply(status, data, all_headers, delay, trickle, chunk_size, gzip, length),
        )

    def handle(self, path: str, responder: Responder) -> None:
        """Make `path` answer `responder`, a fixed Reply or a function of the request."""
        with self._lock:
            self._routes[path] = responder

    def requests_to(self, path: str) -> list[RecordedRequest]:
        """The requests received for `path`, oldest first."""
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def reply_complete(self, path: str, timeout: float = 10.0) -> bool | None:
        """Whether the first reply to `path` was written in full (False: the client hung up
        first); waits up to `timeout` for that reply to end, None if it has not."""
        with self._ended:
            self._ended.wait_for(lambda: bool(self._complete.get(path)), timeout)
            ended = self._complete.get(path)
            return ended[0] if ended else None

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        request = RecordedRequest(
            method=handler.command,
            path=handler.path,
            headers={k.lower(): v for k, v in handler.headers.items()},
        )
        with self._lock:
            self.requests.append(request)
            responder = self._routes.get(handler.path)
            self.waiting += 1
            self.most_waiting = max(self.most_waiting, self.waiting)
        try:
            if responder is None:
                reply = Reply(404, b"not found", {"Content-Type": "text/plain"})
            elif isinstance(responder, Reply):
                reply = responder
            else:
                reply = responder(request)
            if reply.delay:
                time.sleep(reply.delay)
        finally:
            # Before the status line: the client cannot have this reply, so cannot have
            # sent its next request in this slot, while the request still counts.
            with self._lock:
                self.waiting -= 1
        complete = False
        # The client may give up mid-body (a timeout or a size cap under test).
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self._send(handler, reply)
            complete = True
        with self._ended:
            self._complete.setdefault(handler.path, []).append(complete)
            self._ended.notify_all()

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
        body = reply.body
        if reply.gzip:
            body = gzip_module.compress(body)
        handler.send_response(reply.status)
        names = {k.lower() for k in reply.headers}
        for name, value in reply.headers.items():
            handler.send_header(name, value)
        if reply.gzip and "content-encoding" not in names:
            handler.send_header("Content-Encoding", "gzip")
        if reply.length:
            handler.send_header("Content-Length", str(len(body)))
        else:
            handler.send_header("Connection", "close")
            handler.close_connection = True
        handler.end_headers()
        if handler.command == "HEAD" or reply.status in (204, 304):
            return
        for start in range(0, len(body), reply.chunk_size):
            handler.wfile.write(body[start : start + reply.chunk_size])
            handler.wfile.flush()
            if reply.trickle:
                time.sleep(reply.trickle)


def http_server() -> Iterator[LocalServer]:
    """Fixture factory: wrap with `pytest.fixture` in the test module that needs a server."""
    server = LocalServer()
    try:
        yield server
    finally:
        server.close()
