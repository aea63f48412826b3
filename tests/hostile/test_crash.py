"""Nothing lost: kill -9 mid-refresh, interrupted or failing exports, two refreshes at once.

The program under test is the real `heraldtui` in a child process, against a real server
on 127.0.0.1 whose feeds gain new items on every request (so every refresh writes), and a
real SQLite file. After each kill the database must open, pass `PRAGMA integrity_check`,
and still hold every article and read mark committed before the kill: those the test
wrote itself, and those of every feed the killed process had already reported as stored
(`heraldtui refresh` prints a feed's line only after its transaction committed).
"""

from __future__ import annotations

import random
import re
import resource
import signal
import sqlite3
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from heraldtui.core.storage.store import Store
from tests.hostile.support import (
    Finished,
    RawServer,
    raw_server,
    run_heraldtui,
    send,
    write_feeds_toml,
)

server = pytest.fixture(raw_server)

FEEDS = 12
KILLS = 20
PARAGRAPH = (
    "Officers from the neighbourhood team met residents at the library to talk about "
    "speeding, parking near the school gates and the new bus lane. "
)


class GrowingFeeds:
    """Feeds that publish new items on every request, sent in slow-ish chunks."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.requests = 0

    def route(self, h: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.requests += 1
            turn = self.requests
        feed = h.path.strip("/")
        items = [
            f"<item><title>{feed} notice {turn}-{n}</title><guid>{feed}-{turn}-{n}</guid>"
            f"<link>https://{feed}.example/{turn}/{n}</link>"
            f"<description>{PARAGRAPH * 3}</description></item>"
            for n in range(25)
        ]
        body = (
            f'<rss version="2.0"><channel><title>{feed}</title>{"".join(items)}</channel></rss>'
        ).encode()
        half = len(body) // 2
        send(
            h,
            [body[:half], body[half:]],
            headers={"Content-Type": "application/rss+xml"},
            length=len(body),
            pause=0.02,
        )


@pytest.fixture
def setup(server: RawServer, tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    growing = GrowingFeeds()
    feeds = []
    for n in range(FEEDS):
        server.route(f"/feed{n}", growing.route)
        feeds.append((f"Feed {n}", server.url(f"/feed{n}")))
    config = write_feeds_toml(tmp_path / "feeds.toml", feeds, full_text=False)
    yield config, tmp_path / "data"


def refresh(config: Path, data: Path, kill_after: float | None = None) -> Finished:
    return run_heraldtui(
        ["refresh", "--config", str(config), "--data-dir", str(data)],
        timeout=60,
        kill_after=kill_after,
    )


def check_database(path: Path) -> tuple[set[str], set[str]]:
    """(article ids, ids marked read) after checking the file opens and is intact."""
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        ids = {row[0] for row in db.execute("SELECT id FROM articles")}
        read = {row[0] for row in db.execute("SELECT id FROM articles WHERE read = 1")}
    with Store(path) as store:  # and heraldtui itself can open it and list it
        assert len(store.articles()) == len(ids)
    return ids, read


@pytest.mark.slow
def test_kill_9_mid_refresh_loses_nothing_committed(setup: tuple[Path, Path]) -> None:
    config, data = setup
    db = data / "heraldtui.sqlite3"
    first = refresh(config, data)
    assert first.status == 0 and f"{FEEDS} of {FEEDS} feeds refreshed" in first.stdout
    chooser = random.Random(20241106)
    killed_mid_way = 0
    for round_ in range(KILLS):
        before, _ = check_database(db)
        with Store(db) as store:  # the user reads a few articles; committed at once
            marked = set(chooser.sample(sorted(before), 5))
            store.set_read(marked, True)
        run = refresh(config, data, kill_after=chooser.uniform(0.2, 1.6))
        after, read = check_database(db)
        assert before <= after, f"round {round_}: articles lost"
        assert marked <= read, f"round {round_}: read marks lost"
        done = re.findall(r"^(Feed \d+): (\d+) new of \d+ items$", run.stdout, re.M)
        with sqlite3.connect(db) as conn:
            for name, new in done:
                (count,) = conn.execute(
                    "SELECT count(*) FROM articles WHERE feed = ?", (name,)
                ).fetchone()
                assert int(new) > 0 and count >= int(new), (round_, name)
        if run.killed and 0 < len(done) < FEEDS:
            killed_mid_way += 1
    # The kills must have landed while feeds were being stored, not only before or after.
    assert killed_mid_way >= 3, killed_mid_way


def export(config: Path, data: Path, output: Path, **options: object) -> Finished:
    return run_heraldtui(
        ["export", "--offline", "--config", str(config), "--data-dir", str(data),
         "--output", str(output)],
        timeout=60,
        **options,  # type: ignore[arg-type]
    )  # fmt: skip


def without_date(digest: str) -> str:
    return re.sub(r"^Generated .*$", "", digest, count=1, flags=re.M)


@pytest.mark.slow
def test_export_killed_or_failing_leaves_the_previous_file(
    setup: tuple[Path, Path], tmp_path: Path
) -> None:
    config, data = setup
    for _ in range(3):
        assert refresh(config, data).status == 0
    output = tmp_path / "digest.md"
    assert export(config, data, output).status == 0
    complete = without_date(output.read_text(encoding="utf-8"))
    assert len(complete) > 48 * 1024

    previous = "the previous digest\n"
    chooser = random.Random(7)
    for _ in range(6):
        output.write_text(previous, encoding="utf-8")
        export(config, data, output, kill_after=chooser.uniform(0.3, 1.5))
        now = output.read_text(encoding="utf-8")
        assert now == previous or without_date(now) == complete, now[:200]

    def small_files() -> None:  # a real write failure: EFBIG past 40 KB (the -shm file needs 32)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (40 * 1024, 40 * 1024))

    output.write_text(previous, encoding="utf-8")
    failed = export(config, data, output, preexec=small_files)
    assert failed.status == 2, failed
    (line,) = failed.stderr.strip().splitlines()
    assert line.startswith(f"heraldtui: error: {output}: cannot write the digest"), line
    assert output.read_text(encoding="utf-8") == previous
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".digest")] == []


@pytest.mark.slow
def test_two_refreshes_at_once_neither_corrupts_nor_locks_out(setup: tuple[Path, Path]) -> None:
    config, data = setup
    assert refresh(config, data).status == 0  # the schema exists; now race on the writes
    for _ in range(2):
        with ThreadPoolExecutor(2) as pool:
            runs = list(pool.map(lambda _: refresh(config, data), range(2)))
        for run in runs:
            assert run.status == 0 and not run.killed, run.stderr
            assert f"{FEEDS} of {FEEDS} feeds refreshed" in run.stdout, run.stdout + run.stderr
            assert "locked" not in run.stdout + run.stderr
        check_database(data / "heraldtui.sqlite3")


@pytest.mark.slow
def test_two_first_runs_at_once_create_the_database_once(setup: tuple[Path, Path]) -> None:
    config, data = setup
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda _: refresh(config, data), range(2)))
    for run in runs:
        assert run.status == 0, run.stderr
        assert "locked" not in run.stdout + run.stderr
    ids, _ = check_database(data / "heraldtui.sqlite3")
    assert len(ids) == 2 * FEEDS * 25
