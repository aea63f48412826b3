"""SVG snapshots of every screen at 80x24 (one pane) and 160x50 (side by side).

Deterministic: fixture stories, a fixed `today` and clock, no refresh on start, no
cursor blink, notifications cleared before the picture. Baselines live in
`__snapshots__/`; regenerate with `--snapshot-update` only after looking at the view.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Protocol

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerState

from heraldtui.tui.app import HeraldApp
from heraldtui.tui.state import with_flags
from tests.tui.conftest import AppFactory, wait_workers
from tests.tui.fixtures import COURIER, MemoryNewsroom

SIZES = [(80, 24), (160, 50)]


class SnapCompare(Protocol):
    def __call__(
        self,
        app: HeraldApp,
        press: Iterable[str] = (),
        terminal_size: tuple[int, int] = (80, 24),
        run_before: Callable[[Pilot[None]], Awaitable[None] | None] | None = None,
    ) -> bool: ...


def settle(*keys: str, refresh: bool = False) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Wait for the first load, press `keys`, wait for workers, drop notifications."""

    async def run(pilot: Pilot[None]) -> None:
        app = pilot.app
        assert isinstance(app, HeraldApp) and app.main_screen is not None
        for _ in range(100):
            if app.main_screen.state.loaded:
                break
            await asyncio.sleep(0.02)
        if refresh:
            app.main_screen.action_refresh()
            await wait_workers(app)
            await pilot.pause(0.1)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        # Until quiet: showing a story starts its merge worker after the next paint, which
        # on a busy machine can come after the first wait.
        for _ in range(100):
            await wait_workers(app)
            await pilot.pause(0.05)
            busy = [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
            if not app.main_screen.view_pending and not busy:
                break
        app.clear_notifications()
        await pilot.pause()

    return run


def sized(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


@pytest.mark.parametrize("size", SIZES, ids=sized)
def test_main_screen(
    snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]
) -> None:
    """The list after a refresh in which one feed failed: a calm status line, no toast."""
    app = make_app(newsroom=MemoryNewsroom(failing_feed=COURIER))
    assert snap_compare(app, terminal_size=size, run_before=settle(refresh=True))


@pytest.mark.parametrize("size", SIZES, ids=sized)
def test_inspection_story(
    snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]
) -> None:
    """A story with a conflict, opened with enter: the report card, quotes, meeting."""
    assert snap_compare(make_app(), terminal_size=size, run_before=settle("j", "enter"))


@pytest.mark.parametrize("size", SIZES, ids=sized)
def test_inspection_story_sources(
    snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]
) -> None:
    """The same story paged to its end, the cursor on its last source."""
    keys = ("j", "enter", "G", "shift+tab")
    assert snap_compare(make_app(), terminal_size=size, run_before=settle(*keys))


@pytest.mark.parametrize("size", SIZES, ids=sized)
def test_article_screen(
    snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]
) -> None:
    keys = ("j", "enter", "shift+tab", "enter")
    assert snap_compare(make_app(), terminal_size=size, run_before=settle(*keys))


@pytest.mark.parametrize("size", SIZES, ids=sized)
def test_feeds_screen_with_a_failed_feed(
    snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]
) -> None:
    app = make_app(newsroom=MemoryNewsroom(failing_feed=COURIER))
    assert snap_compare(app, terminal_size=size, run_before=settle("f", refresh=True))


@pytest.mark.parametrize("size", SIZES, ids=sized)
def test_empty_no_stories_yet(
    snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]
) -> None:
    app = make_app(newsroom=MemoryNewsroom(stored=[]))
    assert snap_compare(app, terminal_size=size, run_before=settle())


@pytest.mark.parametrize("size", SIZES, ids=sized)
def test_empty_no_match(
    snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]
) -> None:
    keys = ("slash", *"no such words")
    assert snap_compare(make_app(), terminal_size=size, run_before=settle(*keys))


@pytest.mark.parametrize("size", SIZES, ids=sized)
def test_empty_no_unread(
    snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]
) -> None:
    room = MemoryNewsroom()
    room.stored = [with_flags(s, [a.id for a in s.story.articles], read=True) for s in room.stored]
    assert snap_compare(make_app(newsroom=room), terminal_size=size, run_before=settle("u"))


def test_force_screen(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    """`F` on the first story: its force's inspection, grade grid, meetings and news."""
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=settle("F"))


@pytest.mark.parametrize("size", SIZES, ids=sized)
def test_help(snap_compare: SnapCompare, make_app: AppFactory, size: tuple[int, int]) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=settle("question_mark"))


def test_export_dialog(
    snap_compare: SnapCompare, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir("/")  # the dialog shows the absolute path: the same on every machine
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=settle("e"))


def test_no_browser(snap_compare: SnapCompare, make_app: AppFactory) -> None:
    app = make_app(has_browser=lambda: False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle("o"))


def test_startup_error(snap_compare: SnapCompare) -> None:
    app = HeraldApp(None, startup_error="/home/me/feeds.toml:7: feed 'Gazette' has no url")
    assert snap_compare(app, terminal_size=(80, 24))
