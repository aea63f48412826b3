"""Fixture stories for the TUI tests, written for these tests.

`merged_stories()` builds `MergedStory` values by hand, so widget tests do not depend on
what grouping and extraction happen to find. `MemoryNewsroom` serves them through the
same surface as the core's `Newsroom` (the `NewsroomPort` protocol) and records every
write, so a test can assert on what the TUI asked the Newsroom to do.
"""

from __future__ import annotations

import asyncio
import dataclasses
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path

from heraldtui.core.errors import ConfigError, ExportError
from heraldtui.core.models import (
    AgendaItem,
    Article,
    Correction,
    CorrectionAction,
    DocumentFact,
    ExportFormat,
    FeedSource,
    FeedState,
    FeedStatus,
    ForceView,
    GradeConflict,
    GradeFact,
    MeetingFact,
    MergedStory,
    PersonFact,
    QuoteFact,
    Story,
    WatchRule,
)
from heraldtui.core.output.agenda import build_agenda
from heraldtui.tui.ports import ProgressCallback

TODAY = date(2024, 11, 6)
NOW = datetime(2024, 11, 6, 9, 0, tzinfo=UTC)
UNSAFE_TITLE = "[@click=app.quit]x[/] [bold red]alarm\x1b[31m red"

GAZETTE = "Downland Gazette"
COURIER = "Vale Courier"
BULLETIN = "Market Town Bulletin"


def _article(feed: str, slug: str, title: str, day: int, body: str, **kw: object) -> Article:
    return Article(
        feed=feed,
        guid=f"https://{feed.split()[0].lower()}.example/{slug}",
        link=f"https://{feed.split()[0].lower()}.example/{slug}",
        title=title,
        author=kw.get("author") if isinstance(kw.get("author"), str) else None,  # type: ignore[arg-type]
        published=datetime(2024, 11, day, 8, 30, tzinfo=UTC),
        summary=body.split("\n")[0][:120],
        content=body,
    )


def inspection_articles() -> tuple[Article, Article]:
    gazette = _article(
        GAZETTE,
        "inspection",
        "Inspectors find county force inadequate at recording crime",
        4,
        "Inspectors graded the force **inadequate** at recording data about crime.\n\n"
        "They rated responding to the public as adequate and leadership as good. "
        "Read the [full report](https://inspectorate.example/report) online.",
        author="Sam Reeve",
    )
    courier = _article(
        COURIER,
        "force-inspection",
        "Force told to improve crime recording after inspection",
        5,
        "The inspection said crime recording requires improvement.\n\n"
        "Responding to the public was judged adequate.",
    )
    return gazette, courier


def merged_stories() -> list[MergedStory]:
    """Four stories, newest first: a meeting, an inspection, an unsafe headline, other."""
    gazette, courier = inspection_articles()
    inspection = MergedStory(
        story=Story(
            id="story-inspection",
            title="Inspectors find county force inadequate at recording crime",
            kind="inspection",
            force="Wiltshire Police",
            articles=(gazette, courier),
        ),
        grades=(
            GradeFact(
                "recording-data",
                "Recording data about crime",
                "inadequate",
                (gazette.link,),
                (GradeConflict("requires-improvement", (courier.link,)),),
            ),
            GradeFact(
                "responding", "Responding to the public", "adequate", (gazette.link, courier.link)
            ),
            GradeFact("leadership", "Leadership and force management", "good", (gazette.link,)),
        ),
        quotes=(
            QuoteFact(
                "Jane Fielding",
                "HM Inspector of Constabulary",
                "The force must put this right quickly.",
                (gazette.link, courier.link),
            ),
        ),
        meetings=(
            MeetingFact(
                "Police and Crime Panel",
                date(2024, 11, 14),
                time(10, 30),
                "https://panel.example/meeting",
                (courier.link,),
            ),
        ),
        people=(PersonFact("Jane Fielding", "HM Inspector of Constabulary", ("Jayne Fielding",)),),
        documents=(DocumentFact("https://inspectorate.example/report", "report", (gazette.link,)),),
    )
    meeting_article = _article(
        BULLETIN,
        "surgery",
        "Commissioner holds public surgery in the market hall",
        6,
        "Residents can meet the commissioner on Friday 8 November at 2pm.",
    )
    meeting = MergedStory(
        story=Story(
            "story-meeting",
            meeting_article.title,
            "meeting",
            "Wiltshire Police",
            (meeting_article,),
        ),
        meetings=(
            MeetingFact(
                "Public surgery", date(2024, 11, 8), time(14, 0), None, (meeting_article.link,)
            ),
        ),
    )
    unsafe_article = _article(
        GAZETTE, "unsafe", UNSAFE_TITLE, 3, "A headline full of [bold]brackets[/bold] and no facts."
    )
    unsafe = MergedStory(
        story=Story("story-unsafe", UNSAFE_TITLE, "other", None, (unsafe_article,))
    )
    other_article = _article(
        COURIER,
        "bikes",
        "Cycle marking event at the station",
        2,
        "Officers will mark bicycles free of charge.",
    )
    other = MergedStory(
        story=Story(
            "story-other",
            other_article.title,
            "other",
            "Avon and Somerset Constabulary",
            (other_article,),
        )
    )
    return [meeting, inspection, unsafe, other]


