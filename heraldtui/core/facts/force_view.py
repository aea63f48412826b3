"""A force over time, for its screen: inspections, a grade grid, meetings, people, news.

Built from the listing's stories of one force (headers carry the force without a merge)
and the force's history (`history.py`), merging only what the screen shows:

- **Inspections**: the history's inspections of the force (not later coverage of a
  report, not a monitoring decision, not a national report), oldest first, each merged
  with its history, so each grade carries the previous inspection's grade.
- **The grade grid**: one row per area any of them graded by name (the area table's
  order, then areas it does not know, as first met), one column per inspection that
  named grades, oldest first; a cell is that inspection's grade for the area (with its
  previous grade) or empty.
- **Upcoming meetings**: the meetings, dated today or later, of the inspection stories,
  of the meeting stories whose latest report is at most `MEETING_NOTICE_DAYS` old, and
  of the recent stories; soonest first, one entry per date and name (with the story
  that gives it: an inspection, else the latest).
- **People**: those whom these stories give a role that leads or answers for a force
  (`LEADERSHIP_ROLES`: the commissioner, the chief officers), one entry per person
  across stories (the same written name, a variant or the same person's spelling), with
  how many of these stories name them, the role of the latest, and the spelling most of
  them use; listed by role, then the latest seen first.
- **Recent stories**: the force's latest `RECENT_STORIES` stories, newest first, as
  listed (headers; they are merged only for their meetings and people).

A force with thousands of stories costs its inspections, a few months of meeting
stories and `RECENT_STORIES` merges, each cached by the Newsroom.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from heraldtui.core.facts.areas import area_keys, area_label
from heraldtui.core.facts.history import ForceHistory, first_day
from heraldtui.core.facts.people import same_person
from heraldtui.core.models import (
    ForceInspection,
    ForceMeeting,
    ForcePerson,
    ForceView,
    GradeFact,
    GradeRow,
    MergedStory,
    Story,
)
from heraldtui.core.read.dates import uk_date
from heraldtui.core.read.lexicon import LEADERSHIP_ROLES

RECENT_STORIES = 12
"""How many of the force's latest stories its screen lists (a screenful at 80x24 and
more): older news is the main list's, filtered by the force's name."""
MEETING_NOTICE_DAYS = 183
"""How long before a meeting outlets announce it: a meeting story whose latest report is
older than this cannot tell of a meeting still to come, and is not merged."""
_MEETING_KINDS = frozenset({"meeting"})


def last_day(story: Story) -> date | None:
    """The story's latest day (UK date of its newest dated article), None when undated."""
    dated = [a.published for a in story.articles if a.published is not None]
    return uk_date(max(dated)) if dated else None


def build_force_view(history: ForceHistory, force: str, today: date) -> ForceView:
    """The force's screen as of `today` (see the module docstring)."""
    stories = history.stories_of(force)
    inspections = tuple(ForceInspection(m, day) for m, day in history.inspections(force))
    recent = _newest_first(stories)[:RECENT_STORIES]
    taken = {i.story.story.id for i in inspections}
    since = today - timedelta(days=MEETING_NOTICE_DAYS)
    notices = [
        s
        for s in stories
        if s.kind in _MEETING_KINDS and (day := last_day(s)) is not None and day >= since
    ]
    wanted = []
    for s in _newest_first([*recent, *notices]):
        if s.id not in taken:
            taken.add(s.id)
            wanted.append(s)
    read = [i.story for i in inspections] + [history.merged(s) for s in wanted]
    columns = tuple(i for i in inspections if i.story.grades)
    return ForceView(
        force=force,
        inspections=inspections,
        columns=columns,
        grid=grade_grid(columns),
        meetings=upcoming_meetings(read, today),
        people=force_people(read),
        recent=tuple(recent),
        stories=len(stories),
    )


def _newest_first(stories: list[Story]) -> list[Story]:
    """By latest day, newest first (undated last; ties by story id)."""

    def key(story: Story) -> tuple[bool, date, str]:
        day = last_day(story)
        return (day is not None, day or date.min, story.id)

    return sorted(stories, key=key, reverse=True)


def grade_grid(columns: tuple[ForceInspection, ...]) -> tuple[GradeRow, ...]:
    """Areas (rows) by graded inspections (columns); see the module docstring."""
    known = {key: n for n, key in enumerate(area_keys())}
    labels: dict[str, str] = {}
    for inspection in columns:
        for fact in inspection.story.grades:
            labels.setdefault(fact.area, fact.label or area_label(fact.area))
    met = list(labels)
    order = sorted(met, key=lambda area: (known.get(area, len(known)), met.index(area)))
    rows = []
    for area in order:
        cells: list[GradeFact | None] = []
        for inspection in columns:
            cells.append(next((g for g in inspection.story.grades if g.area == area), None))
        rows.append(GradeRow(area, labels[area], tuple(cells)))
    return tuple(rows)


def upcoming_meetings(stories: list[MergedStory], today: date) -> tuple[ForceMeeting, ...]:
    """Meetings from `today` on, soonest first; one per date and name, with the first
    story in `stories` that gives it."""
    found: dict[tuple[date, str], ForceMeeting] = {}
    for merged in stories:
        for meeting in merged.meetings:
            if meeting.date < today:
                continue
            key = (meeting.date, meeting.name.casefold())
            found.setdefault(key, ForceMeeting(meeting, merged.story.id, merged.story.title))
    return tuple(
        sorted(found.values(), key=lambda m: (m.meeting.date, m.meeting.time is None, m.title))
    )


@dataclass
class _Person:
    spellings: Counter[str] = field(default_factory=Counter)
    """The name each story gives as canonical, counted per story."""
    variants: set[str] = field(default_factory=set)
    stories: set[str] = field(default_factory=set)
    role: str = ""
    last: date | None = None

    def matches(self, name: str, variants: tuple[str, ...]) -> bool:
        written = {name, *variants}
        if written & (set(self.spellings) | self.variants):
            return True
        return any(same_person(name, known) for known in self.spellings)


def force_people(stories: list[MergedStory]) -> tuple[ForcePerson, ...]:
    """The force's leaders named in `stories` (see the module docstring)."""
    rank = {role: n for n, role in enumerate(LEADERSHIP_ROLES)}
    people: list[_Person] = []
    dated = sorted(stories, key=lambda m: first_day(m.story) or date.min)  # oldest first
    for merged in dated:
        day = first_day(merged.story)
        for fact in merged.people:
            if fact.role not in rank:
                continue
            person = next((p for p in people if p.matches(fact.name, fact.variants)), None)
            if person is None:
                person = _Person()
                people.append(person)
            if merged.story.id not in person.stories:
                person.spellings[fact.name] += 1
                person.stories.add(merged.story.id)
            person.variants.update(fact.variants)
            person.role = fact.role  # the latest story's role: a deputy may be promoted
            if day is not None and (person.last is None or day > person.last):
                person.last = day
    out = []
    for person in people:
        name = max(person.spellings, key=lambda s: (person.spellings[s], len(s)))
        others = (set(person.spellings) | person.variants) - {name}
        out.append(
            ForcePerson(name, person.role, len(person.stories), person.last, tuple(sorted(others)))
        )
    out.sort(
        key=lambda p: (rank[p.role], -(p.last_seen or date.min).toordinal(), -p.stories, p.name)
    )
    return tuple(out)


__all__ = [
    "MEETING_NOTICE_DAYS",
    "RECENT_STORIES",
    "build_force_view",
    "force_people",
    "grade_grid",
    "last_day",
    "upcoming_meetings",
]
