"""A force over time in the digests: `previous_inspection`, `related` and each grade's
`previous` in the JSON (always present), the change column and the related stories in
the Markdown. The stories are written for these tests."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from heraldtui.core.models import (
    Article,
    GradeFact,
    MergedStory,
    PreviousGrade,
    RelatedStory,
    Story,
)
from heraldtui.core.output.digest import build_digest, render_json, story_to_dict
from heraldtui.core.output.markdown import render_markdown
from tests.output.test_markdown import HOSTILE, parser, walk

WHEN = datetime(2025, 2, 3, 9, tzinfo=UTC)
EARLIER = date(2023, 9, 14)


def _article(slug: str, title: str) -> Article:
    link = f"https://moorside.example/{slug}"
    return Article("Moorside Mercury", slug, link, title, None, WHEN, "", "text")


def _revisit() -> MergedStory:
    """An inspection compared with one of September 2023, in every direction."""
    a = _article("second-look", "Inspectors take a second look at Moorside Police")
    earlier = PreviousGrade
    return MergedStory(
        Story("later", a.title, "inspection", "Moorside Police", (a,), "peel"),
        grades=(
            GradeFact(
                "recording-data",
                "Recording data about crime",
                "good",
                (a.link,),
                previous=earlier("inadequate", "first", EARLIER),
            ),
            GradeFact(
                "responding",
                "Responding to the public",
                "requires-improvement",
                (a.link,),
                previous=earlier("adequate", "first", EARLIER),
            ),
            GradeFact(
                "leadership",
                "Leadership and force management",
                "adequate",
                (a.link,),
                previous=earlier("adequate", "first", EARLIER),
            ),
            GradeFact("workforce", "Developing a positive workplace", "good", (a.link,)),
        ),
        previous_inspection="first",
        related=(
            RelatedStory("first", "earlier-inspection", "Moorside Police told to improve", EARLIER),
            RelatedStory("reply", "response", "Chief constable responds", date(2025, 2, 10)),
        ),
    )


def test_json_keys_are_always_there() -> None:
    a = _article("fete", "Officers at the summer fete")
    plain = MergedStory(
        Story("plain", a.title, "other", None, (a,)),
        grades=(GradeFact("workforce", "Developing a positive workplace", "good", (a.link,)),),
    )
    entry = story_to_dict(plain)
    assert entry["previous_inspection"] is None
    assert entry["related"] == []
    assert entry["grades"][0]["previous"] is None


def test_json_history_shapes_are_the_contracts() -> None:
    raw = render_json(build_digest([_revisit()], WHEN))
    (entry,) = json.loads(raw)["stories"]
    assert entry["previous_inspection"] == "first"
    assert entry["related"] == [
        {"story": "first", "relation": "earlier-inspection"},
        {"story": "reply", "relation": "response"},
    ]
    assert entry["grades"][0]["previous"] == {
        "grade": "inadequate",
        "story": "first",
        "published": "2023-09-14",
    }
    assert entry["grades"][3]["previous"] is None
    assert list(entry["grades"][0])[-1] == "previous", "added after the keys it had"


def test_markdown_shows_each_change_and_the_related_stories() -> None:
    out = render_markdown(build_digest([_revisit()], WHEN))
    assert "| Grade | Area | Sources | Since the previous inspection |" in out
    assert (
        "| ▲ Good | Recording data about crime | [1] | ↑ up from Inadequate (14 September 2023) |"
        in out
    )
    assert (
        "| ▼ Requires improvement | Responding to the public | [1] | "
        "↓ down from Adequate (14 September 2023) |"
    ) in out
    assert (
        "| ◆ Adequate | Leadership and force management | [1] | = same as 14 September 2023 |"
        in (out)
    )
    assert (
        "| ▲ Good | Developing a positive workplace | [1] | "
        "+ new area (not graded 14 September 2023) |"
    ) in out
    related = out.split("### Related stories\n\n")[1]
    assert related.startswith(
        "- Earlier inspection, 14 September 2023: Moorside Police told to improve\n"
        "- Response, 10 February 2025: Chief constable responds\n"
    )
    tokens = list(walk(parser().parse(out)))
    assert [t for t in tokens if t.type == "table_open"], "the table still parses as a table"
    cells = [t.content for t in tokens if t.type == "inline"]
    assert "+ new area (not graded 14 September 2023)" in cells


def test_no_change_column_without_a_previous_inspection() -> None:
    merged = _revisit()
    first = MergedStory(
        merged.story,
        grades=tuple(GradeFact(g.area, g.label, g.grade, g.sources) for g in merged.grades),
    )
    out = render_markdown(build_digest([first], WHEN))
    assert "Since the previous inspection" not in out and "### Related stories" not in out


def test_a_lone_article_in_a_thread_gets_its_section() -> None:
    a = _article("reply", "Chief constable responds")
    reply = MergedStory(
        Story("reply", a.title, "other", "Moorside Police", (a,)),
        related=(RelatedStory("later", "earlier-inspection", "Inspectors return", EARLIER),),
    )
    out = render_markdown(build_digest([reply], WHEN))
    assert "1 merged story, 0 other articles." in out
    assert "## Chief constable responds" in out
    assert "- Earlier inspection, 14 September 2023: Inspectors return" in out


def test_related_titles_are_feed_text_and_stay_literal() -> None:
    a = _article("host", "Host story")
    merged = MergedStory(
        Story("host", a.title, "other", "Moorside Police", (a,)),
        related=tuple(
            RelatedStory(f"r{n}", "response", text, EARLIER) for n, text in enumerate(HOSTILE)
        ),
    )
    out = render_markdown(build_digest([merged], WHEN))
    tokens = list(walk(parser().parse(out)))
    hrefs = {str(t.attrs.get("href")) for t in tokens if t.type == "link_open"}
    assert hrefs == {a.link}, "a related story's headline is never a link"
    assert not [t for t in tokens if t.type in ("html_inline", "html_block", "image")]
    texts = (t.content for t in tokens if t.type in ("text", "text_special"))
    rendered = "".join("".join(texts).split())
    for text in HOSTILE:
        assert "".join(text.split()) in rendered, text
