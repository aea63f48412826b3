"""What a force's screen shows, as `Content`: its entries, and the grade grid for a width.

Pure functions of a `ForceView` (and, for the grid, a width), so the layout is tested
without an app. Every feed-derived string goes through `plain()`.

The grid is areas (rows) by graded inspections (columns), oldest on the left. A cell is
the grade's symbol and short word (`▼ RI`, `▲ Good`) in the grade's colour, then the
arrow of its change since the previous inspection, as the story view says it in words
(`↑` better, `↓` worse, `=` same, `+` graded for the first time):

    Area                          Jun 2024  May 2025
                                  PEEL      CDI
    Recording data about crime    ▼ RI      ▲ Good ↑
    Police powers and public tr…  ▲ Good    ·

When the columns do not all fit the width, the grid shows the latest that do and says
how many it leaves out (the inspection list above it has every one); the area names are
cut with an ellipsis before a column is dropped, down to `LABEL_MIN` cells.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date
from itertools import groupby

from textual.content import Content

from heraldtui.core.models import (
    GRADE_KEYS,
    ForceInspection,
    ForceMeeting,
    ForcePerson,
    ForceView,
    GradeFact,
    MergedStory,
    Story,
)
from heraldtui.core.output.wording import (
    CHANGE_ARROWS,
    GRADE_SYMBOLS,
    counts_phrase,
    coverage_phrase,
    days_away,
    grade_change,
    grade_short,
    grade_word,
    inspection_short,
    inspection_word,
    kind_word,
    meeting_day,
)
from heraldtui.tui.card import CHANGE_STYLES, GRADE_STYLES, MUTED
from heraldtui.tui.present import UNREAD_MARK, plain, short_date
from heraldtui.tui.state import is_unread

CELL = 10
"""A grid column: the widest cell (`★ Outst ↑`, nine cells) and a space."""
LABEL_MIN = 16
"""The fewest cells an area name keeps before the grid drops its oldest column."""
LABEL_MAX = 34
"""The longest official area name, "Police powers and public treatment", in full."""
EMPTY_CELL = "·"
GRID_LEGEND = "↑ better  ↓ worse  = same  + first graded · RI requires improvement"


def summary(view: ForceView) -> str:
    """`2 inspections · 1 upcoming meeting · 14 stories`."""

    def count(n: int, word: str) -> str:
        return f"{n or 'no'} {word}{'' if n == 1 else 's'}"

    return " · ".join(
        [
            count(len(view.inspections), "inspection"),
            count(len(view.meetings), "upcoming meeting"),
            count(view.stories, "story").replace("storys", "stories"),
        ]
    )


def grades_tally(story: MergedStory) -> str:
    """`1 good, 2 adequate, 1 requires improvement`: an inspection's named grades, best
    first; else the counts outlets gave; else that none were reported."""
    if story.grades:
        tally = Counter(g.grade for g in story.grades)
        order = sorted(tally, key=lambda g: (GRADE_KEYS.index(g) if g in GRADE_KEYS else 99, g))
        return ", ".join(f"{tally[g]} {grade_word(g).lower()}" for g in order)
    if story.grade_counts is not None:
        return counts_phrase(story.grade_counts).lower()
    return "no grades reported"


def inspection_entry(inspection: ForceInspection) -> Content:
    """`6 Jun 2024 · PEEL · 4 good, 4 adequate, 1 requires improvement`, then the
    story's headline."""
    story = inspection.story
    kind = inspection_word(story.story.inspection_type)
    return Content("\n").join(
        [
            Content.assemble(
                Content.styled(short_date(inspection.day), "bold"),
                Content.styled(f" · {kind} · {grades_tally(story)}", MUTED),
            ),
            Content(plain(story.story.title)),
        ]
    )


def meeting_entry(entry: ForceMeeting, today: date) -> Content:
    """The meeting's name; its day, time and days away; where; the story that gives it."""
    meeting = entry.meeting
    lines = [
        Content.styled(plain(meeting.name), "bold"),
        Content.assemble(
            meeting_day(meeting), Content.styled(f" · {days_away(meeting.date, today)}", MUTED)
        ),
    ]
    if meeting.where:
        lines.append(Content(plain(meeting.where)))
    lines.append(Content.styled(f"In: {plain(entry.title)}", MUTED))
    return Content("\n").join(lines)


