"""The agenda: every story's public meetings in one list, soonest first, with days away.

`build_agenda` takes merged stories (only their meetings are read) and a day; the
`meetings` command writes the result as text, as JSON (`heraldtui.meetings/1`, below) or
as a calendar (`ics.render_agenda_ics`), and the reader's agenda screen shows the same
records. Within a day, meetings with no stated time come first (as a calendar shows
all-day events), then by time, then by name.

JSON shape (keys may be added, never renamed):

    {"schema": "heraldtui.meetings/1", "generated_at": "...", "today": "YYYY-MM-DD",
     "meetings": [{"uid", "name", "date", "time", "url", "where", "weekday_mismatch",
                   "sources", "days_away", "story", "headline", "force"}]}
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from heraldtui.core.models import AgendaItem, MeetingFact, MergedStory
from heraldtui.core.output.digest import meeting_to_dict
from heraldtui.core.output.wording import agenda_days, meeting_day
from heraldtui.core.read.forces import force_bodies
from heraldtui.core.read.lexicon import GENERIC_MEETING_NAMES

SCHEMA = "heraldtui.meetings/1"


def meeting_uid(meeting: MeetingFact) -> str:
    """A meeting's lasting id (the calendar's UID): from its date and its earliest source,
    the link of the first article that states it.

    Not from the story id, which changes when an earlier article joins the story; not
    from the name, which improves as outlets name the meeting properly; not from the
    force, which a new article can settle. The pair is unique: a story keeps one meeting
    per date, and an article belongs to one story. It changes only when an article
    published before every source of the meeting joins and states it too.
    """
    first = meeting.sources[0] if meeting.sources else meeting.name
    key = f"{meeting.date.isoformat()}\x1f{first}"
    return f"{hashlib.blake2b(key.encode(), digest_size=12).hexdigest()}@heraldtui"


def build_agenda(
    stories: Iterable[MergedStory], today: date, *, include_past: bool = False
) -> list[AgendaItem]:
    """Every meeting of `stories` (from `today` on, or all with `include_past`), in order."""
    items = [
        AgendaItem(m, s.story.id, s.story.title, s.story.force, (m.date - today).days)
        for s in stories
        for m in s.meetings
        if include_past or m.date >= today
    ]
    return sorted(_one_per_meeting(items), key=_order)


def _one_per_meeting(items: list[AgendaItem]) -> list[AgendaItem]:
    """A meeting two stories report (a panel covered with the inspection and again with
    the budget) listed once: the item telling most about it, given what the others add.

    A story already keeps one meeting per date; across stories, two items are one meeting
    when they fall on the same day, at the same time or one without a time, and share
    their link, or, under the same force, their name (a generic name such as "panel"
    matching a name that holds it, and a force-wide body such as the police and crime
    panel however it is worded).
    """
    by_day: dict[date, list[AgendaItem]] = {}
    for item in items:
        by_day.setdefault(item.meeting.date, []).append(item)
    out: list[AgendaItem] = []
    for day_items in by_day.values():
        groups: list[list[AgendaItem]] = []
        for item in sorted(day_items, key=_detail, reverse=True):
            same = next((g for g in groups if _same_meeting(g[0], item)), None)
            if same is None:
                groups.append([item])
            else:
                same.append(item)
        out.extend(_combined(group) for group in groups)
    return out


def _detail(item: AgendaItem) -> tuple[int, int, str]:
    m = item.meeting
    known = (m.time is not None) + (m.url is not None) + (m.where is not None)
    proper = m.name.casefold() not in GENERIC_MEETING_NAMES
    return (known + proper, len(m.sources), meeting_uid(m))


def _same_meeting(kept: AgendaItem, other: AgendaItem) -> bool:
    a, b = kept.meeting, other.meeting
    if a.time is not None and b.time is not None and a.time != b.time:
        return False
    if a.url is not None and a.url == b.url:
        return True
    if kept.force is None or kept.force != other.force:
        return False
    first, second = a.name.casefold(), b.name.casefold()
    if first == second:
        return True
    if (first in GENERIC_MEETING_NAMES and first in second) or (
        second in GENERIC_MEETING_NAMES and second in first
    ):
        return True  # "the panel" and the panel named in full
    return bool(force_bodies(first) & force_bodies(second))


def _combined(group: list[AgendaItem]) -> AgendaItem:
    """The first (most detailed) item, with what only the others know filled in."""
    kept, rest = group[0], group[1:]
    if not rest:
        return kept
    m = kept.meeting
    others = [o.meeting for o in rest]
    meeting = dataclasses.replace(
        m,
        time=m.time or next((o.time for o in others if o.time), None),
        url=m.url or next((o.url for o in others if o.url), None),
        where=m.where or next((o.where for o in others if o.where), None),
        sources=tuple(dict.fromkeys([*m.sources, *(s for o in others for s in o.sources)])),
        weekday_mismatch=m.weekday_mismatch or any(o.weekday_mismatch for o in others),
    )
    return dataclasses.replace(kept, meeting=meeting)


def _order(item: AgendaItem) -> tuple[date, bool, str, str, str]:
    m = item.meeting
    clock = m.time.strftime("%H:%M") if m.time is not None else ""
    return (m.date, m.time is not None, clock, m.name.casefold(), item.story_id)


def empty_message(include_past: bool) -> str:
    """What the agenda says when it lists nothing."""
    return "no meetings" if include_past else "no upcoming meetings"


def render_text(items: Sequence[AgendaItem], *, include_past: bool = False) -> str:
    """One block per meeting: its day and days away, its name, where it comes from, its
    link; or one line saying there are none."""
    if not items:
        return empty_message(include_past) + "\n"
    blocks = []
    for item in items:
        m = item.meeting
        lines = [f"{meeting_day(m)} ({agenda_days(item.days_away)})", f"  {m.name}"]
        if m.where:
            lines.append(f"  where: {m.where}")
        origin = f"{item.force} · {item.headline}" if item.force else item.headline
        lines.append(f"  {origin}")
        link = m.url or (m.sources[0] if m.sources else None)
        if link:
            lines.append(f"  {link}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def item_to_dict(item: AgendaItem) -> dict[str, Any]:
    m = item.meeting
    return {
        "uid": meeting_uid(m),
        **meeting_to_dict(m),
        "days_away": item.days_away,
        "story": item.story_id,
        "headline": item.headline,
        "force": item.force,
    }


def render_json(items: Sequence[AgendaItem], today: date, generated_at: datetime) -> str:
    doc = {
        "schema": SCHEMA,
        "generated_at": generated_at.isoformat(),
        "today": today.isoformat(),
        "meetings": [item_to_dict(i) for i in items],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
