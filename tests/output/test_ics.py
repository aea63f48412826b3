"""Meetings as an RFC 5545 calendar: read back by `icalendar` and by `ical`, two readers
written apart, so the file does not rely on one library's leniency."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
from ical.calendar_stream import IcsCalendarStream

from heraldtui.core.errors import EmptyCalendar
from heraldtui.core.models import AgendaItem, Article, MeetingFact, MergedStory, Story
from heraldtui.core.output.agenda import build_agenda, meeting_uid
from heraldtui.core.output.digest import build_digest
from heraldtui.core.output.ics import london_timezone, render_agenda_ics, render_ics

LONDON = ZoneInfo("Europe/London")
STAMP = datetime(2024, 6, 1, tzinfo=UTC)


def article(slug: str, day: int) -> Article:
    return Article(
        "Outlet", slug, f"https://o.example/{slug}", slug, None,
        datetime(2024, 6, day, 9, tzinfo=UTC), "", "",
    )  # fmt: skip


def panel_story() -> MergedStory:
    first = article("panel", 3)
    story = Story("s1", 'Panel to meet; chief, "questioned"', "meeting", None, (first,))
    return MergedStory(
        story,
        meetings=(
            MeetingFact(
                "Police and crime panel",
                date(2024, 7, 4),
                time(19, 0),
                "https://o.example/live",
                (first.link,),
                where="Town hall, Ware",
            ),
            MeetingFact("Public meeting", date(2024, 12, 2), None, None, (first.link,)),
        ),
    )


def uids(data: bytes) -> list[str]:
    return [str(e["uid"]) for e in icalendar.Calendar.from_ical(data).walk("VEVENT")]


def test_meetings_become_events_in_uk_time_with_stable_uids() -> None:
    merged = panel_story()
    first = render_ics(build_digest([merged], STAMP))
    assert first == render_ics(build_digest([merged], STAMP))
    later = render_ics(build_digest([merged], datetime.now(UTC)))
    assert uids(first) == uids(later)  # re-importing updates
    events = list(icalendar.Calendar.from_ical(first).walk("VEVENT"))
    assert len(events) == 2
    summer = events[0]
    start = summer.decoded("dtstart")
    assert start.utcoffset().total_seconds() == 3600 and start.hour == 19
    assert str(summer["location"]) == "Town hall, Ware"
    assert str(summer["url"]) == "https://o.example/live"
    assert events[1].decoded("dtstart") == date(2024, 12, 2)
    assert "DTSTART;TZID=Europe/London:20240704T190000" in first.decode()


def test_no_invented_end_a_timezone_and_the_same_reading_by_ical() -> None:
    data = render_ics(build_digest([panel_story()], STAMP))
    text = data.decode()
    assert "DTEND" not in text and "DURATION" not in text
    assert "DTSTART;VALUE=DATE:20241202" in text
    assert text.count("BEGIN:VTIMEZONE") == 1 and "DTSTAMP:20240601T000000Z" in text
    timed, all_day = IcsCalendarStream.calendar_from_ics(text).events
    assert timed.dtstart == datetime(2024, 7, 4, 19, tzinfo=LONDON)
    assert timed.end == timed.dtstart, "a start-only event ends when it starts"
    assert all_day.dtstart == date(2024, 12, 2) and all_day.end == date(2024, 12, 3)
    assert [timed.uid, all_day.uid] == uids(data)
    assert timed.description is not None
    assert timed.description.startswith('Panel to meet; chief, "questioned"\n')


def test_the_timezone_is_the_uk_rule_every_year_a_meeting_can_fall_in() -> None:
    """The VTIMEZONE alone (as a program with no zone database reads it) against tzdata,
    every five hours from 1997 to 2037, and each day's 10:30 read as local time."""
    zone = london_timezone().to_tz()
    moment = datetime(1997, 1, 1, tzinfo=UTC)
    while moment.year < 2038:
        assert moment.astimezone(zone).utcoffset() == moment.astimezone(LONDON).utcoffset()
        local = datetime.combine(moment.date(), time(10, 30))
        assert local.replace(tzinfo=zone).utcoffset() == local.replace(tzinfo=LONDON).utcoffset()
        moment += timedelta(hours=5)


