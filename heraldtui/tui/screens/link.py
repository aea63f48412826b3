"""The link `o` could not open (no browser here): shown as text, with `c` to copy it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from heraldtui.tui.commands import LINK_COMMANDS, Command, bindings
from heraldtui.tui.present import plain


class LinkScreen(ModalScreen[bool]):
    """Says there is no browser, shows the link; dismisses True when it was copied."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings(LINK_COMMANDS))
    COMMAND_SET: ClassVar[tuple[Command, ...]] = LINK_COMMANDS

    def __init__(self, url: str, reason: str = "No web browser here to open this link.") -> None:
        super().__init__()
        self.url = url
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(id="link-box"):
            yield Static(Content(plain(self.reason)), id="link-reason")
            yield Static(Content.styled(plain(self.url), "underline"), id="link-url")
            yield Static(
                Content.styled(
                    "c copies the link (where the terminal allows OSC 52) · esc closes",
                    "$foreground-muted",
                ),
                id="link-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#link-box").border_title = "Link"

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.url)
        self.app.notify(
            "Link copied: paste it into a browser (if nothing was copied, your terminal "
            "does not allow OSC 52; select the link instead)",
            title="Copied",
            markup=False,
        )
        self.dismiss(True)

    def action_close(self) -> None:
        self.dismiss(False)
