"""Every way feeds.toml can be wrong: one clear line, exit status 2, and the same in the TUI.

Each case runs the real command line (`main`, in process) for `feeds list` and `export`,
and checks the message: one line, naming the file (and the line when there is one), with
the words that say what to fix; the export leaves the previous output untouched. A few
cases also start the real reader in a pseudo-terminal, which must show the same message on
its error screen, not a traceback, and exit with status 2 on `q`.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from heraldtui.cli import main
from heraldtui.core.errors import ConfigError
from heraldtui.core.ingest.config import load_config
from tests.hostile.support import HERALDTUI

GOOD = '[[feeds]]\nname = "Vale Courier"\nurl = "https://courier.example/rss"\n'

Maker = Callable[[Path], Path]


def text(content: str | bytes) -> Maker:
    def make(folder: Path) -> Path:
        path = folder / "feeds.toml"
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return path

    return make


def folder_instead(folder: Path) -> Path:
    path = folder / "feeds.toml"
    path.mkdir()
    return path


def fifo_instead(folder: Path) -> Path:
    path = folder / "feeds.toml"
    os.mkfifo(path)
    return path


def missing(folder: Path) -> Path:
    return folder / "feeds.toml"


def dangling_link(folder: Path) -> Path:
    path = folder / "feeds.toml"
    path.symlink_to(folder / "gone.toml")
    return path


def huge(folder: Path) -> Path:
    path = folder / "feeds.toml"
    with path.open("wb") as handle:
        handle.write(GOOD.encode())
        handle.truncate(5 * 1024 * 1024)  # sparse: costs no disk
    return path


# case: (how to make the file, pattern the one line must match after "heraldtui: error: ")
CASES: dict[str, tuple[Maker, str]] = {
    "syntax error": (text('[[feeds]]\nname = "A\nurl = "x"\n'), r"feeds\.toml:2: invalid TOML"),
    "table header typo": (text("[[feeds]\nname = 'A'\n"), r"feeds\.toml:1: invalid TOML"),
    "key set twice": (
        text('[[feeds]]\nname = "A"\nname = "B"\nurl = "https://a.example/"\n'),
        r"feeds\.toml:3: invalid TOML: .*a key is set twice",
    ),
    "nested too deeply": (text("x = " + "[" * 3000 + "]" * 3000 + "\n"), r"nested too deeply"),
    "NUL byte": (text(b'[[feeds]]\nname = "A\x00"\n'), r"feeds\.toml:2: invalid TOML"),
    "not UTF-8": (
        text(b'[[feeds]]\nname = "Caf\xe9"\nurl = "https://a.example/"\n'),
        r"feeds\.toml:2: not UTF-8 text",
    ),
    "empty file": (text(""), r"feeds\.toml: no feeds: add a \[\[feeds\]\] table"),
    "feeds is a string": (text('feeds = "x"\n'), r"'feeds' must be \[\[feeds\]\] tables"),
    "single [feeds] table": (
        text('[feeds]\nname = "A"\nurl = "https://a.example/"\n'),
        r"'feeds' must be \[\[feeds\]\] tables",
    ),
    "url is a number": (
        text('[[feeds]]\nname = "A"\nurl = 5\n'),
        r"feeds\.toml:3: feed 'A': 'url' must be a string, not 5",
    ),
    "full_text is a string": (
        text('[[feeds]]\nname = "A"\nurl = "https://a.example/"\nfull_text = "yes"\n'),
        r"feeds\.toml:4: feed 'A': 'full_text' must be true or false, not 'yes'",
    ),
    "unknown key": (
        text('[[feeds]]\nname = "A"\nulr = "https://a.example/"\n'),
        r"feeds\.toml:3: feed 'A': unknown key 'ulr' \(did you mean 'url'\?\)",
    ),
    "unknown top-level key": (
        text('[[feed]]\nname = "A"\nurl = "https://a.example/"\n'),
        r"feeds\.toml:\?: unknown setting 'feed' \(did you mean 'feeds'\?\)",
    ),
    "missing url": (
        text('[[feeds]]\nname = "A"\n'),
        r"feeds\.toml:1: feed 'A': missing required key 'url'",
    ),
    "empty name": (
        text('[[feeds]]\nname = "  "\nurl = "https://a.example/"\n'),
        r"feeds\.toml:2: feed #1: 'name' is empty",
    ),
    "escape sequence in name": (
        text(
            '[[feeds]]\nname = "\\u001b[2J\\u001b]52;c;eA==\\u0007A"\nurl = "https://a.example/"\n'
        ),
        r"feeds\.toml:2: feed #1: 'name' contains U\+001B \(a control character\)",
    ),
    # issue 17: bidi controls and invisible fillers in a name are named, never echoed.
    "bidi override in name": (
        text('[[feeds]]\nname = "Vale \\u202eCourier"\nurl = "https://a.example/"\n'),
        r"feeds\.toml:2: feed #1: 'name' contains U\+202E \(a bidi control",
    ),
    "right-to-left mark in name": (
        text('[[feeds]]\nname = "Vale Courier\\u200f"\nurl = "https://a.example/"\n'),
        r"feeds\.toml:2: feed #1: 'name' contains U\+200F \(a bidi control",
    ),
    "Hangul filler as the name": (
        text('[[feeds]]\nname = "\\u3164"\nurl = "https://a.example/"\n'),
        r"feeds\.toml:2: feed #1: 'name' contains U\+3164 \(an invisible filler\)",
    ),
    "braille blank in name": (
        text('[[feeds]]\nname = "Vale\\u2800Courier"\nurl = "https://a.example/"\n'),
        r"feeds\.toml:2: feed #1: 'name' contains U\+2800 \(an invisible filler\)",
    ),
    "grapheme joiner in name": (
        text('[[feeds]]\nname = "Vale\\u034f Courier"\nurl = "https://a.example/"\n'),
        r"feeds\.toml:2: feed #1: 'name' contains U\+034F \(an invisible filler\)",
    ),
    # issue 17: urllib.parse raises ValueError on these; one line, not a traceback.
    "unclosed IPv6 bracket": (
        text('[[feeds]]\nname = "A"\nurl = "http://[::1/a"\n'),
        r"feeds\.toml:3: feed 'A': url 'http://\[::1/a' has a malformed host",
    ),
    "not an IPv6 address in brackets": (
        text('[[feeds]]\nname = "A"\nurl = "http://[zz]/"\n'),
        r"feeds\.toml:3: feed 'A': url 'http://\[zz\]/' has a malformed host",
    ),
    "IPv6 host, port past 65535": (
        text('[[feeds]]\nname = "A"\nurl = "https://[::1]:99999/"\n'),
        r"feeds\.toml:3: feed 'A': url 'https://\[::1\]:99999/' has an invalid port",
    ),
    "port past 65535": (
        text('[[feeds]]\n\nname = "A"\nurl = "https://a.example:70000/rss"\n'),
        r"feeds\.toml:4: feed 'A': url 'https://a\.example:70000/rss' has an invalid port",
    ),
    "names that differ only in case": (
        text(
            GOOD + "\n" + GOOD.replace("Vale Courier", "VALE courier").replace("courier.ex", "b.ex")
        ),
        r"feeds\.toml:6: duplicate feed name 'VALE courier': feed 'Vale Courier' \(line 2\) "
        r"differs only in case",
    ),
    "not a URL": (
        text('[[feeds]]\nname = "A"\nurl = "htp:/a.example"\n'),
        r"feeds\.toml:3: feed 'A': url 'htp:/a\.example' is not an http\(s\) URL",
    ),
    "unsupported scheme": (
        text('[[feeds]]\nname = "A"\nurl = "javascript:alert(1)"\n'),
        r"feeds\.toml:3: feed 'A': url 'javascript:alert\(1\)' is not an http\(s\) URL",
    ),
    "duplicate name": (
        text(GOOD + GOOD.replace("courier.example", "other.example")),
        r"feeds\.toml:5: duplicate feed name 'Vale Courier'",
    ),
    "duplicate url": (
        text(GOOD + GOOD.replace("Vale Courier", "Other")),
        r"feeds\.toml:6: feed 'Other': same url as feed 'Vale Courier'",
    ),
    "a folder": (folder_instead, r"feeds\.toml: is a folder, not a feeds file"),
    "a FIFO (would block for ever)": (fifo_instead, r"feeds\.toml: not a regular file"),
    "missing": (missing, r"feeds\.toml: no such file"),
    "dangling symlink": (dangling_link, r"feeds\.toml: no such file"),
    "5 MB file": (huge, r"feeds\.toml: too large for a feeds file"),
}


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("heraldtui: error: ")
    return lines[0].removeprefix("heraldtui: error: ")


def main_returns(args: list[str], path: Path) -> int:
    """`main(args)`, run in a thread and waited for generously: a command that blocks on
    the feeds file (a FIFO opened for reading waits for a writer for ever) fails the
    test instead of hanging the suite. A wait for an event, not a time bound."""
    outcome: list[int | BaseException] = []

    def run() -> None:
        try:
            outcome.append(main(args))
        except BaseException as err:  # re-raised below, in the test's own thread
            outcome.append(err)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout=60)
    blocked = worker.is_alive()
    if blocked and path.is_fifo():
        # Give the blocked open its writer, who leaves at once, so the thread can end.
        with contextlib.suppress(OSError):
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
    assert not blocked, f"main({args[:2]}) still running after 60 s: blocked on {path.name}?"
    if isinstance(outcome[0], BaseException):
        raise outcome[0]
    return outcome[0]


@pytest.mark.parametrize("case", list(CASES))
def test_bad_feeds_file_is_one_line_and_status_2(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make, pattern = CASES[case]
    path = make(tmp_path)
    assert main_returns(["feeds", "list", "--config", str(path)], path) == 2
    message = one_line(capsys.readouterr().err)
    assert message.startswith(str(path)), message
    assert re.search(pattern, message), message
    assert "\x1b" not in message and "Traceback" not in message

    out = tmp_path / "digest.md"
    out.write_text("previous digest", encoding="utf-8")
    export = ["export", "--config", str(path), "--output", str(out), "--offline"]
    assert main_returns(export, path) == 2
    assert one_line(capsys.readouterr().err) == message
    assert out.read_text(encoding="utf-8") == "previous digest"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".digest")) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path: Path) -> None:
    path = text(GOOD)(tmp_path)
    path.chmod(0)
    with pytest.raises(ConfigError, match=r"feeds\.toml: cannot read it \(Permission denied\)"):
        load_config(path)


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = text(b"\xef\xbb\xbf" + GOOD.encode())(tmp_path)
    (feed,) = load_config(path).feeds
    assert feed.name == "Vale Courier"


# -- feeds add and an OPML import refuse the same, and write nothing (issue 17) -----------

BAD_URLS = {
    "http://[::1/a": "has a malformed host",
    "http://[zz]/": "has a malformed host",
    "https://[::1]:99999/": "has an invalid port",
    "https://a.example:65536/": "has an invalid port",
}


@pytest.mark.parametrize("url", list(BAD_URLS))
def test_feeds_add_refuses_a_bad_url_in_one_line(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = text(GOOD)(tmp_path)
    assert main(["feeds", "add", "--config", str(path), "Harbour Watch", url]) == 2
    message = one_line(capsys.readouterr().err)
    assert message.startswith(f"{path}: feed 'Harbour Watch': url {url!r} {BAD_URLS[url]}")
    assert path.read_text(encoding="utf-8") == GOOD


def opml(*outlines: tuple[str, str]) -> bytes:
    body = "".join(f'<outline type="rss" text="{n}" xmlUrl="{u}"/>' for n, u in outlines)
    return f'<?xml version="1.0"?><opml version="2.0"><body>{body}</body></opml>'.encode()


@pytest.mark.parametrize("url", list(BAD_URLS))
def test_opml_import_refuses_the_whole_list_naming_the_bad_entry(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = text(GOOD)(tmp_path)
    listing = tmp_path / "subs.opml"
    listing.write_bytes(opml(("Quay Times", "https://quay.example/rss"), ("Harbour Watch", url)))
    assert main(["feeds", "import", "--config", str(path), str(listing)]) == 2
    message = one_line(capsys.readouterr().err)
    assert message.startswith(f"{path}: feed 'Harbour Watch': url {url!r} {BAD_URLS[url]}")
    assert path.read_text(encoding="utf-8") == GOOD  # all or nothing: Quay Times neither


def test_names_differing_only_in_case_are_one_name_everywhere(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = text(GOOD)(tmp_path)
    assert main(["feeds", "add", "--config", str(path), "VALE COURIER", "https://b.example/"]) == 2
    assert (
        one_line(capsys.readouterr().err) == f"{path}: a feed named 'VALE COURIER' already exists"
    )
    listing = tmp_path / "subs.opml"
    listing.write_bytes(
        opml(("vale courier", "https://c.example/"), ("Quay", "https://q.example/"))
    )
    assert main(["feeds", "import", "--config", str(path), str(listing)]) == 0
    assert capsys.readouterr().out.startswith(f"imported 1 feeds into {path} (1 already there)")
    assert [feed.name for feed in load_config(path).feeds] == ["Vale Courier", "Quay"]


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Vale \u202eCourier", "U+202E (a bidi control"),
        ("\u2067Vale Courier", "U+2067 (a bidi control"),
        ("Vale\u3164Courier", "U+3164 (an invisible filler)"),
        ("Vale Courier\x1b[2J", "U+001B (a control character)"),
    ],
)
def test_feeds_add_refuses_a_name_that_would_reorder_or_hide_text(
    name: str, shown: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = text(GOOD)(tmp_path)
    assert main(["feeds", "add", "--config", str(path), name, "https://b.example/"]) == 2
    message = one_line(capsys.readouterr().err)
    assert message.startswith(f"{path}: the feed's name contains {shown}"), message
    assert message.isprintable() and message.isascii()  # the character named, not echoed
    assert path.read_text(encoding="utf-8") == GOOD


def test_opml_names_lose_what_a_feeds_file_name_may_not_hold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An OPML list comes from elsewhere: its names are cleaned, not refused."""
    path = text(GOOD)(tmp_path)
    listing = tmp_path / "subs.opml"
    listing.write_bytes(opml(("Quay\u202e \u200fTimes\u3164\u2800", "https://q.example/")))
    assert main(["feeds", "import", "--config", str(path), str(listing)]) == 0
    assert [feed.name for feed in load_config(path).feeds][-1] == "Quay Times"


