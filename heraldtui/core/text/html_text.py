"""HTML fragments (summaries, titles with tags) as plain text, and the elements no
conversion keeps.

`html_to_text` runs the stdlib's HTML parser: entities are decoded once, scripts and styles
vanish, blocks and `<br>` become lines, list items `- ` lines; the text then goes through
`clean_text` like any other. `DROPPED_TAGS` is shared with the Markdown conversions and the
page extractor, so an element dropped in one is dropped in all.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from heraldtui.core.text.sanitize import clean_text

__all__ = ["DROPPED_TAGS", "html_to_text"]

_WHITESPACE = re.compile(r"\s+")


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


_BLOCK_TAGS = _names(
    """address article aside blockquote body caption dd details dialog div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr html legend li main nav ol p
    pre section summary table tbody td tfoot th thead tr ul"""
)
DROPPED_TAGS = _names(
    """script style noscript template iframe object embed svg canvas head title button
    input select textarea option datalist math audio video source track map"""
)
"""Elements whose content is never article text, in any conversion."""
HIDING_TAGS = DROPPED_TAGS - _names("embed input source track")
"""The dropped elements that can hold anything: the others are void (`<source srcset=…>`
has no end tag, so counting it as open would hide the rest of the text)."""


class _TextParser(HTMLParser):
    """Collects the text of an HTML fragment, with blocks as lines and paragraphs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in HIDING_TAGS:
            self._skip += 1
        elif tag in DROPPED_TAGS:
            pass
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
            if tag == "pre":
                self._pre += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in DROPPED_TAGS:  # a self-closed <script/> opens nothing
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDING_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in DROPPED_TAGS:
            pass
        elif tag in _BLOCK_TAGS and tag not in ("li", "td", "th"):
            self.parts.append("\n\n")
            if tag == "pre":
                self._pre = max(0, self._pre - 1)

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.parts.append(data if self._pre else _WHITESPACE.sub(" ", data))


_LINE_EDGES = re.compile(r"[ ]*\n[ ]*")
_PARAGRAPH_MARKS = re.compile(r"(?:[^<&]++|</?p>)*+")
"""Text with no markup but bare paragraph marks (a teaser cut from a paragraph's HTML)."""
_PARAGRAPH_MARK = re.compile(r"(</?p>)")


def html_to_text(html: str) -> str:
    """An HTML fragment (a summary, a title with tags) as plain text.

    Entities are decoded exactly once, so a publisher's `&amp;amp;` shows as `&amp;`, as
    their own page would show it. Scripts and styles vanish; blocks and `<br>` become lines.
    """
    if not html:
        return ""
    if "<" not in html and "&" not in html:
        return clean_text(html)
    if _PARAGRAPH_MARKS.fullmatch(html):
        # Text and bare <p> / </p> marks only: what the parser below makes of it, in one
        # pass (without a "&" it hands each run of text over in one piece).
        parts = [
            "\n\n" if piece in ("<p>", "</p>") else _WHITESPACE.sub(" ", piece)
            for piece in _PARAGRAPH_MARK.split(html)
            if piece
        ]
        return clean_text(_LINE_EDGES.sub("\n", "".join(parts)))
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    text = _LINE_EDGES.sub("\n", "".join(parser.parts))
    return clean_text(text)
