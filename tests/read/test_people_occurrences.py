"""Later mentions of a full name are found by a substring search with the regex's word
edges (no word character or hyphen either side): the same places as that regex."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from heraldtui.core.read.people import _whole_occurrences

PIECES = st.sampled_from(
    ["Jane Roe", "Jane Roe", "Roe", " ", "-", "_", "é", "1", "x", ".", ",", "\n", "’", "Jane"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(PIECES, max_size=12).map("".join), st.sampled_from(["Jane Roe", "Roe", "Jane"]))
def test_whole_occurrences_match_the_regex(text: str, name: str) -> None:
    expected = [m.start() for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)]
    assert list(_whole_occurrences(text, name)) == expected


def test_glued_and_hyphenated_names_are_not_whole() -> None:
    text = "Jane Roe-Smith met Jane Roes and Jane Roe, then Jane Roe."
    assert list(_whole_occurrences(text, "Jane Roe")) == [33, 48]
