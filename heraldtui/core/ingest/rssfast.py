"""A fast reader for plain RSS 2.0: expat directly, feedparser's answer exactly, or None.

feedparser spends about 40 µs per XML element in its Python SAX handlers, ~90% of
`parse_feed` on a 50-item full-content feed. Most feeds are plain RSS 2.0 whose items use a
dozen elements; for those, this module walks the XML with `xml.parsers.expat` and builds
the same feed and entry mappings feedparser would have built, in the shape `parse.py`
already reads (`title_detail`, `summary_detail`, `content`, `id`, `link`, `author` and
`author_detail`, `published_parsed`, `updated_parsed`). Anything else gets None, meaning
"not plain: ask feedparser", and `parse.py` does. An equivalence test holds the two to the
same records (`tests/ingest/test_rssfast.py`), as `fast_markdown` is held to markdownify.

What "plain" means (any doubt is None):

- Bytes: feedparser's own encoding step (`convert_to_utf8`) runs first, on the same headers,
  so the text is exactly the text feedparser's SAX parser would see. Accepted only when it
  raised nothing but "not an XML media type" (which changes no record) and chose UTF-8 or
  ASCII, or the body is pure ASCII read with an ASCII-compatible single-byte charset.
- XML: well-formed for expat; no DOCTYPE (so no entity declarations, no expansion bombs:
  the parse stops at the DOCTYPE's start), nor anything feedparser's `replace_doctype`
  would rewrite before the root; root `<rss version="2.0|0.91|0.92">` with one
  `<channel>`; at most five levels deep.
- Namespaces: no prefix that feedparser reserves for one namespace (`dc`, `content`,
  `media`, ...) declared for another one it knows: feedparser keeps one prefix map for the
  whole document and would then send those elements to the wrong handler and drop them.
- Elements: each level has an allowlist of (namespace, name) pairs, matched the way
  feedparser matches them (local names lower-cased, namespace URIs compared lower-cased).
  Item children are title, link, guid, pubDate, description, content:encoded, author,
  dc:creator, dc:date or atom:updated, category, comments, enclosure, source, media:content,
  media:thumbnail, wfw:commentRss, slash:comments, feedburner:origLink; each at most
  once where feedparser's result would depend on which copy wins; none has children.
  Channel children are the RSS 2.0 channel elements (image, textInput, skipHours and
  skipDays with their own children), atom:link, dc:date/creator/language/rights,
  feedburner:info and the syndication module.
- Attributes: only those each element is known to take (guid isPermaLink, category
  domain, enclosure url/length/type, media:content and atom:link type, ...). No xml:base,
  xml:lang or `base` attribute anywhere, and no `type` on a text element: they move
  feedparser's base URI or content type.

The feedparser behaviour reproduced, because it reaches our records:

- every value is stripped, then re-decoded when it is UTF-8 read as Latin-1
  (`s.encode('iso-8859-1').decode('utf-8')` when that succeeds), then C1 controls are
  mapped to their cp1252 characters (feedparser's `_cp1252` table);
- titles are text/plain unless feedparser's own `looks_like_html` says HTML (it looks at
  the stripped text before the re-decoding); descriptions and content:encoded are text/html;
- `<link>` and permalink `<guid>` values are joined to the base URI with feedparser's
  `_urljoin`; links then lose `&amp;` and have `&name;` turned into `&name`;
- a guid that is a permalink (isPermaLink absent or exactly "true") becomes the link when
  no `<link>` came before it; a later `<link>` overrides it;
- content:encoded becomes the summary when there is no description (without a
  summary_detail, as in feedparser);
- `author`/`dc:creator` are split into name and e-mail by feedparser's regular expression;
- dates go through feedparser's own `_parse_date`;
- the base URI is the feed URL passed through `make_safe_absolute_uri` once per element
  level, as feedparser does on each start tag.

Control characters, HTML and links in the values are not judged here: `parse.py` sends
them through the same `core/text` functions as feedparser's values. The mappings carry what
`parse.py` reads, no more: their `language` is always None, which parse.py never reads.

The module leans on a few of feedparser's private helpers (its date parser, cp1252 table,
urljoin and namespace table) so that it agrees with feedparser by construction; if a
release moves one, the fast path turns itself off (every body gets None) instead of
breaking the import of `parse.py`.
"""

from __future__ import annotations

import contextlib
import re
import xml.parsers.expat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from feedparser.encodings import convert_to_utf8
from feedparser.exceptions import NonXMLContentType
from feedparser.urls import make_safe_absolute_uri

