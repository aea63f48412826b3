"""What `refresh` and `feeds list` print never carries a server's bidi or control characters.

A redirect's `Location` is the one header whose text reaches a reason word for word (a
redirect loop names both hops), and HTTP allows any byte from 0x80 up in it: UTF-8 for a
right-to-left override, or Latin-1 for an 8-bit CSI (U+009B, which some terminals obey as
ESC [). Both feeds below answer with a loop through such a Location; the real command
line runs against them, and every line it prints shows those characters escaped.
"""

from __future__ import annotations

from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import quote

import pytest

from heraldtui.cli import main
from tests.hostile.support import RawServer, Route, raw_server

server = pytest.fixture(raw_server)

# (raw Location bytes answered, what the reason must show instead)
LOOPS = {
    "Override Herald": ("/o\u202e".encode(), "\\u202e"),
    "Isolate Times": ("/i\u2066\u200f".encode(), "\\u2066\\u200f"),
    "Latin Post": (b"/c\x9b2J\x85x", "\\x9b2J\\x85x"),
}
RAW = ("\u202e", "\u2066", "\u200f", "\x9b", "\x85", "\x1b")


def redirect_to(location: bytes) -> Route:
    def answer(handler: BaseHTTPRequestHandler) -> None:
        handler.wfile.write(
            b"HTTP/1.1 301 Moved Permanently\r\nLocation: " + location + b"\r\n"
            b"Content-Length: 0\r\nConnection: close\r\n\r\n"
        )
        handler.close_connection = True

    return answer


@pytest.fixture
def looping(server: RawServer, tmp_path: Path) -> Iterator[Path]:
    lines = []
    for name, (location, _) in LOOPS.items():
        start = f"/{name.split()[0].lower()}"
        server.route(start, redirect_to(location))
        # httpx decodes the header as UTF-8, else Latin-1, and asks for it percent-encoded
        # as UTF-8; that path answers the same raw bytes again: a loop.
        try:
            decoded = location.decode("utf-8")
        except UnicodeDecodeError:
            decoded = location.decode("latin-1")
        server.route(quote(decoded, safe="/"), redirect_to(location))
        lines += ["[[feeds]]", f'name = "{name}"', f'url = "{server.url(start)}"', ""]
    config = tmp_path / "feeds.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    yield config


def test_refresh_and_feeds_list_escape_what_a_server_wrote(
    looping: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert main(["refresh", "--config", str(looping), "--data-dir", str(data)]) == 1
    refreshed = capsys.readouterr()
    assert main(["feeds", "list", "--config", str(looping), "--data-dir", str(data)]) == 0
    listed = capsys.readouterr()
    for printed in (refreshed.out + refreshed.err, listed.out + listed.err):
        assert not any(ch in printed for ch in RAW), ascii(printed)
        for name, (_, shown) in LOOPS.items():
            line = next(line for line in printed.splitlines() if line.startswith(name))
            assert "redirect loop" in line and shown in line, (ascii(line), looping)
    assert len(listed.out.splitlines()) == len(LOOPS)
    assert all(line.count("\t") == 3 for line in listed.out.splitlines())