# -- the reader shows the same line -----------------------------------------------------


def run_reader_in_a_terminal(path: Path, data: Path) -> tuple[int, str]:
    """Start `heraldtui --config path` on a 160x40 pseudo-terminal, wait for its first
    screen, press q; return the exit status and everything it drew (escapes removed)."""
    main_fd, child_fd = pty.openpty()
    fcntl.ioctl(child_fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "160", "LINES": "40"}
    proc = subprocess.Popen(
        [str(HERALDTUI), "--config", str(path), "--data-dir", str(data)],
        stdin=child_fd,
        stdout=child_fd,
        stderr=child_fd,
        env=env,
        start_new_session=True,
    )
    os.close(child_fd)
    screen = b""
    pressed = False
    deadline = time.monotonic() + 30
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([main_fd], [], [], 0.1)
            if ready:
                try:
                    screen += os.read(main_fd, 65536)
                except OSError:
                    break
            if not pressed and b"cannot start" in screen:
                time.sleep(0.3)
                os.write(main_fd, b"q")
                pressed = True
        status = proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        os.close(main_fd)
    drawn = re.sub(
        rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]P_^][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b.", b"", screen
    )
    return status, drawn.decode("utf-8", "replace")


@pytest.mark.slow
@pytest.mark.parametrize(
    "case",
    ["unknown key", "key set twice", "a FIFO (would block for ever)", "unclosed IPv6 bracket"],
)
def test_reader_shows_the_same_message_instead_of_a_traceback(case: str, tmp_path: Path) -> None:
    make, _ = CASES[case]
    path = make(tmp_path)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    status, drawn = run_reader_in_a_terminal(path, tmp_path / "data")
    assert "Traceback" not in drawn
    assert "heraldtui cannot start" in drawn
    flat = re.sub(r"\s+", "", drawn)
    assert re.sub(r"\s+", "", str(caught.value)) in flat, drawn[-2000:]
    assert status == 2
