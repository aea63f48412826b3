"""Near copies (rule 1): how much of one article's wording another holds.

Rule 1 measures the share of the smaller article's 5-word shingles that the other holds
(`containment`). On dense coverage many pairs reach that check (their content words and
entities agree: every article of a feed uses the same vocabulary and towns), and an
article's shingle set is large (a 500-word article has about 500), so neither keeping the
sets nor a shared cache of them scales: a cache smaller than the articles compared in turn
is emptied before it is reused.

So each article keeps a **signature**, read once when a pair first needs it: how many
shingles it has and which of 4,096 buckets they fall in (their hash's low bits, a 512-byte
number). Two signatures bound the shingles two articles share from above: at most one per
bucket both use, plus, for buckets holding several shingles of an article, those extra
shingles of the article with fewer of them. A pair whose bound is under
`COPY_CONTAINMENT` cannot be a copy and is never compared in full (for two unrelated
500-word articles the bound is about 0.15); the rest, copies mostly, are compared exactly
as before, from shingles read again. Two articles of one outlet judged without the
paragraphs they share have other shingles: those are always compared in full.

Two articles of one outlet are also judged by the other rules without the paragraphs they
share (`rules.link_score`), which means reading each again without them. A `Rereads` keeps
the last few such readings (features and shingles) for a grouper: on a feed whose every
item ends with the same paragraph, one article meets many of its outlet's neighbours, with
the same paragraphs left out each time, and the pairs judged are near in time, so the
last 2,048 readings of features (512 of shingle sets, which are larger) serve them all: on
the dense benchmark an article is read again about 1.7 times, the least its distinct sets
of shared paragraphs allow.

Each reading starts from the article's `reading.Reading` (its paragraphs, their words and
hashes, read once): grouping everything at once hands each article's over (`hold`) and
drops it once every pair of the article is judged, so no article is read twice; otherwise
the last 512 are kept, so an article read again with other paragraphs left out, or for
its shingles, is not split into paragraphs and words again.
"""

from __future__ import annotations

import zlib
from collections import OrderedDict
from typing import TypeVar

from heraldtui.core.models import Article
from heraldtui.core.stories.features import Features, featurize
from heraldtui.core.stories.reading import WORD, Reading, clean_paragraphs, paragraph_hash, read

SHINGLE = 5
"""Words per shingle, the unit a near copy (rule 1) is measured in."""
COPY_CONTAINMENT = 0.5
"""Share of the smaller article's shingles the other must hold to be its copy (rule 1)."""
_BUCKET_BYTES = 512
"""The signature's size: 512 bytes, 4,096 buckets."""

_TOKEN_HASH: dict[str, int] = {}


def _token_hash(token: str) -> int:
    value = _TOKEN_HASH.get(token)
    if value is None:
        value = zlib.crc32(token.encode())
        if len(_TOKEN_HASH) < 500_000:
            _TOKEN_HASH[token] = value
    return value


def _shingles(tokens: list[str]) -> set[int]:
    """Hashes of every 5-word window, the same in every run: the window's tuple of its
    words' CRC-32s, hashed as Python hashes tuples of ints (which, unlike a string's hash,
    does not change between runs), all of it at C speed."""
    known = _TOKEN_HASH
    if len(known) < 500_000:
        for token in set(tokens).difference(known):
            known[token] = zlib.crc32(token.encode())
        h = list(map(known.__getitem__, tokens))
    else:
        h = [_token_hash(t) for t in tokens]
    return set(map(hash, zip(h, h[1:], h[2:], h[3:], h[4:], strict=False)))


def full_shingles(article: Article, exclude: frozenset[int] = frozenset()) -> set[int]:
    """All shingles of an article's text, without its paragraphs whose hashes are in
    `exclude`. Read from the text each time: callers keep what they need (`signature`)."""
    paras, _ = clean_paragraphs(article.text)
    if exclude:
        paras = [p for p in paras if paragraph_hash(p) not in exclude]
    return _shingles(WORD.findall(" ".join(paras).lower()))


def reading_shingles(reading: Reading, exclude: frozenset[int]) -> set[int]:
    """`full_shingles` from an article's `Reading` (its paragraphs' words, read once)."""
    return _shingles(
        [
            token
            for h, tokens in zip(reading.hashes, reading.tokens, strict=True)
            if h not in exclude
            for token in tokens
        ]
    )


