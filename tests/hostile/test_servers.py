"""Hostile servers: each case is a real server on 127.0.0.1 beside one healthy feed.

Every case must cost its own feed only (the healthy feed is stored in the same refresh),
end, and leave a reason on the feed a user can act on. What a case costs is bounded by
counts, never by the clock (which a loaded machine stretches): the requests the server
received, whether the server wrote its whole reply or the fetcher hung up first (and how
many bytes it had written by then), and the peak of Python memory while a bomb is read.
The cases that could exhaust memory (a 1 GB body, a gzip bomb, 100,000 items) also run
through the real `heraldtui refresh` in a child process whose peak resident memory is
measured.

Bounds (the Fetcher's limits; the CLI uses the defaults): 10 MB per body after
decompression, 5 redirects, 10 s to connect, 20 s between bytes, 30 s per fetch in total.
The in-process tests shrink the time limits so the suite stays quick; the size cap is the
real one.
"""

from __future__ import annotations

import asyncio
import functools
import io
import re
import sqlite3
import threading
import tracemalloc
import zlib
from collections.abc import Callable, Iterable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from heraldtui.core.ingest.fetch import Fetcher
from heraldtui.core.ingest.refresh import FeedOutcome, refresh_feeds
from heraldtui.core.models import FeedSource
from heraldtui.core.storage.store import Store
from tests.hostile.support import (
    RawServer,
    Route,
    raw_server,
    run_heraldtui,
    send,
    write_feeds_toml,
)

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

server = pytest.fixture(raw_server)

MB = 1024 * 1024
GB = 1024 * MB
HEALTHY = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Healthy</title>'
    b"<item><title>Officers visit the market</title><guid>healthy-1</guid>"
    b"<link>https://healthy.example/1</link>"
    b"<description>Officers met traders at the Saturday market.</description></item>"
    b"</channel></rss>"
)
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE rss [\n  <!ENTITY lol "lol">\n'
    + "".join(
        f'  <!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n'
        for n in range(1, 10)
    )
    + ']>\n<rss version="2.0"><channel><title>Bomb</title><item><title>&lol9;</title>'
    "<guid>bomb-1</guid><description>&lol9;</description></item></channel></rss>"
).encode()


def quick_fetcher() -> Fetcher:
    """The real size and redirect caps; time limits shrunk so a stall costs 3 s, not 60."""
    return Fetcher(connect_timeout=2, read_timeout=2, total_timeout=3)


def refresh_beside_healthy(
    server: RawServer, tmp_path: Path, path: str
) -> tuple[FeedOutcome, FeedOutcome, Store]:
    """Refresh the hostile feed at `path` and a healthy one together; both outcomes."""
    server.fixed("/healthy", HEALTHY)
    feeds = [
        FeedSource("Healthy", server.url("/healthy"), full_text=False),
        FeedSource("Hostile", server.url(path), full_text=False),
    ]
    store = Store(tmp_path / "heraldtui.sqlite3")

    async def go() -> tuple[FeedOutcome, ...]:
        async with quick_fetcher() as fetcher:
            return (await refresh_feeds(feeds, store, fetcher=fetcher)).outcomes

    healthy, hostile = asyncio.run(go())
    assert healthy.status == "ok" and healthy.new == 1, healthy
    titles = [a.title for a in store.articles()]
    assert titles == ["Officers visit the market"] or hostile.status == "ok"
    return healthy, hostile, store


class Watched:
    """A route that records, on the server's side, how each of its replies ended: written
    in full, or cut short by the client hanging up; and how many bytes were written first.

    A fetcher that stops reading (a size cap, a deadline) closes its connection, and the
    server's next write to it fails: that failure is the event the tests wait for.
    """

    def __init__(self, route: Route) -> None:
        self._route = route
        self._ended = threading.Condition()
        self.replies: list[tuple[bool, int]] = []
        """(written in full, bytes written, status line and headers included), in order."""

    def __call__(self, handler: BaseHTTPRequestHandler) -> None:
        wire = handler.wfile
        counted = _Counted(wire)
        handler.wfile = counted
        complete = False
        try:
            self._route(handler)
            complete = True
        finally:
            handler.wfile = wire
            with self._ended:
                self.replies.append((complete, counted.written))
                self._ended.notify_all()

    def first_reply(self, timeout: float = 30) -> tuple[bool, int]:
        """How the first reply ended, waiting up to `timeout` (a safety net) for it to."""
        with self._ended:
            assert self._ended.wait_for(lambda: bool(self.replies), timeout), "reply not over"
            return self.replies[0]


