"""`Newsroom.meetings()`: the agenda from a real SQLite store, without merging every story.

It must list exactly what merging every story would (on our fixtures and on each annotated
set there is), read only the articles that could name a meeting, and keep what it read
until the next refresh. Bounded by counts of articles read, never by time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path

import pytest

from heraldtui.core.facts import extract as extract_module
from heraldtui.core.facts.meetings import MeetingMention, find_meetings
from heraldtui.core.models import Article, FeedState
from heraldtui.core.newsroom import DB_NAME, Newsroom
from heraldtui.core.output.agenda import build_agenda
from heraldtui.core.read.article_text import ArticleText
from heraldtui.core.storage.store import Store
from heraldtui.core.text.html_markdown import html_to_markdown
from tests.fixtures import agenda
from tests.support.paths import REPO, SHARED
from tests.support.sets import load_set

TODAY = date(2025, 3, 10)


def fixture_articles() -> list[Article]:
    out = []
    for feed in agenda.items(TODAY).values():
        for item in feed:
            text = html_to_markdown(item.html, item.link)
            when = item.published(TODAY)
            out.append(Article(item.feed, item.link, item.link, item.title, None, when, "", text))
    return out


def stored(tmp_path: Path, articles: Iterable[Article]) -> Newsroom:
    """A Newsroom on a store that holds `articles`, one feed per outlet."""
    by_feed: dict[str, list[Article]] = {}
    for article in articles:
        by_feed.setdefault(article.feed, []).append(article)
    config = tmp_path / "feeds.toml"
    config.write_text(
        "".join(
            f'[[feeds]]\nname = "{name}"\nurl = "https://feeds.example/{n}.rss"\n\n'
            for n, name in enumerate(by_feed)
        ),
        encoding="utf-8",
    )
    store = Store(tmp_path / "data" / DB_NAME)
    try:
        for name, items in by_feed.items():
            store.save_feed_result(FeedState(name, "https://feeds.example/rss", "ok"), items)
    finally:
        store.close()
    return Newsroom.open(config, tmp_path / "data")


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The headlines of the articles the agenda reads meetings in, as it reads them."""
    read: list[str] = []
    real = find_meetings

    def counting(
        text: ArticleText, published: datetime | None, title: str | None = None
    ) -> list[MeetingMention]:
        read.append(title or "")
        return real(text, published, title)

    monkeypatch.setattr(extract_module, "find_meetings", counting)  # the agenda reads through it
    return read


SETS = [REPO / "tests" / "heldout"] + [
    SHARED / n for n in ("seeds", "devset", "realdev") if (SHARED / n).exists()
]


@pytest.mark.parametrize("folder", [None, *SETS], ids=lambda f: f.name if f else "fixtures")
def test_the_agenda_is_what_merging_every_story_gives(tmp_path: Path, folder: Path | None) -> None:
    articles = fixture_articles() if folder is None else load_set(folder)
    with stored(tmp_path, articles) as room:
        for include_past in (False, True):
            quick = room.meetings(include_past, today=TODAY)
            full = build_agenda(room.stories(), TODAY, include_past=include_past)
            assert quick == full
    if folder is None:
        assert [i.days_away for i in quick] == [-21, 2, 8]


def test_only_articles_that_could_name_a_meeting_are_read_and_only_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    read = count_reads(monkeypatch)
    articles = fixture_articles()
    progress: list[tuple[int, int]] = []
    with stored(tmp_path, articles) as room:
        items = room.meetings(today=TODAY, on_progress=lambda d, t: progress.append((d, t)))
        assert len(items) == 2
        assert "Van stolen from farmyard" not in read, "no meeting word: never read"
        assert len(read) == len(articles) - 1
        stories = len(room.stories(merge=False))
        assert progress[-1] == (stories, stories)
        read.clear()
        assert room.meetings(include_past=True, today=TODAY)[0].days_away == -21
        assert read == [], "kept from the first reading"
        merged = room.stories()  # a full merge replaces what the agenda kept, not rereads
        read.clear()
        assert len(room.meetings(today=TODAY)) == 2 and read == []
        assert sum(len(s.meetings) for s in merged) == 3


def test_a_new_reader_takes_the_meetings_an_export_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Facts an export extracted are in the store: the next process's agenda reads them
    instead of the articles' text, and lists the same meetings."""
    articles = fixture_articles()
    with stored(tmp_path, articles) as room:
        full = build_agenda(room.stories(), TODAY, include_past=True)  # extracts and stores
    read = count_reads(monkeypatch)
    with Newsroom.open(tmp_path / "feeds.toml", tmp_path / "data") as again:
        assert again.meetings(include_past=True, today=TODAY) == full
    assert read == [], "every article's meetings came from its stored facts"