try:  # private helpers: see the module docstring
    from feedparser.datetimes import _parse_date
    from feedparser.html import _cp1252
    from feedparser.mixin import _FeedParserMixin
    from feedparser.sanitizer import replace_doctype
    from feedparser.urls import _urljoin

    _AVAILABLE = True
    _STANDARD_PREFIX: dict[str, str] = {
        uri.lower(): prefix for uri, prefix in _FeedParserMixin.namespaces.items()
    }
except (ImportError, AttributeError):  # pragma: no cover - depends on feedparser's release
    _AVAILABLE = False
    _STANDARD_PREFIX = {}
_RESERVED_PREFIXES = frozenset(_STANDARD_PREFIX.values())
try:  # the pattern feedparser finds a declared encoding with (`_declaration_alone`)
    from feedparser.encodings import RE_XML_PI_ENCODING as _PI_ENCODING
except ImportError:  # pragma: no cover - depends on feedparser's release
    _PI_ENCODING = None

__all__ = ["PlainFeed", "read_plain_rss"]

_VERSIONS = frozenset({"2.0", "0.91", "0.92"})
_UTF8_OR_ASCII = frozenset({"utf-8", "utf8", "us-ascii", "ascii"})
_ASCII_COMPATIBLE = frozenset(
    {"iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252", "iso-8859-15"}
)
_MAX_DEPTH = 5

_CONTENT = "http://purl.org/rss/1.0/modules/content/"
_DC = "http://purl.org/dc/elements/1.1/"
_ATOM = "http://www.w3.org/2005/atom"
_SY = "http://purl.org/rss/1.0/modules/syndication/"
_MEDIA = "http://search.yahoo.com/mrss/"
_WFW = "http://wellformedweb.org/commentapi/"
_SLASH = "http://purl.org/rss/1.0/modules/slash/"
_FEEDBURNER = "http://rssnamespace.org/feedburner/ext/1.0"

# Item children: (namespace, lower-cased local name) -> (role, allowed attributes).
# Roles other than "ignore" are read; "ignore" elements change nothing feedparser keeps
# in the fields parse.py reads (their text lands in keys of their own).
_ITEM_CHILDREN: dict[tuple[str, str], tuple[str, frozenset[str]]] = {
    ("", "title"): ("title", frozenset()),
    ("", "link"): ("link", frozenset()),
    ("", "guid"): ("guid", frozenset({"ispermalink"})),
    ("", "pubdate"): ("published", frozenset()),
    ("", "description"): ("description", frozenset()),
    (_CONTENT, "encoded"): ("content", frozenset()),
    ("", "author"): ("author", frozenset()),
    (_DC, "creator"): ("author", frozenset()),
    (_DC, "date"): ("updated", frozenset()),
    (_ATOM, "updated"): ("updated", frozenset()),
    ("", "category"): ("ignore", frozenset({"domain"})),
    ("", "comments"): ("ignore", frozenset()),
    ("", "enclosure"): ("ignore", frozenset({"url", "length", "type"})),
    ("", "source"): ("ignore", frozenset({"url"})),
    (_MEDIA, "content"): (
        "ignore",
        frozenset({"url", "type", "medium", "width", "height", "filesize", "duration"}),
    ),
    (_MEDIA, "thumbnail"): ("ignore", frozenset({"url", "width", "height"})),
    (_WFW, "commentrss"): ("ignore", frozenset()),
    (_SLASH, "comments"): ("ignore", frozenset()),
    (_FEEDBURNER, "origlink"): ("ignore", frozenset()),
}
_REPEATABLE = frozenset({("", "category"), ("", "enclosure"), (_MEDIA, "content")})

_CLOUD_ATTRIBUTES = frozenset({"domain", "port", "path", "registerprocedure", "protocol"})
_ATOM_LINK_ATTRIBUTES = frozenset({"href", "rel", "type", "title", "hreflang"})

