"""The heraldtui application: wires the Newsroom to the screens.

`HeraldApp` is built by the CLI (`run_tui`) and by the tests through the same
constructor. It holds the Newsroom and a few settings that make it deterministic under
test (`today` for "in 8 days", `now` for fetch ages, `refresh_on_start`), and otherwise
only routes: the main screen is the default screen, `f` and `?` push the feeds and help
screens, and the command palette offers every command of the current screen (from the
same `Command` tuples as its bindings). When the CLI could not open the Newsroom it
passes the error's message instead (`run_error`), and the app shows it on a plain error
screen. The caller owns the Newsroom and closes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.screen import Screen

from heraldtui.tui.commands import APP_COMMANDS, Command, bindings
from heraldtui.tui.ports import NewsroomPort
from heraldtui.tui.screens.error import ErrorScreen
from heraldtui.tui.screens.feeds import FeedsScreen
from heraldtui.tui.screens.help import HelpScreen
from heraldtui.tui.screens.main import MainScreen
from heraldtui.tui.widgets.story_list import StoryList


class HeraldApp(App[None]):
    """See the module docstring."""

    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses live elsewhere
    TITLE = "heraldtui"
    BINDINGS: ClassVar[list[BindingType]] = list(bindings(APP_COMMANDS))

    def __init__(
        self,
        newsroom: NewsroomPort | None,
        *,
        refresh_on_start: bool = True,
        today: date | None = None,
        now: Callable[[], datetime] | None = None,
        startup_error: str | None = None,
    ) -> None:
        super().__init__()
        if newsroom is None and startup_error is None:
            raise ValueError("HeraldApp needs a newsroom or a startup error to show")
        self.newsroom = newsroom
        self.refresh_on_start = refresh_on_start
        self.now: Callable[[], datetime] = now or (lambda: datetime.now(UTC))
        self.today = today or self.now().astimezone().date()
        self.startup_error = startup_error
        self.main_screen: MainScreen | None = None

    def get_default_screen(self) -> Screen[None]:
        if self.newsroom is None or self.startup_error is not None:
            return ErrorScreen(self.startup_error or "No newsroom")
        self.main_screen = MainScreen(self.newsroom, today=self.today)
        return self.main_screen

    def on_mount(self) -> None:
        if self.main_screen is not None and self.refresh_on_start:
            self.main_screen.action_refresh()

    def feeds_changed(self) -> None:
        """The main screen reports refresh progress; an open feeds screen re-reads states."""
        for screen in self.screen_stack:
            if isinstance(screen, FeedsScreen):
                screen.reload()

    def action_feeds(self) -> None:
        if self.newsroom is None or isinstance(self.screen, FeedsScreen):
            return
        self.push_screen(FeedsScreen(self.newsroom, now=self.now))

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        sections: list[tuple[str, tuple[Command, ...]]] = []
        if isinstance(self.screen, MainScreen):
            sections.append(("Story list", StoryList.COMMAND_SET))
        sections.append((self._screen_title(self.screen), self._screen_commands(self.screen)))
        self.push_screen(HelpScreen(sections))

    @staticmethod
    def _screen_commands(screen: Screen[Any]) -> tuple[Command, ...]:
        commands: tuple[Command, ...] = getattr(screen, "COMMAND_SET", ())
        return commands

    @staticmethod
    def _screen_title(screen: Screen[Any]) -> str:
        names = {"MainScreen": "Stories", "ArticleScreen": "Article", "FeedsScreen": "Feeds"}
        return names.get(type(screen).__name__, type(screen).__name__)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette: Textual's own commands, then every command of `screen` and the app."""
        yield from super().get_system_commands(screen)
        for command in self._screen_commands(screen):
            if command.palette:
                yield SystemCommand(
                    command.title, command.help, partial(screen.run_action, command.action)
                )
        for command in APP_COMMANDS:
            if command.palette and command.action != "quit":
                yield SystemCommand(
                    command.title, command.help, partial(self.run_action, command.action)
                )


def run_tui(newsroom: NewsroomPort) -> None:
    """Run the TUI on `newsroom` until the user quits (the CLI's no-subcommand path)."""
    HeraldApp(newsroom).run()


def run_error(message: str) -> None:
    """Show a start-up error (a bad feeds.toml: file and line) until the user quits."""
    HeraldApp(None, startup_error=message).run()
