"""Story grouping: each rule on our own fixtures (positive and negative), the story fields,
incremental grouping equal to batch grouping, restore, and the shared sets' figures."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heraldtui.core.models import Article, Story
from heraldtui.core.stories.grouping import (
    WINDOW_DAYS,
    StoryGrouper,
    article_day,
    group_articles,
    story_id,
)
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


def _partition(stories: list[Story]) -> set[frozenset[str]]:
    return {frozenset(a.id for a in s.articles) for s in stories}


def _story_of(stories: list[Story], ref: str) -> Story:
    return next(s for s in stories if any(a.id == REFS[ref] for a in s.articles))


@pytest.fixture(scope="module")
def stories() -> list[Story]:
    return group_articles(ARTICLES)


def test_fixture_stories_are_exactly_the_expected_ones(stories: list[Story]) -> None:
    wanted: dict[str, set[str]] = {}
    for aid, label in EXPECTED.items():
        wanted.setdefault(label, set()).add(aid)
    assert _partition(stories) == {frozenset(v) for v in wanted.values()}


@pytest.mark.parametrize(
    ("a", "b", "why"),
    [
        ("kb-1", "kb-2", "same inspection, two outlets, short form 'Kestrel Bay police'"),
        ("kb-1", "kb-3", "scrutiny meeting weeks later that restates the findings"),
        ("fm-1", "fm-2", "same force's report from two outlets"),
        ("ldrs-1", "ldrs-2", "syndicated near copy with a trimmed ending and 'Rob' for 'Robert'"),
        ("mt-1", "mt-2", "meeting notice and preview ('next Tuesday')"),
        ("mt-2", "mt-3", "meeting preview and write-up ('last night')"),
        ("ct-1", "ct-2", "one court case reported by two outlets"),
        ("hp-1", "hp-2", "'Herts Police' and 'Hertfordshire Constabulary' are one force"),
        ("wb-1", "wb-2", "a town council's notice naming no force, a listing dated 11/03/2025"),
        ("wb-2", "wb-3", "listing and write-up dated 'on Tuesday night' (past tense)"),
        ("wb-1", "wb-3", "notice and write-up: the town is only in the council's feed name"),
    ],
)
def test_joined(stories: list[Story], a: str, b: str, why: str) -> None:
    assert _story_of(stories, a) is _story_of(stories, b), why


@pytest.mark.parametrize(
    ("a", "b", "why"),
    [
        ("kb-1", "kb-4", "the same force's next inspection, of another type, a year later"),
        ("kb-1", "kb-5", "an article about a building that mentions the inspection in passing"),
        ("fm-1", "em-1", "two forces, same outlet, same day, near-identical wording"),
        ("br-1", "br-2", "two burglary arrests by one force on one day"),
        ("bp-1", "bp-2", "one outlet's recurring footer lines"),
        ("wb-3", "wb-4", "the same body's next meeting, which the write-up mentions"),
        ("wb-1", "wb-4", "two meetings of one body, same hall and people, different dates"),
        ("wb-2", "mk-1", "the same force's meeting in another village on the same date"),
    ],
)
def test_kept_apart(stories: list[Story], a: str, b: str, why: str) -> None:
    assert _story_of(stories, a) is not _story_of(stories, b), why


def _surgery_pair(when: str, published: str) -> list[Article]:
    """A PCC's notice of a surgery on Thursday 13 June 2024 and a paper's write-up (or,
    when `when` is a whole sentence, a paper's article of that text)."""
    notice = Article(
        feed="Office of the Quarrenden PCC",
        guid="https://quarrenden-pcc.example/surgery",
        link="https://quarrenden-pcc.example/surgery",
        title="Drop-in surgery in Elmsley",
        author=None,
        published=datetime(2024, 6, 3, 9, tzinfo=UTC),
        summary="",
        content="Commissioner Maeve Culshaw will hold a drop-in surgery at Elmsley library "
        "on Thursday 13 June from 6pm.",
    )
    write_up = Article(
        feed="Hollins Mercury",
        guid="https://hollins.example/elmsley",
        link="https://hollins.example/elmsley",
        title="Lorries top the complaints in Elmsley",
        author=None,
        published=datetime.fromisoformat(published).astimezone(UTC),
        summary="",
        content=when
        if when.endswith(".")
        else f"Residents told commissioner Maeve Culshaw about speeding lorries at a "
        f"drop-in surgery in Elmsley {when}.",
    )
    return [notice, write_up]


@pytest.mark.parametrize(
    ("when", "published", "together"),
    [
        ("on Thursday night", "2024-06-14T08:00:00+01:00", True),
        ("on Thursday evening", "2024-06-13T22:00:00+01:00", True),  # the same day
        ("last night", "2024-06-14T00:30:00+01:00", True),  # 23:30 UTC on the 13th
        ("on 13/06/2024", "2024-06-17T10:00:00+01:00", True),
        ("on 13.6.24", "2024-06-17T10:00:00+01:00", True),
        ("on 6/13/2024", "2024-06-17T10:00:00+01:00", False),  # not a UK date
        ("on Thursday night", "2024-06-21T08:00:00+01:00", False),  # the week after
        ("last night", "2024-06-13T08:00:00+01:00", False),  # the day before
        (
            "The drop-in surgery in Elmsley is on Thursday evening, and Maeve Culshaw wants "
            "to hear about speed limits.",
            "2024-06-10T09:00:00+01:00",
            True,  # present tense looks ahead; "speed" is not a past tense
        ),
        (
            "Maeve Culshaw heard about lorries last night, and the next step at the "
            "drop-in surgery in Elmsley was a petition. The petition closes on 30 June. "
            "Her next surgery in Elmsley is on 11 July.",
            "2024-06-14T09:00:00+01:00",
            True,  # the next surgery's date is aside; "the next step at" is not one
        ),
        (
            "Maeve Culshaw will hold her next drop-in surgery in Elmsley on 11 July.",
            "2024-06-14T09:00:00+01:00",
            False,  # another surgery: its date is all it has
        ),
    ],
)
def test_relative_and_numeric_dates_resolve_before_comparing(
    when: str, published: str, together: bool
) -> None:
    stories = group_articles(_surgery_pair(when, published))
    assert (len(stories) == 1) is together
    assert stories[0].kind == "meeting"


def test_a_placeless_notice_joins_the_forces_meeting_of_its_date() -> None:
    notice = Article(
        feed="Office of the Quarrenden PCC",
        guid="https://quarrenden-pcc.example/q",
        link="https://quarrenden-pcc.example/q",
        title="Commissioner's public meeting",
        author=None,
        published=datetime(2024, 6, 3, 9, tzinfo=UTC),
        summary="",
        content="The commissioner will take questions about Quarrenden Police at a public "
        "meeting on Thursday 13 June.",
    )
    preview, elsewhere = (
        Article(
            feed="Hollins Mercury",
            guid=f"https://hollins.example/{town}",
            link=f"https://hollins.example/{town}",
            title=f"Police meeting in {town}",
            author=None,
            published=datetime(2024, 6, 10, 9, tzinfo=UTC),
            summary="",
            content=f"Quarrenden Police will answer questions at a public meeting in {town} "
            f"on {day}, with Inspector Rhys Athey.",
        )
        for town, day in (("Elmsley", "Thursday 13 June"), ("Pollard", "Friday 14 June"))
    )
    stories = group_articles([notice, preview, elsewhere])
    assert _partition(stories) == {
        frozenset({notice.id, preview.id}),
        frozenset({elsewhere.id}),
    }


def test_story_fields(stories: list[Story]) -> None:
    kestrel = _story_of(stories, "kb-1")
    assert kestrel.kind == "inspection"
    assert kestrel.force == "Kestrel Bay Constabulary"
    assert kestrel.id == story_id(REFS["kb-1"])  # the earliest article's
    published = [a.published for a in kestrel.articles]
    assert published == sorted(p for p in published if p is not None)
    # The most informative headline, not the first: it names the force and the grade.
    assert kestrel.title == "Kestrel Bay police too slow to answer 999 calls, inspectors find"

    meeting = _story_of(stories, "mt-1")
    assert meeting.kind == "meeting"
    assert meeting.force == "Harrowdale Police"
    assert _story_of(stories, "hp-1").force == "Hertfordshire Constabulary"
    council = _story_of(stories, "wb-1")
    assert council.kind == "meeting"
    assert council.force == "Corrieford Police"  # named by the paper, not the council
    assert _story_of(stories, "br-1").kind == "other"
    assert _story_of(stories, "kb-5").kind == "other"


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


def _restore_window_then_add(articles: list[Article], split: int) -> None:
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


@pytest.mark.parametrize("split", [3, 8, 12, 16, 19])
def test_restoring_only_the_window_gives_the_full_regroups_stories(split: int) -> None:
    _restore_window_then_add(ARTICLES, split)


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
    assert _partition(restored.stories()) == {frozenset({a.id, b.id})}


def test_empty() -> None:
    assert group_articles([]) == []


def test_undated_articles_still_get_a_story() -> None:
    undated = [replace(a, published=None) for a in ARTICLES[:3]]
    stories = group_articles(undated)
    assert sorted(a.id for s in stories for a in s.articles) == sorted(a.id for a in undated)


# ---------------------------------------------------------------- shared sets


def _shared(name: str) -> Path:
    folder = SHARED / name
    if not (folder / "articles.jsonl").exists():
        pytest.skip(f"the shared set {name!r} is not available at {folder}")
    return folder


def _bcubed(pred: dict[str, str], gold: dict[str, str]) -> float:
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


def test_devset_figures() -> None:
    from tests.support.sets import load_set, set_ids

    folder = _shared("devset")
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    ids = set_ids(folder)
    stories = group_articles(load_set(folder))
    pred = {ids[a.link]: s.id for s in stories for a in s.articles}
    gold = {a: g["id"] for g in truth["groups"] for a in g["articles"]}
    gold.update({a: a for a in truth["singletons"]})
    assert _bcubed(pred, gold) >= 0.95
    forces_ok = 0
    for group in truth["groups"]:
        story = next(s for s in stories if pred[group["articles"][0]] == s.id)
        forces_ok += story.force == group["force"]
        assert story.kind == group["kind"], group["id"]
    assert forces_ok / len(truth["groups"]) >= 0.9


def test_devset_restoring_only_the_window_gives_the_full_regroups_stories() -> None:
    from tests.support.sets import load_set

    articles = load_set(_shared("devset"))
    for split in (len(articles) // 3, len(articles) // 2, 3 * len(articles) // 4):
        _restore_window_then_add(articles, split)


def test_seeds_are_one_hertfordshire_story() -> None:
    from tests.support.sets import load_set

    stories = group_articles(load_set(_shared("seeds")))
    assert len(stories) == 1
    assert stories[0].force == "Hertfordshire Constabulary"
    assert stories[0].kind == "inspection"


def test_an_edited_article_is_judged_on_its_new_text() -> None:
    """Caches key on text, not on the article id: a copy rewritten beyond recognition and
    grouped again (a later run) is no longer a near-copy."""
    words = (
        "Gardeners in Ashcombe found a stolen tractor near the allotments on Sunday morning "
        "and the owner Peter Quill thanked neighbours for their quick help with the search "
        "across fields"
    ).split()
    when = datetime(2024, 5, 1, 9, tzinfo=UTC)
    a = Article("Ashcombe Echo", "a", "https://a.example/", "Stolen tractor found in Ashcombe",
                None, when, "", " ".join(words) + ".")  # fmt: skip
    b = replace(a, feed="Vale Herald", guid="b", link="https://b.example/",
                            title="Tractor found at Ashcombe allotments",
                            published=when + timedelta(days=20, hours=3))  # fmt: skip
    shuffled = words[:]
    random.Random(1).shuffle(shuffled)
    edited = replace(b, content=" ".join(shuffled) + ".")
    assert len(group_articles([a, b])) == 1  # a syndicated copy
    assert len(group_articles([a, edited])) == 2


def test_today_as_in_said_today_is_no_meeting_date() -> None:
    """Two notices of one office posted the same day, each "today", with the same people:
    two meetings on two dates, not one story by the publication day."""
    notices = [
        Article(
            feed="Office of the Quarrenden PCC",
            guid=f"https://quarrenden-pcc.example/{town}",
            link=f"https://quarrenden-pcc.example/{town}",
            title=f"Public meeting in {town}",
            author=None,
            published=datetime(2024, 6, 3, 9, tzinfo=UTC),
            summary="",
            content=f"Commissioner Maeve Culshaw today announced a public meeting in {town} "
            f"on {day}, with Inspector Rhys Athey.",
        )
        for town, day in (("Elmsley", "13 June"), ("Pollard", "20 June"))
    ]
    assert len(group_articles(notices)) == 2
