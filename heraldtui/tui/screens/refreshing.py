"""The main screen's refresh: `r`, the progress row under the list, and what the refresh's
worker posts as each feed finishes (a failing feed, new articles: the list reloads as they
arrive, and the feeds screen, when open, updates its rows)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual import on, work
from textual.widgets import Label, ProgressBar

from heraldtui.tui.messages import (
    FeedFailed,
    NewArticlesArrived,
    RefreshFailed,
    RefreshFinished,
    RefreshProgressed,
    RefreshStarted,
)
from heraldtui.tui.ports import Outcome
from heraldtui.tui.present import reason
from heraldtui.tui.screens.fixing import GroupFixing

__all__ = ["Refreshing"]


class Refreshing(GroupFixing):
    """The refreshing part of `MainScreen` (which provides what is declared here)."""

    now: Callable[[], datetime]

    def _update_status(self) -> None:
        """Redraw the status line: `MainScreen` defines it (this base is never used alone)."""
        raise NotImplementedError

    def action_refresh(self) -> None:
        """Fetch every feed; a refresh already running is replaced (exclusive)."""
        self.state.start_refresh()
        if self.is_mounted:
            self._update_status()
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
            self.post_message(RefreshFailed(reason(error)))
            return
        new = sum(o.new for o in report.outcomes)
        failed = sum(1 for o in report.outcomes if o.status == "error")
        self.post_message(RefreshFinished(new, failed))

    def _show_progress(self, done: int, total: int) -> None:
        self.query_one("#progress", ProgressBar).update(total=max(total, 1), progress=done)
        self.query_one("#progress-label", Label).update(f"{done}/{total} feeds")
        self.query_one("#progress-row").display = True

    @on(RefreshStarted)
    def _refresh_started(self, message: RefreshStarted) -> None:
        self.state.refresh_progressed(0, message.total)
        self._show_progress(0, message.total)
        self._update_status()

    @on(RefreshProgressed)
    def _refresh_progressed(self, message: RefreshProgressed) -> None:
        self.state.refresh_progressed(message.done, message.total)
        self._show_progress(message.done, message.total)
        self._update_status()
        self._feeds_changed()

    @on(FeedFailed)
    def _feed_failed(self, message: FeedFailed) -> None:
        self.state.feed_failed(message.feed, message.error)
        self._update_status()

    @on(NewArticlesArrived)
    def _new_articles(self, message: NewArticlesArrived) -> None:
        self.request_load()

    @on(RefreshFinished)
    def _refresh_finished(self, message: RefreshFinished) -> None:
        self.state.end_refresh(self.now())
        self.query_one("#progress-row").display = False
        self._update_status()
        self._feeds_changed()
        self.request_load()

    @on(RefreshFailed)
    def _refresh_failed(self, message: RefreshFailed) -> None:
        self.state.end_refresh()
        self.query_one("#progress-row").display = False
        self._update_status()
        self.app.notify(message.error, title="Refresh failed", severity="error", markup=False)

    def _feeds_changed(self) -> None:
        notify: Callable[[], None] | None = getattr(self.app, "feeds_changed", None)
        if notify is not None:
            notify()
