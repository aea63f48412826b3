"""Where no key is crowded, the bounded grouping (`stories.blocks`) is the old one: every
pair of articles that shares an index key within `WINDOW_DAYS` is judged, and nothing
else is. Checked against a brute-force reference (all pairs, no index) on the fixture
set, the shared sets and the benchmark's realistic generated stream, and against the
grouper with the cap taken away."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import combinations
from typing import Any

import pytest

from heraldtui.core.models import Article
from heraldtui.core.stories import blocks, grouper
from heraldtui.core.stories.features import featurize
from heraldtui.core.stories.grouper import StoryGrouper, group_articles
from heraldtui.core.stories.rules import COPY_DAYS, WINDOW_DAYS, index_keys, link_score
from tests.stories.grouping_set import ARTICLES, shared_set
from tests.support.modules import grouping_benchmark
from tests.support.paths import REPO


def _reference_links(articles: Sequence[Article]) -> dict[frozenset[str], float]:
    """The old candidate rule without an index: every pair sharing a key within the
    window, judged as the grouper judges it (the earlier article first; the other way
    round only where the near-copy rule's entity check can differ, see `_link`)."""
    feats = sorted((featurize(a) for a in articles), key=lambda f: (f.day, f.id))
    keys = [set(index_keys(f)) for f in feats]
    links: dict[frozenset[str], float] = {}
    for i, j in combinations(range(len(feats)), 2):
        a, b = feats[i], feats[j]
        if abs(a.day - b.day) > WINDOW_DAYS or keys[i].isdisjoint(keys[j]):
            continue
        score = link_score(a, b)
        if score is None and len(a.entities) == len(b.entities) and b.day - a.day <= COPY_DAYS:
            score = link_score(b, a)
        if score is not None:
            links[frozenset((a.id, b.id))] = score
    return links


def _grouper_links(grouped: StoryGrouper) -> dict[frozenset[str], float]:
    feats = grouped._feats
    return {
        frozenset((feats[i].id, feats[j].id)): score
        for i, adj in enumerate(grouped._adj)
        for j, score in adj.items()
    }


@pytest.fixture
def cuts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts the lookups where the cap left an article out."""
    count = [0]
    for name in ("near", "near_after"):
        real = getattr(blocks.BlockIndex, name)

        def counting(
            self: blocks.BlockIndex, idx: int, key: tuple[str, str], real: Any = real
        ) -> object:
            found = real(self, idx, key)
            count[0] += found[2]
            return found

        monkeypatch.setattr(blocks.BlockIndex, name, counting)
    yield count


def _check(articles: Sequence[Article], cuts: list[int]) -> None:
    grouped = StoryGrouper()
    grouped.add(articles)
    assert cuts == [0], "the cap binds on this set: it is not a quiet one"
    reference = _reference_links(articles)
    assert reference, "a set where nothing links shows nothing"
    assert _grouper_links(grouped) == reference
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(blocks, "BLOCK_CAP", 10**9)
        patch.setattr(blocks, "CROWD_MIN", 10**9)
        uncapped = group_articles(articles)
    assert grouped.stories() == uncapped


def test_the_fixture_set_is_judged_as_without_the_index(cuts: list[int]) -> None:
    _check(ARTICLES, cuts)


@pytest.mark.parametrize("name", ["devset", "realdev"])
def test_the_shared_sets_are_judged_as_without_the_index(name: str, cuts: list[int]) -> None:
    from tests.support.sets import load_set

    _check(load_set(shared_set(name)), cuts)


def test_the_heldout_set_is_judged_as_without_the_index(cuts: list[int]) -> None:
    from tests.support.sets import load_set

    _check(load_set(REPO / "tests" / "heldout"), cuts)


@pytest.mark.parametrize("size", [600, 1500])
def test_the_realistic_stream_is_judged_as_without_the_index(size: int, cuts: list[int]) -> None:
    """Sixty forces' inspections, meetings, court cases, syndicated copies and routine
    items: every rule links some pairs, and no key is crowded."""
    articles, _ = grouping_benchmark().generate("realistic", size)
    _check(articles, cuts)


def test_a_crowd_is_judged_as_without_the_index_when_the_cap_is_above_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Dense coverage (every article naming the same eight towns, 24 a day) with a cap
    and a crowd size above the crowd: the same pairs, however crowded the keys."""
    from tests.stories.test_blocks import dense

    monkeypatch.setattr(blocks, "BLOCK_CAP", 200)
    monkeypatch.setattr(blocks, "CROWD_MIN", 200)
    articles = dense(150)
    grouped = StoryGrouper()
    grouped.add(articles)
    assert _grouper_links(grouped) == _reference_links(articles)
    assert grouper.group_articles(articles) == grouped.stories()
