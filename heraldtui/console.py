"""Standard output and standard error for the command line, which never stop the work.

`heraldtui refresh | head -1` closes the pipe after one line and `> /dev/full` fails every
write: a print that raised there stopped the refresh half way, with the feeds after it
neither fetched nor stored. Every line a command prints goes through a `Console` instead: a
stream that fails (EPIPE, ENOSPC, EIO) is given up on, the work goes on, and `finish` says
once, on standard error if that still works, that the output was cut short, and turns a
success into `EXIT_OUTPUT`.

A stream given up on has /dev/null put under its file descriptor, so whatever is still in
Python's buffer is flushed there at exit instead of printing "Exception ignored ...
BrokenPipeError" (the pattern the `signal` module's documentation gives for SIGPIPE, which
Python ignores and heraldtui leaves ignored: a closed pipe is an error to handle, never a
signal that kills the process in the middle of a store).
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Literal, TextIO

EXIT_OUTPUT = 3
"""The work was done (a refresh stored every feed it fetched) but what the command prints
could not all be written: a closed pipe, a full disk."""

_NAMES = {"stdout": "standard output", "stderr": "standard error"}


class Stream:
    """One of the standard streams, looked up when written (tests swap `sys.stdout`)."""

    def __init__(self, name: Literal["stdout", "stderr"]) -> None:
        self.name = name
        self.error: OSError | None = None
        """The first error writing to it; nothing more is written once it is set."""

    @property
    def file(self) -> TextIO:
        stream: TextIO = getattr(sys, self.name)
        return stream

    def isatty(self) -> bool:
        if self.error is not None:
            return False
        try:
            return self.file.isatty()
        except (OSError, ValueError):
            return False

    def write(self, text: str) -> None:
        """Write and flush `text` (a flush per line: a failure shows at the line that
        caused it, and a reader of the pipe sees each feed as it finishes); never raises."""
        if self.error is not None:
            return
        try:
            try:
                self.file.write(text)
            except UnicodeEncodeError:  # a terminal that cannot show a name's letters
                encoding = self.file.encoding or "ascii"
                self.file.write(text.encode(encoding, "backslashreplace").decode(encoding))
            self.file.flush()
        except OSError as exc:
            self.give_up(exc)

    def write_bytes(self, data: bytes) -> None:
        """Write `data` whole, or raise the `OSError` (a digest's write must fail loudly,
        so that `--mark-read` marks nothing); the stream is given up on either way."""
        if self.error is not None:
            raise self.error
        try:
            self.file.flush()
            self.file.buffer.write(data)
            self.file.flush()
        except OSError as exc:
            self.give_up(exc)
            raise

    def flush(self) -> None:
        if self.error is None:
            try:
                self.file.flush()
            except OSError as exc:
                self.give_up(exc)
            except ValueError:  # closed by the caller: nothing left to flush
                pass

    def give_up(self, exc: OSError) -> None:
        """Write no more to this stream, and let what Python still buffers for it drain
        into /dev/null at exit instead of raising there."""
        self.error = exc
        with contextlib.suppress(OSError, ValueError, AttributeError):
            fd = self.file.fileno()
            null = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(null, fd)
            finally:
                os.close(null)

    def describe(self) -> str:
        assert self.error is not None
        reason = self.error.strerror or type(self.error).__name__
        return f"cannot write to {_NAMES[self.name]} ({reason})"


class Console:
    """Standard output and error of one command: `out` and `err` print a line each."""

    def __init__(self) -> None:
        self.stdout = Stream("stdout")
        self.stderr = Stream("stderr")
        self.reported = False
        self.keep_status = False
        """Set by a command whose statuses the contract fixes (`refresh`: 0 when a feed
        succeeded, 1 when every feed failed): lost output is said, the status kept."""
        """Whether a failed write was already told (the digest's own error line)."""

    def out(self, line: str) -> None:
        self.stdout.write(line + "\n")

    def err(self, line: str) -> None:
        self.stderr.write(line + "\n")

    def failed(self) -> Stream | None:
        """The first stream that could not be written, if any."""
        for stream in (self.stdout, self.stderr):
            if stream.error is not None:
                return stream
        return None

    def finish(self, status: int) -> int:
        """Flush both streams, say once if output was lost, and the exit status to use:
        `status`, or `EXIT_OUTPUT` for a success whose output was cut short (unless
        `keep_status`)."""
        self.stdout.flush()
        self.stderr.flush()
        stream = self.failed()
        if stream is None or self.reported:
            return status
        self.reported = True
        self.err(f"heraldtui: error: {stream.describe()}: output incomplete, the work was done")
        return EXIT_OUTPUT if status == 0 and not self.keep_status else status
