"""The meetings of a digest as an RFC 5545 calendar, for any calendar app.

`icalendar` does the folding, escaping and time zones; we only decide the fields. Times
in articles are UK local times, so events carry the Europe/London zone; a meeting with no
stated time becomes an all-day event. UIDs are derived from the story, date and name, so
importing the file twice updates events instead of duplicating them.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar

from heraldtui import __version__
from heraldtui.core.models import Digest

LONDON = ZoneInfo("Europe/London")


def render_ics(digest: Digest) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//heraldtui//heraldtui {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "heraldtui meetings")
    for merged in digest.stories:
        for meeting in merged.meetings:
            event = icalendar.Event()
            key = f"{merged.story.id}|{meeting.date.isoformat()}|{meeting.name}"
            uid = hashlib.blake2b(key.encode(), digest_size=12).hexdigest()
            event.add("uid", f"{uid}@heraldtui")
            event.add("dtstamp", digest.generated_at)
            event.add("summary", meeting.name)
            if meeting.time is not None:
                start = datetime.combine(meeting.date, meeting.time, tzinfo=LONDON)
                event.add("dtstart", start)
                event.add("dtend", start + timedelta(hours=2))
            else:
                event.add("dtstart", meeting.date)
            if meeting.url:
                event.add("url", meeting.url)
            if meeting.where:
                event.add("location", meeting.where)
            sources = "\n".join(meeting.sources)
            event.add("description", f"{merged.story.title}\n\nSources:\n{sources}")
            cal.add_component(event)
    data: bytes = cal.to_ical()
    return data
