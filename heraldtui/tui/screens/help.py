"""The keys of the screen the help was opened from, read from the same `Command` tuples
as the bindings: one titled block per part of the screen, then what works everywhere."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widget import Widget

from heraldtui.tui.card import hanging_row
from heraldtui.tui.commands import APP_COMMANDS, HELP_COMMANDS, NAVIGATION_HELP, Command, bindings

Sections = list[tuple[str, tuple[Command, ...]]]


def everywhere() -> tuple[Command, ...]:
    """The app's keys but `q`, whose meaning is each screen's (quit on the list, else back)."""
    return tuple(c for c in APP_COMMANDS if c.id != "app.quit")


def help_lines(title: str, sections: Sections, width: int) -> list[Content]:
    """The help text for `width` columns: one titled block per part of the screen, then
    "Everywhere"; each key in a column, its description wrapped beside it."""
    blocks = [*sections, ("Everywhere", everywhere())]
    keys = [c.key_display for _, cmds in blocks for c in cmds] + [k for k, _ in NAVIGATION_HELP]
    column = min(max(len(k) for k in keys), 18) + 2
    lines: list[Content] = [Content.styled(f"Keys: {title}", "bold")]

    def row(key: str, text: str) -> list[Content]:
        return hanging_row(Content.styled(key, "bold"), Content(text), "", column, width)

    for name, commands in blocks:
        lines += [Content(""), Content.styled(name, "bold $text-accent")]
        for command in commands:
            lines += row(command.key_display, command.help)
    for key, text in NAVIGATION_HELP:
        lines += row(key, text)
    return lines


def help_content(title: str, sections: Sections, width: int = 200) -> Content:
    """The help text as one `Content` (wide enough not to wrap, for tests and search)."""
    return Content("\n").join(help_lines(title, sections, width))


class HelpText(Widget):
    """The help, laid out for the width it has."""

    def __init__(self, title: str, sections: Sections, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title_text = title
        self.sections = sections

    @property
    def content(self) -> Content:
        return help_content(self.title_text, self.sections)

    def render(self) -> Content:
        return Content("\n").join(
            help_lines(self.title_text, self.sections, self.content_size.width)
        )

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(help_lines(self.title_text, self.sections, width))


class HelpScreen(ModalScreen[None]):
    """See the module docstring."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings(HELP_COMMANDS))
    COMMAND_SET: ClassVar[tuple[Command, ...]] = HELP_COMMANDS

    def __init__(self, title: str, sections: Sections) -> None:
        super().__init__()
        self.title_text = title
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield HelpText(self.title_text, self.sections, id="help-text")

    def on_mount(self) -> None:
        box = self.query_one("#help-box")
        box.border_title = "Help"
        box.border_subtitle = "esc or ? closes"

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss()
