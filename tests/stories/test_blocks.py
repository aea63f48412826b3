"""Grouping bounded on dense coverage (`stories.blocks`, `stories.copies`): a crowded key
joins only near neighbours, the work per article does not grow with the crowd, the result
still does not depend on how articles arrive, and near copies are found from signatures."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from itertools import combinations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from heraldtui.core.models import Article
from heraldtui.core.stories import blocks, copies, grouper, rules
from heraldtui.core.stories.copies import Rereads, containment, full_shingles
from heraldtui.core.stories.features import featurize
from heraldtui.core.stories.grouper import StoryGrouper, article_day, group_articles
from tests.stories.grouping_set import ARTICLES, EXPECTED, partition

TOWNS = "Hertford Stevenage Watford Hitchin Ware Harpenden Letchworth Royston".split()
SYLLABLES = "ash bram carn dun elm fen glen hal kirk lang mar nor pen ros sel ver wick yar".split()
WORDS = sorted({a + b + c for a in SYLLABLES for b in SYLLABLES for c in SYLLABLES[:6]})
"""1,944 made-up lowercase words: two articles share few of them, as two events' reports
do (the eight towns alone keep their content words under rule 4's cosine)."""


def dense(n: int, seed: int = 1, hours: float = 1.0) -> list[Article]:
    """`n` articles of one feed an hour apart, every one naming the same eight towns and
    otherwise random words (no two the same event, and far apart in wording), every
    seventh a near copy of the one before (another outlet, a line added)."""
    rng = random.Random(seed)
    start = datetime(2025, 3, 1, 8, tzinfo=UTC)
    out: list[Article] = []
    for i in range(n):
        when = start + timedelta(hours=hours * i)
        if i % 7 == 6:
            prev = out[-1]
            body = f"{prev.content}\n\nMore follows on our website."
            out.append(Article("Copy Echo", f"c{i}", f"https://c.example/{i}", prev.title, None,
                               when, "", body))  # fmt: skip
            continue
        paras = []
        for _ in range(3):
            words = [rng.choice(WORDS) for _ in range(18)]
            words.insert(rng.randint(1, 17), rng.choice(TOWNS))
            paras.append(" ".join(words).capitalize() + ".")
        towns = rng.sample(TOWNS, len(TOWNS))
        paras.append(f"Officers patrol {', '.join(towns[:-1])} and {towns[-1]}.")
        title = f"{rng.choice(TOWNS)} {rng.choice(WORDS)} update {i}"
        out.append(Article("Force News", f"g{i}", f"https://f.example/{i}", title, None, when,
                           "", "\n\n".join(paras)))  # fmt: skip
    return out


@pytest.fixture
def judged(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Counts the pairs the grouper judges."""
    calls = [0]
    real = rules.judge

    def counting(*args: object, **kwargs: object) -> float | None:
        calls[0] += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(grouper, "judge", counting)
    yield calls


@pytest.mark.parametrize("n", [150, 600])
def test_pairs_judged_per_article_do_not_grow_with_the_crowd(judged: list[int], n: int) -> None:
    group_articles(dense(n))
    # Every article meets at most BLOCK_CAP neighbours on each side under the crowded
    # towns (and its fallback keys' as many): judged pairs per article stay bounded.
    assert judged[0] <= n * 2 * rules.BLOCK_CAP
    if n == 600:
        assert judged[0] < n * (n - 1) / 2 / 4  # all pairs would be 179,700


@pytest.mark.parametrize("n", [150, 600])
def test_a_key_faster_than_the_crowd_rate_meets_only_its_nearest(judged: list[int], n: int) -> None:
    # dense() is one article an hour, 24 a day, over CROWD_RATE: the towns join each
    # article to its CROWD_MIN nearest on either side, fallback keys as many.
    assert rules.CROWD_RATE < 24
    group_articles(dense(n))
    assert judged[0] <= n * 2 * rules.CROWD_MIN


def test_near_copies_in_a_crowd_are_still_found() -> None:
    articles = dense(400)
    stories = group_articles(articles)
    story_of = {a.id: s.id for s in stories for a in s.articles}
    for i in range(6, 400, 7):
        assert story_of[articles[i].id] == story_of[articles[i - 1].id], i
    # and the random articles are not one story for sharing eight towns
    assert len(stories) > 400 * 6 // 7 * 0.9


def test_a_quiet_key_joins_everything_in_the_window() -> None:
    """Where no key is crowded the cap changes nothing (one article a day: no faster than
    `CROWD_RATE`)."""
    order = [(0.0, "a")]
    index = blocks.BlockIndex(order)
    index.add(0, [("e", "x")])
    for i in range(1, rules.BLOCK_CAP + 1):
        order.append((float(i), f"a{i}"))
        index.add(i, [("e", "x")])
    some, more, cut = index.near(0, ("e", "x"))
    assert not cut and sorted({*some, *more} - {0}) == list(range(1, rules.BLOCK_CAP + 1))
    order.append((rules.BLOCK_CAP + 0.5, "z"))
    index.add(rules.BLOCK_CAP + 1, [("e", "x")])
    some, more, cut = index.near(0, ("e", "x"))
    assert cut and not some and list(more) == list(range(1, rules.BLOCK_CAP + 1))
    assert not index.within(0, rules.BLOCK_CAP + 1, ("e", "x"))
    assert index.within(0, rules.BLOCK_CAP, ("e", "x"))


def test_keys_indexed_under_the_same_crowded_articles_are_twins() -> None:
    """Two towns every article names are one class of `twins` and give the same lookups; a
    third named by all but one article, and a quiet key, are not twins."""
    n = rules.BLOCK_CAP * 3
    order = [(i / 96, f"a{i}") for i in range(n)]
    index = blocks.BlockIndex(order)
    both, nearly, quiet = [("e", "ware"), ("e", "hertford")], ("e", "royston"), ("e", "x")
    for i in range(n):
        keys = [*both, *([nearly] if i != 7 else []), *([quiet] if i == 3 else [])]
        index.add(i, keys)
    twins = index.twins(range(0, 1))  # every article is in the first bucket
    assert twins.keys() == set(both) and len(set(twins.values())) == 1
    for i in (0, 7, 50, n - 1):
        assert index.near_after(i, both[0]) == index.near_after(i, both[1])
        assert index.near(i, both[0]) == index.near(i, both[1])
    assert index.one_per_twin([*both, nearly, quiet], twins) == [both[0], nearly, quiet]


def test_a_block_read_across_two_buckets_joins_the_same_pairs_from_either_end() -> None:
    """One article a day under a key, the first 24 in one `WINDOW_DAYS` bucket and the
    rest in the next: the article 6 places into the second bucket has 30 before it, all
    within the cap, and meets every one of them, as each of them meets it (its lookup
    once read only the last 2 of the earlier bucket)."""
    days = [float(20 + n) for n in range(24)] + [45.0 + n for n in range(40)]
    order = [(day, f"a{n:02}") for n, day in enumerate(days)]
    index = blocks.BlockIndex(order)
    key = ("e", "x")
    for i in range(len(order)):
        index.add(i, [key])
    j = 24 + 6
    before, after, _ = index.near(j, key)
    assert list(before) == list(range(j)) and list(after) == list(range(j + 1, j + 33))
    for i in range(j):
        assert j in {*index.near(i, key)[0], *index.near(i, key)[1]}, i
        assert index.within(i, j, key)


def test_a_key_faster_than_the_crowd_rate_joins_only_its_nearest() -> None:
    """Forty articles of one key in ten hours (96 a day): each meets its `CROWD_MIN`
    nearest on either side, and no pair with more between."""
    order = [(i / 96, f"a{i}") for i in range(40)]
    index = blocks.BlockIndex(order)
    for i in range(len(order)):
        index.add(i, [("e", "x")])
    some, more, cut = index.near(20, ("e", "x"))
    assert cut and sorted({*some, *more}) == [
        *range(20 - rules.CROWD_MIN, 20),
        *range(21, 21 + rules.CROWD_MIN),
    ]
    assert index.within(20, 20 + rules.CROWD_MIN, ("e", "x"))
    assert not index.within(20, 21 + rules.CROWD_MIN, ("e", "x"))


def test_an_article_dated_between_two_can_make_their_key_a_crowd(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At most 0.9 articles a day of the key between two (as a test rate): one more
    article between two a day apart per article pushes them out."""
    monkeypatch.setattr(blocks, "CROWD_RATE", 0.9)
    order = [(float(i), f"a{i}") for i in range(10)]
    index = blocks.BlockIndex(order)
    for i in range(len(order)):
        assert index.add(i, [("e", "x")]) == []
    gap = rules.CROWD_MIN + 1  # CROWD_MIN between them: CROWD_MIN <= 0.9 * gap
    assert index.within(0, gap, ("e", "x"))
    order.append((0.5, "late"))
    crossed = index.add(len(order) - 1, [("e", "x")])
    assert (0, gap) in crossed
    assert not index.within(0, gap, ("e", "x"))


def test_an_article_dated_between_two_pushes_them_past_the_cap() -> None:
    order = [(float(i), f"a{i}") for i in range(rules.BLOCK_CAP + 1)]
    index = blocks.BlockIndex(order)
    for i in range(len(order)):
        assert index.add(i, [("e", "x")]) == []  # in time order: nothing crosses
    assert index.within(0, rules.BLOCK_CAP, ("e", "x"))
    order.append((0.5, "late"))
    crossed = index.add(len(order) - 1, [("e", "x")])
    assert crossed == [(0, rules.BLOCK_CAP)]
    assert not index.within(0, rules.BLOCK_CAP, ("e", "x"))


@settings(max_examples=300, deadline=None)
@given(
    gaps=st.lists(
        st.sampled_from([0.0, 0.01, 1 / 16, 0.1, 0.25, 4.5 / 16, 0.5, 1.0, 3.0]),
        min_size=1,
        max_size=80,
    ),
    fallback=st.booleans(),
)
@example(gaps=[0.0, 0.0, 0.0, 0.0, 4 / 16, 1 / 16], fallback=False)
@example(gaps=[0.0, 0.0, 0.0, 0.0, 4.5 / 16, 0.0], fallback=False)
def test_kept_is_every_neighbour_joins_keeps(gaps: list[float], fallback: bool) -> None:
    """`near`'s reading of a side stops early where `joins` can no longer hold and reuses
    the last side's answer: it keeps exactly the articles `joins` keeps, read one by one
    (gaps in sixteenths of a day put articles at the rate's edge; the examples: the
    farthest exactly at the rate, and two past it on one day)."""
    days = [0.0]
    for gap in gaps:
        days.append(days[-1] + gap)
    order = [(day, f"a{i:03d}") for i, day in enumerate(days)]
    index = blocks.BlockIndex(order)
    for i in range(len(order)):
        index.add(i, [("e", "x")])
    cap = blocks._cap(fallback)
    for idx, (day, _) in enumerate(order):
        sides = (
            (list(range(max(0, idx - cap), idx)), -1),
            (list(range(idx + 1, idx + 1 + cap)), 1),
        )
        for side, way in sides:
            side = [j for j in side if j < len(order)]
            nearest_first = side[::-1] if way < 0 else side
            # the same neighbours seen from another day (another key's article) next
            for seen in (day, day - way / 16):
                want = {
                    j
                    for m, j in enumerate(nearest_first)
                    if blocks.joins(m, abs(order[j][0] - seen), cap)
                }
                assert set(index._kept(side, seen, cap, way)) == want, (idx, way, seen)


@pytest.fixture
def small_cap(monkeypatch: pytest.MonkeyPatch) -> int:
    """A cap of 4, so that a few dozen articles crowd a key."""
    monkeypatch.setattr(blocks, "BLOCK_CAP", 4)
    return 4


CROWD = dense(40, seed=3, hours=5.0)


@settings(max_examples=30, deadline=None)
@given(order=st.permutations(range(len(CROWD))), sizes=st.lists(st.integers(1, 9), min_size=1))
def test_in_a_crowd_batches_in_any_order_equal_grouping_at_once(
    order: list[int], sizes: list[int]
) -> None:
    """Articles arriving out of time order push pairs past the cap: they are unlinked, and
    the stories are those of grouping everything at once."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(blocks, "BLOCK_CAP", 4)
        expected = group_articles(CROWD)
        grouped = StoryGrouper()
        pending = [CROWD[i] for i in order]
        while pending:
            size = sizes[len(pending) % len(sizes)]
            grouped.add(pending[:size])
            pending = pending[size:]
        assert grouped.stories() == expected


RUSH = dense(40, seed=6)
"""One article an hour: its towns come faster than `CROWD_RATE`."""


@settings(max_examples=30, deadline=None)
@given(order=st.permutations(range(len(RUSH))), sizes=st.lists(st.integers(1, 9), min_size=1))
def test_in_a_rush_batches_in_any_order_equal_grouping_at_once(
    order: list[int], sizes: list[int]
) -> None:
    """Articles arriving out of time order make a key come faster than `CROWD_RATE`
    between two linked articles: they are unlinked, and the stories are those of
    grouping everything at once."""
    expected = group_articles(RUSH)
    grouped = StoryGrouper()
    pending = [RUSH[i] for i in order]
    while pending:
        size = sizes[len(pending) % len(sizes)]
        grouped.add(pending[:size])
        pending = pending[size:]
    assert grouped.stories() == expected


def test_with_a_small_cap_the_crowd_still_groups_its_copies(small_cap: int) -> None:
    stories = group_articles(CROWD)
    story_of = {a.id: s.id for s in stories for a in s.articles}
    for i in range(6, len(CROWD), 7):
        assert story_of[CROWD[i].id] == story_of[CROWD[i - 1].id], i


def test_the_fixture_set_is_grouped_the_same_with_a_small_cap(small_cap: int) -> None:
    """The fixture's keys are hardly crowded: a cap of 4 leaves its stories as they are."""
    wanted: dict[str, set[str]] = {}
    for aid, label in EXPECTED.items():
        wanted.setdefault(label, set()).add(aid)
    assert partition(group_articles(ARTICLES)) == {frozenset(v) for v in wanted.values()}


def _exact(a: Article, b: Article) -> float:
    sa, sb = full_shingles(a), full_shingles(b)
    return len(sa & sb) / min(len(sa), len(sb)) if sa and sb else 0.0


def test_signatures_never_hide_a_copy() -> None:
    """The signature bound only skips pairs under the threshold: every pair of the fixture
    set and of a crowd (copies included) gets the exact containment from the threshold
    up, and a value under it below."""
    articles = [*ARTICLES, *dense(60, seed=5)]
    feats = [featurize(a) for a in articles]
    for fa, fb in combinations(feats, 2):
        exact = _exact(fa.article, fb.article)
        held = containment(fa, fb, frozenset())
        if exact >= copies.COPY_CONTAINMENT:
            assert held == exact
        else:
            assert held < copies.COPY_CONTAINMENT


def test_a_signature_is_read_once_and_kept_on_the_article() -> None:
    f = featurize(dense(1)[0])
    assert f.shingle_count == -1
    count, bits = copies.signature(f)
    assert count == len(full_shingles(f.article)) and bits.bit_count() <= count
    assert (f.shingle_count, f.shingle_bits) == (count, bits)


def test_rereads_keep_only_the_last_few() -> None:
    rereads = Rereads(features=3, shingles=3)
    feats = [featurize(a) for a in dense(8, seed=9)]
    for f in feats:
        rereads.shingles(f, frozenset({1}))
        rereads.features(f, frozenset({1}))
    assert len(rereads._shingles) == len(rereads._features) == 3
    assert rereads.shingles(feats[-1], frozenset({1})) == full_shingles(feats[-1].article)


def _report(ref: str, hours: float, text: str) -> Article:
    when = datetime(2025, 5, 1, 9, tzinfo=UTC) + timedelta(hours=hours)
    return Article("Echo", ref, f"https://e.example/{ref}", f"Court report {ref}", None, when,
                   "", text)  # fmt: skip


def test_a_pair_pushed_past_the_cap_by_a_later_batch_is_unlinked(small_cap: int) -> None:
    """Two reports of one trial (rule 4: two shared names, the same words) are linked when
    they arrive alone; six articles naming the same two, dated between them and arriving
    later, crowd both names: grouping everything at once never judges the pair, and the
    grouper that had linked it unlinks it."""
    first = _report("a", 0, "Jon Smythe, of Wareham, was jailed for burglary at the court "
                    "after a long trial heard by the judge.")  # fmt: skip
    second = _report("b", 30, "The court jailed Smythe of Wareham for burglary; the judge "
                     "said the trial was long.")  # fmt: skip
    rng = random.Random(4)
    fillers = [
        _report(f"f{i}", 2 + 4 * i, f"Reports name Smythe and Wareham: {' '.join(words)}.")
        for i, words in enumerate(rng.sample(WORDS, 30) for _ in range(6))
    ]
    alone = StoryGrouper()
    alone.add([first, second])
    assert len(alone.stories()) == 1
    alone.add(fillers)
    everything = group_articles([first, second, *fillers])
    assert alone.stories() == everything
    assert len({s.id for s in everything if {first, second} & set(s.articles)}) == 2


def _links(grouped: StoryGrouper) -> dict[tuple[int, int], float]:
    return {(i, j): s for i, adj in enumerate(grouped._adj) for j, s in adj.items()}


@pytest.mark.parametrize("articles", [CROWD, RUSH, dense(300, seed=2, hours=3.0), ARTICLES])
def test_judging_each_pair_from_its_earlier_article_finds_the_same_links(
    articles: list[Article], small_cap: int
) -> None:
    """Grouping into an empty grouper looks up only the articles after each one
    (`_link_later`): the same links, scores included, as looking up both sides and
    judging a pair again from its later article (`_link`), in crowds, in a rush and on
    the fixture set."""
    at_once = StoryGrouper()
    at_once.add(articles)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(StoryGrouper, "_link_later", lambda self, idx, _: self._link(idx))
        both_sides = StoryGrouper()
        both_sides.add(articles)
    assert _links(at_once) == _links(both_sides)
    assert _links(at_once)
    if articles is not ARTICLES:  # the crowds' towns are looked up once per article
        days = [article_day(a) for a in articles]
        window = rules.WINDOW_DAYS
        buckets = range(int(min(days) // window), int(max(days) // window) + 1)
        assert at_once._blocks.twins(buckets)
    assert at_once.stories() == both_sides.stories()
