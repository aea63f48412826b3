"""Stories kept in the store, so a start-up lists them without analysing any text.

Grouping an article means reading it (forces, dates, names, shingles): a few hundred
microseconds each, which is seconds for a large history. So the grouping's decisions are
stored (`stories` headers and `story_assignments`) and a listing is rebuilt from them in
one pass. Only articles without a stored story are grouped, by a `StoryGrouper` that is
restored with just the stories that can still change: those with an article inside the
linking window (`WINDOW_DAYS`) before the earliest new article. Older stories cannot link
to the new articles, so they are neither read nor regrouped.

An article whose text changes after it was grouped keeps its story; grouping from
scratch (`group_articles`) remains the reference the incremental path is tested against.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence

from heraldtui.core.grouping import WINDOW_DAYS, StoryGrouper
from heraldtui.core.grouping import article_day as _day
from heraldtui.core.models import Article, Story
from heraldtui.core.store import Store, StoryHeader


class StoryIndex:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._grouper: StoryGrouper | None = None
        self._cutoff = math.inf
        """The grouper holds every story with an article on or after this day."""
        self._lock = threading.Lock()

    def stories(self, keep: Callable[[Article], bool] = lambda article: True) -> list[Story]:
        """The stored articles that `keep` accepts, grouped into stories, newest first.

        Articles without a stored story are grouped first (and their stories stored).
        Grouping always sees every stored article, kept or not: a story must not split
        because one of its feeds is left out of the feeds file for a while.
        """
        with self._lock:
            # A refresh may store articles while this runs: group what is new, list again,
            # and leave anything that arrived after the last pass to the next listing.
            listed = self.store.listing()
            for _ in range(3):
                new = [a for a, header in listed if header is None]
                if not new:
                    break
                self._group(listed, new)
                listed = self.store.listing()
        members: dict[str, list[Article]] = {}
        headers: dict[str, StoryHeader] = {}
        for article, header in listed:
            if header is None or not keep(article):
                continue
            group = members.get(header.id)
            if group is None:
                members[header.id] = [article]
                headers[header.id] = header
            else:
                group.append(article)
        keyed = []
        for sid, group in members.items():
            _, title, kind, force = headers[sid]
            if len(group) > 1:
                group.sort(key=lambda a: (_day(a), a.id))
            story = Story(sid, title, kind, force, tuple(group))
            keyed.append((-_day(group[-1]), sid, story))
        keyed.sort(key=lambda k: (k[0], k[1]))
        return [story for _, _, story in keyed]

    def _group(
        self, listed: Sequence[tuple[Article, StoryHeader | None]], new: list[Article]
    ) -> None:
        articles = [a for a, _ in listed]
        assigned = {a.id: header.id for a, header in listed if header is not None}
        dated = [_day(a) for a in new if a.published is not None]
        cutoff = min(dated) - WINDOW_DAYS if dated else math.inf
        fresh = {a.id for a in new}
        if self._grouper is None or cutoff < self._cutoff:
            live = {
                assigned[a.id]
                for a in articles
                if a.id not in fresh and (a.published is None or _day(a) >= cutoff)
            }
            ids = [a.id for a in articles if a.id not in fresh and assigned.get(a.id) in live]
            restored = self.store.articles_by_id(ids)
            self._grouper = StoryGrouper.restore(restored, {a.id: assigned[a.id] for a in restored})
            self._cutoff = min(cutoff, self._cutoff)
        changed = self._grouper.add(self.store.articles_by_id(a.id for a in new))
        now = [(sid, self._grouper.story(sid)) for sid in sorted(changed)]
        self.store.save_stories(
            [story for _, story in now if story is not None],
            removed=[sid for sid, story in now if story is None],
        )
