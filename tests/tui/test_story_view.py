"""The story view on its own: what it shows of a merged story's facts."""

from __future__ import annotations

from datetime import UTC, date, datetime

from textual.app import App, ComposeResult

from heraldtui.core.models import (
    Article,
    CountConflict,
    GradeCounts,
    GradeFact,
    MergedStory,
    Story,
)
from heraldtui.tui.widgets.story_view import StoryView


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
