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

Speed, because a cold refresh cleans tens of thousands of fields: text with none of the
characters steps 1-4 would touch (one regex search, plus a quick NFC check) only has its
spaces tidied; and well-formed fragments made of the elements feeds use (p, br, b/strong,
i/em, a, img, ul/ol/li, h1-h6, blockquote, div, span, hr) skip BeautifulSoup and go
through a transcription of markdownify's algorithm on a minimal tree (`_fast_markdown`),
~10x cheaper; anything else still goes to markdownify, the converter of record. bs4 and
markdownify are imported only when needed.
"""

from __future__ import annotations

import html as htmllib
import html.entities as htmlentities
import re
import threading
import unicodedata
from collections.abc import Callable
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urljoin, urlsplit

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag

__all__ = [
    "DROPPED_TAGS",
    "clean_line",
    "clean_text",
    "escape_markdown",
    "html_to_markdown",
    "html_to_text",
    "safe_url",
    "tag_to_markdown",
    "text_to_markdown",
    "unescape_markdown",
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


# Every character any step above would change: text without one (and already NFC) only
# needs its spaces tidied, which is most feed text, so the eight passes are skipped.
_ANY_ODD = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\xa0\xad\u1680\u180e\u2000-\u200b\u2028-\u202f"
    "\u205f-\u2064\u2066-\u2069\u3000\ufeff\ufdd0-\ufdef\ufff9-\ufffb\ufffe\uffff"
    "\ud800-\udfff\U000e0000-\U000e007f]"
)


def clean_text(s: str) -> str:
    """Untrusted text made safe to show in a terminal and stable to compare.

    Paragraph breaks (`\\n\\n`) and single line breaks survive; see the module docstring
    for everything that does not.
    """
    if not s:
        return ""
    if _ANY_ODD.search(s) is None and (s.isascii() or unicodedata.is_normalized("NFC", s)):
        return _tidy_spaces(s)
    s = unicodedata.normalize("NFC", _strip_controls(s))
    s = _ODD_SPACES.sub(" ", s)
    return _tidy_spaces(s)


def _strip_controls(s: str) -> str:
    """Steps 1-3: line ends made `\\n`, escape sequences and invisible characters gone."""
    s = _LINE_ENDS.sub("\n", s).replace("\u2029", "\n\n")
    if _HAS_ESCAPES.search(s):
        s = _ESCAPES.sub("", s)
    s = _DROPPED.sub("", s)
    if _HAS_ASTRAL_OR_SURROGATE.search(s):
        s = _SURROGATES.sub("", s)
        s = _TAGS.sub(_strip_tags, s)
    return s


def _tidy_spaces(s: str) -> str:
    """Step 4 after the odd spaces are gone; each pass runs only if it has work to do."""
    if "  " in s:
        s = _SPACE_RUNS.sub(" ", s)
    if " \n" in s:
        s = _TRAILING_SPACES.sub("", s)
    if "\n\n\n" in s:
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


# -- literal text in Markdown -------------------------------------------------------------

# Everything `_strip_controls` would remove or rewrite: a text node is cleaned before it is
# escaped, because removing an escape sequence afterwards could swallow the backslash of an
# escape (`ESC \\` is a two-byte sequence) or join a `<` to the letter that makes it a tag.
_NEEDS_STRIP = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u200b\u2028\u2029\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\ufeff\ufdd0-\ufdef\ufff9-\ufffb\ufffe\uffff\ud800-\udfff"
    "\U000e0000-\U000e007f]"
)
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
    prose keeps its apostrophes, full stops, hyphens and `&` between words; `textutil`
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
    return _unescape_urls(escape_markdown(clean_text(text)))


def _node_text(text: str) -> str:
    """A text node cleaned of what `clean_text` would remove, before it is escaped.

    Every character `_NEEDS_STRIP` matches is in a Unicode category `str.isprintable`
    refuses (Cc, Cf, Cs, Cn, Zl, Zp), so the C-speed test answers for most text; the
    regex runs only on text that also holds newlines, tabs or odd spaces.
    """
    if not (
        text.isprintable() or ("\n" in text and text.replace("\n", " ").isprintable())
    ) and _NEEDS_STRIP.search(text):
        text = _strip_controls(text)
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text


def _guard_links(markdown: str) -> str:
    """Converted Markdown with every `!` that touches a link escaped (see `_BANG_BEFORE_LINK`)."""
    if "![" not in markdown:
        return markdown
    return _BANG_BEFORE_LINK.sub(r"\1\\!", markdown)


# -- HTML to Markdown -------------------------------------------------------------------

_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
# Characters that end or break a Markdown link destination or an autolink.
_URL_ENCODE = str.maketrans(
    {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "\\": "%5C", "\n": "%0A"}
)


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
    # Characters that end a Markdown link destination or an autolink are percent-encoded.
    return absolute.translate(_URL_ENCODE)


def _link_markdown(href: str | None, text: str, parent_tags: set[str], base: str | None) -> str:
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


def _image_markdown(alt: object) -> str:
    """An image leaves only its alt text: the terminal cannot show it, and a link to it
    would be one more address to vet."""
    return escape_markdown(clean_line(alt)) if isinstance(alt, str) else ""


def _br_markdown(parent_tags: set[str]) -> str:
    """A plain newline: extraction reads lines, and a Markdown hard break would leave
    trailing spaces or backslashes in the stored text."""
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


class _MarkdownWriter(Protocol):
    """What we use of our markdownify converter (the class exists only once built)."""

    base_url: str | None

    def convert_soup(self, soup: Tag | BeautifulSoup) -> str: ...


def _soup_ws_inside(el: object) -> bool:
    """markdownify's `should_remove_whitespace_inside`, for a bs4 node (or None)."""
    name = getattr(el, "name", None)
    if not el or not isinstance(name, str):
        return False
    return _SOUP_HEADING.match(name) is not None or name in _WS_BLOCKS


