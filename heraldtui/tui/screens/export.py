"""The path prompt before an export; the suffix picks the format (Markdown by default)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from heraldtui.tui.commands import EXPORT_COMMANDS, bindings

DEFAULT_PATH = "heraldtui-digest.md"


class ExportScreen(ModalScreen[Path | None]):
    """Asks where to write the digest; dismisses with the path, or None on escape."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings(EXPORT_COMMANDS))

    def __init__(self, default: str = DEFAULT_PATH) -> None:
        super().__init__()
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box"):
            yield Static("Export the shown stories to (.md, .json or .ics):")
            yield Input(self.default, id="export-path")

    @on(Input.Submitted, "#export-path")
    def _submitted(self, message: Input.Submitted) -> None:
        value = message.value.strip()
        self.dismiss(Path(value).expanduser() if value else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
