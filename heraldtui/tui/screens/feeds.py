"""Every configured feed: last fetch, status, items and the last error or warning.

A `DataTable` parses plain `str` cells as markup, so every cell here is a Rich `Text`:
a feed's error message is whatever a server or parser said and must stay text, with its
control characters made visible by `plain()`.
Ages are relative to the app's clock ("just now", "5 min ago"; older fetches as a UK date
and time). The main screen reports refresh progress once per feed; each report updates the
cells that changed, not the table: rebuilding 500 rows 500 times made a refresh with this
screen open cost 45 s of CPU.

A feed's fate shows in its row: "gone" (a 410 Gone; `c` lets the next refresh fetch it
again), "waiting" (a Retry-After, with until when), and a feed that moved for good says
where (`u` writes the new URL to feeds.toml, comments kept). The wording is the core's
(`fate_notes`), as in `heraldtui feeds list`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from heraldtui.core.errors import HeraldError
from heraldtui.core.models import FeedState
from heraldtui.core.newsroom import fate_notes
from heraldtui.tui.commands import FEEDS_COMMANDS, Command, bindings
from heraldtui.tui.ports import NewsroomPort
from heraldtui.tui.present import plain
from heraldtui.tui.state import short_time

STATUS_STYLES = {
    "ok": "green",
    "not-modified": "green",
    "error": "bold red",
    "deferred": "yellow",
    "waiting": "yellow",
    "gone": "bold red",
    "never": "dim",
}


def age(moment: datetime | None, now: datetime) -> str:
    """A fetch time as an age a reader takes in at a glance."""
    if moment is None:
        return "never"
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    return short_time(moment, now)


COLUMNS = ("Feed", "Status", "Last fetch", "Items", "Problem")


def _cells(state: FeedState, now: datetime) -> tuple[Text, ...]:
    """A feed's row of cells."""
    notes = fate_notes(state, now)
    status: str = state.status
    problems = [state.error or state.warning or ""]
    if notes.gone:
        status, problems = "gone", [f"{notes.gone}: press c to fetch it again"]
    elif notes.waiting:
        status = "waiting"
        problems.insert(0, notes.waiting)
    if notes.moved:
        problems.insert(0, f"{notes.moved}: press u to write it to feeds.toml")
    problem = "; ".join(p for p in problems if p)
    return (
        Text(plain(state.name)),
        Text(status, style=STATUS_STYLES.get(status, "")),
        Text(age(state.last_fetch, now)),
        Text(str(state.items), justify="right"),
        Text(plain(problem), style="red" if state.error or notes.gone else "yellow"),
    )


def _look(cells: tuple[Text, ...]) -> tuple[tuple[str, str], ...]:
    """What a row shows (Text's own == ignores the style)."""
    return tuple((cell.plain, str(cell.style)) for cell in cells)


class FeedsScreen(Screen[None]):
    """See the module docstring."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings(FEEDS_COMMANDS))
    COMMAND_SET: ClassVar[tuple[Command, ...]] = FEEDS_COMMANDS
    AUTO_FOCUS = "#feeds-table"

    def __init__(
        self, newsroom: NewsroomPort, *, now: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        super().__init__()
        self.newsroom = newsroom
        self.now = now
        self.states: list[FeedState] = []
        self._names: list[str] = []  # the rows on screen, by feed name (their row keys)
        self._shown: dict[str, tuple[tuple[str, str], ...]] = {}

    def compose(self) -> ComposeResult:
        yield Static("Feeds", id="feeds-title")
        yield DataTable(id="feeds-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label in COLUMNS:
            table.add_column(Text(label), key=label.lower())
        self.reload()

    def reload(self) -> None:
        """Read the feeds' states again (a refresh has moved on)."""
        try:
            self.states = self.newsroom.feed_states()
        except HeraldError as error:
            self.app.notify(
                plain(str(error)), title="Cannot read feeds", severity="error", markup=False
            )
            return
        table = self.query_one(DataTable)
        now = self.now()
        rows = {state.name: _cells(state, now) for state in self.states}
        if list(rows) != self._names:
            row = table.cursor_row
            table.clear()
            for name, cells in rows.items():
                table.add_row(*cells, key=name)
            self._names = list(rows)
            if self.states:
                table.move_cursor(row=min(row, len(self.states) - 1))
        else:
            for name, cells in rows.items():
                shown = self._shown.get(name, ())
                for i, (look, cell) in enumerate(zip(_look(cells), cells, strict=True)):
                    if i >= len(shown) or shown[i] != look:
                        table.update_cell(name, COLUMNS[i].lower(), cell)
        self._shown = {name: _look(cells) for name, cells in rows.items()}
        failed = sum(1 for s in self.states if s.status == "error")
        title = f"Feeds: {len(self.states)}"
        if failed:
            title += f", {failed} failed"
        self.query_one("#feeds-title", Static).update(Text(title))

    def action_back(self) -> None:
        self.dismiss()

    def _current(self) -> FeedState | None:
        table = self.query_one(DataTable)
        if not self.states or not 0 <= table.cursor_row < len(self._names):
            return None
        name = self._names[table.cursor_row]
        return next((s for s in self.states if s.name == name), None)

    def action_follow_move(self) -> None:
        """Write the new URL of the feed under the cursor to feeds.toml (it moved for good)."""
        state = self._current()
        if state is None:
            return
        if state.moved_to is None:
            self.app.notify(
                plain(f"{state.name} has not moved: its URL in feeds.toml is current"),
                markup=False,
            )
            return
        try:
            url = self.newsroom.follow_move(state.name)
        except HeraldError as error:
            self.app.notify(
                plain(str(error)), title="feeds.toml not changed", severity="error", markup=False
            )
            return
        self.reload()
        self.app.notify(plain(f"{state.name}: feeds.toml now says {url}"), markup=False)

    def action_clear_gone(self) -> None:
        """Let the next refresh fetch the feed under the cursor although it was gone (410)."""
        state = self._current()
        if state is None:
            return
        try:
            cleared = self.newsroom.clear_gone(state.name)
        except HeraldError as error:
            self.app.notify(plain(str(error)), severity="error", markup=False)
            return
        self.reload()
        note = "the next refresh fetches it" if cleared else "it was not marked gone"
        self.app.notify(plain(f"{state.name}: {note}"), markup=False)

    def action_refresh(self) -> None:
        main = getattr(self.app, "main_screen", None)
        if main is not None:
            main.action_refresh()
