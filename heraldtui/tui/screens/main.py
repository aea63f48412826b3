"""The main screen: the story list beside the selected story's merged view.

It starts from the cache at once (`Newsroom.stories()` in a thread worker, so a reader
with no network still reads everything stored) and refreshes in the background (the
async `Newsroom.refresh()` in an exclusive worker on the event loop; it awaits network
I/O and never blocks). Both workers report back by posting messages from `messages.py`.

What the screen knows apart from its widgets (the stories, the filter, marks, merged
facts, load generations, the refresh's failures) is a `MainState` (`state.py`), which
also decides when a load is stale and how loads are coalesced; the screen asks it and
updates the widgets.

The selection follows the story id, so it survives a refresh, a filter and a reorder.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList, ProgressBar, Static
from textual.worker import get_current_worker

from heraldtui.core.errors import HeraldError
from heraldtui.core.models import Article, ExportFormat, MergedStory
from heraldtui.tui.commands import MAIN_COMMANDS, Command, bindings
from heraldtui.tui.messages import (
    ExportFailed,
    ExportFinished,
    FeedFailed,
    NewArticlesArrived,
    OpenArticle,
    RefreshFailed,
    RefreshFinished,
    RefreshProgressed,
    RefreshStarted,
    StoriesLoaded,
    StoriesLoadFailed,
    StoryMerged,
)
from heraldtui.tui.ports import NewsroomPort, Outcome
from heraldtui.tui.present import is_web_link, plain
from heraldtui.tui.state import MainState, is_starred, is_unread, search_keys, with_flags
from heraldtui.tui.widgets.story_list import StoryList
from heraldtui.tui.widgets.story_view import SourceList, StoryView


def _reason(error: Exception) -> str:
    """Our own errors are written for the reader; anything else is a bug, said as such."""
    reason = str(error) if isinstance(error, HeraldError) else f"unexpected {error!r}"
    return plain(reason)


def export_format(path: Path) -> ExportFormat:
    """The digest format a path asks for by its suffix; Markdown unless told otherwise."""
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix in {".ics", ".ical"}:
        return "ics"
    return "markdown"


class MainScreen(Screen[None]):
    """See the module docstring."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings(MAIN_COMMANDS))
    COMMAND_SET: ClassVar[tuple[Command, ...]] = MAIN_COMMANDS
    AUTO_FOCUS = "StoryList"

    def __init__(self, newsroom: NewsroomPort, *, today: date) -> None:
        super().__init__()
        self.newsroom = newsroom
        self.today = today
        self.state = MainState()
        self._pending_view: tuple[MergedStory | None] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        yield Input(placeholder="Filter: words, force, person (esc clears)", id="filter")
        with Horizontal(id="panes"):
            with Vertical(id="list-pane"):
                yield StoryList(id="stories", empty_text="Loading stories…")
            yield StoryView(today=self.today, id="story")
        yield ProgressBar(id="progress", show_eta=False, show_percentage=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self.query_one("#progress", ProgressBar).display = False
        self._update_status()
        self.request_load()

    # -- loading -------------------------------------------------------------------------

    @property
    def story_list(self) -> StoryList:
        return self.query_one(StoryList)

    @property
    def story_view(self) -> StoryView:
        return self.query_one(StoryView)

    @property
    def shown(self) -> list[MergedStory]:
        """The stories the list shows now (after the unread and text filters)."""
        return self.story_list.stories

    @property
    def all_stories(self) -> list[MergedStory]:
        """Every listed story, filtered or not."""
        return self.state.stories

    @property
    def loaded(self) -> bool:
        """True once the first load from the store has been shown."""
        return self.state.loaded

    @property
    def view_pending(self) -> bool:
        """A highlighted story waits for the next paint to be shown (see below)."""
        return self._pending_view is not None

    def request_load(self) -> None:
        """Reload stories from the store, coalescing requests that arrive meanwhile."""
        generation = self.state.begin_load()
        if generation is not None:
            self._load(generation)

    @work(
        thread=True,
        exclusive=True,
        group="load",
        exit_on_error=False,
        description="Read stories from the store",
    )
    def _load(self, generation: int) -> None:
        try:
            stories = self.newsroom.stories(merge=False)
        except Exception as error:  # a failed load must still end the load, or none follows
            self.post_message(StoriesLoadFailed(_reason(error), generation))
            return
        if get_current_worker().is_cancelled:
            return
        self.post_message(StoriesLoaded(stories, search_keys(stories), generation))

    @on(StoriesLoaded)
    def _stories_loaded(self, message: StoriesLoaded) -> None:
        self._load_done()
        if not self.state.accept(message.stories, message.keys, message.generation):
            return  # a newer load was requested after this one started
        self.story_list.empty_text = "No stories yet: press r to refresh"
        self._apply_view()

    @on(StoriesLoadFailed)
    def _stories_load_failed(self, message: StoriesLoadFailed) -> None:
        self._load_done()
        self.app.notify(message.error, title="Cannot read stories", severity="error", markup=False)

    def _load_done(self) -> None:
        if self.state.end_load():
            self.request_load()

    def _apply_view(self) -> None:
        current = self.story_list.current
        keep = current.story.id if current else None
        self.story_list.set_stories(self.state.visible(), keep=keep)
        self._update_status()

    def _update_status(self) -> None:
        # Content, not a str: the filter is typed text and must not be read as markup.
        self.query_one("#status", Static).update(Content(self.state.status(len(self.shown))))

    def _refreshing(self, refreshing: bool) -> None:
        """A refresh starts (its failures so far forgotten) or ends: the status says so."""
        if refreshing:
            self.state.start_refresh()
        else:
            self.state.end_refresh()
        if self.is_mounted:
            self._update_status()

    # -- refresh -------------------------------------------------------------------------

    def action_refresh(self) -> None:
        """Fetch every feed; a refresh already running is replaced (exclusive)."""
        self._refreshing(True)
        self._refresh()

    @work(exclusive=True, group="refresh", exit_on_error=False, description="Fetch every feed")
    async def _refresh(self) -> None:
        total = len(self.newsroom.feeds)
        self.post_message(RefreshStarted(total))

        def progress(outcome: Outcome, done: int, total: int) -> None:
            self.post_message(RefreshProgressed(done, total))
            if outcome.status == "error":
                self.post_message(FeedFailed(outcome.name, outcome.error or "failed"))
            if outcome.new:
                self.post_message(NewArticlesArrived(outcome.name, outcome.new))

        try:
            report = await self.newsroom.refresh(progress)
        except Exception as error:  # the bar and "refreshing" must not stay up for ever
            self.post_message(RefreshFailed(_reason(error)))
            return
        new = sum(o.new for o in report.outcomes)
        failed = sum(1 for o in report.outcomes if o.status == "error")
        self.post_message(RefreshFinished(new, failed))

    @on(RefreshStarted)
    def _refresh_started(self, message: RefreshStarted) -> None:
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=max(message.total, 1), progress=0)
        bar.display = True

    @on(RefreshProgressed)
    def _refresh_progressed(self, message: RefreshProgressed) -> None:
        self.query_one("#progress", ProgressBar).update(total=message.total, progress=message.done)
        self._feeds_changed()

    @on(FeedFailed)
    def _feed_failed(self, message: FeedFailed) -> None:
        self.state.feed_failed(message.feed, message.error)

    def _notify_failures(self) -> None:
        """One notice per refresh, however many feeds failed: offline, every feed fails,
        and a stack of toasts would hide the stories; the feeds screen has the details."""
        failures = self.state.failures
        if not failures:
            return
        shown = [plain(f"{f.feed}: {f.error}") for f in failures[:3]]
        if len(failures) > 3:
            shown.append(f"…and {len(failures) - 3} more")
        shown.append("Press f for the feeds screen.")
        count = len(failures)
        self.app.notify(
            "\n".join(shown),
            title="Feed failed" if count == 1 else f"{count} feeds failed",
            severity="warning",
            markup=False,
        )

    @on(NewArticlesArrived)
    def _new_articles(self, message: NewArticlesArrived) -> None:
        self.request_load()

    @on(RefreshFinished)
    def _refresh_finished(self, message: RefreshFinished) -> None:
        self._notify_failures()
        self._refreshing(False)
        self.query_one("#progress", ProgressBar).display = False
        self._feeds_changed()
        self.request_load()

    @on(RefreshFailed)
    def _refresh_failed(self, message: RefreshFailed) -> None:
        self._refreshing(False)
        self.query_one("#progress", ProgressBar).display = False
        self.app.notify(message.error, title="Refresh failed", severity="error", markup=False)

    def _feeds_changed(self) -> None:
        notify: Callable[[], None] | None = getattr(self.app, "feeds_changed", None)
        if notify is not None:
            notify()

    # -- selection and reading -----------------------------------------------------------

    @on(StoryList.Highlighted)
    def _story_highlighted(self, message: StoryList.Highlighted) -> None:
        """Show the story after the list has painted its cursor, once per burst of keys.

        The merged view costs more to lay out than the list line; deferring it keeps the
        cursor's key-to-paint latency low, and a held `j` shows only the story it stops on.
        """
        pending = self._pending_view is not None
        self._pending_view = (message.story,)
        if not pending:
            self.call_after_refresh(self._show_pending)

    def _show_pending(self) -> None:
        if self._pending_view is not None:
            (story,) = self._pending_view
            self._pending_view = None
            known = self.state.known_facts(story) if story is not None else None
            if known is not None:  # merged before: show its facts, no merge again
                self.story_view.show(known)
                return
            self.story_view.show(story)
            if story is not None:
                self._merge(story)

    @work(
        thread=True,
        exclusive=True,
        group="merge",
        exit_on_error=False,
        description="Merge the story's facts",
    )
    def _merge(self, story: MergedStory) -> None:
        """Listed stories carry no facts yet; the one on screen gets them here."""
        try:
            merged = self.newsroom.merge(story.story)
        except Exception as error:  # the list stays usable; only this story lacks facts
            self.app.call_from_thread(
                self.app.notify,
                _reason(error),
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

    @on(StoryList.Selected)
    def _story_selected(self, message: StoryList.Selected) -> None:
        """Opening a story marks every article of it read and moves into its sources."""
        self._set_read(message.story, True)
        self.story_view.sources.focus()

    @on(OptionList.OptionSelected, "#story-sources")
    def _source_selected(self, message: OptionList.OptionSelected) -> None:
        story = self.story_view.story
        article = self.story_view.article_at(message.option_index)
        if story is not None and article is not None:
            self.post_message(OpenArticle(story, article))

    @on(OpenArticle)
    def _open_article(self, message: OpenArticle) -> None:
        from heraldtui.tui.screens.article import ArticleScreen

        story = message.story
        if not message.article.read:
            story = self._update(story, [message.article.id], read=True)
        article = next(a for a in story.story.articles if a.id == message.article.id)
        self.app.push_screen(
            ArticleScreen(self.newsroom, article),
            callback=lambda changed: self._article_closed(story, changed),
        )

    def _article_closed(self, story: MergedStory, article: Article | None) -> None:
        if article is None:
            return
        current = self.state.find(story.story.id) or story
        updated = with_flags(current, [article.id], read=article.read, starred=article.starred)
        self._replace(updated)

    def _replace(self, story: MergedStory) -> None:
        """New marks for a story; facts already merged for it are kept."""
        self.state.set_marks(story)
        self.story_list.replace_story(story)
        self._update_status()

    def _update(
        self,
        story: MergedStory,
        ids: list[str],
        *,
        read: bool | None = None,
        starred: bool | None = None,
    ) -> MergedStory:
        """Write flags through the Newsroom, then show them; a failed write shows nothing."""
        try:
            if read is not None:
                self.newsroom.set_read(ids, read)
            if starred is not None:
                self.newsroom.set_starred(ids, starred)
        except HeraldError as error:
            self.app.notify(plain(str(error)), title="Not saved", severity="error", markup=False)
            return story
        updated = with_flags(story, ids, read=read, starred=starred)
        self._replace(updated)
        return updated

    def _set_read(self, story: MergedStory, read: bool) -> None:
        self._update(story, [a.id for a in story.story.articles], read=read)

    def action_toggle_read(self) -> None:
        story = self.story_list.current
        if story is not None:
            self._set_read(story, is_unread(story))

    def action_toggle_star(self) -> None:
        story = self.story_list.current
        if story is not None:
            starred = not is_starred(story)
            self._update(story, [a.id for a in story.story.articles], starred=starred)

    def action_toggle_unread(self) -> None:
        self.state.toggle_unread_only()
        self._apply_view()

    # -- filter --------------------------------------------------------------------------

    def action_filter(self) -> None:
        field = self.query_one("#filter", Input)
        field.display = True
        field.focus()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, message: Input.Changed) -> None:
        if self.state.set_filter(message.value):
            self._apply_view()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.story_list.focus()

    def action_back(self) -> None:
        """Escape: leave the filter (clearing it when it has focus), else back to the list."""
        field = self.query_one("#filter", Input)
        if field.has_focus:
            field.value = ""
            field.display = False
            self.story_list.focus()
        elif not self.story_list.has_focus:
            self.story_list.focus()
        elif self.state.filter_text:
            field.value = ""
            field.display = False

    # -- links and export ----------------------------------------------------------------

    def link_to_open(self) -> str | None:
        """The link `o` opens: the focused source, else a meeting's, else the newest article's."""
        story = self.story_view.story
        if story is None:
            return None
        sources = self.story_view.sources
        if sources.has_focus:
            article = self.story_view.article_at(sources.highlighted)
            return article.link if article else None
        for meeting in story.meetings:
            if meeting.url:
                return meeting.url
        return story.story.articles[-1].link if story.story.articles else None

    def action_open_link(self) -> None:
        link = self.link_to_open()
        if link is None:
            self.app.notify("Nothing to open here", severity="warning")
        elif not is_web_link(link):
            self.app.notify(
                f"Not a web link, not opened: {plain(link)}", severity="warning", markup=False
            )
        else:
            self.app.open_url(link)

    def action_export(self) -> None:
        from heraldtui.tui.screens.export import ExportScreen

        self.app.push_screen(ExportScreen(), callback=self._export_to)

    def _export_to(self, path: Path | None) -> None:
        if path is not None:
            self._export(list(self.shown), path)

    @work(
        thread=True,
        exclusive=True,
        group="export",
        exit_on_error=False,
        description="Write the digest",
    )
    def _export(self, stories: list[MergedStory], path: Path) -> None:
        try:
            self.newsroom.export(stories, path, export_format(path))
        except Exception as error:
            self.post_message(ExportFailed(_reason(error)))
            return
        self.post_message(ExportFinished(str(path), len(stories)))

    @on(ExportFinished)
    def _export_finished(self, message: ExportFinished) -> None:
        self.app.notify(
            f"{message.count} stories written to {message.path}", title="Exported", markup=False
        )

    @on(ExportFailed)
    def _export_failed(self, message: ExportFailed) -> None:
        self.app.notify(message.error, title="Export failed", severity="error", markup=False)


__all__ = ["MainScreen", "SourceList", "export_format"]
