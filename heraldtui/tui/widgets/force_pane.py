"""The body of a force's screen: header, inspections, grade grid, meetings, people, news.

One focusable scroll view, like the story view: the screen's keys scroll it and move a
cursor (`tab`) between the entries a reader can open (each inspection, each upcoming
meeting, each recent story), scrolling the entry into view; `enter` (the screen's key)
or a click asks for the story under the cursor (`OpenStory`). Sections with nothing to
show are hidden, headings and all; the header says what is missing ("no upcoming
meetings").

Everything shown is built from plain strings through `force_card.py` (`Content`, never
markup).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.events import Click
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Static

from heraldtui.core.models import ForceView
from heraldtui.tui.card import MUTED
from heraldtui.tui.force_card import (
    grade_grid,
    inspection_entry,
    meeting_entry,
    people_entries,
    story_entry,
    summary,
)
from heraldtui.tui.messages import OpenStory
from heraldtui.tui.present import plain


class GradeGrid(Widget):
    """The grade grid, laid out for the width it has (see `force_card.grade_grid`)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.view: ForceView | None = None

    def show(self, view: ForceView) -> None:
        self.view = view
        self.refresh(layout=True)

    def lines(self, width: int) -> list[Content]:
        return grade_grid(self.view, width) if self.view is not None else []

    def render(self) -> Content:
        return Content("\n").join(self.lines(self.content_size.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(len(self.lines(width)), 1)


class Entry(Vertical):
    """Something on the force's screen that opens a story: its body, and the story id."""

    def __init__(self, story_id: str, body: Content) -> None:
        super().__init__(classes="force-entry")
        self.story_id = story_id
        self.body = body

    def compose(self) -> ComposeResult:
        yield Static(self.body)


SECTIONS = ("inspections", "grid", "meetings", "people", "recent")


class ForcePane(VerticalScroll, can_focus=True):
    """See the module docstring."""

    def __init__(self, *, today: date, id: str | None = None) -> None:
        super().__init__(id=id)
        self.today = today
        self.view: ForceView | None = None
        self.entries: list[Entry] = []
        self.cursor: int | None = None
        """The entry under the cursor (an index into `entries`), None before the first tab."""

    def compose(self) -> ComposeResult:
        yield Static(id="force-header")
        titles = {
            "inspections": "Inspections",
            "grid": "Grades over time",
            "meetings": "Upcoming meetings",
            "people": "People",
            "recent": "Recent stories",
        }
        for name in SECTIONS:
            with Vertical(id=f"{name}-section", classes="section"):
                yield Static(titles[name], classes="section-title")
                if name == "grid":
                    yield GradeGrid(id="force-grid")
                else:
                    yield Vertical(id=f"force-{name}")

    # -- showing -------------------------------------------------------------------------

    def show_message(self, force: str, message: str) -> None:
        """The force's name and a line instead of its view: loading, or why it failed."""
        self.view, self.entries, self.cursor = None, [], None
        self.query_one("#force-header", Static).update(
            Content("\n").join(
                [Content.styled(plain(force), "bold"), Content.styled(message, MUTED)]
            )
        )
        for section in self.query(".section"):
            section.display = False

    def show(self, view: ForceView) -> None:
        """Fill every section from `view`; empty sections are hidden."""
        self.view = view
        self.query_one("#force-header", Static).update(
            Content("\n").join(
                [Content.styled(plain(view.force), "bold"), Content.styled(summary(view), MUTED)]
            )
        )
        inspections = [Entry(i.story.story.id, inspection_entry(i)) for i in view.inspections]
        meetings = [Entry(m.story, meeting_entry(m, self.today)) for m in view.meetings]
        recent = [Entry(s.id, story_entry(s)) for s in view.recent]
        self._fill("inspections", inspections)
        grid = self.query_one("#grid-section")
        grid.display = bool(view.columns)
        if grid.display:
            self.query_one(GradeGrid).show(view)
        self._fill("meetings", meetings)
        people = [Static(body, classes="force-person") for body in people_entries(view.people)]
        self._fill("people", people)
        self._fill("recent", recent)
        self.entries = [*inspections, *meetings, *recent]
        self.cursor = None
        self._mark_cursor()
        self.scroll_home(animate=False, immediate=True)

    def _fill(self, name: str, widgets: Sequence[Widget]) -> None:
        body = self.query_one(f"#force-{name}")
        body.remove_children()
        if widgets:
            body.mount_all(widgets)
        self.query_one(f"#{name}-section").display = bool(widgets)

    # -- the cursor ----------------------------------------------------------------------

    @property
    def current(self) -> Entry | None:
        if self.cursor is None or not 0 <= self.cursor < len(self.entries):
            return None
        return self.entries[self.cursor]

    @property
    def current_story(self) -> str | None:
        """The story id of the entry under the cursor, None before the first tab."""
        entry = self.current
        return entry.story_id if entry is not None else None

    def _mark_cursor(self) -> None:
        for index, entry in enumerate(self.entries):
            entry.set_class(index == self.cursor, "-cursor")

    def move_cursor(self, by: int) -> None:
        """`tab` and `shift+tab`: the next or previous entry, wrapping round, in view.

        The first entry of a section brings its heading into view with it.
        """
        if not self.entries:
            return
        if self.cursor is None:
            self.cursor = 0 if by > 0 else len(self.entries) - 1
        else:
            self.cursor = (self.cursor + by) % len(self.entries)
        self._mark_cursor()
        entry = self.entries[self.cursor]
        body = entry.parent
        section = body.parent if body is not None else None
        first = body is not None and body.children[0] is entry
        target = section if first and isinstance(section, Widget) else entry
        self.call_after_refresh(self._bring_into_view, target)

    def _bring_into_view(self, target: Widget) -> None:
        self.scroll_to_widget(target, animate=False, immediate=True)

    def open_current(self) -> bool:
        """Ask for the story under the cursor (`OpenStory`); False when there is none."""
        story = self.current_story
        if story is not None:
            self.post_message(OpenStory(story))
        return story is not None

    def on_click(self, event: Click) -> None:
        """A click on an entry opens its story (the mouse, for those who use one)."""
        widget = event.widget
        while widget is not None and widget is not self:
            if isinstance(widget, Entry) and widget in self.entries:
                self.cursor = self.entries.index(widget)
                self._mark_cursor()
                self.open_current()
                return
            widget = widget.parent if isinstance(widget.parent, Widget) else None


__all__ = ["Entry", "ForcePane", "GradeGrid"]
