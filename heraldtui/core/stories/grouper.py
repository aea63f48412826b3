"""The clustering: articles linked by the rules, merged into stories as they arrive.

Candidates come from an inverted index over `rules.index_keys` (force+topic keys, links
and entities), bounded on dense coverage (`blocks`: a key joins only articles with fewer
than `BLOCK_CAP` others of it between them): no all-pairs comparison, and each candidate
pair is judged once. Links are merged greedily, strongest first (ties by
article ids), into clusters that must keep one named force, one inspection type and
period, and a span of at most `SPAN_DAYS` (see `rules`). Since only linked articles can
end up together, each connected component of the link graph is clustered on its own;
adding articles re-clusters only the components they touch.

Restoring at start-up: `StoryGrouper.restore` reads (featurizes) every article it is given,
so a caller gives it only the stories that can change. No rule links articles further apart
than `WINDOW_DAYS`, but re-clustering a component can split a story that reaches further
back through links between old articles; `stories.index` says which stories to restore
and when to widen the window so the result equals a full regroup.

A story's id derives from its earliest article's id (`story_id`); `headlines` builds the
rest of it.
"""

from __future__ import annotations

import gc
import hashlib
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from heraldtui.core.models import Article, Story
from heraldtui.core.stories.blocks import BlockIndex
from heraldtui.core.stories.copies import Rereads
from heraldtui.core.stories.features import Features, featurize
from heraldtui.core.stories.headlines import build_story
from heraldtui.core.stories.listing import epoch_day
from heraldtui.core.stories.reading import Reading, read
from heraldtui.core.stories.rules import (
    SPAN_DAYS,
    WINDOW_DAYS,
    Key,
    fallback_keys,
    index_keys,
    judge,
)


class _Lookup(Protocol):
    """`BlockIndex.near` or `near_after`: an article's two sides in a key's block, and
    whether some were left out."""

    def __call__(
        self, idx: int, key: Key, fallback: bool = False
    ) -> tuple[Sequence[int], Sequence[int], bool]: ...


@dataclass(slots=True)
class _Cluster:
    """Articles merged so far, with what a merge must keep single (see `rules`)."""

    members: list[int]
    keys: set[str]
    subtypes: set[str]
    periods: set[str]
    first: float
    last: float

    def can_merge(self, other: _Cluster) -> bool:
        # Each set holds at most one value (a merge keeps it so): two hold at most one
        # together when either is empty or both are the same.
        return (
            (not self.keys or not other.keys or self.keys == other.keys)
            and (not self.subtypes or not other.subtypes or self.subtypes == other.subtypes)
            and (not self.periods or not other.periods or self.periods == other.periods)
            and max(self.last, other.last) - min(self.first, other.first) <= SPAN_DAYS
        )

    def merge(self, other: _Cluster) -> None:
        self.members.extend(other.members)
        self.keys |= other.keys
        self.subtypes |= other.subtypes
        self.periods |= other.periods
        self.first = min(self.first, other.first)
        self.last = max(self.last, other.last)


def story_id(article_id: str) -> str:
    """A story's id: derived from its earliest article's id, so it survives refreshes."""
    return hashlib.blake2b(f"story\x1f{article_id}".encode(), digest_size=8).hexdigest()


def article_day(article: Article) -> float:
    """An article's time in days since 1970 (UTC), 0 when undated: the time axis of every
    window here. A caller restoring a grouper picks the stories with an article within
    `WINDOW_DAYS` before the earliest new article's day."""
    return epoch_day(article.published)


def _sort_key(f: Features) -> tuple[float, str]:
    # Article.id hashes on every access: the features keep it.
    return (f.day, f.id)


def _article_order(article: Article) -> tuple[float, str]:
    return (epoch_day(article.published), article.id)


