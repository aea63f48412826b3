"""The Markdown digest: feed text is inert, the structure is right."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, date, datetime, time

from heraldtui.core.models import (
    Article,
    CountConflict,
    GradeConflict,
    GradeCounts,
    GradeFact,
    MeetingFact,
    MergedStory,
    QuoteFact,
    Story,
)
from heraldtui.core.output.digest import build_digest
from heraldtui.core.output.markdown import code, escape, render_markdown, render_story
from heraldtui.core.output.wording import (
    counts_phrase,
    grade_word,
    kind_word,
    meeting_day,
    outlet_names,
    source_count,
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


def _facts_story(articles: tuple[Article, ...]) -> MergedStory:
    return MergedStory(
        Story("s1", "Force graded", "inspection", None, articles),
        grades=(GradeFact("leadership", "Leadership", "good", (articles[0].link,)),),
    )


def test_sources_are_outlets_not_articles() -> None:
    """One feed posting the story twice is one source, in the Markdown as in the reader."""
    a, b = _article(1, "Outlet One", "Force graded"), _article(2, "Outlet One", "Update")
    c = _article(3, "Outlet Two", "Force graded too")
    assert source_count(_facts_story((a, b))) == 1
    assert source_count(_facts_story((a, b, c))) == 2
    out = render_story(_facts_story((a, b)))
    assert "Inspection · 1 source, 2 reports\n" in out
    assert "Inspection · 2 sources, 3 reports\n" in render_story(_facts_story((a, b, c)))
    assert "Inspection · 2 sources\n" in render_story(_facts_story((a, c)))


def test_two_reports_from_one_outlet_are_one_section() -> None:
    """CONTRACT.md: a section per story with more than one source (an entry of its sources
    list), so an outlet's notice and its own write-up stay together as one story."""
    a, b = _article(1, "Outlet One", "Road closed"), _article(2, "Outlet One", "Road open")
    twice = MergedStory(Story("s1", "Road closed", "other", None, (a, b)))
    out = render_markdown(build_digest([twice], datetime(2024, 11, 1, tzinfo=UTC)))
    assert "1 merged story, 0 other articles." in out
    assert "## Road closed\n\nStory · 1 source, 2 reports\n" in out
    assert "Road open (`https://news.example/2`)" in out


def test_single_articles_without_facts_are_listed_as_other_stories() -> None:
    lone = MergedStory(Story("s1", "Road closed", "other", None, (_article(1, "One", "R"),)))
    out = render_markdown(build_digest([lone], datetime(2024, 11, 1, tzinfo=UTC)))
    assert "0 merged stories, 1 other article." in out
    assert "## Road closed" not in out
    assert "R (`https://news.example/1`)" in out


def test_outlets_behind_links_in_first_seen_order_and_unknown_links_kept() -> None:
    a, b = _article(1, "Outlet Two", "x"), _article(2, "Outlet One", "y")
    c = _article(3, "Outlet Two", "z")
    story = _facts_story((a, b, c))
    links = (c.link, b.link, a.link, "https://gone.example/9")
    assert outlet_names(story, links) == ["Outlet Two", "Outlet One", "https://gone.example/9"]


def test_an_inspections_type_is_written_with_its_kind() -> None:
    article = _article(1, "Outlet", "Crime recording checked")
    story = Story("s1", "Crime recording checked", "inspection", "Wolds Constabulary",
                  (article, _article(2, "Other", "Recording")), "crime-data-integrity")  # fmt: skip
    out = render_story(MergedStory(story))
    assert "Inspection: crime data integrity · Wolds Constabulary" in out
    assert kind_word("inspection", "peel") == "Inspection: PEEL"
    assert kind_word("inspection", "fire") == "Inspection: fire and rescue service"
    assert kind_word("inspection") == "Inspection"
    assert kind_word("meeting", None) == "Meeting"


def test_grade_words() -> None:
    assert grade_word("requires-improvement") == "Requires improvement"
    assert grade_word("good-use-of-resources") == "Good use of resources"  # unknown: shown
    assert kind_word("other") == "Story" and kind_word("meeting") == "Meeting"


def test_meeting_day_spells_the_weekday_and_the_time() -> None:
    meeting = MeetingFact("Panel", date(2024, 11, 14), time(10, 30), None, ())
    assert meeting_day(meeting) == "Thursday 14 November 2024, 10:30"
    undated_time = MeetingFact("Panel", date(2024, 11, 4), None, None, ())
    assert meeting_day(undated_time) == "Monday 4 November 2024"


def test_shared_wording_loads_without_textual() -> None:
    """The digest is written by the CLI, which must not pay for (or depend on) Textual."""
    code = (
        "import sys, heraldtui.core.output.wording, heraldtui.core.output.markdown; "
        "sys.exit('textual' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_counts_show_with_their_outlets_and_disagreements() -> None:
    a, b = _article(1, "Outlet One", "Force graded"), _article(2, "Outlet Two", "Force graded")
    counts = GradeCounts(
        (("good", 2), ("adequate", 5)),
        (a.link,),
        (CountConflict("good", 3, (b.link,)), CountConflict("adequate", 6, areas=("x",) * 6)),
    )
    merged = MergedStory(
        Story("s1", "Force graded", "inspection", None, (a, b)), grade_counts=counts
    )
    out = render_story(merged)
    assert "### Grades\n\nGood in 2 areas, adequate in 5 (Outlet One)" in out
    assert "- disagreement: Outlet Two\\: good in 3" in out
    assert "- disagreement: 6 areas are graded adequate by name" in out
    assert counts_phrase(GradeCounts((("inadequate", 1),), ())) == "Inadequate in 1 area"
