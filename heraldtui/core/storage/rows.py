"""How stored rows become records and records rows: the columns the store's listings read,
and the conversions of feed states, listed articles and story headers.

Apart from `store.py` so the store keeps to its transactions and queries; `fates.py`
converts its times with the same two functions.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from typing import Any, Final, NamedTuple, TypeVar, cast, get_args

from heraldtui.core.models import Article, FeedState, FeedStatus, StoryKind

STATUSES: Final[frozenset[str]] = frozenset(get_args(FeedStatus))
KINDS: Final[frozenset[str]] = frozenset(get_args(StoryKind))
_S = TypeVar("_S", str, str | None)


def to_db(moment: datetime | None) -> str | None:
    """A time as stored: ISO 8601 in UTC, to the microsecond."""
    if moment is None:
        return None
    if moment.tzinfo is None:  # the models promise UTC; a naive value is taken as UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_db(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


class StoryHeader(NamedTuple):
    """What the grouping decided about a story, as stored."""

    id: str
    title: str
    kind: StoryKind
    force: str | None
    inspection_type: str | None = None


ARTICLES: Final = "articles a JOIN feeds f ON f.name = a.feed"
"""Articles (`a`) with their feed (`f`), whose key their ids hash."""
LISTED: Final = (
    "a.feed, a.guid, a.link, a.title, a.author, a.published, a.summary, a.read, a.starred, f.key"
)
"""The columns `_listed` reads from `ARTICLES`, followed by `content` (or an empty
stand-in)."""
WITH_HEADER: Final = LISTED + ", '' AS content, s.id, s.title, s.kind, s.force, s.inspection_type"
"""An article (`a`) without its text and its story's header (`s`), for `_header`."""
UNDATED: Final = datetime.max.replace(tzinfo=UTC)
"""Where an undated article sorts in a listing: last."""


def listed_article(row: tuple[Any, ...]) -> Article:
    return Article(
        feed=row[0],
        guid=row[1],
        link=row[2],
        title=row[3],
        author=row[4],
        published=None if row[5] is None else datetime.fromisoformat(row[5]),
        summary=row[6],
        content=row[10],
        read=bool(row[7]),
        starred=bool(row[8]),
        feed_key=row[9],
    )


def like_article(row: tuple[Any, ...], like: Article) -> Article:
    """`listed_article(row)`, holding `like`'s strings and time wherever they are equal to
    the row's (the same article, listed earlier without its text): an export merges every
    stored article, and the copies read again for their texts doubled the titles, links
    and teasers in memory (tens of MB at 50,000 articles). What the row says still wins
    where it differs."""
    published = None if row[5] is None else datetime.fromisoformat(row[5])
    return Article(
        feed=_same(row[0], like.feed),
        guid=_same(row[1], like.guid),
        link=_same(row[2], like.link),
        title=_same(row[3], like.title),
        author=_same(row[4], like.author),
        published=_same_time(published, like.published),
        summary=_same(row[6], like.summary),
        content=_same(row[10], like.content),
        read=bool(row[7]),
        starred=bool(row[8]),
        feed_key=_same(row[9], like.feed_key),
    )


def _same(value: _S, kept: _S) -> _S:
    return kept if value == kept else value


def _same_time(value: datetime | None, kept: datetime | None) -> datetime | None:
    """`kept` when it is the same moment written the same way (the same offset)."""
    if value is None or kept is None or value != kept or value.tzinfo != kept.tzinfo:
        return value
    return kept


def story_header(row: tuple[Any, ...]) -> StoryHeader | None:
    """The story header of a `WITH_HEADER` row, None when the article has no story."""
    if row[11] is None:
        return None
    kind: StoryKind = row[13] if row[13] in KINDS else "other"
    return StoryHeader(row[11], row[12], kind, row[14], row[15])


def feed_state_row(state: FeedState) -> tuple[object, ...]:
    return (
        state.name,
        state.url,
        state.status,
        to_db(state.last_fetch),
        state.etag,
        state.last_modified,
        state.content_hash,
        to_db(state.retry_after),
        state.error,
        state.warning,
        state.items,
        state.key or state.name,  # a new feed's; never updated (`UPSERT_FEED`)
    )


def read_feed_state(row: sqlite3.Row) -> FeedState:
    status = row["status"] if row["status"] in STATUSES else "never"
    return FeedState(
        name=row["name"],
        url=row["url"],
        status=cast(FeedStatus, status),
        last_fetch=from_db(row["last_fetch"]),
        etag=row["etag"],
        last_modified=row["last_modified"],
        content_hash=row["content_hash"],
        retry_after=from_db(row["retry_after"]),
        error=row["error"],
        warning=row["warning"],
        items=int(row["items"]),
        key=row["key"],
    )
