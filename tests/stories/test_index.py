"""Stories kept in the store: incremental grouping agrees with grouping from scratch."""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from heraldtui.core.models import Article, FeedState, Story
from heraldtui.core.storage.store import Store
from heraldtui.core.stories.grouper import StoryGrouper, group_articles
from heraldtui.core.stories.index import StoryIndex
from heraldtui.core.stories.listing import newest_stories
from tests.support.sets import SHARED, load_set

needs_sets = pytest.mark.skipif(
    not (SHARED / "devset").is_dir(), reason="../shared/devset is not beside the repository"
)


def save(store: Store, articles: list[Article]) -> None:
    by_feed: dict[str, list[Article]] = {}
    for article in articles:
        by_feed.setdefault(article.feed, []).append(article)
    for feed, items in by_feed.items():
        store.save_feed_result(FeedState(feed, f"https://{len(feed)}.example/"), items)


def shape(
    stories: list[Story],
) -> list[tuple[str, str, str | None, str | None, tuple[str, ...]]]:
    """What a story is: a restart must list it the same from the store alone."""
    return [
        (s.id, s.kind, s.force, s.inspection_type, tuple(a.id for a in s.articles)) for s in stories
    ]


@needs_sets
def test_batches_through_the_store_equal_grouping_from_scratch(tmp_path: Path) -> None:
    articles = load_set("devset")
    expected = shape(group_articles(articles))
    store = Store(tmp_path / "db.sqlite3")
    index = StoryIndex(store)
    for start in range(0, len(articles), 5):  # a refresh every five articles
        save(store, articles[start : start + 5])
        index.stories()
    assert shape(index.stories()) == expected
    # a new process (a fresh index) lists the same stories from the store alone
    assert shape(StoryIndex(Store(tmp_path / "db.sqlite3")).stories()) == expected


@needs_sets
def test_start_up_with_nothing_new_reads_no_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "db.sqlite3")
    save(store, load_set("devset"))
    first = StoryIndex(store).stories()

    def no(*args: object, **kwargs: object) -> None:
        raise AssertionError("start-up must not regroup or read article text")

    monkeypatch.setattr(StoryGrouper, "restore", no)
    monkeypatch.setattr(StoryGrouper, "add", no)
    monkeypatch.setattr(Store, "articles_by_id", no)
    again = StoryIndex(store).stories()
    assert shape(again) == shape(first)
    assert [s.title for s in again] == [s.title for s in first]


@needs_sets
def test_read_marks_and_titles_come_from_the_store(tmp_path: Path) -> None:
    store = Store(tmp_path / "db.sqlite3")
    articles = load_set("seeds")
    save(store, articles)
    index = StoryIndex(store)
    (story,) = index.stories()
    assert story.force == "Hertfordshire Constabulary" and story.kind == "inspection"
    store.set_read([articles[0].id], True)
    (again,) = index.stories()
    assert {a.id: a.read for a in again.articles}[articles[0].id] is True
    assert again.id == story.id and again.title == story.title


@needs_sets
def test_a_late_old_article_rebuilds_the_window(tmp_path: Path) -> None:
    """An article older than anything grouped so far still finds its story."""
    articles = load_set("devset")
    newest_first = sorted(articles, key=lambda a: a.published or a.id, reverse=True)
    store = Store(tmp_path / "db.sqlite3")
    index = StoryIndex(store)
    for article in newest_first:
        save(store, [dataclasses.replace(article)])
        index.stories()
    assert shape(index.stories()) == shape(group_articles(articles))


@needs_sets
def test_articles_stored_while_grouping_wait_for_the_next_listing(tmp_path: Path) -> None:
    """A refresh keeps storing while the reader groups: nothing half-grouped is listed."""
    articles = load_set("devset")
    store = Store(tmp_path / "db.sqlite3")
    save(store, articles[:10])
    index = StoryIndex(store)
    arriving = iter([articles[10:14], articles[14:18], articles[18:22], articles[22:]])
    original = index._group

    def group_while_a_refresh_stores(*args: Any, **kwargs: Any) -> bool:
        saved = original(*args, **kwargs)
        batch = next(arriving, None)
        if batch is not None:
            save(store, batch)
        return saved

    index._group = group_while_a_refresh_stores  # type: ignore[method-assign]
    listed = index.stories()
    ids = {a.id for s in listed for a in s.articles}
    assert ids <= {a.id for a in articles} and len(ids) >= 10
    assert all(len(s.articles) >= 1 for s in listed)
    index._group = original  # type: ignore[method-assign]
    for batch in arriving:  # the refresh finishes
        save(store, batch)
    everything = index.stories()
    assert shape(everything) == shape(group_articles(articles))


