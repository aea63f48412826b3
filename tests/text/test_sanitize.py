"""clean_text / clean_line / safe_url: safety, shape, idempotence."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heraldtui.core.text.sanitize import clean_line, clean_text, safe_url

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
