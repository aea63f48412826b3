"""The clustering (`stories.grouper`): order, incremental grouping equal to batch
grouping, changed stories, restore, and the time axis."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heraldtui.core.models import Article, Story
from heraldtui.core.stories.features import featurize
from heraldtui.core.stories.grouper import StoryGrouper, article_day, group_articles, story_id
from heraldtui.core.stories.rules import link_score
from tests.stories.grouping_set import ARTICLES, REFS, partition, restore_window_then_add


def test_stories_newest_first_and_every_article_once(stories: list[Story]) -> None:
    seen = [a.id for s in stories for a in s.articles]
    assert sorted(seen) == sorted(a.id for a in ARTICLES)
    latest = [s.articles[-1].published for s in stories]
    assert all(x is not None and y is not None and x >= y for x, y in pairwise(latest))


def test_result_does_not_depend_on_input_order() -> None:
    shuffled = ARTICLES[:]
    random.Random(7).shuffle(shuffled)
    assert group_articles(shuffled) == group_articles(ARTICLES)


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(len(ARTICLES))), st.lists(st.integers(1, 6), min_size=1))
def test_adding_in_batches_equals_grouping_at_once(order: list[int], sizes: list[int]) -> None:
    grouper = StoryGrouper()
    pending = [ARTICLES[i] for i in order]
    while pending:
        size = sizes[len(pending) % len(sizes)]
        grouper.add(pending[:size])
        pending = pending[size:]
    assert grouper.stories() == group_articles(ARTICLES)


def _front_desk(ref: str, town: str, hours: int) -> Article:
    text = (
        f"The front desk at {town} police station is to close, Commissioner Ruth Penvale has "
        f"decided despite protests from people who live nearby.\n\nThe desk at {town} station "
        "sees fewer than a dozen visitors a day, according to figures given to the North "
        "Harlow police and crime panel at its last meeting.\n\nThe panel heard that officers "
        "would still be reachable by phone and online at any hour of the day."
    )
    when = datetime(2025, 6, 2, 9, tzinfo=UTC) + timedelta(hours=hours)
    return Article("Vale Echo", ref, f"https://v.example/{ref}", f"{town} desk to close", None,
                   when, "", text)  # fmt: skip


def test_a_pair_the_copy_rule_links_one_way_round_is_linked_whatever_arrives_first() -> None:
    """Two near copies naming as many entities, where only the earlier one's are all in
    the other ("Harlowby" is a long form of "Harlow"; "Marden" is in neither): grouping
    at once links them (the earlier judged first), and so does adding them one at a
    time, in either order."""
    earlier, later = _front_desk("e", "Harlowby", 0), _front_desk("l", "Marden", 30)
    fe, fl = featurize(earlier), featurize(later)
    assert len(fe.entities) == len(fl.entities)
    assert link_score(fe, fl) is not None and link_score(fl, fe) is None
    at_once = group_articles([earlier, later])
    assert len(at_once) == 1
    for first, second in ((earlier, later), (later, earlier)):
        grouper = StoryGrouper()
        grouper.add([first])
        grouper.add([second])
        assert grouper.stories() == at_once


def test_add_reports_changed_stories() -> None:
    grouper = StoryGrouper()
    first = grouper.add([ARTICLES[0]])
    assert first == {story_id(ARTICLES[0].id)}
    later = next(a for a in ARTICLES if a.id == REFS["kb-2"])
    unrelated = next(a for a in ARTICLES if a.id == REFS["br-1"])
    changed = grouper.add([later, unrelated])
    assert changed == {story_id(ARTICLES[0].id), story_id(unrelated.id)}
    assert grouper.add([later]) == set()  # the same article again changes nothing


def test_an_article_already_held_keeps_its_story_whatever_its_text() -> None:
    """The store's policy (an article keeps its story): adding it again, read or
    rewritten, changes nothing."""
    grouper = StoryGrouper()
    grouper.add(ARTICLES)
    before = grouper.assignments()
    stories = grouper.stories()
    kb2 = next(a for a in ARTICLES if a.id == REFS["kb-2"])
    rewritten = replace(kb2, title="Saltings carnival returns", content="Floats and a band.")
    assert grouper.add([replace(kb2, read=True), rewritten]) == set()
    assert grouper.assignments() == before
    assert grouper.stories() == stories


def test_restore_from_assignments_then_add() -> None:
    old, new = ARTICLES[:12], ARTICLES[12:]
    first = StoryGrouper()
    first.add(old)
    saved = first.assignments()
    restored = StoryGrouper.restore(old, saved)
    assert restored.stories() == first.stories()
    restored.add(new)
    assert restored.stories() == group_articles(ARTICLES)


@pytest.mark.parametrize("split", [3, 8, 12, 16, 19])
def test_restoring_only_the_window_gives_the_full_regroups_stories(split: int) -> None:
    restore_window_then_add(ARTICLES, split)


def test_article_day_is_the_time_axis() -> None:
    dated = ARTICLES[0]
    assert article_day(replace(dated, published=None)) == 0.0
    later = replace(dated, published=datetime(2024, 3, 2, 12, tzinfo=UTC))
    earlier = replace(dated, published=datetime(2024, 3, 1, 0, tzinfo=UTC))
    assert article_day(later) - article_day(earlier) == pytest.approx(1.5)


def test_restore_keeps_a_persisted_grouping_it_is_not_asked_to_revisit() -> None:
    # A grouping saved by another version: two unrelated articles in one story.
    a, b = (next(x for x in ARTICLES if x.id == REFS[r]) for r in ("bp-1", "ct-1"))
    restored = StoryGrouper.restore([a, b], {a.id: "s1", b.id: "s1"})
    assert partition(restored.stories()) == {frozenset({a.id, b.id})}


def test_empty() -> None:
    assert group_articles([]) == []


def test_undated_articles_still_get_a_story() -> None:
    undated = [replace(a, published=None) for a in ARTICLES[:3]]
    stories = group_articles(undated)
    assert sorted(a.id for s in stories for a in s.articles) == sorted(a.id for a in undated)
