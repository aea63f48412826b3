"""The merged view of one story: header, documents, report card, quotes, meetings, related,
sources.

One focusable scroll view, driven from the keyboard: `j`/`k` scroll a line, `space` and
`b` a page, `g`/`G` to either end, and `tab` moves a cursor between the parts a reader
acts on (each document, the grades, the quotes, each meeting, each related story, each
source), scrolling the part to the top. `enter` on a source opens its article
(`OpenArticle`), on a related story that story (`OpenStory`); `o` (the screen's key)
opens the link under the cursor (`link_under_cursor`): a document's address is shown as
text and opened only so. `J`/`K` ask the screen for the next or
previous story (`Step`) and `q`/`escape` to go back (`Back`): the screen owns the list.

Every section is built from plain strings through `card.py` (`Content`, never markup).
Sections with nothing to show are hidden, headings and all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from heraldtui.core.models import (
    Article,
    DocumentFact,
    MeetingFact,
    MergedStory,
    QuoteFact,
    RelatedStory,
)
from heraldtui.core.output.wording import Footnotes, copy_phrase, report_note
from heraldtui.tui.card import (
    document_card,
    header,
    meeting_card,
    quote_text,
    quote_who,
    related_card,
    report_card,
)
from heraldtui.tui.commands import STORY_COMMANDS, Command, bindings
from heraldtui.tui.messages import OpenArticle, OpenStory
from heraldtui.tui.present import UNREAD_MARK, lead_article, plain, short_date


class ReportCard(Widget):
    """The grades, laid out for the width the card has (see `card.report_card`)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.story: MergedStory | None = None
        self.notes: Footnotes | None = None

    def show(self, story: MergedStory, notes: Footnotes) -> None:
        self.story, self.notes = story, notes
        self.refresh(layout=True)

    def lines(self, width: int) -> list[Content]:
        if self.story is None or self.notes is None:
            return []
        return report_card(self.story, self.notes, width)

    def render(self) -> Content:
        return Content("\n").join(self.lines(self.content_size.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(len(self.lines(width)), 1)


class Part(Vertical):
    """A tab stop of the story view: a section, a meeting card or a source."""


class _Card(Part):
    """A part that shows one block of content laid out beforehand (see `card.py`)."""

    def __init__(self, body: Content, *, classes: str) -> None:
        super().__init__(classes=classes)
        self.body = body

    def compose(self) -> ComposeResult:
        yield Static(self.body)


class DocumentItem(_Card):
    """A primary document: its kind and address, then the outlets that give it."""

    def __init__(self, document: DocumentFact, body: Content) -> None:
        super().__init__(body, classes="document")
        self.document = document


class SourceItem(Part):
    """One article of the story: outlet, footnote, date (and the outlet it copies), then
    its headline."""

    def __init__(self, article: Article, number: int, copied: str | None = None) -> None:
        super().__init__(classes="source")
        self.article = article
        self.number = number
        self.copied = copied

    def compose(self) -> ComposeResult:
        a = self.article
        yield Static(
            Content.assemble(
                Content.styled(UNREAD_MARK if not a.read else " ", "bold $text-accent"),
                f" [{self.number}] ",
                Content.styled(plain(a.feed), "bold"),
                Content.styled(f" · {short_date(a.published)}", "$foreground-muted"),
                Content.styled(f" · {plain(self.copied)}" if self.copied else "", "italic"),
            ),
            classes="source-head",
        )
        yield Static(Content(plain(a.title)), classes="source-title")


class MeetingCard(_Card):
    """One meeting: see `card.meeting_card`."""

    def __init__(self, meeting: MeetingFact, body: Content) -> None:
        super().__init__(body, classes="meeting")
        self.meeting = meeting


class RelatedItem(Part):
    """Another story of the force's thread: how it relates, its day, its headline."""

    def __init__(self, related: RelatedStory) -> None:
        super().__init__(classes="related")
        self.related = related

    def compose(self) -> ComposeResult:
        yield Static(related_card(self.related))


class StoryView(VerticalScroll, can_focus=True):
    """See the module docstring."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings(STORY_COMMANDS))
    COMMAND_SET: ClassVar[tuple[Command, ...]] = STORY_COMMANDS

    @dataclass
    class Back(Message):
        """The reader asked to leave the story (`q`, `escape`)."""

    @dataclass
    class Step(Message):
        """The reader asked for the next (`by=1`) or previous (`by=-1`) story."""

        by: int

    def __init__(self, *, today: date, id: str | None = None) -> None:
        super().__init__(id=id)
        self.today = today
        self.story: MergedStory | None = None
        self.notes: Footnotes | None = None
        self.parts: list[Part] = []
        self.cursor: int | None = None
        """The part under the cursor (an index into `parts`), None before the first tab."""

    def compose(self) -> ComposeResult:
        yield Static(id="story-header")
        with Vertical(id="documents-section", classes="section"):
            yield Static("Documents", classes="section-title")
            yield Vertical(id="story-documents")
            yield Static(id="documents-note")
        with Part(id="grades-section", classes="section"):
            yield Static("Grades", classes="section-title")
            yield ReportCard(id="story-grades")
        with Part(id="quotes-section", classes="section"):
            yield Static("Quotes", classes="section-title")
            yield Vertical(id="story-quotes")
        with Vertical(id="meetings-section", classes="section"):
            yield Static("Meetings", classes="section-title")
            yield Vertical(id="story-meetings")
        with Vertical(id="related-section", classes="section"):
            yield Static("Related stories", classes="section-title")
            yield Vertical(id="story-related")
        with Vertical(id="sources-section", classes="section"):
            yield Static("Sources", classes="section-title")
            yield Vertical(id="story-sources")

    # -- showing -------------------------------------------------------------------------

    def show(self, story: MergedStory | None, placeholder: str = "No story selected") -> None:
        """Fill every section from `story`; sections with nothing to show are hidden.

        The same story shown again (its facts arrived, or a mark changed) keeps the cursor
        and the scroll position; another story starts at the top.
        """
        same = (
            story is not None and self.story is not None and story.story.id == self.story.story.id
        )
        self.story = story
        self.notes = Footnotes(story) if story is not None else None
        if story is None or self.notes is None:
            self.query_one("#story-header", Static).update(
                Content.styled(placeholder, "$foreground-muted")
            )
            for section in self.query(".section"):
                section.display = False
            self.parts, self.cursor = [], None
            return
        notes = self.notes
        self.query_one("#story-header", Static).update(header(story, notes))
        documents = [DocumentItem(d, document_card(d, story, notes)) for d in story.documents]
        self._fill("documents", documents)
        note = report_note(story)
        self.query_one("#documents-note", Static).update(Content(note or ""))
        self.query_one("#documents-note").display = note is not None
        self.query_one("#documents-section").display = bool(documents) or note is not None
        grades = self.query_one("#grades-section")
        grades.display = bool(story.grades or story.grade_counts)
        if grades.display:
            self.query_one(ReportCard).show(story, notes)
        self._fill("quotes", [self._quote(quote, notes) for quote in story.quotes])
        cards = [MeetingCard(m, meeting_card(m, notes, self.today)) for m in story.meetings]
        self._fill("meetings", cards)
        related = [RelatedItem(r) for r in story.related]
        self._fill("related", related)
        sources = [
            SourceItem(a, notes.number(a.link), copy_phrase(story, a.link))
            for a in story.story.articles
        ]
        self._fill("sources", sources)
        self.parts = [
            *documents,
            *([self.query_one("#grades-section", Part)] if grades.display else []),
            *([self.query_one("#quotes-section", Part)] if story.quotes else []),
            *cards,
            *related,
            *sources,
        ]
        keep = self.cursor if same and self.cursor is not None else None
        self.cursor = keep if keep is not None and keep < len(self.parts) else None
        self._mark_cursor()
        if not same:
            self.scroll_home(animate=False, immediate=True)

    @staticmethod
    def _quote(quote: QuoteFact, notes: Footnotes) -> Vertical:
        return Vertical(
            Static(quote_who(quote, notes), classes="quote-who"),
            Static(quote_text(quote), classes="quote-text"),
            classes="quote",
        )

    def _fill(self, name: str, widgets: Sequence[Widget]) -> None:
        section = self.query_one(f"#{name}-section")
        body = self.query_one(f"#story-{name}")
        body.remove_children()
        if widgets:
            body.mount_all(widgets)
        section.display = bool(widgets)

    # -- the cursor ----------------------------------------------------------------------

    @property
    def current_part(self) -> Part | None:
        if self.cursor is None or not 0 <= self.cursor < len(self.parts):
            return None
        return self.parts[self.cursor]

    def _mark_cursor(self) -> None:
        for index, part in enumerate(self.parts):
            part.set_class(index == self.cursor, "-cursor")
        for section in self.query(".section"):
            if section not in self.parts:
                section.set_class(False, "-cursor")

    def move_cursor(self, by: int) -> None:
        """`tab` and `shift+tab`: the next or previous part, wrapping round, at the top."""
        if not self.parts:
            return
        if self.cursor is None:
            self.cursor = 0 if by > 0 else len(self.parts) - 1
        else:
            self.cursor = (self.cursor + by) % len(self.parts)
        self._mark_cursor()
        part = self.parts[self.cursor]
        target: Widget = part
        first_of = {
            DocumentItem: "#documents-section",
            MeetingCard: "#meetings-section",
            RelatedItem: "#related-section",
            SourceItem: "#sources-section",
        }
        for kind, section in first_of.items():
            if isinstance(part, kind) and not any(
                isinstance(p, kind) for p in self.parts[: self.cursor]
            ):
                target = self.query_one(section)  # the first card: its heading shows too
        self.call_after_refresh(self._bring_to_top, target)

    def _bring_to_top(self, target: Widget) -> None:
        self.scroll_to_widget(target, animate=False, top=True, immediate=True)

    def link_under_cursor(self) -> str | None:
        """The document's, source's or meeting's link under the cursor; else the story's
        lead article."""
        part = self.current_part
        if isinstance(part, DocumentItem):
            return part.document.url
        if isinstance(part, SourceItem):
            return part.article.link
        if isinstance(part, MeetingCard) and part.meeting.url:
            return part.meeting.url
        if self.story is None:
            return None
        lead = lead_article(self.story)
        return lead.link if lead is not None else None

    # -- actions -------------------------------------------------------------------------

    def action_scroll_line_down(self) -> None:
        self.scroll_down(animate=False)

    def action_scroll_line_up(self) -> None:
        self.scroll_up(animate=False)

    def action_page_down(self) -> None:
        self.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.scroll_page_up(animate=False)

    def action_top(self) -> None:
        self.scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.scroll_end(animate=False)

    def action_next_part(self) -> None:
        self.move_cursor(1)

    def action_previous_part(self) -> None:
        self.move_cursor(-1)

    def action_open_part(self) -> None:
        part = self.current_part
        if isinstance(part, SourceItem) and self.story is not None:
            self.post_message(OpenArticle(self.story, part.article))
        elif isinstance(part, RelatedItem):
            self.post_message(OpenStory(part.related.story))

    def action_next_story(self) -> None:
        self.post_message(self.Step(1))

    def action_previous_story(self) -> None:
        self.post_message(self.Step(-1))

    def action_back(self) -> None:
        self.post_message(self.Back())

    def on_click(self, event: Click) -> None:
        """A click on a source or a related story opens it (the mouse, for those who use one)."""
        widget = event.widget
        while widget is not None and widget is not self:
            if isinstance(widget, Part) and widget in self.parts:
                self.cursor = self.parts.index(widget)
                self._mark_cursor()
                self.action_open_part()
                return
            widget = widget.parent if isinstance(widget.parent, Widget) else None
