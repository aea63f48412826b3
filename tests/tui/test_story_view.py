"""The story view on its own: what it shows of a merged story's facts."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from textual.app import App, ComposeResult

from heraldtui.core.models import (
    Article,
    CopyOf,
    CountConflict,
    DocumentFact,
    GradeCounts,
    GradeFact,
    MergedStory,
    Story,
)
from heraldtui.tui.widgets.story_view import DocumentItem, StoryView


class _Host(App[None]):
    def compose(self) -> ComposeResult:
        yield StoryView(today=date(2024, 11, 1))


def _story(counts: GradeCounts | None, grades: tuple[GradeFact, ...] = ()) -> MergedStory:
    article = Article("Wyvern Gazette", "g1", "https://news.example/1", "Wyvern inspected",
                      None, datetime(2024, 10, 30, tzinfo=UTC), "", "text")  # fmt: skip
    story = Story("s1", "Wyvern inspected", "inspection", "Wyvern Constabulary", (article,))
    return MergedStory(story, grades=grades, grade_counts=counts)


async def test_counts_show_when_no_area_is_named() -> None:
    counts = GradeCounts(
        (("good", 2), ("adequate", 3)),
        ("https://news.example/1",),
        (CountConflict("good", 3, ("https://elsewhere.example/x",)),),
    )
    app = _Host()
    async with app.run_test(size=(120, 30)) as pilot:
        view = app.query_one(StoryView)
        view.show(_story(counts))
        await pilot.pause()
        text = "\n".join(s.text for s in app.screen._compositor.render_strips())
        assert "Counts  Good in 2 areas, adequate in 3" in text  # one line, with its note
        assert "[1] Wyvern Gazette" in text
        assert "⚠ [2] says good in 3" in text  # the disagreeing count is shown, not dropped
        assert "[2] https://elsewhere.example/x" in text, "a stray source keeps its note"
        view.show(_story(None))
        await pilot.pause()
        assert not view.query_one("#grades-section").display
        assert "Grades" not in "\n".join(s.text for s in app.screen._compositor.render_strips())


def _syndicated(documents: tuple[DocumentFact, ...]) -> MergedStory:
    """An agency story, a paper's copy of it and a radio station's own piece."""
    when = datetime(2024, 10, 30, 8, tzinfo=UTC)
    agency, copy, radio = (
        Article(feed, slug, f"https://{slug}.example/1", f"{feed} story", None, when, "", "text")
        for feed, slug in (("Fen Agency", "agency"), ("Marsh Times", "marsh"), ("Fen Radio", "fm"))
    )
    story = Story("s2", "Fenland graded", "inspection", "Fenland Police", (agency, copy, radio))
    return MergedStory(
        story,
        grades=(GradeFact("leadership", "Leadership", "good", (agency.link, copy.link)),),
        documents=documents,
        copies=(CopyOf(copy.link, agency.link),),
    )


async def test_documents_come_first_and_copies_name_their_original() -> None:
    report = DocumentFact(
        "https://inspectorate.example/fenland/", "report", ("https://marsh.example/1",)
    )
    webcast = DocumentFact(
        "https://sho.example/Pnl", "webcast", ("https://fm.example/1", "https://agency.example/1")
    )
    app = _Host()
    async with app.run_test(size=(100, 40)) as pilot:
        view = app.query_one(StoryView)
        view.show(_syndicated((report, webcast)))
        await pilot.pause()
        lines = [s.text.rstrip() for s in app.screen._compositor.render_strips()]
        text = "\n".join(lines)
        assert "Fenland Police · 3 articles, 2 independent sources · 30 Oct 2024" in text
        order = [text.index(word) for word in ("Documents", "Grades", "Sources")]
        assert order == sorted(order), "documents first, sources last"
        assert "Report  https://inspectorate.example/fenland/" in text
        assert "Marsh Times [2]" in text
        assert "Webcast  https://sho.example/Pnl" in text
        assert "Fen Radio, Fen Agency [1,3]" in text
        assert "No outlet linked the report" not in text
        assert "Leadership" in text and "[1,2] (1 independent)" in text
        assert "[2] Marsh Times · 30 Oct 2024 · copy of Fen Agency" in text
        assert "[1] Fen Agency · 30 Oct 2024 ·" not in text  # the original names nothing
        # tab: the documents are the first parts; the link under the cursor is the address
        view.move_cursor(1)
        assert view.link_under_cursor() == report.url
        view.move_cursor(1)
        assert view.link_under_cursor() == webcast.url
        view.move_cursor(1)  # the grades: the lead article again
        assert view.link_under_cursor() == "https://agency.example/1"


async def test_an_inspection_without_its_report_linked_says_so() -> None:
    app = _Host()
    async with app.run_test(size=(100, 40)) as pilot:
        view = app.query_one(StoryView)
        view.show(_syndicated(()))
        await pilot.pause()
        text = "\n".join(s.text for s in app.screen._compositor.render_strips())
        assert view.query_one("#documents-section").display
        assert "Documents" in text and "No outlet linked the report" in text
        assert not view.query(DocumentItem) and view.parts[0].id == "grades-section"
        other = _syndicated(())
        view.show(MergedStory(dataclasses.replace(other.story, kind="other"), other.grades))
        await pilot.pause()
        assert not view.query_one("#documents-section").display
        text = "\n".join(s.text for s in app.screen._compositor.render_strips())
        assert "No outlet linked" not in text and "3 sources" in text
