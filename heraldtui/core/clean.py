"""Turn untrusted feed and page text into plain, safe, normalised text or Markdown.

Everything a feed or a web page gives us is hostile until it has been through here. The
method, in order:

1. Line ends become `\\n` (CR LF, lone CR, NEL, U+2028; U+2029 becomes a paragraph break).
2. Terminal escape sequences are removed whole, in their 7-bit form (ESC [ ... CSI,
   ESC ] ... OSC including OSC 8 hyperlinks and OSC 52 clipboard writes, ESC P/X/^/_ ...
   strings, two-byte ESC sequences) and their 8-bit C1 form (CSI U+009B, OSC U+009D, ...).
   An unterminated 7-bit string sequence swallows the rest of the text, as a terminal
   would; an unterminated 8-bit one loses only its introducer (step 3).
3. Whatever control remains goes: C0 except tab and newline, DEL, C1, lone surrogates,
   noncharacters, the soft hyphen and zero-width spaces that break word matching, and the
   bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) that can reorder
   what a reader sees ("Trojan Source"). The plain marks LRM/RLM/ALM stay: they cannot hide
   text. Unicode tag characters go too, except inside a flag emoji (the flag of England is
   built from them).
4. NFC, then every odd space (NBSP, thin, ideographic, tab, ...) becomes a plain space,
   runs of spaces inside a line collapse to one (leading indentation stays, Markdown nested
   lists need it), trailing spaces go, three or more newlines become a paragraph break.

Every step maps its own output to itself, so `clean_text(clean_text(s)) == clean_text(s)`;
a property test checks it on arbitrary strings.

HTML goes through `html_to_text` (a stdlib parser: entities decoded once, blocks become
lines) or `html_to_markdown` (markdownify with our own rules for links, images and line
breaks) before the same cleaning.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag
from markdownify import MarkdownConverter

__all__ = [
    "DROPPED_TAGS",
    "clean_line",
    "clean_text",
    "html_to_markdown",
    "html_to_text",
    "safe_url",
    "tag_to_markdown",
]

# -- step 1: line ends ------------------------------------------------------------------

_LINE_ENDS = re.compile(r"\r\n?|[\x85\u2028]")

# -- step 2: escape sequences -----------------------------------------------------------

_ST = r"(?:\x1b\\|\x07|\x9c)"  # string terminator: ESC \, BEL (xterm), or 8-bit ST
_ESCAPES = re.compile(
    "|".join(
        (
            # CSI: parameters, intermediates, final byte (7-bit or 8-bit introducer).
            r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?",
            # OSC, DCS, SOS, PM, APC strings up to a terminator, or to the end when cut off
            # (a terminal would swallow the rest too, so nothing readable is lost).
            rf"\x1b[\]PX^_][\s\S]*?(?:{_ST}|\Z)",
            # Their 8-bit forms only when terminated on the same line: a lone C1 byte is
            # more often mis-decoded Windows-1252 than an attack, and it is dropped anyway.
            rf"[\x9d\x90\x98\x9e\x9f][^\n]*?{_ST}",
            # Any other escape: intermediates then a final byte (ESC ( B, ESC 7, ESC c, ...).
            r"\x1b[ -/]*[0-~]",
        )
    )
)

# -- step 3: characters that never survive ---------------------------------------------

_DROPPED = re.compile(
    "["
    "\x00-\x08\x0b-\x1f"  # C0 except tab and newline (CR already became \n)
    "\x7f-\x9f"  # DEL and C1
    "\xad"  # soft hyphen: invisible, splits words we search for
    "\u200b"  # zero-width space
    "\u202a-\u202e"  # bidi embeddings and overrides
    "\u2060-\u2064"  # word joiner, invisible math operators
    "\u2066-\u2069"  # bidi isolates
    "\ufeff"  # BOM / zero-width no-break space
    "\ufdd0-\ufdef\ufff9-\ufffb\ufffe\uffff"  # annotation controls, noncharacters
    "]"
)
_SURROGATES = re.compile("[\ud800-\udfff]")
_HAS_ESCAPES = re.compile("[\x1b\x90-\x9f]")
_HAS_ASTRAL_OR_SURROGATE = re.compile("[\ud800-\udfff\U000e0000-\U000e007f]")
# Tag characters hide text from readers (and smuggle prompts); keep them only where a flag
# emoji (U+1F3F4 followed by tags and CANCEL TAG) needs them.
_TAGS = re.compile("(\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f)|[\U000e0000-\U000e007f]")

# -- step 4: spaces ---------------------------------------------------------------------

# Tab too: Markdown indentation is spaces, and a tab in a terminal misaligns columns.
_ODD_SPACES = re.compile("[\t\x0c\xa0\u1680\u180e\u2000-\u200a\u202f\u205f\u3000]")
_SPACE_RUNS = re.compile(r"(?<=\S) {2,}")
_TRAILING_SPACES = re.compile(r" +$", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n{3,}")
_WHITESPACE = re.compile(r"\s+")


def _strip_tags(match: re.Match[str]) -> str:
    return match.group(1) or ""


def clean_text(s: str) -> str:
    """Untrusted text made safe to show in a terminal and stable to compare.

    Paragraph breaks (`\\n\\n`) and single line breaks survive; see the module docstring
    for everything that does not.
    """
    if not s:
        return ""
    s = _LINE_ENDS.sub("\n", s).replace("\u2029", "\n\n")
    if _HAS_ESCAPES.search(s):
        s = _ESCAPES.sub("", s)
    s = _DROPPED.sub("", s)
    if _HAS_ASTRAL_OR_SURROGATE.search(s):
        s = _SURROGATES.sub("", s)
        s = _TAGS.sub(_strip_tags, s)
    s = unicodedata.normalize("NFC", s)
    s = _ODD_SPACES.sub(" ", s)
    s = _SPACE_RUNS.sub(" ", s)
    s = _TRAILING_SPACES.sub("", s)
    s = _BLANK_RUNS.sub("\n\n", s)
    return s.strip()


def clean_line(s: str) -> str:
    """`clean_text` folded onto one line, for titles, names and authors."""
    return _WHITESPACE.sub(" ", clean_text(s)).strip()


# -- HTML to plain text -----------------------------------------------------------------


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


class _TextParser(HTMLParser):
    """Collects the text of an HTML fragment, with blocks as lines and paragraphs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROPPED_TAGS:
            self._skip += 1
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
        if tag in DROPPED_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS and tag not in ("li", "td", "th"):
            self.parts.append("\n\n")
            if tag == "pre":
                self._pre = max(0, self._pre - 1)

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        self.parts.append(data if self._pre else _WHITESPACE.sub(" ", data))


