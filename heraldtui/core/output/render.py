"""The digests and the agenda as bytes, in each format the CLI and the reader write.

Each writer loads when its format is asked for: the JSON and Markdown digests, the agenda's
text, and icalendar (slow to import) only for a calendar.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from heraldtui.core.errors import ExportError
from heraldtui.core.models import AgendaFormat, ExportFormat
from heraldtui.core.storage.atomic import NotAFileError, write_atomic

if TYPE_CHECKING:
    from heraldtui.core.models import AgendaItem, MergedStory


def export_format(path: Path | str) -> ExportFormat:
    """The digest format a file name asks for by its suffix; Markdown unless told otherwise.

    `.json` is the JSON digest, `.ics`/`.ical` the meetings calendar, anything else
    (`.md`, `.markdown`, no suffix) Markdown. The CLI and the reader's export both use it.
    """
    suffix = Path(path).suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix in {".ics", ".ical"}:
        return "ics"
    return "markdown"


def agenda_format(path: Path | str) -> AgendaFormat:
    """The `meetings` format a file name asks for: JSON, a calendar, else text."""
    fmt = export_format(path)
    return "text" if fmt == "markdown" else fmt


def today_in_uk(now: datetime | None = None) -> date:
    """The day it is in the UK, where the meetings are: what "days away" counts from."""
    from heraldtui.core.output.wording import uk_time  # zoneinfo: not for a refresh

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


def write_output(path: Path, data: bytes, what: str) -> None:
    """Write `data` to `path` atomically (a device or pipe directly); `ExportError` naming
    the file and `what` it held when that fails, any old file left intact."""
    try:
        write_atomic(path, data, streams=True)
    except NotAFileError as exc:
        raise ExportError(str(exc)) from None
    except OSError as exc:
        raise ExportError(f"{path}: cannot write {what} ({exc.strerror or exc})") from None
