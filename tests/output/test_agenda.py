"""The agenda across stories: order, days away, past meetings, text and JSON."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time

from heraldtui.core.models import Article, MeetingFact, MergedStory, Story
from heraldtui.core.output.agenda import build_agenda, render_json, render_text
from heraldtui.core.output.wording import agenda_days

TODAY = date(2024, 11, 6)


def story(sid: str, force: str | None, *meetings: tuple[str, date, time | None]) -> MergedStory:
    source = Article(
        "Outlet", sid, f"https://o.example/{sid}", f"Headline {sid}", None,
        datetime(2024, 11, 1, tzinfo=UTC), "", "",
    )  # fmt: skip
    facts = tuple(MeetingFact(n, d, t, None, (source.link,)) for n, d, t in meetings)
    return MergedStory(Story(sid, source.title, "meeting", force, (source,)), meetings=facts)


STORIES = [
    story("a", "Kent Police", ("Panel", date(2024, 11, 14), time(10, 30))),
    story(
        "b",
        None,
        ("Forum", date(2024, 11, 14), time(9, 0)),
        ("Old forum", date(2024, 10, 1), time(19, 0)),
    ),
    story("c", "Kent Police", ("Drop-in", date(2024, 11, 14), None)),
    story("d", None, ("Surgery", date(2024, 11, 6), None)),
]


def test_soonest_first_all_day_before_timed_and_days_away() -> None:
    items = build_agenda(STORIES, TODAY)
    assert [i.meeting.name for i in items] == ["Surgery", "Drop-in", "Forum", "Panel"]
    assert [i.days_away for i in items] == [0, 8, 8, 8]
    assert [i.story_id for i in items] == ["d", "c", "b", "a"]
    assert items[-1].headline == "Headline a" and items[-1].force == "Kent Police"


def test_past_meetings_only_when_asked() -> None:
    items = build_agenda(STORIES, TODAY, include_past=True)
    assert items[0].meeting.name == "Old forum" and items[0].days_away == -36
    assert len(items) == 5
    assert build_agenda(STORIES, date(2024, 12, 1)) == []


def test_days_away_words() -> None:
    assert [agenda_days(d) for d in (-9, -1, 0, 1, 8)] == [
        "9 days ago",
        "yesterday",
        "today",
        "tomorrow",
        "in 8 days",
    ]


def test_text_and_json() -> None:
    items = build_agenda(STORIES, TODAY)
    text = render_text(items)
    assert text.startswith("Wednesday 6 November 2024 (today)\n  Surgery\n  Headline d\n")
    assert "Thursday 14 November 2024, 10:30 (in 8 days)\n  Panel\n  Kent Police · Headline a" in (
        text
    )
    assert render_text([]) == "no upcoming meetings\n"
    assert render_text([], include_past=True) == "no meetings\n"
    doc = json.loads(render_json(items, TODAY, datetime(2024, 11, 6, 8, tzinfo=UTC)))
    assert doc["schema"] == "heraldtui.meetings/1" and doc["today"] == "2024-11-06"
    panel = doc["meetings"][-1]
    assert {k: panel[k] for k in ("name", "date", "time", "days_away", "story", "force")} == {
        "name": "Panel",
        "date": "2024-11-14",
        "time": "10:30",
        "days_away": 8,
        "story": "a",
        "force": "Kent Police",
    }
    assert panel["sources"] == ["https://o.example/a"] and panel["uid"].endswith("@heraldtui")


def test_a_meeting_two_stories_report_is_listed_once_with_what_each_adds() -> None:
    """The panel reported with an inspection and again with the budget: one item, its time
    from the story that gave one, both stories' sources; a different meeting that day, or
    another force's panel, stays apart."""
    day = date(2024, 11, 20)
    budget = story("budget", "Kent Police", ("Kent Police and Crime Panel", day, None))
    review = story("review", "Kent Police", ("police and crime panel", day, time(10, 0)))
    other_force = story("sussex", "Sussex Police", ("Police and Crime Panel", day, time(10, 0)))
    other_meeting = story("forum", "Kent Police", ("Youth forum", day, time(18, 0)))
    items = build_agenda([budget, review, other_force, other_meeting], TODAY)
    assert [(i.story_id, i.meeting.time) for i in items] == [
        ("review", time(10, 0)),
        ("sussex", time(10, 0)),
        ("forum", time(18, 0)),
    ]
    panel = items[0].meeting
    assert panel.sources == ("https://o.example/review", "https://o.example/budget")
    # Two times that differ are two sittings, even of one body.
    later = story("later", "Kent Police", ("Police and Crime Panel", day, time(14, 0)))
    assert len(build_agenda([review, later], TODAY)) == 2
    # A generic name is the same meeting as a name holding it, not as any other.
    short = story("short", "Kent Police", ("Panel", day, None))
    assert [i.story_id for i in build_agenda([short, review, other_meeting], TODAY)] == [
        "review",
        "forum",
    ]
