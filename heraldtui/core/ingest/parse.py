"""Feed bytes to `Article` records: the one place that knows feedparser's dict shapes.

The method:

- JSON Feed is recognised by its media type or a leading `{` and read by `jsonfeed.py`;
  everything else goes to feedparser as bytes plus the response headers (never a URL, so
  parsing never touches the network). The feed URL goes in as Content-Location, which is
  how feedparser learns the base for relative links.
- feedparser's HTML sanitiser and URI rewriting are switched off: they cost half its time
  and we do both ourselves, more strictly, when HTML becomes Markdown (`text.html_markdown`:
  scripts, styles and frames dropped, links made absolute, only http(s)/mailto kept).
- A charset header that contradicts the bytes is overruled when the bytes are valid
  UTF-8 with non-ASCII in them: real Latin-1 text almost never is, while servers that
  label UTF-8 feeds `iso-8859-1` are common.
- Bozo feeds that still give entries are kept, with `warning` saying what was wrong in a
  sentence; an empty body, an HTML page, or bytes with no feed in them raise
  `FeedParseError` with the reason.
- Plain RSS 2.0 (UTF-8 or ASCII, no DOCTYPE, the usual item elements) is read by
  `rssfast.py` with expat into the same entry mappings feedparser would give, about ten
  times cheaper; anything it is not sure of goes to feedparser. Likewise simple HTML
  content takes `text.fast_markdown` instead of markdownify. `fast_paths` turns either off
  (`FastPaths`, see `fastpaths.py`); the equivalence tests compare the paths record for
  record.
- feedparser's per-element xml:base resolution is memoized (`_memoize_base_resolution`):
  it is a pure function and otherwise a quarter of feedparser's time on a plain RSS feed.
- Records are built at once, every text field through `core.text`: titles and authors as
  one line, summaries as plain text, full content (content:encoded, Atom content, JSON
  `content_html`/`content_text`) as Markdown. Plain-text content is escaped on its way
  into Markdown (`text_to_markdown`): a feed whose text says `![x](https://tracker/)` or
  `<script>` means those characters, not an image or an element. An item with only a
  teaser gets `content=""` and `needs_full_text()` tells the refresher to fetch its page.
- `guid` is the entry id, else the link, else a hash of title and date; a repeated guid
  (or a repeated link for items without an id) keeps the first item only.

`parse_feed` is a pure function of picklable values, so it can run in a process pool.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
import time
import xml.sax
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urljoin, urlsplit

import feedparser
import feedparser.mixin

from heraldtui.core.errors import FeedParseError
from heraldtui.core.ingest.fastpaths import FAST_PATHS_ON, FastPaths
from heraldtui.core.ingest.limits import (
    MAX_BODY_BYTES,
    MAX_ITEMS_PER_FEED,
    cap_text,
    gunzip_members,
)
from heraldtui.core.ingest.rssfast import read_plain_rss
from heraldtui.core.models import Article
from heraldtui.core.text.escape import text_to_markdown
from heraldtui.core.text.html_markdown import html_to_markdown
from heraldtui.core.text.html_text import html_to_text
from heraldtui.core.text.sanitize import clean_line, clean_text

if TYPE_CHECKING:
    from heraldtui.core.ingest.jsonfeed import JsonFeed, JsonItem

__all__ = ["FULL_TEXT_MIN_WORDS", "ParsedFeed", "needs_full_text", "parse_feed"]

FULL_TEXT_MIN_WORDS = 80
"""Content shorter than this is a teaser: the article page holds the story."""

_T = TypeVar("_T")
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_LINK_SCHEMES = frozenset({"http", "https"})
_CHARSET = re.compile(r";\s*charset\s*=\s*[\"']?([^\"';\s]+)[\"']?", re.IGNORECASE)
_OPML_START = re.compile(rb"<opml[\s>]", re.IGNORECASE)
_HTML_START = re.compile(
    rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>])", re.I | re.S
)


def _memoize_base_resolution() -> None:
    """Memoize feedparser's `make_safe_absolute_uri`, a pure function of two strings.

    feedparser resolves the xml:base of every element it opens (a urljoin each time),
    although the base almost never changes within a feed: on a 50-item RSS feed that is a
    quarter of its time. Same inputs, same output; only the repeated work goes. Skipped
    if a feedparser release moves the function.
    """
    original = getattr(feedparser.mixin, "make_safe_absolute_uri", None)
    if callable(original) and not hasattr(original, "cache_info"):
        feedparser.mixin.make_safe_absolute_uri = functools.lru_cache(maxsize=512)(original)


_memoize_base_resolution()


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """What one feed body holds, cleaned; `warning` says what was wrong if it was bozo."""

    title: str
    articles: tuple[Article, ...]
    warning: str | None


def needs_full_text(article: Article) -> bool:
    """True when the item carries no real article text, only a teaser (or nothing)."""
    # maxsplit: counting stops at the threshold instead of splitting a whole article.
    return len(article.content.split(None, FULL_TEXT_MIN_WORDS - 1)) < FULL_TEXT_MIN_WORDS


def looks_like_json(body: bytes, content_type: str | None = None) -> bool:
    """True for a JSON media type, or a body whose first non-blank byte is `{`: read by
    `jsonfeed.py` (imported then), not feedparser."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media.endswith(("/json", "+json")):
        return True
    return body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def parse_feed(
    body: bytes,
    *,
    feed_name: str,
    url: str,
    feed_key: str = "",
    headers: Mapping[str, str] | None = None,
    fast_paths: FastPaths = FAST_PATHS_ON,
    max_items: int | None = None,
) -> ParsedFeed:
    """The feed in `body` (fetched from `url`) as cleaned Articles: its newest `max_items`
    (default MAX_ITEMS_PER_FEED), chosen before any item's HTML is converted.

    `feed_key` is the stored feed's key (`FeedState.key`), which the articles' ids hash.

    `fast_paths.rss` and `.markdown` say whether plain RSS and simple HTML take the fast
    readers (the same records either way). Raises FeedParseError when the body is empty,
    an HTML page or not a feed at all.
    """
    lower = {k.lower(): v for k, v in (headers or {}).items()}
    content_type = lower.get("content-type", "")
    if body.startswith(b"\x1f\x8b"):
        body = _gunzip(body)  # a .xml.gz served as is, without Content-Encoding
    if not body.lstrip(b"\xef\xbb\xbf \t\r\n\x00"):
        raise FeedParseError("the server sent an empty body, not a feed")
    limit = max_items or MAX_ITEMS_PER_FEED
    if looks_like_json(body, content_type):
        from heraldtui.core.ingest.jsonfeed import parse_json_feed  # JSON Feed is rare

        return _from_json(
            parse_json_feed(body),
            (feed_name, feed_key),
            url,
            fast=fast_paths.markdown,
            limit=limit,
        )
    lower = feedparser_headers(lower, url, body)
    read_entry = partial(
        _from_entry, owner=(feed_name, feed_key), feed_url=url, fast=fast_paths.markdown
    )
    plain = read_plain_rss(body, lower) if fast_paths.rss else None
    if plain is not None:
        title = _text_of(plain.feed.get("title_detail"), plain.feed.get("title"))
        entries, capped = _newest(plain.entries, limit, _entry_date)
        articles, warning = _read_items(entries, read_entry)
        warning = "; ".join(w for w in (capped, warning) if w) or None
        return ParsedFeed(title=title or clean_line(feed_name), articles=articles, warning=warning)
    try:
        result = feedparser.parse(
            io.BytesIO(body),
            response_headers=lower,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
    except Exception as err:  # feedparser is meant to never raise; be sure of it
        raise FeedParseError(f"the feed could not be read ({type(err).__name__})") from None
    entries = result.get("entries") or []
    version = result.get("version") or ""
    if not entries and not version:
        raise FeedParseError(_why_not_a_feed(body, content_type, result.get("bozo_exception")))
    feed = result.get("feed") or {}
    title = _text_of(feed.get("title_detail"), feed.get("title")) or clean_line(feed_name)
    bozo = _describe_bozo(result) if result.get("bozo") else None
    entries, capped = _newest(entries, limit, _entry_date)
    articles, skipped = _read_items(entries, read_entry)
    warning = "; ".join(w for w in (bozo, capped, skipped) if w) or None
    return ParsedFeed(title=title, articles=articles, warning=warning)


def _entry_date(entry: dict[str, Any]) -> datetime | None:
    # dict.get: FeedParserDict would map a missing published to updated, with a warning.
    return _utc(dict.get(entry, "published_parsed")) or _utc(dict.get(entry, "updated_parsed"))


def _newest(
    items: Sequence[_T], limit: int, date_of: Callable[[_T], datetime | None]
) -> tuple[Sequence[_T], str | None]:
    """The newest `limit` items, in the feed's order, and a warning when some were left.

    Items without a date count as the newest (feeds list newest first; a dateless feed's
    first items are its latest), ties keep the feed's order."""
    if len(items) <= limit:
        return items, None
    order = sorted(
        range(len(items)),
        key=lambda i: (date_of(items[i]) or _NO_DATE, -i),
        reverse=True,
    )
    kept = sorted(order[:limit])
    warning = f"kept the newest {limit:,} of {len(items):,} items (max_items)"
    return [items[i] for i in kept], warning


_NO_DATE = datetime.max.replace(tzinfo=UTC)


def _read_items(
    entries: Iterable[_T], read_one: Callable[[_T], Article | None]
) -> tuple[tuple[Article, ...], str | None]:
    """Every entry as an Article; one that cannot be read costs that item alone.

    Converters are bounded (depth, size), so this is the last guard, for the input
    nobody foresaw: the rest of the feed is stored and the warning says how many were lost.
    """
    read: list[Article | None] = []
    lost = 0
    for entry in entries:
        try:
            read.append(read_one(entry))
        except Exception:
            lost += 1
    if not lost:
        return _dedupe(read), None
    return _dedupe(read), f"{lost} {'item' if lost == 1 else 'items'} could not be read, skipped"


def _gunzip(body: bytes) -> bytes:
    """A .xml.gz served as is: every member, under the fetcher's own decompressed cap (an
    unlabelled gzip body must not be a way past it)."""
    try:
        return b"".join(gunzip_members(body, MAX_BODY_BYTES))
    except zlib.error:
        raise FeedParseError("the body is gzip-compressed and corrupt") from None
    except ValueError as err:
        raise FeedParseError(f"the body is gzip-compressed and {err}") from None


# -- why a body is not a feed, and what was wrong with a bozo one ------------------------


def _why_not_a_feed(body: bytes, content_type: str, error: object) -> str:
    media = content_type.split(";", 1)[0].strip().lower()
    if media in _HTML_TYPES or _HTML_START.match(body[:2048]):
        return "the server sent an HTML page, not a feed"
    if not body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return "not a feed: the body is neither XML nor JSON"
    if isinstance(error, xml.sax.SAXParseException):
        return f"not a feed: the XML is broken (line {error.getLineNumber()}: {error.getMessage()})"
    if _OPML_START.search(body[:2048]):
        return "not a feed: this is an OPML subscription list (a list of feeds)"
    return "not a feed: the XML has no RSS, RDF or Atom root element"


def _describe_bozo(result: Mapping[str, Any]) -> str | None:
    error = result.get("bozo_exception")
    if error is None or isinstance(error, feedparser.NonXMLContentType):
        return None  # a mislabelled media type changes nothing once the feed is read
    if isinstance(error, xml.sax.SAXParseException):
        return (
            f"the feed is not well-formed XML (line {error.getLineNumber()}: "
            f"{error.getMessage()}); it was read leniently and items may be missing"
        )
    if isinstance(error, feedparser.CharacterEncodingOverride):
        encoding = result.get("encoding") or "another encoding"
        return f"the feed's declared character encoding was wrong; it was read as {encoding}"
    if isinstance(error, feedparser.CharacterEncodingUnknown):
        return "the feed's character encoding is unknown; some characters may be wrong"
    if isinstance(error, feedparser.UndeclaredNamespace):
        return "the feed uses an undeclared XML namespace; it was read leniently"
    first = str(error).splitlines()[0] if str(error) else ""
    return f"the feed has errors ({type(error).__name__}{': ' + first if first else ''})"


def feedparser_headers(headers: Mapping[str, str], url: str, body: bytes) -> dict[str, str]:
    """The response headers as feedparser (and `rssfast`) get them: lower-cased names, the
    feed URL as Content-Location, and a charset the bytes plainly contradict overruled."""
    lower = {k.lower(): v for k, v in headers.items()}
    lower["content-location"] = url
    _overrule_wrong_charset(lower, body)
    return lower


def _overrule_wrong_charset(headers: dict[str, str], body: bytes) -> None:
    """Say utf-8 when the header names another charset but the bytes are plainly UTF-8."""
    content_type = headers.get("content-type", "")
    match = _CHARSET.search(content_type)
    if not match or match.group(1).lower().replace("_", "-") in ("utf-8", "utf8"):
        return
    if body.isascii():
        return
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return
    start, end = match.span(1)
    headers["content-type"] = content_type[:start] + "utf-8" + content_type[end:]


# -- building articles --------------------------------------------------------------------

_Owner = tuple[str, str]
"""The feed's name and key (`FeedState.key`), which every article of it carries."""


@dataclass(frozen=True, slots=True)
class _Item:
    """An entry reduced to cleaned fields, before the guid and title fallbacks."""

    guid: str
    link: str
    title: str
    author: str | None
    published: datetime | None
    summary: str
    content: str


def _text_of(detail: Any, value: Any) -> str:
    """A title-like field as one clean line, decoding HTML only when it is HTML."""
    if isinstance(detail, Mapping) and isinstance(detail.get("value"), str):
        if detail.get("type") in _HTML_TYPES:
            return clean_line(html_to_text(detail["value"]))
        return clean_line(detail["value"])
    return clean_line(value) if isinstance(value, str) else ""


def _absolute_link(link: object, base: str) -> str:
    if not isinstance(link, str) or not link.strip():
        return ""
    try:
        absolute = urljoin(base, clean_line(link))
        parts = urlsplit(absolute)
        scheme = parts.scheme.lower()
        _ = parts.port  # a port past 65535 raises ValueError: the link is unusable
    except ValueError:
        return ""
    return absolute if scheme in _LINK_SCHEMES else ""


def _utc(parsed: object) -> datetime | None:
    if not isinstance(parsed, time.struct_time):
        return None
    try:
        return datetime(*parsed[:6], tzinfo=UTC)
    except (TypeError, ValueError, OverflowError):
        return None


_EMAIL_AND_NAME = re.compile(r"^\s*[^\s@()]+@[^\s()]+\s*\((?P<name>[^()]+)\)\s*$")


def _author(entry: Mapping[str, Any]) -> str | None:
    """The byline's name. RSS writes `email (Name)`; feedparser's split of that form fails
    on long top-level domains, so that form is split here first."""
    raw = entry.get("author")
    if isinstance(raw, str):
        match = _EMAIL_AND_NAME.match(raw)
        if match:
            return clean_line(match["name"]) or None
    detail = entry.get("author_detail")
    if isinstance(detail, Mapping) and isinstance(detail.get("name"), str):
        name = clean_line(detail["name"])
        if name:
            return name
    return clean_line(raw) or None if isinstance(raw, str) else None


def _best_content(entry: Mapping[str, Any]) -> Mapping[str, Any] | None:
    contents = entry.get("content")
    if not isinstance(contents, list):
        return None
    usable = [c for c in contents if isinstance(c, Mapping) and isinstance(c.get("value"), str)]
    if not usable:
        return None
    # Prefer HTML (it carries paragraphs and lists), then the longest.
    return max(usable, key=lambda c: (c.get("type") in _HTML_TYPES, len(c["value"])))


def _from_entry(
    entry: dict[str, Any], owner: _Owner, feed_url: str, *, fast: bool
) -> Article | None:
    link = _absolute_link(entry.get("link"), feed_url)
    content_detail = _best_content(entry)
    content = ""
    if content_detail is not None:
        raw = content_detail["value"]
        if content_detail.get("type") in _HTML_TYPES:
            base = content_detail.get("base") or feed_url
            content = html_to_markdown(
                raw, base_url=base if isinstance(base, str) else None, fast=fast
            )
        else:
            content = text_to_markdown(raw)  # literal text: escaped, not read as Markdown
    summary = ""
    summary_detail = entry.get("summary_detail")
    if isinstance(summary_detail, Mapping) and isinstance(summary_detail.get("value"), str):
        raw_summary = summary_detail["value"]
        # feedparser copies Atom content into `summary` when there is no summary element.
        if content_detail is None or raw_summary != content_detail["value"]:
            if summary_detail.get("type") in _HTML_TYPES:
                summary = html_to_text(raw_summary)
            else:
                summary = clean_text(raw_summary)
    author = _author(entry)
    guid = clean_line(entry["id"]) if isinstance(entry.get("id"), str) else ""
    return _article(
        owner,
        _Item(
            guid=guid,
            link=link,
            title=_text_of(entry.get("title_detail"), entry.get("title")),
            author=author,
            published=_entry_date(entry),
            summary=summary,
            content=content,
        ),
    )


def _from_json(feed: JsonFeed, owner: _Owner, url: str, *, fast: bool, limit: int) -> ParsedFeed:
    items, capped = _newest(feed.items, limit, lambda item: item.published or item.modified)
    articles, skipped = _read_items(
        items, partial(_from_json_item, owner=owner, base=url, fast=fast)
    )
    title = clean_line(feed.title or "") or clean_line(owner[0])
    warning = "; ".join(w for w in (feed.warning, capped, skipped) if w) or None
    return ParsedFeed(title=title, articles=articles, warning=warning)


def _from_json_item(item: JsonItem, *, owner: _Owner, base: str, fast: bool) -> Article | None:
    link = _absolute_link(item.url or item.external_url, base)
    if item.content_html:
        content = html_to_markdown(item.content_html, base_url=link or base, fast=fast)
    else:
        content = text_to_markdown(item.content_text or "")
    return _article(
        owner,
        _Item(
            guid=clean_line(item.id or ""),
            link=link,
            title=clean_line(item.title or ""),
            author=clean_line(item.author or "") or None,
            published=item.published or item.modified,
            summary=clean_text(item.summary or ""),
            content=content,
        ),
    )


_WORDS_IN_TITLE = 12


def _article(owner: _Owner, item: _Item) -> Article | None:
    if not (item.title or item.link or item.summary or item.content):
        return None  # an empty <item/>: nothing to show or keep
    title = item.title
    if not title:
        words = (item.summary or item.content).split()
        title = " ".join(words[:_WORDS_IN_TITLE]) + ("…" if len(words) > _WORDS_IN_TITLE else "")
        title = title or item.link
    guid = item.guid or item.link
    if not guid:
        stamp = item.published.isoformat() if item.published else ""
        seed = f"{title}\x1f{stamp}" if title or stamp else item.summary + item.content
        guid = "hash:" + hashlib.blake2b(seed.encode(), digest_size=12).hexdigest()
    return Article(
        feed=owner[0],
        feed_key=owner[1],
        guid=guid,
        link=item.link,
        title=title,
        author=item.author,
        published=item.published,
        summary=cap_text(item.summary),
        content=cap_text(item.content),
    )


def _dedupe(articles: Iterable[Article | None]) -> tuple[Article, ...]:
    """First of each guid; items without an id of their own are also unique by link."""
    kept: list[Article] = []
    guids: set[str] = set()
    links: set[str] = set()
    for article in articles:
        if article is None or article.guid in guids:
            continue
        if article.link and article.link in links and article.guid == article.link:
            continue
        guids.add(article.guid)
        if article.link:
            links.add(article.link)
        kept.append(article)
    return tuple(kept)
