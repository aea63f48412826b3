"""An article read once (`reading.read`) and kept, as `copies.Rereads` keeps it, gives the
same features and shingles as reading its text again, with or without paragraphs left
out: the re-readings of same-outlet pairs rely on it."""

from __future__ import annotations

from dataclasses import fields

import pytest

from heraldtui.core.models import Article
from heraldtui.core.stories.copies import Rereads, full_shingles, reading_shingles
from heraldtui.core.stories.features import Features, featurize
from heraldtui.core.stories.reading import read
from tests.stories.grouping_set import ARTICLES


def _fields(f: Features) -> dict[str, object]:
    return {field.name: getattr(f, field.name) for field in fields(f)}


def _excludes(article: Article) -> list[frozenset[int]]:
    """Nothing left out, each paragraph alone, and all but the first."""
    hashes = read(article).hashes
    return [frozenset(), *(frozenset({h}) for h in hashes), frozenset(hashes[1:])]


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.id)
def test_a_kept_reading_gives_what_reading_again_gives(article: Article) -> None:
    reading = read(article)
    for exclude in _excludes(article):
        assert _fields(featurize(article, exclude, reading)) == _fields(featurize(article, exclude))
        assert reading_shingles(reading, exclude) == full_shingles(article, exclude)


def test_rereads_keep_a_few_readings_and_give_the_same_answers() -> None:
    rereads = Rereads(features=4, shingles=4, readings=2)
    feats = [featurize(a) for a in ARTICLES[:12]]
    for _ in range(2):  # the second pass reads again what the small tables let go
        for f in feats:
            for exclude in _excludes(f.article):
                assert _fields(rereads.features(f, exclude)) == _fields(
                    featurize(f.article, exclude)
                )
                assert rereads.shingles(f, exclude) == full_shingles(f.article, exclude)
