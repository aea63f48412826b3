"""A force over time: its inspections and grade grid, meetings, people and recent stories.

Pushed by `F` on the main screen (the force of the story open, or under the list's
cursor). The view is built by `Newsroom.force_view()` in a thread worker, which merges
only what the screen shows; until it arrives the screen says it is reading. `tab` moves
between the inspections, the upcoming meetings and the recent stories, `enter` opens the
story under the cursor (the screen closes with its id and the main screen opens it, as
a related story opens), and `q`/`escape` go back to where `F` was pressed.

What the screen knows apart from its widgets is a `ForceScreenState`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import get_current_worker

from heraldtui.core.models import ForceView
from heraldtui.tui.commands import FORCE_COMMANDS, Command, bindings
from heraldtui.tui.messages import ForceLoaded, ForceLoadFailed, OpenStory
from heraldtui.tui.ports import NewsroomPort
from heraldtui.tui.present import reason
from heraldtui.tui.widgets.force_pane import ForcePane

LOADING = "Reading the force's stories…"


@dataclass
class ForceScreenState:
    """Which force, and where its view stands: loading, shown, or failed."""

    force: str
    view: ForceView | None = None
    error: str | None = None

    @property
    def loading(self) -> bool:
        return self.view is None and self.error is None

    def loaded(self, view: ForceView) -> None:
        self.view, self.error = view, None

    def failed(self, error: str) -> None:
        self.view, self.error = None, error

    def message(self) -> str:
        """What the screen says while it has no view to show."""
        if self.error is not None:
            return f"Cannot show this force: {self.error}"
        return LOADING


class ForceScreen(Screen[str | None]):
    """See the module docstring. Dismissed with the story id to open, or None."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings(FORCE_COMMANDS))
    COMMAND_SET: ClassVar[tuple[Command, ...]] = FORCE_COMMANDS
    AUTO_FOCUS = "ForcePane"

    def __init__(self, newsroom: NewsroomPort, force: str, *, today: date) -> None:
        super().__init__()
        self.newsroom = newsroom
        self.today = today
        self.state = ForceScreenState(force)

    def compose(self) -> ComposeResult:
        yield ForcePane(today=self.today, id="force")
        yield Footer(show_command_palette=False)

    @property
    def pane(self) -> ForcePane:
        return self.query_one(ForcePane)

    def on_mount(self) -> None:
        self.pane.show_message(self.state.force, self.state.message())
        self._load(self.state.force)

    @work(thread=True, exclusive=True, group="force", exit_on_error=False, description="Force")
    def _load(self, force: str) -> None:
        try:
            view = self.newsroom.force_view(force, today=self.today)
        except Exception as error:  # the screen says why; the reader goes back with escape
            self.post_message(ForceLoadFailed(reason(error)))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(ForceLoaded(view))

    @on(ForceLoaded)
    def _loaded(self, message: ForceLoaded) -> None:
        self.state.loaded(message.view)
        self.pane.show(message.view)

    @on(ForceLoadFailed)
    def _failed(self, message: ForceLoadFailed) -> None:
        self.state.failed(message.error)
        self.pane.show_message(self.state.force, self.state.message())
        self.app.notify(
            message.error, title="Cannot show this force", severity="error", markup=False
        )

    @on(OpenStory)
    def _open(self, message: OpenStory) -> None:
        """A story picked here is opened on the main screen: close with its id."""
        message.stop()
        self.dismiss(message.story_id)

    # -- actions -------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss(None)

    def action_open_part(self) -> None:
        if not self.pane.open_current() and self.pane.entries:
            self.app.notify("tab to an inspection, a meeting or a story first", timeout=3)

    def action_next_part(self) -> None:
        self.pane.move_cursor(1)

    def action_previous_part(self) -> None:
        self.pane.move_cursor(-1)

    def action_scroll_line_down(self) -> None:
        self.pane.scroll_down(animate=False)

    def action_scroll_line_up(self) -> None:
        self.pane.scroll_up(animate=False)

    def action_page_down(self) -> None:
        self.pane.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.pane.scroll_page_up(animate=False)

    def action_top(self) -> None:
        self.pane.scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.pane.scroll_end(animate=False)


__all__ = ["ForceScreen", "ForceScreenState"]
