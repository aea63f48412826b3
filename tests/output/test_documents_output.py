"""Documents and independent sources in the digests: `documents`, `independent_sources` and
each article's `copy_of` in the JSON (always present), the Documents section, the coverage
and the copies in the Markdown. The stories are written for these tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from heraldtui.core.models import (
    Article,
    CopyOf,
    DocumentFact,
    GradeCounts,
    GradeFact,
    MergedStory,
    Story,
)
from heraldtui.core.output.digest import build_digest, render_json, story_to_dict
from heraldtui.core.output.markdown import render_markdown, render_story
from heraldtui.core.output.wording import Footnotes, coverage_phrase, report_note
from tests.output.test_markdown import HOSTILE, parser, walk

REPORT = "https://inspectorate.example/peel/fenland-2025/"
WEBCAST = "https://sho.example/FenPnl"


def _article(feed: str, slug: str, hour: int) -> Article:
    when = datetime(2025, 2, 4, hour, tzinfo=UTC)
    link = f"https://{feed.split()[0].lower()}.example/{slug}"
    return Article(feed, slug, link, f"{feed} on the inspection", None, when, "", "text")


def _syndicated() -> MergedStory:
    """An agency story, a paper's copy of it, a radio station's own piece, and the copy's
    sister paper running it again: 4 articles, 2 independent sources."""
    agency = _article("Fen Agency", "a", 7)
    copy = _article("Marsh Times", "b", 8)
    own = _article("Fen Radio", "c", 9)
    again = _article("Wash Echo", "d", 10)
    story = Story("s", "Fenland graded", "inspection", "Fenland Police", (agency, copy, own, again))
    return MergedStory(
        story,
        grades=(
            GradeFact("leadership", "Leadership", "good", (agency.link, copy.link, own.link)),
            GradeFact("investigating", "Investigating crime", "adequate", (copy.link, again.link)),
        ),
        grade_counts=GradeCounts((("good", 1),), (agency.link, copy.link)),
        documents=(
            DocumentFact(REPORT, "report", (copy.link, own.link)),
            DocumentFact(WEBCAST, "webcast", (own.link,)),
        ),
        copies=(CopyOf(copy.link, agency.link), CopyOf(again.link, agency.link)),
    )


def test_json_has_documents_independent_sources_and_copies() -> None:
    merged = _syndicated()
    entry = story_to_dict(merged)
    assert entry["documents"] == [
        {"url": REPORT, "kind": "report", "sources": [a.link for a in merged.story.articles[1:3]]},
        {"url": WEBCAST, "kind": "webcast", "sources": [merged.story.articles[2].link]},
    ]
    assert entry["independent_sources"] == 2
    agency = merged.story.articles[0].link
    assert [a["copy_of"] for a in entry["articles"]] == [None, agency, None, agency]


def test_json_keys_are_always_present() -> None:
    lone = MergedStory(Story("s", "t", "other", None, (_article("Fen Radio", "x", 9),)))
    raw = render_json(build_digest([lone], datetime(2025, 2, 5, tzinfo=UTC)))
    [entry] = json.loads(raw)["stories"]
    assert entry["documents"] == []
    assert entry["independent_sources"] == 1 and isinstance(entry["independent_sources"], int)
    assert [a["copy_of"] for a in entry["articles"]] == [None]
    assert "copy_of" in json.dumps(entry["articles"][0])


def test_coverage_counts_independent_sources_where_they_differ() -> None:
    merged = _syndicated()
    assert coverage_phrase(merged) == "4 articles, 2 independent sources"
    first_two = MergedStory(
        Story("s", "t", "other", None, merged.story.articles[:2]), copies=merged.copies[:1]
    )
    assert coverage_phrase(first_two) == "2 articles, 1 independent source"
    originals = MergedStory(Story("s", "t", "other", None, merged.story.articles[::2]))
    assert coverage_phrase(originals) == "2 sources"


def test_a_fact_says_how_many_of_its_outlets_are_independent() -> None:
    notes = Footnotes(_syndicated())
    merged = _syndicated()
    agency, copy, own, again = (a.link for a in merged.story.articles)
    assert notes.stated_by([agency, copy, own]) == "[1,2,3] (2 independent)"
    assert notes.stated_by([copy, again]) == "[2,4] (1 independent)"
    assert notes.stated_by([agency, own]) == "[1,3]"
    assert notes.stated_by([copy]) == "[2]"  # one outlet: nothing to discount


def test_markdown_ranks_documents_first_and_names_copies() -> None:
    out = render_story(_syndicated())
    head, documents = out.index("Inspection"), out.index("### Documents")
    assert head < documents < out.index("### Sources") < out.index("### Grades")
    assert "Fenland Police · 4 articles, 2 independent sources · 4 February 2025" in out
    assert (
        f"- **Report**: `{REPORT}` (Marsh Times, Fen Radio) [2,3]\n"
        f"- **Webcast**: `{WEBCAST}` (Fen Radio) [3]\n"
    ) in out
    assert "No outlet linked" not in out
    assert (
        ": [Marsh Times on the inspection](<https://marsh.example/b>) (copy of Fen Agency)\n"
        in (out)
    )
    assert "(<https://fen.example/a>)\n" in out  # the original names nothing
    assert "| ▲ Good | Leadership | [1,2,3] (2 independent) |" in out
    assert "| ◆ Adequate | Investigating crime | [2,4] (1 independent) |" in out
    assert "Counts: Good in 1 area [1,2] (1 independent)" in out


def test_an_inspection_without_a_report_link_says_so() -> None:
    merged = _syndicated()
    bare = MergedStory(merged.story, documents=merged.documents[1:])
    assert report_note(bare) == "No outlet linked the report"
    out = render_story(bare)
    assert "### Documents\n\n- **Webcast**: " in out
    assert out.count("- _No outlet linked the report._") == 1
    nothing = MergedStory(merged.story, grades=merged.grades)
    assert "### Documents\n\n- _No outlet linked the report._\n\n### Sources" in render_story(
        nothing
    )
    meeting = MergedStory(Story("m", "t", "meeting", None, merged.story.articles))
    assert report_note(meeting) is None
    assert "### Documents" not in render_story(meeting)


def test_document_addresses_are_inert_text_whatever_they_hold() -> None:
    merged = _syndicated()
    hostile = tuple(
        DocumentFact(
            f"https://evil.example/{n}?q={text}", "other", (merged.story.articles[0].link,)
        )
        for n, text in enumerate(HOSTILE)
    )
    odd = MergedStory(merged.story, documents=hostile)
    out = render_markdown(build_digest([odd], datetime(2025, 2, 5, tzinfo=UTC)))
    tokens = list(walk(parser().parse(out)))
    hrefs = {str(t.attrs.get("href")) for t in tokens if t.type == "link_open"}
    assert hrefs == {a.link for a in merged.story.articles}, "documents are never links"
    assert not [t for t in tokens if t.type in ("html_inline", "html_block", "image")]
