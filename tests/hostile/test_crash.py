"""Nothing lost: kill -9 mid-refresh, interrupted or failing exports, two refreshes at once.

The program under test is the real `heraldtui` in a child process, against a real server
on 127.0.0.1 whose feeds gain new items on every request (so every refresh writes), and a
real SQLite file. After each kill the database must open, pass `PRAGMA integrity_check`,
and still hold every article and read mark committed before the kill: those the test
wrote itself, and those of every feed the killed process had already reported as stored
(`heraldtui refresh` prints a feed's line only after its transaction committed). Nothing
the killed process started (its parse workers) may outlive it.

Kills land at points the test observes, never after a number of seconds: when the process
has printed so many feed lines, when the server has sent so many feeds, when so many rows
are stored. The server holds back the last feeds of a refresh until the kill, so the
process is still running, mid-refresh, when that point comes, however loaded the machine.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import resource
import signal
import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from heraldtui.core.ingest.refresh import POOL_THRESHOLD
from heraldtui.core.storage.store import Store
from tests.hostile.support import (
    Finished,
    RawServer,
    Running,
    command_line,
    descendants,
    gone_within,
    group_members,
    raw_server,
    run_heraldtui,
    send,
    write_feeds_toml,
)

server = pytest.fixture(raw_server)

FEEDS = 12
HELD = 4
"""Feeds the server holds back during a refresh that is to be killed."""
KILLS = 18
ITEMS = 25
PARAGRAPH = (
    "Officers from the neighbourhood team met residents at the library to talk about "
    "speeding, parking near the school gates and the new bus lane. "
)
WORKER = "heraldtui.core.ingest.worker"
"""In the command line of a parse worker process (`worker.BOOTSTRAP`)."""
POLLS = 200
"""Looks (50 ms apart) for a killed refresh's workers to be gone."""


