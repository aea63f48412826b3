"""Feeds that moved or died, and servers that asked to wait: what a refresh makes of them
and how the front ends word them.

- **Moved for good.** When every hop of a feed's redirect chain is a 301 or 308
  (`Fetched.moved_to`), the feed has moved: the state keeps the configured `url` and
  records `moved_to`, and refreshes fetch from there (no redirects on the way) until the
  user writes it to feeds.toml (`Newsroom.follow_move`: `u` on the feeds screen,
  `heraldtui feeds follow NAME`). A 302, 303 or 307 anywhere in the chain is a detour of
  the day: the stored URL stays.
- **Gone.** A 410 Gone marks the feed `gone_since`; it is not fetched again, `--force`
  included, until the user clears the mark (`c` on the feeds screen, `heraldtui feeds
  clear NAME`). A 404 is not enough: sites break for a day.
- **Waiting.** A 429/503 Retry-After is honoured until `wait_until` (at most
  `MAX_RETRY_AFTER` after the answer); the feeds screen and `feeds list` show until when.

The marks are stored by `storage/fates.py`, for the configured URL they were seen on.
"""

from __future__ import annotations

import dataclasses
import shlex
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from heraldtui.core.ingest.answers import MAX_RETRY_AFTER
from heraldtui.core.models import FeedSource, FeedState

__all__ = [
    "GONE",
    "FateNotes",
    "configured",
    "fate_notes",
    "follow_move",
    "gone_reason",
    "wait_until",
]

GONE: Final = 410
"""HTTP 410 Gone: the server says the feed will not come back."""


def configured(previous: FeedState | None, feed: FeedSource) -> tuple[FeedState, bool]:
    """The stored state for the feed as feeds.toml names it now, and whether its move or
    Gone mark changed (to be stored).

    A state stored for another URL is started afresh (the user pointed the name at another
    feed), its move and Gone mark dropped, unless the new URL is where the feed had moved:
    then the user wrote that move into feeds.toml and the rest of the state still holds."""
    state = previous or FeedState(name=feed.name, url=feed.url)
    if state.url == feed.url:
        return state, False
    if state.moved_to == feed.url:
        state = dataclasses.replace(state, url=feed.url, moved_to=None, moved_at=None)
    else:
        state = FeedState(name=feed.name, url=feed.url, items=state.items, key=state.key)
    return state, previous is not None and bool(previous.moved_to or previous.gone_since)


def follow_move(state: FeedState, moved_to: str | None, when: datetime) -> tuple[FeedState, bool]:
    """The state after a fetch from `state.fetch_url` whose every redirect hop was
    permanent and ended at `moved_to` (None: no redirect, or a temporary one somewhere,
    and the stored URL stays), and whether its move changed."""
    if moved_to is None or moved_to == state.fetch_url:
        return state, False
    target = None if moved_to == state.url else moved_to  # moved back home
    moved = dataclasses.replace(state, moved_to=target, moved_at=None if target is None else when)
    return moved, True


def wait_until(state: FeedState, now: datetime) -> datetime | None:
    """When the feed's server said to come back, at most MAX_RETRY_AFTER after the answer
    that said so (capped again here: a store written before the cap may hold year 9999)."""
    if state.retry_after is None:
        return None
    asked_at = state.last_fetch or now
    return min(state.retry_after, asked_at + MAX_RETRY_AFTER).astimezone(UTC)


def _day(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%a %d %b %Y}"


def _minute(moment: datetime) -> str:
    return f"{moment.astimezone(UTC):%a %d %b %Y %H:%M} UTC"


@dataclass(frozen=True, slots=True)
class FateNotes:
    """What to say of a feed's fate, each None when it does not apply; the front ends
    add how to act on it (a key, a command)."""

    gone: str | None = None
    moved: str | None = None
    waiting: str | None = None


def fate_notes(state: FeedState, now: datetime) -> FateNotes:
    """The notes for `state` at `now` (a wait already over is not one)."""
    gone = moved = waiting = None
    if state.gone_since is not None:
        gone = f"gone since {_day(state.gone_since)} (HTTP 410 Gone)"
    if state.moved_to is not None:
        moved = f"moved permanently to {state.moved_to}"
        if state.moved_at is not None:
            moved += f" (seen {_day(state.moved_at)})"
    until = wait_until(state, now)
    if gone is None and until is not None and until > now:
        waiting = f"the server asked to wait until {_minute(until)}"
    return FateNotes(gone, moved, waiting)


def gone_reason(state: FeedState) -> str:
    """A gone feed's line in `heraldtui refresh`, with how to fetch it again."""
    since = state.gone_since or state.last_fetch or datetime.now(UTC)
    return (
        f"gone since {_day(since)} (HTTP 410 Gone): not fetched until cleared "
        f"(heraldtui feeds clear {shlex.quote(state.name)}, or c on the feeds screen)"
    )
