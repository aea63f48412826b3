"""What an atomic write may replace (issue 17): `export -o` renamed its temporary file over
whatever the path named, so a symlink became a regular file and, as root, `-o /dev/null`
replaced the system's null device."""

from __future__ import annotations

import os
import socket
import stat
import threading
from pathlib import Path

import pytest

from heraldtui.cli import main
from heraldtui.core.storage.atomic import NotAFileError, write_atomic
from tests.fixtures.site.make import full_item, rss
from tests.support.httpserver import LocalServer, http_server

server = pytest.fixture(http_server)


def test_a_regular_file_is_replaced_whole(tmp_path: Path) -> None:
    target = tmp_path / "digest.md"
    target.write_text("old")
    write_atomic(target, "new")
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["digest.md"]  # no temporary left


def test_a_symlink_stays_and_its_target_is_replaced(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "feeds.toml"
    target.write_text("old")
    link = tmp_path / "feeds.toml"
    link.symlink_to(target)
    write_atomic(link, "new")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "new"


def test_a_dangling_symlink_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "out.md"
    link.symlink_to(tmp_path / "made.md")
    write_atomic(link, "text")
    assert link.is_symlink() and (tmp_path / "made.md").read_text() == "text"


def test_a_fifo_is_written_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_atomic(fifo, "through the pipe", streams=True)
    reader.join(timeout=30)
    assert received == [b"through the pipe"]
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_character_device_is_written_not_replaced(tmp_path: Path) -> None:
    node = tmp_path / "null"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # the null device's numbers
    except PermissionError:
        pytest.skip("creating a device node needs root; /dev/null itself is never risked")
    write_atomic(node, "discarded", streams=True)
    assert stat.S_ISCHR(node.stat().st_mode)


@pytest.mark.parametrize("streams", [False, True])
def test_a_folder_or_a_socket_is_refused(tmp_path: Path, streams: bool) -> None:
    with pytest.raises(NotAFileError, match="a folder"):
        write_atomic(tmp_path, "x", streams=streams)
    sock_path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        with pytest.raises(NotAFileError, match="not a regular file"):
            write_atomic(sock_path, "x", streams=streams)
        assert stat.S_ISSOCK(sock_path.stat().st_mode)


def test_a_device_is_refused_where_no_stream_is_expected(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(NotAFileError):
        write_atomic(fifo, "x")  # feeds.toml and the like are files, never pipes
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_export_through_a_symlink_and_into_a_socket(tmp_path: Path, server: LocalServer) -> None:
    server.route("/one", body=rss([full_item(1, server.base_url)]), content_type="text/xml")
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[feeds]]\nname = "One"\nurl = "{server.url("/one")}"\n')
    data = ["--config", str(config), "--data-dir", str(tmp_path / "d")]
    (tmp_path / "keep").mkdir()
    link = tmp_path / "digest.md"
    link.symlink_to(tmp_path / "keep" / "digest.md")
    assert main(["export", *data, "-o", str(link)]) == 0
    assert link.is_symlink()
    assert "Rural crime week 1" in (tmp_path / "keep" / "digest.md").read_text()
    sock_path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        assert main(["export", "--offline", *data, "-o", str(sock_path)]) != 0
        assert stat.S_ISSOCK(sock_path.stat().st_mode)
