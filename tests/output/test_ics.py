"""Meetings as an RFC 5545 calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import icalendar

from heraldtui.core.models import Article, MeetingFact, MergedStory, Story
from heraldtui.core.output.digest import build_digest
from heraldtui.core.output.ics import render_ics


def test_meetings_become_events_in_uk_time_with_stable_uids() -> None:
    article = Article("Outlet", "g", "https://o.example/1", "Panel", None, None, "", "")
    story = Story("s1", 'Panel to meet; chief, "questioned"', "meeting", None, (article,))
    merged = MergedStory(
        story,
        meetings=(
            MeetingFact(
                "Police and crime panel",
                date(2024, 7, 4),
                time(19, 0),
                "https://o.example/live",
                (article.link,),
                where="Town hall, Ware",
            ),
            MeetingFact("Public meeting", date(2024, 12, 2), None, None, (article.link,)),
        ),
    )
    stamp = datetime(2024, 6, 1, tzinfo=UTC)
    first = render_ics(build_digest([merged], stamp))
    assert first == render_ics(build_digest([merged], stamp))
    later = icalendar.Calendar.from_ical(render_ics(build_digest([merged], datetime.now(UTC))))
    uids = [str(e["uid"]) for e in icalendar.Calendar.from_ical(first).walk("VEVENT")]
    assert uids == [str(e["uid"]) for e in later.walk("VEVENT")]  # re-importing updates
    cal = icalendar.Calendar.from_ical(first)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 2
    summer = events[0]
    start = summer.decoded("dtstart")
    assert start.utcoffset().total_seconds() == 3600 and start.hour == 19
    assert str(summer["location"]) == "Town hall, Ware"
    assert str(summer["url"]) == "https://o.example/live"
    assert events[1].decoded("dtstart") == date(2024, 12, 2)
    assert "TZID=Europe/London" in first.decode()
