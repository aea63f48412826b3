"""A parse worker process: jobs in on stdin, results out on stdout, gone with its parent.

`workerpool.WorkerPool` starts this as `python -c BOOTSTRAP PATH`, PATH being the parent's
`sys.path` in JSON, so the worker imports what the parent would. Each message on stdin is
a pickled `(function, args, kwargs)` and each answer on stdout a pickled `(True, result)`
or `(False, exception)`, both framed by an 8-byte length. At start the worker imports only
this module; a job's function brings in its own module when it is unpickled (for a
refresh: `parse`, feedparser and the text cleaners), never the CLI, the store or the HTTP
client.

It ends at end of file on stdin: when the pool shuts down, and when the parent dies
however it dies (`kill -9` included), because the kernel closes the parent's end of the
pipe then. A job running at that moment is cut short too: a thread watches the parent's
process id and ends the worker when the parent is gone. Ctrl-C is ignored here: the
terminal sends it to the parent too, which shuts the pool down.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import sys
import threading
import time
from typing import IO

__all__ = ["BOOTSTRAP", "read_message", "serve", "write_message"]

BOOTSTRAP = (
    "import json, sys; sys.path[:] = json.loads(sys.argv[1]); "
    "from heraldtui.core.ingest.worker import serve; serve()"
)
"""The worker's `-c` program; its one argument is the parent's `sys.path` in JSON."""

_LENGTH = struct.Struct("<Q")
_PARENT_CHECK = 0.25
"""Seconds between two looks at the parent's process id."""


def write_message(stream: IO[bytes], payload: bytes) -> None:
    stream.write(_LENGTH.pack(len(payload)) + payload)
    stream.flush()


def read_message(stream: IO[bytes]) -> bytes | None:
    """The next message, or None at end of file (the other side is gone)."""
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(head)
    payload = stream.read(size)
    return payload if len(payload) == size else None


def _answer(ok: bool, value: object) -> bytes:
    try:
        return pickle.dumps((ok, value))
    except Exception as exc:  # an unpicklable result or exception: say what it was
        return pickle.dumps((False, RuntimeError(f"{type(value).__name__}: {value} ({exc})")))


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(_PARENT_CHECK)
        if os.getppid() != parent:
            os._exit(1)


def serve() -> None:
    """Run jobs from stdin until it ends; the body of the worker process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    jobs = sys.stdin.buffer
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print must not corrupt answers
    while (job := read_message(jobs)) is not None:
        try:
            function, args, kwargs = pickle.loads(job)
            answer = _answer(True, function(*args, **kwargs))
        except Exception as exc:
            answer = _answer(False, exc)
        try:
            write_message(answers, answer)
        except BrokenPipeError:
            return  # the parent is gone
