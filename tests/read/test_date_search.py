"""The date forms that start with a word (`_MONTH_DAY`, `_RELATIVE`, `_BARE_WEEKDAY`) are
found by a search that skips to their first words (`dates._AtWords`): it must find
exactly what the pattern's own `finditer` finds, on any text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from heraldtui.core.read import dates

_PIECES = (
    "on",
    "one",
    "upon",
    "monday",
    "mondays",
    "tuesday",
    "sunday",
    "sun",
    "saturday",
    "friday",
    "next",
    "nextday",
    "coming",
    "last",
    "this",
    "yesterday",
    "tonight",
    "today",
    "tomorrow",
    "night",
    "evening",
    "afternoon",
    "morning",
    "the",
    "of",
    "may",
    "mayor",
    "march",
    "sept",
    "sep",
    "dec",
    "december",
    "jan",
    "x",
    "7",
    "12",
    "3rd",
    "2025",
    "1999",
    "-",
    ".",
    ",",
)
_SEPARATORS = (" ", "  ", "\n", "\n\n", ", ", ". ", "", "-", "(", "'", "’")


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_SEPARATORS)), max_size=14))
def test_the_word_search_finds_what_the_pattern_finds(parts: list[tuple[str, str]]) -> None:
    text = "".join(word + sep for word, sep in parts)
    for found in (dates._MONTH_DAY, dates._RELATIVE, dates._BARE_WEEKDAY):
        expected = [(m.span(), m.groups()) for m in re.finditer(found.pattern, text)]
        assert [(m.span(), m.groups()) for m in found.finditer(text)] == expected


def test_the_word_search_reads_dates_in_running_text() -> None:
    text = "on monday the panel met; next tuesday, 3 march and march 4 2025 too. upon sunday"
    for found in (dates._MONTH_DAY, dates._RELATIVE, dates._BARE_WEEKDAY):
        expected = [m.span() for m in found.pattern.finditer(text)]
        assert expected
        assert [m.span() for m in found.finditer(text)] == expected
