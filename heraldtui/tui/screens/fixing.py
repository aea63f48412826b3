"""The main screen's keys that fix the grouping: `x`, `M`, `U` and `X`.

What they act on: on the list, the story under the cursor (`x` then asks which of its
articles, the cursor on the first); in an open story, that story, and for `x` the source
under the story's cursor (`tab` to it). Each fix is made through the Newsroom in a thread
worker, which posts `GroupingFixed` (or `GroupingFixFailed`); the screen then says what
changed and lists the stories again, the cursor following the article the fix moved. A
story open when it is fixed is left first: it is no longer the story it was.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import on, work
from textual.screen import Screen

from heraldtui.core.errors import HeraldError
from heraldtui.core.models import Correction, MergedStory
from heraldtui.tui.messages import FixesListed, GroupingFixed, GroupingFixFailed
from heraldtui.tui.ports import NewsroomPort
from heraldtui.tui.present import plain, reason
from heraldtui.tui.screens.fix import (
    ACTION_WORDS,
    FixArticleScreen,
    FixChoice,
    FixesScreen,
    PickStoryScreen,
)
from heraldtui.tui.state import MainState
from heraldtui.tui.widgets.story_list import StoryList
from heraldtui.tui.widgets.story_view import SourceItem, StoryView

Fix = Callable[[NewsroomPort], str]
"""Makes one fix through the Newsroom and says what it did."""


def _quoted(title: str, limit: int = 60) -> str:
    text = plain(title)
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"


class GroupFixing(Screen[None]):
    """The fixing half of `MainScreen` (which provides what is declared here)."""

    newsroom: NewsroomPort
    state: MainState
    _follow: str | None = None
    """An article whose story the cursor goes to after the next listing."""

    @property
    def story_list(self) -> StoryList:
        return self.query_one(StoryList)

    @property
    def story_view(self) -> StoryView:
        return self.query_one(StoryView)

    def request_load(self) -> None:
        """List the stories again: `MainScreen` defines it (this base is never used alone)."""
        raise NotImplementedError

    def leave_story(self, *, to_list: bool = True) -> None:
        """Leave the open story: `MainScreen` defines it (this base is never used alone)."""
        raise NotImplementedError

    def _selected(self) -> tuple[MergedStory | None, str | None]:
        """The story the keys act on, and the article under the story's cursor if any."""
        if self.state.reading is not None and self.story_view.story is not None:
            part = self.story_view.current_part
            article = part.article.id if isinstance(part, SourceItem) else None
            return self.story_view.story, article
        return self.story_list.current, None

    def action_fix_article(self) -> None:
        story, article = self._selected()
        if story is None:
            self.app.notify("No story selected", severity="warning", timeout=3)
            return
        self.app.push_screen(
            FixArticleScreen(story, article), lambda choice: self._article_chosen(story, choice)
        )

    def _article_chosen(self, story: MergedStory, choice: FixChoice | None) -> None:
        if choice is None:
            return
        action, article_id = choice
        title = next(a.title for a in story.story.articles if a.id == article_id)
        if action == "split":

            def split(room: NewsroomPort) -> str:
                room.split_article(article_id)
                return f"{_quoted(title)} is a story of its own now"

            self._fix(split, article_id)
            return

        def move_to(target: str | None) -> None:
            if target is None:
                return

            def move(room: NewsroomPort) -> str:
                fix = room.move_article(article_id, target)
                return f"{_quoted(title)} moved: {plain(fix.note.rpartition(' → ')[2])}"

            self._fix(move, article_id)

        prompt = f"Move {_quoted(title)} to which story?"
        self.app.push_screen(PickStoryScreen(self.state.stories, story.story.id, prompt), move_to)

    def action_merge_story(self) -> None:
        story, _ = self._selected()
        if story is None:
            self.app.notify("No story selected", severity="warning", timeout=3)
            return
        title = story.story.title

        def merge_into(target: str | None) -> None:
            if target is None:
                return

            def merge(room: NewsroomPort) -> str:
                fix = room.merge_stories(story.story.id, target)
                return f"{_quoted(title)} merged into {_quoted(fix.note.rpartition(' → ')[2])}"

            self._fix(merge, story.story.articles[0].id)

        prompt = f"Merge {_quoted(title)} into which story?"
        self.app.push_screen(
            PickStoryScreen(self.state.stories, story.story.id, prompt), merge_into
        )

    def action_undo_fix(self) -> None:
        self._fix(lambda room: self._undone(room.undo_correction()), None)

    def action_fixes(self) -> None:
        self._list_fixes()

    @work(thread=True, exclusive=True, group="fix", exit_on_error=False, description="Fixes")
    def _list_fixes(self) -> None:
        try:
            self.post_message(FixesListed(self.newsroom.corrections()))
        except Exception as error:
            self.post_message(GroupingFixFailed(reason(error)))

    @on(FixesListed)
    def _fixes_listed(self, message: FixesListed) -> None:
        if not message.corrections:
            self.app.notify("No fixes to the grouping yet (x and M make them)", timeout=3)
            return

        def undo(correction_id: int | None) -> None:
            if correction_id is not None:
                self._fix(lambda room: self._undone(room.undo_correction(correction_id)), None)

        self.app.push_screen(FixesScreen(message.corrections), undo)

    @staticmethod
    def _undone(fix: Correction | None) -> str:
        if fix is None:
            raise _NothingToUndo
        return f"Undone: {ACTION_WORDS[fix.action].lower()} {_quoted(fix.note, 80)}"

    def _fix(self, fix: Fix, follow: str | None) -> None:
        if self.state.reading is not None:
            self.leave_story()
        self._make_fix(fix, follow)

    @work(thread=True, exclusive=True, group="fix", exit_on_error=False, description="Fix")
    def _make_fix(self, fix: Fix, follow: str | None) -> None:
        try:
            said = fix(self.newsroom)
        except _NothingToUndo:
            self.post_message(GroupingFixFailed("No fix to the grouping to undo"))
        except HeraldError as error:
            self.post_message(GroupingFixFailed(plain(str(error))))
        except Exception as error:  # the list stays usable; only this fix is lost
            self.post_message(GroupingFixFailed(reason(error)))
        else:
            self.post_message(GroupingFixed(said, follow))

    @on(GroupingFixed)
    def _grouping_fixed(self, message: GroupingFixed) -> None:
        self._follow = message.follow
        self.app.notify(message.said, title="Grouping fixed", markup=False)
        self.request_load()

    @on(GroupingFixFailed)
    def _grouping_fix_failed(self, message: GroupingFixFailed) -> None:
        self.app.notify(message.error, title="Not fixed", severity="warning", markup=False)

    def follow_fix(self) -> None:
        """After a listing: the cursor to the story holding the article a fix moved."""
        follow, self._follow = self._follow, None
        if follow is None:
            return
        story = next(
            (s for s in self.story_list.stories if any(a.id == follow for a in s.story.articles)),
            None,
        )
        if story is not None:
            self.story_list.move_to(story.story.id)


class _NothingToUndo(Exception):
    """`U` with no fix stored."""
