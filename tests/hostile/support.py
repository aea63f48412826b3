"""Helpers for the hostile-input tests: a raw HTTP server and a measured heraldtui process.

`RawServer` is a real server on 127.0.0.1:0 whose routes write the response themselves,
byte by byte if need be, so a test can send what no well-behaved server would: a body
that never ends, a gigabyte generated on the fly, a connection closed mid-body. (The
shared `tests.support.httpserver.LocalServer` answers with whole `bytes` bodies, which
cannot express a 1 GB body without holding it in memory.)

`run_heraldtui` runs the real `heraldtui` program in a child process and reports its exit
status, output, wall time and peak resident memory (its own VmHWM, sampled while it runs), so bounds
on time and memory are measured on the program itself, not on the test process. It can kill
the program with SIGKILL when it reaches a point the test observes (`kill_when`: a line
printed, requests served, rows stored), never after a number of seconds, so a kill lands at
the same point on a loaded machine. The program leads its own process group, so whatever
it started can be found after it is gone (`group_members`).
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
from typing import BinaryIO

__all__ = [
    "SHARED",
    "Finished",
    "RawServer",
    "Route",
    "Running",
    "command_line",
    "descendants",
    "gone_within",
    "group_members",
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
    pid: int
    """Also its process group's id: what it started can be looked up with `group_members`."""


@dataclass(frozen=True, slots=True)
class Running:
    """A heraldtui process still running, as `kill_when` sees it."""

    pid: int
    _out: BinaryIO

    def stdout(self) -> str:
        """What it printed so far."""
        size = os.fstat(self._out.fileno()).st_size
        return os.pread(self._out.fileno(), size, 0).decode("utf-8", "replace")


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
    kill_when: Callable[[Running], bool] | None = None,
    preexec: Callable[[], None] | None = None,
) -> Finished:
    """Run `heraldtui *args`; SIGKILL it as soon as `kill_when` says so (polled every few
    milliseconds while it runs), or at `timeout`, a safety net only.

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
            start_new_session=True,
        )
        running = Running(proc.pid, out)
        killed = False
        peak = 0.0
        while True:
            peak = max(peak, _high_water_mb(proc.pid))
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if (
                kill_when is not None and kill_when(running)
            ) or time.monotonic() - started > timeout:
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
            pid=proc.pid,
        )


# -- processes, read from /proc (Linux) ----------------------------------------------------


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent id, process group id) of a live process, None if gone or a zombie."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    state, parent, group = fields[0], int(fields[1]), int(fields[2])
    return None if state in ("Z", "X", "x") else (state, parent, group)


def _live_processes() -> dict[int, tuple[str, int, int]]:
    found = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (stat := _stat(int(entry))) is not None:
            found[int(entry)] = stat
    return found


def descendants(pid: int) -> set[int]:
    """The live processes `pid` started, and theirs, found by their parent links."""
    children: dict[int, list[int]] = {}
    for child, (_, parent, _) in _live_processes().items():
        children.setdefault(parent, []).append(child)
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def group_members(group: int) -> set[int]:
    """The live processes of a process group: a leader's children stay in it after the
    leader dies, when their parent links point elsewhere."""
    return {pid for pid, (_, _, pgid) in _live_processes().items() if pgid == group}


def command_line(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def gone_within(pids: Iterable[int] | Callable[[], set[int]], *, polls: int) -> bool:
    """True once none of `pids` (or of what the callable returns) lives, looking at most
    `polls` times, 50 ms apart; zombies count as gone."""
    for _ in range(polls):
        alive = pids() if callable(pids) else {p for p in pids if _stat(p) is not None}
        if not alive:
            return True
        time.sleep(0.05)
    return False
