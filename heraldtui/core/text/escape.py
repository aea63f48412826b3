"""Literal text in Markdown: what to escape so text renders as itself, and how to undo it.

Everything we store as `Article.content` is Markdown, and much of what goes into it is
literal text: HTML text nodes, JSON Feed `content_text`, RSS/Atom text content. A feed
whose text says `![x](https://tracker/)` or `<script>` means those characters, not an
image or an element, so only what CommonMark would read as more than text is escaped
(`escape_markdown`), and `unescape_markdown` gives the text back for the extractors.
Text nodes are cleaned (`node_text`) before they are escaped, and a `!` that would turn a
link from an `<a>` element into an image is escaped afterwards (`guard_links`).
"""

from __future__ import annotations

import html.entities as htmlentities
import re
import unicodedata

from heraldtui.core.text.sanitize import clean_text, strip_controls

__all__ = [
    "escape_markdown",
    "guard_links",
    "node_text",
    "text_to_markdown",
    "unescape_markdown",
    "unescape_urls",
]

# Everything `strip_controls` would remove or rewrite: a text node is cleaned before it is
# escaped, because removing an escape sequence afterwards could swallow the backslash of an
# escape (`ESC \\` is a two-byte sequence) or join a `<` to the letter that makes it a tag.
_NEEDS_STRIP = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u200b\u2028\u2029\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufdd0-\ufdef\ufff9-\ufffb\ufffe\uffff\ud800-\udfff"
    "\U000e0000-\U000e007f\U0001d173-\U0001d17a]"
)
# The invisible fillers `str.isprintable` passes: `strip_controls` drops the first ones,
# and the blank ones (a cell wide) become spaces, as `clean_text` makes them.
_PRINTABLE_FILLERS = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f\u2800\u3164\uffa0]"
)
_BLANK_FILLERS = re.compile("[\u2800\u3164\uffa0]")
# What CommonMark would read as more than text, each match ending on the character to escape:
# backslashes, code, emphasis and link brackets anywhere; `<` unless a space, digit, `=`,
# `-` or `<` follows (only a letter, `/`, `!` or `?` opens HTML or an autolink, and a `<`
# that ends a text node could meet one in the next); `&` only where it starts an entity
# reference; `>` only as the first mark on a line (a block quote).
_MARKDOWN_ESCAPE = re.compile(
    r"[\\`*_\[\]]"
    r"|<(?![\s\d=<-])"
    r"|&(?=(#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{0,31};))"
    r"|^[ \t]*>",
    re.MULTILINE,
)
# A `!` from text right before a link from an `<a>` element would turn the link into an
# image; an even run of backslashes before it escapes only themselves.
_BANG_BEFORE_LINK = re.compile(r"(?<!\\)((?:\\\\)*)!(?=\[)")
_ENTITY_NAMES = frozenset(name for name in htmlentities.html5 if name.endswith(";"))
_UNESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def _escape_match(match: re.Match[str]) -> str:
    found = match.group(0)
    entity = match.group(1)
    if entity is not None and entity[0] != "#" and entity not in _ENTITY_NAMES:
        return found  # `R&D;` is not a reference: CommonMark knows only HTML5's names
    return found[:-1] + "\\" + found[-1]


def escape_markdown(text: str) -> str:
    """Literal text made to render as itself in CommonMark, with backslash escapes.

    Only what could become markup is escaped (see `_MARKDOWN_ESCAPE`): links, images, raw
    HTML, autolinks, entity references, code spans, emphasis and block quotes. Ordinary
    prose keeps its apostrophes, full stops, hyphens and `&` between words; `text.prose`
    removes the escapes again when it flattens Markdown for the extractors.
    """
    # Nine substring tests are ~15x quicker than a regex scan, and most text has none.
    if (
        "\\" in text
        or "`" in text
        or "*" in text
        or "_" in text
        or "[" in text
        or "]" in text
        or "<" in text
        or ">" in text
        or "&" in text
    ):
        return _MARKDOWN_ESCAPE.sub(_escape_match, text)
    return text


def unescape_markdown(text: str) -> str:
    """The text an `escape_markdown` result shows: every backslash escape undone."""
    return _UNESCAPE.sub(r"\1", text) if "\\" in text else text


def text_to_markdown(text: str) -> str:
    """Plain text (JSON Feed `content_text`, RSS/Atom text content) as the Markdown we store
    in `Article.content`: cleaned, then escaped so none of it is read as markup."""
    return unescape_urls(escape_markdown(clean_text(text)))


def node_text(text: str) -> str:
    """A text node cleaned of what `clean_text` would remove, before it is escaped.

    Every character `_NEEDS_STRIP` matches is in a Unicode category `str.isprintable`
    refuses (Cc, Cf, Cs, Cn, Zl, Zp), so the C-speed test answers for most text; the
    regex runs only on text that also holds newlines, tabs or odd spaces. The few
    printable fillers strip_controls drops are looked for in text beyond ASCII only.
    """
    if (
        not (text.isprintable() or ("\n" in text and text.replace("\n", " ").isprintable()))
        and _NEEDS_STRIP.search(text)
    ) or (not text.isascii() and _PRINTABLE_FILLERS.search(text)):
        text = _BLANK_FILLERS.sub(" ", strip_controls(text))
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def guard_links(markdown: str) -> str:
    """Converted Markdown with every `!` that touches a link escaped (see `_BANG_BEFORE_LINK`)."""
    if "![" not in markdown:
        return markdown
    return _BANG_BEFORE_LINK.sub(r"\1\\!", markdown)


# Inside a bare URL a backslash is literal, so undo markdownify's `\_` there.
_ESCAPED_IN_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]+")


def unescape_urls(text: str) -> str:
    """`text` with markdownify's `\\_` undone inside bare URLs, where it is not an escape."""
    if "\\_" not in text:
        return text
    return _ESCAPED_IN_URL.sub(lambda m: m.group(0).replace("\\_", "_"), text)
