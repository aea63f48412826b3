"""The main screen: the story list and the selected story's merged view.

At 100 columns or more the two sit side by side; below that each is one pane, full
width, and `enter` and `q` move between them (the `-narrow` and `-reading` classes; the
layout is in app.tcss). `enter` opens a story with the keys in it; leaving it (`q`,
`escape`, or `J`/`K` to the next) marks it read, so a story is never marked read before
it was seen, and the per-source unread marks keep telling what is new.

It starts from the cache at once, in a thread worker, so a reader with no network still
reads everything stored: first the newest `FIRST_PAGE` stories (`Newsroom.newest_stories`,
read from the newest articles back, so the first list costs the same at 500 stored
articles or 50,000), then, once that page is painted, every story (`Newsroom.stories()`),
which replaces the page with the cursor on the same story. Then it reads every listed
story's text in another thread for the filter, and refreshes in the background (the async
`Newsroom.refresh()` in an exclusive worker on the event loop). Workers report back by
posting messages from `messages.py`; a failing feed is counted on the status line
("3 feeds failing: f for details"), never raised as a toast over the story.

What the screen knows apart from its widgets (stories, filter, marks, merged facts,
loads, the story being read, the feeds' state) is a `MainState` (`state.py`); the screen
asks it and updates the widgets. The selection follows the story id, so it survives a
refresh, a filter and a reorder.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Footer, Input, Label, ProgressBar, Static
from textual.worker import get_current_worker

from heraldtui.core.models import Article, MergedStory
from heraldtui.tui.commands import MAIN_COMMANDS, Command, bindings
from heraldtui.tui.messages import (
    ExportFinished,
    OpenArticle,
    OpenStory,
    StoriesIndexed,
    StoriesLoaded,
    StoriesLoadFailed,
    StoriesWatched,
    StoryLeft,
    StoryMerged,
    StoryOpened,
)
from heraldtui.tui.ports import NewsroomPort
from heraldtui.tui.present import lead_article, reason
from heraldtui.tui.screens.marking import Marking
from heraldtui.tui.screens.refreshing import Refreshing
from heraldtui.tui.state import (
    MainState,
    is_unread,
    search_keys,
    text_words,
    with_flags,
)
from heraldtui.tui.widgets.filter_input import FilterInput
from heraldtui.tui.widgets.story_list import StoryList
from heraldtui.tui.widgets.story_view import StoryView

NARROW = 100
"""Below this many columns the list and the story are one pane each."""
FIRST_PAGE = 200
"""Stories the first load lists before the rest: several screens of them, read in a few
milliseconds whatever the history holds."""


class MainScreen(Refreshing, Marking):
    """See the module docstring."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings(MAIN_COMMANDS))
    COMMAND_SET: ClassVar[tuple[Command, ...]] = MAIN_COMMANDS
    AUTO_FOCUS = "StoryList"

    def __init__(self, newsroom: NewsroomPort, *, today: date, now: Callable[[], datetime]) -> None:
        super().__init__()
        self.newsroom = newsroom
        self.today = today
        self.now = now
        self.state = MainState()
        self._pending_view: tuple[MergedStory | None] | None = None
        self._back_to: tuple[str, Callable[[], None]] | None = None
        """The story opened from another screen (the force's, the agenda) and how to
        return there when the reader leaves it with escape."""

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        yield FilterInput(
            placeholder="Filter: person, quote, force, any word (esc clears)", id="filter"
        )
        with Horizontal(id="panes"):
            with Vertical(id="list-pane"):
                yield StoryList(id="stories", empty_text="Loading stories…")
            yield StoryView(today=self.today, id="story")
        with Horizontal(id="progress-row"):
            yield Label(id="progress-label")
            yield ProgressBar(id="progress", show_eta=False, show_percentage=False)
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self.query_one("#progress-row").display = False
        self.set_class(self.app.size.width < NARROW, "-narrow")
        self.story_view.show(None, "")
        self._update_status()
        self.request_load()

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")

    # -- what is on screen (`story_list`, `story_view`: `GroupFixing`; `shown`: `Marking`) -----

    @property
    def all_stories(self) -> list[MergedStory]:
        """Every listed story, filtered or not."""
        return self.state.stories

    @property
    def loaded(self) -> bool:
        """True once the first load from the store has been shown."""
        return self.state.loaded

    @property
    def narrow(self) -> bool:
        return self.has_class("-narrow")

    @property
    def view_pending(self) -> bool:
        """A highlighted story waits for the next paint to be shown (see below)."""
        return self._pending_view is not None

    def _update_status(self) -> None:
        # Content, not a str: the filter is typed text and must not be read as markup.
        status = self.state.status(len(self.shown), self.now())
        self.query_one("#status", Static).update(Content(status))

    # -- loading -------------------------------------------------------------------------

    def request_load(self) -> None:
        """Reload stories from the store, coalescing requests that arrive meanwhile."""
        first = not self.state.loaded
        generation = self.state.begin_load()
        if generation is not None:
            self._load(generation, first_page=first)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False, description="Load")
    def _load(self, generation: int, *, first_page: bool = False) -> None:
        """Every story; with `first_page`, the newest page alone when there are more."""
        try:
            if first_page:
                page = self.newsroom.newest_stories(FIRST_PAGE)
                if len(page) >= FIRST_PAGE:  # more may follow: the rest after the paint
                    self._post_loaded(page, generation, complete=False)
                    return
            stories = self.newsroom.stories(merge=False)
            self._post_loaded(stories, generation)
        except Exception as error:  # a failed load must still end the load, or none follows
            self.post_message(StoriesLoadFailed(reason(error), generation))

    @work(thread=True, exclusive=True, group="load", exit_on_error=False, description="Load")
    def _load_rest(self, generation: int) -> None:
        """Every story, after the first page was painted."""
        try:
            self._post_loaded(self.newsroom.stories(merge=False), generation)
        except Exception as error:
            self.post_message(StoriesLoadFailed(reason(error), generation))

    def _post_loaded(
        self, stories: list[MergedStory], generation: int, *, complete: bool = True
    ) -> None:
        """In a load's thread: the feeds' state and the filter keys, then the stories."""
        states = self.newsroom.feed_states()
        if get_current_worker().is_cancelled:
            return
        failing = tuple(s.name for s in states if s.status == "error")
        fetched = [s.last_fetch for s in states if s.last_fetch is not None]
        last = max(fetched) if fetched else None
        keys = search_keys(stories)
        self.post_message(StoriesLoaded(stories, keys, generation, failing, last, complete))

    @on(StoriesLoaded)
    def _stories_loaded(self, message: StoriesLoaded) -> None:
        if message.complete:
            self._load_done()
        accepted = self.state.accept(
            message.stories, message.keys, message.generation, complete=message.complete
        )
        if not accepted:
            return  # a newer load was requested after this one started
        self.state.feeds_seen(message.failing, message.last_refresh)
        self._apply_view()
        if message.complete:
            self.follow_fix()  # after `x` or `M`: the cursor to the story the article is in
        if not self.story_list.stories:
            self.story_view.show(None, "")
        if message.complete:
            self.call_after_refresh(self._index, list(message.stories), message.generation)
            if self.newsroom.watch_rules:
                self.call_after_refresh(self._watch, list(message.stories), message.generation)
        else:
            self.call_after_refresh(self._load_rest, message.generation)

    @on(StoriesLoadFailed)
    def _stories_load_failed(self, message: StoriesLoadFailed) -> None:
        self._load_done()
        self.state.load_failed()
        self._update_status()
        self.app.notify(message.error, title="Cannot read stories", severity="error", markup=False)

    def _load_done(self) -> None:
        if self.state.end_load():
            self.request_load()

    @work(thread=True, exclusive=True, group="index", exit_on_error=False, description="Index")
    def _index(self, stories: list[MergedStory], generation: int) -> None:
        """Every story's article text as words for the filter, after the list is shown."""
        owner = {a.id: s.story.id for s in stories for a in s.story.articles}
        words: dict[str, str] = {}  # kept as words, never as the texts: memory stays small
        worker = get_current_worker()
        try:
            for article_id, text in self.newsroom.article_texts(owner):
                if worker.is_cancelled:
                    return
                story_id = owner[article_id]
                known = words.get(story_id)
                words[story_id] = text_words([known, text] if known else [text])
        except Exception:  # the filter still works on headlines, feeds and people
            return
        self.post_message(StoriesIndexed(words, generation))

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False, description="Watch")
    def _watch(self, stories: list[MergedStory], generation: int) -> None:
        """Which listed stories the `[[watch]]` rules match, after the list is shown."""
        try:
            found = self.newsroom.watched(stories)
        except Exception as error:  # the list works without the marks
            self.app.call_from_thread(
                self.app.notify,
                reason(error),
                title="Cannot check the watch rules",
                severity="warning",
                markup=False,
            )
            return
        if not get_current_worker().is_cancelled:
            rules = {story_id: rule.label for story_id, rule in found.items()}
            self.post_message(StoriesWatched(rules, generation))

    @on(StoriesWatched)
    def _stories_watched(self, message: StoriesWatched) -> None:
        if self.state.accept_watched(message.rules, message.generation):
            self.story_list.set_watched(frozenset(message.rules))
            if self.state.watched_only:
                self._apply_view()

    @on(StoriesIndexed)
    def _stories_indexed(self, message: StoriesIndexed) -> None:
        if self.state.accept_index(message.words, message.generation) and self.state.filter_text:
            self._apply_view()

    def _apply_view(self) -> None:
        current = self.story_list.current
        keep = self.state.reading or (current.story.id if current else None)
        self.story_list.empty_text = self.state.empty_text()
        self.story_list.set_stories(self.state.visible(), keep=keep)
        self._update_status()

    # -- the selected story --------------------------------------------------------------

    @on(StoryList.Highlighted)
    def _story_highlighted(self, message: StoryList.Highlighted) -> None:
        """Show the story after the list has painted its cursor, once per burst of keys.

        The merged view costs more to lay out than the list line; deferring it keeps the
        cursor's key-to-paint latency low, and a held `j` shows only the story it stops on.
        In one pane the view is hidden until a story is opened: nothing to show yet.
        """
        if self.narrow and self.state.reading is None:
            self._pending_view = None
            return
        if self._keeps_open_story(message.story):
            return
        pending = self._pending_view is not None
        self._pending_view = (message.story,)
        if not pending:
            self.call_after_refresh(self._show_pending)

    def _keeps_open_story(self, story: MergedStory | None) -> bool:
        """While a story is open and on screen, the list's cursor landing on another (a
        related story the filter hides was opened) does not replace it."""
        reading, shown = self.state.reading, self.story_view.story
        if reading is None or shown is None or shown.story.id != reading:
            return False
        return story is None or story.story.id != reading

    def _show_pending(self) -> None:
        if self._pending_view is not None:
            (story,) = self._pending_view
            self._pending_view = None
            self._show(story)

    def _show(self, story: MergedStory | None) -> None:
        """Show `story` with the facts merged for it before, or merge them now."""
        known = self.state.known_facts(story) if story is not None else None
        if known is not None:
            self.story_view.show(known)
            return
        self.story_view.show(story, "")  # no story: the list says why
        if story is not None:
            self._merge(story)

    @work(thread=True, exclusive=True, group="merge", exit_on_error=False, description="Merge")
    def _merge(self, story: MergedStory) -> None:
        """Listed stories carry no facts yet; the one on screen gets them here, with its
        place in the force's history (previous inspection, related stories)."""
        try:
            merged = self.newsroom.merge_with_history(story.story)
        except Exception as error:  # the list stays usable; only this story lacks facts
            self.app.call_from_thread(
                self.app.notify,
                reason(error),
                title="Cannot show this story's facts",
                severity="error",
                markup=False,
            )
            return
        if not get_current_worker().is_cancelled:
            self.post_message(StoryMerged(merged))

    @on(StoryMerged)
    def _story_merged(self, message: StoryMerged) -> None:
        shown = self.story_view.story
        merged = self.state.add_merged(message.story)
        if merged is None:
            return  # a newer load no longer lists the story
        if shown is not None and shown.story.id == merged.story.id:
            self.story_view.show(merged)

    # -- reading: enter, back, J/K ---------------------------------------------------------

    @on(StoryList.Selected)
    def _story_selected(self, message: StoryList.Selected) -> None:
        self.open_story(message.story)

    def open_story(self, story: MergedStory) -> None:
        """Open `story` with the keys in it; it is marked read when the reader leaves."""
        self.state.open_story(story.story.id)
        self.add_class("-reading")
        self._pending_view = None
        shown = self.story_view.story
        if shown is None or shown.story.id != story.story.id:
            self._show(story)
        self.story_view.focus()
        self.post_message(StoryOpened(story.story.id))

    def open_story_id(self, story_id: str, back_to: Callable[[], None] | None = None) -> None:
        """Open a story named elsewhere (the agenda, a force's screen); the list's cursor
        moves to it when the list shows it (a filter may hide it: it opens all the same).
        Leaving it with escape calls `back_to`, which reopens the screen it came from."""
        story = self.state.find(story_id)
        if story is None:
            self.app.notify("That story is no longer listed", severity="warning")
            return
        if self.state.reading is not None:
            self.leave_story(to_list=False)
        index = next((i for i, s in enumerate(self.shown) if s.story.id == story_id), None)
        if index is not None:
            self.story_list.cursor = index
        self.open_story(story)
        if back_to is not None:
            self._back_to = (story_id, back_to)

    def leave_story(self, *, to_list: bool = True) -> None:
        """Leave the open story: mark it read (unless marked by hand), back to the list."""
        left = self.state.reading
        self._back_to = None
        story_id = self.state.leave_story()
        if story_id is not None:
            story = self.state.find(story_id)
            if story is not None and is_unread(story):
                self._update([story], read=True)
        if left is not None:
            self.post_message(StoryLeft(left, marked_read=story_id is not None))
        if to_list:
            self.remove_class("-reading")
            self.story_list.focus()

    @on(events.DescendantFocus)
    def _focus_moved(self, event: events.DescendantFocus) -> None:
        """Side by side, focus moved by tab or the mouse opens or leaves a story too."""
        story = self.story_list.current
        if event.widget is self.story_view and self.state.reading is None and story:
            self.open_story(story)
        elif event.widget is self.story_list and self.state.reading is not None:
            self.leave_story()

    @on(StoryView.Back)
    def _story_back(self) -> None:
        back = self._back_to
        reading = self.state.reading
        self.leave_story()
        if back is not None and back[0] == reading:
            back[1]()

    @on(StoryView.Step)
    def _story_step(self, message: StoryView.Step) -> None:
        if self.state.reading is None:
            return
        self.leave_story(to_list=False)
        story = self.story_list.step(message.by)
        if story is None:
            self.app.notify("No more stories that way", timeout=2)
            story = self.story_list.current
        if story is not None:
            self.open_story(story)

    @on(OpenStory)
    def _open_related(self, message: OpenStory) -> None:
        """A related story picked in the story view: read it next, as `J` would."""
        story = self.state.find(message.story_id)
        if story is None:
            self.app.notify("That story is no longer listed", severity="warning", timeout=3)
            return
        self.leave_story(to_list=False)
        self.open_story(self.story_list.move_to(story.story.id) or story)

    @on(OpenArticle)
    def _open_article(self, message: OpenArticle) -> None:
        from heraldtui.tui.screens.article import ArticleScreen

        story = message.story
        if not message.article.read:
            story = self._update([story], [message.article.id], read=True)[0]
        article = next(a for a in story.story.articles if a.id == message.article.id)
        self.app.push_screen(
            ArticleScreen(self.newsroom, article, text_width=self._text_width()),
            callback=lambda changed: self._article_closed(story, changed),
        )

    def _text_width(self) -> int | None:
        return getattr(self.app, "text_width", None)

    def _article_closed(self, story: MergedStory, article: Article | None) -> None:
        if article is None:
            return
        current = self.state.find(story.story.id) or story
        self.state.note_marks([article.id], read=article.read, starred=article.starred)
        updated = with_flags(current, [article.id], read=article.read, starred=article.starred)
        self._replace([updated])

    # -- filter --------------------------------------------------------------------------

    def action_filter(self) -> None:
        if self.state.reading is not None:
            self.leave_story()
        field = self.query_one("#filter", Input)
        field.display = True
        field.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, message: Input.Changed) -> None:
        if self.state.set_filter(message.value):
            self._apply_view()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.query_one("#filter", Input).display = bool(self.state.filter_text.strip())
        self.story_list.focus()

    def action_back(self) -> None:
        """Escape on the list or in the filter: clear the filter and hide it."""
        field = self.query_one("#filter", Input)
        if field.value or field.display:
            field.value = ""
            field.display = False
            self.state.set_filter("")
            self._apply_view()
        self.story_list.focus()

    # -- links and export ----------------------------------------------------------------

    def link_to_open(self) -> str | None:
        """In a story: the link under its cursor; on the list: the story's lead article."""
        if self.state.reading is not None and self.story_view.story is not None:
            return self.story_view.link_under_cursor()
        story = self.story_list.current
        lead = lead_article(story) if story is not None else None
        return lead.link if lead is not None else None

    def action_open_link(self) -> None:
        link = self.link_to_open()
        if link is None:
            self.app.notify("Nothing to open here", severity="warning")
            return
        opener: Callable[[str], None] | None = getattr(self.app, "open_link", None)
        if opener is not None:
            opener(link)

    def action_export(self) -> None:
        """The shown stories to a file; not while only the newest page is listed, which
        would write a digest of those alone as if it were the whole history."""
        if not self.state.complete and not self.state.rest_failed:
            self.app.notify(
                "The rest of the stories are still loading: export once the list is whole",
                severity="warning",
                timeout=4,
            )
            return
        from heraldtui.tui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen(self.newsroom, list(self.shown)), self._exported)

    # -- the force's screen ----------------------------------------------------------------

    def action_force(self) -> None:
        """`F`: the force of the story open, else of the one under the list's cursor."""
        reading = self.state.reading is not None
        story = self.story_view.story if reading else self.story_list.current
        if story is None:
            self.app.notify("No story selected", severity="warning", timeout=3)
            return
        force = story.story.force
        if force is None:
            self.app.notify("This story names no force", severity="warning", timeout=3)
            return

        self._show_force(force)

    def _show_force(self, force: str) -> None:
        from heraldtui.tui.screens.force import ForceScreen

        def closed(story_id: str | None) -> None:
            """A story picked there opens here; escape from it returns to the force."""
            if story_id is not None:
                self.open_story_id(story_id, back_to=lambda: self._show_force(force))

        self.app.push_screen(ForceScreen(self.newsroom, force, today=self.today), closed)

    def _exported(self, done: ExportFinished | None) -> None:
        if done is not None:
            count = f"{done.count} {'story' if done.count == 1 else 'stories'}"
            self.app.notify(f"{count} written to {done.path}", title="Exported", markup=False)


__all__ = ["NARROW", "MainScreen"]
