"""HTML fragments and parsed pages as the Markdown we store in `Article.content`.

markdownify is the converter of record, with our own rules for links, images and line
breaks (`markdown_rules`), our escaping of text nodes (`escape`), a code fence no text can
close, and the elements of `DROPPED_TAGS` removed; its output then goes through the same
cleaning as any text (`sanitize`).

Speed: well-formed fragments made of the elements feeds use (p, br, b/strong, i/em, a,
img, ul/ol/li, h1-h6, blockquote, div, span, hr) skip BeautifulSoup and go through
`fast_markdown`, a transcription of markdownify's algorithm on a minimal tree, ~10x
cheaper; anything else still goes to markdownify. bs4 and markdownify are imported only
when needed.
"""

from __future__ import annotations

import html as htmllib
import re
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

from heraldtui.core.text.escape import (
    escape_markdown,
    guard_links,
    node_text,
    text_to_markdown,
    unescape_urls,
)
from heraldtui.core.text.fast_markdown import fast_markdown
from heraldtui.core.text.html_text import DROPPED_TAGS, HIDING_TAGS
from heraldtui.core.text.markdown_rules import (
    MAX_HTML_DEPTH,
    MAX_HTML_TAGS,
    RE_NEWLINE_WS,
    RE_WS,
    WS_BLOCKS,
    br_markdown,
    image_markdown,
    link_markdown,
    plain_number,
)
from heraldtui.core.text.sanitize import clean_text

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

__all__ = ["flatten_deep", "html_to_markdown", "tag_to_markdown", "too_many_tags"]

_CONVERTER_OPTIONS: dict[str, Any] = {
    "heading_style": "ATX",
    "bullets": "-",
    "strong_em_symbol": "*",
    "escape_asterisks": True,
    "escape_underscores": True,
    "escape_misc": False,
    "autolinks": True,
}


class _MarkdownWriter(Protocol):
    """What we use of our markdownify converter (the class exists only once built)."""

    base_url: str | None

    def convert_soup(self, soup: Tag | BeautifulSoup) -> str: ...


def _soup_ws_inside(el: object) -> bool:
    """markdownify's `should_remove_whitespace_inside`, for a bs4 node (or None)."""
    name = getattr(el, "name", None)
    if not el or not isinstance(name, str):
        return False
    return _SOUP_HEADING.match(name) is not None or name in WS_BLOCKS


def _soup_ws_outside(el: object) -> bool:
    """markdownify's `should_remove_whitespace_outside`, for a bs4 node (or None)."""
    return _soup_ws_inside(el) or getattr(el, "name", None) == "pre"


_SOUP_HEADING = re.compile(r"h(\d+)")
_PRE_LEADING = re.compile(r"^[ \n]*\n")
_PRE_TRAILING = re.compile(r"[ \n]*$")
_BACKTICK_RUNS = re.compile(r"`+")


