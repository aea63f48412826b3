"""A plain screen for an error that stops the app from starting (a bad feeds.toml).

The message is the core's one-line text naming file and line, shown as text; the only
thing to do is to quit and fix the file.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from heraldtui.tui.commands import ERROR_COMMANDS, bindings
from heraldtui.tui.present import plain


class ErrorScreen(Screen[None]):
    """See the module docstring."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings(ERROR_COMMANDS))

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(id="error-box"):
            yield Static(Content.styled("heraldtui cannot start", "bold $text-error"))
            yield Static(Content(plain(self.message)), id="error-message")
            yield Static(
                Content.styled(
                    "Fix the file and start again. Press q to quit.", "$foreground-muted"
                )
            )
        yield Footer()
