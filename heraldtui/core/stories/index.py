"""Stories kept in the store, so a start-up lists them without analysing any text.

Grouping an article means reading it (forces, dates, names, shingles): a few hundred
microseconds each, which is seconds for a large history. So the grouping's decisions are
stored (`stories` headers and `story_assignments`) and a listing is rebuilt from them in
one pass. Only articles without a stored story are grouped, by a `StoryGrouper` restored
with just the stories that can change.

Which stories can change. A new article links only to articles within `WINDOW_DAYS` of
it, so the grouper first holds every story with an article in that window before the
earliest new article (older articles of those stories included). But a new article
re-clusters the whole connected component it joins, and a component can reach further
back, through links between old articles, than the window. Whether that matters shows
in what the new articles did to the stored stories:

- stories that only grew (new articles joined, or whole stories merged) cannot change a
  story the grouper does not hold: each of their clusters only grew during the
  re-clustering, and a larger cluster can merge with fewer clusters, never more;
- a stored story that was *split* can, if one of its articles is within `WINDOW_DAYS`
  of an article the grouper does not hold (four articles do it: see the tests). Then the
  window moves back to `WINDOW_DAYS` before the earliest such article, the grouper is
  restored again and the new articles are grouped again, until no split story reaches
  outside what the grouper holds.

So the stored stories are exactly what one long-running grouper (and `group_articles`
over every stored article) gives, however the refreshes were spread over restarts. A
refresh reads more than the window only when new articles split a stored story with an
article within `WINDOW_DAYS` of one the grouper does not hold (in a dense random history,
about a third of refreshes did; a start-up with nothing new reads no text at all). An
article whose text changes after it was grouped keeps its story.

One limit, on dense coverage only: within a key crowded past `rules.BLOCK_CAP` or
`rules.CROWD_RATE` (see `blocks`), whether two articles are compared depends on the
articles with that key dated between them, and the restored grouper holds only some of
those older than the window's start. For a pair of older articles straddling it, it may
count fewer and compare (and so link) two articles that grouping everything at once would
not. That takes a key with more than `BLOCK_CAP` articles (or `CROWD_MIN` in a rush)
between two linked articles right at the window's start; no set or benchmark stream we
have comes near it (the realistic one at 20,000 articles needs 7).
"""

from __future__ import annotations

import bisect
import math
import threading
from collections.abc import Callable, Sequence
from typing import Final, NamedTuple

from heraldtui.core.errors import StoreError
from heraldtui.core.models import Article, Story
from heraldtui.core.storage.corrections import list_corrections
from heraldtui.core.storage.grouping import generation as stored_generation
from heraldtui.core.storage.grouping import grouping_size, save_grouping
from heraldtui.core.storage.rows import StoryHeader
from heraldtui.core.storage.store import Store
from heraldtui.core.stories.corrections import corrected_listing
from heraldtui.core.stories.grouper import StoryGrouper
from heraldtui.core.stories.grouper import article_day as _day
from heraldtui.core.stories.listing import assemble
from heraldtui.core.stories.rules import WINDOW_DAYS

GROUPING_PASSES: Final = 5
"""Listings a `stories()` call groups at most: a refresh may store articles while one runs,
and another process may save a grouping first (then this one's is not saved)."""


class Regrouped(NamedTuple):
    """What `StoryIndex.rebuild` did: stored articles, and the stories they were grouped in
    before and after."""

    articles: int
    before: int
    after: int


