"""The one façade the CLI and the TUI both call, so the two front ends cannot drift apart.

A `Newsroom` is a feeds file plus a data folder: `refresh()` collects, `stories()` groups
and merges what is stored, `export()` writes a digest. Everything it returns is a plain
dataclass from `models` (or a refresh's `FeedOutcome` / `RefreshReport`, re-exported here),
usable from a script as well as from the TUI.

Editing the feeds file (`add_feed`, `import_opml`) and writing it as OPML (`export_opml`)
are static methods that take the file's path: they must work without a data folder, so
`heraldtui feeds add` never creates one. None of them writes the default bundled inside the
package; `save_setting` (the reader's remembered theme) neither.

The class is cut in parts by concern, each a mixin in its own module: `feeds` (feed states
and feeds-file edits), `watching` (watch rules and digest filters), `fixes` (the reader's
corrections to the grouping); collecting, listing, merging and writing stay here.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from heraldtui.core import models
from heraldtui.core.errors import StoreError
from heraldtui.core.ingest.config import (
    FeedsConfig,
    Settings,
    default_config_path,
    load_config,
)
from heraldtui.core.ingest.fastpaths import FastPaths
from heraldtui.core.ingest.feedfate import FateNotes, fate_notes
from heraldtui.core.ingest.refresh import (
    FeedOutcome,
    ParsePool,
    ProgressCallback,
    RefreshReport,
    refresh_feeds,
)
from heraldtui.core.models import (
    AgendaFormat,
    Article,
    ExportFormat,
    FeedSource,
    Story,
    WatchRule,
    carry_marks,
)
from heraldtui.core.newsroom.feeds import FeedsPart, writable
from heraldtui.core.newsroom.fixes import FixesPart
from heraldtui.core.newsroom.watching import WatchingPart
from heraldtui.core.output.render import (
    agenda_format,
    export_format,
    render_agenda,
    render_digest,
    today_in_uk,
    write_output,
)
from heraldtui.core.storage.corrections import list_corrections
from heraldtui.core.storage.marks import mark_read_with
from heraldtui.core.storage.store import Store
from heraldtui.core.text.sanitize import for_terminal

if TYPE_CHECKING:
    from heraldtui.core.facts.history import ForceHistory
    from heraldtui.core.facts.watch import WatchMatcher
    from heraldtui.core.models import AgendaItem, ArticleFacts, ForceView, MeetingFact, MergedStory
    from heraldtui.core.stories.index import Regrouped, StoryIndex

EXPORT_FORMATS: tuple[ExportFormat, ...] = ("markdown", "json", "ics")
AGENDA_FORMATS: tuple[AgendaFormat, ...] = ("text", "json", "ics")
AGENDA_BATCH = 200
"""Stories whose articles the agenda reads from the store at a time (memory stays flat)."""
DB_NAME = "heraldtui.sqlite3"
FACTS_BATCH = 500
"""Articles whose facts are extracted and stored in one transaction (a few seconds' work)."""
POOL_MIN = 2 * FACTS_BATCH
"""Articles to extract above which worker processes do it: several seconds of work, so
starting the processes (a fraction of a second each) pays."""

__all__ = [
    "AGENDA_FORMATS",
    "EXPORT_FORMATS",
    "AgendaFormat",
    "ExportFormat",
    "FateNotes",
    "FeedOutcome",
    "Newsroom",
    "ProgressCallback",
    "RefreshReport",
    "Settings",
    "agenda_format",
    "default_config_path",
    "default_data_dir",
    "export_format",
    "fate_notes",
    "for_terminal",
    "render_agenda",
    "render_digest",
    "today_in_uk",
]


def default_data_dir() -> Path:
    """`$HERALDTUI_DATA_DIR`, else the platform's user data folder."""
    env = os.environ.get("HERALDTUI_DATA_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path  # only when no folder was named

    return user_data_path("heraldtui", appauthor=False)


class Newsroom(FeedsPart, WatchingPart, FixesPart):
    """A feeds file and a store, behind the operations both front ends need."""

    def __init__(self, config: FeedsConfig, store: Store) -> None:
        self.config = config
        self.store = store
        store.adopt_feeds(config.feeds)  # a feed renamed in the file keeps its articles
        self._merged: dict[tuple[str, ...], MergedStory] = {}
        self._meetings: dict[tuple[str, ...], tuple[MeetingFact, ...]] = {}
        self._index: StoryIndex | None = None
        self._listing: list[Story] | None = None
        """The last listing's stories: the history pass reads the force's others from it."""
        self._history: ForceHistory | None = None
        self._matcher: WatchMatcher | None = None
        self._refresh_began: datetime | None = None
        """When the last `refresh()` began: the articles stored since are its new ones."""
        self.fast_paths = FastPaths.from_env()  # HERALDTUI_FAST_PATHS=0: all off, see fastpaths

    @classmethod
    def open(cls, config: Path | None = None, data_dir: Path | None = None) -> Newsroom:
        """Load the feeds file and open the store; raises ConfigError / StoreError."""
        loaded = load_config(config or default_config_path())
        folder = data_dir or default_data_dir()
        return cls(loaded, Store(folder / DB_NAME))

    @property
    def config_path(self) -> Path:
        return self.config.path

    @property
    def feeds(self) -> tuple[FeedSource, ...]:
        return self.config.feeds

    @property
    def settings(self) -> Settings:
        return self.config.settings

    @property
    def watch_rules(self) -> tuple[WatchRule, ...]:
        return self.config.watch

    def save_setting(self, key: str, value: str | int | None) -> None:
        """Remember one `[settings]` key in the feeds file (never the bundled default)."""
        from heraldtui.core.ingest.feedsfile import set_setting

        writable(self.config.path)
        set_setting(self.config.path, key, value)
        self.config = load_config(self.config.path)

    async def refresh(
        self,
        on_progress: ProgressCallback | None = None,
        *,
        parallel: bool = False,
        force: bool = False,
    ) -> RefreshReport:
        """Fetch every feed and store what is new; one outcome per feed, in file order.

        `on_progress(outcome, done, total)` is called as each feed finishes. With
        `parallel`, bodies are parsed by a `ParsePool` this refresh owns and shuts down:
        the first few in a thread, then in worker processes (one per core) once more
        changed, so an unchanged refresh starts no process (the CLI). Without it they are
        parsed in one thread (the reader, which starts no processes under its screen).
        `force` fetches feeds whose server asked to wait (Retry-After) too.
        """
        if parallel:
            with ParsePool() as pool:  # worker processes start only if many feeds changed
                return await self._refresh(on_progress, executor=pool, force=force)
        return await self._refresh(on_progress, force=force)

    async def _refresh(
        self,
        on_progress: ProgressCallback | None = None,
        *,
        executor: Executor | None = None,
        force: bool = False,
    ) -> RefreshReport:
        self._refresh_began = datetime.now(UTC)
        report = await refresh_feeds(
            self.feeds,
            self.store,
            on_progress=on_progress,
            executor=executor,
            fast_paths=self.fast_paths,
            force=force,
            proxy=self.settings.proxy,
            allow_private_pages=self.settings.allow_private_pages,
        )
        if report.new or any(o.status == "ok" for o in report.outcomes):
            self._merged.clear()  # stored text may have changed
            self._history = None  # the listing stays until the next `stories()` replaces it
            self._meetings.clear()
        return report

    def stories(self, *, merge: bool = True, parallel: bool = False) -> list[MergedStory]:
        """Group what is stored into stories, newest first; no network.

        With `merge=False` the stories carry no extracted facts yet: that is what a story
        list needs, and it costs a fraction of merging every story (reading every text and
        every stored fact, and extracting those not stored yet), so the reader can show
        tens of thousands at start-up and merge only the story on screen with `merge()`.

        Facts are extracted only for articles that have none stored for their text and
        the current extractor. With `parallel`, a large extraction (a first export of a
        large history) runs in worker processes, one per core (the CLI); without it, in
        this process (the reader, which starts no processes under its screen).

        Only articles of feeds in the current feeds file are shown, so removing a feed
        from the file removes its stories without deleting what was read.
        """
        names = {feed.name for feed in self.feeds}
        grouped = self._story_index().stories(lambda article: article.feed in names)
        self._listing, self._history = grouped, None
        if not merge:
            return [models.MergedStory(story) for story in grouped]
        return self._with_history(self._merge_all(grouped, parallel=parallel))

    def _story_index(self) -> StoryIndex:
        if self._index is None:
            from heraldtui.core.stories.index import StoryIndex  # not needed by `refresh`

            self._index = StoryIndex(self.store)
        return self._index

    def rebuild(self) -> Regrouped:
        """Regroup every stored article from scratch (`heraldtui rebuild`), through the
        grouping every listing uses, and store it in place of the stored grouping in one
        transaction. Read and starred marks stay (they are the articles'); the counts say
        how many stories there were before and after."""
        done = self._story_index().rebuild()
        self._merged.clear()  # story ids and members may have changed
        self._meetings.clear()
        self._listing = self._history = None
        return done

    def newest_stories(self, limit: int) -> list[MergedStory]:
        """The first `limit` stories `stories(merge=False)` lists, read from the newest
        articles back: what the reader paints first, at a cost that does not grow with
        the history. Articles not grouped yet are missing until `stories()` groups them.
        """
        from heraldtui.core.stories.listing import newest_stories  # not the grouper

        names = {feed.name for feed in self.feeds}
        if fixes := list_corrections(self.store):
            from heraldtui.core.stories.corrections import newest_corrected  # only if any

            page = newest_corrected(self.store, limit, names.__contains__, fixes)
        else:
            page = newest_stories(self.store, limit, names.__contains__)
        return [models.MergedStory(s) for s in page]

    def merge(self, story: Story) -> MergedStory:
        """The story with its facts and its articles' full text.

        Listed stories carry articles without their text (it is read from the store
        here). Facts come from the store (extracted and stored first for articles that
        have none yet); merges are cached until the next refresh; read and starred marks
        are taken from `story`, so flipping them costs no new merge.
        """
        return self._merge_all([story])[0]

    def _merge_all(self, stories: Sequence[Story], *, parallel: bool = False) -> list[MergedStory]:
        """`merge` of each story, reading texts and stored facts in bulk."""
        from heraldtui.core.facts.merge import merge_story

        keys = [(s.id, *(a.id for a in s.articles)) for s in stories]
        done = {k: m for k in keys if (m := self._merged.get(k)) is not None}
        todo = [(k, s) for k, s in zip(keys, stories, strict=True) if k not in done]
        fresh: dict[tuple[str, ...], Story] = {}
        if todo:
            listed = {a.id: a for _, s in todo for a in s.articles}
            stored = {a.id: a for a in self.store.articles_by_id(listed, like=listed)}
            full = [(k, s, tuple(stored.get(a.id, a) for a in s.articles)) for k, s in todo]
            facts = self._facts([a for _, _, articles in full for a in articles], parallel)
            for key, story, articles in full:
                merged = merge_story(
                    dataclasses.replace(story, articles=articles), [facts[a.id] for a in articles]
                )
                # Kept with this story's marks: an export of the stories just listed
                # finds them carried already (`carry_marks` returns them as they are).
                self._merged[key] = done[key] = carry_marks(merged, story)
                fresh[key] = story
        return [
            done[k] if fresh.get(k) is s else carry_marks(done[k], s)
            for k, s in zip(keys, stories, strict=True)
        ]

    def _facts(self, articles: Sequence[Article], parallel: bool) -> dict[str, ArticleFacts]:
        """Each article's facts: stored ones that are current, the rest extracted now and
        stored, `FACTS_BATCH` articles per transaction (an interrupted export keeps what
        it extracted).

        Stored facts only save work: when they cannot be written (another process holds
        the database longer than the store waits, or it is read-only), the merge goes on
        with the facts just extracted, and they are extracted again next time.
        """
        from heraldtui.core.facts.extract import EXTRACTOR_VERSION, facts_source

        sources = {a.id: facts_source(a) for a in articles}
        found = self.store.article_facts(sources, EXTRACTOR_VERSION)
        missing = list({a.id: a for a in articles if a.id not in found}.values())
        storing = True
        for batch, facts in _extract_batches(missing, parallel):
            extracted = list(zip(batch, facts, strict=True))
            if storing:
                try:
                    self.store.save_article_facts(
                        [(a.id, sources[a.id], f) for a, f in extracted], EXTRACTOR_VERSION
                    )
                except StoreError:
                    storing = False  # each later batch would wait as long again
            found.update((a.id, f) for a, f in extracted)
        return found

    def merge_with_history(self, story: Story) -> MergedStory:
        """`merge(story)` with its place in the force's history: the previous inspection,
        each grade's previous grade and the related stories (`facts/history.py`).

        The story on screen asks for this; only the force's candidate stories are merged
        for it (and cached like any merge).
        """
        return self._with_history([self.merge(story)])[0]

    def _with_history(self, merged: Sequence[MergedStory]) -> list[MergedStory]:
        history = self._force_history()
        return [history.of(story) for story in merged]

    def _force_history(self) -> ForceHistory:
        history = self._history
        if history is None:
            from heraldtui.core.facts.history import ForceHistory  # only once stories are read

            listing = self._listing
            if listing is None:
                listing = [s.story for s in self.stories(merge=False)]
            history = self._history = ForceHistory(listing, self.merge)
        return history

    def force_view(self, force: str, *, today: date) -> ForceView:
        """The force over time, for its screen: its inspections with a grade grid, its
        meetings from `today` on, its people and its recent stories (`facts/force_view.py`).

        Read from the last listing (a force's stories need no merge to be found); only
        what the screen shows is merged: its inspections, a few months of meeting stories
        and its latest stories, each cached like any merge.
        """
        from heraldtui.core.facts.force_view import build_force_view

        return build_force_view(self._force_history(), force, today)

    def meetings(
        self,
        include_past: bool = False,
        *,
        today: date | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> list[AgendaItem]:
        """The agenda: every listed story's public meetings from `today` on (every one
        with `include_past`), soonest first, each with its story and days away.

        A full merge of every story would cost seconds per thousand stories; only the
        meetings are read here: from the stored facts of articles that have them (an
        export stores every article's), else only in the articles whose stored words
        could name one (`facts.merge.story_meetings`). Each story's meetings are kept until the next
        refresh, like merges, and a story merged already is not read again.
        `on_progress(done, total)` counts the stories as they are read.
        """
        from heraldtui.core.facts.extract import EXTRACTOR_VERSION, facts_source
        from heraldtui.core.facts.meeting_words import may_name_meeting
        from heraldtui.core.facts.merge import story_meetings
        from heraldtui.core.output.agenda import build_agenda

        listed = [m.story for m in self.stories(merge=False)]
        found: list[MergedStory] = []
        for start in range(0, len(listed), AGENDA_BATCH):
            batch = listed[start : start + AGENDA_BATCH]
            keys = [(s.id, *(a.id for a in s.articles)) for s in batch]
            unread = [
                s
                for s, k in zip(batch, keys, strict=True)
                if k not in self._merged and k not in self._meetings
            ]
            stored = {
                a.id: a for a in self.store.articles_by_id(a.id for s in unread for a in s.articles)
            }
            # What an export or an opened story extracted already is read, not read again.
            sources = {
                a.id: facts_source(a) for a in stored.values() if may_name_meeting(a.title, a.text)
            }
            facts = self.store.article_facts(sources, EXTRACTOR_VERSION) if sources else {}
            for story, key in zip(batch, keys, strict=True):
                merged = self._merged.get(key)
                meetings = merged.meetings if merged is not None else self._meetings.get(key)
                if meetings is None:
                    meetings = story_meetings(
                        [stored[a.id] for a in story.articles if a.id in stored], facts
                    )
                    self._meetings[key] = meetings
                if meetings:
                    found.append(models.MergedStory(story, meetings=meetings))
            if on_progress is not None:
                on_progress(start + len(batch), len(listed))
        return build_agenda(found, today or today_in_uk(), include_past=include_past)

    def export_meetings(
        self,
        items: Sequence[AgendaItem],
        path: Path,
        fmt: AgendaFormat = "text",
        *,
        include_past: bool = False,
        today: date | None = None,
        now: datetime | None = None,
    ) -> None:
        """Write the agenda atomically; an empty calendar raises `EmptyCalendar` and
        writes nothing."""
        data = render_agenda(items, fmt, include_past=include_past, today=today, now=now)
        write_output(path, data, "the meetings")

    def article_texts(self, article_ids: Iterable[str]) -> Iterator[tuple[str, str]]:
        """(article id, stored text) for each stored article among `article_ids`, read a
        chunk at a time: the reader indexes every story's text for its filter."""
        ids = list(article_ids)
        for start in range(0, len(ids), 500):
            for article in self.store.articles_by_id(ids[start : start + 500]):
                yield article.id, article.text

    def set_read(self, article_ids: Iterable[str], read: bool) -> None:
        self.store.set_read(article_ids, read)

    def set_starred(self, article_ids: Iterable[str], starred: bool) -> None:
        self.store.set_starred(article_ids, starred)

    def export(
        self,
        stories: Sequence[MergedStory],
        path: Path,
        fmt: ExportFormat = "markdown",
        *,
        now: datetime | None = None,
        mark_read: bool = False,
    ) -> None:
        """Write a digest of `stories` atomically: a failure leaves any old file intact.
        Stories are merged here if they were listed without their facts; `mark_read`: see
        `write_digest`."""
        write = functools.partial(write_output, path, what="the digest")
        self.write_digest(stories, write, fmt, now=now, mark_read=mark_read)

    def write_digest(
        self,
        stories: Sequence[MergedStory],
        write: Callable[[bytes], None],
        fmt: ExportFormat = "markdown",
        *,
        now: datetime | None = None,
        mark_read: bool = False,
    ) -> None:
        """Render the digest of `stories` and hand it to `write` (a file, standard output).

        With `mark_read`, the articles of the stories written (every story; for a
        calendar, those with a meeting) are marked read in the transaction that runs
        `write`: when `write` raises, nothing is marked. An empty calendar raises
        `EmptyCalendar` before anything is written or marked.
        """
        merged = self._with_history(self._merge_all([s.story for s in stories]))
        data = render_digest(merged, fmt, now=now)
        if not mark_read:
            write(data)
            return
        written = [s for s in merged if s.meetings] if fmt == "ics" else merged
        ids = [a.id for s in written for a in s.story.articles]
        mark_read_with(self.store, ids, lambda: write(data))

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Newsroom:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _extract_batches(
    articles: Sequence[Article], parallel: bool
) -> Iterator[tuple[Sequence[Article], list[ArticleFacts]]]:
    """`articles` in batches of `FACTS_BATCH`, each with its extracted facts, in order.

    With `parallel`, more than `POOL_MIN` articles (a first export of a large store, or
    the first after a new extractor version) are spread over worker processes, one per
    core, that import only the extractors (`ingest/workerpool.py`); should the pool break,
    the rest is read here. Otherwise all are read here.
    """
    from heraldtui.core.facts.extract import extract_many

    batches = [articles[i : i + FACTS_BATCH] for i in range(0, len(articles), FACTS_BATCH)]
    workers = min(len(batches), _usable_cores())
    if not parallel or len(articles) < POOL_MIN or workers < 2:
        for batch in batches:
            yield batch, extract_many(batch)
        return
    from concurrent.futures.process import BrokenProcessPool

    from heraldtui.core.ingest.workerpool import WorkerPool

    pool = WorkerPool(workers)
    try:
        futures = [pool.submit(extract_many, batch) for batch in batches]
        for batch, future in zip(batches, futures, strict=True):
            try:
                facts = future.result()
            except BrokenProcessPool:
                facts = extract_many(batch)
            yield batch, facts
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1