# Channel children -> (allowed attributes, allowed children). The children lists are the
# ones that keep feedparser's image/textinput state as it was (its "special hack" resets
# that state on any other element, and a title could then land in the feed's title).
_CHANNEL_CHILDREN: dict[tuple[str, str], tuple[frozenset[str], frozenset[str]]] = {
    **{
        ("", name): (frozenset(), frozenset())
        for name in (
            "link",
            "description",
            "language",
            "copyright",
            "managingeditor",
            "webmaster",
            "pubdate",
            "lastbuilddate",
            "generator",
            "docs",
            "ttl",
            "rating",
        )
    },
    ("", "category"): (frozenset({"domain"}), frozenset()),
    ("", "cloud"): (_CLOUD_ATTRIBUTES, frozenset()),
    ("", "image"): (
        frozenset(),
        frozenset({"url", "title", "link", "width", "height", "description"}),
    ),
    ("", "textinput"): (frozenset(), frozenset({"title", "description", "name", "link"})),
    ("", "skiphours"): (frozenset(), frozenset({"hour"})),
    ("", "skipdays"): (frozenset(), frozenset({"day"})),
    (_ATOM, "link"): (_ATOM_LINK_ATTRIBUTES, frozenset()),
    (_DC, "date"): (frozenset(), frozenset()),
    (_DC, "creator"): (frozenset(), frozenset()),
    (_DC, "language"): (frozenset(), frozenset()),
    (_DC, "rights"): (frozenset(), frozenset()),
    (_FEEDBURNER, "info"): (frozenset({"uri"}), frozenset()),
    (_SY, "updateperiod"): (frozenset(), frozenset()),
    (_SY, "updatefrequency"): (frozenset(), frozenset()),
    (_SY, "updatebase"): (frozenset(), frozenset()),
}

_QUERY_ENTITY = re.compile("&([A-Za-z0-9_]+);")
# feedparser's `_sync_author_detail` split of an RSS author into name and e-mail.
_AUTHOR_EMAIL = re.compile(
    r"""(([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|"""
    r"""(([a-zA-Z0-9\-]+\.)+))([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?"""
)
_looks_like_html: Callable[[str], bool] = _FeedParserMixin.looks_like_html


@dataclass(frozen=True, slots=True)
class PlainFeed:
    """The feed and entry mappings feedparser would have given for this body."""

    feed: dict[str, Any]
    entries: list[dict[str, Any]]


class _NotPlain(Exception):
    """Raised inside an expat handler to stop at the first thing that is not plain."""


def read_plain_rss(body: bytes, headers: Mapping[str, str]) -> PlainFeed | None:
    """The feed in `body` read as feedparser would read it, or None if it is not plain RSS.

    `headers` are the lower-cased response headers exactly as `parse.py` hands them to
    feedparser (with the feed URL as content-location).
    """
    if not _AVAILABLE or b"<rss" not in body[:4096]:
        return None  # cheap refusal of Atom, RDF and JSON before any decoding
    result: dict[str, Any] = {}
    try:
        data = convert_to_utf8(dict(headers), _declaration_alone(body), result)
    except Exception:  # feedparser's step, on hostile bytes: not our plain case
        return None
    error = result.get("bozo_exception")
    if error is not None and not isinstance(error, NonXMLContentType):
        return None
    encoding = str(result.get("encoding") or "").lower()
    if encoding not in _UTF8_OR_ASCII and not (encoding in _ASCII_COMPATIBLE and body.isascii()):
        return None
    if replace_doctype(data)[1] != data:
        return None  # feedparser would rewrite what comes before the root (even in comments)
    return _Reader(_base_uri(headers)).read(data)


_LONG_LINE = 1024
"""A first line longer than this is worth splitting (`_declaration_alone`)."""


def _declaration_alone(body: bytes) -> bytes:
    """`body` with a newline after its XML declaration when the declaration starts a long
    first line (a feed written on one line), where that reads the same.

    feedparser looks for the declared encoding with a regex that is greedy over the first
    line (`^<\\?.*encoding=...`): on a feed of one 250 kB line it runs to the end and back,
    2.5 ms a feed, a third of what reading the rest of it costs. With the declaration on
    a line of its own the regex finds the same encoding in microseconds, provided it
    could only ever have found it in the declaration: the rest of the line names no
    `encoding=` and the declaration names one at most (and that one is matched). Between
    the declaration and the root, a newline changes nothing else (feedparser rewrites the
    declaration; expat skips the whitespace)."""
    if _PI_ENCODING is None or not body.startswith(b"<?xml"):
        return body
    eol = body.find(b"\n")
    if eol < 0:
        eol = len(body)
    end = body.find(b"?>", 0, eol) + 2
    if eol <= _LONG_LINE or end < 2 or body.find(b"encoding=", end, eol) >= 0:
        return body
    declaration = body[:end]
    named = declaration.count(b"encoding=")
    if named > 1 or (named == 1 and _PI_ENCODING.match(declaration) is None):
        return body
    return declaration + b"\n" + body[end:]