class StoryIndex:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._grouper: StoryGrouper | None = None
        self._cutoff = math.inf
        """The grouper holds every story with an article on or after this day."""
        self._held: set[str] = set()
        """Ids of the articles the grouper holds."""
        self._generation = -1
        """The stored grouping's generation (`storage/grouping.py`) the grouper matches."""
        self._lock = threading.Lock()

    def stories(self, keep: Callable[[Article], bool] = lambda article: True) -> list[Story]:
        """The stored articles that `keep` accepts, grouped into stories, newest first.

        Articles without a stored story are grouped first (and their stories stored).
        Grouping always sees every stored article, kept or not: a story must not split
        because one of its feeds is left out of the feeds file for a while. The reader's
        corrections are applied after it (`corrections`), to every listing: the stored
        grouping stays the algorithm's.
        """
        with self._lock:
            # A refresh may store articles while this runs, and another process may save
            # a grouping first: group what is new, list again, and leave anything that
            # arrived after the last pass to the next listing.
            generation, listed = self._listing()
            for _ in range(GROUPING_PASSES):
                new = [a for a, header in listed if header is None]
                if not new:
                    break
                self._group(listed, new, generation)
                generation, listed = self._listing()
            fixes = list_corrections(self.store)
            fixed, corrected = corrected_listing(self.store, listed, fixes)
        return assemble(fixed, keep, corrected)

    def rebuild(self) -> Regrouped:
        """Regroup every stored article from scratch and store that grouping in place of
        the stored one, in one transaction (a reader in another process sees the old
        stories or the new ones, never none). Read and starred marks are the articles'
        and stay. `StoreError` when other processes kept regrouping meanwhile."""
        with self._lock:
            articles, before = grouping_size(self.store)
            for _ in range(GROUPING_PASSES):
                generation, listed = self._listing()
                blank: list[tuple[Article, StoryHeader | None]] = [(a, None) for a, _ in listed]
                self._grouper = None
                if self._group(blank, [a for a, _ in blank], generation, replace=True):
                    return Regrouped(articles, before, grouping_size(self.store)[1])
        raise StoreError(
            f"other heraldtui processes kept regrouping the stories in {self.store.path} "
            "meanwhile; nothing was changed: try again"
        )

    def _listing(self) -> tuple[int, list[tuple[Article, StoryHeader | None]]]:
        """The stored listing and the grouping generation it was read at. The generation
        is read first: a grouping saved between the two reads fails the next save, which
        is safe; a grouping another process saved since this grouper's drops it."""
        generation = stored_generation(self.store)
        if generation != self._generation:
            self._grouper = None  # another process (or a rebuild) regrouped since
        return generation, self.store.listing()

    def _group(
        self,
        listed: Sequence[tuple[Article, StoryHeader | None]],
        new: list[Article],
        generation: int,
        *,
        replace: bool = False,
    ) -> bool:
        """Group `new` against `listed` (read at `generation`) and save the stories that
        changed, or with `replace` every story in place of the stored ones. False (and
        nothing saved) when another process saved a grouping since `generation`."""
        assigned = {a.id: header.id for a, header in listed if header is not None}
        dated = [_day(a) for a in new if a.published is not None]
        cutoff = min(dated) - WINDOW_DAYS if dated else math.inf
        fresh = self.store.articles_by_id(a.id for a in new)
        while True:
            if self._grouper is None or cutoff < self._cutoff:
                self._restore(listed, assigned, cutoff)
            assert self._grouper is not None
            changed = self._grouper.add(fresh)
            self._held.update(a.id for a in fresh)
            now = {sid: self._grouper.story(sid) for sid in sorted(changed)}
            wider = self._wider(listed, assigned, now)
            if wider is None:
                break
            self._grouper = None  # it holds a grouping that is not the reference's
            cutoff = wider
        saved = save_grouping(
            self.store,
            [story for story in now.values() if story is not None],
            [sid for sid, story in now.items() if story is None],
            expected=generation,
            replace=replace,
        )
        if saved is None:
            self._grouper = None  # it holds what was not saved
            return False
        self._generation = saved
        return True

    def _restore(
        self,
        listed: Sequence[tuple[Article, StoryHeader | None]],
        assigned: dict[str, str],
        cutoff: float,
    ) -> None:
        """A grouper with every grouped story that has an article dated on or after
        `cutoff`, or an undated one (all undated articles are one day, day 0)."""
        live = {
            assigned[a.id]
            for a, _ in listed
            if a.id in assigned and (a.published is None or _day(a) >= cutoff)
        }
        ids = [a.id for a, _ in listed if assigned.get(a.id) in live]
        restored = self.store.articles_by_id(ids)
        self._grouper = StoryGrouper.restore(restored, {a.id: assigned[a.id] for a in restored})
        self._held = set(ids)
        self._cutoff = cutoff

    def _wider(
        self,
        listed: Sequence[tuple[Article, StoryHeader | None]],
        assigned: dict[str, str],
        now: dict[str, Story | None],
    ) -> float | None:
        """None when the grouper's result is the one a grouper holding every article
        would give; else an earlier cutoff to restore from and group again.

        Stories that only grew (by new articles, or by merging whole stories) cannot
        change any story the grouper does not hold: the clusters they grew from only got
        larger, and a larger cluster can merge with fewer, never more. A stored story that
        the new articles *split* can: its members' clusters differ from before, so a story
        left out that one of them links to may now cluster differently (see the module
        docstring). That is possible only for members within `WINDOW_DAYS` of an article
        the grouper does not hold; the cutoff then moves back to include those.
        """
        story_of = {a.id: sid for sid, story in now.items() if story for a in story.articles}
        old: dict[str, set[str]] = {}
        for article_id, sid in assigned.items():
            if sid in now:
                old.setdefault(sid, set()).add(article_id)
        split = [
            m for members in old.values() if len({story_of.get(m) for m in members}) > 1
            for m in members
        ]  # fmt: skip
        if not split:
            return None
        outside = sorted(_day(a) for a, _ in listed if a.id not in self._held)
        day = {a.id: _day(a) for a, _ in listed}
        reach = []
        for article_id in split:
            d = day[article_id]
            i = bisect.bisect_left(outside, d - WINDOW_DAYS)
            if i < len(outside) and outside[i] <= d + WINDOW_DAYS:
                reach.append(d)
        return min(reach) - WINDOW_DAYS if reach else None
