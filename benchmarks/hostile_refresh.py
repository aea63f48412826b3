"""The hostile refresh of issue 17: hostile servers, the real-world feed corpus and a
100,000-item feed in one `heraldtui refresh`, then `heraldtui export --offline`.

Usage: python benchmarks/hostile_refresh.py [--runs 3] [--corpus ../shared/corpus/feeds]
                                            [--json OUT.json]

Every feed is served from one threaded server on 127.0.0.1 started here:
- every file of the corpus (read in place), one feed each;
- a feed of 100,000 dated items (about 9 MB, under the 10 MB body cap);
- bodies that trickle forever, never end, or inflate from an unlabelled gzip bomb;
- a redirect loop, and a feed whose items nest 2,000 tags deep or link to port 99999;
- a teaser-only feed (full text on) whose twelve article pages trickle, answer 429 with an
  absurd Retry-After, or are 3.6 MB of nested inline tags.

Each run starts on an empty data folder and prints the wall time and peak resident memory
(ru_maxrss of each child, from wait4) of the refresh, the export and both together; the
medians are what issue 17's target (under 60 s and 700 MB) is read against.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "feeds"
FEED_SUFFIXES = (".xml", ".rss", ".atom", ".json", ".rdf")
MANY_ITEMS = 100_000
PAGES = 12
TARGET_SECONDS = 60
TARGET_MB = 700

Handler = Callable[[BaseHTTPRequestHandler], None]


def _send(h: BaseHTTPRequestHandler, chunks: Iterator[bytes], *, kind: str, **extra: str) -> None:
    h.send_response(200)
    h.send_header("Content-Type", kind)
    for name, value in extra.items():
        h.send_header(name.replace("_", "-"), value)
    h.send_header("Connection", "close")
    h.end_headers()
    try:
        for chunk in chunks:
            h.wfile.write(chunk)
            h.wfile.flush()
    except (BrokenPipeError, ConnectionResetError):
        pass  # the reader gave up on this body, as it should


def _fixed(body: bytes, kind: str = "application/rss+xml") -> Handler:
    return lambda h: _send(h, iter([body]), kind=kind, Content_Length=str(len(body)))


def _rss(title: str, items: list[str]) -> bytes:
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"{''.join(items)}</channel></rss>"
    ).encode()


def _many(h: BaseHTTPRequestHandler) -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)

    def chunks() -> Iterator[bytes]:
        yield b'<?xml version="1.0"?><rss version="2.0"><channel><title>Many</title>'
        batch: list[str] = []
        for n in range(MANY_ITEMS):
            when = format_datetime(start + timedelta(minutes=n))
            batch.append(f"<item><title>Closure {n}</title><pubDate>{when}</pubDate></item>")
            if len(batch) == 1000:
                yield "".join(batch).encode()
                batch = []
        yield "".join(batch).encode() + b"</channel></rss>"

    _send(h, chunks(), kind="application/rss+xml")


def _trickle(h: BaseHTTPRequestHandler) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'<?xml version="1.0"?><rss version="2.0"><channel>'
        while True:
            time.sleep(1)
            yield b" "

    _send(h, chunks(), kind="application/rss+xml")


def _endless(h: BaseHTTPRequestHandler) -> None:
    junk = b"<!-- " + b"x" * 65_000 + b" -->"
    _send(h, iter(lambda: junk, b""), kind="application/rss+xml")


def _gzip_bomb() -> bytes:
    squeeze = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = b"\0" * (1 << 20)
    return b"".join([squeeze.compress(zeros) for _ in range(1024)] + [squeeze.flush()])


def _deep_items() -> bytes:
    nested = "".join(f"<{t}>" for t in ("li", "p", "font", "span", "div", "blockquote") * 334)
    items = [
        f"<item><title>Deep</title><guid>deep</guid><description><![CDATA[{nested}words]]>"
        "</description></item>",
        "<item><title>Far port</title><guid>port</guid><link>http://127.0.0.1:99999/x</link>"
        "<description>An item whose link cannot be reached.</description></item>",
        "<item><title>Plain</title><guid>plain</guid><link>/plain</link>"
        "<description>A plain item beside the hostile ones.</description></item>",
    ]
    return _rss("Deep", items)


def _teasers(base: str) -> bytes:
    items = [
        f"<item><title>Teaser {n}</title><guid>teaser-{n}</guid><link>{base}/page/{n}</link>"
        f"<description>Read more.</description></item>"
        for n in range(PAGES)
    ]
    return _rss("Teasers", items)


def _page(h: BaseHTTPRequestHandler, n: int) -> None:
    if n % 3 == 0:  # trickles a byte a second, for ever
        _trickle(h)
    elif n % 3 == 1:
        h.send_response(429)
        h.send_header("Retry-After", "99999999999999999999")
        h.send_header("Content-Length", "0")
        h.end_headers()
    else:
        body = b"<html><body><article>" + b"<b><i><span>x" * 300_000 + b"</article></body></html>"
        _fixed(body, "text/html")(h)


class _Routes(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, Handler]] = {}

    def do_GET(self) -> None:
        if self.path.startswith("/page/"):
            _page(self, int(self.path.rsplit("/", 1)[1]))
            return
        route = self.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        route(self)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: a refresh makes hundreds of requests."""


