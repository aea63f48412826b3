"""The small dialogs that fix the grouping: which article and what to do with it (`x`),
which story to move or merge into (a list narrowed as you type), and every fix so far
(`X`), to undo any one. Each dismisses with the choice; the main screen makes it through
the Newsroom in a worker (`screens/fixing.py`)."""

from __future__ import annotations

from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from heraldtui.core.models import Article, Correction, MergedStory
from heraldtui.tui.commands import FIX_COMMANDS, FIXES_COMMANDS, PICK_COMMANDS, Command, bindings
from heraldtui.tui.present import plain, short_date

FixChoice = tuple[Literal["split", "move"], str]
"""What to do with which article (its id)."""
PICK_SHOWN = 200
"""Stories the picker lists at most: typing narrows the rest."""
ACTION_WORDS: dict[str, str] = {"split": "Split out", "move": "Moved", "merge": "Merged"}


def _hint(text: str) -> Static:
    return Static(Content.styled(text, "$foreground-muted"), classes="fix-keys")


def article_line(article: Article) -> Content:
    return Content.assemble(
        Content.styled(plain(article.feed), "bold"),
        Content.styled(f" · {short_date(article.published)} · ", "$foreground-muted"),
        plain(article.title),
    )


class FixArticleScreen(ModalScreen[FixChoice | None]):
    """The story's articles, the cursor on the selected one: `x` or `enter` splits it
    out, `m` moves it to another story."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings(FIX_COMMANDS))
    COMMAND_SET: ClassVar[tuple[Command, ...]] = FIX_COMMANDS

    def __init__(self, story: MergedStory, selected: str | None = None) -> None:
        super().__init__()
        self.story = story
        self.selected = selected

    def compose(self) -> ComposeResult:
        articles = self.story.story.articles
        with Vertical(id="fix-box", classes="fix-box"):
            yield Static(Content(plain(self.story.story.title)), classes="fix-title")
            yield OptionList(
                *(Option(article_line(a), id=a.id) for a in articles), id="fix-articles"
            )
            yield _hint(
                "x or enter: split it out (it stands alone) · "
                "m: move it to another story · esc: cancel"
            )

    def on_mount(self) -> None:
        self.query_one("#fix-box").border_title = "Fix the group"
        options = self.query_one("#fix-articles", OptionList)
        ids = [a.id for a in self.story.story.articles]
        options.highlighted = ids.index(self.selected) if self.selected in ids else 0
        options.focus()

    @property
    def article_id(self) -> str | None:
        options = self.query_one("#fix-articles", OptionList)
        if options.highlighted is None:
            return None
        return options.get_option_at_index(options.highlighted).id

    @on(OptionList.OptionSelected, "#fix-articles")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_split()

    def action_split(self) -> None:
        if (article := self.article_id) is not None:
            self.dismiss(("split", article))

    def action_move(self) -> None:
        if (article := self.article_id) is not None:
            self.dismiss(("move", article))

    def action_cancel(self) -> None:
        self.dismiss(None)


def story_line(story: MergedStory) -> Content:
    s = story.story
    sources = f"{len(s.articles)} source{'s' if len(s.articles) != 1 else ''}"
    when = short_date(s.articles[-1].published) if s.articles else ""
    return Content.assemble(
        plain(s.title),
        Content.styled(f" · {sources} · {when}", "$foreground-muted"),
        Content.styled(f" · {plain(s.force)}" if s.force else "", "$foreground-muted"),
    )


def matches(story: MergedStory, words: list[str]) -> bool:
    """Every typed word is in the headline, the force or an article's feed or title."""
    s = story.story
    text = " ".join([s.title, s.force or "", *(f"{a.feed} {a.title}" for a in s.articles)])
    low = text.lower()
    return all(word in low for word in words)


class PickStoryScreen(ModalScreen[str | None]):
    """Every other listed story, newest first, narrowed as you type; `enter` picks the
    one under the cursor (up and down move it) and dismisses with its id."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings(PICK_COMMANDS))
    COMMAND_SET: ClassVar[tuple[Command, ...]] = PICK_COMMANDS

    def __init__(self, stories: list[MergedStory], exclude: str, prompt: str) -> None:
        super().__init__()
        self.stories = [s for s in stories if s.story.id != exclude]
        self.prompt = prompt
        self.shown: list[MergedStory] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-box", classes="fix-box"):
            yield Static(Content(plain(self.prompt)), classes="fix-title")
            yield Input(placeholder="Type to narrow: headline, force, outlet", id="pick-filter")
            yield OptionList(id="pick-stories")
            yield Static(id="pick-count", classes="fix-keys")
            yield _hint("↑/↓: move · enter: pick · esc: cancel")

    def on_mount(self) -> None:
        self.query_one("#pick-box").border_title = "Pick a story"
        self._narrow("")
        self.query_one("#pick-filter", Input).focus()

    @on(Input.Changed, "#pick-filter")
    def _typed(self, event: Input.Changed) -> None:
        self._narrow(event.value)

    def _narrow(self, typed: str) -> None:
        words = typed.lower().split()
        found = [s for s in self.stories if matches(s, words)] if words else self.stories
        self.shown = found[:PICK_SHOWN]
        options = self.query_one("#pick-stories", OptionList)
        options.clear_options()
        options.add_options([Option(story_line(s), id=s.story.id) for s in self.shown])
        if self.shown:
            options.highlighted = 0
        more = len(found) - len(self.shown)
        count = f"{len(found)} stor{'y' if len(found) == 1 else 'ies'}" + (
            f" ({more} more: type to narrow)" if more > 0 else ""
        )
        self.query_one("#pick-count", Static).update(Content.styled(count, "$foreground-muted"))

    @property
    def picked(self) -> str | None:
        options = self.query_one("#pick-stories", OptionList)
        if options.highlighted is None or not self.shown:
            return None
        return self.shown[options.highlighted].story.id

    def action_cursor_down(self) -> None:
        self.query_one("#pick-stories", OptionList).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#pick-stories", OptionList).action_cursor_up()

    @on(Input.Submitted, "#pick-filter")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if (story := self.picked) is not None:
            self.dismiss(story)

    @on(OptionList.OptionSelected, "#pick-stories")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


def correction_line(fix: Correction) -> Content:
    return Content.assemble(
        Content.styled(f"{short_date(fix.made)} · {ACTION_WORDS[fix.action]}: ", "bold"),
        plain(fix.note),
    )


class FixesScreen(ModalScreen[int | None]):
    """Every fix to the grouping, newest first; `u`, `enter` or `delete` dismisses with
    the id of the one under the cursor, to undo it."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings(FIXES_COMMANDS))
    COMMAND_SET: ClassVar[tuple[Command, ...]] = FIXES_COMMANDS

    def __init__(self, corrections: list[Correction]) -> None:
        super().__init__()
        self.corrections = sorted(corrections, key=lambda c: -c.id)

    def compose(self) -> ComposeResult:
        with Vertical(id="fixes-box", classes="fix-box"):
            yield OptionList(
                *(Option(correction_line(c), id=str(c.id)) for c in self.corrections),
                id="fixes-list",
            )
            yield _hint("u or enter: undo it · esc: close")

    def on_mount(self) -> None:
        self.query_one("#fixes-box").border_title = "Fixes to the grouping"
        options = self.query_one("#fixes-list", OptionList)
        if self.corrections:
            options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected, "#fixes-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_undo()

    def action_undo(self) -> None:
        options = self.query_one("#fixes-list", OptionList)
        if options.highlighted is not None and self.corrections:
            self.dismiss(self.corrections[options.highlighted].id)

    def action_close(self) -> None:
        self.dismiss(None)
