"""Write a file so that readers see the old content or the new, never half of either.

The data goes to a temporary file in the same folder (so the rename stays on one file
system), is flushed to disk, and replaces the target with `os.replace`, which is atomic on
POSIX and Windows. An interrupted or failed write leaves any previous file untouched.

The rename replaces whatever is at the path, so the path is looked at first: a symlink is
followed (its target is replaced and the link stays, as a dotfiles manager expects), and
anything that is not a regular file is refused, except character devices and FIFOs when
the caller streams output (`export -o /dev/stdout`), which are written directly: renaming
over `/dev/null` as root would break the system.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from heraldtui.core.errors import HeraldError


class NotAFileError(HeraldError):
    """The path names something a write must not replace (a folder, a socket, a device)."""


def _read_umask() -> int:
    # The only way to read the umask is to set it: done once, at import, before any
    # worker thread exists, so no file of another thread is created in between.
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


def _target(path: Path, *, streams: bool) -> tuple[Path, bool]:
    """Where to write for `path` (a symlink's target), and whether to write it directly."""
    real = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        mode = real.stat().st_mode
    except FileNotFoundError:
        return real, False
    if stat.S_ISREG(mode):
        return real, False
    if streams and (stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)):
        return real, True
    kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
    raise NotAFileError(f"{path}: {kind}, not replaced")


def write_atomic(path: Path, data: bytes | str, *, streams: bool = False) -> None:
    """Write `data` to `path` atomically (see the module's docstring for what `path` may be).

    `streams`: a character device or FIFO at `path` is written directly, not replaced.
    Raises NotAFileError for anything else that is not a regular file, OSError as the
    system reports it.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path, direct = _target(path, streams=streams)
    if direct:
        with open(path, "wb") as stream:
            stream.write(payload)
        return
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        if path.exists():
            with contextlib.suppress(OSError):
                os.chmod(tmp_name, path.stat().st_mode & 0o777)
        else:
            os.chmod(tmp_name, 0o666 & ~_UMASK)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
