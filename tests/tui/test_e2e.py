"""The real program in a real terminal: tmux runs `heraldtui` on fixture feeds.

The feeds are served from 127.0.0.1 by an `http.server` thread started here, or read from
the bundled demo files; the data and config folders are temp folders. The tests type the
keys a reader would and read the screen with `capture-pane -p`: waits are bounded by
tries, and nothing is asserted about how long anything took.
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


def _wait_for(tmux: list[str], needle: str, tries: int = 100) -> str:
    screen = ""
    for _ in range(tries):
        screen = _capture(tmux)
        if needle in screen:
            return screen
        time.sleep(0.2)
    raise AssertionError(f"{needle!r} never appeared; the screen was:\n{screen}")


def _keys(tmux: list[str], *keys: str, literal: bool = False) -> None:
    flag = ["-l"] if literal else []
    subprocess.run([*tmux, "send-keys", "-t", "herald", *flag, *keys], check=True)


def _start(tmp_path: Path, size: tuple[int, int]) -> list[str]:
    """heraldtui in a detached tmux session of `size`, in `tmp_path` (its feeds.toml)."""
    if TMUX is None:
        pytest.skip("tmux is not installed: the end-to-end test needs a real terminal")
    if not HERALDTUI.exists():
        pytest.skip(f"{HERALDTUI} is missing: install the package (pip install -e .)")
    tmux = [TMUX, "-S", str(tmp_path / "tmux.sock")]
    env = {k: v for k, v in os.environ.items() if not k.startswith("TMUX")}
    env |= {
        "HERALDTUI_DATA_DIR": str(tmp_path / "data"),
        "HERALDTUI_CONFIG_DIR": str(tmp_path / "config"),
        "TERM": "xterm-256color",
    }
    width, height = (str(n) for n in size)
    where = ["-c", str(tmp_path), str(HERALDTUI)]
    subprocess.run(
        [*tmux, "new-session", "-d", "-s", "herald", "-x", width, "-y", height, *where],
        check=True,
        env=env,
    )
    return tmux


def _quit(tmux: list[str]) -> None:
    """`q` until heraldtui is gone (each goes back one level; on the list it quits)."""
    for _ in range(50):
        alive = subprocess.run([*tmux, "has-session", "-t", "herald"], capture_output=True)
        if alive.returncode != 0:
            return
        _keys(tmux, "q")
        time.sleep(0.2)
    raise AssertionError("q did not quit heraldtui")


def test_reader_shows_merged_grades_and_meeting(tmp_path: Path, feed_server: str) -> None:
    (tmp_path / "feeds.toml").write_text(
        f'[[feeds]]\nname = "Downland Gazette"\nurl = "{feed_server}/gazette.xml"\n\n'
        f'[[feeds]]\nname = "Vale Courier"\nurl = "{feed_server}/courier.xml"\n',
        encoding="utf-8",
    )
    tmux = _start(tmp_path, (120, 40))
    try:
        _wait_for(tmux, "stories")
        _wait_for(tmux, "Wiltshire")  # the background refresh brought the stories in
        # Type as a person does: after the filter box shows, and submit once it took the text.
        _keys(tmux, "/")
        _wait_for(tmux, "Filter: person")
        _keys(tmux, "inadequate", literal=True)
        _wait_for(tmux, "filter: inadequate")
        _keys(tmux, "Enter")
        screen = _wait_for(tmux, "Grades")
        assert "✖ Inadequate" in screen
        assert "Recording data" in screen
        screen = _wait_for(tmux, "14 November 2024")
        assert "Thursday 14 November 2024" in screen
        _quit(tmux)
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


DEMO_GRADES = {
    "Recording data about crime": "✖ Inadequate",
    "Police powers and public treatment": "◆ Adequate",
    "Preventing crime": "▲ Good",
    "Responding to the public": "▼ Requires improvement",
    "Investigating crime": "▼ Requires improvement",
    "Protecting vulnerable people": "▼ Requires improvement",
    "Managing offenders and suspects": "◆ Adequate",
    "Developing a positive workplace": "◆ Adequate",
    "Leadership and force management": "▼ Requires improvement",
}
"""The bundled Hertfordshire inspection's nine areas, as a reader sees them."""


def test_the_hertfordshire_demo_story_reads_at_80x24_paging_with_space(tmp_path: Path) -> None:
    """A new user at 80x24: open the inspection, page through it with space alone, and
    every one of the nine grades is read, each on one line with its full grade word."""
    from heraldtui.core.ingest.config import bundled_config_path, load_config

    demo = [f for f in load_config(bundled_config_path()).feeds if f.url.startswith("file:")]
    (tmp_path / "feeds.toml").write_text(
        "".join(f'[[feeds]]\nname = "{f.name}"\nurl = "{f.url}"\n\n' for f in demo),
        encoding="utf-8",
    )
    tmux = _start(tmp_path, (80, 24))
    try:
        _wait_for(tmux, "watchdog inspection")
        _keys(tmux, "/")
        _wait_for(tmux, "Filter: person")
        _keys(tmux, "watchdog", literal=True)
        _wait_for(tmux, "filter: watchdog")
        _keys(tmux, "Enter")  # leave the filter box for the list
        _wait_for(tmux, "1 of 6 stories")
        first = ""
        for _ in range(10):  # open the story: one pane, the keys in it. On a loaded machine
            _keys(tmux, "Enter")  # a key sent as focus moves to the list can be dropped:
            try:  # send it again until the story shows (a count, not a clock)
                first = _wait_for(tmux, "Grades", tries=25)
                break
            except AssertionError:
                continue
        assert "Grades" in first, "the story never opened"
        pages = [first]
        for _ in range(30):  # space until the screen stops changing: the end of the story
            _keys(tmux, "Space")
            time.sleep(0.3)
            page = _capture(tmux)
            if page == pages[-1]:
                break
            pages.append(page)
        assert len(pages) > 2, "the story is longer than one screen"
        seen = "\n".join(pages)
        for label, grade in DEMO_GRADES.items():
            lines = [line for line in seen.splitlines() if label in line]
            assert any(grade in line for line in lines), (label, grade, lines)
        assert "Inadequ…" not in seen and "Requires\n" not in seen, "no grade word cut"
        assert "Sources" in pages[-1], "paged to the end"
        assert "Roy Wilsher, HM Inspector of Constabulary [1]" in seen
        _quit(tmux)
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
