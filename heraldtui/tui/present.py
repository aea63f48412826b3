"""Pure functions that turn merged stories into what the screens show.

Everything a feed wrote reaches the screen through `Content` built from plain strings
(`Content(text)`, `Content.assemble`, `Content.styled`), never through markup parsing, so
a headline such as `[@click=app.quit]x[/]` stays those characters. Styles here are theme
variables (`$text-success`, ...) so they follow Textual's theme switching.

Kept apart from the widgets so the wording ("in 8 days", "past", the grade words) can be
tested without an app, and so the story list's row builder stays cheap: it runs for every
visible row on every paint.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import date, datetime

from textual.content import Content

from heraldtui.core.models import Article, MeetingFact, MergedStory, StoryKind

GRADE_WORDS: dict[str, str] = {
    "outstanding": "Outstanding",
    "good": "Good",
    "adequate": "Adequate",
    "requires-improvement": "Requires improvement",
    "inadequate": "Inadequate",
}
"""Grades are always written out: colour is a second channel, never the only one."""

GRADE_STYLES: dict[str, str] = {
    "outstanding": "bold $text-success",
    "good": "$text-success",
    "adequate": "$text-warning",
    "requires-improvement": "bold $text-warning",
    "inadequate": "bold $text-error",
}

KIND_BADGES: dict[StoryKind, tuple[str, str]] = {
    "inspection": ("INSP", "bold $text-accent"),
    "meeting": ("MEET", "bold $text-primary"),
    "other": ("", ""),
}

UNREAD_MARK = "●"
_CONTROL_PICTURES = {code: 0x2400 + code for code in range(0x20)} | {0x7F: 0x2421}
_CONTROL_PICTURES.pop(0x0A)  # newlines are layout, kept where text may wrap


def plain(text: str) -> str:
    """Control characters (an ESC from a feed) shown as visible symbols, never sent.

    The core already strips them at ingestion; this is the second guard at the point
    of display, and it keeps a stray sequence visible to the reader instead of silently
    dropped.
    """
    return text.translate(_CONTROL_PICTURES)


STAR_MARK = "★"


def grade_word(grade: str) -> str:
    """The grade in words; an unknown key is shown as it came rather than hidden."""
    return GRADE_WORDS.get(grade, grade.replace("-", " ").capitalize())


def grade_content(grade: str) -> Content:
    return Content.styled(grade_word(grade), GRADE_STYLES.get(grade, ""))


def latest_date(story: MergedStory) -> datetime | None:
    dates = [a.published for a in story.story.articles if a.published is not None]
    return max(dates) if dates else None


def first_date(story: MergedStory) -> datetime | None:
    dates = [a.published for a in story.story.articles if a.published is not None]
    return min(dates) if dates else None


def short_date(moment: datetime | date | None) -> str:
    if moment is None:
        return "undated"
    return f"{moment.day} {moment:%b %Y}"


def is_unread(story: MergedStory) -> bool:
    return any(not a.read for a in story.story.articles)


def is_starred(story: MergedStory) -> bool:
    return any(a.starred for a in story.story.articles)


def source_count(story: MergedStory) -> int:
    """Distinct outlets, not items: one feed posting twice is still one source."""
    return len({a.feed for a in story.story.articles})


def days_away(day: date, today: date) -> str:
    """How far a meeting is from `today`, in the words the issue asks for."""
    delta = (day - today).days
    if delta < 0:
        return "past"
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    return f"in {delta} days"


def meeting_when(meeting: MeetingFact, today: date) -> str:
    when = f"{meeting.date:%A} {meeting.date.day} {meeting.date:%B %Y}"
    if meeting.time is not None:
        when += f", {meeting.time:%H:%M}"
    return f"{when} ({days_away(meeting.date, today)})"


def story_row(story: MergedStory, width: int) -> tuple[Content, Content]:
    """The two lines of a story in the list: mark and headline, then the facts.

    Line one: unread mark, star, headline. Line two: kind badge, sources, force, latest
    date. Both are cut to `width` with an ellipsis so the list never wraps.
    """
    unread = is_unread(story)
    mark = Content.styled(UNREAD_MARK if unread else " ", "bold $text-accent")
    star = Content.styled(STAR_MARK if is_starred(story) else " ", "$text-warning")
    title = Content.styled(plain(story.story.title), "bold" if unread else "")
    line1 = Content.assemble(mark, star, " ", title)
    badge, badge_style = KIND_BADGES.get(story.story.kind, ("", ""))
    parts: list[Content | str] = ["   "]
    if badge:
        parts += [Content.styled(badge, badge_style), " "]
    count = source_count(story)
    parts.append(Content.styled(f"{count} source{'s' if count != 1 else ''}", "$text-muted"))
    if story.story.force:
        parts += [Content.styled(" · ", "$text-muted"), plain(story.story.force)]
    parts += [Content.styled(" · ", "$text-muted"), short_date(latest_date(story))]
    line2 = Content.assemble(*parts)
    return line1.truncate(width, ellipsis=True), line2.truncate(width, ellipsis=True)


def search_key(story: MergedStory) -> str:
    """Lower-cased words a filter can match: headline, force, people, feeds, teasers.

    The full article text is left out on purpose: on tens of thousands of stories it would
    cost more memory than the rest of the list put together.
    """
    story_ = story.story
    parts: list[str] = [story_.title, story_.force or "", story_.kind]
    for article in story_.articles:
        parts += [article.title, article.feed, article.author or "", article.summary]
    for person in story.people:
        parts += [person.name, person.role or "", *person.variants]
    for quote in story.quotes:
        parts += [quote.speaker or "", quote.role or ""]
    return "\n".join(parts).casefold()


def matches(key: str, query: str) -> bool:
    """Every word of the query appears somewhere in the story's key."""
    return all(word in key for word in query.casefold().split())


def with_flags(
    story: MergedStory,
    ids: Iterable[str],
    *,
    read: bool | None = None,
    starred: bool | None = None,
) -> MergedStory:
    """The same story with the given articles' read or starred flag set.

    The core's records are frozen; the TUI keeps its list in step with what it has just
    written through the Newsroom without reloading every story.
    """
    wanted = set(ids)

    def update(article: Article) -> Article:
        if article.id not in wanted:
            return article
        return dataclasses.replace(
            article,
            read=article.read if read is None else read,
            starred=article.starred if starred is None else starred,
        )

    articles = tuple(update(a) for a in story.story.articles)
    return dataclasses.replace(story, story=dataclasses.replace(story.story, articles=articles))


def is_web_link(url: str | None) -> bool:
    """Only http(s) links are ever handed to the browser."""
    return bool(url) and (url or "").lower().startswith(("http://", "https://"))


def outlets(story: MergedStory, links: Iterable[str]) -> list[str]:
    """Feed names of the articles behind `links`, in first-seen order.

    A fact's provenance is stored as article links; the reader wants the outlets. A link
    that no article of the story carries is shown as it is rather than dropped.
    """
    by_link = {a.link: a.feed for a in story.story.articles}
    names: list[str] = []
    for link in links:
        name = by_link.get(link, link)
        if name not in names:
            names.append(name)
    return names
