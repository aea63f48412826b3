"""Pilot tests: every binding and screen, asserting on state and on posted messages."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Label, Markdown, ProgressBar, Static
from textual.widgets.markdown import MarkdownBlock

from heraldtui.core.models import FeedState
from heraldtui.tui.app import HeraldApp
from heraldtui.tui.messages import (
    ExportFailed,
    ExportFinished,
    FeedFailed,
    NewArticlesArrived,
    RefreshFailed,
    RefreshFinished,
    RefreshStarted,
    StoriesLoaded,
    StoriesLoadFailed,
    StoryLeft,
    StoryMerged,
    StoryOpened,
)
from heraldtui.tui.screens.article import ArticleScreen
from heraldtui.tui.screens.error import ErrorScreen
from heraldtui.tui.screens.export import ExportScreen
from heraldtui.tui.screens.feeds import FeedsScreen
from heraldtui.tui.screens.help import HelpScreen, HelpText
from heraldtui.tui.screens.main import MainScreen
from heraldtui.tui.state import is_starred, is_unread
from heraldtui.tui.widgets.story_list import StoryList
from heraldtui.tui.widgets.story_view import SourceItem, StoryView
from tests.tui.conftest import (
    AppFactory,
    Messages,
    loaded,
    main_of,
    screen_text,
    wait_workers,
)
from tests.tui.fixtures import COURIER, NOW, MemoryNewsroom, merged_stories


def status_of(main: MainScreen) -> str:
    return str(main.query_one("#status", Static).render())


def plain_text(text: str) -> str:
    return " ".join(text.split())


async def open_first_source(pilot: Pilot[None], app: HeraldApp) -> None:
    """From the list: the second story, into it, to its first source, open the article."""
    main = main_of(app)
    await pilot.press("j", "enter")
    await wait_workers(app)
    view = main.story_view
    while not isinstance(view.current_part, SourceItem):
        await pilot.press("tab")
    await pilot.press("enter")
    await pilot.pause(0.2)
    assert isinstance(app.screen, ArticleScreen)


async def test_starts_from_the_cache_without_fetching(
    make_app: AppFactory, newsroom: MemoryNewsroom
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        main = await loaded(pilot, app)
        titles = [s.story.title for s in main.story_list.stories]
        assert titles == [s.story.title for s in merged_stories()]
        assert newsroom.refreshes == 0
        assert isinstance(app.focused, StoryList)
        assert main.story_view.story is not None
        assert main.story_view.story.story.id == "story-meeting"


async def test_while_loading_it_says_so_and_shows_no_empty_sections(
    make_app: AppFactory,
) -> None:
    room = MemoryNewsroom(loading_gate=threading.Event())
    app = make_app(newsroom=room)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = main_of(app)
        text = screen_text(app)
        assert status_of(main) == "Loading stories…"
        assert "Loading stories…" in text.split("\n", 1)[1], "the list says it too"
        for heading in ("Grades", "Quotes", "Meetings", "Sources", "No story"):
            assert heading not in text
        assert room.loading_gate is not None
        room.loading_gate.set()
        await loaded(pilot, app)
        assert status_of(main).startswith("4 stories")


async def test_movement_keys_move_the_selection_and_the_view(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        main = await loaded(pilot, app)
        view = main.story_view
        await pilot.press("j")
        assert main.story_list.cursor == 1
        assert view.story is not None and view.story.story.id == "story-inspection"
        await pilot.press("down", "down")
        assert main.story_list.cursor == 3
        await pilot.press("down")
        assert main.story_list.cursor == 3, "the cursor stops at the last story"
        await pilot.press("k", "up")
        assert main.story_list.cursor == 1
        await pilot.press("end")
        assert main.story_list.cursor == 3
        await pilot.press("home")
        assert main.story_list.cursor == 0


async def test_inspection_view_shows_the_report_card_quotes_meeting_and_sources(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("j")
        await wait_workers(app)
        await pilot.pause()
        text = screen_text(app)
        assert "[1] Downland Gazette  [2] Vale Courier" in text, "the footnotes, once"
        assert "✖ Inadequate" in text and "Recording data about crime" in text
        assert "⚠ [2] says Requires improvement" in text, "a conflict on its own line"
        assert "◆ Adequate" in text and "▲ Good" in text
        assert "Jane Fielding, HM Inspector of Constabulary [1,2]" in text
        assert "Thursday 14 November 2024, 10:30 · in 8 days" in text
        assert len(main.story_view.query(SourceItem)) == 2


async def test_enter_opens_the_story_and_leaving_it_marks_it_read(
    make_app: AppFactory, newsroom: MemoryNewsroom
) -> None:
    app = make_app()
    seen = Messages()
    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("j", "enter")
        await wait_workers(app)
        inspection = main.story_list.current
        assert inspection is not None and isinstance(app.focused, StoryView)
        assert [m.story_id for m in seen.of(StoryOpened)] == ["story-inspection"]
        assert all(not a.read for a in inspection.story.articles), "not read before it is seen"
        assert newsroom.writes == []
        # tab: the report, grades, quotes, the meeting, then each source; enter opens it.
        await pilot.press("tab", "tab", "tab", "tab", "tab", "tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.article.feed == COURIER
        assert app.screen.article.read, "an opened article is read"
        await pilot.press("s")
        assert app.screen.article.starred
        assert ("starred", (app.screen.article.id,), True) in newsroom.writes
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and isinstance(app.focused, StoryView)
        gazette = main.story_view.parts[4]  # after the report, grades, quotes, meeting
        assert isinstance(gazette, SourceItem) and not gazette.article.read, (
            "the other source still shows as unread while the story is open"
        )
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.focused, StoryList), "q goes back to the list"
        ids = tuple(a.id for a in inspection.story.articles)
        assert ("read", ids, True) in newsroom.writes
        current = main.story_list.current
        assert current is not None and not is_unread(current) and is_starred(current)
        assert [(m.story_id, m.marked_read) for m in seen.of(StoryLeft)] == [
            ("story-inspection", True)
        ]


async def test_a_story_marked_by_hand_while_open_keeps_that_mark(
    make_app: AppFactory, newsroom: MemoryNewsroom
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("enter", "m", "m")  # read, then unread again, by hand
        await pilot.press("escape")
        await pilot.pause()
        current = main.story_list.current
        assert current is not None and is_unread(current)
        assert [w[2] for w in newsroom.writes] == [True, False]


async def test_mark_toggles_read_and_star_toggles_star(
    make_app: AppFactory, newsroom: MemoryNewsroom
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("m")
        story = main.story_list.current
        assert story is not None and all(a.read for a in story.story.articles)
        await pilot.press("m")
        story = main.story_list.current
        assert story is not None and not any(a.read for a in story.story.articles)
        await pilot.press("s")
        story = main.story_list.current
        assert story is not None and all(a.starred for a in story.story.articles)
        assert [w[0] for w in newsroom.writes] == ["read", "read", "starred"]
        assert "★" in screen_text(app)


async def test_unread_only_and_filter(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("m")  # the meeting story is now read
        await pilot.press("u")
        assert main.state.unread_only
        assert "story-meeting" not in [s.story.id for s in main.shown]
        await pilot.press("u")
        assert len(main.shown) == 4
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"fielding")  # a person: only the inspection story
        await pilot.pause()
        assert [s.story.id for s in main.shown] == ["story-inspection"]
        await pilot.press("enter")
        assert isinstance(app.focused, StoryList)
        assert main.state.filter_text == "fielding"
        await pilot.press("slash")
        await pilot.press("escape")
        assert main.state.filter_text == ""
        assert len(main.shown) == 4
        await pilot.press("slash", *"avon somerset")  # a force, two words
        await pilot.pause()
        assert [s.story.id for s in main.shown] == ["story-other"]


async def test_refresh_shows_progress_new_stories_and_keeps_selection(
    make_app: AppFactory,
) -> None:
    arriving = merged_stories()[3]
    room = MemoryNewsroom(
        stored=merged_stories()[:3],
        arriving=[arriving],
        failing_feed="Downland Gazette",
        gate=asyncio.Event(),
    )
    app = make_app(newsroom=room)
    seen = Messages()
    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("j")  # select the inspection story
        await pilot.press("r")
        await pilot.pause(0.05)
        bar = main.query_one("#progress", ProgressBar)
        assert main.query_one("#progress-row").display and main.state.refreshing
        assert bar.progress == 1 and bar.total == 3
        assert str(main.query_one("#progress-label", Label).render()) == "1/3 feeds"
        assert "refreshing 1/3 feeds" in status_of(main)
        assert [m.total for m in seen.of(RefreshStarted)] == [3]
        assert room.gate is not None
        room.gate.set()
        await wait_workers(app)
        for _ in range(50):
            if seen.of(RefreshFinished) and not main.state.loading:
                break
            await pilot.pause(0.02)
        await wait_workers(app)
        await pilot.pause()
        assert not main.query_one("#progress-row").display and not main.state.refreshing
        assert [m.feed for m in seen.of(FeedFailed)] == ["Downland Gazette"]
        assert [(m.feed, m.count) for m in seen.of(NewArticlesArrived)] == [(COURIER, 1)]
        (finished,) = seen.of(RefreshFinished)
        assert finished.new == 1 and finished.failed == 1
        assert [m.generation for m in seen.of(StoriesLoaded)][-1] == main.state.generation
        assert "story-other" in [s.story.id for s in main.shown]
        current = main.story_list.current
        assert current is not None and current.story.id == "story-inspection"
        assert status_of(main) == (
            "4 stories · 4 unread · refreshed 09:00 · 1 feed failing: f for details"
        )
        assert seen.notes() == [], "a failing feed is on the status line, not a toast"


async def test_many_failed_feeds_make_one_calm_status_line(make_app: AppFactory) -> None:
    room = MemoryNewsroom()
    room.failing_feeds = tuple(f.name for f in room.feeds)
    app = make_app(newsroom=room)
    seen = Messages()
    async with app.run_test(size=(80, 24), message_hook=seen) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("r")
        await wait_workers(app)
        await pilot.pause()
        assert len(seen.of(FeedFailed)) == 3 and len(main.state.failures) == 3
        assert seen.notes() == []
        assert status_of(main).endswith("· 3 feeds failing: f for details")
        assert "Wiltshire" in screen_text(app), "the stories are not covered by a notice"


async def test_feeds_failing_before_the_start_show_at_once(make_app: AppFactory) -> None:
    room = MemoryNewsroom()
    room.states[COURIER] = FeedState(COURIER, "https://courier.example/rss", "error", NOW)
    app = make_app(newsroom=room)
    async with app.run_test(size=(80, 24)) as pilot:
        main = await loaded(pilot, app)
        assert status_of(main) == (
            "4 stories · 4 unread · refreshed 09:00 · 1 feed failing: f for details"
        )


async def test_refresh_on_start_runs_in_the_background(
    make_app: AppFactory, newsroom: MemoryNewsroom
) -> None:
    app = make_app(refresh_on_start=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        await wait_workers(app)
        assert newsroom.refreshes == 1


async def test_stale_load_does_not_overwrite_a_newer_one(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        main = await loaded(pilot, app)
        newest = main.state.generation
        main.post_message(StoriesLoaded(merged_stories()[:1], {}, newest - 1))
        await pilot.pause()
        assert len(main.all_stories) == 4


async def test_feeds_screen_shows_a_failed_feed(make_app: AppFactory) -> None:
    room = MemoryNewsroom(failing_feed=COURIER)
    app = make_app(newsroom=room)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        await pilot.press("f")
        assert isinstance(app.screen, FeedsScreen)
        table = app.screen.query_one(DataTable)
        assert table.row_count == 3
        assert str(table.get_row_at(1)[1]) == "never"
        await pilot.press("r")
        await wait_workers(app)
        await pilot.pause(0.1)
        row = table.get_row_at(1)
        assert str(row[1]) == "error"
        assert str(row[4]) == "HTTP 503 [bold]Service[/] down", "markup in an error stays text"
        assert str(row[2]) == "just now"
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_help_lists_the_keys_of_the_screen_it_was_opened_from(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one(HelpText).content.plain
        lines = text.splitlines()
        for key in ("j/down", "g/home", "n", "/", "u", "*/S", "A", "m", "s", "r", "e", "o"):
            assert any(line.startswith(f"{key} ") for line in lines), key
        for key in ("space/pgdn/ctrl+d", "b/pgup/ctrl+u", "tab", "J", "K", "q/esc", "f", "?"):
            assert any(line.startswith(f"{key} ") for line in lines), key
        titles = [line for line in lines if line and not line.startswith(" ") and "  " not in line]
        assert titles == ["Keys: stories", "Story list", "Story", "List and story", "Everywhere"]
        assert text.count("Everywhere") == 1, "no group twice"
        await pilot.press("escape")
        await open_first_source(pilot, app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = app.screen.query_one(HelpText).content.plain
        assert "Keys: article" in text and "Story list" not in text
        assert "Back to the story" in text and "Leave heraldtui from anywhere" in text


async def test_export_writes_the_shown_stories(
    make_app: AppFactory, newsroom: MemoryNewsroom, tmp_path: Path
) -> None:
    app = make_app()
    seen = Messages()
    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("slash", *"wiltshire", "enter")
        assert len(main.shown) == 2
        await pilot.press("e")
        assert isinstance(app.screen, ExportScreen)
        field = app.screen.query_one(Input)
        assert field.value.endswith(".md")
        plan = str(app.screen.query_one("#export-plan", Static).render())
        assert plan.startswith("Markdown digest → /"), "the format and the absolute path"
        field.value = str(tmp_path / "digest.json")
        await pilot.pause()
        plan = str(app.screen.query_one("#export-plan", Static).render())
        assert plan == f"JSON digest → {tmp_path / 'digest.json'}"
        await pilot.press("enter")
        await wait_workers(app)
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert newsroom.exports == [(tmp_path / "digest.json", "json", 2)]
        assert [(m.path, m.count) for m in seen.of(ExportFinished)] == [
            (str(tmp_path / "digest.json"), 2)
        ]
        assert any(str(tmp_path / "digest.json") in n.message for n in seen.notes())


async def test_export_errors_keep_the_dialog_and_the_typed_path(
    make_app: AppFactory, newsroom: MemoryNewsroom, tmp_path: Path
) -> None:
    app = make_app()
    seen = Messages()
    async with app.run_test(size=(80, 24), message_hook=seen) as pilot:
        await loaded(pilot, app)
        await pilot.press("e")
        assert isinstance(app.screen, ExportScreen)
        typed = str(tmp_path / "missing" / "d.md")
        app.screen.query_one(Input).value = typed
        await pilot.press("enter")
        await wait_workers(app)
        await pilot.pause()
        (failed,) = seen.of(ExportFailed)
        assert "no such folder" in failed.error
        assert isinstance(app.screen, ExportScreen), "the dialog stays"
        assert app.screen.query_one(Input).value == typed
        problem = str(app.screen.query_one("#export-problem", Static).render())
        assert problem.startswith("Not written: ") and "no such folder" in problem
        assert newsroom.exports == []


async def test_export_never_overwrites_a_file_without_asking(
    make_app: AppFactory, newsroom: MemoryNewsroom, tmp_path: Path
) -> None:
    existing = tmp_path / "digest.md"
    existing.write_text("mine", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        await pilot.press("e")
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one(Input).value = str(existing)
        await pilot.pause()
        plan = str(app.screen.query_one("#export-plan", Static).render())
        assert "This file exists: enter asks before replacing it." in plain_text(plan)
        await pilot.press("enter")
        await wait_workers(app)
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen) and newsroom.exports == []
        assert existing.read_text(encoding="utf-8") == "mine"
        plan = str(app.screen.query_one("#export-plan", Static).render())
        assert "enter again replaces it" in plain_text(plan)
        await pilot.press("enter")
        await wait_workers(app)
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert newsroom.exports == [(existing, "markdown", 4)]


async def test_open_link_only_opens_web_links(
    make_app: AppFactory, newsroom: MemoryNewsroom, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    app = make_app()
    monkeypatch.setattr(app, "open_url", lambda url, new_tab=True: opened.append(url))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("j", "o")  # on the list: the lead article, never a meeting link
        await wait_workers(app)  # links open in a worker thread
        assert opened == ["https://downland.example/inspection"]
        await pilot.press("enter", "tab", "o")  # in the story: the report, ranked first
        await wait_workers(app)
        assert opened[-1] == "https://inspectorate.example/report"
        await pilot.press("tab", "tab", "tab", "o")  # past the grades and quotes: the meeting
        await wait_workers(app)
        assert opened[-1] == "https://panel.example/meeting"
        await pilot.press("tab", "tab", "o")  # the second source
        await wait_workers(app)
        assert opened[-1] == "https://vale.example/force-inspection"
        await pilot.press("q")
        story = main.story_list.current
        assert story is not None
        import dataclasses

        bad = dataclasses.replace(story.story.articles[0], link="javascript:alert(1)")
        newsroom.stored = [
            dataclasses.replace(s, meetings=(), story=dataclasses.replace(s.story, articles=(bad,)))
            if s.story.id == story.story.id
            else s
            for s in newsroom.stored
        ]
        main.request_load()
        await wait_workers(app)
        await pilot.pause()
        await wait_workers(app)
        await pilot.pause()
        main.story_list.focus()
        await pilot.press("o")
        assert len(opened) == 4, "a non-web link is never handed to the browser"


async def test_unsafe_headline_is_literal_and_inert(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("j", "j")
        await wait_workers(app)
        await pilot.pause()
        text = screen_text(app)
        assert "[@click=app.quit]x[/] [bold red]alarm␛[31m red" in text
        await pilot.click(StoryList, offset=(8, 5))  # on the headline itself
        await pilot.click(StoryView, offset=(4, 1))
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and main.is_attached
        assert isinstance(app.screen, MainScreen)


async def test_article_links_are_inert(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    app = make_app()
    monkeypatch.setattr(app, "open_url", lambda url, new_tab=True: opened.append(url))
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        await open_first_source(pilot, app)
        body = app.screen.query_one(Markdown)
        blocks = list(body.query(MarkdownBlock))
        text = "\n".join(str(b.content) for b in blocks)
        assert "full report <https://inspectorate.example/report>" in text
        for block in blocks:
            content = block.content
            for span in getattr(content, "spans", []):
                assert "@click" not in str(span.style), span
        for block in blocks:
            await pilot.click(block, offset=(10, 0))
        assert opened == []
        assert isinstance(app.screen, ArticleScreen)


async def test_startup_error_screen_shows_the_message_and_quits(tmp_path: Path) -> None:
    app = HeraldApp(None, startup_error="feeds.toml:3: url must be http(s) or file")
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, ErrorScreen)
        assert "feeds.toml:3: url must be http(s) or file" in screen_text(app)
        await pilot.press("q")
    assert app.return_code == 0


async def test_palette_offers_every_screen_command(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        main = await loaded(pilot, app)
        titles = {c.title for c in app.get_system_commands(main)}
        for title in ("Read/unread", "Star", "Refresh", "Export", "Browser", "Feeds", "Help"):
            assert title in titles
        assert "Next story" in titles
        command = next(c for c in app.get_system_commands(main) if c.title == "Refresh")
        await command.callback()
        assert main.state.refreshing


async def test_quit(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        await pilot.press("q")
    assert not app.is_running


async def test_filter_text_is_not_markup(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("/")
        for key in "[/x][b]":
            await pilot.press(key)
        await pilot.pause()
        assert "filter: [/x][b]" in status_of(main)
        assert "No stories match '[/x][b]' (esc clears)" in screen_text(app)
        assert app.is_running


async def test_a_story_is_merged_once_however_often_it_is_shown(
    make_app: AppFactory, newsroom: MemoryNewsroom
) -> None:
    app = make_app()
    seen = Messages()
    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        main = await loaded(pilot, app)
        for key in "jkjkjk":
            await pilot.press(key)
            await wait_workers(app)
            await pilot.pause()
        assert len(newsroom.merges) == len(set(newsroom.merges)) == 2
        assert [m.story.story.id for m in seen.of(StoryMerged)] == newsroom.merges
        assert main.state.merged_ids == {"story-meeting", "story-inspection"}


async def test_unexpected_failures_are_reported_and_the_reader_goes_on(
    make_app: AppFactory, newsroom: MemoryNewsroom, tmp_path: Path
) -> None:
    newsroom.broken = {"stories"}
    app = make_app()
    seen = Messages()
    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        main = main_of(app)
        await wait_workers(app)
        await pilot.pause()
        (load_failed,) = seen.of(StoriesLoadFailed)
        assert "stories exploded" in load_failed.error and not main.state.loading
        assert any("stories exploded" in n.message for n in seen.notes())
        newsroom.broken = {"merge", "refresh", "export"}
        main.request_load()  # the failed load ended: another one runs
        await wait_workers(app)
        await pilot.pause()
        assert main.state.loaded and len(main.shown) == len(newsroom.stored)
        await pilot.press("j")
        await wait_workers(app)
        await pilot.pause()
        assert any("merge exploded" in n.message for n in seen.notes())
        await pilot.press("r")
        await wait_workers(app)
        await pilot.pause()
        (refresh_failed,) = seen.of(RefreshFailed)
        assert "refresh exploded" in refresh_failed.error
        assert not main.state.refreshing
        assert not main.query_one("#progress-row").display
        assert any("refresh exploded" in n.message for n in seen.notes())
        await pilot.press("e")
        app.screen.query_one(Input).value = str(tmp_path / "d.md")
        await pilot.press("enter")
        await wait_workers(app)
        await pilot.pause()
        (export_failed,) = seen.of(ExportFailed)
        assert isinstance(app.screen, ExportScreen)
        assert "export exploded" in export_failed.error
        problem = str(app.screen.query_one("#export-problem", Static).render())
        assert "export exploded" in problem


async def test_refresh_progress_updates_one_feed_row_not_the_table(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each progress report used to clear and refill the whole table: with 500 feeds a
    refresh cost 45 s of CPU while this screen was open. Bounded here by counts."""
    from heraldtui.core.models import FeedSource

    feeds = tuple(FeedSource(f"Feed {n:03d}", f"https://f{n}.example/rss") for n in range(300))
    room = MemoryNewsroom(feeds=feeds)
    app = make_app(newsroom=room)
    calls = {"clear": 0, "add_row": 0, "update_cell": 0}
    for name in calls:
        original = getattr(DataTable, name)

        def counted(
            self: DataTable[object], *a: object, _n: str = name, _o: object = original, **k: object
        ) -> object:
            calls[_n] += 1
            return _o(self, *a, **k)  # type: ignore[operator]

        monkeypatch.setattr(DataTable, name, counted)
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        await pilot.press("f")
        screen = app.screen
        assert isinstance(screen, FeedsScreen)
        assert calls["add_row"] == 300
        for n, feed in enumerate(feeds):  # one progress report per feed fetched
            room.states[feed.name] = FeedState(feed.name, feed.url, status="ok", items=n)
            app.feeds_changed()
        await pilot.pause()
        assert calls["clear"] == 1 and calls["add_row"] == 300
        assert calls["update_cell"] <= 300 * 3  # status, last fetch, items of one row each
        table = screen.query_one(DataTable)
        assert [str(table.get_row_at(i)[3]) for i in (0, 299)] == ["0", "299"]
        assert str(table.get_row_at(5)[1]) == "ok"
