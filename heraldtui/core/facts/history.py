"""A story's place in its force's history: the previous inspection, grade changes, the thread.

Each story is merged on its own (`merge.py`); what links it to the force's other stories is
decided here, after the merge, from what the stories already say of themselves: force,
kind, inspection type, first day, grades, meetings, and the words of their headlines and
text (`read/lexicon.py`). No rule names a force, an outlet or a date.

- **Inspections.** An *inspection* is an inspection story of one force that is not a
  monitoring decision (`MONITORING_TYPES`) nor a national report (`NATIONAL_TYPES`). A
  story of the same force and type within `SAME_INSPECTION_DAYS` after an inspection
  that reported findings (grades or counts) is later coverage of that report, not a new
  inspection.
- **Previous inspection.** The latest earlier inspection of the same force and type that
  reported findings, at most `PREVIOUS_WITHIN_DAYS` back (PEEL after PEEL). Each grade's
  previous grade is the one the latest earlier inspection of the force gave the same
  area, of any type, but never older than that previous inspection: a PEEL after a crime
  data integrity inspection compares its crime recording with the latter. An
  inspection with no earlier one of its type takes as previous the latest that graded
  one of its areas (a crime data integrity revisit after the PEEL that found the problem).
- **The thread.** A later story of the same force follows the latest inspection on or
  before its first day, when it is
  - a monitoring decision (`engage`) within `MONITORING_WINDOW_DAYS`: `monitoring`;
  - a meeting or inspection story that names an inspection (`INSPECTION_CUE`) and holds
    a meeting dated within `MEETING_WINDOW_DAYS` after it: `meeting`;
  - a story whose headline responds (`RESPONSE_CUE`) and whose text names an inspection,
    within `RESPONSE_WINDOW_DAYS`: `response`.

  Links go both ways: the inspection lists its follow-ups and each follow-up lists the
  inspection as `earlier-inspection`; an inspection lists its previous inspection as
  `earlier-inspection` and the later inspection that takes it as previous as `revisit`.

Cheap by construction: stories are indexed by force from the listing (headers only), and
only the candidates a rule needs are merged, through the caller's (cached) merge: the
earlier inspections of the force, and the stories near an inspection that pass the
header tests (kind, type, days, headline words).
"""

from __future__ import annotations

import bisect
import dataclasses
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from heraldtui.core.models import (
    MergedStory,
    PreviousGrade,
    RelatedStory,
    Relation,
    Story,
)
from heraldtui.core.read.dates import uk_date
from heraldtui.core.read.lexicon import INSPECTION_CUE, RESPONSE_CUE

SAME_INSPECTION_DAYS = 300
"""Inspections of one force and type are a year or more apart (PEEL reports of one force,
a revisit a year on): a story of the same type sooner after one with findings reports the
same inspection (an outlet writing it up months later)."""
PREVIOUS_WITHIN_DAYS = 5 * 366
"""How far back a previous inspection may be: the longest gap between PEEL cycles (2018/19
to 2021/22) is under four years."""
RESPONSE_WINDOW_DAYS = 60
"""A force's or commissioner's response comes within weeks of the report."""
MEETING_WINDOW_DAYS = 120
"""The public meeting that scrutinises a report is held within a few months of it."""
MONITORING_WINDOW_DAYS = 2 * 366
"""Moving a force into or out of enhanced monitoring can come a year or two after the
inspection that prompted it."""
MONITORING_TYPES = frozenset({"engage"})
"""Inspection types that are a monitoring decision, a follow-up rather than an inspection."""
NATIONAL_TYPES = frozenset({"thematic"})
"""Inspection types that report on policing as a whole: neither an inspection of the force
nor a follow-up of one."""
_FOLLOW_UP_DAYS = max(RESPONSE_WINDOW_DAYS, MEETING_WINDOW_DAYS, MONITORING_WINDOW_DAYS)

_RESPONSE = re.compile(RESPONSE_CUE, re.IGNORECASE)
_INSPECTION = re.compile(INSPECTION_CUE, re.IGNORECASE)

Merge = Callable[[Story], MergedStory]
"""The caller's merge (cached by the Newsroom): a story with its facts and its text."""


def first_day(story: Story) -> date | None:
    """The story's first day (UK date of its earliest dated article), None when undated."""
    dated = [a.published for a in story.articles if a.published is not None]
    return uk_date(min(dated)) if dated else None


@dataclass(frozen=True, slots=True, eq=False)
class _Entry:
    """One dated story of a force (compared by identity: one entry per story)."""

    story: Story
    day: date
    order: int
    """Position in the force's timeline (first day, then story id)."""


@dataclass(frozen=True, slots=True)
class _Previous:
    inspection: _Entry | None
    grades: dict[str, PreviousGrade]


