"""clean_text / clean_line / html_to_text / html_to_markdown: safety, shape, idempotence."""

from __future__ import annotations

import json
import re
import unicodedata
import warnings

import pytest
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from heraldtui.core.text.clean import (
    _fast_markdown,
    clean_line,
    clean_text,
    escape_markdown,
    html_to_markdown,
    html_to_text,
    safe_url,
    tag_to_markdown,
    text_to_markdown,
    unescape_markdown,
)
from heraldtui.core.text.prose import plain_text
from tests.support.paths import SHARED

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


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab <>/&;#pli\n\x1b[]\u00a0")), max_size=60))
def test_html_conversions_never_raise_and_are_clean(raw: str) -> None:
    text = html_to_text(raw)
    assert clean_text(text) == text
    markdown = html_to_markdown(raw)
    assert clean_text(markdown) == markdown


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


def test_html_to_markdown_shapes() -> None:
    html = (
        "<h1>Title</h1><h3>Sub</h3><p>Para with <strong>bold</strong>, <em>em</em> and"
        " a <a href='/x/y_z'>link</a>.</p><ol><li>first</li><li>second</li></ol>"
        "<ul><li>Area: Good<ul><li>nested</li></ul></li></ul>"
        "<blockquote><p>Quoted words</p></blockquote>"
        "<p>Line<br/>break</p><p><img src='a.png' alt='Alt words'><img src='b.png'></p>"
        "<iframe src='https://video.example/'>frame</iframe><noscript>enable js</noscript>"
        "<p>snake_case * star https://u.example/a_b_c</p>"
    )
    md = html_to_markdown(html, "https://site.example/news/")
    assert md.splitlines()[:3] == ["# Title", "", "### Sub"]
    assert "Para with **bold**, *em* and a [link](https://site.example/x/y_z)." in md
    assert "1. first\n2. second" in md
    assert "- Area: Good\n  - nested" in md
    assert "> Quoted words" in md
    assert "Line\nbreak" in md
    assert "Alt words" in md and ".png" not in md
    assert "frame" not in md and "enable js" not in md
    assert "snake\\_case \\* star https://u.example/a_b_c" in md


def test_html_to_markdown_decodes_entities_once_and_strips_escapes() -> None:
    md = html_to_markdown("<p>Tom &amp;amp; Jerry &#8220;quoted&#8221; \x1b[31mred</p>")
    # The literal `&amp;` is escaped, or a Markdown renderer would show it as `&`.
    assert md == "Tom \\&amp; Jerry “quoted” red"


def test_html_to_markdown_of_nothing() -> None:
    assert html_to_markdown("") == ""
    assert html_to_markdown("  <p> </p> ") == ""


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


# -- the fast HTML-to-Markdown path agrees with markdownify ------------------------------


def _by_markdownify(html: str, base_url: str | None) -> str:
    """The converter of record: BeautifulSoup + markdownify, as before the fast path."""
    if not html or not html.strip():
        return ""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(html, "html.parser")
    return tag_to_markdown(soup, base_url)


_WORDS = st.sampled_from(
    [
        "Police",
        "said",
        "the panel",
        "snake_case",
        "*star*",
        "a_b",
        "[x]",
        "2.",
        "#",
        "-",
        "&amp;",
        "&lt;b&gt;",
        "&nbsp;",
        "&#8217;",
        "&#x2019;",
        "&quot;",
        "café",
        "£5",
        "https://u.example/a_b",
        "> q",
        " ",
        "  ",
        "\n",
        "\t",
        " \n ",
        "x*y",
    ]
)
_ATTRS = st.sampled_from(
    [
        "",
        ' class="c"',
        " href='/p/a_b?x=1&amp;y=2'",
        ' href="https://u.example/a_b"',
        ' href="javascript:alert(1)"',
        ' href=""',
        " title='t'",
        ' alt="Alt words"',
        ' start="3"',
        " start=''",
        ' href="mailto:desk@example.org"',
        " data-x",
    ]
)
_INLINE = ["b", "strong", "em", "i", "a", "span"]
_BLOCK = ["p", "div", "blockquote", "h1", "h2", "h4", "h6", "ul", "ol", "li"]