def test_a_calendar_of_only_all_day_events_needs_no_timezone() -> None:
    merged = panel_story()
    merged = dataclasses.replace(merged, meetings=merged.meetings[1:])
    text = render_ics(build_digest([merged], STAMP)).decode()
    assert "VTIMEZONE" not in text and "VALUE=DATE" in text
    assert len(IcsCalendarStream.calendar_from_ics(text).events) == 1


def test_uid_holds_when_the_story_gains_an_earlier_article_a_name_and_a_force() -> None:
    merged = panel_story()
    before = uids(render_ics(build_digest([merged], STAMP)))
    earlier = article("teaser", 1)  # names no date: not a source of the meetings
    story = dataclasses.replace(
        merged.story,
        id="s0",  # the story's id follows its earliest article
        articles=(earlier, *merged.story.articles),
        force="Hertfordshire Constabulary",
    )
    later = article("named", 5)
    meetings = tuple(
        dataclasses.replace(m, name=f"Herts {m.name}", sources=(*m.sources, later.link))
        for m in merged.meetings
    )
    grown = MergedStory(story, meetings=meetings)
    assert uids(render_ics(build_digest([grown], STAMP))) == before
    items = build_agenda([grown], date(2024, 6, 20), include_past=True)
    assert uids(render_agenda_ics(items, STAMP)) == before
    moved = dataclasses.replace(meetings[0], date=date(2024, 7, 5))
    assert meeting_uid(moved) != before[0], "another date is another meeting"


def test_uids_are_unique_and_awkward_text_survives_both_readers() -> None:
    stories = []
    for n in range(3):
        source = article(f"s{n}", n + 1)
        name = "Côte d'Azur; Q&A, forum\\panel " + "long words " * 12
        meeting = MeetingFact(name, date(2024, 7, 4), time(9, 0), None, (source.link,))
        story = Story(f"s{n}", "Line one\nline two, with a comma", "meeting", None, (source,))
        stories.append(MergedStory(story, meetings=(meeting,)))
    data = render_ics(build_digest(stories, STAMP))
    assert len(set(uids(data))) == 3, "same day, three stories: three events"
    events = IcsCalendarStream.calendar_from_ics(data.decode()).events
    assert [e.summary for e in events] == [stories[0].meetings[0].name] * 3
    assert all(len(line) <= 75 for line in data.split(b"\r\n")), "lines folded"


def test_no_meeting_is_no_calendar() -> None:
    empty = MergedStory(Story("s", "Nothing planned", "other", None, (article("x", 1),)))
    with pytest.raises(EmptyCalendar):
        render_ics(build_digest([empty], STAMP))
    with pytest.raises(EmptyCalendar):
        render_agenda_ics([], STAMP)


def test_agenda_items_carry_their_story_into_the_description() -> None:
    meeting = panel_story().meetings[0]
    item = AgendaItem(meeting, "s1", "Headline", "Kent Police", 3)
    [event] = icalendar.Calendar.from_ical(render_agenda_ics([item], STAMP)).walk("VEVENT")
    assert str(event["description"]).split("\n")[:2] == ["Headline", "Kent Police"]


def test_a_meeting_two_stories_report_is_one_event() -> None:
    """The same panel, linked from a second story about the budget: one VEVENT, whose UID
    is the one the first story alone gives it."""
    alone = build_digest([panel_story()], STAMP)
    budget_article = article("budget", 5)
    budget = MergedStory(
        Story("s2", "Budget goes to the panel", "meeting", None, (budget_article,)),
        meetings=(
            MeetingFact(
                "Police and crime panel",
                date(2024, 7, 4),
                None,
                "https://o.example/live",
                (budget_article.link,),
            ),
        ),
    )
    both = render_ics(build_digest([panel_story(), budget], STAMP))
    assert uids(both) == uids(render_ics(alone))
