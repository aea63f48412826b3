"""What the TUI needs from the core, written down as structural types.

The TUI talks to exactly one object, the core's `Newsroom` façade. These protocols name
the part of it the TUI uses, so the screens and widgets type-check against that surface
alone and any object with the same shape (the real `Newsroom`) satisfies them without an
import cycle or a dependency on how the core is put together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Protocol

from heraldtui.core.models import (
    AgendaItem,
    Correction,
    ExportFormat,
    FeedSource,
    FeedState,
    FeedStatus,
    ForceView,
    MergedStory,
    Story,
    WatchRule,
)


class Outcome(Protocol):
    """One feed's result in a refresh, as the core reports it."""

    @property
    def name(self) -> str: ...
    @property
    def status(self) -> FeedStatus: ...
    @property
    def new(self) -> int: ...
    @property
    def error(self) -> str | None: ...
    @property
    def warning(self) -> str | None: ...


class Report(Protocol):
    """Every feed's outcome of one refresh."""

    @property
    def outcomes(self) -> Sequence[Outcome]: ...


ProgressCallback = Callable[[Outcome, int, int], None]


class SettingsView(Protocol):
    """The `[settings]` of the feeds file, as the reader reads them."""

    @property
    def theme(self) -> str | None: ...
    @property
    def browser(self) -> str | None: ...
    @property
    def auto_refresh_minutes(self) -> int: ...
    @property
    def text_width(self) -> int | None: ...


class NewsroomPort(Protocol):
    """The façade the TUI drives; the CLI drives the same one."""

    @property
    def feeds(self) -> tuple[FeedSource, ...]: ...

    @property
    def settings(self) -> SettingsView: ...

    def save_setting(self, key: str, value: str | int | None) -> None: ...

    def article_texts(self, article_ids: Iterable[str]) -> Iterator[tuple[str, str]]: ...

    def stories(self, *, merge: bool = True) -> list[MergedStory]: ...

    @property
    def watch_rules(self) -> tuple[WatchRule, ...]: ...

    def watched(self, stories: Sequence[MergedStory]) -> dict[str, WatchRule]: ...

    def newest_stories(self, limit: int) -> list[MergedStory]: ...

    def merge(self, story: Story) -> MergedStory: ...

    def merge_with_history(self, story: Story) -> MergedStory: ...

    def force_view(self, force: str, *, today: date) -> ForceView: ...

    async def refresh(self, on_progress: ProgressCallback | None = None) -> Report: ...

    def feed_states(self) -> list[FeedState]: ...

    def follow_move(self, name: str) -> str: ...

    def clear_gone(self, name: str) -> bool: ...

    def meetings(
        self,
        include_past: bool = False,
        *,
        today: date | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> list[AgendaItem]: ...

    def set_read(self, article_ids: Iterable[str], read: bool) -> None: ...

    def corrections(self) -> list[Correction]: ...

    def split_article(self, article_id: str) -> Correction: ...

    def move_article(self, article_id: str, into_story: str) -> Correction: ...

    def merge_stories(self, story_id: str, into_story: str) -> Correction: ...

    def undo_correction(self, correction_id: int | None = None) -> Correction | None: ...

    def set_starred(self, article_ids: Iterable[str], starred: bool) -> None: ...

    def export(
        self, stories: Sequence[MergedStory], path: Path, fmt: ExportFormat = "markdown"
    ) -> None: ...

    def close(self) -> None: ...
