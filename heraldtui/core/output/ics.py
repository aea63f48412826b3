"""Meetings as an RFC 5545 calendar that every calendar program reads the same way.

`icalendar` does the folding and escaping; we decide the fields:

- **Time zone.** Times in articles are UK local times: a timed event's start carries
  `TZID=Europe/London`, and the calendar defines that zone in a `VTIMEZONE` (the UK rule
  since 1996, as yearly rules), so a program that has no zone database of its own, or
  does not trust a bare zone name, still places it right. Only the calendar's stamp is UTC.
- **No invented end.** A meeting with a time is a start-only event (`DTSTART` alone: RFC
  5545, 3.6.1, makes it end when it starts); a meeting with no time is an all-day event
  (`DTSTART;VALUE=DATE`, one day long by the same rule). No article says when a meeting
  ends, so neither does the calendar.
- **Stable UIDs.** A UID is derived from the meeting's date and its earliest source
  (`agenda.meeting_uid` says why those), so importing a later file updates events
  instead of duplicating them, after the story gains articles or the meeting a name.
- **No empty calendar.** With no meeting there is no calendar: `EmptyCalendar` is raised
  and the caller says so, since some programs refuse a `VCALENDAR` without a component.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

import icalendar

from heraldtui import __version__
from heraldtui.core.errors import EmptyCalendar
from heraldtui.core.models import AgendaItem, Digest, MeetingFact
from heraldtui.core.output.agenda import build_agenda, meeting_uid

TZID = "Europe/London"
_RULES_FROM = 1996
"""The year the UK's present rule began (the EU's, last Sunday of March and October)."""

Entry = tuple[MeetingFact, str, str | None]
"""A meeting, the headline of its story and the story's force."""


def london_timezone() -> icalendar.Timezone:
    """Europe/London as a `VTIMEZONE`: BST from 01:00 GMT on the last Sunday of March, GMT
    from 02:00 BST on the last Sunday of October."""
    zone = icalendar.Timezone()
    zone.add("tzid", TZID)
    zone.add("x-lic-location", TZID)
    for kind, month, day, hour, before, after, name in (
        (icalendar.TimezoneDaylight, 3, 31, 1, 0, 1, "BST"),
        (icalendar.TimezoneStandard, 10, 27, 2, 1, 0, "GMT"),
    ):
        part = kind()
        part.add("dtstart", datetime(_RULES_FROM, month, day, hour))
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1su"})
        part.add("tzoffsetfrom", timedelta(hours=before))
        part.add("tzoffsetto", timedelta(hours=after))
        part.add("tzname", name)
        zone.add_component(part)
    return zone


def _event(
    meeting: MeetingFact, headline: str, force: str | None, stamp: datetime
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", stamp)
    event.add("summary", meeting.name)
    if meeting.time is not None:
        start = datetime.combine(meeting.date, meeting.time)  # UK local, named by TZID
        event.add("dtstart", start, parameters={"TZID": TZID})
    else:
        event.add("dtstart", meeting.date)
    if meeting.url:
        event.add("url", meeting.url)
    if meeting.where:
        event.add("location", meeting.where)
    lines = [headline]
    if force:
        lines.append(force)
    if meeting.weekday_mismatch:
        lines.append("A source gives a weekday that does not fall on this date.")
    lines += ["", "Sources:", *meeting.sources]
    event.add("description", "\n".join(lines))
    return event


def render_calendar(entries: Iterable[Entry], stamp: datetime) -> bytes:
    """The calendar of `entries`, in their order; `EmptyCalendar` when there are none."""
    events = [_event(m, headline, force, stamp.astimezone(UTC)) for m, headline, force in entries]
    if not events:
        raise EmptyCalendar("no meeting to put in a calendar")
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//heraldtui//heraldtui {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "heraldtui meetings")
    if any("TZID" in e["dtstart"].params for e in events):
        cal.add_component(london_timezone())
    for event in events:
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


def render_ics(digest: Digest) -> bytes:
    """The meetings of a digest's stories, past ones too, soonest first, a meeting two
    stories report once (`build_agenda`); `EmptyCalendar` if none."""
    today = digest.generated_at.date()
    items = build_agenda(digest.stories, today, include_past=True)
    return render_agenda_ics(items, digest.generated_at)


def render_agenda_ics(items: Sequence[AgendaItem], stamp: datetime) -> bytes:
    """The agenda's meetings, soonest first; `EmptyCalendar` if none."""
    return render_calendar(((i.meeting, i.headline, i.force) for i in items), stamp)