def people_entries(people: Sequence[ForcePerson]) -> list[Content]:
    """One entry per role: the role, then each person who held it, the latest first,
    with how many stories name them and when last (`people` come sorted by role)."""
    out: list[Content] = []
    for role, group in groupby(people, key=lambda p: p.role):
        lines = [Content.styled(plain(role), "bold")]
        for person in group:
            named = "1 story" if person.stories == 1 else f"{person.stories} stories"
            when = f", last {short_date(person.last_seen)}" if person.last_seen else ""
            lines.append(
                Content.assemble(
                    "  ", plain(person.name), Content.styled(f" · {named}{when}", MUTED)
                )
            )
        out.append(Content("\n").join(lines))
    return out


def story_entry(story: Story) -> Content:
    """Unread mark, latest day, kind and coverage; then the headline."""
    merged = MergedStory(story)
    dated = [a.published for a in story.articles if a.published is not None]
    facts = [short_date(max(dated) if dated else None), coverage_phrase(merged)]
    if story.kind != "other":
        facts.insert(1, kind_word(story.kind, story.inspection_type))
    return Content("\n").join(
        [
            Content.assemble(
                Content.styled(UNREAD_MARK if is_unread(merged) else " ", "bold $text-accent"),
                " ",
                Content.styled(" · ".join(facts), MUTED),
            ),
            Content(plain(story.title)),
        ]
    )


# ---------------------------------------------------------------- the grade grid


def fit(content: Content, cells: int) -> Content:
    """`content` in exactly `cells` cells: cut with an ellipsis, or padded."""
    return content.truncate(cells, ellipsis=True, pad=True)


def grid_cell(fact: GradeFact | None, inspection: ForceInspection) -> Content:
    """`▼ RI`, `▲ Good ↑`: the grade and its change; `·` when the area was not graded."""
    if fact is None:
        return Content.styled(EMPTY_CELL, MUTED)
    word = f"{GRADE_SYMBOLS.get(fact.grade, '?')} {plain(grade_short(fact.grade))}"
    cell = Content.styled(word, GRADE_STYLES.get(fact.grade, ""))
    change = grade_change(fact, inspection.story)
    if change is not None:
        cell += Content(" ") + Content.styled(CHANGE_ARROWS[change], CHANGE_STYLES[change])
    return cell


def grid_fit(view: ForceView, width: int) -> tuple[int, int]:
    """(columns shown, area name cells) for `width`: the latest columns that fit."""
    columns = len(view.columns)
    shown = max(1, min(columns, (width - LABEL_MIN) // CELL))
    longest = max((len(plain(row.label)) for row in view.grid), default=4)
    label = max(min(width - shown * CELL, min(longest, LABEL_MAX) + 2), LABEL_MIN)
    return shown, label


def grade_grid(view: ForceView, width: int) -> list[Content]:
    """The grid's lines for `width` (see the module docstring); none without columns."""
    if not view.columns:
        return []
    shown, label = grid_fit(view, width)
    first = len(view.columns) - shown
    columns = view.columns[first:]

    def row(head: Content, cells: list[Content]) -> Content:
        line = fit(head, label - 1) + Content(" ")
        for cell in cells:
            line += fit(cell, CELL - 1) + Content(" ")
        return line.rstrip()

    lines = [
        row(Content(""), [Content.styled(f"{c.day:%b %Y}", "bold") for c in columns]),
        row(
            Content.styled("Area", MUTED),
            [
                Content.styled(plain(inspection_short(c.story.story.inspection_type)), MUTED)
                for c in columns
            ],
        ),
    ]
    for grade_row in view.grid:
        cells = [
            grid_cell(fact, c) for fact, c in zip(grade_row.cells[first:], columns, strict=True)
        ]
        lines.append(row(Content(plain(grade_row.label)), cells))
    if first:
        earlier = "1 earlier inspection" if first == 1 else f"{first} earlier inspections"
        lines += Content.styled(f"{earlier} not shown (too narrow)", MUTED).wrap(width)
    lines += Content.styled(GRID_LEGEND, MUTED).wrap(width)
    return lines


__all__ = [
    "CELL",
    "LABEL_MIN",
    "grade_grid",
    "grades_tally",
    "grid_cell",
    "grid_fit",
    "inspection_entry",
    "meeting_entry",
    "people_entries",
    "story_entry",
    "summary",
]
