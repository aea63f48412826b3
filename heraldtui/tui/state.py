"""The main screen's state apart from its widgets: what is listed, filtered, marked, merged.

`MainState` holds every listed story, the filter (words and unread-only), which stories
have their facts merged, the numbering that keeps a slow load from overwriting a newer
one, and what the running refresh has reported. The screen holds one, asks it what to
show and turns the answers into widget updates; nothing here imports Textual, so it is
tested without an app (`tests/tui/test_state.py`).

Loads: every load gets a generation number, and a result whose number is not the newest
is dropped. While one load runs, further requests only set a flag, and one more load
runs when it ends, so a refresh that brings new articles feed after feed causes a few
loads in a row, never a pile of parallel ones.

Facts and marks: listed stories come without facts; a story merged on screen keeps its
facts until the next load, whatever marks are flipped on it meanwhile, and a merge that
finishes after a mark was flipped takes the newer marks, not the ones it started with.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from heraldtui.core.models import Article, MergedStory, carry_marks


def is_unread(story: MergedStory) -> bool:
    return any(not a.read for a in story.story.articles)


def is_starred(story: MergedStory) -> bool:
    return any(a.starred for a in story.story.articles)


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


def search_keys(stories: Iterable[MergedStory]) -> dict[str, str]:
    """Every story's filter key by story id (built in the loading thread, not on screen)."""
    return {s.story.id: search_key(s) for s in stories}


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


@dataclass(frozen=True, slots=True)
class FeedFailure:
    """A feed that failed in the running refresh, with the reason as the core gave it."""

    feed: str
    error: str


class MainState:
    """See the module docstring."""

    def __init__(self) -> None:
        self.stories: list[MergedStory] = []
        """Every listed story, newest first, with the marks and facts learnt since."""
        self.keys: dict[str, str] = {}
        """The filter key of each story, by story id."""
        self.merged_ids: set[str] = set()
        """Stories whose facts are known (listed stories come without them)."""
        self.unread_only = False
        self.filter_text = ""
        """The filter as typed; every word of it must match."""
        self.loaded = False
        """True once the first load from the store has been accepted."""
        self.generation = 0
        """The number of the newest load requested."""
        self.loading = False
        self.reload_pending = False
        self.refreshing = False
        self.failures: list[FeedFailure] = []
        """The feeds that failed in the running (or last) refresh."""

    # -- loads ---------------------------------------------------------------------------

    def begin_load(self) -> int | None:
        """The generation of a load to start now, or None when one runs (it will repeat)."""
        if self.loading:
            self.reload_pending = True
            return None
        self.loading = True
        self.generation += 1
        return self.generation

    def end_load(self) -> bool:
        """A load ended (loaded or failed): True when another was asked for meanwhile."""
        self.loading = False
        if self.reload_pending:
            self.reload_pending = False
            return True
        return False

    def accept(self, stories: list[MergedStory], keys: dict[str, str], generation: int) -> bool:
        """Take a load's stories unless a newer load was requested after it started.

        Everything known about the old list goes with it: the facts merged so far are
        merged again when their story is shown (the Newsroom caches them).
        """
        if generation != self.generation:
            return False
        self.stories = stories
        self.keys = keys
        self.merged_ids = set()
        self.loaded = True
        return True

    # -- the filter ----------------------------------------------------------------------

    def set_filter(self, text: str) -> bool:
        """Filter by the words of `text`; True when that changed the filter."""
        if text == self.filter_text:
            return False
        self.filter_text = text
        return True

    def toggle_unread_only(self) -> None:
        self.unread_only = not self.unread_only

    def visible(self) -> list[MergedStory]:
        """The stories the filter lets through, in list order (a new list)."""
        stories: Sequence[MergedStory] = self.stories
        if self.unread_only:
            stories = [s for s in stories if is_unread(s)]
        if self.filter_text.strip():
            stories = [
                s for s in stories if matches(self.keys.get(s.story.id, ""), self.filter_text)
            ]
        return list(stories)

    def status(self, shown: int) -> str:
        """The status line: how many stories of how many, unread, filter, refreshing."""
        total = len(self.stories)
        unread = sum(1 for s in self.stories if is_unread(s))
        parts = [
            f"{shown} of {total} stories" if shown != total else f"{total} stories",
            f"{unread} unread",
        ]
        if self.unread_only:
            parts.append("unread only")
        if self.filter_text.strip():
            parts.append(f"filter: {self.filter_text.strip()}")
        if self.refreshing:
            parts.append("refreshing…")
        return " · ".join(parts)

    # -- facts and marks -----------------------------------------------------------------

    def find(self, story_id: str) -> MergedStory | None:
        return next((s for s in self.stories if s.story.id == story_id), None)

    def known_facts(self, story: MergedStory) -> MergedStory | None:
        """`story` with the facts merged for it before, or None when it needs a merge."""
        if story.story.id not in self.merged_ids:
            return None
        known = self.find(story.story.id)
        return carry_marks(known, story.story) if known is not None else None

    def add_merged(self, merged: MergedStory) -> MergedStory | None:
        """Keep a merge's facts, with the story's current marks; None if it is gone.

        A merge runs in a worker: a load may have dropped its story meanwhile, or a mark
        may have been flipped on it after the merge read the old marks.
        """
        fresh = self.find(merged.story.id)
        if fresh is None:
            return None
        merged = carry_marks(merged, fresh.story)
        self.stories = [merged if s.story.id == merged.story.id else s for s in self.stories]
        self.keys[merged.story.id] = search_key(merged)
        self.merged_ids.add(merged.story.id)
        return merged

    def set_marks(self, story: MergedStory) -> None:
        """New marks for a listed story; facts already merged for it are kept."""
        sid = story.story.id
        known = self.find(sid) if sid in self.merged_ids else None
        kept = carry_marks(known, story.story) if known is not None else story
        self.stories = [kept if s.story.id == sid else s for s in self.stories]

    # -- refresh -------------------------------------------------------------------------

    def start_refresh(self) -> None:
        self.failures = []
        self.refreshing = True

    def feed_failed(self, feed: str, error: str) -> None:
        self.failures.append(FeedFailure(feed, error))

    def end_refresh(self) -> None:
        self.refreshing = False
