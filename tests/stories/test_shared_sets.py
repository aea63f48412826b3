"""Grouping on the shared annotated sets (skipped when /work/shared is absent): the
devset's figures, restoring only the window, and the seeds as one story."""

from __future__ import annotations

import json

from heraldtui.core.stories.grouper import group_articles
from tests.stories.grouping_set import bcubed, restore_window_then_add, shared_set


def test_devset_figures() -> None:
    from tests.support.sets import load_set, set_ids

    folder = shared_set("devset")
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    ids = set_ids(folder)
    stories = group_articles(load_set(folder))
    pred = {ids[a.link]: s.id for s in stories for a in s.articles}
    gold = {a: g["id"] for g in truth["groups"] for a in g["articles"]}
    gold.update({a: a for a in truth["singletons"]})
    assert bcubed(pred, gold) >= 0.95
    forces_ok = 0
    for group in truth["groups"]:
        story = next(s for s in stories if pred[group["articles"][0]] == s.id)
        forces_ok += story.force == group["force"]
        assert story.kind == group["kind"], group["id"]
    assert forces_ok / len(truth["groups"]) >= 0.9


def test_devset_restoring_only_the_window_gives_the_full_regroups_stories() -> None:
    from tests.support.sets import load_set

    articles = load_set(shared_set("devset"))
    for split in (len(articles) // 3, len(articles) // 2, 3 * len(articles) // 4):
        restore_window_then_add(articles, split)


def test_seeds_are_one_hertfordshire_story() -> None:
    from tests.support.sets import load_set

    stories = group_articles(load_set(shared_set("seeds")))
    assert len(stories) == 1
    assert stories[0].force == "Hertfordshire Constabulary"
    assert stories[0].kind == "inspection"


def test_realdev_figures() -> None:
    """The real development set (issue 12): its stories and their forces, as the scorer
    reads them (the months-later commentary of g05 is the one story still split)."""
    from tests.support.sets import load_set, set_ids

    folder = shared_set("realdev")
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    ids = set_ids(folder)
    stories = group_articles(load_set(folder))
    pred = {ids[a.link]: s.id for s in stories for a in s.articles}
    gold = {a: g["id"] for g in truth["groups"] for a in g["articles"]}
    gold.update({a: a for a in truth["singletons"]})
    assert bcubed(pred, gold) >= 0.98
    forces_ok = 0
    for group in truth["groups"]:
        story = next(s for s in stories if pred[group["articles"][0]] == s.id)
        forces_ok += story.force == group["force"]
    assert forces_ok / len(truth["groups"]) >= 0.98
