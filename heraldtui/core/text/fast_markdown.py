"""markdownify's algorithm on a tree we can build cheaply: the fast HTML-to-Markdown path.

markdownify (the converter of record, `html_markdown`) costs ~1.5 ms per article, most of
it building a BeautifulSoup tree and walking it through bs4's generic navigation. Feed
content is nearly always a handful of simple elements, so for fragments that are
well-formed and use only those elements we build a minimal tree with one regular
expression and run a transcription of markdownify's own `process_tag` / `process_text` and
convert functions on it. Anything outside that subset (another element, a comment, an
unknown entity, a bare `<`, a tag left open or closed out of order) returns None and
markdownify does the work. tests/text/test_fast_markdown.py checks the two paths agree on
generated and real fragments.
"""

from __future__ import annotations

import html as htmllib
import re

from heraldtui.core.text.escape import escape_markdown, node_text
from heraldtui.core.text.markdown_rules import (
    MAX_HTML_DEPTH,
    RE_NEWLINE_WS,
    RE_WS,
    WS_BLOCKS,
    br_markdown,
    image_markdown,
    link_markdown,
    plain_number,
)

__all__ = ["fast_markdown"]

_FAST_TAGS = frozenset(
    "p div blockquote br b strong em i a img hr ul ol li span h1 h2 h3 h4 h5 h6".split()
)
_VOID_TAGS = frozenset({"br", "img", "hr"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TAG_TOKEN = re.compile(
    r"<(?:(?P<name>[A-Za-z][A-Za-z0-9]*)(?P<attrs>(?:\s+[A-Za-z_:][-A-Za-z0-9_:.]*"
    r"""(?:\s*=\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_.:#-]+))?)*)\s*(?P<close>/?)"""
    r"|/(?P<end>[A-Za-z][A-Za-z0-9]*)\s*)>"
)
_ATTR = re.compile(
    r"""\s+([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_.:#-]+)))?"""
)
_ENTITY = re.compile(r"&(?:(amp|lt|gt|quot|nbsp);|#([0-9]{1,7});|#[xX]([0-9a-fA-F]{1,6});)")
_RE_ALL_WS = re.compile(r"[\t \r\n]+")
_RE_EXTRACT_NEWLINES = re.compile(r"^(\n*)((?:.*[^\n])?)(\n*)$", flags=re.DOTALL)
_RE_LINE_WITH_CONTENT = re.compile(r"^(.*)", flags=re.MULTILINE)


class _Element:
    """A parsed element: just what markdownify's conversions look at."""

    __slots__ = ("attrs", "children", "name", "parent")

    def __init__(self, name: str, attrs: dict[str, str], parent: _Element | None) -> None:
        self.name = name
        self.attrs = attrs
        self.parent = parent
        self.children: list[_Element | str] = []


def _safe_codepoint(code: int) -> bool:
    """Character references html.parser and bs4 decode alike: printable, not C1, not
    a surrogate (bs4 maps C1 references through Windows-1252, html.unescape too, but
    their handling of 0, surrogates and out-of-range values differs)."""
    return (
        code in (9, 10)
        or 0x20 <= code < 0x7F
        or 0xA0 <= code < 0xD800
        or (0xE000 <= code <= 0x10FFFF)
    )


def _text_ok(text: str) -> bool:
    """True when bs4 would hold exactly `htmllib.unescape(text)` for this run of text."""
    if "\x00" in text or "\r" in text:
        return False
    if "&" not in text:
        return True
    pos = text.find("&")
    while pos != -1:
        match = _ENTITY.match(text, pos)
        if match is None:
            return False
        if match.group(2) is not None and not _safe_codepoint(int(match.group(2))):
            return False
        if match.group(3) is not None and not _safe_codepoint(int(match.group(3), 16)):
            return False
        pos = text.find("&", match.end())
    return True


def _fast_tree(html: str) -> _Element | None:
    """The fragment as a tree, or None when it is outside the fast path's subset."""
    root = _Element("[document]", {}, None)
    node = root
    depth = 0
    pos = 0
    size = len(html)
    while pos < size:
        lt = html.find("<", pos)
        stop = size if lt == -1 else lt
        if stop > pos:
            text = html[pos:stop]
            if not _text_ok(text):
                return None
            node.children.append(htmllib.unescape(text) if "&" in text else text)
        if lt == -1:
            break
        token = _TAG_TOKEN.match(html, lt)
        if token is None:
            return None
        pos = token.end()
        end = token.group("end")
        if end is not None:
            end = end.lower()
            if end != node.name or node.parent is None:
                return None
            node = node.parent
            depth -= 1
            continue
        name = token.group("name").lower()
        if name not in _FAST_TAGS:
            return None
        attrs: dict[str, str] = {}
        for attr in _ATTR.finditer(token.group("attrs")):
            key = attr.group(1).lower()
            if key in attrs:
                return None
            value = attr.group(2)
            if value is None:
                value = attr.group(3)
            if value is None:
                value = attr.group(4)
            attrs[key] = "" if value is None else htmllib.unescape(value)
        if name == "ol" and not plain_number(attrs.get("start", "1")):
            del attrs["start"]  # as tag_to_markdown does: a list numbered from 1
        element = _Element(name, attrs, node)
        node.children.append(element)
        if name in _VOID_TAGS:
            continue
        if token.group("close"):
            return None  # <p/> and the like: html.parser and bs4 disagree with browsers
        node = element
        depth += 1
        if depth > MAX_HTML_DEPTH:
            return None  # markdownify's route reads it as plain text (html_markdown)
    return root if node is root else None


def _ws_outside(el: _Element | str | None) -> bool:
    return isinstance(el, _Element) and (el.name in WS_BLOCKS or el.name == "pre")


def _block_content(el: _Element | str) -> bool:
    return isinstance(el, _Element) or el.strip() != ""


_PARAGRAPHS_ONLY = re.compile(r"(?:[ \t\n]*+<p>[^<&\x00\r]*+</p>)++[ \t\n]*+")
"""A fragment of bare paragraphs of plain text (no element, entity, NUL or CR inside)."""
_PARAGRAPH = re.compile(r"<p>([^<]*)</p>")


def _paragraphs_only(html: str) -> str | None:
    """What the walk below gives a fragment of bare `<p>` paragraphs of plain text (most
    feeds' content), in one pass: each paragraph's text node processed as `process_text`
    does for an only child of a `p`, stripped as `convert` strips a `p`, empty ones
    dropped, and the rest joined by the blank line `process_tag` collapses their newlines
    to (the whitespace between paragraphs is dropped beside a block, and the document's
    newlines stripped). None for any other fragment."""
    if _PARAGRAPHS_ONLY.fullmatch(html) is None:
        return None
    out = []
    for text in _PARAGRAPH.findall(html):
        text = node_text(text)
        if "\n" in text:
            text = RE_NEWLINE_WS.sub("\n", text)
        if "  " in text or "\t" in text:
            text = RE_WS.sub(" ", text)
        if text:
            text = escape_markdown(text)
        text = text.lstrip(" \t\r\n").rstrip().strip(" \t\r\n")
        if text:
            out.append(text)
    return "\n\n".join(out)


def fast_markdown(html: str, base_url: str | None) -> str | None:
    """markdownify's output for `html`, or None when the fragment needs markdownify."""
    paragraphs = _paragraphs_only(html)
    if paragraphs is not None:
        return paragraphs
    root = _fast_tree(html)
    if root is None:
        return None
    return _FastConverter(base_url).process_tag(root, set())


class _FastConverter:
    """A transcription of markdownify 1.2's tree walk, for `_Element` trees only.

    Method names and the order of operations follow markdownify's so the two can be
    compared line by line; keep them in step when markdownify is upgraded (the test that
    compares outputs will say when they drift).
    """

    def __init__(self, base_url: str | None) -> None:
        self.base_url = base_url

    def process_tag(self, node: _Element, parent_tags: set[str]) -> str:
        inside = node.name in WS_BLOCKS
        children = node.children
        last = len(children) - 1
        for_children = set(parent_tags)
        for_children.add(node.name)
        if node.name in _HEADINGS:
            for_children.add("_inline")
        strings: list[str] = []
        for i, child in enumerate(children):
            if isinstance(child, _Element):
                out = self.process_tag(child, for_children)
            else:
                if child.strip() == "":
                    if inside and (i == 0 or i == last):
                        continue
                    if (i > 0 and _ws_outside(children[i - 1])) or (
                        i < last and _ws_outside(children[i + 1])
                    ):
                        continue
                out = self.process_text(child, node, i, for_children)
            if out:
                strings.append(out)
        collapsed = [""]
        for child_string in strings:
            match = _RE_EXTRACT_NEWLINES.match(child_string)
            assert match is not None  # the pattern matches any string
            leading, content, trailing = match.groups()
            if collapsed[-1] and leading:
                previous = collapsed.pop()
                leading = "\n" * min(2, max(len(previous), len(leading)))
            collapsed.extend((leading, content, trailing))
        return self.convert(node, "".join(collapsed), parent_tags)

    def process_text(self, text: str, parent: _Element, index: int, parent_tags: set[str]) -> str:
        text = node_text(text)
        if "\n" in text:  # (no \r: `_text_ok` sends such text to markdownify)
            text = RE_NEWLINE_WS.sub("\n", text)
        if "  " in text or "\t" in text:
            text = RE_WS.sub(" ", text)
        if text:
            text = escape_markdown(text)
        siblings = parent.children
        before = siblings[index - 1] if index > 0 else None
        after = siblings[index + 1] if index + 1 < len(siblings) else None
        inside = parent.name in WS_BLOCKS
        if _ws_outside(before) or (inside and before is None):
            text = text.lstrip(" \t\r\n")
        if _ws_outside(after) or (inside and after is None):
            text = text.rstrip()
        return text

    def convert(self, el: _Element, text: str, parent_tags: set[str]) -> str:
        name = el.name
        inline = "_inline" in parent_tags
        if name == "p":
            if inline:
                return " " + text.strip(" \t\r\n") + " "
            text = text.strip(" \t\r\n")
            return f"\n\n{text}\n\n" if text else ""
        if name in ("b", "strong"):
            return _emphasis("**", text, parent_tags)
        if name in ("em", "i"):
            return _emphasis("*", text, parent_tags)
        if name == "a":
            return link_markdown(el.attrs.get("href"), text, parent_tags, self.base_url)
        if name == "br":
            return br_markdown(parent_tags)
        if name == "img":
            return image_markdown(el.attrs.get("alt"))
        if name == "div":
            if inline:
                return " " + text.strip() + " "
            text = text.strip()
            return f"\n\n{text}\n\n" if text else ""
        if name in _HEADINGS:
            if inline:
                return text
            text = _RE_ALL_WS.sub(" ", text.strip())
            return "\n\n" + "#" * int(name[1]) + f" {text}\n\n"
        if name in ("ul", "ol"):
            return _list(el, text, parent_tags)
        if name == "li":
            return _list_item(el, text)
        if name == "blockquote":
            return _blockquote(text, parent_tags)
        if name == "hr":
            return "\n\n---\n\n"
        if name == "[document]":
            return text.strip("\n")
        return text  # span: no conversion of its own


def _emphasis(markup: str, text: str, parent_tags: set[str]) -> str:
    if "_noformat" in parent_tags:
        return text
    prefix = " " if text and text[0] == " " else ""
    suffix = " " if text and text[-1] == " " else ""
    text = text.strip()
    if not text:
        return ""
    return f"{prefix}{markup}{text}{markup}{suffix}"


def _blockquote(text: str, parent_tags: set[str]) -> str:
    text = (text or "").strip(" \t\r\n")
    if "_inline" in parent_tags:
        return " " + text + " "
    if not text:
        return "\n"
    text = _RE_LINE_WITH_CONTENT.sub(lambda m: "> " + m.group(1) if m.group(1) else ">", text)
    return "\n" + text + "\n\n"


def _list(el: _Element, text: str, parent_tags: set[str]) -> str:
    before_paragraph = False
    siblings = el.parent.children if el.parent is not None else [el]
    index = next(i for i, s in enumerate(siblings) if s is el)
    following = next((s for s in siblings[index + 1 :] if _block_content(s)), None)
    if following is not None and (
        not isinstance(following, _Element) or following.name not in ("ul", "ol")
    ):
        before_paragraph = True
    if "li" in parent_tags:
        return "\n" + text.rstrip()
    return "\n\n" + text + ("\n" if before_paragraph else "")


def _list_item(el: _Element, text: str) -> str:
    text = (text or "").strip()
    if not text:
        return "\n"
    parent = el.parent
    if parent is not None and parent.name == "ol":
        start_attr = parent.attrs.get("start")
        start = int(start_attr) if start_attr and start_attr.isnumeric() else 1
        index = next(i for i, s in enumerate(parent.children) if s is el)
        earlier = sum(
            1 for s in parent.children[:index] if isinstance(s, _Element) and s.name == "li"
        )
        bullet = f"{start + earlier}. "
    else:
        bullet = "- "
    indent = " " * len(bullet)
    text = _RE_LINE_WITH_CONTENT.sub(lambda m: indent + m.group(1) if m.group(1) else "", text)
    return bullet + text[len(bullet) :] + "\n"
