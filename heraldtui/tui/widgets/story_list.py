"""The story list: a line-based virtual list, two lines per story.

A widget per row does not scale (2,000 `ListItem`s took 13 s to first paint), and even an
`OptionList` measures every option's height when options are set. Here every row is
exactly two lines, so the virtual height is `2 * len(stories)` and `render_line` builds
only the rows on screen, from plain-text `Content` (never markup). Setting 50,000 stories
costs a list assignment.

The list owns its movement keys and posts `Highlighted` when the cursor lands on a story
and `Selected` when the user opens one; the screen decides what that means.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.visual import Visual

from heraldtui.core.models import MergedStory
from heraldtui.tui.commands import STORY_LIST_COMMANDS, Command, bindings
from heraldtui.tui.present import story_row
from heraldtui.tui.state import next_unread

ROW_HEIGHT = 2


class StoryList(ScrollView, can_focus=True):
    """Stories, newest first, with a cursor; see the module docstring."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings(STORY_LIST_COMMANDS))
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "story-list--row",
        "story-list--cursor",
        "story-list--empty",
        "story-list--watched",
    }

    COMMAND_SET: ClassVar[tuple[Command, ...]] = STORY_LIST_COMMANDS

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    @dataclass
    class Highlighted(Message):
        """The cursor moved onto a story (or off every story: `story` is None)."""

        story_list: StoryList
        story: MergedStory | None

    @dataclass
    class Selected(Message):
        """The user asked to open the story under the cursor."""

        story_list: StoryList
        story: MergedStory

    def __init__(self, *, id: str | None = None, empty_text: str = "No stories") -> None:
        super().__init__(id=id)
        self._stories: list[MergedStory] = []
        self._empty_text = empty_text
        self._watched: Collection[str] = frozenset()

    @property
    def stories(self) -> list[MergedStory]:
        return self._stories

    @property
    def empty_text(self) -> str:
        return self._empty_text

    @empty_text.setter
    def empty_text(self, text: str) -> None:
        self._empty_text = text
        self.refresh()

    @property
    def current(self) -> MergedStory | None:
        if 0 <= self.cursor < len(self._stories):
            return self._stories[self.cursor]
        return None

    def set_stories(self, stories: list[MergedStory], keep: str | None = None) -> None:
        """Show `stories`; the cursor stays on the story with id `keep` when it is there."""
        self._stories = stories
        index = 0
        if keep is not None:
            index = next((i for i, s in enumerate(stories) if s.story.id == keep), 0)
        self.virtual_size = Size(self.size.width, len(stories) * ROW_HEIGHT)
        self.cursor = index
        self.refresh()

    @property
    def watched(self) -> Collection[str]:
        return self._watched

    def set_watched(self, story_ids: Collection[str]) -> None:
        """Mark the stories `story_ids` (those a watch rule matches) with `WATCH_MARK`."""
        self._watched = story_ids
        self.refresh()

    def replace_stories(self, stories: Iterable[MergedStory]) -> None:
        """Swap stories in place (their read or starred marks changed), in one pass."""
        fresh = {s.story.id: s for s in stories}
        if not fresh:
            return
        self._stories = [fresh.get(s.story.id, s) for s in self._stories]
        self.refresh()
        current = self.current
        if current is not None and current.story.id in fresh:
            self.post_message(self.Highlighted(self, current))

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, len(self._stories) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Highlighted(self, self.current))

    def _scroll_to_cursor(self) -> None:
        if not self._stories:
            return
        region = Region(0, self.cursor * ROW_HEIGHT, self.size.width, ROW_HEIGHT)
        self.scroll_to_region(region, animate=False, force=True, immediate=True)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self._stories) * ROW_HEIGHT)
        self._scroll_to_cursor()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        line = self.scroll_offset.y + y
        index, offset = divmod(line, ROW_HEIGHT)
        if not self._stories:
            if line != 0:
                return Strip.blank(width, self.get_visual_style("story-list--row").rich_style)
            style = self.get_visual_style("story-list--empty")
            return Strip([Segment(self._empty_text[:width], style.rich_style)]).extend_cell_length(
                width, style.rich_style
            )
        if index >= len(self._stories):
            return Strip.blank(width, self.get_visual_style("story-list--row").rich_style)
        selected = index == self.cursor
        if selected:
            style = self.get_visual_style("story-list--row", "story-list--cursor")
        else:
            style = self.get_visual_style("story-list--row")
        story = self._stories[index]
        watched = None
        if story.story.id in self._watched:
            watched = self.get_visual_style("story-list--watched", partial=True)
        content = story_row(story, max(width - 1, 1), watched)[offset]
        strips = Visual.to_strips(self, content, width, 1, style)
        strip = strips[0] if strips else Strip.blank(width)
        strip = strip.extend_cell_length(width, style.rich_style).crop(0, width)
        return strip.apply_meta({"story": index})

    def on_click(self, event: object) -> None:
        meta = getattr(event, "style", None)
        index = getattr(meta, "meta", {}).get("story") if meta is not None else None
        if isinstance(index, int):
            if index == self.cursor:
                self.action_select()
            else:
                self.cursor = index

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self._stories) - 1

    def action_page_down(self) -> None:
        self.cursor += max(1, self.size.height // ROW_HEIGHT - 1)

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.size.height // ROW_HEIGHT - 1)

    def action_next_unread(self) -> None:
        found = next_unread(self._stories, self.cursor, 1)
        if found is not None:
            self.cursor = found

    def action_previous_unread(self) -> None:
        found = next_unread(self._stories, self.cursor, -1)
        if found is not None:
            self.cursor = found

    def step(self, by: int) -> MergedStory | None:
        """Move the cursor `by` stories (J/K from the story view); None at either end."""
        index = self.cursor + by
        if not 0 <= index < len(self._stories):
            return None
        self.cursor = index
        return self.current

    def move_to(self, story_id: str) -> MergedStory | None:
        """Put the cursor on the story `story_id` if the list shows it (a related story
        opened from the story view); None when it does not."""
        index = next((i for i, s in enumerate(self._stories) if s.story.id == story_id), None)
        if index is None:
            return None
        self.cursor = index
        return self.current

    def action_select(self) -> None:
        story = self.current
        if story is not None:
            self.post_message(self.Selected(self, story))
