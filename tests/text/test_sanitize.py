"""clean_text / clean_line / safe_url: safety, shape, idempotence."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heraldtui.core.text.escape import node_text
from heraldtui.core.text.sanitize import (
    INVISIBLE_FILLERS,
    clean_line,
    clean_text,
    for_terminal,
    safe_url,
)

ESC = "\x1b"


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        (f"{ESC}[1;31mRed{ESC}[0m text", "Red text"),
        (f"a{ESC}]8;;https://evil.example/{ESC}\\link{ESC}]8;;{ESC}\\ b", "alink b"),
        (f"copy{ESC}]52;c;cm0gLXJmIH4={ESC}\\ me", "copy me"),
        (f"bell{ESC}]52;c;cm0gLXJmIH4=\x07 ok", "bell ok"),
        (f"cut{ESC}]52;c;cm0gLXJmIH4= never ends", "cut"),
        (f"dcs{ESC}Pq#0;2;0;0;0{ESC}\\ done", "dcs done"),
        (f"reset{ESC}c now {ESC}(B{ESC}7saved", "reset now saved"),
        ("eight\x9b31mbit\x9b0m", "eightbit"),
        ("osc8\x9d8;;http://x/\x9chere", "osc8here"),
        ("lone\x9dintroducer", "loneintroducer"),
        ("nul\x00bell\x07bs\x08del\x7fc1\x85nel", "nulbellbsdelc1\nnel"),
        ("abc\u202eevil\u202c \u2066iso\u2069", "abcevil iso"),
        ("keep\u200emarks\u200f", "keep\u200emarks\u200f"),
        ("soft\u00adhyphen zero\u200bwidth \ufeffbom", "softhyphen zerowidth bom"),
        ("nbsp\u00a0\u00a0and\u2009thin\u3000wide\ttab", "nbsp and thin wide tab"),
        ("cafe\u0301", "café"),
        ("para one\r\n\r\n\r\n\r\npara two\rline", "para one\n\npara two\nline"),
        ("  lines  \n  indented   words  \n", "lines\n  indented words"),
        ("one\u2028two\u2029three", "one\ntwo\n\nthree"),
        ("tag\U000e0041\U000e0042 smuggled", "tag smuggled"),
        (
            "flag \U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f ok",
            "flag \U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f ok",
        ),
        ("lone \ud800 surrogate", "lone surrogate"),
        ("", ""),
    ],
)
def test_clean_text(raw: str, want: str) -> None:
    assert clean_text(raw) == want


def test_clean_line_folds_everything_onto_one_line() -> None:
    assert (
        clean_line("  Police\n\n chief\tquestioned\u00a0again  ") == "Police chief questioned again"
    )


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=80))
def test_clean_text_is_idempotent_and_safe(raw: str) -> None:
    once = clean_text(raw)
    assert clean_text(once) == once
    assert clean_line(clean_line(raw)) == clean_line(raw)
    assert unicodedata.is_normalized("NFC", once)
    for ch in once:
        code = ord(ch)
        assert code >= 0x20 or ch == "\n", repr(ch)
        assert not 0x7F <= code <= 0x9F, repr(ch)
        assert not 0x202A <= code <= 0x202E and not 0x2066 <= code <= 0x2069
    assert once == once.strip()
    assert "\n\n\n" not in once


@pytest.mark.parametrize(
    ("href", "base", "want"),
    [
        ("/a", "https://s.example/x/", "https://s.example/a"),
        ("b c(d)", "https://s.example/x/", "https://s.example/x/b%20c%28d%29"),
        ("mailto:desk@s.example", None, "mailto:desk@s.example"),
        ("javascript:alert(1)", "https://s.example/", None),
        ("JaVaScRiPt:alert(1)", None, None),
        ("data:text/html;base64,xx", None, None),
        ("java\x00script:alert(1)", None, None),
        ("https://s.example/<script>", None, "https://s.example/%3Cscript%3E"),
        ("https://s.example/a\\", None, "https://s.example/a%5C"),
        ("", None, None),
        (None, None, None),
    ],
)
def test_safe_url(href: str | None, base: str | None, want: str | None) -> None:
    assert safe_url(href, base) == want


# issue 17: invisible fillers survived cleaning (they are printable, so the fast path
# passed them): a title of U+3164 looked empty, two titles differing by one looked alike.
@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("Police\u3164Scotland", "Police Scotland"),  # Hangul filler: a blank cell
        ("\u3164", ""),
        ("half\uffa0width", "half width"),  # halfwidth Hangul filler
        ("braille\u2800blank", "braille blank"),
        ("\u2800\u2800", ""),
        ("choseong\u115ffiller", "choseongfiller"),
        ("jungseong\u1160filler", "jungseongfiller"),
        ("grapheme\u034fjoiner", "graphemejoiner"),
        ("khmer\u17b4\u17b5vowels", "khmervowels"),
        ("mongolian\u180b\u180c\u180d\u180fselectors", "mongolianselectors"),
        ("vowel\u180eseparator", "vowel separator"),
        ("word\u2060joiner \u2061\u2062\u2063\u2064math", "wordjoiner math"),
        ("deprecated\u206a\u206fformat", "deprecatedformat"),
        ("musical\U0001d173\U0001d17abeam", "musicalbeam"),
        ("bom\ufeffinside", "bominside"),
        ("zero\u200bwidth", "zerowidth"),
        ("Con\u200dstable \u200cSmith\u200d", "Constable Smith"),
        ("ends\u200d\u200d", "ends"),
        # Emoji sequences keep their joiners: a family, a rainbow flag, a police officer.
        (
            "\U0001f468\u200d\U0001f469\u200d\U0001f467",
            "\U0001f468\u200d\U0001f469\u200d\U0001f467",
        ),
        ("\U0001f3f3\ufe0f\u200d\U0001f308 flag", "\U0001f3f3\ufe0f\u200d\U0001f308 flag"),
        ("\U0001f46e\u200d\u2640\ufe0f officer", "\U0001f46e\u200d\u2640\ufe0f officer"),
        # Between letters beyond ASCII (Persian, Indic) they are spelling: kept.
        (
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
            "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
        ),
        # A joiner that blocked composition goes, and what it kept apart composes.
        ("e\u200d\u0301", "\u00e9"),
    ],
)
def test_invisible_fillers_and_loose_joiners_go(raw: str, want: str) -> None:
    assert clean_text(raw) == want
    assert clean_text(want) == want


@pytest.mark.parametrize("filler", sorted(INVISIBLE_FILLERS))
def test_every_filler_goes_everywhere_text_is_cleaned(filler: str) -> None:
    assert filler not in clean_text(f"a{filler}b c")
    assert filler not in clean_line(f"title {filler}")
    assert filler not in node_text(f"caf\u00e9 {filler}x")
    assert clean_line(filler * 3) == ""


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("plain name: 3 new of 9 items", "plain name: 3 new of 9 items"),
        ("Caf\u00e9 \U0001f46e", "Caf\u00e9 \U0001f46e"),
        ("evil\u202eyxt.exe", "evil\\u202eyxt.exe"),
        ("a\u2066b\u2069c\u200e\u200f\u061c", "a\\u2066b\\u2069c\\u200e\\u200f\\u061c"),
        ("esc\x1b[2Jbell\x07", "esc\\x1b[2Jbell\\x07"),
        ("csi\x9b2J", "csi\\x9b2J"),
        ("two\nlines\ttab", "two\\nlines\\ttab"),
        ("filler\u3164\u2800", "filler\\u3164\\u2800"),
        ("tag\U000e0041", "tag\\U000e0041"),
    ],
)
def test_for_terminal_escapes_what_a_terminal_would_obey_or_hide(raw: str, want: str) -> None:
    assert for_terminal(raw) == want
