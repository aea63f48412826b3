"""Pure functions that turn merged stories into what the screens show.

Everything a feed wrote reaches the screen through `Content` built from plain strings
(`Content(text)`, `Content.assemble`, `Content.styled`), never through markup parsing, so
a headline such as `[@click=app.quit]x[/]` stays those characters. Styles here are theme
variables (`$text-success`, ...) so they follow Textual's theme switching.

Every feed-derived string also goes through `plain()` before it is shown: the core strips
control characters at ingestion, and this is the second guard at the point of display.

The words the Markdown digest shares (grade words, "3 sources", footnotes, a meeting's
day and days away) come from `heraldtui.core.output.wording`; what is only the reader's
(badges, marks, the lead article) is here, and the story view's layout in `card.py`. Kept
apart from the widgets so it can be tested without an app, and so the story list's row
builder stays cheap: it runs for every visible row on every paint.
"""

from __future__ import annotations

from datetime import date, datetime

from textual.content import Content
from textual.style import Style

from heraldtui.core.errors import HeraldError
from heraldtui.core.models import Article, MergedStory, StoryKind
from heraldtui.core.output.wording import coverage_phrase, uk_time
from heraldtui.tui.state import is_starred, is_unread

KIND_BADGES: dict[StoryKind, tuple[str, str]] = {
    "inspection": ("INSP", "bold $text-accent"),
    "meeting": ("MEET", "bold $text-primary"),
    "other": ("", ""),
}

UNREAD_MARK = "●"
WATCH_MARK = "◆"
"""Beside the star: a story a `[[watch]]` rule matches (its style is the list's, in .tcss)."""
_SHOWN_AS_IS = {0x0A}  # newlines are layout, kept where text may wrap
_HIDDEN_MARK = 0xFFFD  # "�": a control with no picture of its own
_CONTROL_PICTURES: dict[int, int] = (
    {code: 0x2400 + code for code in range(0x20) if code not in _SHOWN_AS_IS}
    | {0x7F: 0x2421}
    | dict.fromkeys(range(0x80, 0xA0), _HIDDEN_MARK)  # C1: 8-bit CSI, OSC, NEL, ...
    | dict.fromkeys((0x2028, 0x2029), _HIDDEN_MARK)  # line and paragraph separators
    | dict.fromkeys(range(0x202A, 0x202F), _HIDDEN_MARK)  # bidi embeddings, overrides
    | dict.fromkeys(range(0x2066, 0x206A), _HIDDEN_MARK)  # bidi isolates
)


def plain(text: str) -> str:
    """Control characters shown as visible symbols, never sent to the terminal.

    The core already strips them at ingestion; this is the second guard at the point of
    display, for every feed-derived string a widget shows, and it keeps a stray character
    visible to the reader instead of silently dropped: C0 and DEL as their control
    pictures (an ESC is `␛`), C1 controls, line separators and the bidi embeddings,
    overrides and isolates that could reorder what the reader sees as `�`.
    """
    return text.translate(_CONTROL_PICTURES)


STAR_MARK = "★"


def reason(error: Exception) -> str:
    """Our own errors are written for the reader; anything else is a bug, said as such."""
    text = str(error) if isinstance(error, HeraldError) else f"unexpected {error!r}"
    return plain(text)


def latest_date(story: MergedStory) -> datetime | None:
    dates = [a.published for a in story.story.articles if a.published is not None]
    return max(dates) if dates else None


def first_date(story: MergedStory) -> datetime | None:
    dates = [a.published for a in story.story.articles if a.published is not None]
    return min(dates) if dates else None


def short_date(moment: datetime | date | None) -> str:
    """`6 Nov 2024`: a moment's UK date (a date is shown as it is)."""
    if moment is None:
        return "undated"
    if isinstance(moment, datetime):
        moment = uk_time(moment)
    return f"{moment.day} {moment:%b %Y}"


def lead_article(story: MergedStory) -> Article | None:
    """The article whose headline the story shows, else its first: what `o` opens from
    the list (a story's link, never one of its meetings')."""
    articles = story.story.articles
    return next((a for a in articles if a.title == story.story.title), None) or (
        articles[0] if articles else None
    )


def story_row(
    story: MergedStory, width: int, watched: Style | None = None
) -> tuple[Content, Content]:
    """The two lines of a story in the list: mark and headline, then the facts.

    Line one: unread mark, star, watch mark (with `watched`, the style the list gives
    it), headline. Line two: kind badge, sources, force, latest
    date. Both are cut to `width` with an ellipsis so the list never wraps.
    """
    unread = is_unread(story)
    mark = Content.styled(UNREAD_MARK if unread else " ", "bold $text-accent")
    star = Content.styled(STAR_MARK if is_starred(story) else " ", "$text-warning")
    title = Content.styled(plain(story.story.title), "bold" if unread else "")
    watch = Content.styled(WATCH_MARK, watched) if watched is not None else " "
    line1 = Content.assemble(mark, star, watch, title)
    badge, badge_style = KIND_BADGES.get(story.story.kind, ("", ""))
    parts: list[Content | str] = ["   "]
    if badge:
        parts += [Content.styled(badge, badge_style), " "]
    parts.append(Content.styled(coverage_phrase(story), "$foreground-muted"))
    if story.story.force:
        parts += [Content.styled(" · ", "$foreground-muted"), plain(story.story.force)]
    parts += [Content.styled(" · ", "$foreground-muted"), short_date(latest_date(story))]
    line2 = Content.assemble(*parts)
    return line1.truncate(width, ellipsis=True), line2.truncate(width, ellipsis=True)


def is_web_link(url: str | None) -> bool:
    """Only http(s) links are ever handed to the browser."""
    return bool(url) and (url or "").lower().startswith(("http://", "https://"))
