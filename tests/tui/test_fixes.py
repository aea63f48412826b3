"""Fixing the grouping from the keyboard (`x`, `M`, `U`, `X`), on a real Newsroom and a
real SQLite file holding the grouping fixture set: each key is pressed where it belongs,
and the test asserts what the store keeps, what the list shows and what the reader is told.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import OptionList

from heraldtui.core.models import MergedStory
from heraldtui.core.newsroom import Newsroom
from heraldtui.tui.app import HeraldApp
from heraldtui.tui.screens.fix import FixArticleScreen, FixesScreen, PickStoryScreen
from heraldtui.tui.screens.main import MainScreen
from heraldtui.tui.widgets.story_view import SourceItem
from tests.stories.grouping_set import ARTICLES
from tests.test_newsroom_corrections import write_folder
from tests.tui.conftest import Messages, loaded, wait_workers
from tests.tui.fixtures import NOW, TODAY


def open_room(tmp_path: Path) -> Newsroom:
    config = write_folder(tmp_path, ARTICLES)
    return Newsroom.open(config, tmp_path / "data")


def app_on(room: Newsroom) -> HeraldApp:
    return HeraldApp(room, refresh_on_start=False, today=TODAY, now=lambda: NOW)


async def settle(pilot: Pilot[None], app: HeraldApp) -> None:
    """Let a fix's worker, the listing it asks for and its messages run out."""
    for _ in range(5):
        await wait_workers(app)
        await pilot.pause()


def biggest(main: MainScreen) -> list[MergedStory]:
    return sorted(main.all_stories, key=lambda s: (-len(s.story.articles), s.story.id))


def story_holding(main: MainScreen, article_id: str) -> MergedStory:
    return next(s for s in main.all_stories if any(a.id == article_id for a in s.story.articles))


def current_id(main: MainScreen) -> str | None:
    current = main.story_list.current
    return current.story.id if current is not None else None


def notes(messages: Messages) -> list[str]:
    return [f"{n.title}: {n.message}" for n in messages.notes()]


async def pick(pilot: Pilot[None], app: HeraldApp, story: MergedStory) -> None:
    """On the story picker: type the story's headline, move to it, `enter`."""
    screen = app.screen
    assert isinstance(screen, PickStoryScreen)
    await pilot.press(*story.story.title.lower())
    for _ in range(len(screen.shown)):
        if screen.picked == story.story.id:
            break
        await pilot.press("down")
    assert screen.picked == story.story.id
    await pilot.press("enter")


async def test_x_splits_the_article_out_and_u_undoes_it(tmp_path: Path) -> None:
    room = open_room(tmp_path)
    messages = Messages()
    app = app_on(room)
    async with app.run_test(size=(120, 40), message_hook=messages) as pilot:
        main = await loaded(pilot, app)
        before = {s.story.id for s in main.all_stories}
        story = biggest(main)[0]
        main.story_list.move_to(story.story.id)
        await pilot.press("x")
        assert isinstance(app.screen, FixArticleScreen)
        await pilot.press("down", "x")  # the second article
        await settle(pilot, app)
        split = story.story.articles[1]
        [fix] = room.corrections()
        assert (fix.action, fix.article) == ("split", split.id)
        alone = story_holding(main, split.id)
        assert [a.id for a in alone.story.articles] == [split.id] and alone.story.corrected
        assert current_id(main) == alone.story.id  # the cursor followed the article
        assert any("a story of its own now" in n for n in notes(messages))
        await pilot.press("U")
        await settle(pilot, app)
        assert room.corrections() == []
        assert {s.story.id for s in main.all_stories} == before
        assert any(n.startswith("Grouping fixed: Undone: split out") for n in notes(messages))
        await pilot.press("U")
        await settle(pilot, app)
        assert notes(messages)[-1] == "Not fixed: No fix to the grouping to undo"
    room.close()


async def test_M_merges_the_story_into_one_picked_from_the_list(tmp_path: Path) -> None:
    room = open_room(tmp_path)
    messages = Messages()
    app = app_on(room)
    async with app.run_test(size=(120, 40), message_hook=messages) as pilot:
        main = await loaded(pilot, app)
        story, target = biggest(main)[:2]
        main.story_list.move_to(story.story.id)
        await pilot.press("M")
        assert isinstance(app.screen, PickStoryScreen)
        assert story.story.id not in {s.story.id for s in app.screen.stories}
        await pick(pilot, app, target)
        await settle(pilot, app)
        [fix] = room.corrections()
        assert fix.action == "merge"
        merged = story_holding(main, story.story.articles[0].id)
        assert {a.id for a in merged.story.articles} == {
            a.id for s in (story, target) for a in s.story.articles
        }
        assert merged.story.corrected and current_id(main) == merged.story.id
        assert any("merged into" in n for n in notes(messages))
    room.close()


async def test_x_then_m_moves_the_source_under_the_cursor(tmp_path: Path) -> None:
    """In an open story, `x` acts on the source under the story's cursor."""
    room = open_room(tmp_path)
    app = app_on(room)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await loaded(pilot, app)
        story, target = biggest(main)[:2]
        main.story_list.move_to(story.story.id)
        await pilot.press("enter")
        await settle(pilot, app)
        for _ in range(20):  # tab to the last source
            part = main.story_view.current_part
            if isinstance(part, SourceItem) and part.article == story.story.articles[-1]:
                break
            await pilot.press("tab")
        await pilot.press("x")
        screen = app.screen
        assert isinstance(screen, FixArticleScreen)
        assert screen.article_id == story.story.articles[-1].id
        await pilot.press("m")
        await pick(pilot, app, target)
        await settle(pilot, app)
        moved = story.story.articles[-1]
        [fix] = room.corrections()
        assert (fix.action, fix.article) == ("move", moved.id)
        joined = story_holding(main, moved.id)
        assert {a.id for a in joined.story.articles} == {
            moved.id,
            *(a.id for a in target.story.articles),
        }
        assert main.state.reading is None  # the story fixed was left
    room.close()


async def test_X_lists_every_fix_and_undoes_the_one_picked(tmp_path: Path) -> None:
    room = open_room(tmp_path)
    messages = Messages()
    app = app_on(room)
    async with app.run_test(size=(120, 40), message_hook=messages) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("X")
        await settle(pilot, app)
        assert notes(messages)[-1].endswith("No fixes to the grouping yet (x and M make them)")
        first, second = biggest(main)[:2]
        split = room.split_article(first.story.articles[0].id)
        merge = room.merge_stories(second.story.id, first.story.id)
        await pilot.press("X")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, FixesScreen)
        assert screen.query_one(OptionList).option_count == 2
        await pilot.press("down", "u")  # newest first: the second line is the split
        await settle(pilot, app)
        assert room.corrections() == [merge]
        assert split not in room.corrections()
        assert isinstance(app.screen, MainScreen)
    room.close()


async def test_escape_cancels_every_fix_dialog(tmp_path: Path) -> None:
    room = open_room(tmp_path)
    app = app_on(room)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        for keys in (("x", "escape"), ("M", "escape"), ("x", "m", "escape")):
            await pilot.press(*keys)
            await settle(pilot, app)
            assert isinstance(app.screen, MainScreen), keys
        assert room.corrections() == []
    room.close()