def serve(corpus: Path) -> tuple[ThreadingHTTPServer, list[tuple[str, str, bool]]]:
    """Start the server; return it and the (name, url, full_text) of every feed."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Routes)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}"
    routes: dict[str, Handler] = {}
    feeds: list[tuple[str, str, bool]] = []
    for n, path in enumerate(sorted(p for p in corpus.rglob("*") if p.suffix in FEED_SUFFIXES)):
        routes[f"/corpus/{n}"] = _fixed(path.read_bytes())
        feeds.append((f"Corpus {n:03d}", f"{base}/corpus/{n}", False))
    bomb = _gzip_bomb()
    hostile: dict[str, tuple[Handler, bool]] = {
        "/many": (_many, False),
        "/trickle": (_trickle, False),
        "/endless": (_endless, False),
        "/bomb": (_fixed(bomb), False),
        "/loop-a": (_redirect(f"{base}/loop-b"), False),
        "/loop-b": (_redirect(f"{base}/loop-a"), False),
        "/deep": (_fixed(_deep_items()), True),
        "/teasers": (_fixed(_teasers(base)), True),
    }
    for route, (handler, full_text) in hostile.items():
        routes[route] = handler
        if route != "/loop-b":
            feeds.append((route.strip("/").title(), f"{base}{route}", full_text))
    _Routes.routes = routes
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, feeds


def _redirect(location: str) -> Handler:
    def send(h: BaseHTTPRequestHandler) -> None:
        h.send_response(301)
        h.send_header("Location", location)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return send


def write_config(path: Path, feeds: list[tuple[str, str, bool]]) -> Path:
    lines = []
    for name, url, full_text in feeds:
        lines += ["[[feeds]]", f'name = "{name}"', f'url = "{url}"']
        lines += [f"full_text = {'true' if full_text else 'false'}", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def timed(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MB and the last line of stderr of one child process."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        err.seek(0)
        tail = err.read().decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({code}): {tail[0]}")
    return wall, usage.ru_maxrss / 1024, tail[0]


def heraldtui() -> list[str]:
    exe = Path(sys.executable).with_name("heraldtui")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "heraldtui"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        raise SystemExit(f"no corpus at {args.corpus}: pass --corpus")
    server, feeds = serve(args.corpus)
    print(f"{len(feeds)} feeds ({MANY_ITEMS:,}-item feed and 7 hostile ones among them)")
    rows: list[dict[str, float]] = []
    try:
        for run in range(1, args.runs + 1):
            with tempfile.TemporaryDirectory(prefix="herald-hostile-") as tmp:
                config = write_config(Path(tmp) / "feeds.toml", feeds)
                where = ["--config", str(config), "--data-dir", str(Path(tmp) / "data")]
                r_wall, r_mb, summary = timed([*heraldtui(), "refresh", *where])
                out = str(Path(tmp) / "digest.md")
                e_wall, e_mb, _ = timed(
                    [*heraldtui(), "export", "--offline", "--format", "markdown", "-o", out, *where]
                )
            row = {
                "refresh_s": r_wall,
                "refresh_mb": r_mb,
                "export_s": e_wall,
                "export_mb": e_mb,
                "total_s": r_wall + e_wall,
                "peak_mb": max(r_mb, e_mb),
            }
            rows.append(row)
            print(
                f"run {run}: refresh {r_wall:.1f} s {r_mb:.0f} MB ({summary}); "
                f"export {e_wall:.1f} s {e_mb:.0f} MB"
            )
    finally:
        server.shutdown()
    medians = {key: statistics.median(r[key] for r in rows) for key in rows[0]}
    print(
        f"median: refresh {medians['refresh_s']:.1f} s, export {medians['export_s']:.1f} s, "
        f"total {medians['total_s']:.1f} s (target < {TARGET_SECONDS} s); "
        f"peak {medians['peak_mb']:.0f} MB (target < {TARGET_MB} MB)"
    )
    if args.json:
        args.json.write_text(json.dumps({"runs": rows, "median": medians}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
