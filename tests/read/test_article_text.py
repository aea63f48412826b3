"""ArticleText: one preparation per article, its views consistent with each other."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from heraldtui.core.facts.merge import merge_story
from heraldtui.core.models import Article, Story
from heraldtui.core.read.article_text import ArticleText
from heraldtui.core.read.people import PersonMention, find_people
from heraldtui.core.read.quotespans import QuoteSpan, quote_spans

TEXT = (
    "Chief Constable Dana Whitlock said the force had work to do.\n\n"
    "\u201cWe will publish our plan within a month,\u201d she said.\n\n"
    "Watch the panel at [the council site](https://council.example/live) on Monday."
)


def test_paragraph_offsets_point_into_the_plain_text() -> None:
    text = ArticleText(TEXT)
    assert len(text.paragraphs) == 3
    for para, at in zip(text.paragraphs, text.offsets, strict=True):
        assert text.plain[at : at + len(para)] == para


def test_people_and_quote_spans_share_the_plain_offsets() -> None:
    text = ArticleText(TEXT)
    [person] = [p for p in text.people if p.full]
    assert text.plain[person.start : person.start + len(person.name)] == "Dana Whitlock"
    [span] = text.spans
    opening = text.offsets[span.first] + span.start
    assert text.plain[opening] == "\u201c"


def test_blocks_keep_each_block_links() -> None:
    blocks = ArticleText(TEXT).blocks
    assert [b.plain[:5] for b in blocks] == ["Chief", "\u201cWe w", "Watch"]
    assert [link.url for link in blocks[2].links] == ["https://council.example/live"]
    assert blocks[0].links == ()


def test_empty_text_has_no_views() -> None:
    text = ArticleText("")
    assert (text.paragraphs, text.plain, text.spans, text.people, text.blocks) == (
        (),
        "",
        (),
        (),
        (),
    )


def test_merging_a_story_prepares_each_article_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """People and quote spans are found once per article, whatever the extractors need."""
    calls = {"people": 0, "spans": 0}

    def counted_people(text: str) -> list[PersonMention]:
        calls["people"] += 1
        return find_people(text)

    def counted_spans(paras: list[str]) -> list[QuoteSpan]:
        calls["spans"] += 1
        return quote_spans(paras)

    monkeypatch.setattr("heraldtui.core.read.article_text.find_people", counted_people)
    monkeypatch.setattr("heraldtui.core.read.article_text.quote_spans", counted_spans)
    published = datetime(2025, 3, 3, 9, tzinfo=UTC)
    articles = tuple(
        Article(f"Outlet {n}", f"g{n}", f"https://o{n}.example/a", "Force told to improve",
                None, published, "", TEXT)
        for n in range(3)
    )  # fmt: skip
    merged = merge_story(Story("s1", "Force told to improve", "other", None, articles))
    assert calls == {"people": 3, "spans": 3}
    assert [q.speaker for q in merged.quotes] == ["Dana Whitlock"]
