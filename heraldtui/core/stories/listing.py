"""Stored stories as the reader lists them, newest first, and grouping's time axis.

Nothing here reads article text or imports the grouping: a start-up lists stored stories
with it (`assemble`), and the reader's first page (`newest_stories`) costs a query along
the newest articles and this module's import, not the grouper's vocabularies and force
tables. `index` builds the full listing with the same `assemble`, so the first page is
exactly the start of it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime
from typing import Final

from heraldtui.core.models import Article, Story
from heraldtui.core.storage.rows import StoryHeader
from heraldtui.core.storage.store import Store

_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)


def epoch_day(published: datetime | None) -> float:
    """Days since 1970 (UTC; a naive time is UTC), 0 when undated: grouping's time axis."""
    if published is None:
        return 0.0
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return (published - _EPOCH).total_seconds() / 86400.0


def _day(article: Article) -> float:
    return epoch_day(article.published)


def assemble(
    listed: Sequence[tuple[Article, StoryHeader | None]],
    keep: Callable[[Article], bool],
    corrected: Collection[str] = (),
) -> list[Story]:
    """Stories from stored (article, header) pairs, newest first (by their latest kept
    article, then id), each with its kept articles oldest first; articles without a
    header (not grouped yet) are left out. Stories in `corrected` are marked so (the
    reader's corrections decided them: `corrections`)."""
    members: dict[str, list[Article]] = {}
    headers: dict[str, StoryHeader] = {}
    for article, header in listed:
        if header is None or not keep(article):
            continue
        group = members.get(header.id)
        if group is None:
            members[header.id] = [article]
            headers[header.id] = header
        else:
            group.append(article)
    keyed = []
    for sid, group in members.items():
        _, title, kind, force, inspection_type = headers[sid]
        if len(group) > 1:
            group.sort(key=lambda a: (_day(a), a.id))
        story = Story(
            sid, title, kind, force, tuple(group), inspection_type, corrected=sid in corrected
        )
        keyed.append((-_day(group[-1]), sid, story))
    keyed.sort(key=lambda k: (k[0], k[1]))
    return [story for _, _, story in keyed]


def newest_stories(
    store: Store, limit: int, keep_feed: Callable[[str], bool] = lambda feed: True
) -> list[Story]:
    """The first `limit` stories `StoryIndex.stories()` lists, as far as the stored
    grouping goes, read from the newest articles back (`Store.newest_listing`): a first
    page that costs what it holds. Articles not grouped yet are missing until
    `StoryIndex.stories()` groups them; nothing is grouped here."""
    listed = store.newest_listing(limit, keep_feed)
    return assemble(listed, lambda article: keep_feed(article.feed))[:limit]
