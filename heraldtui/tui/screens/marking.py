"""The main screen's marks: `m` (read), `s` (star), `A` (all shown read) and the `u`, `*`
and `w` views (unread only, starred only, watched only).

Marks are written through the Newsroom first and shown after: a write that fails (a
locked or read-only store) shows nothing and says why, so the list never claims a mark
the store does not hold.
"""

from __future__ import annotations

from collections.abc import Sequence

from heraldtui.core.errors import HeraldError
from heraldtui.core.models import MergedStory
from heraldtui.tui.present import plain
from heraldtui.tui.screens.fixing import GroupFixing
from heraldtui.tui.state import is_starred, is_unread, with_flags

__all__ = ["Marking"]


class Marking(GroupFixing):
    """The marking part of `MainScreen` (which provides what is declared here)."""

    @property
    def shown(self) -> list[MergedStory]:
        """The stories the list shows now (after the unread, starred and text filters)."""
        return self.story_list.stories

    def _update_status(self) -> None:
        """Redraw the status line: `MainScreen` defines it (this base is never used alone)."""
        raise NotImplementedError

    def _apply_view(self) -> None:
        """Show the state's view of the stories: `MainScreen` defines it."""
        raise NotImplementedError

    def _replace(self, stories: Sequence[MergedStory]) -> None:
        """New marks for stories; facts already merged for them are kept."""
        self.state.set_marks(stories)
        self.story_list.replace_stories(stories)
        self._update_status()

    def _update(
        self,
        stories: Sequence[MergedStory],
        ids: Sequence[str] | None = None,
        *,
        read: bool | None = None,
        starred: bool | None = None,
    ) -> list[MergedStory]:
        """Write flags through the Newsroom (for `ids`, else every article of `stories`),
        then show them; a failed write shows nothing and says why."""
        wanted = list(ids) if ids is not None else [a.id for s in stories for a in s.story.articles]
        try:
            if read is not None:
                self.newsroom.set_read(wanted, read)
            if starred is not None:
                self.newsroom.set_starred(wanted, starred)
        except HeraldError as error:
            self.app.notify(plain(str(error)), title="Not saved", severity="error", markup=False)
            return list(stories)
        self.state.note_marks(wanted, read=read, starred=starred)
        updated = [with_flags(s, wanted, read=read, starred=starred) for s in stories]
        self._replace(updated)
        return updated

    def action_toggle_read(self) -> None:
        story = self.story_list.current
        if story is not None:
            self.state.marked_by_hand(story.story.id)
            self._update([story], read=is_unread(story))

    def action_toggle_star(self) -> None:
        story = self.story_list.current
        if story is not None:
            self._update([story], starred=not is_starred(story))

    def action_mark_all_read(self) -> None:
        unread = [s for s in self.shown if is_unread(s)]
        if not unread:
            self.app.notify("Every shown story is read already", timeout=3)
            return
        self._update(unread, read=True)
        count = len(unread)
        self.app.notify(
            f"{count} {'story' if count == 1 else 'stories'} marked read "
            "(m on a story marks it unread again)",
            title="Marked read",
            timeout=4,
        )

    def action_toggle_unread(self) -> None:
        self.state.toggle_unread_only()
        self._apply_view()

    def action_toggle_starred(self) -> None:
        self.state.toggle_starred_only()
        self._apply_view()

    def action_toggle_watched(self) -> None:
        if not self.newsroom.watch_rules and not self.state.watched_only:
            self.app.notify(
                "Add [[watch]] tables (forces, people, words, kinds) to the feeds file "
                "to mark the stories you follow",
                title="No watch rules",
                timeout=5,
                markup=False,
            )
            return
        self.state.toggle_watched_only()
        self._apply_view()
