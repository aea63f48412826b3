"""The Newsroom's side of the reader's corrections to the grouping: stored apart from it
(`storage/corrections.py`) and applied after it on every listing (`stories/corrections.py`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from heraldtui.core.models import Correction, CorrectionAction, Story
from heraldtui.core.storage.corrections import (
    add_correction,
    list_corrections,
    remove_correction,
)

if TYPE_CHECKING:
    from heraldtui.core.facts.history import ForceHistory
    from heraldtui.core.models import MergedStory
    from heraldtui.core.storage.store import Store

__all__ = ["FixesPart"]


class _Room(Protocol):
    """What of the `Newsroom` the corrections use."""

    store: Store
    _listing: list[Story] | None
    _history: ForceHistory | None

    def stories(self, *, merge: bool = True, parallel: bool = False) -> list[MergedStory]: ...

    def _correct(
        self: _Room, action: CorrectionAction, subject: str, into: str | None = None
    ) -> Correction: ...


class FixesPart:
    """Split, move, merge and undo, mixed into `Newsroom`."""

    _listing: list[Story] | None
    _history: ForceHistory | None

    def corrections(self: _Room) -> list[Correction]:
        """Every stored correction, oldest first (the order they apply in)."""
        return list_corrections(self.store)

    def split_article(self: _Room, article_id: str) -> Correction:
        """Split an article out of its story: it stands alone from now on."""
        return self._correct("split", article_id)

    def move_article(self: _Room, article_id: str, into_story: str) -> Correction:
        """Move an article to another listed story (anchored on its first article)."""
        return self._correct("move", article_id, into_story)

    def merge_stories(self: _Room, story_id: str, into_story: str) -> Correction:
        """Merge a listed story into another: its articles join that one, now and later."""
        return self._correct("merge", story_id, into_story)

    def undo_correction(self: _Room, correction_id: int | None = None) -> Correction | None:
        """Remove a correction (the latest when no id is given); the grouping goes back
        to what the algorithm and the other corrections decide. None if there was none."""
        undone = remove_correction(self.store, correction_id)
        self._listing = self._history = None
        return undone

    def _correct(
        self: _Room, action: CorrectionAction, subject: str, into: str | None = None
    ) -> Correction:
        """Check a correction against the last listing, store it; the next listing applies
        it. `CorrectionError` when it cannot be made (see `plan_correction`)."""
        from heraldtui.core.stories.corrections import plan_correction

        listing = self._listing or [m.story for m in self.stories(merge=False)]
        article, anchor, note = plan_correction(listing, action, subject, into)
        fix = add_correction(self.store, action, article, anchor, note=note)
        self._listing = self._history = None
        return fix
