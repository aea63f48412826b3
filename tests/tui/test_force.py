"""The force's screen (`F`): what it shows, and the keys that open, leave and move on it.

The stories are written for these tests: Brackenfold Constabulary, inspected in 2023 (a
PEEL report) and again in 2024 (crime data), a panel meeting still to come, everyday
news; a story that names no force; a story of another force. The view is the core's own
(`MemoryNewsroom.force_view` builds it with `facts/force_view.py`).
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time

from textual.pilot import Pilot

from heraldtui.core.models import (
    Article,
    ForceInspection,
    ForcePerson,
    ForceView,
    GradeFact,
    GradeRow,
    MeetingFact,
    MergedStory,
    PersonFact,
    PreviousGrade,
    Story,
    StoryKind,
)
from heraldtui.tui.app import HeraldApp
from heraldtui.tui.commands import FORCE_COMMANDS
from heraldtui.tui.force_card import (
    CELL,
    grade_grid,
    grid_cell,
    people_entries,
    story_entry,
    summary,
)
from heraldtui.tui.screens.force import LOADING, ForceScreen
from heraldtui.tui.widgets.force_pane import ForcePane
from heraldtui.tui.widgets.story_list import StoryList
from heraldtui.tui.widgets.story_view import StoryView
from tests.tui.conftest import AppFactory, Messages, loaded, screen_text, wait_workers
from tests.tui.fixtures import UNSAFE_TITLE, MemoryNewsroom

FORCE = "Brackenfold Constabulary"


def _story(
    slug: str,
    title: str,
    when: date,
    kind: StoryKind = "other",
    inspection_type: str | None = None,
    force: str | None = FORCE,
) -> Story:
    article = Article(
        "Brackenfold Bugle",
        slug,
        f"https://bugle.example/{slug}",
        title,
        None,
        datetime.combine(when, time(8, 0), tzinfo=UTC),
        "",
        "A few words for the fixture.",
    )
    return Story(slug, title, kind, force, (article,), inspection_type)


def stories() -> list[MergedStory]:
    """Newest first, as the list shows them."""
    peel = _story("peel", "Brackenfold told to record crime better", date(2023, 10, 5))
    peel = Story(peel.id, peel.title, "inspection", FORCE, peel.articles, "peel")
    cdi = _story(
        "cdi",
        "Brackenfold now records crime well",
        date(2024, 9, 19),
        "inspection",
        "crime-data-integrity",
    )
    panel = _story("panel", "Panel to question chief on recording", date(2024, 11, 1), "meeting")
    news = _story("news", "New bike patrols in Brackenfold town centre", date(2024, 11, 5))
    lost = _story("lost", "Storm warning for the county", date(2024, 11, 4), force=None)
    away = _story(
        "away", "Fenland force opens new station", date(2024, 11, 3), force="Fenland Police"
    )

    def grade(story: Story, area: str, label: str, value: str) -> GradeFact:
        return GradeFact(area, label, value, (story.articles[0].link,))

    leaders = (
        PersonFact("Morwenna Tate", "Police and Crime Commissioner", ("Mrs Tate",)),
        PersonFact("Idris Pell", "Chief Constable", ()),
    )
    return [
        MergedStory(news),
        MergedStory(lost),
        MergedStory(away),
        MergedStory(
            panel,
            meetings=(
                MeetingFact(
                    "Police and Crime Panel", date(2024, 11, 20), time(10, 0), None, ("x",)
                ),
            ),
            people=leaders[:1],
        ),
        MergedStory(
            cdi, grades=(grade(cdi, "recording-data", "Recording data about crime", "good"),)
        ),
        MergedStory(
            peel,
            grades=(
                grade(peel, "recording-data", "Recording data about crime", "requires-improvement"),
                grade(peel, "leadership", "Leadership and force management", "good"),
            ),
            people=leaders,
        ),
    ]


def room(**kwargs: object) -> MemoryNewsroom:
    return MemoryNewsroom(stored=stories(), **kwargs)  # type: ignore[arg-type]


async def press_f(pilot: Pilot[None], app: HeraldApp) -> ForceScreen:
    await pilot.press("F")
    await wait_workers(app)
    await pilot.pause()
    assert isinstance(app.screen, ForceScreen)
    return app.screen


async def tab_to(pilot: Pilot[None], screen: ForceScreen, story_id: str) -> None:
    pane = screen.pane
    for _ in range(len(pane.entries)):
        await pilot.press("tab")
        if pane.current_story == story_id:
            return
    raise AssertionError(f"no entry opens {story_id}")


async def test_f_on_the_list_opens_the_highlighted_storys_force(make_app: AppFactory) -> None:
    newsroom = room()
    app = make_app(newsroom=newsroom)
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        screen = await press_f(pilot, app)
        assert screen.state.force == FORCE and newsroom.force_views == [FORCE]
        view = screen.state.view
        assert view is not None and not screen.state.loading
        assert [i.story.story.id for i in view.inspections] == ["peel", "cdi"]
        assert [m.meeting.name for m in view.meetings] == ["Police and Crime Panel"]
        assert [(p.role, p.name) for p in view.people] == [
            ("Police and Crime Commissioner", "Morwenna Tate"),
            ("Chief Constable", "Idris Pell"),
        ]
        assert [s.id for s in view.recent] == ["news", "panel", "cdi", "peel"]
        assert isinstance(app.focused, ForcePane)
        text = screen_text(app)
        assert FORCE in text and "2 inspections · 1 upcoming meeting · 4 stories" in text
        assert "Inspections" in text and "Grades over time" in text
        await pilot.press("G")
        await pilot.pause()
        text = screen_text(app)
        assert "Recent stories" in text and "New bike patrols in Brackenfold town centre" in text


async def test_the_grid_reads_at_80_columns(make_app: AppFactory) -> None:
    app = make_app(newsroom=room())
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        await press_f(pilot, app)
        lines = screen_text(app).split("\n")
        grid = [line for line in lines if "Recording data about crime" in line]
        assert len(grid) == 1 and "▼ RI" in grid[0] and "▲ Good ↑" in grid[0]
        assert any("Oct 2023" in line and "Sep 2024" in line for line in lines)
        assert any("PEEL" in line and "CDI" in line for line in lines)


async def test_escape_goes_back_to_the_list(make_app: AppFactory) -> None:
    app = make_app(newsroom=room())
    async with app.run_test(size=(80, 24)) as pilot:
        main = await loaded(pilot, app)
        await press_f(pilot, app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main and main.state.reading is None
        assert isinstance(app.focused, StoryList)
        await press_f(pilot, app)
        await pilot.press("q")
        await pilot.pause()
        assert app.screen is main, "q goes back here, it does not quit"


async def test_enter_on_an_inspection_opens_that_story(make_app: AppFactory) -> None:
    newsroom = room()
    app = make_app(newsroom=newsroom)
    async with app.run_test(size=(80, 24)) as pilot:
        main = await loaded(pilot, app)
        screen = await press_f(pilot, app)
        await pilot.press("tab")
        assert screen.pane.current_story == "peel", "the oldest inspection comes first"
        await pilot.press("enter")
        await wait_workers(app)
        await pilot.pause()
        assert app.screen is main and main.state.reading == "peel"
        view = main.story_view
        assert view.story is not None and view.story.story.id == "peel"
        assert isinstance(app.focused, StoryView)
        assert main.story_list.current is not None and main.story_list.current.story.id == "peel"
        # Escape from the story goes back to the force's screen it was opened from, and
        # escape there to the list; a story opened from the list goes back to the list.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ForceScreen) and main.state.reading is None
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main
        await pilot.press("enter")
        await pilot.pause()
        assert main.state.reading is not None
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main and main.state.reading is None


async def test_enter_on_a_meeting_or_a_recent_story_opens_it(make_app: AppFactory) -> None:
    app = make_app(newsroom=room())
    async with app.run_test(size=(80, 24)) as pilot:
        main = await loaded(pilot, app)
        screen = await press_f(pilot, app)
        entries = [e.story_id for e in screen.pane.entries]
        assert entries == ["peel", "cdi", "panel", "news", "panel", "cdi", "peel"]
        await tab_to(pilot, screen, "panel")
        await pilot.press("enter")
        await wait_workers(app)
        await pilot.pause()
        assert main.state.reading == "panel"
        screen = await press_f(pilot, app)  # from the story open: its force
        await pilot.press("shift+tab", "shift+tab", "shift+tab", "shift+tab")
        assert screen.pane.current_story == "news"
        await pilot.press("enter")
        await wait_workers(app)
        await pilot.pause()
        assert main.state.reading == "news"


async def test_f_in_a_story_and_escape_back_to_it(make_app: AppFactory) -> None:
    newsroom = room()
    app = make_app(newsroom=newsroom)
    async with app.run_test(size=(80, 24)) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("j", "j", "j", "enter")  # the panel story (after news, lost, away)
        await wait_workers(app)
        assert main.state.reading == "panel"
        screen = await press_f(pilot, app)
        assert screen.state.force == FORCE
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main and main.state.reading == "panel", "still reading it"
        assert isinstance(app.focused, StoryView)


async def test_a_story_without_a_force_says_so(make_app: AppFactory) -> None:
    newsroom = room()
    app = make_app(newsroom=newsroom)
    seen = Messages()
    async with app.run_test(size=(80, 24), message_hook=seen) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("j", "F")
        await pilot.pause()
        assert main.story_list.current is not None
        assert main.story_list.current.story.id == "lost"
        assert app.screen is main and newsroom.force_views == []
        assert any("names no force" in str(n.message) for n in seen.notes())


async def test_the_screen_says_it_is_reading_until_the_view_arrives(make_app: AppFactory) -> None:
    gate = threading.Event()
    app = make_app(newsroom=room(force_gate=gate))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        await pilot.press("F")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ForceScreen) and screen.state.loading
        assert LOADING in screen_text(app) and FORCE in screen_text(app)
        assert "Grades over time" not in screen_text(app)
        await pilot.press("tab", "enter")  # nothing to open yet: nothing happens
        assert isinstance(app.screen, ForceScreen)
        gate.set()
        await wait_workers(app)
        await pilot.pause()
        assert not screen.state.loading and "Grades over time" in screen_text(app)


async def test_a_failed_view_is_said_and_escape_still_goes_back(make_app: AppFactory) -> None:
    app = make_app(newsroom=room(broken={"force_view"}))
    seen = Messages()
    async with app.run_test(size=(80, 24), message_hook=seen) as pilot:
        main = await loaded(pilot, app)
        screen = await press_f(pilot, app)
        assert screen.state.error is not None
        assert "Cannot show this force" in screen_text(app)
        assert any(n.title == "Cannot show this force" for n in seen.notes())
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main


def test_help_lists_the_force_screens_keys(make_app: AppFactory) -> None:
    app = make_app(newsroom=room())
    screen = ForceScreen(room(), FORCE, today=date(2024, 11, 6))
    ((title, commands),) = app.help_sections(screen)
    assert title == "Force" and commands == FORCE_COMMANDS


# ---------------------------------------------------------------- the layout, without an app


def _view(columns: int) -> ForceView:
    """A force inspected `columns` times, its crime recording improving each time."""
    grades = ["inadequate", "requires-improvement", "adequate", "good", "outstanding"]
    inspections = []
    for n in range(columns):
        story = _story(f"i{n}", f"Inspection {n}", date(2018 + n, 5, 1), "inspection", "peel")
        previous = (
            PreviousGrade(grades[(n - 1) % 5], f"i{n - 1}", date(2017 + n, 5, 1)) if n else None
        )
        fact = GradeFact(
            "recording-data", "Recording data about crime", grades[n % 5], (), (), previous
        )
        merged = MergedStory(story, grades=(fact,), previous_inspection=f"i{n - 1}" if n else None)
        inspections.append(ForceInspection(merged, date(2018 + n, 5, 1)))
    row = GradeRow(
        "recording-data",
        "Recording data about crime",
        tuple(i.story.grades[0] for i in inspections),
    )
    return ForceView(FORCE, tuple(inspections), tuple(inspections), (row,), stories=columns)


def test_the_grid_shows_the_latest_columns_that_fit_and_says_so() -> None:
    view = _view(5)
    wide = [line.plain for line in grade_grid(view, 90)]
    assert "May 2018" in wide[0] and "May 2022" in wide[0]
    assert not any("not shown" in line for line in wide)
    narrow = [line.plain for line in grade_grid(view, 50)]
    assert all(len(line) <= 50 for line in narrow)
    assert "May 2018" not in narrow[0] and "May 2022" in narrow[0]
    shown = narrow[0].count("May 20")
    assert shown == (50 - 16) // CELL
    assert f"{5 - shown} earlier inspections not shown (too narrow)" in narrow
    assert "RI requires improvement" in " ".join(narrow[-2:])


def test_a_cell_is_symbol_short_word_and_arrow() -> None:
    view = _view(3)
    cells = [
        grid_cell(fact, c).plain for fact, c in zip(view.grid[0].cells, view.columns, strict=True)
    ]
    assert cells == ["✖ Inad", "▼ RI ↑", "◆ Adeq ↑"]
    assert grid_cell(None, view.columns[0]).plain == "·"


def test_people_are_grouped_by_role() -> None:
    people = (
        ForcePerson("Morwenna Tate", "Police and Crime Commissioner", 3, date(2024, 11, 1)),
        ForcePerson("Idris Pell", "Chief Constable", 1, date(2023, 10, 5)),
        ForcePerson("Osian Bright", "Chief Constable", 2, None),
    )
    entries = [e.plain.split("\n") for e in people_entries(people)]
    assert entries == [
        ["Police and Crime Commissioner", "  Morwenna Tate · 3 stories, last 1 Nov 2024"],
        [
            "Chief Constable",
            "  Idris Pell · 1 story, last 5 Oct 2023",
            "  Osian Bright · 2 stories",
        ],
    ]


def test_text_from_feeds_is_shown_as_written() -> None:
    story = _story("unsafe", UNSAFE_TITLE, date(2024, 11, 3))
    lines = story_entry(story).plain.split("\n")
    assert lines[1] == UNSAFE_TITLE.replace("\x1b", "␛")
    assert summary(ForceView(FORCE, stories=1)).startswith("no inspections · no upcoming")


async def test_side_by_side_f_from_the_list_and_from_the_story(make_app: AppFactory) -> None:
    app = make_app(newsroom=room())
    async with app.run_test(size=(160, 50)) as pilot:
        main = await loaded(pilot, app)
        screen = await press_f(pilot, app)
        await pilot.press("escape")
        await pilot.pause()
        assert main.state.reading is None
        await pilot.press("tab")  # side by side, tab moves focus to the story
        await pilot.pause()
        assert main.state.reading is not None
        screen = await press_f(pilot, app)
        assert screen.state.force == FORCE
