"""WorkerPool: jobs run in light worker processes that end with their parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from concurrent.futures.process import BrokenProcessPool

import pytest

from heraldtui.core.errors import FeedParseError
from heraldtui.core.ingest.parse import parse_feed
from heraldtui.core.ingest.workerpool import WorkerPool
from tests.hostile.support import descendants, gone_within
from tests.ingest import probes
from tests.support.paths import REPO

RSS = b'<rss version="2.0"><channel><title>T</title><item><title>A</title></item></channel></rss>'
AT_START = {"heraldtui", "heraldtui.core", "heraldtui.core.ingest", "heraldtui.core.ingest.worker"}


def test_jobs_run_in_other_processes_and_bring_back_results_and_errors() -> None:
    with WorkerPool(2) as pool:
        pids = {pool.submit(probes.process_id).result() for _ in range(6)}
        assert os.getpid() not in pids and 1 <= len(pids) <= 2
        parsed = pool.submit(parse_feed, RSS, feed_name="F", url="https://f.example/").result()
        assert [a.title for a in parsed.articles] == ["A"]
        with pytest.raises(FeedParseError, match="empty body"):
            pool.submit(parse_feed, b"", feed_name="F", url="https://f.example/").result()
        with pytest.raises(ValueError, match="no reason"):
            pool.submit(probes.refuse, "no reason").result()
        with pytest.raises(AttributeError):  # a lambda cannot be sent: that job fails alone
            pool.submit(lambda: 1).result()
        assert pool.submit(probes.process_id).result() in pids


def test_a_worker_imports_the_parser_and_never_the_cli() -> None:
    with WorkerPool(1) as pool:
        first = set(pool.submit(probes.loaded_modules).result())
        assert {m for m in first if m.startswith("heraldtui")} == AT_START
        pool.submit(parse_feed, RSS, feed_name="F", url="https://f.example/").result()
        after = set(pool.submit(probes.loaded_modules).result())
    assert "heraldtui.core.ingest.parse" in after
    for heavy in ("heraldtui.cli", "heraldtui.core.newsroom", "heraldtui.core.storage.store"):
        assert heavy not in after, heavy
    for stage in ("heraldtui.tui", "heraldtui.core.stories", "heraldtui.core.facts"):
        assert not {m for m in after if m.startswith(stage)}, stage
    others = ("httpx", "sqlite3", "multiprocessing", "asyncio", "textual", "rich", "click")
    assert not {m for m in after if m.split(".")[0] in others}


def test_a_worker_that_dies_breaks_the_pool() -> None:
    pool = WorkerPool(1)
    try:
        with pytest.raises(BrokenProcessPool):
            pool.submit(probes.die).result()
        with pytest.raises(BrokenProcessPool):
            pool.submit(probes.process_id)
    finally:
        pool.shutdown()


def test_shutdown_can_cancel_what_is_still_queued() -> None:
    pool = WorkerPool(1)
    futures = [pool.submit(probes.process_id) for _ in range(50)]
    pool.shutdown(cancel_futures=True)
    assert all(f.cancelled() or f.result() != os.getpid() for f in futures)
    with pytest.raises(RuntimeError, match="after shutdown"):
        pool.submit(probes.process_id)


PARENT = """
import sys
from heraldtui.core.ingest.workerpool import WorkerPool
from tests.ingest import probes
pool = WorkerPool(2)
print(pool.submit(probes.process_id).result(), flush=True)
sys.stdin.read()  # until the test kills us
"""


def test_workers_end_when_their_parent_is_killed() -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=REPO,
        text=True,
    )
    try:
        assert parent.stdout is not None
        worker = int(parent.stdout.readline())  # a job ran: a worker is up
        workers = descendants(parent.pid)
        assert worker in workers
    finally:
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
    assert gone_within(workers, polls=200), "a worker outlived its killed parent"
