"""Text sketches: a copy is found from a few dozen hashes, two write-ups are told apart."""

from __future__ import annotations

import random

from heraldtui.core.text.sketch import SHINGLE_WORDS, SKETCH_SIZE, containment, sketch

WORDS = (
    "constable panel report county officers station village road bridge market evening "
    "council budget patrol river school harbour volunteers lantern orchard ferry quarry "
    "meadow chapel bakery signal tunnel canal garden museum library"
).split()


def prose(seed: int, count: int) -> list[str]:
    """`count` words of invented prose in sentences of ten, the same for the same seed."""
    pick = random.Random(seed)
    words = [pick.choice(WORDS) for _ in range(count)]
    return [" ".join(words[i : i + 10]) + "." for i in range(0, count, 10)]


def test_a_short_text_is_sketched_whole_and_compared_exactly() -> None:
    lines = ["The ferry to the harbour runs again from Monday morning."]
    small = sketch(lines)
    assert small.shingles == 10 - SHINGLE_WORDS + 1 == len(small.hashes)
    assert containment(small, small) == 1.0
    assert sketch(["Too short."]).shingles == 0
    assert containment(sketch(["Too short."]), small) == 0.0


def test_a_long_text_keeps_only_its_smallest_hashes() -> None:
    long = sketch(prose(1, 600))
    assert long.shingles > SKETCH_SIZE == len(long.hashes)
    assert list(long.hashes) == sorted(long.hashes)


def test_lines_run_on_so_a_paragraph_split_differently_is_the_same_text() -> None:
    text = prose(2, 80)
    joined = [" ".join(text)]
    assert sketch(text) == sketch(joined)


def test_a_shortened_copy_is_contained_in_its_original() -> None:
    original = prose(3, 500)
    copy = [*original[:30], "An added line from the outlet that ran the copy."]
    assert containment(sketch(original), sketch(copy)) > 0.8
    assert containment(sketch(copy), sketch(original)) > 0.8  # symmetric


def test_two_different_texts_share_almost_nothing() -> None:
    assert containment(sketch(prose(4, 400)), sketch(prose(5, 400))) < 0.1


def test_the_estimate_follows_the_true_share_of_shingles() -> None:
    """Half the sentences shared: about half the shingles, within the sketch's error."""
    shared = prose(6, 300)
    a = sketch(shared + prose(7, 300))
    b = sketch(shared + prose(8, 300))
    assert 0.3 < containment(a, b) < 0.7