def _base_uri(headers: Mapping[str, str]) -> str:
    """feedparser's starting base URI: the Content-Location, made safe as its api does."""
    location = headers.get("content-location", "")
    return make_safe_absolute_uri("", location) or make_safe_absolute_uri(location) or ""


def _next_base(base: str) -> str:
    """The base URI one element deeper, when the element has no xml:base of its own."""
    if base:
        return str(make_safe_absolute_uri(base, base) or base)
    return str(_urljoin(base, base))


def _as_feedparser_leaves_it(text: str) -> str:
    """feedparser's last steps on every value: UTF-8-read-as-Latin-1 repair, then cp1252."""
    if text.isascii():
        return text
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        text = text.encode("iso-8859-1").decode("utf-8")
    return text.translate(_cp1252)


def _author_detail(author: str) -> dict[str, str] | None:
    """Name and e-mail out of an RSS author, as feedparser's `_sync_author_detail` does."""
    if not author:
        return None
    email = None
    match = _AUTHOR_EMAIL.search(author)
    if match:
        email = match.group(0)
        author = author.replace(email, "").replace("()", "").replace("<>", "")
        author = author.replace("&lt;&gt;", "").strip()
        if author and author[0] == "(":
            author = author[1:]
        if author and author[-1] == ")":
            author = author[:-1]
        author = author.strip()
    detail: dict[str, str] = {}
    if author:
        detail["name"] = author
    if email:
        detail["email"] = email
    return detail or None


