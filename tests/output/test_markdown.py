"""The Markdown digest, rendered with a CommonMark parser: feed text stays literal, the only
links are the sources' own, and the structure (report card, footnotes, days away) is right.

The parser is markdown-it-py (it comes with Textual) in its GFM-like preset, with the
autolinker set as GitHub's: `http(s)://`, `www.` and e-mail addresses become links.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, time

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

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
from heraldtui.core.output import markdown
from heraldtui.core.output.digest import build_digest
from heraldtui.core.output.markdown import code, escape, link, render_markdown, render_story
from heraldtui.core.output.wording import (
    Footnotes,
    clock_time,
    counts_phrase,
    days_away,
    grade_word,
    kind_word,
    long_date,
    meeting_day,
    outlet_names,
    source_count,
    uk_time,
)

HOSTILE = [
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "![img](https://evil.example/x.png)",
    "**bold** _it_ `code` ~~s~~ ~one~",
    "visit https://evil.example/ or www.evil.example or me@evil.example",
    "&lt;b&gt; &amp; &#60; entity",
    "| a | b |",
    "$x^2$ costs $5",
    "back\\slash \\* and :police_car: at 10:30",
    "<https://evil.example/auto>",
    "[ref]: https://evil.example/def",
]
LINE_STARTS = ["# heading", "- list", "+ list", "> quote", "1. one", "2) two", "---", "==="]


def parser() -> MarkdownIt:
    md = MarkdownIt("gfm-like")
    assert md.linkify is not None, "linkify-it-py comes with Textual"
    md.linkify.set({"fuzzy_link": True, "fuzzy_email": True})
    md.linkify.add("//", None)  # GitHub does not link a bare //host
    return md


def walk(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        yield from walk(token.children or [])


def inline_text(markdown: str) -> tuple[str, set[str]]:
    """The text a paragraph renders to, and every token type it produced."""
    tokens = list(walk(parser().parse(markdown)))
    text = "".join(t.content for t in tokens if t.type in ("text", "text_special"))
    return text, {t.type for t in tokens}


PLAIN_TYPES = {"paragraph_open", "paragraph_close", "inline", "text", "text_special"}


def test_hostile_feed_text_renders_as_the_same_characters() -> None:
    for text in HOSTILE:
        out = escape(text)
        assert "\n" not in out
        rendered, types = inline_text(out)
        assert types <= PLAIN_TYPES, (text, out, types - PLAIN_TYPES)
        assert rendered == " ".join(text.split()), out


def test_only_what_changes_the_rendering_is_escaped() -> None:
    prose = "Ash-Edwards said (on 5 Nov.): grades, turnaround. A & B; C# is 100% snake_case!"
    assert escape(prose) == prose
    assert escape("Title #") == "Title \\#"  # a closing sequence in a heading
    assert escape("_em_ and *x*") == "\\_em\\_ and \\*x\\*"


def test_text_at_a_line_start_cannot_start_a_block() -> None:
    for text in LINE_STARTS:
        out = escape(text, line_start=True)
        tokens = {t.type for t in walk(parser().parse(f"> {out}"))}
        assert tokens <= PLAIN_TYPES | {"blockquote_open", "blockquote_close"}, (text, tokens)
    assert escape("1999 was", line_start=True) == "1999 was"
    assert escape("-5 degrees", line_start=True) == "-5 degrees"


SPECIALS = "\\`*_[]()<>#+-.!|~&:@$=\"' ab1w/;"


# The marks `escape` escapes, spelt the plain way (looking behind before the mark, which
# the regex engine tries at every position): the module's faster spelling must match the
# same characters.
PLAINLY = re.compile(
    r"[\\`*\[\]<|~$@]|_(?![^\W_])|(?<![^\W_])_|&(?=#?[0-9A-Za-z]+;)"
    r"|(?<=[A-Za-z]):(?=//)|(?<=\b[wW]{3})\.|:(?=[a-z0-9_+-]+:)"
)


@given(st.text(alphabet=SPECIALS + "Wé_9x", max_size=40))
def test_the_marks_escaped_are_those_spelt_plainly(text: str) -> None:
    assert [m.span() for m in markdown._SPECIAL.finditer(text)] == [
        m.span() for m in PLAINLY.finditer(text)
    ]


@given(st.text(alphabet=SPECIALS, max_size=40))
def test_any_mix_of_punctuation_stays_literal(text: str) -> None:
    out = escape(text, line_start=True)
    flat = " ".join(text.split())
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    tokens = list(walk(md.parse(out)))
    types = {t.type for t in tokens}
    assert types <= PLAIN_TYPES | {"softbreak"}, (text, out, types)
    rendered = "".join(t.content for t in tokens if t.type in ("text", "text_special"))
    if flat:
        assert rendered == flat, out


def test_code_span_cannot_be_closed_by_its_content() -> None:
    assert code("https://a.example/x") == "`https://a.example/x`"
    assert code("a`b") == "``a`b``"
    assert code("`x`") == "`` `x` ``"


def test_links_only_for_http_addresses() -> None:
    assert link("A (b)", "https://a.example/x_(y)") == "[A (b)](<https://a.example/x_(y)>)"
    assert link("A", "javascript:alert(1)") == "A (`javascript:alert(1)`)"
    assert link("A", "https://a.example/<x>").startswith("A (`")


def _article(n: int, feed: str, title: str, link_: str | None = None) -> Article:
    return Article(
        feed=feed,
        guid=f"g{n}",
        link=link_ or f"https://news.example/{n}",
        title=title,
        author=None,
        published=datetime(2024, 10, 20 + n % 10, 9, 0, tzinfo=UTC),
        summary="",
        content="text",
    )


def _inspection() -> tuple[MergedStory, MergedStory]:
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
            GradeFact("leadership", "Leadership", "good", (a.link, b.link)),
        ),
        quotes=(QuoteFact("Ann Example", "Chief Constable", "First.\nSecond.", (a.link, b.link)),),
        meetings=(
            MeetingFact(
                "Panel", date(2024, 11, 14), time(10, 30), "https://x.example/m", (b.link,)
            ),
        ),
    )
    lone = MergedStory(Story("s2", "Lone", "other", None, (_article(3, "Three", "Lone"),)))
    return merged, lone


def test_story_section_reads_as_the_merged_view() -> None:
    merged, lone = _inspection()
    out = render_markdown(build_digest([merged, lone], datetime(2024, 11, 6, 9, tzinfo=UTC)))
    assert out.startswith("# heraldtui digest\n\nGenerated 6 November 2024, 09:00 GMT: ")
    assert "other article.\n\n## Force graded\n" in out, "a blank line after the generated line"
    assert "Inspection · Example Constabulary · 2 sources · 21 October 2024 – 22 October 2024" in (
        out
    )
    assert "- [1] Outlet \\<One>, 21 October 2024: [Force graded](<https://news.example/1>)" in out
    assert "- [2] Outlet Two, 22 October 2024: [\\[x\\](y)](<https://news.example/2>)" in out
    assert "| Grade | Area | Sources | Disagreement |" in out
    assert "| ▼ Requires improvement | Investigating crime | [1] | ⚠ [2] says Adequate |" in out
    assert "| ▲ Good | Leadership | [1,2] |  |" in out
    assert "> First.\n>\n> Second." in out
    assert "— Ann Example, Chief Constable [1,2]" in out
    assert (
        "- **Panel**: Thursday 14 November 2024, 10:30 (in 8 days), `https://x.example/m` [2]"
    ) in out
    assert "## Other stories\n\n- Three, 23 October 2024: [Lone](<https://news.example/3>)" in out


def test_the_digest_renders_with_no_html_and_no_link_but_the_sources() -> None:
    fields = HOSTILE
    articles = tuple(_article(n, f"Feed {text}", text) for n, text in enumerate(fields, start=1))
    odd = _article(99, "Odd", "Not a web link", "javascript:alert(1)")
    merged = MergedStory(
        Story("s", fields[0], "inspection", fields[1], (*articles, odd)),
        grades=tuple(
            GradeFact(f"a{n}", text, "good", (articles[n].link,), (GradeConflict(text, ()),))
            for n, text in enumerate(fields)
        ),
        quotes=tuple(QuoteFact(text, text, text, (articles[0].link,)) for text in fields),
        meetings=(
            MeetingFact(fields[2], date(2024, 11, 14), None, "javascript:x", (), where=fields[3]),
            MeetingFact("Panel", date(2024, 11, 15), None, "https://bit.example/x", ()),
        ),
    )
    out = render_markdown(build_digest([merged], datetime(2024, 11, 1, tzinfo=UTC)))
    tokens = list(walk(parser().parse(out)))
    hrefs = {str(t.attrs.get("href")) for t in tokens if t.type == "link_open"}
    assert hrefs == {a.link for a in articles}, "only the sources' own addresses are links"
    assert not [t for t in tokens if t.type in ("html_inline", "html_block", "image")]
    assert "javascript" not in str(hrefs)
    rendered = "\n".join(t.content for t in tokens if t.type in ("text", "text_special"))
    flat = "".join(rendered.split())
    for text in fields:
        assert "".join(text.split()) in flat, text  # shown as the characters it is


def test_sources_are_outlets_not_articles() -> None:
    """One feed posting the story twice is one source, in the Markdown as in the reader."""
    a, b = _article(1, "Outlet One", "Force graded"), _article(2, "Outlet One", "Update")
    c = _article(3, "Outlet Two", "Force graded too")
    assert source_count(_facts_story((a, b))) == 1
    assert source_count(_facts_story((a, b, c))) == 2
    assert "Inspection · 1 source, 2 reports · " in render_story(_facts_story((a, b)))
    assert "Inspection · 2 sources, 3 reports · " in render_story(_facts_story((a, b, c)))
    out = render_story(_facts_story((a, b, c)))
    assert "- [1] Outlet One, 21 October" in out and "- [1] Outlet One, 22 October" in out
    assert "- [2] Outlet Two, 23 October" in out


def _facts_story(articles: tuple[Article, ...]) -> MergedStory:
    return MergedStory(
        Story("s1", "Force graded", "inspection", None, articles),
        grades=(GradeFact("leadership", "Leadership", "good", (articles[0].link,)),),
    )


def test_two_reports_from_one_outlet_are_one_section() -> None:
    """CONTRACT.md: a section per story with more than one source (an entry of its sources
    list), so an outlet's notice and its own write-up stay together as one story."""
    a, b = _article(1, "Outlet One", "Road closed"), _article(2, "Outlet One", "Road open")
    twice = MergedStory(Story("s1", "Road closed", "other", None, (a, b)))
    out = render_markdown(build_digest([twice], datetime(2024, 11, 1, tzinfo=UTC)))
    assert "1 merged story, 0 other articles." in out
    assert "## Road closed\n\nStory · 1 source, 2 reports · " in out
    assert "[Road open](<https://news.example/2>)" in out


