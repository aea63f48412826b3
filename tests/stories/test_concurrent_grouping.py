"""Two groupers on one database (two processes on one data folder) leave what one would.

Each `StoryIndex` here has its own `Store` connection, as a second process would, and the
interleavings are forced, not timed: the other "process" groups at the exact moment the
first has computed its grouping and is about to save it. `tests/hostile/test_concurrency.py`
races real processes.
"""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from heraldtui.core.errors import StoreError
from heraldtui.core.models import Article
from heraldtui.core.storage.grouping import generation, save_grouping
from heraldtui.core.storage.store import Store
from heraldtui.core.stories.grouper import group_articles
from heraldtui.core.stories.index import StoryIndex
from tests.stories.test_index import needs_sets, save, shape
from tests.support.sets import load_set

_T = TypeVar("_T")
INTERLEAVINGS = 12
"""Shuffled orders of the devset, each cut at two random points; on the code before the
fix, about two in three of them split a story."""


def before_next_write(store: Store, action: Callable[[], None]) -> None:
    """Run `action` once, just before `store`'s next write transaction starts."""
    original = store._write

    def hooked(body: Callable[[sqlite3.Connection], _T]) -> _T:
        store._write = original  # type: ignore[method-assign]
        action()
        return original(body)

    store._write = hooked  # type: ignore[method-assign]


def cuts(articles: list[Article], seed: int) -> tuple[list[Article], list[Article], list[Article]]:
    rng = random.Random(seed)
    order = articles[:]
    rng.shuffle(order)
    k, m = sorted(rng.sample(range(1, len(order)), 2))
    return order[:k], order[k:m], order[m:]


@needs_sets
@pytest.mark.parametrize("seed", range(INTERLEAVINGS))
def test_a_grouping_saved_meanwhile_is_not_overwritten(tmp_path: Path, seed: int) -> None:
    """A groups its new articles; B groups those and later ones and saves first; A's
    grouping, computed without B's, must not be saved over it."""
    articles = load_set("devset")
    first, second, third = cuts(articles, seed)
    path = tmp_path / "db.sqlite3"
    feeder, store_a, store_b = Store(path), Store(path), Store(path)
    save(feeder, first)
    index_a = StoryIndex(store_a)
    index_a.stories()
    save(feeder, second)

    def b_groups_everything() -> None:
        save(feeder, third)
        StoryIndex(store_b).stories()

    before_next_write(store_a, b_groups_everything)
    index_a.stories()
    assert shape(StoryIndex(Store(path)).stories()) == shape(group_articles(articles))


@needs_sets
@pytest.mark.parametrize("seed", range(INTERLEAVINGS))
def test_a_grouper_another_process_overtook_is_not_reused(tmp_path: Path, seed: int) -> None:
    """A keeps its grouper between listings; B groups articles A never saw; A's next
    grouping must start from what B stored, not from what A held."""
    articles = load_set("devset")
    first, second, third = cuts(articles, seed)
    path = tmp_path / "db.sqlite3"
    feeder = Store(path)
    index_a, index_b = StoryIndex(Store(path)), StoryIndex(Store(path))
    save(feeder, first)
    index_a.stories()
    save(feeder, second)
    index_b.stories()
    save(feeder, third)
    assert shape(index_a.stories()) == shape(group_articles(articles))


@needs_sets
def test_rebuild_regroups_everything_in_place_of_a_broken_grouping(tmp_path: Path) -> None:
    articles = load_set("devset")
    path = tmp_path / "db.sqlite3"
    store = Store(path)
    save(store, articles)
    index = StoryIndex(store)
    listed = index.stories()
    elsewhere = listed[-1].id  # a stored story, so the listing shows the wrong grouping
    store.save_story_assignments({a.id: elsewhere for s in listed[:4] for a in s.articles})
    broken = StoryIndex(Store(path)).stories()
    assert shape(broken) != shape(group_articles(articles))
    done = index.rebuild()
    assert done.articles == len(articles)
    assert done.after == len(group_articles(articles))
    assert shape(StoryIndex(Store(path)).stories()) == shape(group_articles(articles))


@needs_sets
def test_a_rebuild_overtaken_by_another_grouping_groups_again(tmp_path: Path) -> None:
    articles = load_set("devset")
    path = tmp_path / "db.sqlite3"
    feeder, store_a = Store(path), Store(path)
    save(feeder, articles[:14])
    index_a = StoryIndex(store_a)
    index_a.stories()

    def another_process_groups() -> None:
        save(feeder, articles[14:])
        StoryIndex(Store(path)).stories()

    before_next_write(store_a, another_process_groups)
    done = index_a.rebuild()
    assert done.after == len(group_articles(articles))  # the second pass saw every article
    assert shape(StoryIndex(Store(path)).stories()) == shape(group_articles(articles))


def test_a_save_from_an_older_generation_writes_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite3")
    start = generation(store)
    assert save_grouping(store, [], ["gone"], expected=start) == start + 1
    assert save_grouping(store, [], ["gone"], expected=start) is None  # stale: refused
    store.save_story_assignments({"a": "s"})  # any other write of the grouping counts too
    assert generation(store) == start + 2


def test_a_rebuild_that_keeps_being_overtaken_says_so(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    store, other = Store(path), Store(path)
    index = StoryIndex(store)
    original = store._write

    def always_overtaken(body: Callable[[sqlite3.Connection], _T]) -> _T:
        other.save_story_assignments({"x": "y"})
        return original(body)

    store._write = always_overtaken  # type: ignore[method-assign]
    with pytest.raises(StoreError, match="kept regrouping"):
        index.rebuild()
