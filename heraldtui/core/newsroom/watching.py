"""The Newsroom's watch rules (`[[watch]]`): which stories they match, which a refresh made
new (for `refresh`'s lines and `notify_command`), and the digest filters that use them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from heraldtui.core.ingest.config import FeedsConfig, Settings
from heraldtui.core.models import Story, WatchAlert, WatchRule
from heraldtui.core.storage.marks import new_article_ids
from heraldtui.core.storage.store import Store

if TYPE_CHECKING:
    from heraldtui.core.facts.watch import WatchMatcher
    from heraldtui.core.models import MergedStory
    from heraldtui.core.output.select import Selection

__all__ = ["WatchingPart"]


class _Room(Protocol):
    """What of the `Newsroom` the watch rules use."""

    config: FeedsConfig
    store: Store
    _matcher: WatchMatcher | None
    _refresh_began: datetime | None

    @property
    def settings(self) -> Settings: ...

    def stories(self, *, merge: bool = True, parallel: bool = False) -> list[MergedStory]: ...

    def article_texts(self, article_ids: Iterable[str]) -> Iterator[tuple[str, str]]: ...

    def _merge_all(
        self, stories: Sequence[Story], *, parallel: bool = False
    ) -> list[MergedStory]: ...

    def _watched(self, stories: Sequence[Story]) -> list[WatchRule | None]: ...

    def watched(self, stories: Sequence[MergedStory]) -> dict[str, WatchRule]: ...


class WatchingPart:
    """Watch rules and digest selection, mixed into `Newsroom`."""

    _matcher: WatchMatcher | None

    def watched(self: _Room, stories: Sequence[MergedStory]) -> dict[str, WatchRule]:
        """Story id -> the first `[[watch]]` rule (in file order) the story matches; reads
        every story's text, merges only those that could name a watched person."""
        found = self._watched([s.story for s in stories])
        return {s.story.id: r for s, r in zip(stories, found, strict=True) if r is not None}

    def _watched(self: _Room, stories: Sequence[Story]) -> list[WatchRule | None]:
        from heraldtui.core.facts.watch import WatchMatcher, watched_rules

        if self._matcher is None:
            self._matcher = WatchMatcher(self.config.watch)
        if not self._matcher:
            return [None] * len(stories)
        return watched_rules(stories, self._matcher, self.article_texts, self._merge_all)

    def watch_alerts(self: _Room) -> list[WatchAlert]:
        """The stories the last `refresh()` made new to a watch rule, oldest first.

        New: a story that holds an article this refresh stored and matches a rule now,
        while its other articles (the story as it was, under its present force and kind)
        matched none; so a story is announced once, when it appears or gains its first
        matching article, and not again for each later article.
        """
        if self._refresh_began is None or not self.config.watch:
            return []
        new = new_article_ids(self.store, self._refresh_began)
        if not new:
            return []
        from heraldtui.core.facts.watch import new_alerts

        return new_alerts(self.stories(merge=False), new, self._watched)

    def notify(self: _Room, alert: WatchAlert) -> str | None:
        """Run `notify_command` for `alert`: None when it ran (or none is set), else why not."""
        from heraldtui.core.output.notify import run_notify

        command = self.settings.notify_command
        return run_notify(command, alert) if command else None

    def select(
        self: _Room, stories: Sequence[MergedStory], selection: Selection
    ) -> list[MergedStory]:
        """The stories a digest's filters keep (`output/select.py`), AND-ed; with
        `selection.watch`, only those a watch rule matches."""
        from heraldtui.core.output.select import select

        kept = select(stories, selection)
        if selection.watch:
            watched = self.watched(kept)
            kept = [s for s in kept if s.story.id in watched]
        return kept
