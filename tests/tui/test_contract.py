"""The keyboard contract of the list and the story view, at 80x24 and side by side.

Each test presses the keys a reader would and asserts on state and posted messages:
what is focused, shown, scrolled, marked and opened.
"""

from __future__ import annotations

import dataclasses

import pytest
from textual.pilot import Pilot

from heraldtui.core.models import MergedStory, QuoteFact
from heraldtui.tui.app import HeraldApp
from heraldtui.tui.messages import OpenArticle, StoryLeft, StoryOpened
from heraldtui.tui.screens.article import ArticleScreen
from heraldtui.tui.screens.feeds import FeedsScreen
from heraldtui.tui.screens.main import MainScreen
from heraldtui.tui.state import is_starred, is_unread, with_flags
from heraldtui.tui.widgets.story_list import StoryList
from heraldtui.tui.widgets.story_view import DocumentItem, MeetingCard, SourceItem, StoryView
from tests.tui.conftest import AppFactory, Messages, loaded, screen_text, wait_workers
from tests.tui.fixtures import MemoryNewsroom, merged_stories


def long_story() -> MergedStory:
    """The inspection with twelve long quotes: a view that needs scrolling at 80x24."""
    inspection = merged_stories()[1]
    quote = inspection.quotes[0]
    words = " ".join(["The force must put this right quickly and say how it will."] * 4)
    quotes = tuple(QuoteFact(f"Speaker {n}", "Councillor", words, quote.sources) for n in range(12))
    return dataclasses.replace(inspection, quotes=quotes)


def room_with_long_story() -> MemoryNewsroom:
    stories = merged_stories()
    stories[1] = long_story()
    return MemoryNewsroom(stored=stories)


async def into_story(
    pilot: Pilot[None], app: HeraldApp, *keys: str
) -> tuple[MainScreen, StoryView]:
    main = await loaded(pilot, app)
    await pilot.press(*keys, "enter")
    await wait_workers(app)
    await pilot.pause()
    return main, main.story_view


# -- layout ------------------------------------------------------------------------------


async def test_under_100_columns_the_list_and_the_story_are_one_pane_each(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = await loaded(pilot, app)
        assert main.narrow
        assert main.story_list.display and main.story_list.size.width >= 78
        assert main.story_view.region.width == 0, "the story is hidden on the list"
        await pilot.press("j", "enter")
        await wait_workers(app)
        await pilot.pause()
        assert isinstance(app.focused, StoryView)
        assert main.story_view.region.width >= 78 and main.story_list.region.width == 0
        assert "✖ Inadequate" in screen_text(app)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.focused, StoryList) and main.story_list.region.width >= 78
        assert app.is_running, "q in a story goes back, it does not quit"


