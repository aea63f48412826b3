"""A force over time, for its screen (`facts/force_view.py`).

The stories are written for these tests: an invented force inspected three times (a
PEEL report, a crime data revisit, the next PEEL), a monitoring decision, meetings
announced early and late, its commissioner and chief officers under more than one
spelling, and a neighbouring force whose stories must stay out. Facts are set by hand,
as a merge would give them, through a merge that records its calls.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta

from heraldtui.core.facts.force_view import (
    MEETING_NOTICE_DAYS,
    RECENT_STORIES,
    build_force_view,
)
from heraldtui.core.facts.history import ForceHistory
from heraldtui.core.models import (
    Article,
    ForceView,
    GradeCounts,
    GradeFact,
    MeetingFact,
    MergedStory,
    PersonFact,
    Story,
    StoryKind,
)
from heraldtui.core.output.wording import grade_change
from heraldtui.core.read.lexicon import LEADERSHIP_ROLES, ROLES
from tests.facts.test_history import Merges

FORCE = "Saltmere Constabulary"
NEIGHBOUR = "Oakhollow Police"
TODAY = date(2025, 3, 1)


def story(
    slug: str,
    when: date,
    *,
    kind: StoryKind = "other",
    inspection_type: str | None = None,
    force: str | None = FORCE,
    title: str | None = None,
) -> Story:
    headline = title or f"Saltmere news item {slug}"
    article = Article(
        feed="Saltmere Tide",
        guid=slug,
        link=f"https://tide.example/{slug}",
        title=headline,
        author=None,
        published=datetime.combine(when, time(10, 0), tzinfo=UTC),
        summary="",
        content="",
    )
    return Story(f"id-{slug}", headline, kind, force, (article,), inspection_type)


def graded(
    slug: str,
    when: date,
    grades: Mapping[str, str],
    inspection_type: str = "peel",
    **facts: object,
) -> MergedStory:
    s = story(slug, when, kind="inspection", inspection_type=inspection_type)
    link = s.articles[0].link
    found = tuple(GradeFact(area, area.replace("-", " "), g, (link,)) for area, g in grades.items())
    return MergedStory(s, grades=found, **facts)  # type: ignore[arg-type]


def meeting(name: str, when: date) -> MeetingFact:
    return MeetingFact(name, when, time(14, 0), None, ("https://tide.example/m",))


def person(name: str, role: str | None, *variants: str) -> PersonFact:
    return PersonFact(name, role, variants)


def view_of(*merged: MergedStory, today: date = TODAY) -> tuple[ForceView, Merges]:
    merges = Merges(list(merged))
    history = ForceHistory([m.story for m in merged], merges)
    return build_force_view(history, FORCE, today), merges


def inspections() -> list[MergedStory]:
    """PEEL 2022, a crime data revisit in 2023, PEEL 2024, and what is not an inspection."""
    return [
        graded(
            "peel-22",
            date(2022, 4, 7),
            {"leadership": "good", "recording-data": "requires-improvement"},
        ),
        graded("cdi-23", date(2023, 5, 2), {"recording-data": "good"}, "crime-data-integrity"),
        graded(
            "peel-24",
            date(2024, 9, 12),
            {"recording-data": "good", "leadership": "adequate", "responding": "adequate"},
        ),
        # An outlet writing up the 2024 report a month later: coverage, not an inspection.
        graded("peel-24-late", date(2024, 10, 15), {"leadership": "adequate"}),
        MergedStory(
            story("monitor", date(2024, 11, 1), kind="inspection", inspection_type="engage")
        ),
    ]


def test_inspections_in_date_order_and_the_grid_of_their_grades() -> None:
    view, _ = view_of(*reversed(inspections()))
    assert [(i.story.story.id, i.day) for i in view.inspections] == [
        ("id-peel-22", date(2022, 4, 7)),
        ("id-cdi-23", date(2023, 5, 2)),
        ("id-peel-24", date(2024, 9, 12)),
    ]
    assert [c.story.story.id for c in view.columns] == ["id-peel-22", "id-cdi-23", "id-peel-24"]
    grid = {row.area: [c.grade if c else None for c in row.cells] for row in view.grid}
    assert list(grid) == ["recording-data", "responding", "leadership"], "the area table's order"
    assert grid == {
        "recording-data": ["requires-improvement", "good", "good"],
        "responding": [None, None, "adequate"],
        "leadership": ["good", None, "adequate"],
    }
    moves = {
        row.area: [
            grade_change(cell, col.story) if cell else None
            for cell, col in zip(row.cells, view.columns, strict=True)
        ]
        for row in view.grid
    }
    assert moves["recording-data"] == [None, "improved", "same"]
    assert moves["leadership"] == [None, None, "worse"]
    assert moves["responding"] == [None, None, "new"]
    assert view.grid[0].label == "recording data"


def test_an_inspection_without_named_grades_is_listed_but_is_no_column() -> None:
    link = "https://tide.example/counts"
    counts = GradeCounts((("good", 3), ("adequate", 2)), (link,))
    told = graded("peel-21", date(2021, 2, 1), {}, grade_counts=counts)
    view, _ = view_of(told, *inspections())
    assert view.inspections[0].story.story.id == "id-peel-21"
    assert "id-peel-21" not in [c.story.story.id for c in view.columns]
    assert all(len(row.cells) == len(view.columns) == 3 for row in view.grid)


def test_no_inspections_no_grid() -> None:
    view, _ = view_of(MergedStory(story("fete", date(2025, 2, 1))))
    assert view.inspections == view.columns == ()
    assert view.grid == ()
    assert view.stories == 1 and [s.id for s in view.recent] == ["id-fete"]


def test_upcoming_meetings_from_today_soonest_first_once_each() -> None:
    soon = MergedStory(
        story("panel", date(2025, 2, 20), kind="meeting"),
        meetings=(
            meeting("Police and Crime Panel", date(2025, 3, 20)),
            meeting("Past", date(2025, 2, 25)),
        ),
    )
    again = MergedStory(  # another outlet, the same panel, and a public meeting today
        story("panel-2", date(2025, 2, 21), kind="meeting"),
        meetings=(meeting("Police and Crime Panel", date(2025, 3, 20)), meeting("Surgery", TODAY)),
    )
    stale_day = TODAY - timedelta(days=MEETING_NOTICE_DAYS + 1)
    stale = MergedStory(  # announced too long ago to be read for meetings
        story("old-notice", stale_day, kind="meeting"),
        meetings=(meeting("Annual meeting", date(2025, 6, 1)),),
    )
    older = [MergedStory(story(f"n{n}", date(2024, 12, 1) + timedelta(days=n))) for n in range(20)]
    view, merges = view_of(soon, again, stale, *older)
    assert [(m.meeting.name, m.meeting.date) for m in view.meetings] == [
        ("Surgery", TODAY),
        ("Police and Crime Panel", date(2025, 3, 20)),
    ]
    assert view.meetings[1].story == "id-panel-2", "the latest story that gives it"
    assert view.meetings[1].title == "Saltmere news item panel-2"
    assert "id-old-notice" not in merges.calls


def test_the_forces_people_by_role_across_spellings_and_stories() -> None:
    a = MergedStory(
        story("a", date(2023, 1, 5)),
        people=(
            person("Rowena Fairlie", "Police and Crime Commissioner", "Mrs Fairlie"),
            person("Tobias Wren", "Deputy Chief Constable"),
            person("Imogen Slade", "Superintendent"),
        ),
    )
    b = MergedStory(
        story("b", date(2024, 6, 1)),
        people=(
            person("Rowenna Fairlie", "Police and Crime Commissioner"),
            person("Tobias Wren", "Chief Constable", "Mr Wren"),
            person("Ada Quill", "HM Inspector of Constabulary"),
        ),
    )
    c = MergedStory(
        story("c", date(2024, 8, 1)),
        people=(
            person("Rowena Fairlie", "Police and Crime Commissioner"),
            person("Lorcan Hale", "Assistant Chief Constable"),
        ),
    )
    view, _ = view_of(a, b, c)
    assert [(p.name, p.role, p.stories, p.last_seen) for p in view.people] == [
        ("Rowena Fairlie", "Police and Crime Commissioner", 3, date(2024, 8, 1)),
        ("Tobias Wren", "Chief Constable", 2, date(2024, 6, 1)),
        ("Lorcan Hale", "Assistant Chief Constable", 1, date(2024, 8, 1)),
    ]
    assert set(view.people[0].variants) == {"Mrs Fairlie", "Rowenna Fairlie"}
    assert view.people[1].variants == ("Mr Wren",)


def test_a_new_commissioner_comes_before_the_one_they_replaced() -> None:
    old = MergedStory(
        story("old", date(2023, 3, 1)),
        people=(person("Hector Blyth", "Police and Crime Commissioner"),),
    )
    new = MergedStory(
        story("new", date(2024, 7, 1)),
        people=(person("Mina Castell", "Police and Crime Commissioner"),),
    )
    view, _ = view_of(old, new)
    assert [p.name for p in view.people] == ["Mina Castell", "Hector Blyth"]


def test_recent_stories_newest_first_capped_and_only_the_force() -> None:
    ours = [
        MergedStory(story(f"s{n}", date(2024, 1, 1) + timedelta(days=3 * n))) for n in range(30)
    ]
    theirs = MergedStory(story("theirs", date(2025, 2, 28), force=NEIGHBOUR))
    view, _ = view_of(*ours, theirs)
    assert len(view.recent) == RECENT_STORIES
    assert [s.id for s in view.recent] == [f"id-s{n}" for n in range(29, 29 - RECENT_STORIES, -1)]
    assert view.stories == 30


def test_only_what_the_screen_shows_is_merged() -> None:
    """Inspections (and the earlier ones a grade is compared with), the recent stories
    and the meeting stories of the last months: not the force's years of other news."""
    news = [MergedStory(story(f"s{n}", date(2015, 1, 1) + timedelta(days=n))) for n in range(300)]
    meets = [
        MergedStory(story(f"m{n}", date(2016, 1, 1) + timedelta(days=n), kind="meeting"))
        for n in range(50)
    ]
    recent_meeting = MergedStory(story("m-now", date(2025, 1, 10), kind="meeting"))
    view, merges = view_of(*inspections(), *news, *meets, recent_meeting)
    merged = set(merges.calls)
    assert {i.story.story.id for i in view.inspections} <= merged
    assert {s.id for s in view.recent} <= merged
    assert "id-m-now" in merged
    assert len(merged) <= len(inspections()) + RECENT_STORIES + 1


def test_every_leadership_role_is_a_role_the_name_finder_gives() -> None:
    assert set(LEADERSHIP_ROLES) <= set(ROLES.values())
