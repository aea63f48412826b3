"""html_to_text: entities decoded once, blocks as lines, scripts and styles gone."""

from __future__ import annotations

import pytest

from heraldtui.core.text.html_text import html_to_text


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