class StoryGrouper:
    """Articles grouped into stories, kept up to date as articles arrive.

    `add` links the new articles to their candidates and re-clusters only the connected
    components they touch, so `group_articles(all)` and `add` in batches agree exactly.
    `restore` rebuilds a grouper from persisted `article id -> story id` assignments
    without regrouping the history: old links are computed lazily, only when a new
    article reaches their component.
    """

    def __init__(self) -> None:
        self._feats: list[Features] = []
        self._by_id: dict[str, int] = {}
        self._order: list[tuple[float, str]] = []
        self._blocks = BlockIndex(self._order)
        self._keys: list[tuple[tuple[Key, ...], tuple[Key, ...]]] = []
        """Each article's `index_keys` and `fallback_keys`."""
        self._rereads = Rereads()
        self._adj: list[dict[int, float]] = []
        self._known: list[bool] = []
        self._story_of: dict[int, str] = {}
        self._members: dict[str, list[int]] = {}
        self._cache: dict[str, Story] = {}
        # Logical times of each article's insertion and of its `_link` (-1 before it):
        # `_link` skips pairs that the other article's `_link` already judged.
        self._clock = 0
        self._born: list[int] = []
        self._linked: list[int] = []
        # Each article's day and named force, read without its features in `_link`'s
        # loop over candidates (most are skipped by these alone).
        self._days: list[float] = []
        self._named: list[str | None] = []

    # ---------------------------------------------------------- public

    @classmethod
    def restore(cls, articles: Iterable[Article], assignments: dict[str, str]) -> StoryGrouper:
        """A grouper holding `articles` grouped as `assignments` says (article id -> story
        id, as saved by the store); articles without an assignment are grouped anew.

        Every article given is featurized: pass whole stories, only those with an
        article within `WINDOW_DAYS` (see `article_day`) before the new articles."""
        batch = list(articles)
        with _collector_paused(len(batch)):
            return cls._restore(batch, assignments)

    @classmethod
    def _restore(cls, articles: list[Article], assignments: dict[str, str]) -> StoryGrouper:
        grouper = cls()
        fresh: list[Article] = []
        groups: dict[str, list[int]] = {}
        for article in sorted(articles, key=_article_order):
            if article.id in grouper._by_id:
                continue
            if article.id not in assignments:
                fresh.append(article)
                continue
            idx = grouper._insert(article, known=False)
            groups.setdefault(assignments[article.id], []).append(idx)
        for members in groups.values():
            grouper._set_story(members)
        if fresh:
            grouper.add(fresh)
        return grouper

    def add(self, articles: Iterable[Article]) -> set[str]:
        """Group new articles; returns the ids of stories that changed, including ids that
        no longer exist because their stories merged or split. An article the grouper
        already holds is left as it is, even if its text changed: an article keeps its
        story (the store's policy, see `stories.index`)."""
        batch = list(articles)
        with _collector_paused(len(batch)):
            return self._add(batch)

    def _add(self, articles: list[Article]) -> set[str]:
        # In time order: an article dated before others of a block is the only kind that
        # can push a pair of them past the cap (`blocks`), so this keeps that rare.
        ordered = sorted(articles, key=_article_order)
        unlinked: set[int] = set()
        if not self._feats:
            # Into an empty grouper (grouping everything at once), the articles are
            # inserted and linked in time order: each pair can be judged from its
            # earlier article.
            new = self._add_whole(ordered)
        else:
            new = []
            crossed: list[tuple[int, int]] = []
            for article in ordered:
                if article.id not in self._by_id:
                    new.append(self._insert(article, known=True, crossed=crossed))
            unlinked = self._unlink_crossed(crossed)
            for idx in new:
                self._link(idx)
        changed: set[str] = set()
        done: set[int] = set()
        for seed in [*new, *sorted(unlinked)]:
            if seed in done:
                continue
            component = self._component(seed)
            done.update(component)
            changed |= self._recluster(component)
        return changed

    def _add_whole(self, ordered: list[Article]) -> list[int]:
        """Insert and link articles in time order into an empty grouper, each linked
        (`_link_later`) once every article within `WINDOW_DAYS` after it is inserted:
        then the index finds what it would find holding them all (a key joins two
        articles by those between them alone), and the readings of the articles not yet
        linked, the only ones a pair still to judge may read again (`Rereads`), are all
        the grouper keeps of them. Linking waits until `LINK_STEP_DAYS` more are in, so
        that the keys' `twins` are read once per step. Inserted in time order, no
        article comes between two others of a block: none is pushed past the cap."""
        new: list[int] = []
        days = self._days
        rereads = self._rereads
        linked = 0
        for article in ordered:
            if article.id in self._by_id:
                continue
            day = epoch_day(article.published)
            if linked < len(new) and days[new[linked]] + WINDOW_DAYS + LINK_STEP_DAYS < day:
                linked = self._link_until(new, linked, day)
            reading = read(article)
            idx = self._insert(article, known=True, reading=reading)
            rereads.hold(self._feats[idx].id, reading)
            new.append(idx)
        if linked < len(new):
            self._link_until(new, linked, math.inf)
        return new

    def _link_until(self, new: list[int], start: int, day: float) -> int:
        """`_link_later` the articles `new[start:]` whose window ends before `day` (every
        article dated up to its end is inserted), and release their readings; the
        position of the first left."""
        days = self._days
        end = start
        while end < len(new) and days[new[end]] + WINDOW_DAYS < day:
            end += 1
        # The keys' twins in the buckets these articles' lookups read (their own and the
        # two beside them).
        first = int(days[new[start]] // WINDOW_DAYS)
        last = int(days[new[end - 1]] // WINDOW_DAYS)
        twins = self._blocks.twins(range(first - 1, last + 2))
        feats = self._feats
        rereads = self._rereads
        for idx in new[start:end]:
            self._link_later(idx, twins)
            # Every pair of it is judged (those with earlier articles when they were linked).
            rereads.release(feats[idx].id)
        return end

    def stories(self) -> list[Story]:
        """Every story, newest first (by latest article), ties by id."""
        out = [self._story(sid) for sid in self._members]
        out.sort(key=lambda s: (-epoch_day(s.articles[-1].published), s.id))
        return out

    def story(self, sid: str) -> Story | None:
        return self._story(sid) if sid in self._members else None

    def assignments(self) -> dict[str, str]:
        """article id -> story id, for the store to persist."""
        feats = self._feats
        return {feats[idx].id: sid for idx, sid in self._story_of.items()}

    def __len__(self) -> int:
        return len(self._by_id)

    # ---------------------------------------------------------- internals

    def _insert(
        self,
        article: Article,
        known: bool,
        crossed: list[tuple[int, int]] | None = None,
        reading: Reading | None = None,
    ) -> int:
        feats = featurize(article, reading=reading)
        idx = len(self._feats)
        self._feats.append(feats)
        self._order.append((feats.day, feats.id))
        self._adj.append({})
        self._known.append(known)
        self._clock += 1
        self._born.append(self._clock)
        self._linked.append(-1)
        self._days.append(feats.day)
        self._named.append(feats.named)
        self._by_id[feats.id] = idx
        own = tuple(dict.fromkeys(index_keys(feats)))
        extra = tuple(dict.fromkeys(fallback_keys(feats)))
        self._keys.append((own, extra))
        pushed = self._blocks.add(idx, own, extra)
        if crossed is not None:
            crossed.extend(pushed)
        return idx

    def _joined(self, a: int, b: int) -> bool:
        """Whether the index still joins two articles (see `blocks.joins`): a key of
        theirs, or, when they share a key at all, a fallback key."""
        own_a, extra_a = self._keys[a]
        own_b, extra_b = self._keys[b]
        shared = [k for k in own_a if k in own_b]
        if not shared:
            return False
        blocks = self._blocks
        return any(blocks.within(a, b, key) for key in shared) or any(
            blocks.within(a, b, key, fallback=True) for key in extra_a if key in extra_b
        )

    def _unlink_crossed(self, crossed: list[tuple[int, int]]) -> set[int]:
        """Unlink the linked pairs the new articles pushed past the cap of a key and that
        nothing else joins now; the articles whose links changed (their stories are
        clustered again)."""
        unlinked: set[int] = set()
        for a, b in crossed:
            if b in self._adj[a] and not self._joined(a, b):
                del self._adj[a][b]
                del self._adj[b][a]
                unlinked.update((a, b))
        return unlinked

    def _f(self, idx: int) -> Features:
        return self._feats[idx]

    def _candidates(self, idx: int, keys: Sequence[Key], lookup: _Lookup) -> set[int]:
        """The articles that `keys` (of article `idx`) join it to, by `lookup` (the blocks'
        `near`, or `near_after`); where some key is crowded, also those that share a key
        at all and a fallback key within the cap."""
        candidates: set[int] = set()
        capped = False
        for key in keys:
            some, more, cut = lookup(idx, key)
            candidates.update(some)
            if more:
                candidates.update(more)
            capped = capped or cut
        if capped:
            all_keys = self._keys
            mine = set(all_keys[idx][0])
            for key in all_keys[idx][1]:
                for found in lookup(idx, key, fallback=True)[:2]:
                    for j in found:
                        if j not in candidates and not mine.isdisjoint(all_keys[j][0]):
                            candidates.add(j)
        return candidates

    def _link(self, idx: int) -> None:
        adj = self._adj[idx]
        born = self._born[idx]
        linked = self._linked
        candidates = self._candidates(idx, self._keys[idx][0], self._blocks.near)
        # Not itself, nor a pair already linked, nor one `_link(j)` judged already
        # (candidates are symmetric), which it left unlinked.
        fresh = [j for j in candidates if j != idx and j not in adj and linked[j] <= born]
        self._judge_all(idx, fresh, _judge)

    def _link_later(self, idx: int, twins: dict[Key, int]) -> None:
        """`_link` for a batch inserted into an empty grouper, whose indexes are its time
        order: each pair is judged (`_judge`, its earlier article known) when its earlier
        article is linked, so only the articles after this one are looked up. The same
        pairs as `_link`'s, since candidates are symmetric (`blocks.near_after`). A key
        whose `twins` class another key of this article has is not looked up again."""
        blocks = self._blocks
        keys = blocks.one_per_twin(self._keys[idx][0], twins)
        candidates = self._candidates(idx, keys, blocks.near_after)
        # `rules.judge` straight away: the pairs are in time order already.
        self._judge_all(idx, [j for j in candidates if j > idx], judge)

    def _judge_all(
        self,
        idx: int,
        candidates: Iterable[int],
        judging: Callable[[Features, Features, Rereads], float | None],
    ) -> None:
        """Judge article `idx` with each candidate in the window and not of another named
        force (most are skipped by these alone, read without their features), link it to
        those `judging` links it to, and note when it was linked (`_link`)."""
        feats = self._feats[idx]
        adj = self._adj[idx]
        day = feats.day
        named = feats.named
        all_feats = self._feats
        all_adj = self._adj
        rereads = self._rereads
        days = self._days
        all_named = self._named
        for j in candidates:
            if abs(days[j] - day) > WINDOW_DAYS:
                continue
            if named is not None and all_named[j] is not None and all_named[j] != named:
                continue  # two named forces: no rule links them (`link_score`'s first test)
            score = judging(feats, all_feats[j], rereads)
            if score is not None:
                adj[j] = score
                all_adj[j][idx] = score
        self._clock += 1
        self._linked[idx] = self._clock

    def _component(self, seed: int) -> list[int]:
        seen = {seed}
        stack = [seed]
        while stack:
            idx = stack.pop()
            if not self._known[idx]:
                self._known[idx] = True
                self._link(idx)
            for j in self._adj[idx]:
                if j not in seen:
                    seen.add(j)
                    stack.append(j)
        return sorted(seen)

    def _recluster(self, component: list[int]) -> set[str]:
        if len(component) == 1 and component[0] not in self._story_of:
            # A new article linked to nothing (most of them): its own story, which is
            # what the general path below gives, without its bookkeeping.
            return {self._set_story(component)}
        before = {idx: self._story_of.get(idx) for idx in component}
        clusters: dict[int, _Cluster] = {}
        owner: dict[int, int] = {}
        for idx in component:
            f = self._f(idx)
            clusters[idx] = _Cluster(
                [idx],
                {f.named} if f.named else set(),
                {f.subtype} if f.subtype else set(),
                {f.period} if f.period else set(),
                f.day,
                f.day,
            )
            owner[idx] = idx
        # Strongest first, ties by article ids (a total order: one link per pair).
        links: list[tuple[float, str, str, int, int]] = []
        feats = self._feats
        for i in component:
            id_i = feats[i].id
            for j, score in self._adj[i].items():
                if i < j:
                    id_j = feats[j].id
                    if id_i < id_j:
                        links.append((-score, id_i, id_j, i, j))
                    else:
                        links.append((-score, id_j, id_i, i, j))
        links.sort()
        for _, _, _, i, j in links:
            ri, rj = owner[i], owner[j]
            if ri == rj or not clusters[ri].can_merge(clusters[rj]):
                continue
            if len(clusters[ri].members) < len(clusters[rj].members):
                ri, rj = rj, ri
            for m in clusters[rj].members:
                owner[m] = ri
            clusters[ri].merge(clusters.pop(rj))
        old_ids = {sid for sid in before.values() if sid is not None}
        old_members = {sid: list(self._members.get(sid, [])) for sid in old_ids}
        comp = set(component)
        for sid in old_ids:
            self._members.pop(sid, None)
            self._cache.pop(sid, None)
        for idx in component:
            self._story_of.pop(idx, None)
        new_ids: set[str] = set()
        for cluster in clusters.values():
            new_ids.add(self._set_story(cluster.members))
        # Members of old stories outside the component (restored groupings) stay together.
        for members in old_members.values():
            rest = [m for m in members if m not in comp]
            if rest:
                new_ids.add(self._set_story(rest))
        changed: set[str] = set()
        for sid in old_ids | new_ids:
            if sorted(old_members.get(sid, [])) != sorted(self._members.get(sid, [])):
                changed.add(sid)
        return changed

    def _set_story(self, members: list[int]) -> str:
        earliest = min(members, key=lambda m: _sort_key(self._f(m)))
        sid = story_id(self._f(earliest).id)
        existing = self._members.get(sid)
        if existing is not None:
            members = sorted(set(existing) | set(members))
        self._members[sid] = sorted(members)
        for m in members:
            self._story_of[m] = sid
        self._cache.pop(sid, None)
        return sid

    def _story(self, sid: str) -> Story:
        cached = self._cache.get(sid)
        if cached is None:
            feats = sorted((self._f(m) for m in self._members[sid]), key=_sort_key)
            cached = build_story(sid, feats)
            self._cache[sid] = cached
        return cached


def _judge(a: Features, b: Features, rereads: Rereads) -> float | None:
    """Two articles' link, whichever of them the grouper holds first: `rules.judge`, the
    earlier one (by day, then id) first, as grouping at once has always judged them."""
    if (b.day, b.id) < (a.day, a.id):
        a, b = b, a
    return judge(a, b, rereads)


def group_articles(articles: Sequence[Article]) -> list[Story]:
    """Every article in exactly one story; newest story first, articles oldest first."""
    grouper = StoryGrouper()
    # One pause for both, the grouper dropped inside it: the collector's first pass after
    # a pause reads every object made during it, and without the grouper's those are
    # only the stories (measured: a tenth of a 10,000-article grouping).
    with _collector_paused(len(articles)):
        grouper.add(articles)
        stories = grouper.stories()
        del grouper
    return stories


LINK_STEP_DAYS = 15.0
"""Grouping everything at once links the articles this many days at a time (see
`StoryGrouper._add_whole`): longer steps read the keys' twins less often and keep more
readings."""

GC_PAUSE_BATCH = 1000
"""Batches at least this large run with the cyclic garbage collector paused."""


@contextmanager
def _collector_paused(size: int) -> Iterator[None]:
    """Pause Python's cyclic collector during a large batch. Grouping allocates a few
    long-lived containers per article (features, sets, index lists), and each time their
    number grows the collector rescans all of them: measured, 10-15 % of a 10,000-article
    grouping. Nothing here makes reference cycles that need it, and it runs again (with
    its usual thresholds) as soon as the batch ends."""
    if size < GC_PAUSE_BATCH or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
