"""Refresh every feed: fetch, parse, complete teasers with their pages, store.

One shared `Fetcher` (one HTTP client with a global and a per-host limit) serves all
feeds at once; each feed is one task whose failure is caught and recorded on that feed
alone, so a dead server or a broken body never costs the others their refresh.

What makes a refresh cheap when nothing changed:
- conditional GET with the ETag / Last-Modified the store kept (a 304 is not parsed);
- a hash of the body for servers that send no validators (same bytes, no parsing);
- a 429/503 Retry-After is honoured: the feed is skipped until that time;
- a 410 Gone stops fetching the feed until the user clears it (`Newsroom.clear_gone`);
- a feed moved for good (every redirect hop a 301/308) is fetched from where it moved,
  without the redirects, until the user writes the new URL to feeds.toml;
- an article whose full text is already stored is not fetched again, nor is a page that
  timed out lately (`pagefail.py`);
- the feed states (with their moves and Gone marks) are read in two queries, and the
  state-only updates (not modified, failed, deferred) are written together in one
  transaction at the end;
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
import shlex
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import BrokenExecutor, Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from heraldtui.core.errors import FeedParseError, FetchError, HeraldError
from heraldtui.core.ingest import pagefail
from heraldtui.core.ingest.fastpaths import FAST_PATHS_ON, FastPaths
from heraldtui.core.ingest.feedfate import (
    GONE,
    configured,
    follow_move,
    gone_reason,
    wait_until,
)
from heraldtui.core.ingest.fetch import TOTAL_TIMEOUT, Fetched, Fetcher
from heraldtui.core.ingest.limits import cap_text
from heraldtui.core.models import Article, FeedSource, FeedState, FeedStatus
from heraldtui.core.storage.fates import feed_states, page_failures, record_pages, save_fates
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
    moved_to: str | None = None
    """The feed was fetched from here: it moved permanently from its URL in feeds.toml."""

    def describe(self) -> str:
        """One line for `heraldtui refresh` and notifications."""
        if self.status == "error":
            return f"{self.name}: error: {self.error}{self._moved()}"
        if self.status == "gone":
            return f"{self.name}: {self.error}"
        if self.status == "not-modified":
            return f"{self.name}: not modified{self._moved()}"
        if self.status == "deferred":
            return f"{self.name}: skipped ({self.error})"
        line = f"{self.name}: {self.new} new of {self.items} items"
        line = f"{line} (warning: {self.warning})" if self.warning else line
        return line + self._moved()

    def _moved(self) -> str:
        if self.moved_to is None:
            return ""
        return (
            f" (moved permanently to {self.moved_to}: "
            f"`heraldtui feeds follow {shlex.quote(self.name)}` writes it to feeds.toml)"
        )


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
    def gone(self) -> tuple[FeedOutcome, ...]:
        """Feeds not fetched because they answered 410 Gone (until the user clears it)."""
        return tuple(o for o in self.outcomes if o.status == "gone")

    @property
    def refreshed(self) -> int:
        """Feeds fetched without an error (new items or not)."""
        return len(self.outcomes) - len(self.failed) - len(self.skipped) - len(self.gone)

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
    pages_budget: float = FEED_PAGES_BUDGET,
    allow_private_pages: bool = False,
) -> RefreshReport:
    """Refresh `feeds` concurrently; return one outcome per feed in `feeds` order.

    A feed whose server asked to wait (Retry-After) is skipped until then, unless `force`;
    a feed that answered 410 Gone is skipped until the user clears it, even with `force`.
    `pages_budget` is the seconds each feed's article pages may take in all.

    `executor` runs `parse_feed` (a `ParsePool` to use every core); None parses in a thread.
    `fast_paths` goes to the parser and to the Fetcher made here (a `fetcher` passed in
    keeps its own); `FastPaths.off()` gives the same articles, only slower. `proxy` and
    `allow_private_pages` are those of `[settings]`, for the Fetcher made here.

    The article pages of a remote feed never reach a private address (`addresses.py`):
    such a page keeps its teaser, and the feed's warning says how many were refused.
    """
    if fetcher is None:
        own_fetcher = Fetcher(
            fast_paths=fast_paths, proxy=proxy, allow_private_pages=allow_private_pages
        )
        async with own_fetcher as own:
            return await refresh_feeds(
                feeds,
                store,
                on_progress=on_progress,
                executor=executor,
                fetcher=own,
                now=now,
                fast_paths=fast_paths,
                force=force,
                pages_budget=pages_budget,
            )
    # A feed renamed in feeds.toml takes its stored state (and articles) first.
    await asyncio.to_thread(store.adopt_feeds, feeds)
    known = {state.name: state for state in await asyncio.to_thread(feed_states, store)}
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
                pages_budget=pages_budget,
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
    200 unchanged feeds cost one commit, not 200. Moves and Gone marks (`fates`) likewise,
    whichever way the state itself was written."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.pending: dict[str, FeedState] = {}
        self.fates: dict[str, FeedState] = {}
        self._lock = threading.Lock()

    def add(self, state: FeedState) -> None:
        with self._lock:
            self.pending[state.name] = state

    def fate(self, state: FeedState) -> None:
        """`state`'s move or Gone mark (or their absence) changed: store it at the end."""
        with self._lock:
            self.fates[state.name] = state

    def forget(self, name: str) -> None:
        """The feed's state was just stored with its items; an older pending one must not
        overwrite it."""
        with self._lock:
            self.pending.pop(name, None)

    def flush(self) -> None:
        with self._lock:
            states, self.pending = list(self.pending.values()), {}
            fates, self.fates = list(self.fates.values()), {}
        if states:
            self.store.save_feed_states(states)
        if fates:
            save_fates(self.store, fates)


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
    pages_budget: float = FEED_PAGES_BUDGET,
) -> FeedOutcome:
    state, changed = configured(previous, feed)
    if changed:
        states.fate(state)
    started = now()
    if state.gone_since is not None:
        return FeedOutcome(feed.name, "gone", items=state.items, error=gone_reason(state))
    until = wait_until(state, started)
    if until is not None and started < until and not force:
        return FeedOutcome(
            feed.name,
            "deferred",
            items=state.items,
            error=f"the server asked to wait until {until:%a %d %b %Y %H:%M} UTC "
            "(refresh --force tries now)",
        )
    try:
        response = await fetcher.fetch(
            state.fetch_url, etag=state.etag, last_modified=state.last_modified
        )
        state, changed = follow_move(state, response.moved_to, started)
        if changed:
            states.fate(state)
        moved = state.moved_to
        if not isinstance(response, Fetched):
            states.add(_unchanged(state, started))
            return FeedOutcome(feed.name, "not-modified", items=state.items, moved_to=moved)
        body_hash = hashlib.blake2b(response.body, digest_size=16).hexdigest()
        etag, last_modified = response.etag, response.last_modified
        if body_hash == state.content_hash and state.status in ("ok", "not-modified"):
            states.add(_unchanged(state, started, etag, last_modified))
            return FeedOutcome(feed.name, "not-modified", items=state.items, moved_to=moved)
        parsed = await _parse(response, feed, state.key, executor, fast_paths)
        articles, pages = await _complete_teasers(
            parsed.articles,
            feed,
            store,
            fetcher,
            converting,
            pages_budget,
            started,
            public_only=not fetcher.is_local(response),
        )
        warning = "; ".join(w for w in (parsed.warning, pages) if w) or None
        new_state = dataclasses.replace(
            state,
            status="ok",
            last_fetch=started,
            content_hash=body_hash,
            retry_after=None,
            error=None,
            warning=warning,
            items=len(articles),
            etag=etag,
            last_modified=last_modified,
        )
        new = await asyncio.to_thread(store.save_feed_result, new_state, articles)
        states.forget(feed.name)
        return FeedOutcome(
            feed.name, "ok", new=new, items=len(articles), warning=warning, moved_to=moved
        )
    except (FetchError, FeedParseError) as exc:
        retry_after = getattr(exc, "retry_after", None)
        failed = _failed(state, str(exc), started, retry_after)
        if getattr(exc, "status", None) == GONE:
            failed = dataclasses.replace(failed, gone_since=started)
            states.fate(failed)
            states.add(failed)
            return FeedOutcome(feed.name, "gone", items=state.items, error=gone_reason(failed))
        states.add(failed)
        return FeedOutcome(
            feed.name, "error", items=state.items, error=str(exc), moved_to=state.moved_to
        )
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
    now: datetime | None = None,
    *,
    public_only: bool = False,
) -> tuple[list[Article], str | None]:
    """Replace teasers by their page's main text, unless we already stored it; also the
    feed's warning about its pages (`pagefail.note`), or None.

    `public_only` (a remote feed): no page, nor a redirect of one, may reach a private
    address; those keep their teasers and the warning names the addresses.

    `converting` bounds the pages being converted at once across the whole refresh;
    `budget` bounds, in seconds, the time all of this feed's pages may take. A page that
    timed out, or was still being fetched when the budget ran out, is remembered and
    skipped by the next refreshes (`pagefail.py`)."""
    from heraldtui.core.ingest.parse import needs_full_text

    if feed.full_text is False:
        return list(articles), None
    wanted = [
        i
        for i, article in enumerate(articles)
        if article.link.startswith(("http://", "https://"))
        and (feed.full_text or needs_full_text(article))
    ]
    if not wanted:
        return list(articles), None
    when = now or datetime.now(UTC)
    stored = await asyncio.to_thread(store.stored_content, feed.name)
    failures = await asyncio.to_thread(page_failures, store, feed.name)
    out = list(articles)
    pending = []
    waiting = abandoned = 0
    for i in wanted:
        kept = stored.get(out[i].guid)
        failure = failures.get(out[i].link)
        if kept and len(kept.split()) > len(out[i].content.split()):
            # A page we already extracted: its text is reused, however short it was.
            out[i] = dataclasses.replace(out[i], content=kept)
        elif pagefail.skip(failure, when):
            assert failure is not None
            if pagefail.given_up(failure):
                abandoned += 1
            else:
                waiting += 1
        else:
            pending.append(i)
    gate = asyncio.Semaphore(PAGE_CONCURRENCY)
    fetching: set[int] = set()  # pages on the wire (not queued, not converting)
    timed_out: dict[str, str] = {}  # link: reason
    answered: list[str] = []
    refused: list[str] = []  # the private addresses pages pointed at

    async def complete(i: int) -> None:
        article = out[i]
        async with gate:
            fetching.add(i)
            try:
                page = await fetcher.fetch(article.link, public_only=public_only)
            except FetchError as exc:
                if private := getattr(exc, "private_address", None):
                    refused.append(private)
                if getattr(exc, "timed_out", False):
                    timed_out[article.link] = str(exc)
                else:
                    answered.append(article.link)  # a quick failure: tried each time
                return  # keep the teaser; the page may come back next time
            except Exception:  # a page nobody foresaw costs that article's page alone
                return
            finally:
                fetching.discard(i)
        answered.append(article.link)
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

    tasks = {asyncio.ensure_future(complete(i)): i for i in pending}
    if tasks:
        _, late = await asyncio.wait(tasks, timeout=budget)
        for task in late:  # over the feed's budget: these keep their teasers
            if tasks[task] in fetching:
                timed_out[out[tasks[task]].link] = pagefail.BUDGET_REASON
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)
    links = {a.link for a in articles}
    done = [link for link in answered if link in failures]
    if timed_out or done or any(link not in links for link in failures):
        await asyncio.to_thread(
            partial(
                record_pages,
                store,
                feed.name,
                failed=timed_out,
                done=done,
                keep=links if failures else None,
                when=when,
            )
        )
    return out, pagefail.note(
        timed_out=len(timed_out), waiting=waiting, abandoned=abandoned, refused=refused
    )


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


def _failed(
    state: FeedState, reason: str, when: datetime, retry_after: datetime | None
) -> FeedState:
    return dataclasses.replace(
        state, status="error", last_fetch=when, error=reason, retry_after=retry_after
    )