class ForceHistory:
    """The stories of one listing by force, and what each knows of the others.

    Built from the listing's stories (headers: no text is read); `of()` gives a merged
    story its history. What it works out (inspections, previous inspections, follow-ups,
    merges) is kept for the next story of the same listing. One lock guards it: the
    reader asks from two threads (the story on screen, a force's screen), and the
    timeline's entries are compared by identity, so each must be built once.
    """

    def __init__(self, stories: Iterable[Story], merge: Merge) -> None:
        self._merge = merge
        self._lock = threading.RLock()
        self._by_force: dict[str, list[Story]] = {}
        for story in stories:
            if story.force is not None:
                self._by_force.setdefault(story.force, []).append(story)
        self._lines: dict[str, list[_Entry]] = {}
        self._days: dict[str, list[date]] = {}
        self._entries: dict[str, _Entry] = {}
        self._inspections: dict[str, list[_Entry]] = {}
        self._inspection_ids: set[str] = set()
        self._merged: dict[str, MergedStory] = {}
        self._previous: dict[str, _Previous] = {}
        self._follows: dict[str, tuple[_Entry, Relation] | None] = {}

    # -- the answer ----------------------------------------------------------------------

    def of(self, merged: MergedStory) -> MergedStory:
        """`merged` with its previous inspection, each grade's previous grade, and its
        related stories; unchanged when the listing does not hold it or it is undated."""
        with self._lock:
            return self._of(merged)

    def stories_of(self, force: str) -> list[Story]:
        """The force's stories in the listing (headers, in listing order)."""
        return list(self._by_force.get(force, ()))

    def inspections(self, force: str) -> list[tuple[MergedStory, date]]:
        """The force's inspections, oldest first, each merged with its history and with
        its day (see the module docstring for what counts as an inspection)."""
        with self._lock:
            return [(self._of(self._merged_of(e)), e.day) for e in self._inspections_of(force)]

    def merged(self, story: Story) -> MergedStory:
        """`story` merged (through the caller's cached merge) with its history."""
        with self._lock:
            return self._of(self._merge(story))

    def _of(self, merged: MergedStory) -> MergedStory:
        story = merged.story
        if story.force is None or story.force not in self._by_force:
            return merged
        self._line(story.force)
        entry = self._entries.get(story.id)
        if entry is None:
            return merged
        self._merged.setdefault(story.id, merged)
        links: list[tuple[_Entry, Relation]] = []
        previous = _Previous(None, {})
        if self._is_inspection(entry):
            previous = self._previous_of(entry)
            if previous.inspection is not None:
                links.append((previous.inspection, "earlier-inspection"))
            links += self._follow_ups(entry)
            links += [(later, "revisit") for later in self._revisits(entry)]
        else:
            follows = self._follows_of(entry)
            if follows is not None:
                links.append((follows[0], "earlier-inspection"))
        if not links and not previous.grades and _bare(merged):
            return merged  # most stories: nothing to add, nothing copied
        links.sort(key=lambda link: link[0].order)
        grades = tuple(
            dataclasses.replace(g, previous=previous.grades.get(g.area)) for g in merged.grades
        )
        return dataclasses.replace(
            merged,
            grades=grades,
            previous_inspection=previous.inspection.story.id if previous.inspection else None,
            related=tuple(
                RelatedStory(e.story.id, relation, e.story.title, e.day) for e, relation in links
            ),
        )

    # -- the force's timeline ------------------------------------------------------------

    def _line(self, force: str) -> list[_Entry]:
        """The force's dated stories, oldest first (built on first use)."""
        line = self._lines.get(force)
        if line is None:
            dated = [(day, s.id, s) for s in self._by_force.get(force, ()) if (day := first_day(s))]
            dated.sort(key=lambda item: (item[0], item[1]))
            line = [_Entry(story, day, n) for n, (day, _, story) in enumerate(dated)]
            self._lines[force] = line
            self._days[force] = [e.day for e in line]
            self._entries.update((e.story.id, e) for e in line)
        return line

    def _merged_of(self, entry: _Entry) -> MergedStory:
        merged = self._merged.get(entry.story.id)
        if merged is None:
            merged = self._merged[entry.story.id] = self._merge(entry.story)
        return merged

    def _has_findings(self, entry: _Entry) -> bool:
        merged = self._merged_of(entry)
        return bool(merged.grades or merged.grade_counts)

    def _inspections_of(self, force: str) -> list[_Entry]:
        """The force's inspections, oldest first (see the module docstring)."""
        found = self._inspections.get(force)
        if found is not None:
            return found
        found = []
        latest: dict[str | None, _Entry] = {}
        for entry in self._line(force):
            story = entry.story
            kind = story.inspection_type
            if story.kind != "inspection" or kind in MONITORING_TYPES | NATIONAL_TYPES:
                continue
            before = latest.get(kind)
            if (
                before is not None
                and (entry.day - before.day).days < SAME_INSPECTION_DAYS
                and self._has_findings(before)
            ):
                continue  # later coverage of the report before it
            latest[kind] = entry
            found.append(entry)
        self._inspections[force] = found
        self._inspection_ids.update(e.story.id for e in found)
        return found

    def _is_inspection(self, entry: _Entry) -> bool:
        force = entry.story.force
        if force is None:
            return False
        self._inspections_of(force)
        return entry.story.id in self._inspection_ids

    # -- previous inspections and grades --------------------------------------------------

    def _previous_of(self, entry: _Entry) -> _Previous:
        known = self._previous.get(entry.story.id)
        if known is not None:
            return known
        assert entry.story.force is not None
        areas = {g.area for g in self._merged_of(entry).grades}
        grades: dict[str, PreviousGrade] = {}
        same: _Entry | None = None
        giver: _Entry | None = None
        earlier = [e for e in self._inspections_of(entry.story.force) if e.order < entry.order]
        for other in reversed(earlier):
            if (entry.day - other.day).days > PREVIOUS_WITHIN_DAYS:
                break
            if not self._has_findings(other):
                continue
            for grade in self._merged_of(other).grades:
                if grade.area in areas and grade.area not in grades:
                    grades[grade.area] = PreviousGrade(grade.grade, other.story.id, other.day)
                    giver = giver or other
            if other.story.inspection_type == entry.story.inspection_type:
                same = other
                break
        found = self._previous[entry.story.id] = _Previous(same or giver, grades)
        return found

    def _revisits(self, entry: _Entry) -> list[_Entry]:
        """The later inspections that take `entry` as their previous inspection."""
        assert entry.story.force is not None
        later = [e for e in self._inspections_of(entry.story.force) if e.order > entry.order]
        return [
            other
            for other in later
            if (other.day - entry.day).days <= PREVIOUS_WITHIN_DAYS
            and self._previous_of(other).inspection is entry
        ]

    # -- follow-ups ----------------------------------------------------------------------

    def _follow_ups(self, entry: _Entry) -> list[tuple[_Entry, Relation]]:
        assert entry.story.force is not None
        out: list[tuple[_Entry, Relation]] = []
        line = self._line(entry.story.force)
        start = bisect.bisect_left(self._days[entry.story.force], entry.day)
        for other in line[start:]:
            if (other.day - entry.day).days > _FOLLOW_UP_DAYS:
                break
            if other is entry:
                continue
            follows = self._follows_of(other)
            if follows is not None and follows[0] is entry:
                out.append((other, follows[1]))
        return out

    def _follows_of(self, entry: _Entry) -> tuple[_Entry, Relation] | None:
        """The inspection `entry` follows up, and how; None when it follows none."""
        story_id = entry.story.id
        if story_id in self._follows:
            return self._follows[story_id]
        found: tuple[_Entry, Relation] | None = None
        force = entry.story.force
        if force is not None and not self._is_inspection(entry):
            inspections = self._inspections_of(force)
            before = [e for e in inspections if e.day <= entry.day and e is not entry]
            if before:
                relation = self._relation(entry, before[-1])
                found = (before[-1], relation) if relation is not None else None
        self._follows[story_id] = found
        return found

    def _relation(self, entry: _Entry, inspection: _Entry) -> Relation | None:
        """How `entry` follows `inspection` (the latest before it), if it does."""
        story = entry.story
        gap = (entry.day - inspection.day).days
        if story.inspection_type in MONITORING_TYPES:
            return "monitoring" if gap <= MONITORING_WINDOW_DAYS else None
        if story.inspection_type in NATIONAL_TYPES:
            return None
        titles = (story.title, *(a.title for a in story.articles))
        responds = gap <= RESPONSE_WINDOW_DAYS and any(_RESPONSE.search(t) for t in titles)
        meets = story.kind in ("meeting", "inspection") and gap <= MEETING_WINDOW_DAYS
        if not (responds or meets):
            return None  # decided from the headers: nothing merged
        merged = self._merged_of(entry)
        texts = (*titles, *(a.text for a in merged.story.articles))  # the merge has the text
        if not any(_INSPECTION.search(text) for text in texts):
            return None
        if meets and any(
            0 <= (m.date - inspection.day).days <= MEETING_WINDOW_DAYS for m in merged.meetings
        ):
            return "meeting"
        return "response" if responds else None


def _bare(merged: MergedStory) -> bool:
    """Whether `merged` carries no history already (then it can be returned as it is)."""
    return (
        merged.previous_inspection is None
        and not merged.related
        and all(g.previous is None for g in merged.grades)
    )


__all__ = [
    "MEETING_WINDOW_DAYS",
    "MONITORING_TYPES",
    "MONITORING_WINDOW_DAYS",
    "NATIONAL_TYPES",
    "PREVIOUS_WITHIN_DAYS",
    "RESPONSE_WINDOW_DAYS",
    "SAME_INSPECTION_DAYS",
    "ForceHistory",
    "first_day",
]
