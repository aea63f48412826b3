"""The real program in a real terminal: tmux runs `heraldtui` on fixture feeds.

The feeds are served from 127.0.0.1 by an `http.server` thread started here; the data
folder is a temp folder (`HERALDTUI_DATA_DIR`). The test types the keys a reader would
and reads the screen with `capture-pane -p`.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

FEEDS = Path(__file__).resolve().parent / "feeds"
TMUX = shutil.which("tmux") or ("/usr/bin/tmux" if Path("/usr/bin/tmux").exists() else None)
HERALDTUI = Path(sys.executable).parent / "heraldtui"

pytestmark = pytest.mark.e2e


@pytest.fixture
def feed_server() -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(FEEDS))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _capture(tmux: list[str]) -> str:
    return subprocess.run(
        [*tmux, "capture-pane", "-p", "-t", "herald"], check=True, capture_output=True, text=True
    ).stdout


def _wait_for(tmux: list[str], needle: str, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    screen = ""
    while time.monotonic() < deadline:
        screen = _capture(tmux)
        if needle in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} never appeared; the screen was:\n{screen}")


def test_reader_shows_merged_grades_and_meeting(tmp_path: Path, feed_server: str) -> None:
    if TMUX is None:
        pytest.skip("tmux is not installed: the end-to-end test needs a real terminal")
    if not HERALDTUI.exists():
        pytest.skip(f"{HERALDTUI} is missing: install the package (pip install -e .)")
    (tmp_path / "feeds.toml").write_text(
        f'[[feeds]]\nname = "Downland Gazette"\nurl = "{feed_server}/gazette.xml"\n\n'
        f'[[feeds]]\nname = "Vale Courier"\nurl = "{feed_server}/courier.xml"\n',
        encoding="utf-8",
    )
    socket = tmp_path / "tmux.sock"
    tmux = [TMUX, "-S", str(socket)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TMUX")}
    env |= {"HERALDTUI_DATA_DIR": str(tmp_path / "data"), "TERM": "xterm-256color"}
    subprocess.run(
        [
            *tmux,
            "new-session",
            "-d",
            "-s",
            "herald",
            "-x",
            "120",
            "-y",
            "40",
            "-c",
            str(tmp_path),
            str(HERALDTUI),
        ],
        check=True,
        env=env,
    )
    try:
        _wait_for(tmux, "stories")
        _wait_for(tmux, "Wiltshire")  # the background refresh brought the stories in
        # Type as a person does: after the filter box shows, and submit once it took the text.
        subprocess.run([*tmux, "send-keys", "-t", "herald", "/"], check=True)
        _wait_for(tmux, "Filter: words")
        subprocess.run([*tmux, "send-keys", "-t", "herald", "-l", "inadequate"], check=True)
        _wait_for(tmux, "filter: inadequate")
        subprocess.run([*tmux, "send-keys", "-t", "herald", "Enter"], check=True)
        screen = _wait_for(tmux, "Grades")
        assert "Inadequate" in screen
        assert "Recording data" in screen
        screen = _wait_for(tmux, "14 November 2024")
        assert "Thursday 14 November 2024" in screen
        subprocess.run([*tmux, "send-keys", "-t", "herald", "q"], check=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            alive = subprocess.run([*tmux, "has-session", "-t", "herald"], capture_output=True)
            if alive.returncode != 0:
                break
            time.sleep(0.2)
        else:
            raise AssertionError("q did not quit heraldtui")
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