def test_single_articles_without_facts_are_listed_as_other_stories() -> None:
    lone = MergedStory(Story("s1", "Road closed", "other", None, (_article(1, "One", "R"),)))
    out = render_markdown(build_digest([lone], datetime(2024, 11, 1, tzinfo=UTC)))
    assert "0 merged stories, 1 other article." in out
    assert "## Road closed" not in out
    assert "- One, 21 October 2024: [R](<https://news.example/1>)" in out


def test_an_empty_digest_is_its_head_and_a_blank_line() -> None:
    out = render_markdown(build_digest([], datetime(2024, 11, 1, tzinfo=UTC)))
    assert out.startswith("# heraldtui digest\n\nGenerated 1 November 2024")
    assert out.endswith(": 0 merged stories, 0 other articles.\n\n")


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


def test_footnotes_number_outlets_once_and_strays_after_them() -> None:
    a, b = _article(1, "Outlet Two", "x"), _article(2, "Outlet One", "y")
    c = _article(3, "Outlet Two", "z")
    stray = "https://gone.example/9"
    story = MergedStory(
        Story("s1", "T", "inspection", None, (a, b, c)),
        grades=(GradeFact("leadership", "Leadership", "good", (c.link, stray)),),
    )
    notes = Footnotes(story)
    assert notes.entries == [(1, "Outlet Two"), (2, "Outlet One"), (3, stray)]
    assert notes.strays == [(3, stray)]
    assert notes.marks((c.link, a.link, b.link)) == "[1,2]"
    assert notes.marks(()) == ""
    assert "- [3] [gone.example/9](<https://gone.example/9>)" not in render_story(story)
    assert f"- [3] [{stray}](<{stray}>)".replace("https://", "https\\://", 1) in render_story(story)


