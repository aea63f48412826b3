"""Generated feeds and a local server for the refresh benchmarks.

200 RSS feeds of 50 full-content items (about 45 MB in all) served by a threaded HTTP
server on 127.0.0.1 that answers conditional GETs (ETag and Last-Modified) with 304, as
real feed servers do. The text is generated from a small vocabulary so that items differ
(no two bodies alike) without any outside data.

Two generators, so that a refresh is not tuned to one writer's markup (issue 14):

- `feedgen` (`make_feed`, this module): five paragraphs of five sentences per item, a
  two-sentence description, every sentence naming one of eight towns;
- `gen_feeds` (`../shared/tools/gen_feeds.py`, the shared sets' tool): eight 60-word
  paragraphs per item and, as its description, the first 300 characters of that HTML,
  escaped (a fragment cut mid-paragraph). It is run as a script into a temporary folder
  and its files are served the same way.
"""

from __future__ import annotations

import email.utils
import hashlib
import random
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from xml.sax.saxutils import escape

WORDS = (
    "police officers constabulary inspection report commissioner panel meeting county "
    "patrol arrest court charged burglary theft community safety neighbourhood road speed "
    "crime victims support response calls control room budget precept council residents "
    "station officer sergeant detective investigation appeal witnesses vehicle village town "
    "market centre school youth scheme funding review findings improvement standards public"
).split()
PARAGRAPHS = 5
"""Paragraphs of five sentences per item; with a two-sentence description, 200 feeds x 50
items come to about 45 MB (the size issue 7 benchmarks against newsboat)."""
GENERATORS = ("feedgen", "gen_feeds")
GEN_FEEDS = Path(__file__).resolve().parents[2] / "shared" / "tools" / "gen_feeds.py"
"""The shared sets' generator, beside the repository (`../shared`)."""
PLACES = "Hertford Stevenage Watford Hitchin Ware Harpenden Letchworth Bishop's Stortford".split()


def _paragraph(rng: random.Random, sentences: int) -> str:
    out = []
    for _ in range(sentences):
        words = [rng.choice(WORDS) for _ in range(rng.randint(12, 24))]
        words[0] = words[0].capitalize()
        words.insert(rng.randint(1, len(words) - 1), rng.choice(PLACES))
        out.append(" ".join(words) + ".")
    return " ".join(out)


def make_feed(index: int, items: int = 50, seed: int = 7) -> bytes:
    rng = random.Random(seed * 100_003 + index)
    base = f"https://outlet{index}.example"
    start = datetime(2025, 6, 1, tzinfo=UTC)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">',
        f"<channel><title>Outlet {index}</title><link>{base}/</link>",
        f"<description>Generated policing news {index}</description>",
    ]
    for n in range(items):
        title = f"{rng.choice(PLACES)} {rng.choice(WORDS)} {rng.choice(WORDS)} update {n}"
        body = "".join(f"<p>{_paragraph(rng, 5)}</p>" for _ in range(PARAGRAPHS))
        when = email.utils.format_datetime(start - timedelta(hours=index * 3 + n))
        parts.append(
            f"<item><title>{escape(title)}</title><link>{base}/news/{n}</link>"
            f'<guid isPermaLink="false">outlet{index}-{n}</guid><pubDate>{when}</pubDate>'
            f"<description>{escape(_paragraph(rng, 2))}</description>"
            f"<content:encoded><![CDATA[{body}]]></content:encoded></item>"
        )
    parts.append("</channel></rss>")
    return "\n".join(parts).encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    feeds: ClassVar[dict[str, tuple[bytes, str, str]]] = {}

    def do_GET(self) -> None:
        found = self.feeds.get(self.path)
        if found is None:
            self.send_error(404)
            return
        body, etag, modified = found
        since = self.headers.get("If-Modified-Since")
        if self.headers.get("If-None-Match") == etag or (
            since == modified and "If-None-Match" not in self.headers
        ):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", modified)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    # A class attribute, because listen() runs in the constructor: set on the instance
    # afterwards, it left the backlog at 5, and a burst of 16 connects lost SYNs to a
    # one-second retransmit.
    request_queue_size = 256
    daemon_threads = True


def make_feeds(count: int, items: int, generator: str = "feedgen") -> list[bytes]:
    """The bodies of `count` feeds of `items` items each, from `generator` (`GENERATORS`)."""
    if generator == "feedgen":
        return [make_feed(i, items) for i in range(count)]
    if generator != "gen_feeds":
        raise ValueError(f"unknown generator {generator!r}; known: {', '.join(GENERATORS)}")
    if not GEN_FEEDS.exists():
        raise SystemExit(f"the gen_feeds generator is not at {GEN_FEEDS}")
    with tempfile.TemporaryDirectory(prefix="herald-gen-feeds-") as tmp:
        cmd = [sys.executable, str(GEN_FEEDS), tmp, str(count), str(items)]
        subprocess.run(cmd, check=True)
        return [(Path(tmp) / f"f{i}.xml").read_bytes() for i in range(count)]


@contextmanager
def serve_feeds(
    count: int = 200, items: int = 50, generator: str = "feedgen"
) -> Iterator[tuple[str, list[str], int]]:
    """Serve `count` generated feeds; yields (base URL, feed paths, total bytes)."""
    modified = email.utils.format_datetime(datetime(2025, 6, 1, tzinfo=UTC), usegmt=True)
    feeds = {}
    for i, body in enumerate(make_feeds(count, items, generator)):
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        feeds[f"/feeds/{i}.xml"] = (body, etag, modified)
    handler = type("Handler", (_Handler,), {"feeds": feeds})
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        yield base, sorted(feeds), sum(len(b) for b, _, _ in feeds.values())
    finally:
        server.shutdown()
        server.server_close()


def write_feeds_toml(folder: Path, base: str, paths: list[str]) -> Path:
    path = folder / "feeds.toml"
    path.write_text(
        "".join(
            f'[[feeds]]\nname = "Outlet {n}"\nurl = "{base}{p}"\n\n' for n, p in enumerate(paths)
        ),
        encoding="utf-8",
    )
    return path
