"""Grade counts: "good in two areas, adequate in three" read, merged and checked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from heraldtui.core.facts.grade_counts import merge_counts, sentence_counts
from heraldtui.core.facts.merge import merge_story
from heraldtui.core.models import Article, CountConflict, GradeFact, Story

PUBLISHED = datetime(2024, 6, 3, 9, tzinfo=UTC)


def counts(sentence: str) -> list[tuple[str, int]]:
    return [(c.grade, c.count) for c in sentence_counts(sentence)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Inspectors found Wyvern 'good' in four areas, 'adequate' in two and 'requires "
         "improvement' in three.", [("good", 4), ("adequate", 2), ("requires-improvement", 3)]),
        ("It was rated adequate in five out of nine areas.", [("adequate", 5)]),
        ("Wyvern was 'good' in three areas and 'adequate' in the remaining two.",
         [("good", 3), ("adequate", 2)]),
        ("The force received six 'outstanding' grades and two 'good' grades.",
         [("outstanding", 6), ("good", 2)]),
        ("Of nine areas, 3 have been graded 'Good' and 1 has been graded as 'Inadequate'.",
         [("good", 3), ("inadequate", 1)]),
        ("One was classed as outstanding, four were judged good and one as adequate.",
         [("outstanding", 1), ("good", 4), ("adequate", 1)]),
    ],
)  # fmt: skip
def test_counts_in_the_shapes_outlets_use(sentence: str, expected: list[tuple[str, int]]) -> None:
    assert counts(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Eight forces were rated inadequate for responding to the public.",
        "It was rated good in 2019 and again this year.",
        "It was rated as requiring improvement or inadequate in five of eight areas.",
        "One area, managing offenders, was rated good at every step.",
        "The retiring chief thanked colleagues for 11 good years in the job.",
    ],
)
def test_no_count_in(sentence: str) -> None:
    assert counts(sentence) == []


def _article(n: int, text: str, feed: str = "Wyvern Gazette") -> Article:
    return Article(feed, f"g{n}", f"https://news.example/{n}", "Wyvern Police inspection",
                   None, PUBLISHED, "", text)  # fmt: skip


def test_a_story_keeps_counts_with_their_sources() -> None:
    one = _article(
        1, "The inspectorate rated Wyvern Police 'good' in two areas and 'adequate' in five."
    )
    two = _article(2, "The PEEL report found Wyvern 'good' in two areas.")
    merged = merge_story(Story("s", "t", "inspection", None, (one, two)))
    assert merged.grade_counts is not None
    assert merged.grade_counts.counts == (("good", 2), ("adequate", 5))
    assert merged.grade_counts.sources == (one.link, two.link)
    assert merged.grade_counts.conflicts == ()


def test_the_inspectorate_count_wins_and_others_are_conflicts() -> None:
    counted = merge_counts(
        [("a", False, {"good": 3}), ("b", False, {"good": 3}), ("hmicfrs", True, {"good": 2})], ()
    )
    assert counted is not None
    assert counted.counts == (("good", 2),)
    assert counted.conflicts == (CountConflict("good", 3, ("a", "b")),)


def test_more_areas_graded_alike_than_the_count_allows_is_a_conflict() -> None:
    graded = tuple(
        GradeFact(area, area, "good", ("a",)) for area in ("responding", "investigating")
    )
    counted = merge_counts([("a", False, {"good": 1})], graded)
    assert counted is not None
    assert counted.conflicts == (CountConflict("good", 2, areas=("responding", "investigating")),)


def test_no_counts_no_fact() -> None:
    assert merge_counts([("a", False, {})], ()) is None


def test_a_fire_service_inspection_has_no_police_grades() -> None:
    text = (
        "The inspectorate rated Wyvern Fire and Rescue Service 'good' at preventing fires "
        "and 'good' in three areas, and 'adequate' for its use of resources."
    )
    story = Story("s", "t", "inspection", None, (_article(1, text),), inspection_type="fire")
    merged = merge_story(story)
    assert (merged.grades, merged.grade_counts) == ((), None)
    police = merge_story(Story("s", "t", "inspection", None, (_article(1, text),), "peel"))
    assert police.grades and police.grade_counts  # the same text read for a police force
