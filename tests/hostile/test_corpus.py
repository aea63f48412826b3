"""The real-world feed corpus, served from 127.0.0.1 and refreshed in one run of the CLI.

Every file of `../shared/corpus/feeds/` (feeds from public projects' test suites and real
news sites: wrong encodings, entities, relative links, missing dates, HTML in titles, and
a few bodies that are not feeds at all) becomes one feed of one feeds.toml. One
`heraldtui refresh` must finish without a traceback, give every feed one line (its items,
or `error:` and a reason on one line), print the summary, and store items that read as
text: no markup, no entities left encoded, no control characters, absolute links.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hostile.support import (
    SHARED,
    RawServer,
    raw_server,
    run_heraldtui,
    send,
    write_feeds_toml,
)

CORPUS = SHARED / "corpus" / "feeds"
TYPES = {
    ".json": "application/feed+json",
    ".html": "text/html; charset=utf-8",
    ".opml": "text/x-opml",
    ".atom": "application/atom+xml",
    ".rss": "application/rss+xml",
    ".rdf": "application/rdf+xml",
    ".gz": "application/octet-stream",
}
ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{2,6}|#x[0-9a-fA-F]{2,6});")
TAG = re.compile(r"</?(?:b|i|em|strong|a|span|div|p|br|img|script|font)\b[^>]*>", re.I)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Titles whose markup is literal text in the source, so showing it as text is right:
LITERAL_MARKUP = {
    # the title is double-escaped (&amp;lt;b&amp;gt;): it talks about tags
    "feeder/feeder-diskuse-no-xml-decl.rss",
    # no title; the fallback is base64 content of a binary type, which is not HTML
    "feedparser/feedparser-atom10-entry_content_base64.xml",
}


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix not in (".tsv", ".md"))


@pytest.fixture
def corpus_server() -> Iterator[RawServer]:
    yield from raw_server()


@pytest.mark.slow
def test_whole_corpus_refreshes_in_one_run(corpus_server: RawServer, tmp_path: Path) -> None:
    files = corpus_files()
    feeds = []
    for n, path in enumerate(files):
        body = path.read_bytes()
        route = f"/{n}/{path.name}"
        kind = TYPES.get(path.suffix, "application/xml")

        def answer(h: object, body: bytes = body, kind: str = kind) -> None:
            send(h, [body], headers={"Content-Type": kind}, length=len(body))  # type: ignore[arg-type]

        corpus_server.route(route, answer)
        feeds.append((str(path.relative_to(CORPUS)), corpus_server.url(route)))
    # full_text = false: the corpus links point at real sites, and tests never go online.
    config = write_feeds_toml(tmp_path / "feeds.toml", feeds, full_text=False)
    data = tmp_path / "data"
    run = run_heraldtui(["refresh", "--config", str(config), "--data-dir", str(data)], timeout=240)
    assert not run.killed, f"refresh hung ({run.seconds:.0f} s)"
    assert run.status == 0, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    lines = [line for line in (run.stdout + run.stderr).splitlines() if line.strip()]
    summary = [line for line in lines if " feeds refreshed, " in line]
    assert len(summary) == 1, lines[-3:]
    per_feed = [line for line in lines if line not in summary]
    names = [name for name, _ in feeds]
    assert sorted(line.split(": ", 1)[0] for line in per_feed) == sorted(names)
    failed = [line for line in per_feed if ": error: " in line]
    ok, total = (int(x) for x in re.findall(r"\d+", summary[0])[:2])
    assert total == len(feeds) and ok == len(feeds) - len(failed)
    for line in failed:
        reason = line.split(": error: ", 1)[1]
        assert "unexpected" not in reason, line  # a bug, not a per-feed reason
        assert 10 < len(reason) < 200, line
    assert len(failed) < len(feeds) // 4, failed

    with sqlite3.connect(data / "heraldtui.sqlite3") as db:
        rows = db.execute("SELECT feed, title, author, link, summary, content FROM articles")
        articles = rows.fetchall()
    stored = int(re.findall(r"(\d+) new articles", summary[0])[0])
    assert stored == len(articles) > 1000
    problems = []
    for feed, title, author, link, summary_text, content in articles:
        where = f"{feed}: {title!r}"
        checks = {
            "empty title": not title.strip(),
            "control character": bool(
                CONTROL.search(title + (author or "") + summary_text + content)
            ),
            "line break in title": "\n" in title,
            "markup in title": bool(TAG.search(title)) and feed not in LITERAL_MARKUP,
            "encoded entity in title": bool(ENTITY.search(title)),
            "replacement character": "\ufffd" in title + summary_text,
            "relative link": not (link == "" or link.startswith(("http://", "https://"))),
        }
        problems += [f"{what}: {where}" for what, bad in checks.items() if bad]
    print("\n".join(problems))
    assert not problems
    print(*failed, sep="\n")
    print(summary[0], f"in {run.seconds:.1f} s, peak {run.peak_rss_mb:.0f} MB")