@dataclass(frozen=True)
class Settings:
    """The `[settings]` surface the reader reads (the core's is `config.Settings`)."""

    theme: str | None = None
    browser: str | None = None
    auto_refresh_minutes: int = 0
    text_width: int | None = None


@dataclass(frozen=True)
class Outcome:
    name: str
    status: FeedStatus
    new: int = 0
    error: str | None = None
    warning: str | None = None


@dataclass(frozen=True)
class Report:
    outcomes: tuple[Outcome, ...]


@dataclass
class MemoryNewsroom:
    """The Newsroom surface over in-memory stories; records what the TUI writes."""

    stored: list[MergedStory] = field(default_factory=merged_stories)
    arriving: list[MergedStory] = field(default_factory=list)
    """Stories that a refresh "fetches": appended to `stored` by `refresh()`."""
    broken: set[str] = field(default_factory=set)
    """Names of methods that raise an unexpected error (a bug), to test the TUI survives."""
    merges: list[str] = field(default_factory=list)
    failing_feed: str | None = None
    failing_feeds: tuple[str, ...] = ()
    failure: str = "HTTP 503 [bold]Service[/] down"
    """The error a failing feed reports (a server's words: markup, controls, anything)."""
    feeds: tuple[FeedSource, ...] = (
        FeedSource(GAZETTE, "https://gazette.example/rss"),
        FeedSource(COURIER, "https://courier.example/rss"),
        FeedSource(BULLETIN, "https://bulletin.example/rss"),
    )
    writes: list[tuple[str, tuple[str, ...], bool]] = field(default_factory=list)
    exports: list[tuple[Path, ExportFormat, int]] = field(default_factory=list)
    states: dict[str, FeedState] = field(default_factory=dict)
    refreshes: int = 0
    gate: asyncio.Event | None = None
    """When set, refresh waits on it after the first feed: a test can look mid-refresh."""
    loading_gate: threading.Event | None = None
    """When set, `stories()` waits on it (in its thread): a test can look while it loads."""
    settings: Settings = field(default_factory=Settings)
    saved: list[tuple[str, str | int | None]] = field(default_factory=list)
    watching: dict[str, WatchRule] = field(default_factory=dict)
    """The watch rule each story matches, by story id (none: no rules)."""
    read_only: bool = False
    fixes: list[Correction] = field(default_factory=list)
    force_views: list[str] = field(default_factory=list)
    """The forces whose view the reader asked for, in order."""
    force_gate: threading.Event | None = None
    """When set, `force_view()` waits on it (in its thread): a test can look while it loads."""
    """When set, saving a setting fails as it does on the bundled default."""

    def _maybe_break(self, name: str) -> None:
        if name in self.broken:
            raise RuntimeError(f"{name} exploded")

    @property
    def watch_rules(self) -> tuple[WatchRule, ...]:
        return tuple(dict.fromkeys(self.watching.values()))

    def watched(self, stories: Sequence[MergedStory]) -> dict[str, WatchRule]:
        self._maybe_break("watched")
        return {s.story.id: r for s in stories if (r := self.watching.get(s.story.id))}

    def stories(self, *, merge: bool = True) -> list[MergedStory]:
        self._maybe_break("stories")
        if self.loading_gate is not None:
            self.loading_gate.wait(timeout=30)
        if merge:
            return list(self.stored)
        return [MergedStory(s.story) for s in self.stored]

    def newest_stories(self, limit: int) -> list[MergedStory]:
        """The first `limit` stories as `stories(merge=False)` lists them (no gate)."""
        self._maybe_break("newest_stories")
        return [MergedStory(s.story) for s in self.stored[:limit]]

    def merge(self, story: Story) -> MergedStory:
        self._maybe_break("merge")
        self.merges.append(story.id)
        found = next(s for s in self.stored if s.story.id == story.id)
        return dataclasses.replace(found, story=story)

    def merge_with_history(self, story: Story) -> MergedStory:
        """The fixture stories carry their history already: a merge as above."""
        return self.merge(story)

    def force_view(self, force: str, *, today: date) -> ForceView:
        """The core's own force view over the stored stories, as the Newsroom builds it."""
        from heraldtui.core.facts.force_view import build_force_view
        from heraldtui.core.facts.history import ForceHistory

        self._maybe_break("force_view")
        if self.force_gate is not None:
            self.force_gate.wait(timeout=30)
        self.force_views.append(force)
        history = ForceHistory([s.story for s in self.stored], self.merge)
        return build_force_view(history, force, today)

    async def refresh(self, on_progress: ProgressCallback | None = None) -> Report:
        self._maybe_break("refresh")
        self.refreshes += 1
        outcomes = []
        for done, feed in enumerate(self.feeds, start=1):
            if feed.name == self.failing_feed or feed.name in self.failing_feeds:
                outcome = Outcome(feed.name, "error", error=self.failure)
            else:
                new = [s for s in self.arriving if s.story.articles[0].feed == feed.name]
                self.stored = new + self.stored
                self.arriving = [s for s in self.arriving if s not in new]
                outcome = Outcome(feed.name, "ok", new=len(new))
            self.states[feed.name] = FeedState(
                feed.name,
                feed.url,
                outcome.status,
                NOW,
                error=outcome.error,
                items=0 if outcome.error else 3,
            )
            outcomes.append(outcome)
            if on_progress is not None:
                on_progress(outcome, done, len(self.feeds))
            if self.gate is not None and done == 1:
                await self.gate.wait()
            await asyncio.sleep(0)
        return Report(tuple(outcomes))

    def save_setting(self, key: str, value: str | int | None) -> None:
        if self.read_only:
            raise ConfigError("feeds.toml: the default bundled with heraldtui is not edited")
        self.saved.append((key, value))
        self.settings = dataclasses.replace(self.settings, **{key: value})  # type: ignore[arg-type]

    def article_texts(self, article_ids: Iterable[str]) -> Iterator[tuple[str, str]]:
        self._maybe_break("article_texts")
        wanted = set(article_ids)
        for story in self.stored:
            for article in story.story.articles:
                if article.id in wanted:
                    yield article.id, article.text

    def meetings(
        self,
        include_past: bool = False,
        *,
        today: date | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> list[AgendaItem]:
        self._maybe_break("meetings")
        if on_progress is not None:
            on_progress(len(self.stored), len(self.stored))
        return build_agenda(self.stored, today or TODAY, include_past=include_past)

    def feed_states(self) -> list[FeedState]:
        return [self.states.get(f.name) or FeedState(f.name, f.url) for f in self.feeds]

    def follow_move(self, name: str) -> str:
        state = self.states[name]
        assert state.moved_to is not None
        self.states[name] = dataclasses.replace(state, url=state.moved_to, moved_to=None)
        return state.moved_to

    def clear_gone(self, name: str) -> bool:
        state = self.states.get(name)
        if state is None or state.gone_since is None:
            return False
        self.states[name] = dataclasses.replace(state, gone_since=None)
        return True

    def _flag(self, kind: str, ids: Iterable[str], value: bool) -> None:
        wanted = tuple(ids)
        self.writes.append((kind, wanted, value))
        self.stored = [
            dataclasses.replace(
                s,
                story=dataclasses.replace(
                    s.story,
                    articles=tuple(
                        dataclasses.replace(a, **{kind: value}) if a.id in wanted else a  # type: ignore[arg-type]
                        for a in s.story.articles
                    ),
                ),
            )
            for s in self.stored
        ]

    def set_read(self, article_ids: Iterable[str], read: bool) -> None:
        self._flag("read", article_ids, read)

    def set_starred(self, article_ids: Iterable[str], starred: bool) -> None:
        self._flag("starred", article_ids, starred)

    # Fixes to the grouping are recorded, not applied: the real Newsroom's are tested
    # on a real store (tests/tui/test_fixes.py).
    def corrections(self) -> list[Correction]:
        return list(self.fixes)

    def _fix(self, action: CorrectionAction, article: str, anchor: str | None) -> Correction:
        fix = Correction(len(self.fixes) + 1, NOW, action, article, anchor, action)
        self.fixes.append(fix)
        return fix

    def split_article(self, article_id: str) -> Correction:
        return self._fix("split", article_id, None)

    def move_article(self, article_id: str, into_story: str) -> Correction:
        return self._fix("move", article_id, into_story)

    def merge_stories(self, story_id: str, into_story: str) -> Correction:
        return self._fix("merge", story_id, into_story)

    def undo_correction(self, correction_id: int | None = None) -> Correction | None:
        found = [f for f in self.fixes if correction_id in (None, f.id)]
        if found:
            self.fixes.remove(found[-1])
        return found[-1] if found else None

    def export(
        self, stories: Sequence[MergedStory], path: Path, fmt: ExportFormat = "markdown"
    ) -> None:
        self._maybe_break("export")
        if not path.parent.is_dir():
            raise ExportError(f"{path}: no such folder")
        path.write_text("\n".join(s.story.title for s in stories), encoding="utf-8")
        self.exports.append((path, fmt, len(stories)))

    def close(self) -> None:
        pass
