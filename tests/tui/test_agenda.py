"""The agenda screen (`a`): meetings of every story, soonest first, and back to a story.

On the in-memory Newsroom of `fixtures.py` (a surgery on 8 November and a panel on 14
November, seen from 6 November) plus a story of our own with a past meeting and a name
that looks like markup; the state and rows are tested without an app as well.
"""

from __future__ import annotations

import dataclasses
from datetime import date, time

from textual.widgets import OptionList

from heraldtui.core.models import MeetingFact, MergedStory
from heraldtui.tui.agenda import AgendaState, agenda_row
from heraldtui.tui.app import HeraldApp
from heraldtui.tui.screens.agenda import AgendaScreen
from heraldtui.tui.screens.main import MainScreen
from tests.tui.conftest import AppFactory, loaded, screen_text, wait_workers
from tests.tui.fixtures import TODAY, UNSAFE_TITLE, MemoryNewsroom, merged_stories


def with_past_meeting() -> list[MergedStory]:
    """The fixture stories, the unsafe one given a meeting that was held a week ago."""
    stories = merged_stories()
    unsafe = next(s for s in stories if s.story.id == "story-unsafe")
    link = unsafe.story.articles[0].link
    held = MeetingFact("[red]Rural[/] crime forum", date(2024, 10, 30), time(19, 0), None, (link,))
    return [dataclasses.replace(s, meetings=(held,)) if s is unsafe else s for s in stories]


async def open_agenda(app: HeraldApp) -> AgendaScreen:
    await wait_workers(app)
    screen = app.screen
    assert isinstance(screen, AgendaScreen)
    for _ in range(100):  # the worker posted its result; let the screen take it
        if screen.state.loaded:
            break
        await app.workers.wait_for_complete()
    assert screen.state.loaded
    return screen


async def test_a_lists_upcoming_meetings_soonest_first_and_enter_opens_the_story(
    make_app: AppFactory,
) -> None:
    room = MemoryNewsroom(stored=with_past_meeting())
    app = make_app(newsroom=room)
    async with app.run_test(size=(80, 24)) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("a")
        agenda = await open_agenda(app)
        await pilot.pause()
        items = agenda.state.items
        assert [i.meeting.name for i in items] == ["Public surgery", "Police and Crime Panel"]
        assert [i.days_away for i in items] == [2, 8]
        assert [i.story_id for i in items] == ["story-meeting", "story-inspection"]
        shown = screen_text(app)
        assert "Friday 8 November 2024, 14:00 · in 2 days" in shown
        assert "in 8 days" in shown and "Rural" not in shown, "past meetings only on request"
        assert "Agenda: 2 upcoming meetings" in shown
        options = agenda.query_one(OptionList)
        assert options.has_focus and options.highlighted == 0

        await pilot.press("j")
        assert options.highlighted == 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert main.state.reading == "story-inspection"
        assert main.story_view.story is not None
        assert main.story_view.story.story.id == "story-inspection"
        current = main.story_list.current
        assert current is not None and current.story.id == "story-inspection"
        # Leaving the story returns to the agenda it was opened from; escape there, to the list.
        await pilot.press("escape")
        agenda = await open_agenda(app)
        assert main.state.reading is None
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and main.state.reading is None


async def test_p_shows_past_meetings_as_text_and_escape_goes_back(make_app: AppFactory) -> None:
    room = MemoryNewsroom(stored=with_past_meeting())
    app = make_app(newsroom=room)
    async with app.run_test(size=(100, 30)) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("a")
        agenda = await open_agenda(app)
        await pilot.press("p")
        agenda = await open_agenda(app)
        await pilot.pause()
        assert agenda.state.include_past
        assert [i.days_away for i in agenda.state.items] == [-7, 2, 8]
        shown = screen_text(app)
        assert "[red]Rural[/] crime forum" in shown, "a feed's brackets are text, not markup"
        assert "7 days ago" in shown
        assert UNSAFE_TITLE.split("\x1b")[0] in shown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and main.state.reading is None


async def test_no_meetings_says_so_and_a_failure_is_shown(make_app: AppFactory) -> None:
    stories = [dataclasses.replace(s, meetings=()) for s in merged_stories()]
    app = make_app(newsroom=MemoryNewsroom(stored=stories))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        await pilot.press("a")
        await open_agenda(app)
        await pilot.pause()
        assert "No upcoming meetings (p shows past ones)." in screen_text(app)
    app = make_app(newsroom=MemoryNewsroom(broken={"meetings"}))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        await pilot.press("a")
        agenda = await open_agenda(app)
        await pilot.pause()
        assert agenda.state.error is not None and "meetings exploded" in agenda.state.error
        assert "cannot read the meetings" in screen_text(app)


def test_state_titles_and_rows() -> None:
    state = AgendaState()
    state.start(include_past=False)
    assert state.title() == "Agenda: reading upcoming meetings…"
    state.progressed(200, 900)
    assert state.title() == "Agenda: reading upcoming meetings… 200/900 stories"
    assert not state.accept([], include_past=True), "a read for the other toggle is dropped"
    assert state.accept([], include_past=False)
    assert state.title() == "Agenda: 0 upcoming meetings · p shows past ones too"
    room = MemoryNewsroom()
    items = room.meetings(today=TODAY)
    row = agenda_row(items[0]).plain.split("\n")
    assert row == [
        "Friday 8 November 2024, 14:00 · in 2 days",
        "Public surgery",
        "Wiltshire Police · Commissioner holds public surgery in the market hall",
    ]
