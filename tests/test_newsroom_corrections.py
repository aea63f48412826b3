"""The reader's fixes to the grouping through the Newsroom, on a real SQLite file.

The grouping fixture set is stored as a refresh would store it; corrections are made on
its stories and every later listing keeps them: the same Newsroom, a new one on the same
folder (a restart), one after the stored grouping was dropped (regrouping from scratch, as
a migration or `rebuild` does), and after new articles arrive. Undo gives back what the
grouping alone decides.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from heraldtui.core.errors import CorrectionError
from heraldtui.core.models import Article, FeedState, MergedStory
from heraldtui.core.newsroom import DB_NAME, Newsroom
from heraldtui.core.storage.store import Store
from tests.stories.grouping_set import ARTICLES
from tests.support.history import write_history

Groups = set[frozenset[str]]


def write_folder(folder: Path, articles: list[Article]) -> Path:
    """A feeds file naming every feed of `articles`, and a store holding them."""
    feeds = sorted({a.feed for a in ARTICLES})
    config = folder / "feeds.toml"
    config.write_text(
        "".join(
            f'[[feeds]]\nname = "{name}"\nurl = "http://127.0.0.1:9/{i}.rss"\n\n'
            for i, name in enumerate(feeds)
        ),
        encoding="utf-8",
    )
    store_articles(folder, articles)
    return config


def store_articles(folder: Path, articles: list[Article]) -> None:
    with Store(folder / "data" / DB_NAME) as store:
        for feed in sorted({a.feed for a in articles}):
            items = [a for a in articles if a.feed == feed]
            store.save_feed_result(FeedState(feed, f"http://127.0.0.1:9/{feed}"), items)


def open_room(config: Path) -> Newsroom:
    return Newsroom.open(config, config.parent / "data")


def groups(room: Newsroom) -> Groups:
    return {frozenset(a.id for a in s.story.articles) for s in room.stories(merge=False)}


def drop_grouping(config: Path) -> None:
    """What a migration that changes the grouping's rules (or `rebuild`) does."""
    with sqlite3.connect(config.parent / "data" / DB_NAME) as conn:
        conn.execute("DELETE FROM story_assignments")
        conn.execute("DELETE FROM stories")
    conn.close()


def biggest(stories: list[MergedStory]) -> list[MergedStory]:
    return sorted(stories, key=lambda s: (-len(s.story.articles), s.story.id))


@pytest.fixture
def config(tmp_path: Path) -> Path:
    return write_folder(tmp_path, ARTICLES)


def test_every_fix_survives_a_restart_and_a_regroup_from_scratch(config: Path) -> None:
    with open_room(config) as room:
        algorithm = groups(room)
        listed = biggest(room.stories(merge=False))
        first, second, third = (s.story for s in listed[:3])
        single = next(s.story for s in listed if len(s.story.articles) == 1)
        split = first.articles[1]
        moved = second.articles[-1]
        room.split_article(split.id)
        room.move_article(moved.id, single.id)
        room.merge_stories(third.id, first.id)
        fixed = groups(room)
    rest_of_first = frozenset(a.id for a in first.articles) - {split.id}
    expected = {
        frozenset({split.id}),
        rest_of_first | {a.id for a in third.articles},
        frozenset(a.id for a in second.articles) - {moved.id},
        frozenset({moved.id, *(a.id for a in single.articles)}),
    }
    assert expected <= fixed and fixed != algorithm
    # a restart lists the same
    with open_room(config) as room:
        assert groups(room) == fixed
    # the stored grouping dropped: everything is grouped again, and every fix kept
    drop_grouping(config)
    with open_room(config) as room:
        assert groups(room) == fixed
        assert len(room.corrections()) == 3
    with Store(config.parent / "data" / DB_NAME) as store:  # the stored grouping is pure
        stored: dict[str, set[str]] = {}
        for article_id, story in store.story_assignments().items():
            stored.setdefault(story, set()).add(article_id)
    assert {frozenset(g) for g in stored.values()} == algorithm


