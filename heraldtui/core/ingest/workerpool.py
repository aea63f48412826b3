"""Worker processes for the parser that import only the parser and die with their parent.

Why not `ProcessPoolExecutor`: a spawned multiprocessing worker first runs the parent's
main module again; for the `heraldtui` command that is the CLI, which brings in the
newsroom, the store, httpx and the rest of a refresh before the worker parses anything.
And its workers wait on a queue whose write end they hold themselves, so when the parent
is killed (`kill -9`, the out-of-memory killer) they live on, with multiprocessing's
resource tracker, until someone kills them.

Here each worker is a fresh interpreter running `worker.serve()` (fork and exec, never a
bare fork, so a parent with threads running is safe), fed pickled jobs over a pipe by one
thread of the parent. It imports `worker.py` and then only what the jobs need. When the
parent ends, however it ends, the pipe closes and the worker exits; there is no queue,
semaphore or resource tracker to leave behind.

Workers start on demand, up to `workers`, when a job finds none idle. A worker that dies
breaks the pool, as in `ProcessPoolExecutor`: its job and every later one fail with
`BrokenProcessPool` (the refresh then parses in its own process).
"""

from __future__ import annotations

import contextlib
import json
import pickle
import queue
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from heraldtui.core.ingest.worker import BOOTSTRAP, read_message, write_message

__all__ = ["WorkerPool"]

_P = ParamSpec("_P")
_T = TypeVar("_T")

_EXIT_WAIT = 5.0
"""Seconds a worker gets to exit once its pipe is closed before it is killed."""


@dataclass(frozen=True, slots=True)
class _Job:
    future: Future[Any]
    function: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]


class WorkerPool(Executor):
    """An executor running each job in one of up to `workers` worker processes."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._idle = 0
        self._queued = 0
        self._closed = False
        self._broken: str | None = None

    def submit(self, fn: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> Future[_T]:
        future: Future[_T] = Future()
        with self._lock:
            if self._broken is not None:
                raise BrokenProcessPool(self._broken)
            if self._closed:
                raise RuntimeError("cannot schedule new futures after shutdown")
            self._queued += 1
            if self._queued > self._idle and len(self._threads) < self.workers:
                thread = threading.Thread(
                    target=self._feed, name="heraldtui-parse-worker", daemon=True
                )
                self._threads.append(thread)
                thread.start()
            self._jobs.put(_Job(future, fn, args, kwargs))
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            self._closed = True
            threads = list(self._threads)
            if cancel_futures:
                self._fail_queued(None)
            for _ in threads:
                self._jobs.put(None)
        if wait:
            for thread in threads:
                thread.join()

    def _fail_queued(self, reason: str | None) -> None:
        """Cancel the queued jobs (reason None) or fail them; the caller holds the lock."""
        stops = 0
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is None:
                stops += 1
                continue
            self._queued -= 1
            if reason is None:
                job.future.cancel()
            elif job.future.set_running_or_notify_cancel():
                job.future.set_exception(BrokenProcessPool(reason))
        for _ in range(stops):
            self._jobs.put(None)

    def _break(self, reason: str) -> None:
        with self._lock:
            if self._broken is None:
                self._broken = reason
            self._fail_queued(reason)

    def _feed(self) -> None:
        """One worker's life: start it, send it jobs one at a time, close its pipe."""
        try:
            process = subprocess.Popen(
                [sys.executable, "-c", BOOTSTRAP, json.dumps(sys.path)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
        except OSError as err:
            self._break(f"a parse worker could not start ({err})")
            return
        assert process.stdin is not None and process.stdout is not None
        try:
            while True:
                with self._lock:
                    self._idle += 1
                job = self._jobs.get()
                with self._lock:
                    self._idle -= 1
                    if job is not None:
                        self._queued -= 1
                if job is None:
                    return
                if not job.future.set_running_or_notify_cancel():
                    continue
                try:
                    message = pickle.dumps((job.function, job.args, job.kwargs))
                except Exception as exc:  # this job cannot travel; the worker is fine
                    job.future.set_exception(exc)
                    continue
                try:
                    write_message(process.stdin, message)
                    answer = read_message(process.stdout)
                except OSError:
                    answer = None
                if answer is None:
                    reason = "a parse worker died while it was parsing"
                    job.future.set_exception(BrokenProcessPool(reason))
                    self._break(reason)
                    return
                try:
                    ok, value = pickle.loads(answer)
                except Exception as exc:  # an answer that cannot be rebuilt here
                    job.future.set_exception(exc)
                    continue
                if ok:
                    job.future.set_result(value)
                else:
                    job.future.set_exception(value)
        finally:
            _close(process)


def _close(process: subprocess.Popen[bytes]) -> None:
    """End of file on its stdin ends the worker; one that does not is killed."""
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):  # a dead worker's pipe may fail to flush
                stream.close()
    try:
        process.wait(_EXIT_WAIT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
