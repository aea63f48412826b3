"""The grouping fixture set (`tests/fixtures/grouping`) and helpers the story tests share."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from heraldtui.core.models import Article, Story
from heraldtui.core.stories.grouper import StoryGrouper, article_day, group_articles
from heraldtui.core.stories.rules import WINDOW_DAYS
from tests.support.paths import FIXTURES, SHARED

GROUPING = FIXTURES / "grouping"


def _load() -> tuple[list[Article], dict[str, str], dict[str, str]]:
    """Fixture articles, article id -> expected story label, ref -> article id."""
    raw = json.loads((GROUPING / "articles.json").read_text(encoding="utf-8"))
    articles, expected, refs = [], {}, {}
    for item in raw:
        article = Article(
            feed=item["feed"],
            guid=f"https://{item['ref']}.example/",
            link=f"https://{item['ref']}.example/",
            title=item["title"],
            author=None,
            published=datetime.fromisoformat(item["published"]).astimezone(UTC),
            summary="",
            content=item["content"],
        )
        articles.append(article)
        expected[article.id] = item["story"]
        refs[item["ref"]] = article.id
    return articles, expected, refs


ARTICLES, EXPECTED, REFS = _load()


def partition(stories: list[Story]) -> set[frozenset[str]]:
    return {frozenset(a.id for a in s.articles) for s in stories}


def story_of(stories: list[Story], ref: str) -> Story:
    return next(s for s in stories if any(a.id == REFS[ref] for a in s.articles))


def restore_window_then_add(articles: list[Article], split: int) -> None:
    """Group `articles[:split]` (oldest first), persist, restore only the stories with an
    article within WINDOW_DAYS before the earliest new article (what the reader does at
    start-up), add the rest: every story of that grouper, and every story a new article
    is in, must be the full regroup's."""
    ordered = sorted(articles, key=lambda a: (article_day(a), a.id))
    old, new = ordered[:split], ordered[split:]
    first = StoryGrouper()
    first.add(old)
    saved = first.assignments()
    since = min(article_day(a) for a in new) - WINDOW_DAYS
    recent = {s.id for s in first.stories() if any(article_day(a) >= since for a in s.articles)}
    window = [a for s in first.stories() if s.id in recent for a in s.articles]
    assert len(window) < len(old) or split < 4, "the window should leave some history out"
    restored = StoryGrouper.restore(window, {a.id: saved[a.id] for a in window})
    restored.add(new)
    full = {s.id: s for s in group_articles(ordered)}
    mine = restored.stories()
    assert {s.id for s in mine} <= set(full)
    for story in mine:
        assert story == full[story.id]
    new_ids = {a.id for a in new}
    for story in full.values():
        if any(a.id in new_ids for a in story.articles):
            assert restored.story(story.id) == story


def shared_set(name: str) -> Path:
    folder = SHARED / name
    if not (folder / "articles.jsonl").exists():
        pytest.skip(f"the shared set {name!r} is not available at {folder}")
    return folder


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> float:
    by_pred: dict[str, set[str]] = {}
    by_gold: dict[str, set[str]] = {}
    for k, v in pred.items():
        by_pred.setdefault(v, set()).add(k)
    for k, v in gold.items():
        by_gold.setdefault(v, set()).add(k)
    p = r = 0.0
    for k in gold:
        both = len(by_pred[pred[k]] & by_gold[gold[k]])
        p += both / len(by_pred[pred[k]])
        r += both / len(by_gold[gold[k]])
    p, r = p / len(gold), r / len(gold)
    return 2 * p * r / (p + r)