def signature(f: Features, shingles: set[int] | None = None) -> tuple[int, int]:
    """An article's shingle count and bucket bits, read on first use (from `shingles`,
    its shingles if the caller has them) and kept."""
    if f.shingle_count < 0:
        if shingles is None:
            shingles = full_shingles(f.article)
        bits = bytearray(_BUCKET_BYTES)
        for h in shingles:
            bits[(h >> 3) & (_BUCKET_BYTES - 1)] |= 1 << (h & 7)
        f.shingle_bits = int.from_bytes(bits, "little")
        f.shingle_count = len(shingles)
    return f.shingle_count, f.shingle_bits


_T = TypeVar("_T")
_K = TypeVar("_K")
_Reread = tuple[str, frozenset[int]]
"""An article's id and the paragraphs left out."""


class Rereads:
    """Articles read again without some of their paragraphs: the last few readings of
    each kind (`features` of them, `shingles` shingle sets, which are larger), by article
    and paragraphs left out."""

    def __init__(self, features: int = 2048, shingles: int = 512, readings: int = 512) -> None:
        self._features: OrderedDict[_Reread, Features] = OrderedDict()
        self._shingles: OrderedDict[_Reread, set[int]] = OrderedDict()
        self._readings: OrderedDict[str, Reading] = OrderedDict()
        self._sizes = (features, shingles, readings)
        self._held: dict[str, Reading] = {}
        """Readings a caller holds here until it `release`s them (`hold`)."""

    def hold(self, article_id: str, reading: Reading) -> None:
        """Keep an article's `Reading` (read for its features) until `release`: a caller
        that knows which articles may still be judged (grouping everything at once, in
        time order) so never reads one twice, and keeps only those."""
        self._held[article_id] = reading

    def release(self, article_id: str) -> None:
        self._held.pop(article_id, None)

    def features(self, f: Features, exclude: frozenset[int]) -> Features:
        key = (f.id, exclude)
        found = self._features.get(key)
        if found is None:
            found = featurize(f.article, exclude, self._reading(f))
            self._keep(self._features, key, found, self._sizes[0])
        else:
            self._features.move_to_end(key)
        return found

    def shingles(self, f: Features, exclude: frozenset[int]) -> set[int]:
        key = (f.id, exclude)
        found = self._shingles.get(key)
        if found is None:
            found = reading_shingles(self._reading(f), exclude)
            self._keep(self._shingles, key, found, self._sizes[1])
        else:
            self._shingles.move_to_end(key)
        return found

    def _reading(self, f: Features) -> Reading:
        """The article's `Reading`: one is read again with other paragraphs left out, or
        for its shingles, while its neighbours in time are judged."""
        found = self._held.get(f.id)
        if found is not None:
            return found
        found = self._readings.get(f.id)
        if found is None:
            found = read(f.article)
            self._keep(self._readings, f.id, found, self._sizes[2])
        else:
            self._readings.move_to_end(f.id)
        return found

    @staticmethod
    def _keep(memo: OrderedDict[_K, _T], key: _K, value: _T, size: int) -> None:
        memo[key] = value
        if len(memo) > size:
            memo.popitem(last=False)


def may_be_copies(a: Features, b: Features, rereads: Rereads | None = None) -> bool:
    """False when the signatures show that under `COPY_CONTAINMENT` of the smaller
    article's shingles are in the other (whole articles, no paragraph left out): a cheap
    test, so rule 1 runs it before its others."""
    if rereads is not None:  # an article read for its signature is read for its copy
        for f in (a, b):
            if f.shingle_count < 0:
                signature(f, rereads.shingles(f, frozenset()))
    count_a, bits_a = signature(a)
    count_b, bits_b = signature(b)
    if not count_a or not count_b:
        return False
    extra_a = count_a - bits_a.bit_count()
    extra_b = count_b - bits_b.bit_count()
    shared_at_most = (bits_a & bits_b).bit_count() + min(extra_a, extra_b)
    return shared_at_most >= COPY_CONTAINMENT * min(count_a, count_b)


def containment(
    a: Features,
    b: Features,
    exclude: frozenset[int],
    rereads: Rereads | None = None,
    *,
    checked: bool = False,
) -> float:
    """The share of the smaller article's shingles the other holds, without the
    paragraphs in `exclude`; a value under `COPY_CONTAINMENT` when the signatures show it
    is under it (the exact value matters only from there up; `checked`: the caller found
    `may_be_copies` true already)."""
    if not exclude and not checked and not may_be_copies(a, b, rereads):
        return 0.0
    if rereads is not None:
        sa, sb = rereads.shingles(a, exclude), rereads.shingles(b, exclude)
    else:
        sa, sb = full_shingles(a.article, exclude), full_shingles(b.article, exclude)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))
