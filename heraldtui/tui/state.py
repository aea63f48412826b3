"""The main screen's state apart from its widgets: what is listed, filtered, marked, merged.

`MainState` holds every listed story, the filter (words, unread only, starred only),
which stories have their facts merged, the numbering that keeps a slow load from
overwriting a newer one, the story being read, and what the feeds last reported (for
the status line). The screen holds one, asks it what to show and turns the answers into
widget updates; nothing here imports Textual, so it is tested without an app
(`tests/tui/test_state.py`).

Search: a story's filter key starts as its headline, force, feeds, teasers (and people,
once merged); a background pass then adds the distinct words of every article's stored
text (`text_words`), so the filter finds a person, a quote or a phrase of any story,
not only those opened this session. Keeping distinct words, not the text, keeps the
key small; matching stays a substring test per story, instant at 5,000 stories.

Reading: `enter` opens a story; it is marked read when the reader leaves it (back to the
list, or to the next story), not when it opens, unless the reader set its marks by hand
meanwhile.

Loads: every load gets a generation number, and a result whose number is not the newest
is dropped. While one load runs, further requests only set a flag, and one more load
runs when it ends, so a refresh that brings new articles feed after feed causes a few
loads in a row, never a pile of parallel ones.

The first load: it shows the newest page of stories first (read in milliseconds however
long the history) and the whole list when it arrives from the same load (`complete`).
Until then the status says the rest is loading instead of counts it does not know. The
whole list takes the page's merged facts for stories whose articles are the same, and the
cursor follows the story id, so the reader keeps their place.

Marks written while a load reads the store may be missing from what it returns (it read
them before they were written); each is kept in a journal with the generation it was
written under and applied again to every load that may have missed it.

Facts and marks: listed stories come without facts; a story merged on screen keeps its
facts until the next load, whatever marks are flipped on it meanwhile, and a merge that
finishes after a mark was flipped takes the newer marks, not the ones it started with.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from heraldtui.core.models import Article, MergedStory, carry_marks
from heraldtui.core.output.wording import uk_time


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


_WORD = re.compile(r"\w+(?:['’.-]\w+)*")


def text_words(texts: Iterable[str]) -> str:
    """The distinct words of `texts`, lower-cased, one space apart: what the filter needs
    of an article's text (every word findable, each kept once)."""
    return " ".join(dict.fromkeys(w for text in texts for w in _WORD.findall(text.casefold())))


def next_unread(stories: Sequence[MergedStory], start: int, step: int) -> int | None:
    """The index of the next unread story after `start` going by `step`, or None."""
    index = start + step
    while 0 <= index < len(stories):
        if is_unread(stories[index]):
            return index
        index += step
    return None


def short_time(moment: datetime, now: datetime) -> str:
    """`09:14` today, else `5 Nov 09:14`, in UK time."""
    local, today = uk_time(moment), uk_time(now)
    if local.date() == today.date():
        return f"{local:%H:%M}"
    return f"{local.day} {local:%b %H:%M}"


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


def _article_ids(story: MergedStory) -> tuple[str, ...]:
    return tuple(a.id for a in story.story.articles)