def test_a_feed_left_out_for_a_while_does_not_split_its_stories(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    force = "Hertfordshire Constabulary"
    start = datetime(2024, 6, 1, 9, tzinfo=UTC)

    def item(feed: str, ref: str, day: int, title: str, body: str) -> Article:
        return Article(feed, ref, f"https://{ref}.example/", title, None,
                       start + timedelta(days=day), "", body)  # fmt: skip

    a1 = item("Gazette", "a1", 0, f"Inspectors rate {force} inadequate",
              f"HMICFRS inspectors rated {force} inadequate at recording crime data in a "
              "PEEL inspection.")  # fmt: skip
    a2 = item("Courier", "a2", 1, f"{force} told to improve by inspectorate",
              f"The inspectorate HMICFRS rated {force} inadequate at recording crime in its "
              "PEEL inspection.")  # fmt: skip
    a3 = item("Courier", "a3", 5, f"{force} responds to PEEL inspection",
              f"The chief constable said {force} accepted the HMICFRS PEEL inspection grades, "
              "rated inadequate.")  # fmt: skip
    expected = shape(group_articles([a1, a2, a3]))
    assert len(expected) == 1
    store = Store(tmp_path / "db.sqlite3")
    save(store, [a1, a2])
    StoryIndex(store).stories()
    save(store, [a3])
    courier_only = StoryIndex(store).stories(lambda a: a.feed == "Courier")  # Gazette left out
    assert [[a.guid for a in s.articles] for s in courier_only] == [["a2", "a3"]]
    assert shape(StoryIndex(store).stories()) == expected  # Gazette back: one story again


def _inspection_articles() -> dict[str, Article]:
    """Four inspection articles about one force, written so that the fourth splits a
    story whose older half then joins a story outside the fourth's linking window.

    a (day 0, no inspection type) and b (day 40, PEEL) are one story; c (day 0, custody)
    links to a only, and cannot join a story that holds a PEEL article. n (day 84, PEEL)
    links to b more strongly than a does, and a story spans at most 75 days: b leaves
    a for n, and a, now without a type, joins c. Of these, only b is within 45 days of n.
    """
    force = "Fenmoor Police"
    start = datetime(2024, 1, 8, 9, tzinfo=UTC)

    rows = [
        ("Fenmoor Gazette", "a", 0.0, f"Inspectors publish report on {force}",
         f"HMICFRS inspectors published their report on {force} on Monday, praising "
         "neighbourhood patrols in Saltby and Wrenham."),
        ("Fenmoor Gazette", "b", 40.0, f"PEEL inspection grades for {force}",
         f"The PEEL inspection of {force} by HMICFRS graded neighbourhood patrols in "
         "Saltby and Wrenham good, and victim care adequate."),
        ("Marsh Courier", "c", 0.1, f"Cells at {force} criticised in custody inspection",
         f"A custody inspection by HMICFRS found the cells used by {force} in Saltby "
         "were dirty and cold."),
        ("Marsh Courier", "n", 84.0, f"{force} answers its PEEL inspection grades",
         f"The chief constable of {force} said the HMICFRS PEEL inspection grades for "
         "victim care, rated adequate, would improve."),
    ]  # fmt: skip
    return {
        ref: Article(
            feed, ref, f"https://{ref}.example/", title, None, start + timedelta(day), "", body
        )
        for feed, ref, day, title, body in rows
    }


def guids(stories: list[Story]) -> list[list[str]]:
    return sorted(sorted(a.guid for a in s.articles) for s in stories)


def test_a_restart_groups_as_one_long_session(tmp_path: Path) -> None:
    """The same articles, stored in the same two refreshes, give the same stories whether
    the reader ran throughout or was restarted between the refreshes."""
    articles = _inspection_articles()
    before, after = [articles[k] for k in "abc"], [articles["n"]]
    assert guids(group_articles(before)) == [["a", "b"], ["c"]]
    reference = shape(group_articles([*before, *after]))
    # the case reaches outside n's window: c (day 0) changes story though n links to b only
    assert guids(group_articles([*before, *after])) == [["a", "c"], ["b", "n"]]

    session = StoryIndex(Store(tmp_path / "session.sqlite3"))
    save(session.store, before)
    session.stories()
    save(session.store, after)
    assert shape(session.stories()) == reference

    path = tmp_path / "restarted.sqlite3"
    first = StoryIndex(Store(path))
    save(first.store, before)
    first.stories()
    first.store.close()
    store = Store(path)
    save(store, after)
    assert shape(StoryIndex(store).stories()) == reference
    assert shape(StoryIndex(Store(path)).stories()) == reference  # and it was stored so


@needs_sets
def test_a_restart_after_every_refresh_equals_grouping_from_scratch(tmp_path: Path) -> None:
    articles = load_set("devset")
    path = tmp_path / "db.sqlite3"
    for start in range(0, len(articles), 4):
        store = Store(path)
        save(store, articles[start : start + 4])
        StoryIndex(store).stories()
        store.close()
    assert shape(StoryIndex(Store(path)).stories()) == shape(group_articles(articles))


def _random_inspections(rng: random.Random, n: int) -> list[Article]:
    """Inspection articles of two forces, four types (none, PEEL, custody, vetting) and
    shared words over 200 days: dense enough that new articles split older stories."""
    start = datetime(2024, 1, 1, 9, tzinfo=UTC)
    places = ["Saltby", "Wrenham", "Ostley", "Carrow"]
    words = "patrols victims care cells calls response budget neighbourhood training morale"
    out = []
    for i in range(n):
        force = rng.choice(["Fenmoor Police", "Marsh Constabulary"])
        kind = rng.choice(["", "PEEL ", "custody ", "vetting "])
        about = " ".join(rng.sample(words.split(), 4))
        where = " and ".join(rng.sample(places, 2))
        body = f"The {kind}inspection of {force} by HMICFRS looked at {about} in {where}."
        when = start + timedelta(days=rng.uniform(0, 200))
        feed = rng.choice(["Gazette", "Courier", "Echo"])
        title = f"{kind}inspection report on {force}"
        out.append(Article(feed, f"g{i}", f"https://{i}.example/", title, None, when, "", body))
    out.sort(key=lambda a: (a.published, a.id))
    return out


@pytest.mark.parametrize("seed", range(60))
def test_refreshes_with_a_restart_between_each_equal_grouping_from_scratch(
    tmp_path: Path, seed: int
) -> None:
    """Seeds 10, 47, 48 and 53 split a story whose older articles reach a story outside
    the new articles' window (they failed before the window widened for them)."""
    rng = random.Random(seed)
    articles = _random_inspections(rng, rng.randint(6, 30))
    path = tmp_path / "db.sqlite3"
    done = 0
    while done < len(articles):
        step = rng.randint(1, 5)
        with Store(path) as store:
            save(store, articles[done : done + step])
            StoryIndex(store).stories()
        done += step
    with Store(path) as store:
        assert shape(StoryIndex(store).stories()) == shape(group_articles(articles))


@pytest.mark.parametrize("seed", range(6))
def test_the_newest_page_is_the_start_of_the_full_listing(
    tmp_path: Path, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`newest_stories(k)` lists what `stories()[:k]` does, for any k and any kept feeds, on a
    history of stored stories of one to four articles with shared times and undated ones;
    and it groups nothing and reads no article text."""
    rng = random.Random(seed)
    start = datetime(2024, 3, 1, tzinfo=UTC)
    feeds = ["North", "South", "East"]
    articles = []
    for n in range(160):
        published = None if rng.random() < 0.05 else start + timedelta(hours=rng.randrange(90))
        articles.append(
            Article(rng.choice(feeds), f"g{n}", f"https://x.example/{n}", f"Headline {n}",
                    None, published, "teaser", "body")
        )  # fmt: skip
    store = Store(tmp_path / "db.sqlite3")
    save(store, articles)
    rng.shuffle(articles)
    stories, i = [], 0
    while i < len(articles):
        size = rng.randint(1, 4)
        stories.append(Story(f"s{i}", f"Story {i}", "other", None, tuple(articles[i : i + size])))
        i += size
    store.save_stories(stories)
    index = StoryIndex(store)
    for kept in (set(feeds), {"North"}, {"North", "East"}):
        full = index.stories(lambda article: article.feed in kept)  # noqa: B023 (called here)

        def no(*args: object, **kwargs: object) -> None:
            raise AssertionError("the first page must not group or read article text")

        with monkeypatch.context() as patched:
            patched.setattr(StoryGrouper, "add", no)
            patched.setattr(Store, "articles_by_id", no)
            patched.setattr(Store, "listing", no)
            for limit in (1, 2, 5, 17, 40, len(full), len(full) + 5):
                page = newest_stories(store, limit, kept.__contains__)
                assert shape(page) == shape(full[:limit]), (kept, limit)
                assert [s.title for s in page] == [s.title for s in full[:limit]]