def _converter_class() -> Callable[..., _MarkdownWriter]:
    """markdownify with heraldtui's rules (links, images, line breaks, dropped elements).

    Built on first use: markdownify and bs4 take a quarter of a second to import, and a
    refresh whose feeds are all simple HTML never needs them (see `fast_markdown`).
    """
    from bs4.element import NavigableString
    from markdownify import MarkdownConverter

    class Converter(MarkdownConverter):
        base_url: str | None = None

        def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            raw_href = el.get("href")
            href = raw_href if isinstance(raw_href, str) else None
            return link_markdown(href, text, parent_tags, self.base_url)

        def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            return image_markdown(el.get("alt"))

        def convert_br(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            return br_markdown(parent_tags)

        def process_text(self, el: NavigableString, parent_tags: set[str] | None = None) -> str:
            """markdownify's, with the text node cleaned first and our escaping (the
            fast path's `fast_markdown._FastConverter.process_text` is the same steps)."""
            parent_tags = parent_tags or set()
            text = node_text(str(el))
            if "pre" not in parent_tags:
                text = RE_NEWLINE_WS.sub("\n", text)
                text = RE_WS.sub(" ", text)
            if "_noformat" not in parent_tags and text:
                text = escape_markdown(text)
            if _soup_ws_outside(el.previous_sibling) or (
                _soup_ws_inside(el.parent) and not el.previous_sibling
            ):
                text = text.lstrip(" \t\r\n")
            if _soup_ws_outside(el.next_sibling) or (
                _soup_ws_inside(el.parent) and not el.next_sibling
            ):
                text = text.rstrip()
            return text

        def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            """A fence longer than any run of backticks inside, so the text cannot close it
            and go on as live Markdown."""
            if not text:
                return ""
            text = _PRE_TRAILING.sub("", _PRE_LEADING.sub("", text))  # strip_pre=STRIP
            longest = max((len(run) for run in _BACKTICK_RUNS.findall(text)), default=0)
            fence = "`" * max(3, longest + 1)
            return f"\n\n{fence}\n{text}\n{fence}\n\n"

    def drop(self: Converter, el: Tag, text: str, parent_tags: set[str]) -> str:
        return ""

    for name in DROPPED_TAGS:
        setattr(Converter, f"convert_{name}", drop)
    return Converter


_converters = threading.local()


def _converter(base_url: str | None) -> _MarkdownWriter:
    """One converter per thread, reused: building one costs more than converting a teaser."""
    converter: _MarkdownWriter | None = getattr(_converters, "converter", None)
    if converter is None:
        converter = _converters.converter = _converter_class()(**_CONVERTER_OPTIONS)
    converter.base_url = base_url
    return converter


def too_many_tags(html: str) -> bool:
    """More tags than any article carries: reading it as a tree would cost minutes."""
    return html.count("<", 0, None) > MAX_HTML_TAGS


def flatten_deep(tree: Tag | BeautifulSoup, limit: int = MAX_HTML_DEPTH) -> None:
    """Replace every element nested more than `limit` deep by its text, in place.

    Structure above the limit (the article, its paragraphs) stays; below it, hostile
    nesting becomes plain words. Walked without recursion, in time linear in the tree:
    markdownify recurses once per level and bs4's navigation grows with depth.
    """
    from bs4.element import Tag as Element

    stack: list[tuple[Tag | BeautifulSoup, int]] = [(tree, 0)]
    while stack:
        node, depth = stack.pop()
        if depth >= limit:
            for child in [c for c in node.children if isinstance(c, Element)]:
                for hidden in child.find_all(DROPPED_TAGS):
                    hidden.decompose()  # a script's code is not the article's words
                child.replace_with(child.get_text())
            continue
        stack.extend((c, depth + 1) for c in node.children if isinstance(c, Element))


_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)?[^>]*>")
_BLOCK_NAMES = frozenset("p div br li h1 h2 h3 h4 h5 h6 blockquote tr article section".split())


def _plain_markdown(html: str) -> str:
    """HTML too large for a tree, as its text (paragraphs and words), escaped.

    Past MAX_HTML_TAGS even html.parser costs seconds, so tags are read by one pattern in
    one pass: block tags end a paragraph, DROPPED_TAGS hide what they hold."""
    parts: list[str] = []
    hidden = 0
    pos = 0
    for tag in _TAG.finditer(html):
        if not hidden:
            parts.append(html[pos : tag.start()])
        pos = tag.end()
        name = (tag.group(2) or "").lower()
        if name in HIDING_TAGS and not tag.group(0).endswith("/>"):
            hidden = max(0, hidden - 1) if tag.group(1) else hidden + 1
        elif name in _BLOCK_NAMES and not hidden:
            parts.append("\n\n")
    if not hidden:
        parts.append(html[pos:])
    return text_to_markdown(htmllib.unescape("".join(parts)))


def tag_to_markdown(tag: Tag | BeautifulSoup, base_url: str | None = None) -> str:
    """A parsed element as cleaned Markdown, for callers (fulltext) that already hold a tree.

    Nesting deeper than MAX_HTML_DEPTH is read as plain text: markdownify recurses once per
    level, and one hostile item must not raise RecursionError for its whole feed."""
    flatten_deep(tag)
    for ol in tag.find_all("ol", start=True):
        if not plain_number(str(ol["start"])):
            del ol["start"]  # markdownify calls int() on anything isnumeric(), e.g. "½"
    markdown = _converter(base_url).convert_soup(tag)
    return guard_links(clean_text(unescape_urls(markdown)))


def html_to_markdown(html: str, base_url: str | None = None, *, fast: bool = True) -> str:
    """An HTML fragment as the Markdown we store in `Article.content`.

    Paragraphs stay paragraphs, list items become `- item` lines, headings are ATX, `<br>`
    is a newline, images leave their alt text, links are absolute (against `base_url`) and
    only http(s)/mailto; scripts, styles, frames and form controls vanish.

    Simple, well-formed fragments (what most feeds carry) take `fast_markdown`, which
    gives markdownify's output without its cost; anything else goes to markdownify.
    `fast=False` sends every fragment to markdownify (the fast paths' off switch, see
    `ingest.fastpaths`); the result is the same text either way.
    """
    if not html or not html.strip():
        return ""
    converted = fast_markdown(html, base_url) if fast else None
    if converted is not None:
        return guard_links(clean_text(unescape_urls(converted)))
    if too_many_tags(html):
        return _plain_markdown(html)
    from heraldtui.core.text.soup import parse_html  # bs4: only for HTML the fast path declines

    return tag_to_markdown(parse_html(html), base_url)