class _Reader:
    """One pass of expat over one body; state mirrors the bits of feedparser's that matter."""

    def __init__(self, base: str) -> None:
        bases = [base]
        for _ in range(_MAX_DEPTH):
            bases.append(_next_base(bases[-1]))
        self.bases = bases  # bases[d]: feedparser's base URI inside an element at depth d
        self.stack: list[tuple[str, str]] = []
        self.text: list[str] | None = None
        self.feed: dict[str, Any] = {}
        self.entries: list[dict[str, Any]] = []
        self.entry: dict[str, Any] = {}
        self.seen: set[tuple[str, str]] = set()
        self.channels = 0
        self.permalink = False

    def read(self, data: bytes) -> PlainFeed | None:
        parser = xml.parsers.expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartElementHandler = self._start
        parser.EndElementHandler = self._end
        parser.CharacterDataHandler = self._characters
        parser.StartDoctypeDeclHandler = _refuse
        parser.StartNamespaceDeclHandler = _check_prefix
        parser.EntityDeclHandler = _refuse
        try:
            parser.Parse(data, True)
        except (_NotPlain, xml.parsers.expat.ExpatError):
            return None
        if self.channels != 1:
            return None
        return PlainFeed(feed=self.feed, entries=self.entries)

    def _characters(self, data: str) -> None:
        if self.text is not None:
            self.text.append(data)

    def _start(self, name: str, attributes: dict[str, str]) -> None:
        key = _split(name)
        attrs = _attributes(attributes)
        depth = len(self.stack) + 1
        if self.text is not None or depth > _MAX_DEPTH:  # the allowlists stop at depth 4
            raise _NotPlain  # text elements have no children
        parent = self.stack[-1] if self.stack else None
        if parent is None:
            if key != ("", "rss") or set(attrs) - {"version"}:
                raise _NotPlain
            if attrs.get("version") not in _VERSIONS:
                raise _NotPlain
        elif parent == ("", "rss"):
            if key != ("", "channel") or attrs or self.channels:
                raise _NotPlain
            self.channels += 1
        elif parent == ("", "channel"):
            self._start_in_channel(key, attrs)
        elif parent == ("", "item"):
            self._start_in_item(key, attrs)
        else:
            allowed = _CHANNEL_CHILDREN.get(parent)
            if allowed is None or key[0] or key[1] not in allowed[1] or attrs:
                raise _NotPlain
            self.text = []  # read and dropped, as feedparser keeps it in other keys
        self.stack.append(key)

    def _start_in_channel(self, key: tuple[str, str], attrs: dict[str, str]) -> None:
        if key == ("", "item"):
            if attrs:
                raise _NotPlain
            self.entry = {}
            self.seen = set()
            return
        if key == ("", "title"):
            if attrs or "title" in self.feed:
                raise _NotPlain  # a second channel title: which one wins depends on order
            self.text = []
            return
        allowed = _CHANNEL_CHILDREN.get(key)
        if allowed is None or set(attrs) - allowed[0]:
            raise _NotPlain
        if not allowed[1]:
            self.text = []  # a text element: its children are refused

    def _start_in_item(self, key: tuple[str, str], attrs: dict[str, str]) -> None:
        known = _ITEM_CHILDREN.get(key)
        if known is None or set(attrs) - known[1]:
            raise _NotPlain
        role = known[0]
        mark = (role, "") if role in ("author", "updated") else key
        if mark in self.seen and key not in _REPEATABLE:
            raise _NotPlain
        self.seen.add(mark)
        if role == "guid":
            self.permalink = attrs.get("ispermalink", "true") == "true"
        self.text = []

    def _end(self, name: str) -> None:
        key = self.stack.pop()
        depth = len(self.stack) + 1
        pieces, self.text = self.text, None
        parent = self.stack[-1] if self.stack else None
        if key == ("", "item") and parent == ("", "channel"):
            self.entries.append(self.entry)
            self.entry = {}
            return
        if pieces is None:
            return
        raw = "".join(pieces).strip()
        if parent == ("", "channel") and key == ("", "title"):
            self.feed["title"] = value = _as_feedparser_leaves_it(raw)
            self.feed["title_detail"] = self._detail(_title_type(raw), depth, value)
        elif parent == ("", "item"):
            self._end_in_item(_ITEM_CHILDREN[key][0], raw, depth)

    def _end_in_item(self, role: str, raw: str, depth: int) -> None:
        entry = self.entry
        base = self.bases[depth]
        if role == "title":
            value = _as_feedparser_leaves_it(raw)
            entry["title"] = value
            entry["title_detail"] = self._detail(_title_type(raw), depth, value)
        elif role == "link":
            value = _as_feedparser_leaves_it(_urljoin(base, raw) if raw else raw)
            if "&" in value:
                value = _QUERY_ENTITY.sub(r"&\g<1>", value.replace("&amp;", "&"))
            entry["link"] = value
        elif role == "guid":
            value = _as_feedparser_leaves_it(_urljoin(base, raw) if raw and self.permalink else raw)
            entry["id"] = value
            entry.setdefault("guidislink", self.permalink and "link" not in entry)
            if self.permalink:
                entry.setdefault("link", value)
        elif role == "published":
            value = _as_feedparser_leaves_it(raw)
            entry["published"] = value
            entry["published_parsed"] = _parse_date(value)
        elif role == "updated":
            value = _as_feedparser_leaves_it(raw)
            entry["updated"] = value
            entry["updated_parsed"] = _parse_date(value)
        elif role == "description":
            value = _as_feedparser_leaves_it(raw)
            entry["summary"] = value
            entry["summary_detail"] = self._detail("text/html", depth, value)
        elif role == "content":
            value = _as_feedparser_leaves_it(raw)
            entry.setdefault("content", []).append(self._detail("text/html", depth, value))
            entry.setdefault("summary", value)
        elif role == "author":
            value = _as_feedparser_leaves_it(raw)
            entry["author"] = value
            detail = _author_detail(value)
            if detail is not None:
                entry["author_detail"] = detail

    def _detail(self, kind: str, depth: int, value: str) -> dict[str, Any]:
        return {"type": kind, "language": None, "base": self.bases[depth], "value": value}


def _refuse(*_: object) -> None:
    raise _NotPlain


def _check_prefix(prefix: str | None, uri: str | None) -> None:
    """Refuse a reserved prefix bound to another namespace feedparser knows (see above)."""
    if prefix in _RESERVED_PREFIXES and _STANDARD_PREFIX.get((uri or "").lower(), prefix) != prefix:
        raise _NotPlain


def _split(name: str) -> tuple[str, str]:
    """(namespace lower-cased, local name lower-cased), as feedparser's SAX handler sees it."""
    namespace, _, local = name.rpartition(" ")
    if " " in namespace:  # no allowlisted URI has one; kept in case the lists grow
        raise _NotPlain  # a namespace URI with a space: SAX would split it differently
    return namespace.lower(), local.lower()


def _attributes(attributes: dict[str, str]) -> dict[str, str]:
    """Attributes by lower-cased name; namespaced ones (xml:base, xml:lang, ...) refused."""
    if not attributes:
        return attributes
    out: dict[str, str] = {}
    for name, value in attributes.items():
        if " " in name:
            raise _NotPlain
        lower = name.lower()
        if lower in out:
            raise _NotPlain  # two spellings of one name: which wins is feedparser's business
        out[lower] = value
    return out


def _title_type(raw: str) -> str:
    return "text/html" if _looks_like_html(raw) else "text/plain"