class _Counted(io.BufferedIOBase):
    """A write-only stream that counts what goes through it to the socket."""

    def __init__(self, inner: io.BufferedIOBase) -> None:
        self._inner = inner
        self.written = 0

    def writable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer, /) -> int:
        written = self._inner.write(data)
        self.written += len(memoryview(data))
        return written

    def flush(self) -> None:
        if not self._inner.closed:  # also called when this wrapper is collected
            self._inner.flush()


def peak_python_memory(run: Callable[[], object], *, parses: Iterable[bytes]) -> int:
    """The most bytes of Python memory (every thread's) held at once while `run` ran.

    The feeds `run` will parse are parsed once beforehand, untraced: the modules the parser
    imports on first use (2 MB) stay loaded, and would count if first imported by `run`.
    """
    from heraldtui.core.ingest.parse import parse_feed

    for body in parses:
        headers = {"content-type": "application/rss+xml"}
        parse_feed(body, feed_name="warm-up", url="http://127.0.0.1/", headers=headers)
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# -- the routes ---------------------------------------------------------------------------


TRICKLE_OPENING = b'<?xml version="1.0"?><rss version="2.0"><channel><title>'
TRICKLE_DRIPS = 100
"""A byte every 0.2 s, each within the read timeout: 20 s in all, several times the total
deadline, so the body ends (and the test fails rather than hangs) if the deadline is gone."""


def trickle_forever(server: RawServer) -> Route:
    def route(h: BaseHTTPRequestHandler) -> None:
        def drip() -> Iterator[bytes]:
            yield TRICKLE_OPENING
            for _ in range(TRICKLE_DRIPS):
                if server.stopping.is_set():
                    return
                yield b"a"

        send(h, drip(), headers={"Content-Type": "application/rss+xml"}, pause=0.2)

    return route


