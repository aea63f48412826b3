"""Every user command, declared once: key, action, footer label and help text.

A `Command` becomes a `Binding` (with an id, so Textual's keymap can rebind it), a footer entry
when `show` is set, a line on the help screen and an entry in the command palette. The
screens and widgets that own the keys build their `BINDINGS` from these tuples, the help
screen reads the same tuples and `HeraldApp.get_system_commands` offers them in the
palette, so the four cannot drift apart.

The keyboard contract (README's key table says the same):

- List: `j`/`k` and arrows move; `g`/`G` top and bottom; `n`/`p` next and previous unread;
  `enter` opens the story with the keys in it; `/` filters as you type (`enter` back to
  the list keeping it, `escape` clears it); `u` unread only; `*` or `S` starred only;
  `A` marks every shown story read (`m` on a story undoes it).
- Story: `j`/`k` and arrows scroll a line; `space`, `pagedown`, `ctrl+d` a page down;
  `b`, `pageup`, `ctrl+u` a page up; `g`/`G` top and bottom; `tab` moves between the
  grades, quotes, meetings, related stories and sources; `enter` on a source opens the
  article, on a related story that story; `J`/`K` the next and previous story; `o` opens
  the link under the cursor.
- List and story: `x` fixes the story's grouping (split an article out of it, or move it
  to another story: in a story, the source under the cursor), `M` merges the story into
  another, `U` undoes the last fix, `X` lists every fix to undo any one.
- List and story: `F` the story's force over time (its own screen: `tab` between its
  inspections, meetings and recent stories, `enter` opens one, `q`/`escape` back).
- Feeds: `u` writes the new URL of a feed that moved for good into feeds.toml, `c` lets a
  feed that answered 410 Gone be fetched again, `r` refreshes.
- `q` and `escape` go back one level; `q` on the list quits; `Q` quits from anywhere.

Footers are kept to what fits 80 columns with `? Help` and `q` in them.
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
            "asterisk": "*",
            "escape": "esc",
            "pageup": "pgup",
            "pagedown": "pgdn",
        }
        return "/".join(names.get(key.strip(), key.strip()) for key in self.keys.split(","))

    @property
    def footer_key(self) -> str:
        """The key the footer shows: the first one, short."""
        first = self.key_display.split("/")[0]
        return {"enter": "⏎", "space": "␣"}.get(first, first)


def bindings(commands: tuple[Command, ...]) -> list[Binding]:
    """The `BINDINGS` of a screen or widget that owns `commands`.

    The footer shows the first key of each (`j` for `j,down`), named as on the help screen.
    """
    return [
        Binding(
            c.keys,
            c.action,
            c.title,
            show=c.show,
            id=c.id,
            tooltip=c.help,
            key_display=c.footer_key,
        )
        for c in commands
    ]


def _hidden(id: str, keys: str, action: str, title: str, help: str) -> Command:
    """A command kept out of the footer and the palette (movement keys): help lists it."""
    return Command(id, keys, action, title, help, show=False, palette=False)


STORY_LIST_COMMANDS: tuple[Command, ...] = (
    _hidden("list.down", "j,down", "cursor_down", "Down", "Next story"),
    _hidden("list.up", "k,up", "cursor_up", "Up", "Previous story"),
    _hidden("list.first", "g,home", "first", "Top", "First story"),
    _hidden("list.last", "G,end", "last", "Bottom", "Last story"),
    _hidden("list.page_down", "pagedown", "page_down", "Page down", "A page of stories down"),
    _hidden("list.page_up", "pageup", "page_up", "Page up", "A page of stories up"),
    _hidden("list.next_unread", "n", "next_unread", "Next unread", "Next unread story"),
    _hidden("list.prev_unread", "p", "previous_unread", "Previous unread", "Previous unread"),
    Command(
        "list.open",
        "enter",
        "select",
        "Open",
        "Open the story; it is marked read when you leave it",
        palette=False,
    ),
    # The list's filters act on the screen, which owns what the list shows.
    Command(
        "list.filter",
        "slash",
        "screen.filter",
        "Filter",
        "Filter as you type: person, quote, force, any word (enter keeps it, esc clears)",
    ),
    Command("list.unread", "u", "screen.toggle_unread", "Unread", "Only unread stories, or all"),
    Command(
        "list.starred",
        "asterisk,S",
        "screen.toggle_starred",
        "Starred",
        "Only starred stories, or all",
        show=False,
    ),
    Command(
        "list.watched",
        "w",
        "screen.toggle_watched",
        "Watched",
        "Only stories your [[watch]] rules match (marked ◆), or all",
        show=False,
    ),
    Command(
        "list.force",
        "F",
        "screen.force",
        "Force",
        "The story's force over time: inspections and grades, meetings, people, news",
        palette=False,
    ),
    Command(
        "list.mark_all",
        "A",
        "screen.mark_all_read",
        "All read",
        "Mark every shown story read (m on a story marks it unread again)",
        show=False,
    ),
)

MAIN_COMMANDS: tuple[Command, ...] = (
    Command(
        "main.mark",
        "m",
        "toggle_read",
        "Read/unread",
        "Mark the story (all its articles) read or unread",
        show=False,
    ),
    Command("main.star", "s", "toggle_star", "Star", "Star or unstar the story", show=False),
    Command("main.refresh", "r", "refresh", "Refresh", "Fetch every feed now"),
    Command(
        "main.export",
        "e",
        "export",
        "Export",
        "Write the shown stories: Markdown, JSON or a calendar, by the file's suffix",
        show=False,
    ),
    Command(
        "main.open_link",
        "o",
        "open_link",
        "Browser",
        "Open a link in the browser: on the list the story's lead article, in a story "
        "the document, source or meeting under the cursor",
        show=False,
    ),
    Command(
        "main.agenda",
        "a",
        "app.agenda",
        "Agenda",
        "Upcoming public meetings across all stories, soonest first",
        show=False,
    ),
    Command(
        "main.fix_article",
        "x",
        "fix_article",
        "Fix group",
        "Fix the story's grouping: split an article out of it (it stands alone), or move "
        "it to another story picked from a list. In a story, the source under the cursor",
        show=False,
    ),
    Command(
        "main.merge_story",
        "M",
        "merge_story",
        "Merge",
        "Merge the story into another, picked from a list (type to narrow it)",
        show=False,
    ),
    Command(
        "main.undo_fix",
        "U",
        "undo_fix",
        "Undo fix",
        "Undo the last fix to the grouping (x, M)",
        show=False,
    ),
    Command(
        "main.fixes",
        "X",
        "fixes",
        "Fixes",
        "Every fix to the grouping, newest first: undo any one of them",
        show=False,
    ),
    _hidden("main.back", "escape", "back", "Clear", "On the list: clear the filter"),
)

FILTER_COMMANDS: tuple[Command, ...] = (
    Command("filter.keep", "enter", "submit", "Keep", "Back to the list, keeping the filter"),
    Command("filter.clear", "escape", "screen.back", "Clear", "Clear the filter"),
)

STORY_COMMANDS: tuple[Command, ...] = (
    _hidden("story.down", "j,down", "scroll_line_down", "Down", "Scroll a line down"),
    _hidden("story.up", "k,up", "scroll_line_up", "Up", "Scroll a line up"),
    Command(
        "story.page_down",
        "space,pagedown,ctrl+d",
        "page_down",
        "Page",
        "Scroll a page down",
        palette=False,
    ),
    _hidden("story.page_up", "b,pageup,ctrl+u", "page_up", "Page up", "Scroll a page up"),
    _hidden("story.top", "g,home", "top", "Top", "The top of the story"),
    _hidden("story.bottom", "G,end", "bottom", "Bottom", "The end of the story"),
    Command(
        "story.next_part",
        "tab",
        "next_part",
        "Next part",
        "Next part: documents, grades, quotes, each meeting, related story, source",
        palette=False,
    ),
    _hidden("story.prev_part", "shift+tab", "previous_part", "Previous part", "The part before"),
    _hidden(
        "story.open",
        "enter",
        "open_part",
        "Open",
        "On a source: open the article; on a related story: open that story",
    ),
    Command("story.next", "J", "next_story", "Next story", "The next story, without going back"),
    Command(
        "story.force",
        "F",
        "screen.force",
        "Force",
        "The story's force over time: inspections and grades, meetings, people, news",
        show=False,  # the story's footer is full at 80 columns; help and palette have it
    ),
    _hidden("story.previous", "K", "previous_story", "Previous story", "The previous story"),
    Command(
        "story.back",
        "q,escape",
        "back",
        "Back",
        "Back to the list (or the force or agenda it was opened from)",
        palette=False,
    ),
)

ARTICLE_COMMANDS: tuple[Command, ...] = (
    Command("article.back", "q,escape", "back", "Back", "Back to the story"),
    _hidden("article.down", "j,down", "scroll_down", "Down", "Scroll a line down"),
    _hidden("article.up", "k,up", "scroll_up", "Up", "Scroll a line up"),
    Command(
        "article.page_down",
        "space,pagedown,ctrl+d",
        "page_down",
        "Page",
        "Scroll a page down",
        palette=False,
    ),
    _hidden("article.page_up", "b,pageup,ctrl+u", "page_up", "Page up", "Scroll a page up"),
    _hidden("article.top", "g,home", "top", "Top", "The top of the article"),
    _hidden("article.bottom", "G,end", "bottom", "Bottom", "The end of the article"),
    Command("article.mark", "m", "toggle_read", "Read/unread", "Mark the article read or unread"),
    Command("article.star", "s", "toggle_star", "Star", "Star or unstar the article"),
    Command(
        "article.open_link",
        "o",
        "open_link",
        "Browser",
        "Open the article's link in the browser",
    ),
)

FORCE_COMMANDS: tuple[Command, ...] = (
    Command(
        "force.open",
        "enter",
        "open_part",
        "Open",
        "Open the story of the inspection, meeting or recent story under the cursor",
        palette=False,
    ),
    _hidden("force.down", "j,down", "scroll_line_down", "Down", "Scroll a line down"),
    _hidden("force.up", "k,up", "scroll_line_up", "Up", "Scroll a line up"),
    _hidden("force.page_down", "space,pagedown,ctrl+d", "page_down", "Page", "A page down"),
    _hidden("force.page_up", "b,pageup,ctrl+u", "page_up", "Page up", "A page up"),
    _hidden("force.top", "g,home", "top", "Top", "The top of the screen"),
    _hidden("force.bottom", "G,end", "bottom", "Bottom", "The end of the screen"),
    Command(
        "force.next_part",
        "tab",
        "next_part",
        "Next",
        "Move to the next inspection, meeting or recent story",
        palette=False,
    ),
    _hidden("force.prev_part", "shift+tab", "previous_part", "Previous", "The one before"),
    Command("force.back", "q,escape", "back", "Back", "Back to where you pressed F"),
)

FEEDS_COMMANDS: tuple[Command, ...] = (
    Command("feeds.back", "q,escape", "back", "Back", "Back to the stories"),
    Command("feeds.refresh", "r", "refresh", "Refresh", "Fetch every feed now"),
    Command(
        "feeds.follow",
        "u",
        "follow_move",
        "New URL",
        "Write the URL a feed moved to for good (301/308) into feeds.toml",
    ),
    Command(
        "feeds.clear_gone",
        "c",
        "clear_gone",
        "Clear gone",
        "Fetch a feed that answered 410 Gone again on the next refresh",
    ),
)

AGENDA_COMMANDS: tuple[Command, ...] = (
    _hidden("agenda.down", "j,down", "cursor_down", "Down", "Next meeting"),
    _hidden("agenda.up", "k,up", "cursor_up", "Up", "Previous meeting"),
    _hidden("agenda.first", "g,home", "first", "Top", "The first meeting"),
    _hidden("agenda.last", "G,end", "last", "Bottom", "The last meeting"),
    Command("agenda.open", "enter", "open_story", "Open story", "Open the story it came from"),
    Command("agenda.past", "p", "toggle_past", "Past too", "Show past meetings too, or not"),
    Command(
        "agenda.open_link",
        "o",
        "open_link",
        "Browser",
        "Open the meeting's link (else its first source) in the browser",
    ),
    Command("agenda.back", "q,escape", "back", "Back", "Back to the stories"),
)

FIX_COMMANDS: tuple[Command, ...] = (
    Command("fix.split", "x,enter", "split", "Split out", "The article stands alone"),
    Command("fix.move", "m", "move", "Move", "Move the article to another story"),
    Command("fix.cancel", "q,escape", "cancel", "Cancel", "Close without changing anything"),
)

PICK_COMMANDS: tuple[Command, ...] = (
    _hidden("pick.down", "down", "cursor_down", "Down", "The next story"),
    _hidden("pick.up", "up", "cursor_up", "Up", "The story before"),
    Command("pick.cancel", "escape", "cancel", "Cancel", "Close without changing anything"),
)
"""Typing narrows the list and `enter` picks (the field's own keys)."""

FIXES_COMMANDS: tuple[Command, ...] = (
    Command("fixes.undo", "u,enter,delete", "undo", "Undo", "Undo the fix under the cursor"),
    Command("fixes.close", "q,escape", "close", "Close", "Close without undoing anything"),
)

EXPORT_COMMANDS: tuple[Command, ...] = (
    Command("export.cancel", "escape", "cancel", "Cancel", "Close without writing anything"),
)


def _quit_here(owner: str) -> Command:
    """`Q` on a modal screen, which the app's own `Q` does not reach."""
    return _hidden(f"{owner}.quit", "Q", "app.quit", "Quit", "Leave heraldtui")


LINK_COMMANDS: tuple[Command, ...] = (
    Command("link.copy", "c", "copy", "Copy", "Copy the link (OSC 52: most terminals allow it)"),
    Command("link.close", "q,escape", "close", "Close", "Close without opening anything"),
    _quit_here("link"),
)

HELP_COMMANDS: tuple[Command, ...] = (
    Command("help.close", "escape,question_mark,q", "dismiss", "Close", "Close the help"),
    _quit_here("help"),
)

ERROR_COMMANDS: tuple[Command, ...] = (
    Command("error.quit", "q,escape", "app.quit", "Quit", "Leave heraldtui and fix the file"),
)

APP_COMMANDS: tuple[Command, ...] = (
    Command("app.feeds", "f", "feeds", "Feeds", "Each feed's last fetch, status and error"),
    Command("app.help", "question_mark", "help", "Help", "The keys of this screen"),
    Command("app.quit", "q", "quit", "Quit", "Leave heraldtui (on the list)"),
    Command("app.quit_now", "Q", "quit", "Quit", "Leave heraldtui from anywhere", show=False),
)

NAVIGATION_HELP: tuple[tuple[str, str], ...] = (
    ("ctrl+p", "Command palette: every command by name, and the theme (saved)"),
)
"""Keys Textual itself provides, listed on the help screen for completeness."""