def _soup_ws_outside(el: object) -> bool:
    """markdownify's `should_remove_whitespace_outside`, for a bs4 node (or None)."""
    return _soup_ws_inside(el) or getattr(el, "name", None) == "pre"


_SOUP_HEADING = re.compile(r"h(\d+)")
_PRE_LEADING = re.compile(r"^[ \n]*\n")
_PRE_TRAILING = re.compile(r"[ \n]*$")


def _converter_class() -> Callable[..., _MarkdownWriter]:
    """markdownify with heraldtui's rules (links, images, line breaks, dropped elements).

    Built on first use: markdownify and bs4 take a quarter of a second to import, and a
    refresh whose feeds are all simple HTML never needs them (see `_fast_markdown`).
    """
    from bs4.element import NavigableString
    from markdownify import MarkdownConverter

    class Converter(MarkdownConverter):
        base_url: str | None = None

        def convert_a(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            raw_href = el.get("href")
            href = raw_href if isinstance(raw_href, str) else None
            return _link_markdown(href, text, parent_tags, self.base_url)

        def convert_img(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            return _image_markdown(el.get("alt"))

        def convert_br(self, el: Tag, text: str, parent_tags: set[str]) -> str:
            return _br_markdown(parent_tags)

        def process_text(self, el: NavigableString, parent_tags: set[str] | None = None) -> str:
            """markdownify's, with the text node cleaned first and our escaping (the
            fast path's `_FastConverter.process_text` is the same steps)."""
            parent_tags = parent_tags or set()
            text = _node_text(str(el))
            if "pre" not in parent_tags:
                text = _RE_NEWLINE_WS.sub("\n", text)
                text = _RE_WS.sub(" ", text)
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


def _plain_number(value: str) -> bool:
    return value.isascii() and value.isdigit()


def tag_to_markdown(tag: Tag | BeautifulSoup, base_url: str | None = None) -> str:
    """A parsed element as cleaned Markdown, for callers (fulltext) that already hold a tree."""
    for ol in tag.find_all("ol", start=True):
        if not _plain_number(str(ol["start"])):
            del ol["start"]  # markdownify calls int() on anything isnumeric(), e.g. "½"
    markdown = _converter(base_url).convert_soup(tag)
    return _guard_links(clean_text(_unescape_urls(markdown)))


def html_to_markdown(html: str, base_url: str | None = None) -> str:
    """An HTML fragment as the Markdown we store in `Article.content`.

    Paragraphs stay paragraphs, list items become `- item` lines, headings are ATX, `<br>`
    is a newline, images leave their alt text, links are absolute (against `base_url`) and
    only http(s)/mailto; scripts, styles, frames and form controls vanish.

    Simple, well-formed fragments (what most feeds carry) take `_fast_markdown`, which
    gives markdownify's output without its cost; anything else goes to markdownify.
    """
    if not html or not html.strip():
        return ""
    fast = _fast_markdown(html, base_url)
    if fast is not None:
        return _guard_links(clean_text(_unescape_urls(fast)))
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    return tag_to_markdown(soup, base_url)


# -- the fast path: markdownify's algorithm on a tree we can build cheaply ------------------
#
# markdownify (the converter of record) costs ~1.5 ms per article, most of it building a
# BeautifulSoup tree and walking it through bs4's generic navigation. Feed content is
# nearly always a handful of simple elements, so for fragments that are well-formed and
# use only those elements we build a minimal tree with one regular expression and run a
# transcription of markdownify's own `process_tag` / `process_text` and convert functions
# on it. Anything outside that subset (another element, a comment, an unknown entity, a
# bare `<`, a tag left open or closed out of order) returns None and markdownify does the
# work. tests/text/test_clean.py checks the two paths agree on generated and real fragments.

_FAST_TAGS = frozenset(
    "p div blockquote br b strong em i a img hr ul ol li span h1 h2 h3 h4 h5 h6".split()
)
_VOID_TAGS = frozenset({"br", "img", "hr"})
# Elements whose inner/outer whitespace markdownify drops (its should_remove_whitespace_*).
_WS_BLOCKS = frozenset(
    """p blockquote article div section ol ul li dl dt dd table thead tbody tfoot tr td th
    h1 h2 h3 h4 h5 h6""".split()
)
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
_RE_NEWLINE_WS = re.compile(r"[\t \r\n]*[\r\n][\t \r\n]*")
_RE_WS = re.compile(r"[\t ]+")
_RE_ALL_WS = re.compile(r"[\t \r\n]+")
_RE_EXTRACT_NEWLINES = re.compile(r"^(\n*)((?:.*[^\n])?)(\n*)$", flags=re.DOTALL)
_RE_LINE_WITH_CONTENT = re.compile(r"^(.*)", flags=re.MULTILINE)
_BACKTICK_RUNS = re.compile(r"`+")


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
        if name == "ol" and not _plain_number(attrs.get("start", "1")):
            del attrs["start"]  # as tag_to_markdown does: a list numbered from 1
        element = _Element(name, attrs, node)
        node.children.append(element)
        if name in _VOID_TAGS:
            continue
        if token.group("close"):
            return None  # <p/> and the like: html.parser and bs4 disagree with browsers
        node = element
    return root if node is root else None


def _ws_outside(el: _Element | str | None) -> bool:
    return isinstance(el, _Element) and (el.name in _WS_BLOCKS or el.name == "pre")


def _block_content(el: _Element | str) -> bool:
    return isinstance(el, _Element) or el.strip() != ""


def _fast_markdown(html: str, base_url: str | None) -> str | None:
    """markdownify's output for `html`, or None when the fragment needs markdownify."""
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
        inside = node.name in _WS_BLOCKS
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
        text = _node_text(text)
        if "\n" in text:  # (no \r: `_text_ok` sends such text to markdownify)
            text = _RE_NEWLINE_WS.sub("\n", text)
        if "  " in text or "\t" in text:
            text = _RE_WS.sub(" ", text)
        if text:
            text = escape_markdown(text)
        siblings = parent.children
        before = siblings[index - 1] if index > 0 else None
        after = siblings[index + 1] if index + 1 < len(siblings) else None
        inside = parent.name in _WS_BLOCKS
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
            return _link_markdown(el.attrs.get("href"), text, parent_tags, self.base_url)
        if name == "br":
            return _br_markdown(parent_tags)
        if name == "img":
            return _image_markdown(el.attrs.get("alt"))
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
