"""Grouping everything at once links each article as soon as every article within
`WINDOW_DAYS` after it is in (`StoryGrouper._add_whole`): the same links and stories as
inserting everything first, and as adding in batches, on streams longer than the window;
and an article's text is read once, its reading kept only while it may still be judged."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence

import pytest

from heraldtui.core.models import Article
from heraldtui.core.stories import copies, grouper
from heraldtui.core.stories.copies import Rereads
from heraldtui.core.stories.grouper import LINK_STEP_DAYS, StoryGrouper, article_day
from heraldtui.core.stories.reading import Reading, read
from heraldtui.core.stories.rules import WINDOW_DAYS
from tests.stories.test_blocks import dense
from tests.stories.test_blocks_equivalence import _grouper_links
from tests.support.modules import grouping_benchmark


def _streams() -> list[tuple[str, list[Article]]]:
    return [
        # four feeds of one force, 45 items a day, each ending with the feed's lines
        ("benchmark dense", grouping_benchmark().generate("dense", 3000)[0]),
        # sixty forces: inspections' and meetings' follow-ups weeks apart
        ("benchmark realistic", grouping_benchmark().generate("realistic", 3000)[0]),
        # eight towns in every item: crowded (under `CROWD_RATE`), then in a rush
        ("crowd", dense(700, seed=5, hours=6.0)),
        ("rush", dense(1500, seed=7, hours=1.25)),
    ]


STREAMS = _streams()


@pytest.mark.parametrize("articles", [s for _, s in STREAMS], ids=[n for n, _ in STREAMS])
def test_linking_as_the_window_fills_equals_linking_after_everything(
    articles: Sequence[Article],
) -> None:
    """With the default step and with a short one (each article linked as soon as its
    window is in, twins read at every step)."""
    days = [article_day(a) for a in articles]
    assert max(days) - min(days) > WINDOW_DAYS + LINK_STEP_DAYS, "the window must slide"
    at_once = StoryGrouper()
    at_once.add(articles)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(grouper, "LINK_STEP_DAYS", 0.25)
        stepping = StoryGrouper()
        stepping.add(articles)
        patch.setattr(grouper, "LINK_STEP_DAYS", math.inf)  # all inserted, then linked
        after_all = StoryGrouper()
        after_all.add(articles)
    in_batches = StoryGrouper()
    ordered = sorted(articles, key=article_day)
    in_batches.add(ordered[:1])
    for start in range(1, len(ordered), 500):
        in_batches.add(ordered[start : start + 500])
    links = _grouper_links(after_all)
    assert links
    assert _grouper_links(at_once) == links and _grouper_links(stepping) == links
    assert _grouper_links(in_batches) == links
    assert at_once.stories() == stepping.stories() == after_all.stories()
    assert in_batches.stories() == after_all.stories()


def test_an_article_is_read_once_and_its_reading_kept_only_for_its_window(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On a stream whose articles share their outlet's lines (read again without them),
    no article is read a second time, and the readings held at once are those of the
    articles not yet linked: about `WINDOW_DAYS + LINK_STEP_DAYS` of the stream."""
    articles = STREAMS[0][1]
    reads = [0]

    def counting(article: Article) -> Reading:
        reads[0] += 1
        return read(article)

    held: list[int] = []
    real_hold = Rereads.hold

    def holding(self: Rereads, article_id: str, reading: Reading) -> None:
        real_hold(self, article_id, reading)
        held.append(len(self._held))

    monkeypatch.setattr(copies, "read", counting)
    monkeypatch.setattr(Rereads, "hold", holding)
    grouped = StoryGrouper()
    grouped.add(articles)
    rereads = grouped._rereads
    assert rereads._features, "nothing was read again without shared lines"
    assert reads == [0]
    assert not rereads._held
    days = sorted(article_day(a) for a in articles)
    span = WINDOW_DAYS + LINK_STEP_DAYS + 1
    most = max(bisect_right(days, first + span) - n for n, first in enumerate(days))
    assert len(held) == len(articles) and max(held) <= most < len(articles)
