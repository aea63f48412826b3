"""Output that cannot be written never stops the work (issue 17, "small but wrong").

`heraldtui refresh | head -1` and `refresh > /dev/full` used to stop the refresh at the
first line with a traceback, most feeds neither fetched nor stored. Here the real program
runs as its own process against a real HTTP server on 127.0.0.1, with its standard output
a pipe the test closes after one line, or /dev/full; the rows in the real SQLite file are
counted afterwards.

So that the failing write comes before most feeds are done (and the test fails without
the fix on any machine), every feed but the first is held by the server until the test
lets it go: after the first line was read and the pipe closed, or once the first feed's
articles are stored.
"""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from heraldtui.console import Console
from heraldtui.core.newsroom import DB_NAME
from tests.hostile.support import RawServer, Route, send, write_feeds_toml
from tests.support.watchfeeds import BUS_LANES, INSPECTION, rss

FEEDS = 10
ITEMS = 2
POLLS = 6000
"""How often (10 ms apart) the test looks for the first feed's rows: a bound, not a timing."""


class HeldFeeds:
    """`FEEDS` feeds of `ITEMS` items; all but the first wait for `release`."""

    def __init__(self, server: RawServer, folder: Path) -> None:
        self.release = threading.Event()
        feeds = []
        for n in range(FEEDS):
            path = f"/feed{n}.xml"
            body = rss(server.url(path), [INSPECTION, BUS_LANES])
            server.route(path, self._answer(body, held=n > 0))
            feeds.append((f"Outlet {n}", server.url(path)))
        self.config = write_feeds_toml(folder / "feeds.toml", feeds, full_text=False)
        self.data = folder / "data"

    def _answer(self, body: bytes, *, held: bool) -> Route:
        def route(handler: BaseHTTPRequestHandler) -> None:
            if held:
                self.release.wait(timeout=120)
            headers = {"Content-Type": "application/rss+xml"}
            send(handler, [body], headers=headers, length=len(body))

        return route

    def args(self, *command: str) -> list[str]:
        return [
            sys.executable,
            "-m",
            "heraldtui",
            *command,
            "--config",
            str(self.config),
            "--data-dir",
            str(self.data),
        ]

    def stored(self) -> int:
        if not (self.data / DB_NAME).exists():
            return 0
        with sqlite3.connect(self.data / DB_NAME) as conn:
            try:
                (count,) = conn.execute("SELECT count(*) FROM articles").fetchone()
            except sqlite3.OperationalError:  # the schema is still being made
                return 0
        return int(count)

    def read_marks(self) -> int:
        with sqlite3.connect(self.data / DB_NAME) as conn:
            (count,) = conn.execute("SELECT count(*) FROM articles WHERE read = 1").fetchone()
        return int(count)


@pytest.fixture
def held(tmp_path: Path) -> Iterator[HeldFeeds]:
    server = RawServer()
    feeds = HeldFeeds(server, tmp_path)
    try:
        yield feeds
    finally:
        feeds.release.set()
        server.close()


def assert_one_clean_line(stderr: str, *words: str) -> None:
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    for word in words:
        assert word in lines[0], stderr


def test_refresh_into_a_pipe_closed_after_one_line_stores_every_feed(held: HeldFeeds) -> None:
    process = subprocess.Popen(
        held.args("refresh"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    assert first.startswith("Outlet 0: "), first
    process.stdout.close()  # `| head -1`
    held.release.set()
    stderr = process.stderr.read()
    status = process.wait(timeout=120)

    assert held.stored() == FEEDS * ITEMS
    assert status == 0  # the contract: a feed succeeded (the lost lines are said)
    assert_one_clean_line(stderr, "standard output", "Broken pipe")


def test_refresh_onto_a_full_disk_stores_every_feed(held: HeldFeeds) -> None:
    with open("/dev/full", "w") as full:
        process = subprocess.Popen(
            held.args("refresh"), stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert process.stderr is not None
    for _ in range(POLLS):  # until the first feed is stored (or the program has ended)
        if held.stored() >= ITEMS or process.poll() is not None:
            break
        time.sleep(0.01)
    held.release.set()
    stderr = process.stderr.read()
    status = process.wait(timeout=120)

    assert held.stored() == FEEDS * ITEMS
    assert status == 0  # the contract: a feed succeeded (the lost lines are said)
    assert_one_clean_line(stderr, "standard output", "No space left on device")


@pytest.mark.parametrize("mark_read", [False, True], ids=["export", "export --mark-read"])
def test_a_digest_standard_output_refuses_is_one_line_and_marks_nothing(
    held: HeldFeeds, mark_read: bool
) -> None:
    held.release.set()
    refreshed = subprocess.run(held.args("refresh"), capture_output=True, check=False)
    assert refreshed.returncode == 0 and held.stored() == FEEDS * ITEMS

    options = ["--mark-read"] if mark_read else []
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            held.args("export", "--offline", "-o", "-", *options),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )

    assert done.returncode == 2
    assert_one_clean_line(done.stderr, "standard output", "digest was not written")
    assert held.read_marks() == 0
    if mark_read:
        assert "no article marked read" in done.stderr


def test_a_name_the_terminal_cannot_show_is_escaped_not_fatal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An ASCII-only standard output (PYTHONIOENCODING=ascii) loses no line to a letter."""
    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="ascii"))
    console = Console()
    console.out("Ynys Môn: 2 new of 2 items")
    console.out("next feed")

    assert raw.getvalue() == b"Ynys M\\xf4n: 2 new of 2 items\nnext feed\n"
    assert console.finish(0) == 0


def test_a_report_whose_lines_are_lost_exits_3(held: HeldFeeds) -> None:
    """`feeds list` onto a full disk: one line on standard error and `EXIT_OUTPUT`, so a
    script can tell the list it got is cut short (`refresh` keeps the contract's 0/1)."""
    from heraldtui.console import EXIT_OUTPUT

    held.release.set()
    with open("/dev/full", "w") as full:
        run = subprocess.run(
            held.args("feeds", "list"), stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert run.returncode == EXIT_OUTPUT
    assert_one_clean_line(run.stderr, "standard output", "No space left on device")