def _fragment(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    element = st.builds(
        lambda tag, attrs, inner, gap: f"<{tag}{attrs}>{inner}</{tag.upper() if gap else tag}>",
        st.sampled_from(_INLINE + _BLOCK),
        _ATTRS,
        children,
        st.booleans(),
    )
    void = st.sampled_from(["<br>", "<br/>", "<br />", "<hr>", "<img alt='pic' src='p.png'>"])
    return st.lists(st.one_of(element, void, _WORDS), max_size=5).map("".join)


_HTML = st.recursive(_WORDS, _fragment, max_leaves=25)


@settings(max_examples=600, deadline=None)
@given(_HTML)
def test_fast_markdown_equals_markdownify_on_generated_fragments(html: str) -> None:
    base = "https://site.example/news/"
    fast = _fast_markdown(html, base)
    assert fast is not None, "the generator only writes the fast path's subset"
    assert html_to_markdown(html, base) == _by_markdownify(html, base)


@pytest.mark.parametrize(
    "html",
    [
        "<p>Hello <b>world</b>, a <a href='/x'>link</a></p>\n<p>Two</p>",
        "<ul>\n  <li>a</li>\n  <li>b<ul><li>c</li></ul></li>\n</ul>\n<p>after</p>",
        "<ol start='3'><li>x</li> <li>y</li></ol>tail",
        "<h2>Head <em>x</em><br>two</h2><blockquote><p>q1</p>\n<p>q2</p></blockquote>",
        "a &amp; b &lt;c&gt; &nbsp;d<br>e<br/>f",
        "<p><a href='http://a_b.example/x_y'>http://a_b.example/x_y</a></p>",
        "<div><span> sp </span><img alt='pic' src='x'> <hr> end</div>",
        "<p><b> bold </b>text<i></i></p>",
        '<p title="a>b">quoted angle</p>',
    ],
)
def test_fast_markdown_equals_markdownify_on_fixed_fragments(html: str) -> None:
    assert _fast_markdown(html, None) is not None
    assert html_to_markdown(html, "https://s.example/") == _by_markdownify(
        html, "https://s.example/"
    )


@pytest.mark.parametrize(
    "html",
    [
        "<table><tr><td>x</td></tr></table>",  # another element
        "<p>open",  # left open
        "<p><b>crossed</p></b>",  # closed out of order
        "a < b",  # a bare angle bracket
        "<!-- note --><p>x</p>",  # a comment
        "<p>&copy; &unknown; &#128;</p>",  # entities outside the safe set
        "<p/>",  # a self-closed ordinary element
        "<script>alert(1)</script>",
        "<p>line\r\nend</p>",
    ],
)
def test_fast_markdown_hands_anything_else_to_markdownify(html: str) -> None:
    assert _fast_markdown(html, None) is None
    assert html_to_markdown(html) == _by_markdownify(html, None)


def _shared_fragments() -> list[str]:
    fragments = []
    for name in ("seeds", "devset"):
        path = SHARED / name / "articles.jsonl"
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    fragments.append(json.loads(line).get("content_html") or "")
    return [f for f in fragments if f]


def test_fast_markdown_equals_markdownify_on_the_shared_sets() -> None:
    fragments = _shared_fragments()
    if not fragments:
        pytest.skip(f"the shared article sets are not at {SHARED}")
    fast = 0
    for html in fragments:
        base = "https://outlet.example/news/"
        assert html_to_markdown(html, base) == _by_markdownify(html, base), html[:200]
        fast += _fast_markdown(html, base) is not None
    assert fast >= len(fragments) // 2, "the fast path should carry most real content"


def test_fast_markdown_equals_markdownify_on_the_real_world_corpus() -> None:
    """Every HTML content and summary of the corpus feeds that the fast path accepts."""
    import feedparser

    folder = SHARED / "corpus" / "feeds"
    if not folder.is_dir():
        pytest.skip(f"the shared feed corpus is not at {folder}")
    base = "https://outlet.example/news/"
    checked = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        parsed = feedparser.parse(path.read_bytes(), sanitize_html=False)
        for entry in parsed.entries:
            details = list(entry.get("content") or [])
            if "summary_detail" in entry:
                details.append(entry["summary_detail"])
            for detail in details:
                html = detail.get("value")
                if isinstance(html, str) and _fast_markdown(html, base) is not None:
                    assert html_to_markdown(html, base) == _by_markdownify(html, base), path.name
                    checked += 1
    assert checked > 1000


# -- literal text stays literal in Markdown ----------------------------------------------


def _render(markdown: str) -> str:
    return str(MarkdownIt("commonmark").render(markdown))


def _live(markdown: str) -> set[str]:
    """Elements a CommonMark renderer makes of `markdown` beyond paragraphs and emphasis
    from real tags: links, images, raw HTML, code."""
    return set(
        re.findall(r"<(a|img|script|iframe|code|pre|blockquote|[a-z]+:)\b", _render(markdown))
    )


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
    for md in (html_to_markdown(html, "https://s.example/"), _by_markdownify(html, None)):
        rendered = _render(md)
        assert not re.search(r"<(img|script|iframe|blockquote)\b", rendered), (html, md)
        assert all(
            href == "https://t.example/" for href in re.findall(r'<a href="([^"]*)"', rendered)
        ), (html, md)


def test_links_from_elements_stay_links_and_text_stays_text() -> None:
    md = html_to_markdown(
        "<p>See [1] <a href='/r_1'>the report</a>! <a href='https://t.example/a_b'>"
        "https://t.example/a_b</a> &lt;b&gt;</p>",
        "https://s.example/x/",
    )
    assert md == r"See \[1\] [the report](https://s.example/r_1)! <https://t.example/a_b> \<b>"
    assert _render(md).count("<a href=") == 2


def test_a_fence_inside_pre_cannot_close_the_code_block() -> None:
    md = html_to_markdown("<pre>x\n```\n&lt;script&gt;\n````</pre><p>after</p>")
    assert md.startswith("`````\nx\n```\n<script>\n````\n`````")
    assert "<script>" not in _render(md).replace("&lt;script&gt;", "")


def test_text_to_markdown_escapes_plain_text_and_keeps_urls_whole() -> None:
    raw = "\x1b[31m![pixel](https://t.example/p.gif)\x1b[0m <script>x</script>\r\nsee https://t.example/a_b"
    md = text_to_markdown(raw)
    assert (
        md
        == "!\\[pixel\\](https://t.example/p.gif) \\<script>x\\</script>\nsee https://t.example/a_b"
    )
    assert _live(md) == set()


def test_plain_text_removes_the_escapes_the_extractors_meet() -> None:
    md = html_to_markdown(
        "<p>Fire &amp; Rescue at 10.30am: [1] snake_case `tick` C:\\dir</p><p>&gt; 50 people</p>"
    )
    assert (
        plain_text(md) == "Fire & Rescue at 10.30am: [1] snake_case `tick` C:\\dir\n\n> 50 people"
    )


def test_plain_text_removes_every_escape() -> None:
    md = html_to_markdown("<p>&lt;b&gt; Tom &amp;amp; Jerry *z*</p>")
    assert plain_text(md) == "<b> Tom &amp; Jerry *z*"


@pytest.mark.parametrize("start", ["½", "٣", "-2", "x"])
def test_odd_list_starts_number_from_one_on_both_paths(start: str) -> None:
    html = f'<ol start="{start}"><li>First</li><li>Second</li></ol>'
    assert html_to_markdown(html) == "1. First\n2. Second"
    assert html_to_markdown(html + "<table><tr><td>x</td></tr></table>").startswith(
        "1. First\n2. Second"
    )  # the table sends this one through markdownify