class GrowingFeeds:
    """Feeds that publish new items on every request, sent in two halves.

    `hold_back(n)` makes the server answer only the next `FEEDS - n` requests and keep
    the others waiting until `release()`, so a refresh cannot finish before the test kills
    it. `served` counts the answers sent in full since then.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.paragraphs = 3
        """Paragraphs in each item's description (`route`)."""
        self.requests = 0
        self.served = 0
        self._admitted = 0
        self._admit: int | None = None
        self._gate = threading.Event()
        self._gate.set()

    def hold_back(self, held: int) -> None:
        with self._lock:
            self._admit, self._admitted, self.served = FEEDS - held, 0, 0
            self._gate = threading.Event()

    def release(self) -> None:
        with self._lock:
            self._admit = None
            self._gate.set()

    def route(self, h: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.requests += 1
            turn = self.requests
            self._admitted += 1
            gate = None if self._admit is None or self._admitted <= self._admit else self._gate
        if gate is not None:
            gate.wait(timeout=120)  # until the test has killed the refresh; then no answer
            return
        feed = h.path.strip("/")
        items = [
            f"<item><title>{feed} notice {turn}-{n}</title><guid>{feed}-{turn}-{n}</guid>"
            f"<link>https://{feed}.example/{turn}/{n}</link>"
            f"<description>{PARAGRAPH * self.paragraphs}</description></item>"
            for n in range(ITEMS)
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
        with self._lock:
            self.served += 1


@pytest.fixture
def growing() -> Iterator[GrowingFeeds]:
    feeds = GrowingFeeds()
    yield feeds
    feeds.release()  # no server thread stays blocked


@pytest.fixture
def setup(server: RawServer, growing: GrowingFeeds, tmp_path: Path) -> tuple[Path, Path]:
    feeds = []
    for n in range(FEEDS):
        server.route(f"/feed{n}", growing.route)
        feeds.append((f"Feed {n}", server.url(f"/feed{n}")))
    config = write_feeds_toml(tmp_path / "feeds.toml", feeds, full_text=False)
    return config, tmp_path / "data"


def refresh(
    config: Path, data: Path, kill_when: Callable[[Running], bool] | None = None
) -> Finished:
    return run_heraldtui(
        ["refresh", "--config", str(config), "--data-dir", str(data)],
        timeout=120,
        kill_when=kill_when,
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


def nothing_left(run: Finished) -> bool:
    """True once no process the killed program started is alive (its process group)."""
    return gone_within(lambda: group_members(run.pid), polls=POLLS)


def printed(lines: int) -> Callable[[Running], bool]:
    return lambda running: len(re.findall(r"^Feed \d+: ", running.stdout(), re.M)) >= lines


def served(growing: GrowingFeeds, answers: int) -> Callable[[Running], bool]:
    return lambda _: growing.served >= answers


def stored(db: Path, rows: int) -> Callable[[Running], bool]:
    def reached(_: Running) -> bool:
        with contextlib.closing(sqlite3.connect(db, timeout=0.1, isolation_level=None)) as conn:
            try:
                (count,) = conn.execute("SELECT count(*) FROM articles").fetchone()
            except sqlite3.OperationalError:  # busy for a moment: look again next poll
                return False
        return int(count) >= rows

    return reached


@pytest.mark.slow
def test_kill_9_mid_refresh_loses_nothing_committed(
    setup: tuple[Path, Path], growing: GrowingFeeds
) -> None:
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
        point = chooser.randint(1, FEEDS - HELD)
        kill_when = (
            printed(point),
            served(growing, point),
            stored(db, len(before) + ITEMS * point),
        )
        growing.hold_back(HELD)
        run = refresh(config, data, kill_when=kill_when[round_ % 3])
        growing.release()
        assert run.killed, f"round {round_}: the refresh ended before its kill: {run}"
        assert nothing_left(run), f"round {round_}: processes outlived the killed refresh"
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
        assert len(done) < FEEDS
        killed_mid_way += len(done) > 0
    # Every third kill waited for a stored feed's line: those at least landed mid-way.
    assert killed_mid_way >= KILLS // 3, killed_mid_way


def _workers_running(running: Running) -> bool:
    return any(WORKER in command_line(pid) for pid in descendants(running.pid))


@pytest.mark.skipif(
    len(os.sched_getaffinity(0)) < 2, reason="one core: the refresh starts no parse worker"
)
def test_kill_9_leaves_no_parse_worker_behind(
    setup: tuple[Path, Path], growing: GrowingFeeds
) -> None:
    config, data = setup
    # Eight feeds to parse, twice the bytes a thread takes (`POOL_THRESHOLD`): workers start.
    growing.paragraphs = 2 * POOL_THRESHOLD // ((FEEDS - HELD) * ITEMS * len(PARAGRAPH)) + 1
    growing.hold_back(HELD)
    run = refresh(config, data, kill_when=_workers_running)
    growing.release()
    assert run.killed, run
    assert nothing_left(run), [command_line(pid) for pid in group_members(run.pid)]


def export(
    config: Path, data: Path, output: Path, *, online: bool = False, **options: object
) -> Finished:
    return run_heraldtui(
        ["export", *([] if online else ["--offline"]), "--config", str(config),
         "--data-dir", str(data), "--output", str(output)],
        timeout=120,
        **options,  # type: ignore[arg-type]
    )  # fmt: skip


def without_date(digest: str) -> str:
    return re.sub(r"^Generated .*$", "", digest, count=1, flags=re.M)


def _has_open(fragment: str) -> Callable[[Running], bool]:
    """True while the process holds open a file whose path contains `fragment`."""

    def holding(running: Running) -> bool:
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{running.pid}/fd"):
                with contextlib.suppress(OSError):
                    if fragment in os.readlink(f"/proc/{running.pid}/fd/{fd}"):
                        return True
        return False

    return holding


@pytest.mark.slow
def test_export_killed_or_failing_leaves_the_previous_file(
    setup: tuple[Path, Path], growing: GrowingFeeds, tmp_path: Path
) -> None:
    config, data = setup
    for _ in range(3):
        assert refresh(config, data).status == 0
    output = tmp_path / "digest.md"
    assert export(config, data, output).status == 0
    complete = without_date(output.read_text(encoding="utf-8"))
    assert len(complete) > 48 * 1024

    previous = "the previous digest\n"
    # Offline: killed once it reads the database, or once it writes its temporary file
    # (if it gets that far before the test sees it; either way, old file or new, whole).
    for point in ("heraldtui.sqlite3", ".digest.md.", "heraldtui.sqlite3", ".digest.md."):
        output.write_text(previous, encoding="utf-8")
        run = export(config, data, output, kill_when=_has_open(point))
        now = output.read_text(encoding="utf-8")
        assert now == previous or without_date(now) == complete, now[:200]
        assert run.killed or without_date(now) == complete
    for stray in tmp_path.glob(".digest.md.*.tmp"):  # a kill -9 mid-write leaves its temp file
        stray.unlink()

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

    # Online, killed while its refresh waits for the feeds held back: nothing is written.
    for answers in (1, 4, FEEDS - HELD):
        growing.hold_back(HELD)
        run = export(config, data, output, online=True, kill_when=served(growing, answers))
        growing.release()
        assert run.killed and nothing_left(run), run
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
