"""OPML 2.0 import and export: the subscription lists feed readers exchange.

Reading: the document is parsed with `xml.etree.ElementTree`, but only after refusing any
document type or entity declaration, so neither entity expansion ("billion laughs") nor
external entities can be smuggled in through a file someone sent. The check looks for
`<!DOCTYPE` / `<!ENTITY` in every encoding expat can read (UTF-8, UTF-16 and UTF-32, either
byte order), case-insensitively. Every `outline` that carries an `xmlUrl` is a feed,
whatever folder it sits in; folders are flattened. A feed's name is its `title`, else its
`text`, else the URL, with whitespace collapsed and control characters, bidi controls and
invisible fillers removed (`feedids.clean_name`) because the name is shown in the UI and
written to feeds.toml. Only http(s) URLs are returned: a subscription list from elsewhere
has no business pointing heraldtui at local files or other schemes, and such outlines are
left out like outlines without `xmlUrl`. A malformed http(s) URL is returned, so that the
import refuses the whole list naming it.

Writing: the tree is built with ElementTree, which escapes attribute values; characters
XML 1.0 cannot carry at all are dropped first.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Final
from urllib.parse import urlsplit

from heraldtui.core.errors import ConfigError
from heraldtui.core.ingest.feedids import clean_name
from heraldtui.core.models import FeedSource

__all__ = ["read_opml", "write_opml"]

_FORBIDDEN: Final = ("<!doctype", "<!entity")
_ENCODINGS: Final = ("utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
_NOT_XML_CHARS: Final = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def read_opml(data: bytes) -> list[tuple[str, str]]:
    """(name, url) of every feed in an OPML document, in document order."""
    lowered = data.lower()
    for marker in _FORBIDDEN:
        if any(marker.encode(encoding) in lowered for encoding in _ENCODINGS):
            raise ConfigError(
                f"OPML file refused: it contains a {marker[2:].upper()} declaration, "
                "which subscription lists never need"
            )
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ConfigError(f"not a readable OPML file: {exc}") from exc
    except (LookupError, ValueError) as exc:
        # expat names the encoding of the XML declaration to Python's codecs: an unknown
        # one is a LookupError, a multi-byte one it cannot stream (utf-32) a ValueError.
        raise ConfigError(f"not a readable OPML file: its character encoding ({exc})") from exc
    if _local_name(root.tag) != "opml":
        raise ConfigError(f"not an OPML file: the root element is <{_local_name(root.tag)}>")
    feeds: list[tuple[str, str]] = []
    for outline in root.iter():
        if _local_name(outline.tag) != "outline":
            continue
        attributes = {key.lower(): value for key, value in outline.attrib.items()}
        url = attributes.get("xmlurl", "").strip()
        if not _http_like(url):
            continue
        name = next(
            (clean for key in ("title", "text") if (clean := _clean_name(attributes.get(key, "")))),
            url,
        )
        feeds.append((name, url))
    return feeds


def write_opml(
    feeds: Sequence[FeedSource],
    title: str = "heraldtui feeds",
    *,
    created: datetime | None = None,
) -> str:
    """An OPML 2.0 document listing `feeds`, for another reader to import.

    `created` (default: now) goes to `dateCreated` as an RFC 822 date, as OPML asks.
    """
    moment = (created or datetime.now(UTC)).astimezone(UTC)
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = _xml_text(title)
    ET.SubElement(head, "dateCreated").text = format_datetime(moment, usegmt=True)
    body = ET.SubElement(root, "body")
    for feed in feeds:
        name = _xml_text(feed.name)
        ET.SubElement(
            body, "outline", type="rss", text=name, title=name, xmlUrl=_xml_text(feed.url)
        )
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _local_name(tag: str) -> str:
    """The tag without any `{namespace}`: some exporters put OPML in a namespace."""
    return tag.rsplit("}", 1)[-1]


def _http_like(url: str) -> bool:
    """An http(s) URL with a host, or one that means to be (`http://[::1/a`): those are
    kept, so that adding them refuses the whole list naming the entry (`feedids`), rather
    than dropping a feed the user wanted without a word."""
    try:
        parts = urlsplit(url)
    except ValueError:  # a malformed IPv6 host: urlsplit refuses it
        return url.lower().startswith(("http://", "https://"))
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _clean_name(text: str) -> str:
    # The ingestion cleaner, then what a name may not hold (the bidi marks), since the name
    # is shown in the reader, printed on stderr and written to the digest.
    return clean_name(text)


def _xml_text(text: str) -> str:
    return _NOT_XML_CHARS.sub("", text)
