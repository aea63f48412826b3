"""The export dialog: where to write the shown stories, and in which format.

The format follows the file's suffix (`.json` the JSON digest, `.ics` the meetings as a
calendar, anything else Markdown), and the dialog says which, with the absolute path,
before anything is written. A file that exists is replaced only after a second `enter`.
The digest is written by a thread worker the dialog owns; an error keeps the dialog open
with the typed path and says why, and success dismisses it with an `ExportFinished`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from heraldtui.core.models import ExportFormat, MergedStory
from heraldtui.core.newsroom import export_format
from heraldtui.tui.commands import EXPORT_COMMANDS, Command, bindings
from heraldtui.tui.messages import ExportFailed, ExportFinished
from heraldtui.tui.ports import NewsroomPort
from heraldtui.tui.present import plain, reason

DEFAULT_PATH = "heraldtui-digest.md"
FORMAT_NAMES: dict[ExportFormat, str] = {
    "markdown": "Markdown digest",
    "json": "JSON digest",
    "ics": "calendar of the meetings (ICS)",
}


def target(value: str) -> Path | None:
    """The absolute path a typed value names (`~` expanded), or None when blank."""
    value = value.strip()
    if not value:
        return None
    return Path(os.path.abspath(Path(value).expanduser()))


class ExportScreen(ModalScreen[ExportFinished | None]):
    """See the module docstring."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings(EXPORT_COMMANDS))
    COMMAND_SET: ClassVar[tuple[Command, ...]] = EXPORT_COMMANDS

    def __init__(
        self, newsroom: NewsroomPort, stories: list[MergedStory], default: str = DEFAULT_PATH
    ) -> None:
        super().__init__()
        self.newsroom = newsroom
        self.stories = stories
        self.default = default
        self.confirmed: Path | None = None
        """A path that exists and that the reader chose to replace (a second enter)."""
        self.writing = False

    def compose(self) -> ComposeResult:
        count = len(self.stories)
        with Vertical(id="export-box"):
            yield Static(
                f"Write the {count} shown {'story' if count == 1 else 'stories'} to "
                "(.md, .json or .ics):"
            )
            yield Input(self.default, id="export-path")
            yield Static(id="export-plan")
            yield Static(id="export-problem")
            yield Static(Content.styled("enter writes · esc cancels", "$foreground-muted"))

    def on_mount(self) -> None:
        self.query_one("#export-box").border_title = "Export"
        self._plan(self.default)

    @property
    def path_field(self) -> Input:
        return self.query_one("#export-path", Input)

    def _plan(self, value: str) -> None:
        """Say what `enter` would write, where, and whether it replaces a file."""
        path = target(value)
        plan = self.query_one("#export-plan", Static)
        if path is None:
            plan.update(Content.styled("Type a file name.", "$foreground-muted"))
            return
        fmt = export_format(path)
        lines = [
            Content.assemble(
                Content.styled(FORMAT_NAMES[fmt], "bold"), " → ", Content(plain(str(path)))
            )
        ]
        if path.exists():
            lines.append(
                Content.styled(
                    "This file exists: enter again replaces it."
                    if path == self.confirmed
                    else "This file exists: enter asks before replacing it.",
                    "$text-warning",
                )
            )
        plan.update(Content("\n").join(lines))

    def _problem(self, text: str) -> None:
        self.query_one("#export-problem", Static).update(
            Content.styled(plain(text), "$text-error") if text else Content("")
        )

    @on(Input.Changed, "#export-path")
    def _changed(self, message: Input.Changed) -> None:
        self.confirmed = None
        self._problem("")
        self._plan(message.value)

    @on(Input.Submitted, "#export-path")
    def _submitted(self, message: Input.Submitted) -> None:
        path = target(message.value)
        if path is None or self.writing:
            return
        if path.is_dir():
            self._problem(f"{path} is a folder: add a file name.")
            return
        if path.exists() and path != self.confirmed:
            self.confirmed = path
            self._plan(message.value)
            self._problem("")
            return
        self.writing = True
        self._problem("")
        self._write(path, export_format(path))

    @work(thread=True, exclusive=True, group="export", exit_on_error=False, description="Export")
    def _write(self, path: Path, fmt: ExportFormat) -> None:
        try:
            self.newsroom.export(self.stories, path, fmt)
        except Exception as error:
            self.post_message(ExportFailed(reason(error)))
            return
        self.post_message(ExportFinished(str(path), len(self.stories)))

    @on(ExportFinished)
    def _finished(self, message: ExportFinished) -> None:
        self.writing = False
        self.dismiss(message)

    @on(ExportFailed)
    def _failed(self, message: ExportFailed) -> None:
        """The dialog stays, with the typed path, and says what went wrong."""
        self.writing = False
        self._problem(f"Not written: {message.error}")
        self.path_field.focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