def _marked(article: Article, marks: tuple[bool | None, bool | None] | None) -> Article:
    if marks is None:
        return article
    read, starred = marks
    return dataclasses.replace(
        article,
        read=article.read if read is None else read,
        starred=article.starred if starred is None else starred,
    )


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
        self.starred_only = False
        self.watched_only = False
        self.watched: dict[str, str] = {}
        """The stories a `[[watch]]` rule matches: story id -> the rule's name."""
        self.filter_text = ""
        """The filter as typed; every word of it must match."""
        self.loaded = False
        """True once the first load from the store has been accepted (its first page)."""
        self.complete = False
        """True once every stored story is listed, not only the first load's first page."""
        self.rest_failed = False
        """The first page is listed but reading the rest failed (the error was shown)."""
        self.journal: list[tuple[int, tuple[str, ...], bool | None, bool | None]] = []
        """Marks written lately: (generation then, article ids, read, starred), oldest first."""
        self.generation = 0
        """The number of the newest load requested."""
        self.loading = False
        self.reload_pending = False
        self.refreshing = False
        self.failures: list[FeedFailure] = []
        """The feeds that failed in the running (or last) refresh."""
        self.failing: tuple[str, ...] = ()
        """The feeds whose last fetch failed, as the store last said (for the status)."""
        self.last_refresh: datetime | None = None
        self.progress: tuple[int, int] | None = None
        """(feeds done, feeds) while a refresh runs."""
        self.text_keys: dict[str, str] = {}
        """The words of each story's article text, by story id (the background index)."""
        self.indexed = 0
        """The load generation the text index was built for."""
        self.reading: str | None = None
        """The id of the story opened with enter, until the reader leaves it."""
        self.reading_marked = False
        """The reader set the open story's marks by hand: leaving it changes nothing."""

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

    def accept(
        self,
        stories: list[MergedStory],
        keys: dict[str, str],
        generation: int,
        *,
        complete: bool = True,
    ) -> bool:
        """Take a load's stories unless a newer load was requested after it started;
        `complete=False` for the first load's first page (the rest follows).

        Everything known about the old list goes with it (the facts merged so far are
        merged again when their story is shown: the Newsroom caches them), except when the
        rest of the first load replaces its first page: a story with the same articles
        keeps its facts. Marks written since the load began are applied to it again.
        """
        if generation != self.generation:
            return False
        carried: dict[str, MergedStory] = {}
        if self.loaded and not self.complete:
            carried = {s.story.id: s for s in self.stories if s.story.id in self.merged_ids}
        self.journal = [entry for entry in self.journal if entry[0] >= generation]
        stories = self._journalled(stories)
        self.merged_ids = set()
        for i, story in enumerate(stories if carried else ()):
            old = carried.get(story.story.id)
            if old is not None and _article_ids(old) == _article_ids(story):
                stories[i] = carry_marks(old, story.story)
                keys[story.story.id] = search_key(stories[i])
                self.merged_ids.add(story.story.id)
        self.stories = stories
        self.keys = keys
        self.loaded = True
        self.complete = complete
        self.rest_failed = False
        return True

    def load_failed(self) -> None:
        """A load failed; if it was the rest of the first one, the status says so."""
        if self.loaded and not self.complete:
            self.rest_failed = True

    def note_marks(
        self, ids: Iterable[str], *, read: bool | None = None, starred: bool | None = None
    ) -> None:
        """Marks just written through the Newsroom, for loads that read the store before."""
        self.journal.append((self.generation, tuple(ids), read, starred))

    def _journalled(self, stories: list[MergedStory]) -> list[MergedStory]:
        """`stories` (a new list) with the journal's marks applied, in the order written."""
        if not self.journal:
            return list(stories)
        marks: dict[str, tuple[bool | None, bool | None]] = {}
        for _, ids, read, starred in self.journal:
            for article_id in ids:
                was_read, was_starred = marks.get(article_id, (None, None))
                marks[article_id] = (
                    was_read if read is None else read,
                    was_starred if starred is None else starred,
                )

        def marked(story: MergedStory) -> MergedStory:
            if not any(a.id in marks for a in story.story.articles):
                return story
            articles = tuple(_marked(a, marks.get(a.id)) for a in story.story.articles)
            return dataclasses.replace(
                story, story=dataclasses.replace(story.story, articles=articles)
            )

        return [marked(s) for s in stories]

    def feeds_seen(self, failing: Iterable[str], last_refresh: datetime | None) -> None:
        """What the store says of the feeds: which fail, and when one was last fetched."""
        self.failing = tuple(dict.fromkeys(failing))
        if last_refresh is not None:
            self.last_refresh = max(last_refresh, self.last_refresh or last_refresh)

    def accept_index(self, words: dict[str, str], generation: int) -> bool:
        """Take the text index built for load `generation`, unless a newer load came."""
        if generation != self.generation:
            return False
        self.text_keys = words
        self.indexed = generation
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

    def toggle_starred_only(self) -> None:
        self.starred_only = not self.starred_only

    def toggle_watched_only(self) -> None:
        self.watched_only = not self.watched_only

    def accept_watched(self, rules: dict[str, str], generation: int) -> bool:
        """Take the watch rules' matches found for load `generation`, unless a newer load
        came (its own check follows)."""
        if generation != self.generation:
            return False
        self.watched = rules
        return True

    def key_of(self, story_id: str) -> str:
        """Everything the filter can match in a story: its key and its text's words."""
        key = self.keys.get(story_id, "")
        words = self.text_keys.get(story_id)
        return f"{key}\n{words}" if words else key

    def visible(self) -> list[MergedStory]:
        """The stories the filter lets through, in list order (a new list)."""
        stories: Sequence[MergedStory] = self.stories
        if self.unread_only:
            stories = [s for s in stories if is_unread(s)]
        if self.starred_only:
            stories = [s for s in stories if is_starred(s)]
        if self.watched_only:
            stories = [s for s in stories if s.story.id in self.watched]
        if self.filter_text.strip():
            stories = [s for s in stories if matches(self.key_of(s.story.id), self.filter_text)]
        return list(stories)

    def empty_text(self) -> str:
        """What the list says when it shows nothing: only what is true."""
        if not self.loaded:
            return "Loading stories…"
        if not self.complete and not self.rest_failed:
            return f"None of the newest {len(self.stories)} stories here: loading the rest…"
        if not self.stories:
            if self.refreshing:
                return "No stories stored yet: fetching the feeds…"
            return "No stories yet: press r to refresh, f to see the feeds"
        words = " ".join(self.filter_text.split())
        if words:
            return f"No stories match '{words}' (esc clears)"
        if self.watched_only:
            return "No story your watch rules match is shown (w shows them all)"
        if self.unread_only and self.starred_only:
            return "No unread starred stories (u or S shows them all)"
        if self.unread_only:
            return "No unread stories (u shows all)"
        if self.starred_only:
            return "No starred stories (S shows all)"
        return "No stories"

    def status(self, shown: int, now: datetime) -> str:
        """The status line: stories, unread, filter, last refresh, failing feeds."""
        if not self.loaded:
            return "Loading stories…"
        total = len(self.stories)
        if self.complete:
            unread = sum(1 for s in self.stories if is_unread(s))
            parts = [
                f"{shown} of {total} stories" if shown != total else f"{total} stories",
                f"{unread} unread",
            ]
        else:  # only the first page is listed: its counts are not the history's
            newest = f"the newest {total} stories"
            parts = [f"{shown} of {newest}" if shown != total else newest]
            parts.append(
                "the rest not read (see the error)" if self.rest_failed else "loading the rest…"
            )
        if self.unread_only:
            parts.append("unread only")
        if self.starred_only:
            parts.append("starred only")
        if self.watched_only:
            parts.append("watched only")
        if self.filter_text.strip():
            parts.append(f"filter: {self.filter_text.strip()}")
        if self.refreshing and self.progress is not None:
            parts.append(f"refreshing {self.progress[0]}/{self.progress[1]} feeds")
        elif self.refreshing:
            parts.append("refreshing…")
        elif self.last_refresh is not None:
            parts.append(f"refreshed {short_time(self.last_refresh, now)}")
        else:
            parts.append("not refreshed yet")
        failing = self.failing_feeds()
        if failing:
            feeds = "1 feed" if len(failing) == 1 else f"{len(failing)} feeds"
            parts.append(f"{feeds} failing: f for details")
        return " · ".join(parts)

    def failing_feeds(self) -> tuple[str, ...]:
        """The feeds failing now: the store's word, and any failure of the running refresh."""
        return tuple(dict.fromkeys([*self.failing, *(f.feed for f in self.failures)]))

    # -- reading -------------------------------------------------------------------------

    def open_story(self, story_id: str) -> None:
        """The reader opened a story (enter, or J/K to the next)."""
        self.reading = story_id
        self.reading_marked = False

    def marked_by_hand(self, story_id: str) -> None:
        """The reader set a story's marks: if it is the open one, leaving it keeps them."""
        if story_id == self.reading:
            self.reading_marked = True

    def leave_story(self) -> str | None:
        """The reader left the open story: its id, when it is now to be marked read."""
        left, self.reading = self.reading, None
        if left is None or self.reading_marked:
            return None
        return left

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

    def set_marks(self, stories: Iterable[MergedStory]) -> None:
        """New marks for listed stories (one pass, however many); merged facts are kept."""
        fresh = {s.story.id: s for s in stories}
        if not fresh:
            return

        def kept(old: MergedStory) -> MergedStory:
            new = fresh.get(old.story.id)
            if new is None:
                return old
            return carry_marks(old, new.story) if old.story.id in self.merged_ids else new

        self.stories = [kept(s) for s in self.stories]

    # -- refresh -------------------------------------------------------------------------

    def start_refresh(self) -> None:
        self.failures = []
        self.refreshing = True
        self.progress = None

    def refresh_progressed(self, done: int, total: int) -> None:
        self.progress = (done, total)

    def feed_failed(self, feed: str, error: str) -> None:
        self.failures.append(FeedFailure(feed, error))

    def end_refresh(self, now: datetime | None = None) -> None:
        """A refresh ended; `now` when it ran to the end (the time the status shows)."""
        self.refreshing = False
        self.progress = None
        if now is not None:
            self.last_refresh = now
            self.failing = ()  # the refresh's own failures now say which feeds fail
