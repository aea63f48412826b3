"""Helpers for the hostile-input tests: a raw HTTP server and a measured heraldtui process.

`RawServer` is a real server on 127.0.0.1:0 whose routes write the response themselves,
byte by byte if need be, so a test can send what no well-behaved server would: a body
that never ends, a gigabyte generated on the fly, a connection closed mid-body. (The
shared `tests.support.httpserver.LocalServer` answers with whole `bytes` bodies, which
cannot express a 1 GB body without holding it in memory.)

`run_heraldtui` runs the real `heraldtui` program in a child process and reports its exit
status, output, wall time and peak resident memory (its own VmHWM, sampled while it runs), so bounds
on time and memory are measured on the program itself, not on the test process.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

__all__ = [
    "SHARED",
    "Finished",
    "RawServer",
    "Route",
    "raw_server",
    "run_heraldtui",
    "send",
    "write_feeds_toml",
]

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
HERALDTUI = Path(sys.executable).with_name("heraldtui")

Route = Callable[[BaseHTTPRequestHandler], None]


def send(
    handler: BaseHTTPRequestHandler,
    chunks: Iterable[bytes],
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
    length: int | None = None,
    pause: float = 0.0,
) -> None:
    """Write a status line, headers and `chunks` as they come (the body is never held whole).

    With `length`, Content-Length is sent (it may lie); without it the body ends when the
    connection closes.
    """
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    if length is not None:
        handler.send_header("Content-Length", str(length))
    else:
        handler.send_header("Connection", "close")
        handler.close_connection = True
    handler.end_headers()
    for chunk in chunks:
        handler.wfile.write(chunk)
        handler.wfile.flush()
        if pause:
            time.sleep(pause)


class RawServer:
    """A threaded HTTP/1.1 server on 127.0.0.1 whose routes write their own responses."""

    def __init__(self) -> None:
        self._routes: dict[str, Route] = {}
        self._lock = threading.Lock()
        self.hits: dict[str, int] = {}
        self.stopping = threading.Event()
        """Set on close, so an endless body generator can end its loop."""
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                with server._lock:
                    route = server._routes.get(self.path)
                    server.hits[self.path] = server.hits.get(self.path, 0) + 1
                with contextlib.suppress(
                    BrokenPipeError, ConnectionResetError, ConnectionAbortedError
                ):
                    if route is None:
                        send(self, [b"not found"], status=404, length=9)
                    else:
                        route(self)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def url(self, path: str) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def route(self, path: str, route: Route) -> None:
        with self._lock:
            self._routes[path] = route

    def fixed(self, path: str, body: bytes, content_type: str = "application/rss+xml") -> None:
        """A plain well-behaved answer, for the healthy feeds beside the hostile ones."""
        self.route(
            path,
            lambda h: send(h, [body], headers={"Content-Type": content_type}, length=len(body)),
        )

    def close(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def raw_server() -> Iterator[RawServer]:
    """Fixture factory: wrap with `pytest.fixture` in the module that needs it."""
    server = RawServer()
    try:
        yield server
    finally:
        server.close()


def write_feeds_toml(path: Path, feeds: Sequence[tuple[str, str]], *, full_text: bool) -> Path:
    """A feeds.toml naming `feeds` (name, url); TOML strings via repr-safe escaping."""
    lines = []
    for name, url in feeds:
        lines += [
            "[[feeds]]",
            f"name = {_toml_string(name)}",
            f"url = {_toml_string(url)}",
            f"full_text = {'true' if full_text else 'false'}",
            "",
        ]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


@dataclass(frozen=True, slots=True)
class Finished:
    """How a heraldtui process ended; `peak_rss_mb` is its own peak, children excluded."""

    status: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_mb: float
    killed: bool


def _high_water_mb(pid: int) -> float:
    """The peak resident size of `pid`'s own address space so far (VmHWM), 0 if unknown.

    The address space is new at exec, so unlike `ru_maxrss` this is the child's alone.
    Sampled while it runs; a rise in its last few milliseconds could be missed.
    """
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def run_heraldtui(
    args: Sequence[str],
    *,
    timeout: float,
    env: Mapping[str, str] | None = None,
    kill_after: float | None = None,
    preexec: Callable[[], None] | None = None,
) -> Finished:
    """Run `heraldtui *args`; SIGKILL it after `kill_after` seconds (or at `timeout`).

    Output goes to temporary files rather than pipes, so a chatty child can never block on
    a full pipe while we wait for it.
    """
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.monotonic()
        proc = subprocess.Popen(
            [str(HERALDTUI), *args],
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            preexec_fn=preexec,
        )
        limit = kill_after if kill_after is not None else timeout
        killed = False
        peak = 0.0
        while True:
            peak = max(peak, _high_water_mb(proc.pid))
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() - started > limit:
                os.kill(proc.pid, signal.SIGKILL)
                killed = True
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.005)
        proc.returncode = os.waitstatus_to_exitcode(status)  # Popen must not reap it again
        seconds = time.monotonic() - started
        out.seek(0)
        err.seek(0)
        return Finished(
            status=proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            seconds=seconds,
            # ru_maxrss would do, but Linux carries a parent's peak over fork and exec,
            # so a child of a large test process would report the parent's size.
            peak_rss_mb=peak or usage.ru_maxrss / 1024,
            killed=killed,
        )
