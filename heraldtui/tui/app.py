"""The heraldtui application: wires the Newsroom to the screens.

`HeraldApp` is built by the CLI (`run_tui`) and by the tests through the same
constructor. It holds the Newsroom, the feeds file's `[settings]` (theme, browser, auto
refresh, text width) and a few things that make it deterministic under test (`today`
for "in 8 days", `now` for fetch times, `refresh_on_start`, `has_browser`), and otherwise
only routes: the main screen is the default screen, `f` and `?` push the feeds and help
screens, `a` (on the stories) the agenda, whose `enter` opens a story on the main
screen, `Q` quits from anywhere, and the command palette offers every command of the
current screen (from the same `Command` tuples as its bindings). A theme chosen in the
palette is saved to `[settings] theme`. When the CLI could not open the Newsroom it
passes the error's message instead (`run_error`), and the app shows it on a plain error
screen. The caller owns the Newsroom and closes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from functools import partial
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.screen import Screen
from textual.timer import Timer

from heraldtui.core.output.wording import uk_time
from heraldtui.tui.commands import (
    APP_COMMANDS,
    STORY_COMMANDS,
    STORY_LIST_COMMANDS,
    Command,
    bindings,
)
from heraldtui.tui.links import graphical_browser_available, run_browser
from heraldtui.tui.messages import SettingNotSaved, SettingSaved
from heraldtui.tui.ports import NewsroomPort, SettingsView
from heraldtui.tui.present import is_web_link, plain, reason
from heraldtui.tui.screens.agenda import AgendaScreen
from heraldtui.tui.screens.error import ErrorScreen
from heraldtui.tui.screens.feeds import FeedsScreen
from heraldtui.tui.screens.help import HelpScreen, Sections
from heraldtui.tui.screens.link import LinkScreen
from heraldtui.tui.screens.main import MainScreen

SCREEN_TITLES = {
    "MainScreen": "stories",
    "ArticleScreen": "article",
    "FeedsScreen": "feeds",
    "ExportScreen": "export",
    "LinkScreen": "link",
    "AgendaScreen": "agenda",
    "ForceScreen": "force",
}


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
        has_browser: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__()
        if newsroom is None and startup_error is None:
            raise ValueError("HeraldApp needs a newsroom or a startup error to show")
        self.newsroom = newsroom
        self.refresh_on_start = refresh_on_start
        self.now: Callable[[], datetime] = now or (lambda: datetime.now(UTC))
        self.today = today or uk_time(self.now()).date()
        self.startup_error = startup_error
        self.has_browser = has_browser or graphical_browser_available
        self.main_screen: MainScreen | None = None
        self.refresh_timer: Timer | None = None
        self.settings: SettingsView | None = newsroom.settings if newsroom is not None else None
        theme = self.settings.theme if self.settings is not None else None
        if theme and theme in self.available_themes:
            self.theme = theme

    @property
    def text_width(self) -> int | None:
        return self.settings.text_width if self.settings is not None else None

    def get_default_screen(self) -> Screen[None]:
        if self.newsroom is None or self.startup_error is not None:
            return ErrorScreen(self.startup_error or "No newsroom")
        self.main_screen = MainScreen(self.newsroom, today=self.today, now=self.now)
        return self.main_screen

    def on_mount(self) -> None:
        if self.main_screen is None:
            return
        if self.refresh_on_start:
            self.main_screen.action_refresh()
        minutes = self.settings.auto_refresh_minutes if self.settings is not None else 0
        if minutes > 0:
            self.refresh_timer = self.set_interval(
                minutes * 60, self._refresh_on_timer, name="auto refresh"
            )
        self.watch(self, "theme", self._theme_changed, init=False)

    def _refresh_on_timer(self) -> None:
        """Every `auto_refresh_minutes`; a refresh still running is left to finish."""
        main = self.main_screen
        if main is not None and not main.state.refreshing:
            main.action_refresh()

    # -- settings ------------------------------------------------------------------------

    def _theme_changed(self, theme: str) -> None:
        saved = self.settings.theme if self.settings is not None else None
        if self.newsroom is not None and theme != saved:
            self._save_setting("theme", theme)

    @work(thread=True, group="settings", exit_on_error=False, description="Save a setting")
    def _save_setting(self, key: str, value: str | int | None) -> None:
        assert self.newsroom is not None
        try:
            self.newsroom.save_setting(key, value)
        except Exception as error:
            self.post_message(SettingNotSaved(key, reason(error)))
            return
        self.post_message(SettingSaved(key, value))

    @on(SettingSaved)
    def _setting_saved(self, message: SettingSaved) -> None:
        if self.newsroom is not None:
            self.settings = self.newsroom.settings

    @on(SettingNotSaved)
    def _setting_not_saved(self, message: SettingNotSaved) -> None:
        self.notify(
            message.error, title=f"{message.key} not saved", severity="warning", markup=False
        )

    # -- links ---------------------------------------------------------------------------

    def open_link(self, url: str) -> None:
        """Open a web link: the configured browser, a graphical one, or say there is none
        and offer to copy it (see `links.py`)."""
        if not is_web_link(url):
            self.notify(
                f"Not a web link, not opened: {plain(url)}", severity="warning", markup=False
            )
            return
        command = self.settings.browser if self.settings is not None else None
        self._open_in_browser(url, command)

    @work(thread=True, group="browser", exit_on_error=False, description="Open a link")
    def _open_in_browser(self, url: str, command: str | None) -> None:
        """Off the event loop: finding the default browser may run `xdg-settings`, and a
        browser named by $BROWSER is waited for until it exits; the reader must not freeze."""
        if command:
            try:
                run_browser(command, url)
            except OSError as error:
                reason = f"The browser command failed: {error}"
                self.call_from_thread(self.push_screen, LinkScreen(url, reason))
            return
        if self.has_browser():
            self.open_url(url)
        else:
            self.call_from_thread(self.push_screen, LinkScreen(url))

    # -- screens -------------------------------------------------------------------------

    def feeds_changed(self) -> None:
        """The main screen reports refresh progress; an open feeds screen re-reads states."""
        for screen in self.screen_stack:
            if isinstance(screen, FeedsScreen):
                screen.reload()

    def action_feeds(self) -> None:
        if self.newsroom is None or isinstance(self.screen, FeedsScreen):
            return
        self.push_screen(FeedsScreen(self.newsroom, now=self.now))

    def action_agenda(self) -> None:
        """The agenda (`a` on the stories); `enter` there opens a story here."""
        if self.newsroom is None or isinstance(self.screen, AgendaScreen):
            return
        self.push_screen(AgendaScreen(self.newsroom, today=self.today), self._agenda_closed)

    def _agenda_closed(self, story_id: str | None) -> None:
        if story_id is not None and self.main_screen is not None:
            self.main_screen.open_story_id(story_id, back_to=self.action_agenda)

    async def action_quit(self) -> None:
        """Quit (`q` on the list, `Q` anywhere); a story being read counts as left."""
        if self.main_screen is not None and self.main_screen.state.reading is not None:
            self.main_screen.leave_story(to_list=False)
        self.exit()

    def help_sections(self, screen: Screen[Any]) -> Sections:
        """The keys of `screen`, one block per part of it (`q` where it means quit)."""
        if isinstance(screen, MainScreen):
            quit_ = tuple(c for c in APP_COMMANDS if c.id == "app.quit")
            return [
                ("Story list", (*STORY_LIST_COMMANDS, *quit_)),
                ("Story", STORY_COMMANDS),
                ("List and story", screen.COMMAND_SET),
            ]
        name = SCREEN_TITLES.get(type(screen).__name__, type(screen).__name__)
        return [(name.capitalize(), self._screen_commands(screen))]

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        screen = self.screen
        title = SCREEN_TITLES.get(type(screen).__name__, type(screen).__name__)
        self.push_screen(HelpScreen(title, self.help_sections(screen)))

    @staticmethod
    def _screen_commands(screen: Screen[Any]) -> tuple[Command, ...]:
        commands: tuple[Command, ...] = getattr(screen, "COMMAND_SET", ())
        return commands

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette: Textual's own commands, then every command of `screen` and the app."""
        yield from super().get_system_commands(screen)
        owners: list[tuple[Any, tuple[Command, ...]]] = [(screen, self._screen_commands(screen))]
        if isinstance(screen, MainScreen):
            owners.append((screen.story_view, STORY_COMMANDS))
        for owner, commands in owners:
            for command in commands:
                if command.palette:
                    yield SystemCommand(
                        command.title, command.help, partial(owner.run_action, command.action)
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
