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
force's meeting day) within the cap of that key's own block.

Where no key has `BLOCK_CAP` articles between two of its articles within `WINDOW_DAYS`
(every set and fixture we have, and the realistic benchmark at 50,000 articles), this is
exactly "share a key within the window". Whether a key joins two articles depends only on
the articles dated between them, so grouping everything at once and in batches agree: an
article inserted between two others (dated before articles already held) can push that
pair past the cap, and `add` returns such pairs for the grouper to unlink.

Each key's articles are kept in lists per `WINDOW_DAYS` bucket, sorted by (day, id), so
the articles within the window of one are in its bucket and the two beside it, and the
nearest ones are found by position without scanning the block.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from heraldtui.core.stories.rules import BLOCK_CAP, WINDOW_DAYS, Key


class BlockIndex:
    """Articles (by index) under their keys, in time order within each key's block."""

    __slots__ = ("_lists", "_order")

    def __init__(self, order: Sequence[tuple[float, str]]) -> None:
        self._order = order
        """(day, id) of each article index: the time order of every block."""
        self._lists: dict[tuple[Key, int], list[int]] = {}

    def _position(self, members: list[int], idx: int) -> int:
        return bisect_left(members, self._order[idx], key=self._order.__getitem__)

    def add(self, idx: int, keys: Sequence[Key]) -> list[tuple[int, int]]:
        """Index `idx` under `keys`; return the pairs it pushed past `BLOCK_CAP` (only an
        article dated before others of a block can)."""
        bucket = int(self._order[idx][0] // WINDOW_DAYS)
        crossed: list[tuple[int, int]] = []
        order = self._order
        for key in keys:
            members = self._lists.setdefault((key, bucket), [])
            if not members or order[members[-1]] < order[idx]:
                members.append(idx)  # the latest of its bucket, as most articles come
                at = len(members) - 1
            else:
                at = self._position(members, idx)
                members.insert(at, idx)
            if at + 1 < len(members) or (key, bucket + 1) in self._lists:
                before, after = self._around(key, bucket, members, at)
                # Pairs that had BLOCK_CAP - 1 articles between them now have BLOCK_CAP.
                for k in range(max(0, len(before) - BLOCK_CAP), len(before)):
                    partner = BLOCK_CAP - (len(before) - k)
                    if partner < len(after):
                        crossed.append((before[k], after[partner]))
        return crossed

    def near(self, idx: int, key: Key) -> tuple[Sequence[int], Sequence[int], bool]:
        """The articles `key` joins `idx` to that may be within the window, in two parts
        (`idx` may be among them; the index's own lists, to read, not to change), and
        whether the cap left some out."""
        bucket = int(self._order[idx][0] // WINDOW_DAYS)
        lists = self._lists
        members = lists[(key, bucket)]
        earlier: Sequence[int] = lists.get((key, bucket - 1), ())
        later: Sequence[int] = lists.get((key, bucket + 1), ())
        if len(members) + len(earlier) + len(later) <= BLOCK_CAP + 1:
            if not earlier and not later:
                return members, (), False
            return members, [*earlier, *later], False
        before, after = self._around(key, bucket, members, self._position(members, idx))
        return before, after, True

    def _around(
        self, key: Key, bucket: int, members: list[int], at: int
    ) -> tuple[list[int], list[int]]:
        """Up to `BLOCK_CAP` articles of the block on each side of `members[at]`, nearest
        last in the first list and first in the second."""
        before = members[max(0, at - BLOCK_CAP) : at]
        if len(before) < BLOCK_CAP:
            earlier = self._lists.get((key, bucket - 1))
            if earlier:
                before = earlier[len(earlier) - (BLOCK_CAP - len(before)) :] + before
        after = members[at + 1 : at + 1 + BLOCK_CAP]
        if len(after) < BLOCK_CAP:
            later = self._lists.get((key, bucket + 1))
            if later:
                after += later[: BLOCK_CAP - len(after)]
        return before, after

    def within(self, a: int, b: int, key: Key) -> bool:
        """Whether fewer than `BLOCK_CAP` articles of `key`'s block lie between `a` and `b`
        (both indexed under it, at most `WINDOW_DAYS` apart)."""
        if self._order[b] < self._order[a]:
            a, b = b, a
        first = int(self._order[a][0] // WINDOW_DAYS)
        last = int(self._order[b][0] // WINDOW_DAYS)
        head = self._lists[(key, first)]
        at_a = self._position(head, a)
        if first == last:
            return self._position(head, b) - at_a <= BLOCK_CAP
        between = len(head) - at_a - 1
        for bucket in range(first + 1, last):
            between += len(self._lists.get((key, bucket), ()))
        return between + self._position(self._lists[(key, last)], b) < BLOCK_CAP
