"""Which stories a digest for cron holds: `export --since --unread --starred --force`.

Each filter keeps a story when any of its articles passes (a story with one unread
article is unread; one published in the window is recent), and the filters combine with
AND. `--watch` is the Newsroom's (it needs the watch rules and the stories' facts).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from heraldtui.core.errors import HeraldError
from heraldtui.core.models import MergedStory
from heraldtui.core.output.wording import uk_time
from heraldtui.core.read.forces import force_key

_DAYS = re.compile(r"^\s*(\d{1,5})\s*d\s*$", re.IGNORECASE)


class SelectionError(HeraldError):
    """A `--since` value that is neither a date nor a number of days."""


def parse_since(value: str, now: datetime | None = None) -> date:
    """`--since`: `YYYY-MM-DD`, or `Nd` for the last N days counting today (UK days):
    `7d` on a Wednesday is from the Thursday before; `1d` is today."""
    days = _DAYS.match(value)
    if days:
        count = int(days.group(1))
        if count < 1:
            raise SelectionError(f"--since {value}: give at least 1d")
        today = uk_time(now or datetime.now(UTC)).date()
        return today - timedelta(days=count - 1)
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise SelectionError(
            f"--since {value}: give a date (2024-11-07) or a number of days (7d)"
        ) from None


@dataclass(frozen=True, slots=True)
class Selection:
    """The digest's filters; the default keeps every story."""

    since: date | None = None
    unread: bool = False
    starred: bool = False
    force: str | None = None
    watch: bool = False

    def keeps(self, merged: MergedStory) -> bool:
        """Whether `merged` passes every filter but `watch` (which needs the rules)."""
        articles = merged.story.articles
        if self.unread and all(a.read for a in articles):
            return False
        if self.starred and not any(a.starred for a in articles):
            return False
        if self.force is not None:
            force = merged.story.force
            if force is None or force_key(force) != force_key(self.force):
                return False
        if self.since is not None:
            since = self.since
            return any(
                a.published is not None and uk_time(a.published).date() >= since for a in articles
            )
        return True


def select(stories: Sequence[MergedStory], selection: Selection) -> list[MergedStory]:
    """The stories `selection` keeps (all but its `watch` filter), in order."""
    return [s for s in stories if selection.keeps(s)]