_LINE_EDGES = re.compile(r"[ ]*\n[ ]*")


def html_to_text(html: str) -> str:
    """An HTML fragment (a summary, a title with tags) as plain text.

    Entities are decoded exactly once, so a publisher's `&amp;amp;` shows as `&amp;`, as
    their own page would show it. Scripts and styles vanish; blocks and `<br>` become lines.
    """
    if not html:
        return ""
    if "<" not in html and "&" not in html:
        return clean_text(html)
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    text = _LINE_EDGES.sub("\n", "".join(parser.parts))
    return clean_text(text)


# -- HTML to Markdown -------------------------------------------------------------------

_LINK_SCHEMES = frozenset({"http", "https", "mailto"})


def safe_url(href: str | None, base_url: str | None = None) -> str | None:
    """`href` made absolute against `base_url`, or None unless it is http(s) or mailto.

    `javascript:`, `data:` and the like are refused rather than escaped: a link we cannot
    vouch for is shown as its text only.
    """
    if not href:
        return None
    href = _ODD_SPACES.sub(" ", _DROPPED.sub("", href)).strip()
    if not href:
        return None
    try:
        absolute = urljoin(base_url, href) if base_url else href
        scheme = urlsplit(absolute).scheme.lower()
    except ValueError:
        return None
    if scheme not in _LINK_SCHEMES:
        return None
    # Characters that end a Markdown link destination are percent-encoded.
    return absolute.replace(" ", "%20").replace("(", "%28").replace(")", "%29")


class _Converter(MarkdownConverter):
    """markdownify with heraldtui's rules: safe absolute links, alt text for images,
    `<br>` as a plain newline (extraction reads lines; a Markdown hard break would leave
    trailing spaces or backslashes in the stored text)."""

    def __init__(self, base_url: str | None = None, **options: Any) -> None:
        super().__init__(**options)
        self.base_url = base_url

    def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        if "_noformat" in parent_tags:
            return text
        stripped = text.strip()
        if not stripped:
            return ""
        raw_href = el.get("href")
        href = safe_url(raw_href if isinstance(raw_href, str) else None, self.base_url)
        if href is None:
            return text
        prefix = " " if text[:1].isspace() else ""
        suffix = " " if text[-1:].isspace() else ""
        if stripped.replace(r"\_", "_") == href:
            return f"{prefix}<{href}>{suffix}"
        label = stripped.replace("[", r"\[").replace("]", r"\]")
        return f"{prefix}[{label}]({href}){suffix}"

    def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        alt = el.get("alt")
        return clean_line(alt) if isinstance(alt, str) else ""

    def convert_br(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return " " if "_inline" in parent_tags else "\n"


_CONVERTER_OPTIONS: dict[str, Any] = {
    "heading_style": "ATX",
    "bullets": "-",
    "strong_em_symbol": "*",
    "escape_asterisks": True,
    "escape_underscores": True,
    "escape_misc": False,
    "autolinks": True,
}
# Inside a bare URL a backslash is literal, so undo markdownify's `\_` there.
_ESCAPED_IN_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]+")


def _unescape_urls(text: str) -> str:
    if "\\_" not in text:
        return text
    return _ESCAPED_IN_URL.sub(lambda m: m.group(0).replace("\\_", "_"), text)


def _drop(self: _Converter, el: Tag, text: str, parent_tags: set[str]) -> str:
    return ""


for _name in DROPPED_TAGS:
    setattr(_Converter, f"convert_{_name}", _drop)

_converters = threading.local()


def _converter(base_url: str | None) -> _Converter:
    """One converter per thread, reused: building one costs more than converting a teaser."""
    converter: _Converter | None = getattr(_converters, "converter", None)
    if converter is None:
        converter = _converters.converter = _Converter(None, **_CONVERTER_OPTIONS)
    converter.base_url = base_url
    return converter


def tag_to_markdown(tag: Tag | BeautifulSoup, base_url: str | None = None) -> str:
    """A parsed element as cleaned Markdown, for callers (fulltext) that already hold a tree."""
    markdown: str = _converter(base_url).convert_soup(tag)
    return clean_text(_unescape_urls(markdown))


def html_to_markdown(html: str, base_url: str | None = None) -> str:
    """An HTML fragment as the Markdown we store in `Article.content`.

    Paragraphs stay paragraphs, list items become `- item` lines, headings are ATX, `<br>`
    is a newline, images leave their alt text, links are absolute (against `base_url`) and
    only http(s)/mailto; scripts, styles, frames and form controls vanish.
    """
    if not html or not html.strip():
        return ""
    soup = BeautifulSoup(html, "html.parser")
    return tag_to_markdown(soup, base_url)
