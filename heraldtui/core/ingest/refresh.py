"""Refresh every feed: fetch, parse, complete teasers with their pages, store.

One shared `Fetcher` (one HTTP client with a global and a per-host limit) serves all
feeds at once; each feed is one task whose failure is caught and recorded on that feed
alone, so a dead server or a broken body never costs the others their refresh.

What makes a refresh cheap when nothing changed:
- conditional GET with the ETag / Last-Modified the store kept (a 304 is not parsed);
- a hash of the body for servers that send no validators (same bytes, no parsing);
- a 429/503 Retry-After is honoured: the feed is skipped until that time;
- an article whose full text is already stored is not fetched again;
- the feed states are read in one query, and the state-only updates (not modified,
  failed, deferred) are written together in one transaction at the end;
- the parser, bs4 and the page extractor are imported only when a body needs them.

What makes a cold refresh quick: parsing is CPU work (~15 ms for a 50-item feed, mostly
feedparser), so it runs in an executor. `ParsePool` is the one the CLI passes: it parses
the first few bodies in a thread and, once a refresh has more than that to parse, starts
worker processes (one per core, see `workerpool.py`: they import only the parser and end
when the refresh does, even a killed one) so parsing runs on every core while the event
loop keeps fetching. Each feed's items are stored in one transaction.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import BrokenExecutor, Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from heraldtui.core.errors import FeedParseError, FetchError, HeraldError
from heraldtui.core.ingest.fastpaths import FAST_PATHS_ON, FastPaths
from heraldtui.core.ingest.fetch import MAX_RETRY_AFTER, TOTAL_TIMEOUT, Fetched, Fetcher
from heraldtui.core.ingest.limits import cap_text
from heraldtui.core.models import Article, FeedSource, FeedState, FeedStatus
from heraldtui.core.storage.store import Store

if TYPE_CHECKING:
    from heraldtui.core.ingest.parse import ParsedFeed
    from heraldtui.core.ingest.workerpool import WorkerPool

_P = ParamSpec("_P")
_T = TypeVar("_T")

PAGE_CONCURRENCY = 8
"""Article pages fetched at once per feed (the Fetcher's per-host limit still applies)."""
PAGES_CONVERTED_AT_ONCE = 2
"""Article pages turned into Markdown at once in a whole refresh: each holds a parsed tree,
and 500 feeds' pages converted together peaked at 1.3 GB."""
FEED_PAGES_BUDGET = TOTAL_TIMEOUT
"""Seconds one feed's article pages may take in all, as long as one fetch may: twelve pages
that trickle their bytes used to cost three minutes on every refresh. Pages not done by then
keep their teasers."""


@dataclass(frozen=True, slots=True)
class FeedOutcome:
    """How one feed's refresh went, for the progress display and the feeds screen."""

    name: str
    status: FeedStatus
    new: int = 0
    items: int = 0
    error: str | None = None
    warning: str | None = None

    def describe(self) -> str:
        """One line for `heraldtui refresh` and notifications."""
        if self.status == "error":
            return f"{self.name}: error: {self.error}"
        if self.status == "not-modified":
            return f"{self.name}: not modified"
        if self.status == "deferred":
            return f"{self.name}: skipped ({self.error})"
        line = f"{self.name}: {self.new} new of {self.items} items"
        return f"{line} (warning: {self.warning})" if self.warning else line


@dataclass(frozen=True, slots=True)
class RefreshReport:
    outcomes: tuple[FeedOutcome, ...]

    @property
    def failed(self) -> tuple[FeedOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status == "error")

    @property
    def skipped(self) -> tuple[FeedOutcome, ...]:
        """Feeds not fetched because their server asked to wait: not "refreshed"."""
        return tuple(o for o in self.outcomes if o.status == "deferred")

    @property
    def refreshed(self) -> int:
        """Feeds fetched without an error (new items or not)."""
        return len(self.outcomes) - len(self.failed) - len(self.skipped)

    @property
    def new(self) -> int:
        return sum(o.new for o in self.outcomes)


ProgressCallback = Callable[[FeedOutcome, int, int], None]

POOL_THRESHOLD = 4_000_000
"""Bytes of feed bodies a `ParsePool` parses in a thread before it starts worker
processes. Parsing costs about 40-80 ms per MB (feedgen's and gen_feeds' items); starting
a worker costs about 0.1 s of CPU and a third of a second before its first answer, so the
pool pays only past a few MB: a refresh of 20 feeds of 20 items (1.3-1.8 MB) never starts
one, 200 feeds of 50 items (33-45 MB) starts them after the first 4 MB. Bytes, not bodies:
twenty small feeds are less work than one large one."""


def _process_pool(workers: int) -> WorkerPool:
    # Imported here: a refresh with nothing to parse (no pool) should not pay for it.
    from heraldtui.core.ingest.workerpool import WorkerPool

    return WorkerPool(workers)


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class ParsePool(Executor):
    """An executor for `parse_feed` that uses every core, but only when it pays.

    Jobs run in a thread until their bodies (the `bytes` arguments) come to more than
    `threshold` bytes (default `POOL_THRESHOLD`, read when the pool is made); the job that
    crosses it and every later one go to a process pool of
    `workers` processes (default: one per usable core, at most 4), started then and not
    before, so a refresh where nothing changed, or little did, never starts a process.
    Processes are new interpreters, not forks: the TUI calls this from a program with
    threads running. Use as a context manager, or call `shutdown()`.
    """

    def __init__(self, workers: int | None = None, *, threshold: int | None = None) -> None:
        self.workers = workers if workers is not None else min(4, _usable_cores())
        self.threshold = POOL_THRESHOLD if threshold is None else threshold
        self._submitted = 0
        self._lock = threading.Lock()
        self._threads: ThreadPoolExecutor | None = None
        self._processes: WorkerPool | None = None

    @property
    def started_processes(self) -> bool:
        return self._processes is not None

    def submit(self, fn: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> Future[_T]:
        size = _body_size(fn, args)
        with self._lock:
            self._submitted += size
            if self._processes is None and self.workers > 1 and self._submitted > self.threshold:
                self._processes = _process_pool(self.workers)
            target: Executor | None = self._processes
            if target is None:
                if self._threads is None:
                    self._threads = ThreadPoolExecutor(1, thread_name_prefix="heraldtui-parse")
                target = self._threads
        return target.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        with self._lock:
            pools = [p for p in (self._processes, self._threads) if p is not None]
            self._processes = self._threads = None
        for pool in pools:
            pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def _body_size(fn: Callable[..., object], args: tuple[object, ...]) -> int:
    """The bytes a job parses: its `bytes` arguments, a `partial`'s included."""
    while isinstance(fn, partial):
        args = (*fn.args, *args)
        fn = fn.func
    return sum(len(a) for a in args if isinstance(a, bytes | bytearray))


async def refresh_feeds(
    feeds: Sequence[FeedSource],
    store: Store,
    *,
    on_progress: ProgressCallback | None = None,
    executor: Executor | None = None,
    fetcher: Fetcher | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    fast_paths: FastPaths = FAST_PATHS_ON,
    force: bool = False,
    proxy: str | None = None,
) -> RefreshReport:
    """Refresh `feeds` concurrently; return one outcome per feed in `feeds` order.

    A feed whose server asked to wait (Retry-After) is skipped until then, unless `force`.

    `executor` runs `parse_feed` (a `ParsePool` to use every core); None parses in a thread.
    `fast_paths` goes to the parser and to the Fetcher made here (a `fetcher` passed in
    keeps its own); `FastPaths.off()` gives the same articles, only slower. `proxy` is
    `[settings] proxy`, for the Fetcher made here.
    """
    if fetcher is None:
        async with Fetcher(fast_paths=fast_paths, proxy=proxy) as own:
            return await refresh_feeds(
                feeds,
                store,
                on_progress=on_progress,
                executor=executor,
                fetcher=own,
                now=now,
                fast_paths=fast_paths,
                force=force,
            )
    # A feed renamed in feeds.toml takes its stored state (and articles) first.
    known = {state.name: state for state in await asyncio.to_thread(store.adopt_feeds, feeds)}
    states = _StateWrites(store)
    converting = asyncio.Semaphore(PAGES_CONVERTED_AT_ONCE)
    tasks = [
        asyncio.ensure_future(
            _refresh_one(
                feed,
                known.get(feed.name),
                store,
                states,
                fetcher,
                executor,
                now,
                fast_paths,
                converting,
                force=force,
            )
        )
        for feed in feeds
    ]
    done = 0
    try:
        for next_done in asyncio.as_completed(tasks):
            outcome = await next_done
            done += 1
            if on_progress is not None:
                on_progress(outcome, done, len(tasks))
        await asyncio.to_thread(states.flush)
    finally:
        for task in tasks:
            task.cancel()
        states.flush()  # whatever a cancelled refresh had already learnt
    return RefreshReport(outcomes=tuple(task.result() for task in tasks))


class _StateWrites:
    """Feed states that changed without new items, written in one transaction at the end:
    200 unchanged feeds cost one commit, not 200."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.pending: dict[str, FeedState] = {}
        self._lock = threading.Lock()

    def add(self, state: FeedState) -> None:
        with self._lock:
            self.pending[state.name] = state

    def forget(self, name: str) -> None:
        """The feed's state was just stored with its items; an older pending one must not
        overwrite it."""
        with self._lock:
            self.pending.pop(name, None)

    def flush(self) -> None:
        with self._lock:
            states, self.pending = list(self.pending.values()), {}
        if states:
            self.store.save_feed_states(states)


async def _refresh_one(
    feed: FeedSource,
    previous: FeedState | None,
    store: Store,
    states: _StateWrites,
    fetcher: Fetcher,
    executor: Executor | None,
    now: Callable[[], datetime],
    fast_paths: FastPaths,
    converting: asyncio.Semaphore,
    *,
    force: bool = False,
) -> FeedOutcome:
    state = previous or FeedState(name=feed.name, url=feed.url)
    if state.url != feed.url:  # the user pointed the name at another address: same feed
        state = FeedState(name=feed.name, url=feed.url, items=state.items, key=state.key)
    started = now()
    until = _wait_until(state, started)
    if until is not None and started < until and not force:
        return FeedOutcome(
            feed.name,
            "deferred",
            items=state.items,
            error=f"the server asked to wait until {until:%a %d %b %Y %H:%M} UTC "
            "(refresh --force tries now)",
        )
    try:
        response = await fetcher.fetch(feed.url, etag=state.etag, last_modified=state.last_modified)
        if not isinstance(response, Fetched):
            states.add(_unchanged(state, started))
            return FeedOutcome(feed.name, "not-modified", items=state.items)
        body_hash = hashlib.blake2b(response.body, digest_size=16).hexdigest()
        etag, last_modified = response.etag, response.last_modified
        if body_hash == state.content_hash and state.status in ("ok", "not-modified"):
            states.add(_unchanged(state, started, etag, last_modified))
            return FeedOutcome(feed.name, "not-modified", items=state.items)
        parsed = await _parse(response, feed, state.key, executor, fast_paths)
        articles = await _complete_teasers(parsed.articles, feed, store, fetcher, converting)
        new_state = dataclasses.replace(
            state,
            status="ok",
            last_fetch=started,
            content_hash=body_hash,
            retry_after=None,
            error=None,
            warning=parsed.warning,
            items=len(articles),
            etag=etag,
            last_modified=last_modified,
        )
        new = await asyncio.to_thread(store.save_feed_result, new_state, articles)
        states.forget(feed.name)
        return FeedOutcome(feed.name, "ok", new=new, items=len(articles), warning=parsed.warning)
    except (FetchError, FeedParseError) as exc:
        retry_after = getattr(exc, "retry_after", None)
        states.add(_failed(state, str(exc), started, retry_after))
        return FeedOutcome(feed.name, "error", items=state.items, error=str(exc))
    except HeraldError as exc:
        return FeedOutcome(feed.name, "error", items=state.items, error=str(exc))
    except Exception as exc:  # a bug or a hostile body must not cost the other feeds
        from heraldtui.core.text.sanitize import clean_line  # rare: not worth a start-up import

        reason = clean_line(f"unexpected {type(exc).__name__}: {exc}")  # may quote the feed
        states.add(_failed(state, reason, started, None))
        return FeedOutcome(feed.name, "error", items=state.items, error=reason)


async def _parse(
    response: Fetched,
    feed: FeedSource,
    key: str,
    executor: Executor | None,
    fast_paths: FastPaths,
) -> ParsedFeed:
    from heraldtui.core.ingest.parse import parse_feed

    job = partial(
        parse_feed,
        response.body,
        feed_name=feed.name,
        feed_key=key,
        url=response.url,
        headers=dict(response.headers),
        fast_paths=fast_paths,
        max_items=feed.max_items,
    )
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(executor, job)
    except BrokenExecutor:
        # A worker died (killed, out of memory): this feed is parsed here instead.
        return await loop.run_in_executor(None, job)


async def _complete_teasers(
    articles: Sequence[Article],
    feed: FeedSource,
    store: Store,
    fetcher: Fetcher,
    converting: asyncio.Semaphore,
    budget: float = FEED_PAGES_BUDGET,
) -> list[Article]:
    """Replace teasers by their page's main text, unless we already stored it.

    `converting` bounds the pages being converted at once across the whole refresh;
    `budget` bounds, in seconds, the time all of this feed's pages may take."""
    from heraldtui.core.ingest.parse import needs_full_text

    if feed.full_text is False:
        return list(articles)
    wanted = [
        i
        for i, article in enumerate(articles)
        if article.link.startswith(("http://", "https://"))
        and (feed.full_text or needs_full_text(article))
    ]
    if not wanted:
        return list(articles)
    stored = await asyncio.to_thread(store.stored_content, feed.name)
    out = list(articles)
    pending = []
    for i in wanted:
        kept = stored.get(out[i].guid)
        if kept and len(kept.split()) > len(out[i].content.split()):
            # A page we already extracted: its text is reused, however short it was.
            out[i] = dataclasses.replace(out[i], content=kept)
        else:
            pending.append(i)
    gate = asyncio.Semaphore(PAGE_CONCURRENCY)

    async def complete(i: int) -> None:
        article = out[i]
        async with gate:
            try:
                page = await fetcher.fetch(article.link)
            except FetchError:
                return  # keep the teaser; the page may come back next time
            except Exception:  # a page nobody foresaw costs that article's page alone
                return
        if not isinstance(page, Fetched):
            return
        from heraldtui.core.ingest.fulltext import extract_main_text

        try:
            async with converting:
                text = await asyncio.to_thread(
                    partial(
                        extract_main_text,
                        page.body,
                        page.url,
                        title=article.title,
                        content_type=page.headers.get("content-type"),
                    )
                )
        except Exception:  # one odd page keeps its teaser; it must not cost the feed
            return
        if text and len(text.split()) > len(article.content.split()):
            out[i] = dataclasses.replace(article, content=cap_text(text))

    tasks = [asyncio.ensure_future(complete(i)) for i in pending]
    if tasks:
        _, late = await asyncio.wait(tasks, timeout=budget)
        for task in late:  # over the feed's budget: these keep their teasers
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
    return out


def _unchanged(
    state: FeedState,
    when: datetime,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FeedState:
    return dataclasses.replace(
        state,
        status="not-modified",
        last_fetch=when,
        error=None,
        retry_after=None,
        etag=etag or state.etag,
        last_modified=last_modified or state.last_modified,
    )


def _wait_until(state: FeedState, now: datetime) -> datetime | None:
    """When the feed's server said to come back, at most MAX_RETRY_AFTER after the answer
    that said so (capped again here: a store written before the cap may hold year 9999)."""
    if state.retry_after is None:
        return None
    asked_at = state.last_fetch or now
    return min(state.retry_after, asked_at + MAX_RETRY_AFTER).astimezone(UTC)


def _failed(
    state: FeedState, reason: str, when: datetime, retry_after: datetime | None
) -> FeedState:
    return dataclasses.replace(
        state, status="error", last_fetch=when, error=reason, retry_after=retry_after
    )
