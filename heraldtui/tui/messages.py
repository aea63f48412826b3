"""The messages workers and screens exchange.

Events are named in the past tense (`StoriesLoaded`: something happened and here is the
result); requests in the imperative (`OpenArticle`: please do this). Workers never touch
widgets: they post one of these and the screen that owns the widgets applies it on the
event loop. Widget-owned messages (`StoryList.Highlighted`) live in their widget.

Results carry the `generation` of the request that produced them so a slow, older load
cannot overwrite a newer one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from textual.message import Message

from heraldtui.core.models import AgendaItem, Article, Correction, ForceView, MergedStory


@dataclass
class StoriesLoaded(Message):
    """A thread worker read stories (`Newsroom.stories()`, or the first load's newest page:
    `complete` False); `keys` are the filter keys.

    `failing` names the feeds whose last fetch failed and `last_refresh` is when a feed
    was last fetched, as the store says: the status line shows both from the start.
    """

    stories: list[MergedStory]
    keys: dict[str, str]
    generation: int
    failing: tuple[str, ...] = ()
    last_refresh: datetime | None = None
    complete: bool = True
    """False for the first load's first page: the rest follows in the same generation."""


@dataclass
class StoriesIndexed(Message):
    """A thread worker read every listed story's text: `words` by story id, for the filter."""

    words: dict[str, str]
    generation: int


@dataclass
class StoriesWatched(Message):
    """A thread worker checked every listed story against the watch rules: the matching
    stories' ids, each with the name of the first rule it matches."""

    rules: dict[str, str]
    generation: int


@dataclass
class StoryOpened(Message):
    """The reader opened a story (enter, or `J`/`K` from the one before)."""

    story_id: str


@dataclass
class StoryLeft(Message):
    """The reader left a story; `marked_read` when leaving marked it read."""

    story_id: str
    marked_read: bool


@dataclass
class StoryMerged(Message):
    """A thread worker merged the facts of a listed story (`Newsroom.merge()`)."""

    story: MergedStory


@dataclass
class StoriesLoadFailed(Message):
    """Reading the stored stories failed; `error` is the one-line reason."""

    error: str
    generation: int


@dataclass
class RefreshStarted(Message):
    """A refresh of `total` feeds began."""

    total: int


@dataclass
class RefreshProgressed(Message):
    """`done` of `total` feeds are finished; a newer one replaces a queued older one."""

    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, RefreshProgressed)


@dataclass
class FeedFailed(Message):
    """One feed failed during a refresh (network, HTTP, parse); the rest go on."""

    feed: str
    error: str


@dataclass
class NewArticlesArrived(Message):
    """A feed brought `count` new articles: the story list should be reloaded."""

    feed: str
    count: int


@dataclass
class RefreshFinished(Message):
    """Every feed is done: `new` articles in all, `failed` feeds."""

    new: int
    failed: int


@dataclass
class RefreshFailed(Message):
    """The refresh itself stopped (not one feed: the whole run)."""

    error: str


@dataclass
class OpenArticle(Message):
    """Show `article` (of `story`) on the article screen."""

    story: MergedStory
    article: Article


@dataclass
class OpenStory(Message):
    """Open the listed story `story_id`: a related story picked in the story view, or a
    story picked on a force's screen."""

    story_id: str


@dataclass
class ExportFinished(Message):
    """The digest of `count` stories was written to `path`."""

    path: str
    count: int


@dataclass
class ExportFailed(Message):
    """The digest could not be written; `error` names the file and reason."""

    error: str


@dataclass
class SettingSaved(Message):
    """A setting (the theme chosen in the palette) was written to the feeds file."""

    key: str
    value: str | int | None


@dataclass
class SettingNotSaved(Message):
    """A setting could not be written; `error` says why (the bundled default, a disk)."""

    key: str
    error: str


@dataclass
class AgendaProgressed(Message):
    """The agenda's worker has read the meetings of `done` of `total` stories."""

    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, AgendaProgressed)


@dataclass
class AgendaLoaded(Message):
    """The agenda's worker finished `Newsroom.meetings()` for `include_past`."""

    items: list[AgendaItem]
    include_past: bool


@dataclass
class AgendaLoadFailed(Message):
    """Reading the meetings failed; `error` is the one-line reason."""

    error: str


@dataclass
class ForceLoaded(Message):
    """A thread worker built a force's view (`Newsroom.force_view()`)."""

    view: ForceView


@dataclass
class ForceLoadFailed(Message):
    """A force's view could not be built; `error` is the one-line reason."""

    error: str


@dataclass
class GroupingFixed(Message):
    """A thread worker stored (or undid) a fix to the grouping; `said` tells the reader
    what changed, `follow` is an article whose story the cursor goes to once relisted."""

    said: str
    follow: str | None = None


@dataclass
class GroupingFixFailed(Message):
    """A fix to the grouping could not be made or undone; `error` says why."""

    error: str


@dataclass
class FixesListed(Message):
    """A thread worker read every stored fix to the grouping, oldest first."""

    corrections: list[Correction]
