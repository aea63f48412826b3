"""One root for every error heraldtui raises on purpose, so front ends catch one type."""

from __future__ import annotations


class HeraldError(Exception):
    """Base of heraldtui's own errors; `str(err)` is a one-line message for the user."""


class ConfigError(HeraldError):
    """feeds.toml is missing, unreadable or invalid; the message names file and line."""


class FetchError(HeraldError):
    """A feed or page could not be retrieved (network, HTTP status, size, redirects)."""


class FeedParseError(HeraldError):
    """A body was retrieved but is not a feed we can read."""


class StoreError(HeraldError):
    """The local database cannot be opened or written."""


class ExportError(HeraldError):
    """The digest cannot be written where the user asked."""


class EmptyCalendar(HeraldError):
    """A calendar was asked for and there is no meeting to put in it: an empty VCALENDAR
    is refused by some calendar programs, so none is written and the user is told."""


class CorrectionError(HeraldError):
    """A fix to the grouping that cannot be made (the article stands alone already, the
    story is the one it would join, the article or story is no longer stored)."""
