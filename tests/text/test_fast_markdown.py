"""The fast HTML-to-Markdown walker agrees with markdownify, or declines."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heraldtui.core.text import fast_markdown as fast_markdown_module
from heraldtui.core.text.fast_markdown import fast_markdown
from heraldtui.core.text.html_markdown import html_to_markdown
from tests.support.paths import SHARED
from tests.text.rendering import by_markdownify

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
    fast = fast_markdown(html, base)
    assert fast is not None, "the generator only writes the fast path's subset"
    assert html_to_markdown(html, base) == by_markdownify(html, base)


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
    assert fast_markdown(html, None) is not None
    assert html_to_markdown(html, "https://s.example/") == by_markdownify(
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
    assert fast_markdown(html, None) is None
    assert html_to_markdown(html) == by_markdownify(html, None)


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
        assert html_to_markdown(html, base) == by_markdownify(html, base), html[:200]
        fast += fast_markdown(html, base) is not None
    assert fast >= len(fragments) // 2, "the fast path should carry most real content"


@pytest.mark.slow
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
                if isinstance(html, str) and fast_markdown(html, base) is not None:
                    assert html_to_markdown(html, base) == by_markdownify(html, base), path.name
                    checked += 1
    assert checked > 1000


_PARAGRAPH_TEXT = st.lists(
    st.sampled_from(["word", " ", "  ", "\n", "\t", "a_b", "*x*", "> q", "[l]", "café", "\xa0"]),
    max_size=6,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["", " ", "\n", "\n  "]), _PARAGRAPH_TEXT), min_size=1))
def test_bare_paragraphs_take_one_pass_and_equal_markdownify(
    parts: list[tuple[str, str]],
) -> None:
    """Bare `<p>` paragraphs of plain text (most feeds' content) skip the tree: the same
    Markdown as the walk and as markdownify."""
    html = "".join(f"{gap}<p>{text}</p>" for gap, text in parts) + parts[0][0]
    one_pass = fast_markdown_module._paragraphs_only(html)
    assert one_pass is not None
    root = fast_markdown_module._fast_tree(html)
    assert root is not None
    assert one_pass == fast_markdown_module._FastConverter(None).process_tag(root, set())
    assert html_to_markdown(html, None) == by_markdownify(html, None)


@pytest.mark.parametrize(
    "html",
    ["<p>a &amp; b</p>", "<p class='x'>a</p>", "<P>a</P>", "<p>a</p>tail", "<p>a\r</p>", "<p>a"],
)
def test_anything_but_bare_paragraphs_takes_the_walk(html: str) -> None:
    assert fast_markdown_module._paragraphs_only(html) is None
