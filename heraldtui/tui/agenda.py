"""The agenda screen's state and rows, apart from its widgets (tested without an app).

`AgendaState` holds what the screen knows: the meetings read so far, whether past ones are
asked for, the progress of the read, and a failure. `agenda_row` turns one meeting into
the three lines the list shows, from plain strings (`plain()`, `Content`), never markup:
a meeting's name and a story's headline are whatever an outlet wrote.

    Thursday 14 November 2024, 10:30 · in 8 days
    Police and Crime Panel · County Hall
    Wiltshire Police · Panel to question the chief constable over 999 waits
"""

from __future__ import annotations

from textual.content import Content

from heraldtui.core.models import AgendaItem
from heraldtui.core.output.wording import agenda_days, meeting_day
from heraldtui.tui.present import plain

MUTED = "$foreground-muted"


def agenda_row(item: AgendaItem) -> Content:
    """One meeting: its day and days away, its name and place, the story it is from."""
    m = item.meeting
    past = item.days_away < 0
    when = Content.assemble(
        Content.styled(meeting_day(m), MUTED if past else "bold"),
        Content.styled(f" · {agenda_days(item.days_away)}", MUTED),
    )
    name = Content.styled(plain(m.name), MUTED if past else "bold $text-accent")
    if m.where:
        name = Content.assemble(name, Content.styled(f" · {plain(m.where)}", MUTED))
    origin = f"{item.force} · {item.headline}" if item.force else item.headline
    return Content("\n").join([when, name, Content.styled(plain(origin), MUTED)])


class AgendaState:
    """See the module docstring."""

    def __init__(self) -> None:
        self.items: list[AgendaItem] = []
        self.include_past = False
        self.loaded = False
        """True once a read has finished (for the current `include_past`)."""
        self.progress: tuple[int, int] | None = None
        """(stories read, stories) while the meetings are read."""
        self.error: str | None = None

    def start(self, include_past: bool) -> None:
        """A new read begins (on opening, or when past meetings are asked for or not)."""
        self.include_past = include_past
        self.loaded = False
        self.progress = None
        self.error = None

    def progressed(self, done: int, total: int) -> None:
        self.progress = (done, total)

    def accept(self, items: list[AgendaItem], include_past: bool) -> bool:
        """Take a read's meetings unless the reader has toggled past meetings since."""
        if include_past != self.include_past:
            return False
        self.items = items
        self.loaded = True
        self.progress = None
        return True

    def failed(self, error: str) -> None:
        self.error = error
        self.loaded = True
        self.progress = None

    def title(self) -> str:
        """The screen's title line: how many meetings, or what is happening."""
        which = "meetings" if self.include_past else "upcoming meetings"
        if self.error is not None:
            return f"Agenda: cannot read the meetings ({self.error})"
        if not self.loaded:
            if self.progress is None:
                return f"Agenda: reading {which}…"
            done, total = self.progress
            return f"Agenda: reading {which}… {done}/{total} stories"
        count = len(self.items)
        noun = which if count != 1 else which.removesuffix("s")
        past = "" if self.include_past else " · p shows past ones too"
        return f"Agenda: {count} {noun}{past}"

    def empty_text(self) -> str:
        """What the list says when it shows nothing: only what is true."""
        if not self.loaded:
            return "Reading the meetings…"
        if self.error is not None:
            return "The meetings could not be read."
        if self.include_past:
            return "No meetings in any story."
        return "No upcoming meetings (p shows past ones)."

    def item(self, index: int | None) -> AgendaItem | None:
        if index is None or not 0 <= index < len(self.items):
            return None
        return self.items[index]