def gigabyte(*, declared: bool) -> Route:
    block = b"<item><title>x</title></item>" * (MB // 29) + b" " * (MB % 29)

    def route(h: BaseHTTPRequestHandler) -> None:
        head = b'<rss version="2.0"><channel><title>Huge</title>'
        chunks = (head + block[len(head) :] if n == 0 else block for n in range(GB // MB))
        send(
            h,
            chunks,
            headers={"Content-Type": "application/rss+xml"},
            length=GB if declared else None,
        )

    return route


@functools.cache
def gzip_bomb() -> bytes:
    """1 GB of a feed's opening then zeros, gzip-compressed to about 1 MB."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(MB)
    parts = [packer.compress(b'<rss version="2.0"><channel><title>')]
    parts += [packer.compress(zeros) for _ in range(GB // MB)]
    parts.append(packer.flush())
    return b"".join(parts)


def gzip_bomb_route(h: BaseHTTPRequestHandler) -> None:
    body = gzip_bomb()
    headers = {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"}
    send(h, [body], headers=headers, length=len(body))


def redirect(location: str) -> Route:
    def route(h: BaseHTTPRequestHandler) -> None:
        send(h, [], status=302, headers={"Location": location}, length=0)

    return route


def close_mid_body(h: BaseHTTPRequestHandler) -> None:
    """Promise 100 KB, send 1 KB of a feed, then hang up."""
    send(h, [HEALTHY[:1000]], headers={"Content-Type": "application/rss+xml"}, length=100_000)
    h.close_connection = True


def fixed(body: bytes, content_type: str) -> Route:
    def route(h: BaseHTTPRequestHandler) -> None:
        send(h, [body], headers={"Content-Type": content_type}, length=len(body))

    return route


HTML_PAGE = (
    b"<!DOCTYPE html><html><head><title>Welcome</title></head><body><h1>Our news</h1>"
    b"<p>Read our latest stories on the home page.</p></body></html>"
)

CUT_MB = 64
"""Most a body over the cap may have had written before the fetcher hung up: the 10 MB it
reads, plus what the kernel's socket buffers on 127.0.0.1 hold (a few MB each way), far
from the 1 GB offered."""

CASES: dict[str, tuple[Route, str, bool]] = {
    # case: (route, the reason the feed must carry, whether the fetcher must hang up
    # before the server has written the whole reply)
    "1 GB body, Content-Length declared": (
        gigabyte(declared=True),
        r"^body larger than 10 MB$",
        True,
    ),
    "1 GB body, no Content-Length": (gigabyte(declared=False), r"^body larger than 10 MB$", True),
    "redirect to file://": (
        redirect("file:///etc/passwd"),
        r"^redirect to a non-HTTP URL refused",
        False,
    ),
    "redirect to ftp://": (redirect("ftp://127.0.0.1/feed"), r"non-HTTP URL refused", False),
    "redirect to javascript:": (redirect("javascript:alert(1)"), r"non-HTTP URL refused", False),
    "redirect to data:": (redirect("data:text/xml,<rss/>"), r"non-HTTP URL refused", False),
    "redirect to an unparsable URL": (
        redirect("http://[::1"),
        r"^redirect to an invalid URL",
        False,
    ),
    "closes mid-body": (
        close_mid_body,
        r"^the server 127\.0\.0\.1 closed the connection or sent a broken",
        False,
    ),
    "200 with an HTML page": (
        fixed(HTML_PAGE, "text/html"),
        r"^the server sent an HTML page, not a feed$",
        False,
    ),
    "200 with an empty body": (
        fixed(b"", "application/rss+xml"),
        r"^the server sent an empty body, not a feed$",
        False,
    ),
    "200 with bytes that are not a feed": (
        fixed(bytes(range(256)) * 4, "application/octet-stream"),
        r"^not a feed",
        False,
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_server_costs_its_feed_only(server: RawServer, tmp_path: Path, case: str) -> None:
    route, reason, cut = CASES[case]
    watched = Watched(route)
    server.route("/hostile", watched)
    _, hostile, store = refresh_beside_healthy(server, tmp_path, "/hostile")
    assert hostile.status == "error", hostile
    assert re.search(reason, str(hostile.error)), hostile.error
    assert "\n" not in str(hostile.error)
    (state,) = [s for s in store.feed_states() if s.name == "Hostile"]
    assert state.status == "error" and state.error == hostile.error
    # Asked once, never retried; and a body over the cap is dropped when the cap is passed,
    # not read to its end (the server's write fails once the fetcher has hung up).
    assert server.hits == {"/healthy": 1, "/hostile": 1}
    complete, written = watched.first_reply()
    assert complete is not cut, f"{case}: {written} bytes written, in full: {complete}"
    if cut:
        assert written < CUT_MB * MB, f"{case}: {written / MB:.0f} MB written"


@pytest.mark.slow
def test_body_that_trickles_forever_is_cut_by_the_total_deadline(
    server: RawServer, tmp_path: Path
) -> None:
    watched = Watched(trickle_forever(server))
    server.route("/hostile", watched)
    _, hostile, _ = refresh_beside_healthy(server, tmp_path, "/hostile")
    assert hostile.status == "error"
    # The total deadline, not the read timeout: every byte came within the latter.
    assert hostile.error == "timed out after 3 s in total"
    # Cut mid-body: the fetcher hung up while bytes were still coming, long before the
    # server's last drip (without the deadline it would read them all, then fail to parse).
    complete, written = watched.first_reply()
    assert complete is False, f"the whole trickle was read ({written} bytes)"
    assert server.hits == {"/healthy": 1, "/hostile": 1}


def test_redirect_loop_is_named_and_bounded(server: RawServer, tmp_path: Path) -> None:
    server.route("/a", redirect("/b"))
    server.route("/b", redirect(server.url("/a")))
    _, hostile, _ = refresh_beside_healthy(server, tmp_path, "/a")
    assert str(hostile.error).startswith("redirect loop (")
    # Stopped at the first repeat: each URL of the loop asked once.
    assert server.hits == {"/healthy": 1, "/a": 1, "/b": 1}


def test_endless_redirect_chain_stops_after_five(server: RawServer, tmp_path: Path) -> None:
    def onwards(h: BaseHTTPRequestHandler) -> None:
        n = int(h.path.rsplit("/", 1)[1])
        send(h, [], status=301, headers={"Location": f"/hop/{n + 1}"}, length=0)

    for n in range(50):
        server.route(f"/hop/{n}", onwards)
    _, hostile, _ = refresh_beside_healthy(server, tmp_path, "/hop/0")
    assert hostile.error == "too many redirects (more than 5)"
    assert sum(v for k, v in server.hits.items() if k.startswith("/hop/")) == 6


BOMB_PEAK = 2 * 10 * MB
"""Most Python memory a refresh reading a gzip bomb may hold at once: the 10 MB cap and
change (measured: 10.6 MB). Inflating each 64 KB read in one step instead peaks at 143 MB;
inflating the whole bomb would take 1 GB."""


@pytest.mark.slow
def test_gzip_bomb_is_cut_at_the_decompressed_cap(server: RawServer, tmp_path: Path) -> None:
    gzip_bomb()  # built before the refresh, so the server answers at once
    server.route("/hostile", gzip_bomb_route)
    outcomes: list[FeedOutcome] = []
    peak = peak_python_memory(
        lambda: outcomes.append(refresh_beside_healthy(server, tmp_path, "/hostile")[1]),
        parses=[HEALTHY],
    )
    assert outcomes[0].error == "body larger than 10 MB"
    assert peak < BOMB_PEAK, f"{peak / MB:.0f} MB at the peak"
    assert server.hits == {"/healthy": 1, "/hostile": 1}


XML_BOMB_PEAK = 4 * MB
"""Most Python memory a refresh may hold at once facing the billion laughs (measured:
0.3 MB). Expanding `&lol9;` would take 3 GB; letting the declarations reach expat, whose own
guard stops the expansion part way, already peaks at 58 MB (and stores nothing expanded)."""


def test_xml_bomb_is_not_expanded(server: RawServer, tmp_path: Path) -> None:
    server.route("/hostile", fixed(BILLION_LAUGHS, "application/rss+xml"))
    results: list[tuple[FeedOutcome, FeedOutcome, Store]] = []
    peak = peak_python_memory(
        lambda: results.append(refresh_beside_healthy(server, tmp_path, "/hostile")),
        parses=[HEALTHY, BILLION_LAUGHS],
    )
    _, hostile, store = results[0]
    # Read leniently or refused: either way nothing was expanded, nor paid for.
    assert hostile.status in ("ok", "error")
    for article in store.articles():
        assert "lollol" not in article.title + article.summary + article.content
    assert peak < XML_BOMB_PEAK, f"{peak / MB:.1f} MB at the peak"


def test_external_entities_are_never_read(server: RawServer, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("PRIVATE-TOKEN-4711", encoding="utf-8")
    body = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n'
        f'  <!ENTITY local SYSTEM "{secret.as_uri()}">\n'
        f'  <!ENTITY remote SYSTEM "{server.url("/probe")}">\n'
        f'  <!ENTITY % param SYSTEM "{server.url("/probe-dtd")}">\n  %param;\n]>\n'
        '<rss version="2.0"><channel><title>XXE</title><item><title>A &local; B</title>'
        "<guid>xxe-1</guid><description>&local; &remote;</description></item></channel></rss>"
    ).encode()
    server.route("/hostile", fixed(body, "application/rss+xml"))
    _, _, store = refresh_beside_healthy(server, tmp_path, "/hostile")
    for article in store.articles():
        assert "PRIVATE-TOKEN" not in article.title + article.summary + article.content
    assert "/probe" not in server.hits and "/probe-dtd" not in server.hits
    raw = (tmp_path / "heraldtui.sqlite3").read_bytes()
    assert b"PRIVATE-TOKEN" not in raw


# -- the real program, with its memory measured ----------------------------------------

RSS_LIMIT_MB = 250
"""Peak resident memory of `heraldtui refresh` facing a 1 GB body or a gzip bomb
(measured: 62 MB; Python, httpx, feedparser and SQLite alone take about 60 MB)."""


@pytest.mark.slow
def test_cli_memory_stays_bounded_facing_huge_bodies(server: RawServer, tmp_path: Path) -> None:
    server.fixed("/healthy", HEALTHY)
    server.route("/gb-declared", gigabyte(declared=True))
    server.route("/gb-streamed", gigabyte(declared=False))
    server.route("/bomb", gzip_bomb_route)
    feeds = [
        (name, server.url(path))
        for name, path in (
            ("Healthy", "/healthy"),
            ("Declared", "/gb-declared"),
            ("Streamed", "/gb-streamed"),
            ("Bomb", "/bomb"),
        )
    ]
    config = write_feeds_toml(tmp_path / "feeds.toml", feeds, full_text=False)
    gzip_bomb()  # built before the clock starts
    run = run_heraldtui(
        ["refresh", "--config", str(config), "--data-dir", str(tmp_path / "data")], timeout=60
    )
    assert not run.killed and run.status == 0, run.stderr
    assert "Healthy: 1 new of 1 items" in run.stdout
    for name in ("Declared", "Streamed", "Bomb"):
        assert f"{name}: error: body larger than 10 MB" in run.stderr
    assert "1 of 4 feeds refreshed, 1 new articles" in run.stderr
    assert run.peak_rss_mb < RSS_LIMIT_MB, run
    print(f"huge bodies: {run.seconds:.1f} s, peak {run.peak_rss_mb:.0f} MB")


ITEMS = 100_000


def hundred_thousand_items(h: BaseHTTPRequestHandler) -> None:
    """A feed of 100,000 short items, generated as it is sent (about 6 MB, under the cap)."""

    def items() -> Iterator[bytes]:
        yield b'<?xml version="1.0"?><rss version="2.0"><channel><title>Many</title>'
        batch = []
        for n in range(ITEMS):
            batch.append(f"<item><title>Notice {n}</title><link>/n/{n}</link></item>")
            if len(batch) == 1000:
                yield "".join(batch).encode()
                batch = []
        yield "".join(batch).encode() + b"</channel></rss>"

    send(h, items(), headers={"Content-Type": "application/rss+xml"})


ITEMS_SECONDS = 100
ITEMS_RSS_MB = 600


@pytest.mark.slow
def test_cli_survives_a_feed_of_100000_items(server: RawServer, tmp_path: Path) -> None:
    server.fixed("/healthy", HEALTHY)
    server.route("/many", hundred_thousand_items)
    feeds = [("Healthy", server.url("/healthy")), ("Many", server.url("/many"))]
    config = write_feeds_toml(tmp_path / "feeds.toml", feeds, full_text=False)
    data = tmp_path / "data"
    run = run_heraldtui(
        ["refresh", "--config", str(config), "--data-dir", str(data)], timeout=ITEMS_SECONDS
    )
    assert not run.killed, f"no answer within {ITEMS_SECONDS} s"
    assert run.status == 0, run.stderr
    assert "Healthy: 1 new of 1 items" in run.stdout
    assert re.search(r"^Many: (\d+) new of \1 items", run.stdout, re.M), run.stdout
    assert run.peak_rss_mb < ITEMS_RSS_MB, run
    with sqlite3.connect(data / "heraldtui.sqlite3") as db:
        (stored,) = db.execute("SELECT count(*) FROM articles WHERE feed = 'Many'").fetchone()
    assert 0 < stored <= ITEMS
    print(f"100,000 items: {stored} stored in {run.seconds:.1f} s, peak {run.peak_rss_mb:.0f} MB")


def test_server_text_in_a_reason_cannot_drive_the_terminal(
    server: RawServer, tmp_path: Path
) -> None:
    """A Location with U+009B (the 8-bit CSI) and a bidi override, looping back on itself:
    the reason quotes it, and is printed on the terminal, so it must show it escaped."""
    sneaky = "/x\u00c2\u009b2J\u00e2\u0080\u00ae"  # UTF-8 bytes of U+009B and U+202E, as Latin-1
    server.route("/hostile", redirect(sneaky))
    server.route("/x%C2%9B2J%E2%80%AE", redirect(sneaky))
    _, hostile, store = refresh_beside_healthy(server, tmp_path, "/hostile")
    reason = str(hostile.error)
    assert reason.startswith("redirect loop (") and "\\x9b2J\\u202e" in reason, reason
    assert not re.search("[\x00-\x1f\x7f-\x9f\u202a-\u202e]", reason)
    (state,) = [s for s in store.feed_states() if s.name == "Hostile"]
    assert state.error == reason
