"""Every key of the screen underneath, read from the same `Command` tuples as the bindings."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from heraldtui.tui.commands import (
    APP_COMMANDS,
    HELP_COMMANDS,
    NAVIGATION_HELP,
    Command,
    bindings,
)


def help_content(sections: list[tuple[str, tuple[Command, ...]]]) -> Content:
    """The help text: one titled block per owner, key column then description."""
    width = max(
        [len(c.key_display) for _, cmds in sections for c in cmds]
        + [len(k) for k, _ in NAVIGATION_HELP]
    )
    lines: list[Content] = []
    for title, commands in sections:
        if not commands:
            continue
        lines.append(Content.styled(title, "bold $text-accent"))
        for command in commands:
            lines.append(
                Content.assemble(
                    Content.styled(command.key_display.ljust(width), "bold"), "  ", command.help
                )
            )
        lines.append(Content(""))
    lines.append(Content.styled("Everywhere", "bold $text-accent"))
    for keys, text in NAVIGATION_HELP:
        lines.append(Content.assemble(Content.styled(keys.ljust(width), "bold"), "  ", text))
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """See the module docstring."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings(HELP_COMMANDS))

    def __init__(self, sections: list[tuple[str, tuple[Command, ...]]]) -> None:
        super().__init__()
        self.sections = [*sections, ("Anywhere", APP_COMMANDS)]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(help_content(self.sections), id="help-text")

    def on_mount(self) -> None:
        self.query_one("#help-box").border_title = "Keys"
        self.query_one("#help-box").border_subtitle = "esc closes"

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss()
