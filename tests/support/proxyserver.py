"""A real forwarding HTTP proxy on 127.0.0.1 for tests, which records what it was asked.

Plain threads and sockets, as small as a proxy can be and still be one: an absolute-form
request (`GET http://host:port/path HTTP/1.1`) is sent on to its server in origin form and
the answer relayed back, one request per connection; `CONNECT host:port` opens a tunnel
and copies bytes both ways until either side hangs up (TLS runs inside it, end to end,
so the proxy never sees the https request). `seen` lists each request line's method and
target, and `headers` each request's header names and values, lower-case names.

`refuse_connect` answers every CONNECT with `403 Forbidden`, as a proxy whose rules do not
allow the host does.

    proxy = ForwardingProxy()
    try:
        ...  # HTTP_PROXY=proxy.url
        assert proxy.seen == [("GET", "http://127.0.0.1:8000/feed")]
    finally:
        proxy.close()
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from urllib.parse import urlsplit

__all__ = ["ForwardingProxy", "forwarding_proxy"]

_MAX_HEAD = 64 * 1024


def _read_head(sock: socket.socket) -> tuple[bytes, bytes]:
    """The head up to its blank line, and any bytes that came after it."""
    buffer = b""
    while b"\r\n\r\n" not in buffer:
        data = sock.recv(65536)
        if not data or len(buffer) > _MAX_HEAD:
            raise ConnectionError("no complete head")
        buffer += data
    head, _, rest = buffer.partition(b"\r\n\r\n")
    return head, rest


def _pump(source: socket.socket, target: socket.socket) -> None:
    """Copy until `source` ends, then tell `target` nothing more comes."""
    try:
        while data := source.recv(65536):
            target.sendall(data)
    except OSError:
        pass
    with contextlib.suppress(OSError):
        target.shutdown(socket.SHUT_WR)


def _without(lines: list[bytes], names: tuple[bytes, ...]) -> list[bytes]:
    return [line for line in lines if line.split(b":", 1)[0].strip().lower() not in names]


class ForwardingProxy:
    """See the module docstring."""

    def __init__(self, *, refuse_connect: bool = False) -> None:
        self.refuse_connect = refuse_connect
        self.seen: list[tuple[str, str]] = []
        self.headers: list[dict[str, str]] = []
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        """Stop listening (a shutdown first: close alone leaves a blocked accept() serving)."""
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        with client:
            try:
                head, rest = _read_head(client)
            except OSError:
                return
            request_line, *lines = head.split(b"\r\n")
            method, target, _version = request_line.decode("latin-1").split(" ", 2)
            with self._lock:
                self.seen.append((method, target))
                self.headers.append(
                    {
                        name.strip().lower(): value.strip()
                        for name, _, value in (
                            line.decode("latin-1").partition(":") for line in lines
                        )
                    }
                )
            try:
                if method == "CONNECT":
                    self._tunnel(client, target, rest)
                else:
                    self._forward(client, method, target, lines, rest)
            except OSError:
                return

    def _tunnel(self, client: socket.socket, target: str, rest: bytes) -> None:
        if self.refuse_connect:
            client.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            return
        host, _, port = target.rpartition(":")
        with socket.create_connection((host.strip("[]"), int(port))) as upstream:
            client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            if rest:
                upstream.sendall(rest)
            back = threading.Thread(target=_pump, args=(upstream, client), daemon=True)
            back.start()
            _pump(client, upstream)
            back.join()

    def _forward(
        self, client: socket.socket, method: str, target: str, lines: list[bytes], rest: bytes
    ) -> None:
        parts = urlsplit(target)
        if parts.scheme != "http" or not parts.hostname:
            client.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            return
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        kept = _without(lines, (b"connection", b"proxy-connection", b"proxy-authorization"))
        head = b"\r\n".join([f"{method} {path} HTTP/1.1".encode(), *kept, b"Connection: close"])
        with socket.create_connection((parts.hostname, parts.port or 80)) as upstream:
            upstream.sendall(head + b"\r\n\r\n" + rest)
            answer, body = _read_head(upstream)
            status, *answer_lines = answer.split(b"\r\n")
            answer_lines = _without(answer_lines, (b"connection", b"keep-alive"))
            client.sendall(b"\r\n".join([status, *answer_lines, b"Connection: close"]))
            client.sendall(b"\r\n\r\n" + body)
            _pump(upstream, client)


def forwarding_proxy() -> Iterator[ForwardingProxy]:
    """Fixture factory: wrap with `pytest.fixture` in the test module that needs a proxy."""
    proxy = ForwardingProxy()
    try:
        yield proxy
    finally:
        proxy.close()
