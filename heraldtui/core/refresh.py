"""Refresh every feed: fetch, parse, complete teasers with their pages, store.

One shared `Fetcher` (one HTTP client with a global and a per-host limit) serves all
feeds at once; each feed is one task whose failure is caught and recorded on that feed
alone, so a dead server or a broken body never costs the others their refresh.

What makes a refresh cheap when nothing changed:
- conditional GET with the ETag / Last-Modified the store kept (a 304 is not parsed);
- a hash of the body for servers that send no validators (same bytes, no parsing);
- a 429/503 Retry-After is honoured: the feed is skipped until that time;
- an article whose full text is already stored is not fetched again.

Parsing is CPU work (feedparser takes ~20 ms for a 50-item feed), so it runs in an
executor: a process pool when one is given (both cores), else a thread.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from heraldtui.core.errors import FeedParseError, FetchError, HeraldError
from heraldtui.core.fetch import Fetched, Fetcher
from heraldtui.core.fulltext import extract_main_text
from heraldtui.core.models import Article, FeedSource, FeedState, FeedStatus
from heraldtui.core.parse import ParsedFeed, needs_full_text, parse_feed
from heraldtui.core.store import Store

PAGE_CONCURRENCY = 8
"""Article pages fetched at once per feed (the Fetcher's per-host limit still applies)."""


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
    def new(self) -> int:
        return sum(o.new for o in self.outcomes)


ProgressCallback = Callable[[FeedOutcome, int, int], None]


async def refresh_feeds(
    feeds: Sequence[FeedSource],
    store: Store,
    *,
    on_progress: ProgressCallback | None = None,
    executor: Executor | None = None,
    fetcher: Fetcher | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> RefreshReport:
    """Refresh `feeds` concurrently; return one outcome per feed in `feeds` order."""
    if fetcher is None:
        async with Fetcher() as own:
            return await refresh_feeds(
                feeds, store, on_progress=on_progress, executor=executor, fetcher=own, now=now
            )
    tasks = [
        asyncio.ensure_future(_refresh_one(feed, store, fetcher, executor, now)) for feed in feeds
    ]
    done = 0
    try:
        for next_done in asyncio.as_completed(tasks):
            outcome = await next_done
            done += 1
            if on_progress is not None:
                on_progress(outcome, done, len(tasks))
    finally:
        for task in tasks:
            task.cancel()
    return RefreshReport(outcomes=tuple(task.result() for task in tasks))


async def _refresh_one(
    feed: FeedSource,
    store: Store,
    fetcher: Fetcher,
    executor: Executor | None,
    now: Callable[[], datetime],
) -> FeedOutcome:
    previous = await asyncio.to_thread(store.feed_state, feed.name)
    state = previous or FeedState(name=feed.name, url=feed.url)
    if state.url != feed.url:  # the user pointed the name at another feed
        state = FeedState(name=feed.name, url=feed.url, items=state.items)
    started = now()
    if state.retry_after is not None and started < state.retry_after:
        wait = state.retry_after.astimezone(UTC).strftime("%H:%M UTC")
        return FeedOutcome(
            feed.name, "deferred", items=state.items, error=f"server asked to wait until {wait}"
        )
    try:
        response = await fetcher.fetch(feed.url, etag=state.etag, last_modified=state.last_modified)
        if not isinstance(response, Fetched):
            await _save_state(store, state, status="not-modified", when=started)
            return FeedOutcome(feed.name, "not-modified", items=state.items)
        body_hash = hashlib.blake2b(response.body, digest_size=16).hexdigest()
        etag, last_modified = response.etag, response.last_modified
        if body_hash == state.content_hash and state.status in ("ok", "not-modified"):
            await _save_state(
                store,
                state,
                status="not-modified",
                when=started,
                etag=etag or state.etag,
                last_modified=last_modified or state.last_modified,
            )
            return FeedOutcome(feed.name, "not-modified", items=state.items)
        parsed = await _parse(response, feed, executor)
        articles = await _complete_teasers(parsed.articles, feed, store, fetcher)
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
        return FeedOutcome(
            feed.name, "ok", new=new, items=len(articles), warning=parsed.warning
        )
    except (FetchError, FeedParseError) as exc:
        retry_after = getattr(exc, "retry_after", None)
        await _save_failure(store, state, str(exc), started, retry_after)
        return FeedOutcome(feed.name, "error", items=state.items, error=str(exc))
    except HeraldError as exc:
        return FeedOutcome(feed.name, "error", items=state.items, error=str(exc))
    except Exception as exc:  # a bug or a hostile body must not cost the other feeds
        reason = f"unexpected {type(exc).__name__}: {exc}"
        await _save_failure(store, state, reason, started, None)
        return FeedOutcome(feed.name, "error", items=state.items, error=reason)


async def _parse(response: Fetched, feed: FeedSource, executor: Executor | None) -> ParsedFeed:
    job = partial(
        parse_feed,
        response.body,
        feed_name=feed.name,
        url=response.url,
        headers=dict(response.headers),
    )
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(executor, job)


async def _complete_teasers(
    articles: Sequence[Article], feed: FeedSource, store: Store, fetcher: Fetcher
) -> list[Article]:
    """Replace teasers by their page's main text, unless we already stored it."""
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
        if not isinstance(page, Fetched):
            return
        text = await asyncio.to_thread(
            partial(
                extract_main_text,
                page.body,
                page.url,
                title=article.title,
                content_type=page.headers.get("content-type"),
            )
        )
        if text and len(text.split()) > len(article.content.split()):
            out[i] = dataclasses.replace(article, content=text)

    await asyncio.gather(*(complete(i) for i in pending))
    return out


async def _save_state(
    store: Store,
    state: FeedState,
    *,
    status: FeedStatus,
    when: datetime,
    etag: str | None = None,
    last_modified: str | None = None,
) -> None:
    new_state = dataclasses.replace(
        state,
        status=status,
        last_fetch=when,
        error=None,
        retry_after=None,
        etag=etag or state.etag,
        last_modified=last_modified or state.last_modified,
    )
    await asyncio.to_thread(store.save_feed_state, new_state)


async def _save_failure(
    store: Store, state: FeedState, reason: str, when: datetime, retry_after: datetime | None
) -> None:
    failed = dataclasses.replace(
        state, status="error", last_fetch=when, error=reason, retry_after=retry_after
    )
    await asyncio.to_thread(store.save_feed_state, failed)
