"""The lexicon: each vocabulary loads, is well formed, and the patterns built from it match."""

from __future__ import annotations

import re

from heraldtui.core.facts.areas import grade_key
from heraldtui.core.read.lexicon import (
    CASED_ROLES,
    GENERIC_MEETING_NAMES,
    GRADE_PATTERN,
    GRADE_SPELLINGS,
    GUARDED_MEETING_NOUNS,
    MEETING_NOUNS,
    PLAIN_MEETING_NOUNS,
    ROLES,
    SHORT_FORMS,
    SPEECH_VERBS,
    TITLE_WORDS,
    TITLES,
    noun_alternation,
    word_set,
)


def test_role_table_is_lower_case_phrases_with_labels() -> None:
    assert ROLES["chief constable"] == "Chief Constable"
    assert ROLES["pcc"] == "Police and Crime Commissioner"
    assert all(phrase == phrase.lower() and label for phrase, label in ROLES.items())
    assert all(abbr.isupper() for abbr in CASED_ROLES)


def test_titles_are_written_as_before_a_surname() -> None:
    assert TITLES[:2] == ("Mr", "Mrs")
    assert all(t[:1].isupper() and " " not in t for t in TITLES)
    assert {t.lower() for t in TITLES} == TITLE_WORDS


def test_short_forms_pair_a_short_name_with_a_longer_one() -> None:
    assert ("tom", "thomas") in SHORT_FORMS
    assert all(short != full and short.islower() and full.islower() for short, full in SHORT_FORMS)


def test_meeting_nouns_split_into_plain_and_guarded() -> None:
    assert set(PLAIN_MEETING_NOUNS) | GUARDED_MEETING_NOUNS == set(MEETING_NOUNS)
    assert not set(PLAIN_MEETING_NOUNS) & GUARDED_MEETING_NOUNS
    assert "meeting" in GENERIC_MEETING_NAMES


def test_noun_alternation_tries_longer_phrases_first_and_reads_loose_spacing() -> None:
    pattern = re.compile(rf"\b(?:{noun_alternation(['q&a', 'question time', 'panel'])})\b", re.I)
    assert pattern.search("a Q & A with the chief")
    assert pattern.search("at question  time tonight")
    assert pattern.fullmatch("Panel")


def test_every_grade_spelling_is_a_prose_grade_and_a_cell_grade() -> None:
    prose = re.compile(rf"\b{GRADE_PATTERN}\b", re.IGNORECASE)
    for spelling, key in GRADE_SPELLINGS.items():
        assert prose.fullmatch(spelling), spelling
        assert grade_key(spelling.upper()) == key


def test_speech_verbs_and_word_sets() -> None:
    assert {"said", "told", "added"} <= SPEECH_VERBS
    assert word_set(" a  b\nc ") == {"a", "b", "c"}
