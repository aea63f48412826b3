"""The Markdown both HTML converters write: heraldtui's rules and markdownify's whitespace.

HTML becomes Markdown two ways (`html_markdown`: markdownify, the converter of record, and
`fast_markdown`: a transcription of its algorithm for simple fragments), and the two must
give the same text. What they share lives here: our own rules for links (only http(s) and
mailto, made absolute), images (their alt text only) and line breaks (a plain newline),
list starts that are plain numbers, and the whitespace patterns of markdownify's
`process_text` that both apply to text nodes.
"""

from __future__ import annotations

import re

from heraldtui.core.text.escape import escape_markdown, unescape_markdown
from heraldtui.core.text.sanitize import clean_line, safe_url

__all__ = [
    "MAX_HTML_DEPTH",
    "MAX_HTML_TAGS",
    "RE_NEWLINE_WS",
    "RE_WS",
    "WS_BLOCKS",
    "br_markdown",
    "image_markdown",
    "link_markdown",
    "plain_number",
]

# HTML deeper or larger than this is read as plain text (its paragraphs and words kept,
# its structure dropped): both converters recurse once per level, so 1,000 nested tags in
# one hostile item would raise RecursionError, and a tree of 300,000 elements costs
# minutes and gigabytes. Real article bodies nest about 20 deep and hold a few thousand tags.
MAX_HTML_DEPTH = 100
MAX_HTML_TAGS = 50_000

# Elements whose inner/outer whitespace markdownify drops (its should_remove_whitespace_*).
WS_BLOCKS = frozenset(
    """p blockquote article div section ol ul li dl dt dd table thead tbody tfoot tr td th
    h1 h2 h3 h4 h5 h6""".split()
)
# markdownify's patterns for the whitespace of a text node outside `<pre>`.
RE_NEWLINE_WS = re.compile(r"[\t \r\n]*[\r\n][\t \r\n]*")
RE_WS = re.compile(r"[\t ]+")


def plain_number(value: str) -> bool:
    """A list start markdownify can number from (it calls int() on anything isnumeric())."""
    return value.isascii() and value.isdigit()


def link_markdown(href: str | None, text: str, parent_tags: set[str], base: str | None) -> str:
    """A link as Markdown: only http(s)/mailto targets, made absolute, else its text."""
    if "_noformat" in parent_tags:
        return text
    stripped = text.strip()
    if not stripped:
        return ""
    target = safe_url(href, base)
    if target is None:
        return text
    prefix = " " if text[:1].isspace() else ""
    suffix = " " if text[-1:].isspace() else ""
    # The label's text nodes are already escaped, brackets included.
    if unescape_markdown(stripped) == target:
        return f"{prefix}<{target}>{suffix}"
    return f"{prefix}[{stripped}]({target}){suffix}"


def image_markdown(alt: object) -> str:
    """An image leaves only its alt text: the terminal cannot show it, and a link to it
    would be one more address to vet."""
    return escape_markdown(clean_line(alt)) if isinstance(alt, str) else ""


def br_markdown(parent_tags: set[str]) -> str:
    """A plain newline: extraction reads lines, and a Markdown hard break would leave
    trailing spaces or backslashes in the stored text."""
    return " " if "_inline" in parent_tags else "\n"
