"""The digests and the agenda as bytes, in each format the CLI and the reader write.

Each writer loads when its format is asked for: the JSON and Markdown digests, the agenda's
text, and icalendar (slow to import) only for a calendar.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime

from heraldtui.core.models import AgendaFormat, AgendaItem, ExportFormat, MergedStory
from heraldtui.core.output.wording import uk_time


def today_in_uk(now: datetime | None = None) -> date:
    """The day it is in the UK, where the meetings are: what "days away" counts from."""
    return uk_time(now or datetime.now(UTC)).date()


def render_digest(
    stories: Sequence[MergedStory], fmt: ExportFormat, *, now: datetime | None = None
) -> bytes:
    from heraldtui.core.output.digest import build_digest, render_json

    digest = build_digest(stories, now or datetime.now(UTC))
    if fmt == "json":
        return render_json(digest).encode("utf-8")
    if fmt == "ics":
        from heraldtui.core.output.ics import render_ics  # icalendar is slow to import

        return render_ics(digest)
    from heraldtui.core.output.markdown import render_markdown

    return render_markdown(digest).encode("utf-8")


def render_agenda(
    items: Sequence[AgendaItem],
    fmt: AgendaFormat,
    *,
    include_past: bool = False,
    today: date | None = None,
    now: datetime | None = None,
) -> bytes:
    """The agenda as text, JSON or a calendar; an empty calendar raises `EmptyCalendar`."""
    from heraldtui.core.output.agenda import render_json, render_text

    moment = now or datetime.now(UTC)
    if fmt == "json":
        return render_json(items, today or today_in_uk(moment), moment).encode("utf-8")
    if fmt == "ics":
        from heraldtui.core.output.ics import render_agenda_ics

        return render_agenda_ics(items, moment)
    return render_text(items, include_past=include_past).encode("utf-8")
