"""Stored facts: merging them is merging fresh ones, and extraction is versioned.

The store keeps each article's `ArticleFacts` under the extractor version that made them
(`facts/extract.py`); the merge reads nothing else. So on every annotated set, merging
from facts read back from a real database file must give exactly the merge of a fresh
extraction, story by story. And extraction must not change under a version: the last
test keeps a fingerprint of what the extractors find in the held-out set.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Any

import pytest

from heraldtui.core.facts.extract import EXTRACTOR_VERSION, extract_facts, facts_source
from heraldtui.core.facts.merge import merge_story
from heraldtui.core.models import Article, FeedState
from heraldtui.core.storage.facts_codec import encode_facts
from heraldtui.core.storage.store import Store
from heraldtui.core.stories.grouper import group_articles
from tests.support.paths import REPO, SHARED

HELDOUT = REPO / "tests" / "heldout"

RECORDED = (4, "c5d6e20050ac62484e153f776612ad5a")
"""(EXTRACTOR_VERSION, fingerprint of the held-out set's facts) as last recorded."""


def _set(name: str) -> list[Article]:
    folder = HELDOUT if name == "heldout" else SHARED / name
    if not (folder / "articles.jsonl").exists():
        pytest.skip(f"set {name!r} not available at {folder}")
    from tests.support.sets import load_set

    return load_set(folder)


def _store(path: Path, articles: list[Article]) -> None:
    by_feed: dict[str, list[Article]] = {}
    for a in articles:
        by_feed.setdefault(a.feed, []).append(a)
    with Store(path) as store:
        for feed, items in by_feed.items():
            store.save_feed_result(FeedState(name=feed, url="https://x.example/"), items)
        store.save_article_facts(
            ((a.id, facts_source(a), extract_facts(a)) for a in articles), EXTRACTOR_VERSION
        )


@pytest.mark.parametrize("name", ["seeds", "devset", "realdev", "heldout"])
def test_merging_stored_facts_is_merging_fresh_ones(name: str, tmp_path: Path) -> None:
    articles = _set(name)
    path = tmp_path / "heraldtui.sqlite3"
    _store(path, articles)
    with Store(path) as store:  # read back through a new connection
        stored = store.article_facts({a.id: facts_source(a) for a in articles}, EXTRACTOR_VERSION)
    assert len(stored) == len({a.id for a in articles})
    stories = group_articles(articles)
    assert stories
    for story in stories:
        assert merge_story(story, [stored[a.id] for a in story.articles]) == merge_story(story)


def test_facts_source_covers_what_the_extractors_read() -> None:
    [a, *_] = _set("heldout")
    base = facts_source(a)
    read: list[dict[str, Any]] = [
        {"title": a.title + "!"},
        {"content": a.content + " More."},
        {"published": None},
        {"link": a.link + "?x"},  # documents: the article's own address is not one
    ]
    for change in read:
        assert facts_source(dataclasses.replace(a, **change)) != base
    unread: list[dict[str, Any]] = [{"read": True}, {"author": "x"}, {"starred": True}]
    for change in unread:
        assert facts_source(dataclasses.replace(a, **change)) == base
    teaser = dataclasses.replace(a, content="")  # the teaser is the text then
    assert facts_source(dataclasses.replace(teaser, summary="Other.")) != facts_source(teaser)


def _fingerprint(articles: list[Article]) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for a in articles:
        digest.update(encode_facts(extract_facts(a)).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


def test_extraction_is_the_same_under_one_extractor_version() -> None:
    """Fails when the extractors find other facts in the held-out set than they did under
    the recorded version: stored facts would then be stale without anyone knowing.

    If the change is meant: bump `EXTRACTOR_VERSION` in `heraldtui/core/facts/extract.py`
    (stored facts are then extracted again, lazily) and record the new version and the
    fingerprint this test prints in `RECORDED`.
    """
    found = (EXTRACTOR_VERSION, _fingerprint(_set("heldout")))
    assert found == RECORDED, (
        f"extraction gives other facts than recorded: found {found}, recorded {RECORDED}. "
        "If the change is meant, bump EXTRACTOR_VERSION (when it equals the recorded one) "
        "and set RECORDED to the new pair."
    )
