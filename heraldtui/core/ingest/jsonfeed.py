"""Read JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) into typed records.

feedparser does not read JSON Feed, so this small adapter does, with the same attitude:
be lenient about what real publishers send (an `id` that is a number, a missing
`version`, a 1.0 `author` next to a 1.1 `authors`, a date without an offset) and strict
about types, so nothing but the documented fields in the documented types gets through.
Text is returned raw; `parse.py` cleans it when it builds `Article` records.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from heraldtui.core.errors import FeedParseError

__all__ = ["JsonFeed", "JsonItem", "parse_json_feed"]

_VERSION_PREFIX = "https://jsonfeed.org/version/"


@dataclass(frozen=True, slots=True)
class JsonItem:
    """One item, fields as the publisher wrote them (not yet cleaned)."""

    id: str | None
    url: str | None
    external_url: str | None
    title: str | None
    content_html: str | None
    content_text: str | None
    summary: str | None
    author: str | None
    published: datetime | None
    modified: datetime | None


@dataclass(frozen=True, slots=True)
class JsonFeed:
    version: str
    title: str | None
    home_page_url: str | None
    feed_url: str | None
    items: tuple[JsonItem, ...]
    warning: str | None


def _text(obj: dict[str, Any], key: str) -> str | None:
    value = obj.get(key)
    if isinstance(value, str):
        return value or None
    if isinstance(value, int | float) and not isinstance(value, bool) and key == "id":
        return str(value)
    return None


def _date(value: object) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def _author(item: dict[str, Any], feed: dict[str, Any]) -> str | None:
    for holder in (item, feed):
        authors = holder.get("authors")
        if isinstance(authors, list):
            names = [a["name"] for a in authors if isinstance(a, dict) and _text(a, "name")]
            if names:
                return ", ".join(names)
        author = holder.get("author")
        if isinstance(author, dict) and _text(author, "name"):
            return str(author["name"])
    return None


def parse_json_feed(body: bytes) -> JsonFeed:
    """The feed in `body`; FeedParseError when it is not JSON or not a JSON Feed."""
    warnings: list[str] = []
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = body.decode("utf-8-sig", errors="replace")
        warnings.append("the JSON feed is not valid UTF-8; some characters were replaced")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise FeedParseError(
            f"the JSON is not valid (line {err.lineno}, column {err.colno}: {err.msg})"
        ) from None
    except RecursionError:
        raise FeedParseError("the JSON is nested too deeply to read") from None
    if not isinstance(data, dict):
        raise FeedParseError("the server sent JSON that is not a JSON Feed")
    version = _text(data, "version") or ""
    items_raw = data.get("items")
    if not version.startswith(_VERSION_PREFIX):
        if not isinstance(items_raw, list):
            raise FeedParseError("the server sent JSON that is not a JSON Feed")
        warnings.append("the JSON feed does not declare a JSON Feed version")
    if items_raw is None:
        items_raw = []
    if not isinstance(items_raw, list):
        raise FeedParseError("the JSON feed's `items` is not a list")
    items = []
    skipped = 0
    for raw in items_raw:
        if not isinstance(raw, dict):
            skipped += 1
            continue
        items.append(
            JsonItem(
                id=_text(raw, "id"),
                url=_text(raw, "url"),
                external_url=_text(raw, "external_url"),
                title=_text(raw, "title"),
                content_html=_text(raw, "content_html"),
                content_text=_text(raw, "content_text"),
                summary=_text(raw, "summary"),
                author=_author(raw, data),
                published=_date(raw.get("date_published")),
                modified=_date(raw.get("date_modified")),
            )
        )
    if skipped:
        warnings.append(f"{skipped} item(s) of the JSON feed are not objects and were skipped")
    return JsonFeed(
        version=version,
        title=_text(data, "title"),
        home_page_url=_text(data, "home_page_url"),
        feed_url=_text(data, "feed_url"),
        items=tuple(items),
        warning="; ".join(warnings) or None,
    )
