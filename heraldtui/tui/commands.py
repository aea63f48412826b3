"""Every user command, declared once: key, action, footer label and help text.

A `Command` becomes a `Binding` (with an id, so Textual's keymap can rebind it), a footer entry
when `show` is set, a line on the help screen and an entry in the command palette. The
screens and widgets that own the keys build their `BINDINGS` from these tuples, the help
screen reads the same tuples and `HeraldApp.get_system_commands` offers them in the
palette, so the four cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True, slots=True)
class Command:
    """One command the user can give.

    `id` is the binding id (`main.refresh`) a keymap would name; `keys` are Textual key
    names, comma-separated; `action` is run on the node that owns the command.
    """

    id: str
    keys: str
    action: str
    title: str
    help: str
    show: bool = True
    palette: bool = True

    @property
    def key_display(self) -> str:
        names = {
            "question_mark": "?",
            "slash": "/",
            "escape": "esc",
            "pageup": "pgup",
            "pagedown": "pgdn",
        }
        return "/".join(names.get(key.strip(), key.strip()) for key in self.keys.split(","))


def bindings(commands: tuple[Command, ...]) -> list[Binding]:
    """The `BINDINGS` of a screen or widget that owns `commands`."""
    return [
        Binding(c.keys, c.action, c.title, show=c.show, id=c.id, tooltip=c.help) for c in commands
    ]


STORY_LIST_COMMANDS: tuple[Command, ...] = (
    Command("list.down", "j,down", "cursor_down", "Down", "Next story", show=False, palette=False),
    Command("list.up", "k,up", "cursor_up", "Up", "Previous story", show=False, palette=False),
    Command("list.open", "enter", "select", "Open", "Open the highlighted story", palette=False),
    Command("list.first", "home", "first", "First", "First story", show=False, palette=False),
    Command("list.last", "end", "last", "Last", "Last story", show=False, palette=False),
    Command(
        "list.page_up",
        "pageup",
        "page_up",
        "Page up",
        "A page of stories up",
        show=False,
        palette=False,
    ),
    Command(
        "list.page_down",
        "pagedown",
        "page_down",
        "Page down",
        "A page of stories down",
        show=False,
        palette=False,
    ),
)

MAIN_COMMANDS: tuple[Command, ...] = (
    Command(
        "main.filter",
        "slash",
        "filter",
        "Filter",
        "Filter stories by words: force, person, headline",
    ),
    Command("main.unread", "u", "toggle_unread", "Unread", "Show only unread stories, or all"),
    Command(
        "main.mark",
        "m",
        "toggle_read",
        "Read/unread",
        "Mark the story (all its articles) read or unread",
    ),
    Command("main.star", "s", "toggle_star", "Star", "Star or unstar the story"),
    Command("main.refresh", "r", "refresh", "Refresh", "Fetch every feed now"),
    Command(
        "main.export",
        "e",
        "export",
        "Export",
        "Write the digest of the shown stories (Markdown, JSON or ICS by suffix)",
    ),
    Command(
        "main.open_link",
        "o",
        "open_link",
        "Browser",
        "Open the article or meeting link in the web browser",
    ),
    Command(
        "main.back",
        "escape",
        "back",
        "Back",
        "Clear the filter or go back to the list",
        show=False,
        palette=False,
    ),
)

ARTICLE_COMMANDS: tuple[Command, ...] = (
    Command("article.back", "escape", "back", "Back", "Back to the story"),
    Command(
        "article.down", "j,down", "scroll_down", "Down", "Scroll down", show=False, palette=False
    ),
    Command("article.up", "k,up", "scroll_up", "Up", "Scroll up", show=False, palette=False),
    Command("article.mark", "m", "toggle_read", "Read/unread", "Mark the article read or unread"),
    Command("article.star", "s", "toggle_star", "Star", "Star or unstar the article"),
    Command(
        "article.open_link",
        "o",
        "open_link",
        "Browser",
        "Open the article's link in the web browser",
    ),
)

FEEDS_COMMANDS: tuple[Command, ...] = (
    Command("feeds.back", "escape", "back", "Back", "Back to the stories"),
    Command("feeds.refresh", "r", "refresh", "Refresh", "Fetch every feed now"),
)

EXPORT_COMMANDS: tuple[Command, ...] = (
    Command("export.cancel", "escape", "cancel", "Cancel", "Close without writing anything"),
)

HELP_COMMANDS: tuple[Command, ...] = (
    Command("help.close", "escape,question_mark,q", "dismiss", "Close", "Close the help"),
)

ERROR_COMMANDS: tuple[Command, ...] = (
    Command("error.quit", "q,escape", "app.quit", "Quit", "Leave heraldtui and fix the file"),
)

APP_COMMANDS: tuple[Command, ...] = (
    Command("app.feeds", "f", "feeds", "Feeds", "Show each feed's last fetch, status and error"),
    Command("app.help", "question_mark", "help", "Help", "List every key"),
    Command("app.quit", "q", "quit", "Quit", "Leave heraldtui"),
)

NAVIGATION_HELP: tuple[tuple[str, str], ...] = (
    ("tab / shift+tab", "Move between the story list and the story"),
    ("ctrl+p", "Command palette: every command by name"),
)
"""Keys Textual itself provides, listed on the help screen for completeness."""
