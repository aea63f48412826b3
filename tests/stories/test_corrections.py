"""The corrections post-pass: the reader's fixes applied after the grouping, in order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from heraldtui.core.models import Article, Correction, CorrectionAction, Story
from heraldtui.core.storage.rows import StoryHeader
from heraldtui.core.stories.corrections import apply_corrections, regroup
from heraldtui.core.stories.listing import assemble

DAY = datetime(2024, 11, 1, 9, 0, tzinfo=UTC)


def article(n: int) -> Article:
    return Article(
        feed="Vale Courier",
        guid=f"item-{n}",
        link=f"https://vale.example/{n}",
        title=f"Headline {n}",
        author=None,
        published=DAY + timedelta(hours=n),
        summary="",
        content="",
    )


A = [article(n) for n in range(8)]


def listed(*groups: Sequence[int]) -> list[tuple[Article, StoryHeader | None]]:
    """The algorithm's stories, as the store lists them: `groups` of article numbers."""
    out: list[tuple[Article, StoryHeader | None]] = []
    for members in groups:
        header = StoryHeader(f"algo-{members[0]}", f"Story {members[0]}", "other", None)
        out += [(A[n], header) for n in members]
    return out


def fix(n: int, action: CorrectionAction, article: int, anchor: int | None = None) -> Correction:
    return Correction(n, DAY, action, A[article].id, None if anchor is None else A[anchor].id)


def build(articles: Sequence[Article]) -> Story:
    """A stand-in for the grouping's header builder: the earliest article names it."""
    first = min(articles, key=lambda a: (a.published or DAY, a.id))
    return Story(f"fixed-{first.guid}", f"Fixed {first.title}", "other", None, tuple(articles))


def members(stories: list[Story]) -> set[frozenset[str]]:
    return {frozenset(a.guid.removeprefix("item-") for a in s.articles) for s in stories}


def groups(
    corrections: Sequence[Correction], *algorithm: Sequence[int]
) -> tuple[set[frozenset[str]], set[str]]:
    fixed, corrected = apply_corrections(listed(*algorithm), corrections, build)
    stories = assemble(fixed, lambda a: True, corrected)
    assert {s.id for s in stories if s.corrected} == corrected
    return members(stories), corrected


def test_no_corrections_leave_the_grouping_as_it_is() -> None:
    pairs = listed((0, 1), (2,))
    fixed, corrected = apply_corrections(pairs, [], build)
    assert fixed == pairs and corrected == set()


def test_a_split_article_stands_alone_and_both_stories_are_corrected() -> None:
    found, corrected = groups([fix(1, "split", 1)], (0, 1, 2), (3,))
    assert found == {frozenset("02"), frozenset("1"), frozenset("3")}
    assert corrected == {"fixed-item-0", "fixed-item-1"}


def test_a_moved_article_joins_the_anchor_story() -> None:
    found, corrected = groups([fix(1, "move", 2, 3)], (0, 1, 2), (3, 4))
    assert found == {frozenset("01"), frozenset("234")}
    assert corrected == {"fixed-item-0", "fixed-item-2"}


def test_a_merge_brings_every_article_of_the_story_along() -> None:
    found, corrected = groups([fix(1, "merge", 3, 0)], (0, 1), (3, 4, 5), (6,))
    assert found == {frozenset("01345"), frozenset("6")}
    assert corrected == {"fixed-item-0"}


def test_corrections_apply_in_order_each_to_what_the_last_left() -> None:
    # merge, then split one of the merged articles out again, then move it back
    fixes = [fix(1, "merge", 3, 0), fix(2, "split", 4), fix(3, "move", 5, 4)]
    found, _ = groups(fixes, (0, 1), (3, 4, 5))
    assert found == {frozenset("013"), frozenset("45")}


def test_a_merge_follows_the_story_as_the_grouping_grows_it() -> None:
    # after the merge was made, the algorithm put a new article (5) with the merged story
    found, _ = groups([fix(1, "merge", 3, 0)], (0, 1), (3, 4, 5))
    assert frozenset("01345") in found


def test_corrections_that_change_nothing_mark_nothing() -> None:
    fixes = [
        fix(1, "split", 3),  # alone already
        fix(2, "move", 1, 0),  # in that story already
        fix(3, "move", 7, 0),  # not stored
        fix(4, "merge", 0, 6),  # anchor not stored
    ]
    found, corrected = groups(fixes, (0, 1), (3,))
    assert found == {frozenset("01"), frozenset("3")} and corrected == set()


def test_moving_an_article_away_and_back_is_the_algorithm_s_story_again() -> None:
    found, corrected = groups([fix(1, "move", 1, 3), fix(2, "move", 1, 0)], (0, 1), (3,))
    assert found == {frozenset("01"), frozenset("3")} and corrected == set()


def test_regroup_names_only_the_changed_groups() -> None:
    changed = regroup(listed((0, 1, 2), (3,), (4, 5)), [fix(1, "move", 2, 3)])
    assert sorted(sorted(g) for g in changed) == sorted(
        [sorted([A[0].id, A[1].id]), sorted([A[2].id, A[3].id])]
    )


def test_articles_not_grouped_yet_are_left_to_the_grouping() -> None:
    pairs = [*listed((0, 1)), (A[2], None)]
    fixed, corrected = apply_corrections(pairs, [fix(1, "move", 2, 0), fix(2, "split", 2)], build)
    assert fixed == pairs and corrected == set()
