"""The candidate index: which articles are ever compared, bounded on dense coverage.

Two articles are compared only when they share a key (`rules.index_keys`: force and
topic, links, entities, opening words) within `WINDOW_DAYS` of each other. On dense local
coverage one key can be shared by thousands of articles in a window (every item of a
force's feed names the same towns): comparing them all is quadratic, and a key that common
says nothing about which event an article reports. So a key joins two articles only while
fewer than `BLOCK_CAP` articles with that key lie between them in time order (`within`):
each article meets the `BLOCK_CAP` nearest on either side of it in each of its keys'
blocks (`near`). Rarer keys of the same two articles still meet them (a defendant's name,
a meeting's link), and a pair that only a crowded key joins is still compared when it
shares a specific key (`rules.fallback_keys`: its first long paragraph word for word, a
force's meeting day) with fewer than `CROWD_MIN` of that key between them (a copy follows
its original closely; a lead paragraph a template repeats is a crowd of its own).

A key can also be crowded without reaching the cap: a force's own feed names its towns in
every item, dozens a day, and a key that common is no evidence that two articles report
one event, however near they are. So a key whose articles come faster than `CROWD_RATE` a
day between two articles, with at least `CROWD_MIN` of them there, does not join those two
either (`joins`): such a key meets only the `CROWD_MIN` nearest on each side. Fewer than
`CROWD_MIN` between always join (a burst of one event's reports within hours). Both rules
count only the key's articles between the two, so adding articles can only take joins
away, never add one.

Where no key has `CROWD_MIN` articles between two of its articles within `WINDOW_DAYS`
faster than `CROWD_RATE` a day, nor `BLOCK_CAP` at all (every set and fixture we have, and
the realistic benchmark up to 1,500 articles; from 10,000 its busiest towns pass
`BLOCK_CAP` in 45 days, never `CROWD_RATE`), this is exactly "share a key within the
window". Whether a key joins two articles depends only on the articles dated between
them, so grouping everything at once and in batches agree: an article inserted between
two others (dated before articles already held) can push that pair out of `joins`, and
`add` returns such pairs for the grouper to unlink.

Each key's articles are kept in lists per `WINDOW_DAYS` bucket, sorted by (day, id), so
the articles within the window of one are in its bucket and the two beside it, and the
nearest ones are found by position without scanning the block.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Sequence
from itertools import chain

from heraldtui.core.stories.rules import BLOCK_CAP, CROWD_MIN, CROWD_RATE, WINDOW_DAYS, Key


def joins(between: int, gap: float, cap: int) -> bool:
    """Whether a key joins two articles `gap` days apart with `between` of its articles
    between them: fewer than `cap`, and fewer than `CROWD_MIN` or no faster than
    `CROWD_RATE` a day."""
    return between < cap and (between < CROWD_MIN or between <= CROWD_RATE * gap)


def _cap(fallback: bool) -> int:
    """A key's cap: `BLOCK_CAP`, or `CROWD_MIN` for a fallback key (read when called, so
    that a test can lower either)."""
    return CROWD_MIN if fallback else BLOCK_CAP


class BlockIndex:
    """Articles (by index) under their keys, in time order within each key's block."""

    __slots__ = ("_at", "_crowded", "_days", "_last", "_lists", "_order", "_rushed")

    def __init__(self, order: Sequence[tuple[float, str]]) -> None:
        self._order = order
        """(day, id) of each article index: the time order of every block."""
        self._days: list[float] = []
        """The day of each article index added so far (`_order`'s, read without a tuple)."""
        self._last: dict[int, tuple[list[int], float, int, list[int]]] = {}
        """The last `_kept` on each side (way): its side, day, cap and result. An article's
        keys often have the same neighbours (every item of a force's feed naming the same
        towns), and then the same articles are kept."""
        self._at = 0
        """The last position `near` found: an article's keys with the same neighbours
        have it at the same place in their blocks."""
        self._lists: dict[tuple[Key, int], list[int]] = {}
        self._crowded: dict[int, list[Key]] = {}
        """The keys with more than `BLOCK_CAP` articles in each bucket (`twins`)."""
        self._rushed: set[Key] = set()
        """Keys that ever had two articles `joins` kept apart by `CROWD_RATE`: only their
        blocks need reading article by article in `near`."""

    def _position(self, members: list[int], idx: int) -> int:
        return bisect_left(members, self._order[idx], key=self._order.__getitem__)

    def add(
        self, idx: int, keys: Sequence[Key], fallback: Sequence[Key] = ()
    ) -> list[tuple[int, int]]:
        """Index `idx` under `keys` and its `fallback` keys; return the pairs it may have
        pushed out of `joins` (only an article dated before others of a block can)."""
        order = self._order
        days = self._days
        while len(days) <= idx:
            days.append(order[len(days)][0])
        day = days[idx]
        bucket = int(day // WINDOW_DAYS)
        crossed: list[tuple[int, int]] = []
        lists = self._lists
        rushed = self._rushed
        place = order[idx]
        sized = [(k, BLOCK_CAP) for k in keys]
        sized += [(k, CROWD_MIN) for k in fallback]
        for key, cap in sized:
            members = lists.get((key, bucket))
            if members is None:
                members = lists[(key, bucket)] = [idx]
                at = 0
            else:
                if order[members[-1]] < place:
                    members.append(idx)  # the latest of its bucket, as most articles come
                    at = len(members) - 1
                else:
                    at = self._position(members, idx)
                    members.insert(at, idx)
                if len(members) == BLOCK_CAP + 1:
                    self._crowded.setdefault(bucket, []).append(key)
            before: list[int] | None = None
            if at + 1 < len(members) or (key, bucket + 1) in lists:
                before, after = self._around(key, bucket, members, at, cap)
                pushed = list(self._crossed(before, after, cap))
                if pushed:
                    crossed.extend(pushed)
                    rushed.add(key)
            elif at <= CROWD_MIN and (key, bucket - 1) not in lists:
                continue  # the latest, with under CROWD_MIN + 1 before it: none in a rush
            if key not in rushed and self._rush(key, bucket, members, at, cap, before):
                rushed.add(key)
        return crossed

    def _rush(
        self,
        key: Key,
        bucket: int,
        members: list[int],
        at: int,
        cap: int,
        before: list[int] | None,
    ) -> bool:
        """Whether `joins` keeps the article at `members[at]` from a neighbour by
        `CROWD_RATE` (`before`: its `_around`, if read)."""
        order = self._order
        day = order[members[at]][0]
        if before is None and at + 1 == len(members):
            # The latest of its block, as most are: only the article CROWD_MIN places
            # before it can tell (if it is far enough, all before it are).
            n = CROWD_MIN + 1
            if at >= n:
                far: int | None = members[at - n]
            else:
                earlier = self._lists.get((key, bucket - 1), ())
                far = earlier[len(earlier) - (n - at)] if len(earlier) >= n - at else None
            if far is None or CROWD_RATE * (day - order[far][0]) >= cap:
                return False
        before, after = self._around(key, bucket, members, at, cap)
        return len(self._kept(before, day, cap, -1)) < len(before) or len(
            self._kept(after, day, cap, 1)
        ) < len(after)

    def _crossed(self, before: list[int], after: list[int], cap: int) -> Iterator[tuple[int, int]]:
        """The pairs on either side of a new article that one more article between them
        may have pushed out of `joins` (every pair that now has `cap` between, and those
        from `CROWD_MIN` up that now come faster than `CROWD_RATE` a day)."""
        order = self._order
        low = min(cap, CROWD_MIN)
        for m, x in enumerate(reversed(before)):  # m articles between x and the new one
            day = order[x][0]
            for p, y in enumerate(after[: cap - m]):
                between = m + p + 1
                if between >= low and not joins(between, order[y][0] - day, cap):
                    yield x, y

    def near(
        self, idx: int, key: Key, fallback: bool = False
    ) -> tuple[Sequence[int], Sequence[int], bool]:
        """The articles `key` (a `fallback` key or not) joins `idx` to that may be within
        the window, in two parts (`idx` may be among them; the index's own lists, to read,
        not to change), and whether `joins` left some out."""
        cap = _cap(fallback)
        bucket = int(self._order[idx][0] // WINDOW_DAYS)
        lists = self._lists
        members = lists[(key, bucket)]
        earlier: Sequence[int] = lists.get((key, bucket - 1), ())
        later: Sequence[int] = lists.get((key, bucket + 1), ())
        total = len(members) + len(earlier) + len(later)
        if total <= (cap if key not in self._rushed else min(cap, CROWD_MIN)) + 1:
            # every article of the three buckets is near enough (and none in a rush)
            if not earlier and not later:
                return members, (), False
            return members, [*earlier, *later], False
        at = self._at
        if at >= len(members) or members[at] != idx:
            at = self._at = self._position(members, idx)
        # `_around`, from the buckets read above
        before = members[max(0, at - cap) : at]
        if len(before) < cap and earlier:
            before = [*earlier[max(0, len(earlier) - (cap - len(before))) :], *before]
        after = members[at + 1 : at + 1 + cap]
        if len(after) < cap and later:
            after += later[: cap - len(after)]
        day = self._days[idx]
        kept_before = self._kept(before, day, cap, -1)
        kept_after = self._kept(after, day, cap, 1)
        cut = total > cap + 1 or len(kept_before) < len(before) or len(kept_after) < len(after)
        return kept_before, kept_after, cut

    def twins(self, buckets: range) -> dict[Key, int]:
        """Keys indexed under the same articles as another in `buckets`, by class (an
        article's eight towns on a force's own feed), among keys with one of those buckets
        over `BLOCK_CAP` (reading the others is cheap): `near` and `near_after` give the
        same for every key of a class, for the articles of every bucket but the first and
        last (a lookup reads its bucket and the two beside it). Their articles are the same
        now, so they were after each insertion. Whether they are `_rushed` may differ (by
        a rush in an earlier bucket), which changes only how a lookup reads their blocks:
        neither is in a rush there."""
        lists = self._lists
        crowded: dict[Key, list[tuple[int, list[int]]]] = {
            key: [] for b in buckets for key in self._crowded.get(b, ())
        }
        for key, found in crowded.items():
            for bucket in buckets:
                block = lists.get((key, bucket))
                if block is not None:
                    found.append((bucket, block))
        classes: dict[tuple[int, ...], list[Key]] = {}
        for key, found in crowded.items():
            articles = tuple(chain.from_iterable(members for _, members in found))
            classes.setdefault(articles, []).append(key)
        return {key: n for n, keys in enumerate(classes.values()) if len(keys) > 1 for key in keys}

    @staticmethod
    def one_per_twin(keys: Sequence[Key], twins: dict[Key, int]) -> Sequence[Key]:
        """`keys` without those whose `twins` class an earlier one has."""
        if not twins:
            return keys
        seen: set[int] = set()
        out: list[Key] = []
        for key in keys:
            twin = twins.get(key)
            if twin is None:
                out.append(key)
            elif twin not in seen:
                seen.add(twin)
                out.append(key)
        return out

    def near_after(
        self, idx: int, key: Key, fallback: bool = False
    ) -> tuple[Sequence[int], Sequence[int], bool]:
        """`near`'s articles that come after `idx` in the block's time order, where a
        caller judges each pair from its earlier article (grouping everything at once):
        the same two parts, of which only the articles after `idx` are meant (the first
        may hold some before it, where reading all is cheaper: a caller skips them), and
        whether `joins` left out some after it (or the block is over the cap). The side
        before `idx` is not read."""
        cap = _cap(fallback)
        bucket = int(self._order[idx][0] // WINDOW_DAYS)
        lists = self._lists
        members = lists[(key, bucket)]
        later: Sequence[int] = lists.get((key, bucket + 1), ())
        total = len(members) + len(later) + len(lists.get((key, bucket - 1), ()))
        if total <= (cap if key not in self._rushed else min(cap, CROWD_MIN)) + 1:
            return members, later, False
        at = self._at
        if at >= len(members) or members[at] != idx:
            at = self._at = self._position(members, idx)
        after = members[at + 1 : at + 1 + cap]
        if len(after) < cap and later:
            after += later[: cap - len(after)]
        kept_after = self._kept(after, self._days[idx], cap, 1)
        return (), kept_after, total > cap + 1 or len(kept_after) < len(after)

    def _kept(self, side: list[int], day: float, cap: int, way: int) -> list[int]:
        """The articles of `side` (nearest first when `way` is 1, last when -1) that
        `joins` keeps: all with fewer than `CROWD_MIN` between, the others only where the
        key comes at `CROWD_RATE` a day or slower."""
        n = len(side)
        crowd = CROWD_MIN
        if n <= crowd:
            return side
        last_side, last_day, last_cap, last_kept = self._last.get(way, ((), -1.0, 0, []))
        if last_day == day and last_cap == cap and last_side == side:
            return last_kept
        kept = self._keep(side, day, cap, way)
        self._last[way] = (side, day, cap, kept)
        return kept

    def _keep(self, side: list[int], day: float, cap: int, way: int) -> list[int]:
        """`_kept`, read from the days."""
        n = len(side)
        crowd = CROWD_MIN
        days = self._days
        rate = CROWD_RATE
        if way < 0:
            # The one CROWD_MIN places away is far enough: so are all past it.
            if rate * (day - days[side[-1 - crowd]]) >= cap:
                return side
            if rate * (day - days[side[0]]) < crowd:
                return side[-crowd:]  # even the farthest is too near: past them crowd
            side = side[::-1]
        else:
            if rate * (days[side[crowd]] - day) >= cap:
                return side
            if rate * (days[side[-1]] - day) < crowd:
                return side[:crowd]
        # `joins(m, gap, cap)` for the article m places on: the gap grows with m, so the
        # farthest one's bounds every gap (past m > that, none joins), and once one is
        # far enough for every m left (and under the cap), so are all after it.
        kept = side[:crowd]
        last = min(n, cap) - 1
        ahead = way > 0  # the gap to a later article, else from an earlier one
        farthest = rate * (days[side[-1]] - day if ahead else day - days[side[-1]])
        for m in range(crowd, last + 1):
            if m > farthest:
                break
            j = side[m]
            reach = rate * (days[j] - day if ahead else day - days[j])
            if reach >= last:
                kept.extend(side[m : last + 1])
                break
            if m <= reach:
                kept.append(j)
        return kept

    def _around(
        self, key: Key, bucket: int, members: list[int], at: int, cap: int
    ) -> tuple[list[int], list[int]]:
        """Up to `cap` articles of the block on each side of `members[at]`, nearest last
        in the first list and first in the second."""
        before = members[max(0, at - cap) : at]
        if len(before) < cap:
            earlier = self._lists.get((key, bucket - 1))
            if earlier:
                before = earlier[max(0, len(earlier) - (cap - len(before))) :] + before
        after = members[at + 1 : at + 1 + cap]
        if len(after) < cap:
            later = self._lists.get((key, bucket + 1))
            if later:
                after += later[: cap - len(after)]
        return before, after

    def within(self, a: int, b: int, key: Key, fallback: bool = False) -> bool:
        """Whether `key` joins `a` and `b` (`joins`, by the articles of its block between
        them; both indexed under it, at most `WINDOW_DAYS` apart)."""
        if self._order[b] < self._order[a]:
            a, b = b, a
        first = int(self._order[a][0] // WINDOW_DAYS)
        last = int(self._order[b][0] // WINDOW_DAYS)
        head = self._lists[(key, first)]
        at_a = self._position(head, a)
        gap = self._order[b][0] - self._order[a][0]
        if first == last:
            return joins(self._position(head, b) - at_a - 1, gap, _cap(fallback))
        between = len(head) - at_a - 1
        for bucket in range(first + 1, last):
            between += len(self._lists.get((key, bucket), ()))
        return joins(between + self._position(self._lists[(key, last)], b), gap, _cap(fallback))
