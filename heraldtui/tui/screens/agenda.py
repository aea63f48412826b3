"""The agenda (`a` from the stories): every story's public meetings, soonest first.

Each meeting shows its day, how many days away it is, its name and place, and the story
it came from; `enter` goes back to the stories with that story open, `o` opens the
meeting's link, `p` shows past meetings too. The meetings are read by
`Newsroom.meetings()` in a thread worker, which reports its progress (reading every
story's meetings can take a while on a large cache; the Newsroom keeps them until the
next refresh, so a second visit is quick). The state is an `AgendaState` (`agenda.py`),
the rows are `Content` built from plain strings, and the styles are in app.tcss.

The screen is dismissed with the id of the story to open, or None.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Label, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from heraldtui.tui.agenda import AgendaState, agenda_row
from heraldtui.tui.commands import AGENDA_COMMANDS, Command, bindings
from heraldtui.tui.messages import AgendaLoaded, AgendaLoadFailed, AgendaProgressed
from heraldtui.tui.ports import NewsroomPort
from heraldtui.tui.present import reason


class AgendaScreen(Screen[str | None]):
    """See the module docstring."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings(AGENDA_COMMANDS))
    COMMAND_SET: ClassVar[tuple[Command, ...]] = AGENDA_COMMANDS
    AUTO_FOCUS = "#agenda-list"

    def __init__(self, newsroom: NewsroomPort, *, today: date) -> None:
        super().__init__()
        self.newsroom = newsroom
        self.today = today
        self.state = AgendaState()

    def compose(self) -> ComposeResult:
        yield Static(id="agenda-title")
        with Horizontal(id="agenda-progress-row"):
            yield Label(id="agenda-progress-label")
            yield ProgressBar(id="agenda-progress", show_eta=False, show_percentage=False)
        yield Static(id="agenda-empty")
        yield OptionList(id="agenda-list")
        yield Footer()

    def on_mount(self) -> None:
        self._read(include_past=False)

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#agenda-list", OptionList)

    # -- reading ------------------------------------------------------------------------

    def _read(self, *, include_past: bool) -> None:
        self.state.start(include_past)
        self._show()
        self._load(include_past)

    @work(thread=True, exclusive=True, group="agenda", exit_on_error=False, description="Agenda")
    def _load(self, include_past: bool) -> None:
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if not worker.is_cancelled:
                self.post_message(AgendaProgressed(done, total))

        try:
            items = self.newsroom.meetings(include_past, today=self.today, on_progress=progress)
        except Exception as error:  # the screen must say so, not wait for ever
            self.post_message(AgendaLoadFailed(reason(error)))
            return
        if not worker.is_cancelled:
            self.post_message(AgendaLoaded(items, include_past))

    @on(AgendaProgressed)
    def _progressed(self, message: AgendaProgressed) -> None:
        if not self.state.loaded:
            self.state.progressed(message.done, message.total)
            self._show_progress()

    @on(AgendaLoaded)
    def _loaded(self, message: AgendaLoaded) -> None:
        if self.state.accept(message.items, message.include_past):
            self._show()

    @on(AgendaLoadFailed)
    def _failed(self, message: AgendaLoadFailed) -> None:
        self.state.failed(message.error)
        self._show()

    # -- what is on screen --------------------------------------------------------------

    def _show_progress(self) -> None:
        self.query_one("#agenda-title", Static).update(Content(self.state.title()))
        row = self.query_one("#agenda-progress-row")
        row.display = self.state.progress is not None
        if self.state.progress is not None:
            done, total = self.state.progress
            self.query_one("#agenda-progress", ProgressBar).update(
                total=max(total, 1), progress=done
            )
            self.query_one("#agenda-progress-label", Label).update(f"{done}/{total} stories")

    def _show(self) -> None:
        self._show_progress()
        options = self.option_list
        options.clear_options()
        rows: list[Option | None] = []
        for n, item in enumerate(self.state.items if self.state.loaded else []):
            if n:
                rows.append(None)  # a rule between meetings
            rows.append(Option(agenda_row(item)))
        options.add_options(rows)
        empty = not rows
        options.display = not empty
        notice = self.query_one("#agenda-empty", Static)
        notice.display = empty
        notice.update(Content(self.state.empty_text()))
        if not empty:
            options.highlighted = 0

    # -- keys ---------------------------------------------------------------------------

    @property
    def current_index(self) -> int | None:
        """The index of the meeting under the cursor (the rules between them are not
        options), or None."""
        return self.option_list.highlighted

    def action_cursor_down(self) -> None:
        self.option_list.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.option_list.action_cursor_up()

    def action_first(self) -> None:
        self.option_list.action_first()

    def action_last(self) -> None:
        self.option_list.action_last()

    @on(OptionList.OptionSelected, "#agenda-list")
    def _selected(self, message: OptionList.OptionSelected) -> None:
        self._open(message.option_index)

    def action_open_story(self) -> None:
        self._open(self.current_index)

    def _open(self, index: int | None) -> None:
        item = self.state.item(index)
        if item is not None:
            self.dismiss(item.story_id)

    def action_open_link(self) -> None:
        item = self.state.item(self.current_index)
        if item is None:
            self.app.notify("No meeting here", severity="warning")
            return
        link = item.meeting.url or (item.meeting.sources[0] if item.meeting.sources else None)
        opener = getattr(self.app, "open_link", None)
        if link is not None and opener is not None:
            opener(link)

    def action_toggle_past(self) -> None:
        self._read(include_past=not self.state.include_past)

    def action_back(self) -> None:
        self.dismiss(None)
