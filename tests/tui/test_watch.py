"""The reader marks the stories `[[watch]]` rules match, and `w` shows only them."""

from __future__ import annotations

import asyncio
from pathlib import Path

from heraldtui.core.models import WatchRule
from heraldtui.core.newsroom import Newsroom
from heraldtui.tui.app import HeraldApp
from heraldtui.tui.present import WATCH_MARK
from heraldtui.tui.screens.main import MainScreen
from heraldtui.tui.state import MainState
from tests.support.watchfeeds import BUS_LANES, INSPECTION, MEETING, OLD_APPEAL, rss
from tests.tui.conftest import AppFactory, Messages, loaded, screen_text, wait_workers
from tests.tui.fixtures import NOW, TODAY, MemoryNewsroom, merged_stories

MEETINGS = WatchRule(name="meetings", kinds=("meeting",), line=3)


async def watched(app: HeraldApp, main: MainScreen) -> None:
    """Wait for the watch check (a thread worker after the list); bounded by a count."""
    for _ in range(500):
        await wait_workers(app)
        if main.state.watched:
            return
        await asyncio.sleep(0.02)
    raise AssertionError("the watch rules were never checked")


async def test_w_shows_only_the_watched_stories_and_marks_them(
    make_app: AppFactory, newsroom: MemoryNewsroom
) -> None:
    newsroom.watching = {"story-meeting": MEETINGS}
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        main = await loaded(pilot, app)
        await watched(app, main)
        await pilot.pause()
        assert main.state.watched == {"story-meeting": "meetings"}
        assert main.story_list.watched == {"story-meeting"}
        assert screen_text(app).count(WATCH_MARK) == 1
        await pilot.press("w")
        assert main.state.watched_only
        assert [s.story.id for s in main.shown] == ["story-meeting"]
        assert "watched only" in main.state.status(len(main.shown), NOW)
        await pilot.press("w")
        assert not main.state.watched_only
        assert len(main.shown) == len(main.all_stories)


async def test_w_without_rules_says_how_to_add_them(make_app: AppFactory) -> None:
    messages = Messages()
    app = make_app()
    async with app.run_test(size=(120, 40), message_hook=messages) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("w")
        await pilot.pause()
        assert not main.state.watched_only
        assert [n.title for n in messages.notes()] == ["No watch rules"]
        assert WATCH_MARK not in screen_text(app)


async def test_a_failing_watch_check_leaves_the_list_working(
    make_app: AppFactory, newsroom: MemoryNewsroom
) -> None:
    newsroom.watching = {"story-meeting": MEETINGS}
    newsroom.broken.add("watched")
    messages = Messages()
    app = make_app()
    async with app.run_test(size=(120, 40), message_hook=messages) as pilot:
        main = await loaded(pilot, app)
        for _ in range(100):
            await wait_workers(app)
            if messages.notes():
                break
            await asyncio.sleep(0.02)
        assert [n.title for n in messages.notes()] == ["Cannot check the watch rules"]
        assert main.state.watched == {} and len(main.shown) == len(main.all_stories)


async def test_the_reader_marks_what_the_feeds_file_rules_match(tmp_path: Path) -> None:
    """A real Newsroom: rules read from feeds.toml, stories from a real SQLite file."""
    feed = tmp_path / "feed.xml"
    feed.write_bytes(rss("https://outlet.example", [INSPECTION, BUS_LANES, MEETING, OLD_APPEAL]))
    config = tmp_path / "feeds.toml"
    config.write_text(
        f'[[feeds]]\nname = "Outlet"\nurl = "{feed.as_uri()}"\n\n'
        '[[watch]]\nforces = ["Herts"]\n\n[[watch]]\npeople = ["jane marlow"]\n',
        encoding="utf-8",
    )
    with Newsroom.open(config, tmp_path / "data") as room:
        await room.refresh()
        app = HeraldApp(room, refresh_on_start=False, today=TODAY, now=lambda: NOW)
        async with app.run_test(size=(120, 40)) as pilot:
            main = await loaded(pilot, app)
            await watched(app, main)
            await pilot.press("w")
            titles = sorted(s.story.title for s in main.shown)
            assert titles == sorted([INSPECTION.title, MEETING.title])


def test_a_stale_watch_check_is_dropped() -> None:
    state = MainState()
    stories = merged_stories()
    generation = state.begin_load()
    assert generation is not None
    state.accept(stories, {}, generation)
    state.end_load()
    newer = state.begin_load()
    assert newer is not None
    assert not state.accept_watched({"story-other": "x"}, generation)
    assert state.accept_watched({"story-meeting": "x"}, newer)
    state.toggle_watched_only()
    assert [s.story.id for s in state.visible()] == ["story-meeting"]
    state.accept_watched({}, newer)
    assert state.visible() == [] and "w shows them all" in state.empty_text()
