"""html_to_markdown / tag_to_markdown: shapes, entities, safe links, inert literal markup."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heraldtui.core.text.html_markdown import html_to_markdown
from heraldtui.core.text.html_text import html_to_text
from heraldtui.core.text.prose import plain_text
from heraldtui.core.text.sanitize import clean_text
from tests.text.rendering import by_markdownify, render

# Each conversion test runs with the fast walker on and off: both must give this text.
both_paths = pytest.mark.parametrize("fast", [True, False], ids=["fast", "plain"])


@both_paths
@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab <>/&;#pli\n\x1b[]\u00a0")), max_size=60))
def test_html_conversions_never_raise_and_are_clean(fast: bool, raw: str) -> None:
    text = html_to_text(raw)
    assert clean_text(text) == text
    markdown = html_to_markdown(raw, fast=fast)
    assert clean_text(markdown) == markdown


@both_paths
def test_html_to_markdown_shapes(fast: bool) -> None:
    html = (
        "<h1>Title</h1><h3>Sub</h3><p>Para with <strong>bold</strong>, <em>em</em> and"
        " a <a href='/x/y_z'>link</a>.</p><ol><li>first</li><li>second</li></ol>"
        "<ul><li>Area: Good<ul><li>nested</li></ul></li></ul>"
        "<blockquote><p>Quoted words</p></blockquote>"
        "<p>Line<br/>break</p><p><img src='a.png' alt='Alt words'><img src='b.png'></p>"
        "<iframe src='https://video.example/'>frame</iframe><noscript>enable js</noscript>"
        "<p>snake_case * star https://u.example/a_b_c</p>"
    )
    md = html_to_markdown(html, "https://site.example/news/", fast=fast)
    assert md.splitlines()[:3] == ["# Title", "", "### Sub"]
    assert "Para with **bold**, *em* and a [link](https://site.example/x/y_z)." in md
    assert "1. first\n2. second" in md
    assert "- Area: Good\n  - nested" in md
    assert "> Quoted words" in md
    assert "Line\nbreak" in md
    assert "Alt words" in md and ".png" not in md
    assert "frame" not in md and "enable js" not in md
    assert "snake\\_case \\* star https://u.example/a_b_c" in md


@both_paths
def test_html_to_markdown_decodes_entities_once_and_strips_escapes(fast: bool) -> None:
    md = html_to_markdown("<p>Tom &amp;amp; Jerry &#8220;quoted&#8221; \x1b[31mred</p>", fast=fast)
    # The literal `&amp;` is escaped, or a Markdown renderer would show it as `&`.
    assert md == "Tom \\&amp; Jerry “quoted” red"


@both_paths
def test_html_to_markdown_of_nothing(fast: bool) -> None:
    assert html_to_markdown("", fast=fast) == ""
    assert html_to_markdown("  <p> </p> ", fast=fast) == ""


@pytest.mark.parametrize(
    "html",
    [
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; ![pixel](https://t.example/p.gif)</p>",
        "<p>[x](javascript:alert(1)) &lt;https://t.example/&gt; &lt;img src=x&gt;</p>",
        "<p>&lt;<span>script</span>&gt; &lt;<b>img</b> src=x&gt;</p>",
        "<p>Look!<a href='https://t.example/'>here</a> \\\\!<a href='https://t.example/'>x</a></p>",
        "<p><img alt='![a](https://t.example/)' src='p.png'> <img alt='<script>' src='p'></p>",
        "<p>a\x1b[0m&lt;script&gt; b&lt;\x1b[0mscript&gt; \\\x1b\\[c](https://t.example/)</p>",
        "<p>&gt; not a quote</p><p>&#96;&#96;&#96;</p>",
        "<table><tr><td>&lt;iframe&gt; [x](https://t.example/)</td></tr></table>",
        "<pre>x\n```\n&lt;script&gt;alert(1)&lt;/script&gt;\n```</pre><p>after</p>",
        "<p><code>`</code>&lt;script&gt;<code>`</code></p>",
    ],
)
def test_html_to_markdown_keeps_literal_markup_inert(html: str) -> None:
    for md in (html_to_markdown(html, "https://s.example/"), by_markdownify(html, None)):
        rendered = render(md)
        assert not re.search(r"<(img|script|iframe|blockquote)\b", rendered), (html, md)
        assert all(
            href == "https://t.example/" for href in re.findall(r'<a href="([^"]*)"', rendered)
        ), (html, md)


@both_paths
def test_links_from_elements_stay_links_and_text_stays_text(fast: bool) -> None:
    md = html_to_markdown(
        "<p>See [1] <a href='/r_1'>the report</a>! <a href='https://t.example/a_b'>"
        "https://t.example/a_b</a> &lt;b&gt;</p>",
        "https://s.example/x/",
        fast=fast,
    )
    assert md == r"See \[1\] [the report](https://s.example/r_1)! <https://t.example/a_b> \<b>"
    assert render(md).count("<a href=") == 2


@both_paths
def test_a_fence_inside_pre_cannot_close_the_code_block(fast: bool) -> None:
    md = html_to_markdown("<pre>x\n```\n&lt;script&gt;\n````</pre><p>after</p>", fast=fast)
    assert md.startswith("`````\nx\n```\n<script>\n````\n`````")
    assert "<script>" not in render(md).replace("&lt;script&gt;", "")


@both_paths
def test_plain_text_removes_the_escapes_the_extractors_meet(fast: bool) -> None:
    md = html_to_markdown(
        "<p>Fire &amp; Rescue at 10.30am: [1] snake_case `tick` C:\\dir</p><p>&gt; 50 people</p>",
        fast=fast,
    )
    assert (
        plain_text(md) == "Fire & Rescue at 10.30am: [1] snake_case `tick` C:\\dir\n\n> 50 people"
    )


@both_paths
def test_plain_text_removes_every_escape(fast: bool) -> None:
    md = html_to_markdown("<p>&lt;b&gt; Tom &amp;amp; Jerry *z*</p>", fast=fast)
    assert plain_text(md) == "<b> Tom &amp; Jerry *z*"


@both_paths
@pytest.mark.parametrize("start", ["½", "٣", "-2", "x"])
def test_odd_list_starts_number_from_one(start: str, fast: bool) -> None:
    html = f'<ol start="{start}"><li>First</li><li>Second</li></ol>'
    assert html_to_markdown(html, fast=fast) == "1. First\n2. Second"
    assert html_to_markdown(html + "<table><tr><td>x</td></tr></table>", fast=fast).startswith(
        "1. First\n2. Second"
    )  # the table sends this one through markdownify even when `fast`