def test_fixes_hold_when_new_articles_arrive(tmp_path: Path) -> None:
    """Half the articles first, corrections on them, then the rest arrives (grouped
    incrementally), then a restart regroups it all from scratch."""
    early = sorted(ARTICLES, key=lambda a: (a.published, a.id))[: len(ARTICLES) // 2]
    late = [a for a in ARTICLES if a not in early]
    config = write_folder(tmp_path, early)
    with open_room(config) as room:
        story = biggest(room.stories(merge=False))[0].story
        other = next(s.story for s in room.stories(merge=False) if s.story.id != story.id)
        room.split_article(story.articles[-1].id)
        room.merge_stories(other.id, story.id)
        after_fixes = groups(room)
    store_articles(tmp_path, late)
    with open_room(config) as room:
        grown = groups(room)
        assert frozenset({story.articles[-1].id}) in grown
        merged = next(g for g in grown if story.articles[0].id in g)
        assert {a.id for a in other.articles} <= merged
        assert story.articles[-1].id not in merged
        # what the fixes decided earlier is still a subset of what they decide now
        for group in after_fixes:
            assert any(group <= g for g in grown)
    drop_grouping(config)
    with open_room(config) as room:
        assert groups(room) == grown


def test_undo_gives_back_the_algorithm_s_grouping(config: Path) -> None:
    with open_room(config) as room:
        algorithm = groups(room)
        story = biggest(room.stories(merge=False))[0].story
        split = room.split_article(story.articles[0].id)
        merge = room.merge_stories(biggest(room.stories(merge=False))[1].story.id, story.id)
        assert [c.id for c in room.corrections()] == [split.id, merge.id]
        assert room.undo_correction(split.id) == split  # one, by its id
        assert [c.id for c in room.corrections()] == [merge.id]
        assert groups(room) != algorithm
        assert room.undo_correction() == merge  # the latest
        assert groups(room) == algorithm
        assert room.undo_correction() is None
        assert room.corrections() == []


def test_corrections_that_would_change_nothing_are_refused(config: Path) -> None:
    with open_room(config) as room:
        listed = biggest(room.stories(merge=False))
        single = next(s.story for s in listed if len(s.story.articles) == 1)
        story = listed[0].story
        with pytest.raises(CorrectionError, match="of its own"):
            room.split_article(single.articles[0].id)
        with pytest.raises(CorrectionError, match="already"):
            room.move_article(story.articles[0].id, story.id)
        with pytest.raises(CorrectionError, match="itself"):
            room.merge_stories(story.id, story.id)
        with pytest.raises(CorrectionError, match="no longer listed"):
            room.move_article("no-such-article", story.id)
        assert room.corrections() == []


def test_the_json_digest_says_which_stories_were_corrected(config: Path) -> None:
    with open_room(config) as room:
        listed = biggest(room.stories(merge=False))
        room.merge_stories(listed[1].story.id, listed[0].story.id)
        stories = room.stories()
        out = config.parent / "digest.json"
        room.export(stories, out, "json")
        markdown = config.parent / "digest.md"
        room.export(stories, markdown, "markdown")
    digest = json.loads(out.read_text(encoding="utf-8"))["stories"]
    corrected = [s for s in digest if s["corrected"]]
    assert len(corrected) == 1
    assert len(corrected[0]["articles"]) == len(listed[0].story.articles) + len(
        listed[1].story.articles
    )
    assert all(s["corrected"] is False for s in digest if s is not corrected[0])
    assert "grouped by hand" in markdown.read_text(encoding="utf-8")


def test_the_first_page_is_the_start_of_the_corrected_listing(config: Path) -> None:
    with open_room(config) as room:
        listed = biggest(room.stories(merge=False))
        smallest = listed[-1]
        room.move_article(smallest.story.articles[0].id, listed[0].story.id)
        room.split_article(listed[1].story.articles[-1].id)
        full = [s.story for s in room.stories(merge=False)]
    with open_room(config) as room:
        page = [s.story for s in room.newest_stories(5)]
    assert page == full[:5]


def test_the_first_page_is_exact_on_a_long_history(tmp_path: Path) -> None:
    """Fixes that move a story's newest article far back, bring an old story forward,
    merge two of the newest and split one in the middle: each first page is the start of
    the full listing."""
    config = write_history(tmp_path, 300)
    with open_room(config) as room:
        full = [s.story for s in room.stories(merge=False)]
        multi = [s for s in full if len(s.articles) > 1]
        room.move_article(full[0].articles[-1].id, full[-5].id)
        room.merge_stories(full[-1].id, full[3].id)
        room.merge_stories(full[2].id, full[1].id)  # one story fewer near the top
        room.split_article(multi[len(multi) // 2].articles[-1].id)
        fixed = [s.story for s in room.stories(merge=False)]
    assert fixed != full
    with open_room(config) as room:
        for limit in (1, 2, 3, 5, 20):
            assert [s.story for s in room.newest_stories(limit)] == fixed[:limit], limit
