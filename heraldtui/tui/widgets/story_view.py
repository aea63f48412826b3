"""The merged view of one story: header, grades, quotes, meetings and sources.

Each section is a `Static` fed with Rich `Text` or Textual `Content` built from plain
strings, so feed text is never parsed as markup. The grades table is a Rich `Table`
(it wraps cells well in narrow panes); its grade colours are read from the current
theme's variables and the view is rebuilt when the theme changes. The sources are an
`OptionList` so they can be focused and opened with enter; the screen turns that into
an `OpenArticle` request.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from heraldtui.core.models import Article, MergedStory
from heraldtui.core.output.wording import (
    count_conflict_phrase,
    counts_phrase,
    coverage_phrase,
    grade_word,
    kind_word,
)
from heraldtui.tui.present import (
    GRADE_STYLES,
    first_date,
    latest_date,
    meeting_when,
    outlets,
    plain,
    short_date,
)


class SourceList(OptionList):
    """The story's articles; enter opens one."""


class StoryView(VerticalScroll, can_focus=False):
    """See the module docstring."""

    def __init__(self, *, today: date, id: str | None = None) -> None:
        super().__init__(id=id)
        self.today = today
        self.story: MergedStory | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="story-header")
        yield Static("Grades", classes="section-title", id="grades-title")
        yield Static(id="story-grades")
        yield Static("Quotes", classes="section-title", id="quotes-title")
        yield Static(id="story-quotes")
        yield Static("Meetings", classes="section-title", id="meetings-title")
        yield Static(id="story-meetings")
        yield Static("Sources", classes="section-title", id="sources-title")
        yield SourceList(id="story-sources")

    def on_mount(self) -> None:
        self.watch(self.app, "theme", self._on_theme, init=False)

    def _on_theme(self) -> None:
        self.show(self.story)

    @property
    def sources(self) -> SourceList:
        return self.query_one(SourceList)

    def article_at(self, index: int | None) -> Article | None:
        if self.story is None or index is None:
            return None
        articles = self._ordered_articles(self.story)
        return articles[index] if 0 <= index < len(articles) else None

    @staticmethod
    def _ordered_articles(story: MergedStory) -> list[Article]:
        return list(story.story.articles)

    def show(self, story: MergedStory | None) -> None:
        """Fill every section from `story`; empty sections are hidden."""
        keep_source = self.sources.highlighted
        same = (
            story is not None and self.story is not None and story.story.id == self.story.story.id
        )
        self.story = story
        self.query_one("#story-header", Static).update(self._header(story))
        has_grades = story is not None and bool(story.grades or story.grade_counts)
        self._section("grades", self._grades(story) if story and has_grades else None)
        self._section("quotes", self._quotes(story) if story and story.quotes else None)
        self._section("meetings", self._meetings(story) if story and story.meetings else None)
        sources = self.sources
        sources.set_options(self._source_options(story) if story else [])
        self.query_one("#sources-title").display = story is not None
        sources.display = story is not None
        if story is not None and sources.option_count:
            sources.highlighted = keep_source if same and keep_source is not None else 0
        if not same:
            self.scroll_home(animate=False)

    def _section(self, name: str, body: Table | Content | None) -> None:
        static = self.query_one(f"#story-{name}", Static)
        title = self.query_one(f"#{name}-title", Static)
        static.display = title.display = body is not None
        static.update(body if body is not None else "")

    def _header(self, story: MergedStory | None) -> Content:
        if story is None:
            return Content("No story selected")
        s = story.story
        lines: list[Content] = [Content.styled(plain(s.title), "bold")]
        facts = [plain(s.force or "Force not identified"), coverage_phrase(story)]
        if s.kind != "other":
            facts.insert(0, kind_word(s.kind, s.inspection_type))
        lines.append(Content.styled(" · ".join(facts), "$text-muted"))
        first, latest = first_date(story), latest_date(story)
        when = short_date(first)
        if latest is not None and first is not None and latest.date() != first.date():
            when = f"{short_date(first)} – {short_date(latest)}"
        lines.append(Content.styled(when, "$text-muted"))
        return Content("\n").join(lines)

    def _colour(self, grade: str) -> str:
        """A Rich style for `grade` from the theme's variables, so themes apply."""
        variables = self.app.theme_variables
        style = GRADE_STYLES.get(grade, "")
        bold = "bold " if "bold" in style else ""
        name = style.split("$")[-1] if "$" in style else ""
        colour = variables.get(name, "")
        return f"{bold}{colour}".strip()

    def _grades(self, story: MergedStory) -> Table:
        table = Table(expand=True, box=None, show_edge=False, pad_edge=False, padding=(0, 1))
        table.add_column(Text("Area"), ratio=3)
        table.add_column(Text("Grade"), ratio=2)
        table.add_column(Text("Stated by"), ratio=3)
        if story.grade_counts is not None:
            # Counts are how most outlets report: shown as the first row, over the areas.
            counts = Text(plain(counts_phrase(story.grade_counts)))
            stated = Text(outlets(story, story.grade_counts.sources))
            for line in count_conflict_phrase(story.grade_counts, story):
                stated.append(f"\n⚠ {plain(line)}", style="bold")
            table.add_row(Text("Counts"), counts, stated)
        for fact in story.grades:
            grade = Text(plain(grade_word(fact.grade)), style=self._colour(fact.grade))
            stated = Text(outlets(story, fact.sources))
            if fact.conflicts:
                grade.append(" ⚠", style="bold")
                for conflict in fact.conflicts:
                    stated.append(f"\n⚠ {outlets(story, conflict.sources)}: ", style="bold")
                    stated.append(
                        plain(grade_word(conflict.grade)), style=self._colour(conflict.grade)
                    )
            table.add_row(Text(plain(fact.label or fact.area)), grade, stated)
        return table

    def _quotes(self, story: MergedStory) -> Content:
        blocks: list[Content] = []
        for quote in story.quotes:
            who = ", ".join(part for part in (quote.speaker, quote.role) if part) or "Unattributed"
            blocks.append(
                Content.assemble(
                    Content.styled(f"“{plain(quote.text)}”", "italic"),
                    "\n  — ",
                    Content.styled(plain(who), "bold"),
                    Content.styled(f" ({outlets(story, quote.sources)})", "$text-muted"),
                )
            )
        return Content("\n\n").join(blocks)

    def _meetings(self, story: MergedStory) -> Content:
        blocks: list[Content] = []
        for meeting in story.meetings:
            lines: list[Content | str] = [
                Content.styled(plain(meeting.name), "bold"),
                "\n",
                meeting_when(meeting, self.today),
            ]
            if meeting.where:
                lines += ["\n", Content.styled(plain(meeting.where), "$text-muted")]
            if meeting.url:
                lines += ["\n", Content.styled(plain(meeting.url), "underline")]
            if meeting.weekday_mismatch:
                lines += ["\n", Content.styled("⚠ a source gave another weekday", "$text-warning")]
            blocks.append(Content.assemble(*lines))
        return Content("\n\n").join(blocks)

    def _source_options(self, story: MergedStory) -> Iterator[Option]:
        for index, article in enumerate(self._ordered_articles(story)):
            mark = "●" if not article.read else " "
            yield Option(
                Content.assemble(
                    Content.styled(mark, "bold $text-accent"),
                    " ",
                    Content.styled(plain(article.feed), "bold"),
                    Content.styled(f" · {short_date(article.published)}", "$text-muted"),
                    "\n  ",
                    plain(article.title),
                ),
                id=f"source-{index}",
            )