def test_grade_words() -> None:
    assert grade_word("requires-improvement") == "Requires improvement"
    assert grade_word("good-use-of-resources") == "Good use of resources"  # unknown: shown
    assert kind_word("other") == "Story" and kind_word("meeting") == "Meeting"


def test_meeting_day_spells_the_weekday_and_the_time() -> None:
    meeting = MeetingFact("Panel", date(2024, 11, 14), time(10, 30), None, ())
    assert meeting_day(meeting) == "Thursday 14 November 2024, 10:30"
    undated_time = MeetingFact("Panel", date(2024, 11, 4), None, None, ())
    assert meeting_day(undated_time) == "Monday 4 November 2024"


def test_days_away() -> None:
    today = date(2024, 11, 6)
    assert [days_away(date(2024, 11, d), today) for d in (5, 6, 7, 14)] == [
        "past",
        "today",
        "tomorrow",
        "in 8 days",
    ]


def test_times_are_uk_local() -> None:
    summer = datetime(2024, 7, 1, 8, 30, tzinfo=UTC)
    winter = datetime(2024, 11, 6, 8, 30, tzinfo=UTC)
    assert uk_time(summer).hour == 9 and uk_time(winter).hour == 8
    assert clock_time(summer) == "Monday 1 July 2024, 09:30 BST"
    assert clock_time(winter) == "Wednesday 6 November 2024, 08:30 GMT"
    assert long_date(datetime(2024, 7, 1, 23, 30, tzinfo=UTC)) == "2 July 2024", "00:30 BST"
    assert long_date(None) == "undated"


def test_shared_wording_loads_without_textual() -> None:
    """The digest is written by the CLI, which must not pay for (or depend on) Textual."""
    code = (
        "import sys, heraldtui.core.output.wording, heraldtui.core.output.markdown; "
        "sys.exit('textual' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_counts_show_with_their_footnotes_and_disagreements() -> None:
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
    assert "### Grades\n\nCounts: Good in 2 areas, adequate in 5 [1]\n" in out
    assert "- ⚠ [2] says good in 3" in out
    assert "- ⚠ 6 areas are graded adequate by name" in out
    assert counts_phrase(GradeCounts((("inadequate", 1),), ())) == "Inadequate in 1 area"
    tokens = {t.type for t in walk(parser().parse(out))}
    assert "table_open" not in tokens, "counts alone make no empty table"
