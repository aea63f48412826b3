"""The Markdown digest: feed text is inert, the structure is right."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from heraldtui.core.digest import build_digest
from heraldtui.core.markdown import code, escape, render_markdown
from heraldtui.core.models import (
    Article,
    GradeConflict,
    GradeFact,
    MeetingFact,
    MergedStory,
    QuoteFact,
    Story,
)

HOSTILE = [
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "![img](https://evil.example/x.png)",
    "**bold** _it_ `code` ~~s~~",
    "visit https://evil.example/ or www.evil.example or me@evil.example",
    "&lt;b&gt; &amp; entity",
    "# heading\n- list\n> quote",
    "| a | b |",
]


def test_escape_leaves_no_active_markdown() -> None:
    for text in HOSTILE:
        out = escape(text)
        assert "\n" not in out
        # every special character is preceded by a backslash
        assert not re.search(r"(?<!\\)[<>\[\]()*_`~&|#]", out), out
        assert not re.search(r"(?<!\\):|www\.|(?<!\\)@", out), out
        # and nothing was lost: removing the escapes gives the flattened text back
        assert re.sub(r"\\(.)", r"\1", out) == " ".join(text.split())


def test_code_span_cannot_be_closed_by_its_content() -> None:
    assert code("https://a.example/x") == "`https://a.example/x`"
    assert code("a`b") == "``a`b``"
    assert code("`x`") == "`` `x` ``"


def _article(n: int, feed: str, title: str) -> Article:
    return Article(
        feed=feed,
        guid=f"g{n}",
        link=f"https://news.example/{n}",
        title=title,
        author=None,
        published=datetime(2024, 10, 20 + n, 9, tzinfo=UTC),
        summary="",
        content="text",
    )


def test_story_section_has_sources_grades_quotes_meetings() -> None:
    a, b = _article(1, "Outlet <One>", "Force graded"), _article(2, "Outlet Two", "[x](y)")
    story = Story("s1", "Force graded", "inspection", "Example Constabulary", (a, b))
    merged = MergedStory(
        story,
        grades=(
            GradeFact(
                "investigating",
                "Investigating crime",
                "requires-improvement",
                (a.link,),
                (GradeConflict("adequate", (b.link,)),),
            ),
        ),
        quotes=(QuoteFact("Ann Example", "Chief Constable", "First.\nSecond.", (a.link, b.link)),),
        meetings=(
            MeetingFact(
                "Panel", date(2024, 11, 14), time(10, 30), "https://x.example/m", (b.link,)
            ),
        ),
    )
    lone = MergedStory(Story("s2", "Lone", "other", None, (_article(3, "Three", "Lone"),)))
    out = render_markdown(build_digest([merged, lone], datetime(2024, 11, 1, tzinfo=UTC)))
    assert "## Force graded" in out
    assert "| Investigating crime | Requires improvement | Outlet \\<One\\> |" in out
    assert "Adequate (Outlet Two)" in out
    assert "> First\\.\n>\n> Second\\." in out
    assert "— Ann Example, Chief Constable (Outlet \\<One\\>, Outlet Two)" in out
    assert "Thursday 14 November 2024, 10:30" in out and "`https://x.example/m`" in out
    assert "\\[x\\]\\(y\\)" in out
    assert "## Other stories" in out and "Lone" in out
    assert "<One>" not in out
