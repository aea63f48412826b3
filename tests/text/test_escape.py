"""escape_markdown / unescape_markdown / text_to_markdown: literal text stays literal."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from heraldtui.core.text.escape import escape_markdown, text_to_markdown, unescape_markdown
from tests.text.rendering import live


@pytest.mark.parametrize(
    "prose",
    [
        "It's 10.30am at Fire & Rescue HQ; well-known “quotes” and 'marks'.",
        "Help! 5 > 3 and 2 < 4, a <= b, x <- y, Q&A, AT&T, R&D; 50% (approx.)",
        "Chief Supt. O'Neil - the force's head - said: \"We're ready.\"",
    ],
)
def test_escape_markdown_leaves_ordinary_prose_alone(prose: str) -> None:
    assert escape_markdown(prose) == prose


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("![pixel](https://t.example/p.gif)", r"!\[pixel\](https://t.example/p.gif)"),
        ("[x](javascript:alert(1))", r"\[x\](javascript:alert(1))"),
        ("<script>alert(1)</script>", r"\<script>alert(1)\</script>"),
        ("<https://t.example/> <!-- c --> <?php", r"\<https://t.example/> \<!-- c --> \<?php"),
        ("ends with <", r"ends with \<"),
        ("Tom &amp; Jerry &#60; &#x3c;", r"Tom \&amp; Jerry \&#60; \&#x3c;"),
        ("`code` and C:\\dir", r"\`code\` and C:\\dir"),
        ("*bold* snake_case", r"\*bold\* snake\_case"),
        ("> not a quote\n  > nor this\na > b", "\\> not a quote\n  \\> nor this\na > b"),
        ("[ref]: https://t.example/", r"\[ref\]: https://t.example/"),
    ],
)
def test_escape_markdown_escapes_what_would_be_markup(text: str, want: str) -> None:
    assert escape_markdown(text) == want
    assert unescape_markdown(want) == text


_LINE = st.lists(
    st.sampled_from(
        [
            *"ab!<>[]()&;#*_`\\/:?=\"'.",
            *("img", "script", "https://t.example/", "&amp;", "&#60;", "&lt;", "&D;"),
            *("<a href=x>", "<", "&"),
        ]
    ),
    min_size=1,
    max_size=12,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=3).map(" ".join))
def test_escaped_text_renders_as_itself(text: str) -> None:
    text = " ".join(text.split())
    escaped = escape_markdown(text)
    inline = str(MarkdownIt("commonmark").renderInline(escaped))
    shown = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert inline == shown.replace('"', "&quot;"), (text, escaped)


def test_text_to_markdown_escapes_plain_text_and_keeps_urls_whole() -> None:
    raw = "\x1b[31m![pixel](https://t.example/p.gif)\x1b[0m <script>x</script>\r\nsee https://t.example/a_b"
    md = text_to_markdown(raw)
    assert (
        md
        == "!\\[pixel\\](https://t.example/p.gif) \\<script>x\\</script>\nsee https://t.example/a_b"
    )
    assert live(md) == set()
