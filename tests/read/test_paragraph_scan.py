"""Force mentions and entities are read paragraph by paragraph, each paragraph kept
(`forces.scan_paragraphs`, `features._entities`): they must be exactly what reading the
whole body (the paragraphs joined by blank lines) gives, on any paragraphs, including
those that end in a word and so may run on into the next ("By Wolds Police")."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from heraldtui.core.read.forces import joined_where_open, scan_mentions, scan_paragraphs
from heraldtui.core.stories.features import _entities

_PIECES = (
    "Wolds",
    "Kent",
    "Thames Valley",
    "Police",
    "police",
    "Constabulary",
    "Service",
    "service",
    "force",
    "Federation",
    "Fire",
    "and",
    "or",
    "&",
    "Crime",
    "Commissioner",
    "PCC",
    "Office",
    "the",
    "Met",
    "Station",
    "for",
    "of",
    "Chief",
    "Constable",
    "Louise",
    "Darby",
    "Haltonburn",
    "Community",
    "Centre",
    "said",
    "officers",
    "Panel",
    "By",
    "Mr",
    "it's",
    "Kent's",
)
_SEPARATORS = (" ", " ", ". ", ", ", ": ", " - ", " (", ") ", " ‘", "’ ", ' "', '" ', "")
_ENDS = ("", ".", ",", "-", "&", "’", '"', ")", ":", "?")


def _paragraphs(
    pieces: tuple[str, ...], separators: tuple[str, ...], longest: int
) -> st.SearchStrategy[str]:
    """Paragraphs of up to `longest` pieces, each followed by a separator, and one of
    `_ENDS` at the end."""
    return st.builds(
        lambda words, end: ("".join(w + s for w, s in words).strip() + end).strip() or "x",
        st.lists(st.tuples(st.sampled_from(pieces), st.sampled_from(separators)), max_size=longest),
        st.sampled_from(_ENDS),
    )


def _as_read(paragraphs: list[str]) -> tuple[list[str], str]:
    """The paragraphs as `reading` makes them (whitespace collapsed, none empty), and the
    whole body they make."""
    paras = [" ".join(p.split()) for p in paragraphs if p.split()]
    return paras, "\n\n".join(paras)


@settings(max_examples=500, deadline=None)
@given(st.lists(_paragraphs(_PIECES, _SEPARATORS, 10), min_size=1, max_size=5))
def test_paragraphs_read_apart_give_what_the_whole_body_gives(paragraphs: list[str]) -> None:
    paras, body = _as_read(paragraphs)
    assert scan_paragraphs(paras) == scan_mentions(body)
    assert _entities(joined_where_open(paras), set()) == _entities([body], set())
    assert "\n\n".join(joined_where_open(paras)) == body


_NAMES = ("Ashby", "Brill", "Cotham", "Dunmere", "Police", "Fire", "Kent", "Louise Darby")
_LIST_SEPARATORS = (", ", ", and ", " and ", " or ", " & ", ". ", " said ", ",", " ")


@settings(max_examples=300, deadline=None)
@given(st.lists(_paragraphs(_NAMES, _LIST_SEPARATORS, 8), min_size=1, max_size=4))
def test_lists_read_apart_are_the_lists_of_the_whole_body(paragraphs: list[str]) -> None:
    """Names in a row (`features.LIST_NAMES`), within a paragraph or run on from one that
    ends in a comma or a word into the next."""
    paras, body = _as_read(paragraphs)
    assert _entities(joined_where_open(paras), set()) == _entities([body], set())


def test_a_paragraph_that_ends_in_a_word_is_read_with_the_next() -> None:
    paras = ["Statement from Wolds Police", "Service users were told.", "It ended."]
    assert joined_where_open(paras) == [
        "Statement from Wolds Police\n\nService users were told.",
        "It ended.",
    ]
    assert scan_paragraphs(paras) == scan_mentions("\n\n".join(paras))
