"""html_to_text: entities decoded once, blocks as lines, scripts and styles gone."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from heraldtui.core.text import html_text
from heraldtui.core.text.html_text import html_to_text
from heraldtui.core.text.sanitize import clean_text


@pytest.mark.parametrize(
    ("html", "want"),
    [
        ("Fish &amp;amp; chips", "Fish &amp; chips"),
        ("PCC&#8217;s &lt;b&gt;plan&lt;/b&gt;", "PCC’s <b>plan</b>"),
        ("<b>Bold</b> and <i>italic</i>", "Bold and italic"),
        ("<p>One</p><p>Two<br>lines</p>", "One\n\nTwo\nlines"),
        ("<ul><li>a</li><li>b</li></ul>", "- a\n- b"),
        ("x < y &amp; y > z", "x < y & y > z"),
        ("<script>alert(1)</script>Safe<style>p{}</style>", "Safe"),
        ("plain text only", "plain text only"),
        ("<p>  spaced \n\n  out  </p>", "spaced out"),
    ],
)
def test_html_to_text(html: str, want: str) -> None:
    assert html_to_text(html) == want


_PIECES = st.sampled_from(
    ["<p>", "</p>", "word", " ", "  ", "\n", "\t", "\r", "\xa0", "a > b", "café", "x", "\u2028"]
)


def _parsed(html: str) -> str:
    """html_to_text by the HTML parser, without the one-pass path for paragraph marks."""
    parser = html_text._TextParser()
    parser.feed(html)
    parser.close()
    return clean_text(html_text._LINE_EDGES.sub("\n", "".join(parser.parts)))


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_text_with_bare_paragraph_marks_reads_as_the_parser_reads_it(html: str) -> None:
    assume("<" in html)
    assert html_text._PARAGRAPH_MARKS.fullmatch(html)
    assert html_to_text(html) == _parsed(html)


def test_a_teaser_cut_from_paragraphs_takes_the_one_pass_path() -> None:
    teaser = "<p>charged stevenage court " + "police " * 40 + "</p><p>more wor"
    assert html_text._PARAGRAPH_MARKS.fullmatch(teaser)
    assert html_to_text(teaser) == _parsed(teaser)
    assert not html_text._PARAGRAPH_MARKS.fullmatch("<p>a &amp; b</p>")  # the parser's
    assert not html_text._PARAGRAPH_MARKS.fullmatch("<p>cut at a tag</")
