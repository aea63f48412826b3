"""The filter box: the list narrows as the reader types; enter keeps it, escape clears it."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.widgets import Input

from heraldtui.tui.commands import FILTER_COMMANDS, Command, bindings


class FilterInput(Input):
    """An `Input` whose footer says what enter and escape do."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings(FILTER_COMMANDS))
    COMMAND_SET: ClassVar[tuple[Command, ...]] = FILTER_COMMANDS