async def test_at_100_columns_they_sit_side_by_side(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        main = await loaded(pilot, app)
        assert not main.narrow
        assert main.story_list.region.width > 30 and main.story_view.region.width > 40
        await pilot.resize_terminal(99, 30)
        await pilot.pause()
        assert main.narrow and main.story_view.region.width == 0


# -- the list ----------------------------------------------------------------------------


async def test_list_g_and_G_go_to_the_top_and_bottom(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("G")
        assert main.story_list.cursor == 3
        await pilot.press("g")
        assert main.story_list.cursor == 0


async def test_list_n_and_p_go_to_the_next_and_previous_unread(
    make_app: AppFactory, newsroom: MemoryNewsroom
) -> None:
    stories = merged_stories()
    for index in (1, 2):
        read = [a.id for a in stories[index].story.articles]
        stories[index] = with_flags(stories[index], read, read=True)
    app = make_app(newsroom=MemoryNewsroom(stored=stories))
    async with app.run_test(size=(80, 24)) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("n")
        assert main.story_list.cursor == 3, "two read stories skipped"
        await pilot.press("n")
        assert main.story_list.cursor == 3, "no unread story after the last"
        await pilot.press("p")
        assert main.story_list.cursor == 0


async def test_filter_is_live_enter_keeps_it_escape_clears_it(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("slash", *"cyc")
        assert [s.story.id for s in main.shown] == ["story-other"], "filters as you type"
        await pilot.press("enter")
        assert isinstance(app.focused, StoryList) and main.state.filter_text == "cyc"
        await pilot.press("enter")  # open the filtered story: the filter stays
        await pilot.press("q", "escape")
        assert main.state.filter_text == "" and len(main.shown) == 4


async def test_the_filter_finds_words_of_any_story_text(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = await loaded(pilot, app)
        await wait_workers(app)  # the text index is built after the list is shown
        await pilot.pause()
        assert main.state.indexed == main.state.generation
        await pilot.press("slash", *"report online")  # in the body only, never opened
        assert [s.story.id for s in main.shown] == ["story-inspection"]


@pytest.mark.parametrize("key", ["asterisk", "S"])
async def test_star_key_shows_starred_only(make_app: AppFactory, key: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("G", "s", key)
        assert main.state.starred_only and [s.story.id for s in main.shown] == ["story-other"]
        await pilot.press(key)
        assert not main.state.starred_only and len(main.shown) == 4


async def test_A_marks_every_shown_story_read_and_m_undoes_one(
    make_app: AppFactory, newsroom: MemoryNewsroom
) -> None:
    app = make_app()
    seen = Messages()
    async with app.run_test(size=(80, 24), message_hook=seen) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("slash", *"wiltshire", "enter", "A")
        assert [w[0:1] + w[2:] for w in newsroom.writes] == [("read", True)]
        assert len(newsroom.writes[0][1]) == 3, "every article of the two shown stories"
        assert not any(is_unread(s) for s in main.shown)
        assert sum(is_unread(s) for s in main.all_stories) == 2, "hidden stories untouched"
        assert any("2 stories marked read" in n.message for n in seen.notes())
        await pilot.press("m")
        current = main.story_list.current
        assert current is not None and is_unread(current)


# -- the story view ----------------------------------------------------------------------


async def test_story_scrolls_by_line_page_and_end(make_app: AppFactory) -> None:
    app = make_app(newsroom=room_with_long_story())
    async with app.run_test(size=(80, 24)) as pilot:
        _main, view = await into_story(pilot, app, "j")
        assert view.max_scroll_y > 40 and view.scroll_y == 0
        for key, moved in (("j", 1), ("down", 2), ("k", 1), ("up", 0)):
            await pilot.press(key)
            assert view.scroll_y == moved, key
        page = view.scrollable_content_region.height
        for key in ("space", "pagedown", "ctrl+d"):
            before = view.scroll_y
            await pilot.press(key)
            assert view.scroll_y == min(before + page, view.max_scroll_y), key
        for key in ("b", "pageup", "ctrl+u"):
            before = view.scroll_y
            await pilot.press(key)
            assert view.scroll_y == max(before - page, 0), key
        await pilot.press("G")
        assert view.scroll_y == view.max_scroll_y
        await pilot.press("g")
        assert view.scroll_y == 0
        await pilot.press("end")
        assert view.scroll_y == view.max_scroll_y
        await pilot.press("home")
        assert view.scroll_y == 0
        assert isinstance(app.focused, StoryView)


async def test_tab_moves_between_documents_grades_quotes_meetings_and_sources(
    make_app: AppFactory,
) -> None:
    app = make_app(newsroom=room_with_long_story())
    async with app.run_test(size=(80, 24)) as pilot:
        _main, view = await into_story(pilot, app, "j")
        names = []
        for _ in range(7):
            await pilot.press("tab")
            await pilot.pause()
            part = view.current_part
            assert part is not None and part.has_class("-cursor")
            names.append(
                part.id
                or ("document" if isinstance(part, DocumentItem) else "")
                or ("meeting" if isinstance(part, MeetingCard) else "")
                or ("source" if isinstance(part, SourceItem) else "")
            )
            top = part.region.y - view.region.y
            if part.id:  # a section: scrolled to the top of the view
                assert 0 <= top <= 2, (part.id, top)
            else:
                assert (
                    view.region.contains_region(part.region) or view.scroll_y == view.max_scroll_y
                )
        assert names == [
            "document",
            "grades-section",
            "quotes-section",
            "meeting",
            "source",
            "source",
            "document",
        ], "round again after the last source"
        await pilot.press("shift+tab")
        assert isinstance(view.current_part, SourceItem)
        assert view.current_part.article.feed == "Vale Courier"


async def test_enter_on_a_source_opens_its_article_and_back_returns(
    make_app: AppFactory,
) -> None:
    app = make_app()
    seen = Messages()
    async with app.run_test(size=(80, 24), message_hook=seen) as pilot:
        _main, view = await into_story(pilot, app, "j")
        await pilot.press("enter")  # on no source: nothing opens
        assert isinstance(app.screen, MainScreen)
        await pilot.press("shift+tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        assert [m.article.feed for m in seen.of(OpenArticle)] == ["Vale Courier"]
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and isinstance(app.focused, StoryView)
        assert isinstance(view.current_part, SourceItem), "the cursor is where it was"


async def test_J_and_K_move_to_the_next_story_and_mark_the_one_left(
    make_app: AppFactory, newsroom: MemoryNewsroom
) -> None:
    app = make_app()
    seen = Messages()
    async with app.run_test(size=(80, 24), message_hook=seen) as pilot:
        main, view = await into_story(pilot, app)
        assert view.story is not None and view.story.story.id == "story-meeting"
        await pilot.press("J")
        await wait_workers(app)
        await pilot.pause()
        assert isinstance(app.focused, StoryView), "still reading"
        assert view.story is not None and view.story.story.id == "story-inspection"
        assert main.state.reading == "story-inspection"
        await pilot.press("K")
        await wait_workers(app)
        await pilot.pause()
        assert view.story is not None and view.story.story.id == "story-meeting"
        assert [m.story_id for m in seen.of(StoryOpened)] == [
            "story-meeting",
            "story-inspection",
            "story-meeting",
        ]
        assert [m.story_id for m in seen.of(StoryLeft)] == ["story-meeting", "story-inspection"]
        by_id = {s.story.id: s for s in main.all_stories}
        assert not is_unread(by_id["story-inspection"])
        await pilot.press("K")  # the first story: nowhere to go, still reading it
        assert main.state.reading == "story-meeting"
        assert any("No more stories" in n.message for n in seen.notes())


@pytest.mark.parametrize("key", ["q", "escape"])
async def test_q_and_escape_go_back_one_level(make_app: AppFactory, key: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        _main, _view = await into_story(pilot, app, "j")
        await pilot.press("tab", "tab", "tab", "tab", "tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and isinstance(app.focused, StoryView)
        await pilot.press(key)
        assert isinstance(app.focused, StoryList)
        await pilot.press("f")
        assert isinstance(app.screen, FeedsScreen)
        await pilot.press(key)
        assert isinstance(app.screen, MainScreen)
        await pilot.press(key)
        await pilot.pause()
        assert app.is_running is (key == "escape"), "q on the list quits; escape does not"


@pytest.mark.parametrize("where", ["list", "story", "article", "feeds", "help", "link"])
async def test_Q_quits_from_anywhere(make_app: AppFactory, where: str) -> None:
    app = make_app(has_browser=lambda: False)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        keys = {
            "list": [],
            "story": ["enter"],
            "article": ["j", "enter", "shift+tab", "enter"],
            "feeds": ["f"],
            "help": ["enter", "question_mark"],
            "link": ["o"],
        }
        await pilot.press(*keys[where])
        await wait_workers(app)
        await pilot.pause()
        await pilot.press("Q")
        await pilot.pause()
    assert not app.is_running


async def test_quitting_from_a_story_marks_it_read(
    make_app: AppFactory, newsroom: MemoryNewsroom
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        _main, _view = await into_story(pilot, app)
        await pilot.press("Q")
        await pilot.pause()
    ids = tuple(a.id for a in merged_stories()[0].story.articles)
    assert newsroom.writes == [("read", ids, True)]


async def test_starring_and_marking_work_in_the_story_too(
    make_app: AppFactory, newsroom: MemoryNewsroom
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        main, _view = await into_story(pilot, app, "j")
        await pilot.press("s")
        current = main.story_list.current
        assert current is not None and is_starred(current)
        assert isinstance(app.focused, StoryView)


async def test_side_by_side_tab_into_the_story_opens_it_and_back_leaves_it(
    make_app: AppFactory, newsroom: MemoryNewsroom
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("j", "tab")
        await wait_workers(app)
        assert isinstance(app.focused, StoryView) and main.state.reading == "story-inspection"
        await pilot.press("J")
        await wait_workers(app)
        assert main.state.reading == "story-unsafe", "the story's keys work: it is open"
        await pilot.click(StoryList, offset=(5, 30))  # below the stories: focus, no move
        await pilot.pause()
        assert isinstance(app.focused, StoryList) and main.state.reading is None
        assert [w[2] for w in newsroom.writes] == [True, True], "both stories left, both read"
