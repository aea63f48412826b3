"""Article pages that timed out are not fetched again on the next refreshes.

A feed's pages share one budget (`refresh.FEED_PAGES_BUDGET`), so twelve pages that
trickle their bytes used to spend all of it on every refresh that found the feed changed,
and still keep their teasers. A page whose fetch timed out, or was still being fetched
when the budget ran out, is remembered (`storage/fates.py`, table `page_failures`) and
skipped for `PAGE_RETRY_AFTER`; after `PAGE_GIVE_UP` such failures it is given up for as
long as its item stays in the feed (the item keeps its teaser). A page that answers is
forgotten, and so is one whose item left the feed, so the table holds at most one row per
item. Pages that failed otherwise (404, refused) cost little and are tried each time.
The feed's warning (the feeds screen, `heraldtui refresh`) counts each kind, and the
pages of a remote feed refused for pointing at a private address (`addresses.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Final

from heraldtui.core.storage.fates import PageFailure

__all__ = ["BUDGET_REASON", "PAGE_GIVE_UP", "PAGE_RETRY_AFTER", "given_up", "note", "skip"]

PAGE_RETRY_AFTER: Final = timedelta(hours=24)
"""How long a page that timed out is skipped before it is tried again."""
PAGE_GIVE_UP: Final = 3
"""Time-outs after which a page is not fetched again while its item is in the feed."""
BUDGET_REASON: Final = "still loading when the feed's page budget ran out"
ADDRESSES_NAMED: Final = 3
"""The most private addresses one warning names."""


def given_up(failure: PageFailure) -> bool:
    return failure.failures >= PAGE_GIVE_UP


def skip(failure: PageFailure | None, now: datetime) -> bool:
    """Whether a refresh at `now` leaves this page alone (its item keeps its teaser)."""
    if failure is None:
        return False
    return given_up(failure) or now < failure.last + PAGE_RETRY_AFTER


def _pages(count: int) -> str:
    return f"{count:,} article page{'' if count == 1 else 's'}"


def note(
    *, timed_out: int, waiting: int, abandoned: int, refused: Sequence[str] = ()
) -> str | None:
    """The feed's warning about its pages, or None when there is nothing to say;
    `refused` holds the private address of each page refused for pointing there."""
    hours = int(PAGE_RETRY_AFTER.total_seconds() // 3600)
    parts = []
    if refused:
        named = list(dict.fromkeys(refused))
        more = ", ..." if len(named) > ADDRESSES_NAMED else ""
        they = "it points" if len(refused) == 1 else "they point"
        parts.append(
            f"{_pages(len(refused))} refused: {they} at a private address "
            f"({', '.join(named[:ADDRESSES_NAMED])}{more}; see allow_private_pages in "
            "[settings])"
        )
    if timed_out:
        parts.append(f"{_pages(timed_out)} timed out (teasers kept; not fetched for {hours} h)")
    if waiting:
        parts.append(f"{_pages(waiting)} skipped (they timed out within the last {hours} h)")
    if abandoned:
        parts.append(f"{_pages(abandoned)} given up (timed out {PAGE_GIVE_UP} times)")
    return "; ".join(parts) or None
