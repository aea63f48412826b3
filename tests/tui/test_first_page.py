"""Start-up on a long history: the newest page first, the rest behind it.

A real Newsroom on a real SQLite file of a few thousand stored articles. The full listing
is held at a gate after it has read the store, so each test looks at the reader while
only the first page is listed, acts on it, and then lets the rest arrive: the list grows
to every story without moving the cursor, and marks written meanwhile stay.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Static

from heraldtui.core.models import MergedStory
from heraldtui.core.newsroom import Newsroom
from heraldtui.tui.app import HeraldApp
from heraldtui.tui.screens.main import FIRST_PAGE, MainScreen
from heraldtui.tui.state import is_unread
from tests.support.history import write_history
from tests.tui.fixtures import NOW, TODAY

ARTICLES = 2500


class GatedNewsroom(Newsroom):
    """The Newsroom, with its full listing held back until the test lets it through."""

    read: threading.Event
    """Set once a full listing has read the store (marks written after it are not in it)."""
    gate: threading.Event

    def stories(self, *, merge: bool = True, parallel: bool = False) -> list[MergedStory]:
        listed = super().stories(merge=merge, parallel=parallel)
        self.read.set()
        self.gate.wait(timeout=60)
        return listed


def open_room(folder: Path) -> tuple[GatedNewsroom, list[MergedStory]]:
    """The gated Newsroom on a generated history, and every story as it lists them."""
    config = write_history(folder, ARTICLES)
    with Newsroom.open(config, folder / "data") as plain:
        full = plain.stories(merge=False)
    room = GatedNewsroom.open(config, folder / "data")
    assert isinstance(room, GatedNewsroom)
    room.read, room.gate = threading.Event(), threading.Event()
    return room, full


def app_on(room: Newsroom) -> HeraldApp:
    return HeraldApp(room, refresh_on_start=False, today=TODAY, now=lambda: NOW)


async def until(pilot: Pilot[None], done: Callable[[], bool], what: str) -> None:
    """Let the app run until `done()`; bounded by a count of pauses, not by a clock."""
    for _ in range(3000):
        if done():
            return
        await pilot.pause(0.01)
    raise AssertionError(f"never happened: {what}")


def ids(stories: list[MergedStory]) -> list[str]:
    return [s.story.id for s in stories]


def status_of(main: MainScreen) -> str:
    return str(main.query_one("#status", Static).render())


async def test_the_newest_page_first_then_every_story_with_the_place_kept(
    tmp_path: Path,
) -> None:
    room, full = open_room(tmp_path)
    assert len(full) > 4 * FIRST_PAGE
    try:
        app = app_on(room)
        async with app.run_test(size=(120, 40)) as pilot:
            main = app.main_screen
            assert main is not None
            await until(pilot, lambda: main.state.loaded, "the first page")
            await pilot.pause()
            # Only the newest page is listed, in the order of the full list, and the
            # status says so instead of counting what it has not read.
            assert not main.state.complete
            assert ids(main.all_stories) == ids(full[:FIRST_PAGE])
            assert status_of(main).startswith(
                f"the newest {FIRST_PAGE} stories · loading the rest…"
            )
            await pilot.press("G")  # the last story listed so far
            assert main.story_list.current is not None
            assert main.story_list.current.story.id == full[FIRST_PAGE - 1].story.id
            await pilot.press("k", "k", "k")
            place = main.story_list.current
            assert place is not None and is_unread(place)
            scrolled = main.story_list.scroll_offset.y
            # The full listing has read the store; a mark written now is not in what it read.
            await asyncio.to_thread(room.read.wait, 60)
            await pilot.press("m")
            marked = main.state.find(place.story.id)
            assert marked is not None and not is_unread(marked)
            room.gate.set()
            await until(pilot, lambda: main.state.complete, "the rest")
            await pilot.pause()
            # Every story, the cursor on the same story at the same place, the mark kept.
            assert ids(main.all_stories) == ids(full)
            current = main.story_list.current
            assert current is not None and current.story.id == place.story.id
            assert main.story_list.cursor == FIRST_PAGE - 4
            assert main.story_list.scroll_offset.y == scrolled
            assert not is_unread(current)
            unread = len(full) - 1
            assert status_of(main).startswith(f"{len(full)} stories · {unread} unread")
            await pilot.press("G")
            assert main.story_list.current is not None
            assert main.story_list.current.story.id == full[-1].story.id
    finally:
        room.gate.set()
        room.close()
    with Newsroom.open(tmp_path / "feeds.toml", tmp_path / "data") as again:
        stored = {s.story.id: s for s in again.stories(merge=False)}
    assert not is_unread(stored[place.story.id]), "the mark was written to the store"


async def test_a_filter_typed_on_the_first_page_finds_the_rest_when_it_comes(
    tmp_path: Path,
) -> None:
    room, full = open_room(tmp_path)
    oldest = full[-1]  # far outside the first page
    word = oldest.story.articles[0].title.split()[-1]  # "(2499)": its own number
    try:
        app = app_on(room)
        async with app.run_test(size=(120, 40)) as pilot:
            main = app.main_screen
            assert main is not None
            await until(pilot, lambda: main.state.loaded, "the first page")
            await pilot.press("slash")
            main.query_one("#filter", Input).value = word
            await pilot.pause()
            assert main.shown == []
            assert main.story_list.empty_text == (
                f"None of the newest {FIRST_PAGE} stories here: loading the rest…"
            )
            assert status_of(main).startswith(f"0 of the newest {FIRST_PAGE} stories")
            room.gate.set()
            await until(pilot, lambda: main.state.complete, "the rest")
            await pilot.pause()
            assert ids(main.shown) == [oldest.story.id]
            assert status_of(main).startswith(f"1 of {len(full)} stories")
    finally:
        room.gate.set()
        room.close()


async def test_a_story_opened_on_the_first_page_stays_open_in_one_pane(tmp_path: Path) -> None:
    """At 80 columns the story fills the screen: the rest arriving changes nothing there,
    and leaving it marks it read and returns to it in the full list."""
    room, full = open_room(tmp_path)
    try:
        app = app_on(room)
        async with app.run_test(size=(80, 24)) as pilot:
            main = app.main_screen
            assert main is not None
            await until(pilot, lambda: main.state.loaded, "the first page")
            assert main.narrow
            await pilot.press("j", "j", "enter")
            opened = full[2].story.id
            await until(
                pilot,
                lambda: (
                    main.story_view.story is not None and main.story_view.story.story.id == opened
                ),
                "the story shown",
            )
            assert main.state.reading == opened and main.has_class("-reading")
            room.gate.set()
            await until(pilot, lambda: main.state.complete, "the rest")
            await pilot.pause()
            assert main.state.reading == opened and main.has_class("-reading")
            assert main.story_view.story is not None
            assert main.story_view.story.story.id == opened
            await pilot.press("q")
            assert not main.has_class("-reading")
            current = main.story_list.current
            assert current is not None and current.story.id == opened
            assert not is_unread(current)
            assert len(main.all_stories) == len(full)
    finally:
        room.gate.set()
        room.close()


async def test_export_waits_for_the_whole_list(tmp_path: Path) -> None:
    """`e` on the first page would write a digest of the newest 200 stories as if they
    were the history: it says the list is still loading, and opens once it is whole."""
    from heraldtui.tui.screens.export import ExportScreen

    room, full = open_room(tmp_path)
    try:
        app = app_on(room)
        async with app.run_test(size=(120, 40)) as pilot:
            main = app.main_screen
            assert main is not None
            await until(pilot, lambda: main.state.loaded, "the first page")
            await pilot.press("e")
            await pilot.pause()
            assert not isinstance(app.screen, ExportScreen)
            assert any("still loading" in str(n.message) for n in app._notifications)
            room.gate.set()
            await until(pilot, lambda: main.state.complete, "the rest")
            await pilot.press("e")
            await until(pilot, lambda: isinstance(app.screen, ExportScreen), "the dialog")
            assert isinstance(app.screen, ExportScreen)
            assert len(app.screen.stories) == len(full)
    finally:
        room.gate.set()
        room.close()
