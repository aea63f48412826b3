"""The records that flow through heraldtui: feeds -> articles -> stories -> merged stories.

Every stage of the core takes and returns these frozen dataclasses, so each stage can be
used (and tested) on its own from a script. Nothing here knows about HTTP, SQLite,
feedparser or Textual: those stay in the modules that own them.

Text held in these records has already been cleaned at ingestion (no control characters,
no terminal escape sequences, NFC-normalised); it is still untrusted data and must be
rendered as plain text, never as markup.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal

StoryKind = Literal["inspection", "meeting", "other"]
Relation = Literal["response", "meeting", "revisit", "monitoring", "earlier-inspection"]
"""How a linked story stands to a story (`facts/history.py` decides): the inspection's
follow-ups (`response`, `meeting`, `monitoring`, a later inspection that re-grades it,
`revisit`), and from each of them back, the inspection it follows (`earlier-inspection`)."""
DocumentKind = Literal["report", "agenda", "webcast", "statement", "other"]
"""What a primary document linked from a story is (`facts/documents.py` decides): the
inspection's report, a meeting's agenda or papers, a webcast, a force's or commissioner's
statement, or another page of an official body (or a document file) with no such cue."""
ExportFormat = Literal["markdown", "json", "ics"]
"""The digest formats: the CLI's `--format` and the TUI's export, chosen by file name."""
CorrectionAction = Literal["split", "move", "merge"]
"""A reader's fix to the grouping: an article split out of its story (it stands alone), an
article moved to another story, a story merged into another (`stories/corrections.py`)."""
AgendaFormat = Literal["text", "json", "ics"]
"""The `meetings` command's formats."""
GRADE_KEYS: tuple[str, ...] = (
    "outstanding",
    "good",
    "adequate",
    "requires-improvement",
    "inadequate",
)


@dataclass(frozen=True, slots=True)
class FeedSource:
    """One `[[feeds]]` entry of feeds.toml, validated.

    `url` is always absolute: an http(s) URL or a `file://` URL (paths in the file are
    resolved against the folder that holds feeds.toml).
    """

    name: str
    url: str
    line: int | None = None
    full_text: bool | None = None
    """True: always fetch article pages; False: never; None: only for teaser items."""
    max_items: int | None = None
    """The newest items one refresh takes from this feed (feeds.toml's `max_items`);
    None: `ingest.limits.MAX_ITEMS_PER_FEED`."""


@dataclass(frozen=True, slots=True)
class WatchRule:
    """One `[[watch]]` table of feeds.toml, validated: a story matches when any of its
    lists does (`facts/watch.py`). Every list may be empty, not all of them."""

    name: str | None = None
    forces: tuple[str, ...] = ()
    """As the user wrote them; compared through `read.forces.force_key`."""
    people: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    """Story kinds (`inspection`, `meeting`, `other`) or kinds of inspection (`peel`, ...)."""
    line: int | None = None

    @property
    def label(self) -> str:
        """What a notification names the rule by: its name, else its place in the file."""
        if self.name:
            return self.name
        return f"watch rule at line {self.line}" if self.line else "watch rule"


@dataclass(frozen=True, slots=True)
class WatchAlert:
    """A story a refresh made new to a watch rule (`Newsroom.watch_alerts`): the line
    `heraldtui refresh` prints and what `notify_command` is told."""

    story: Story
    rule: WatchRule
    link: str
    """The newest article's link."""
    feed: str


@dataclass(frozen=True, slots=True)
class Article:
    """One feed item, cleaned, with its main text as Markdown.

    `id` is derived from the feed's key and the item's guid, so it is stable across
    refreshes, runs and renames of the feed; everything downstream (stories, read marks,
    stored facts) keys on it.
    """

    feed: str
    guid: str
    link: str
    title: str
    author: str | None
    published: datetime | None
    """UTC-aware; None when the feed gave no usable date."""
    summary: str
    """Plain text teaser."""
    content: str
    """The article's main text as Markdown (the feed's full content or the page's)."""
    read: bool = False
    starred: bool = False
    feed_key: str = field(default="", repr=False, compare=False)
    """The stored feed's `FeedState.key`, which `id` hashes; empty means the feed's name
    (a feed first stored under that name is keyed by it)."""
    id: str = field(init=False, repr=False, compare=False)
    """Computed once per record: listings and grouping look it up many times."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "id", article_id(self.feed_key or self.feed, self.guid))

    @property
    def text(self) -> str:
        """The best text we have: the main text, else the teaser."""
        return self.content or self.summary


def article_id(feed_key: str, guid: str) -> str:
    """Stable short id for an item: a hash, so it leaks nothing and has a fixed shape."""
    digest = hashlib.blake2b(f"{feed_key}\x1f{guid}".encode(), digest_size=8)
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Story:
    """Articles that report one real-world event, oldest first.

    `id` is derived from the earliest article, so it survives refreshes that add
    articles to the story.
    """

    id: str
    title: str
    kind: StoryKind
    force: str | None
    articles: tuple[Article, ...]
    inspection_type: str | None = None
    """An inspection story's kind of inspection (`peel`, `crime-data-integrity`, `engage`,
    `thematic`, `fire`, ...); None for other stories."""
    corrected: bool = False
    """The reader's corrections, not the grouping, decided which articles it holds."""


@dataclass(frozen=True, slots=True)
class Correction:
    """One stored fix to the grouping, anchored on articles: story ids derive from
    articles and change as stories do, an article's id does not.

    `split`: `article` stands alone. `move`: `article` joins the story holding `anchor`.
    `merge`: every article of the story holding `article` joins the story holding `anchor`.
    """

    id: int
    made: datetime
    action: CorrectionAction
    article: str
    anchor: str | None
    note: str = ""
    """What the reader saw when making it (headlines), for the list of corrections."""


def carry_marks(merged: MergedStory, listed: Story) -> MergedStory:
    """The merge's articles (with their text) under the list's story and read/starred marks.

    A merge runs in a worker while the reader keeps marking articles; the list holds the
    latest marks, the merge holds the text, and the view needs both.
    """
    if merged.story is listed:  # carried before: an export of the stories just listed
        return merged
    marks = {a.id: (a.read, a.starred) for a in listed.articles}
    articles = tuple(
        dataclasses.replace(a, read=marks[a.id][0], starred=marks[a.id][1])
        if a.id in marks and marks[a.id] != (a.read, a.starred)
        else a
        for a in merged.story.articles
    )
    return dataclasses.replace(merged, story=dataclasses.replace(listed, articles=articles))


FeedStatus = Literal["ok", "not-modified", "error", "never", "deferred", "gone"]
"""A refresh's outcome for a feed; a stored state is never "deferred" or "gone" (a gone
feed's state is "error" with `gone_since`)."""


@dataclass(frozen=True, slots=True)
class FeedState:
    """What the store remembers about a feed between refreshes."""

    name: str
    url: str
    status: FeedStatus = "never"
    last_fetch: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None
    content_hash: str | None = None
    retry_after: datetime | None = None
    error: str | None = None
    warning: str | None = None
    items: int = 0
    key: str = ""
    """The feed's identity in the store, which its articles' ids hash (`Article.feed_key`):
    fixed when the store first sees the feed, so renaming it in feeds.toml or changing its
    URL keeps every id and mark (`storage/feed_keys.py`). Empty in a state made by hand: the
    store then keys a new feed by its name."""
    moved_to: str | None = None
    """Where every hop of a redirect chain said the feed moved for good (301/308): fetched
    from there until the user writes it to feeds.toml (`url` stays the configured one)."""
    moved_at: datetime | None = None
    gone_since: datetime | None = None
    """When the server answered 410 Gone: not fetched again until the user clears it."""

    @property
    def fetch_url(self) -> str:
        """Where the next refresh fetches the feed from."""
        return self.moved_to or self.url


FACT_RECORDS = frozenset(
    {
        "AgendaItem",
        "ArticleFacts",
        "CopyOf",
        "CountConflict",
        "CountStated",
        "Digest",
        "DocumentFact",
        "DocumentStated",
        "ForceInspection",
        "ForceMeeting",
        "ForcePerson",
        "ForceView",
        "GradeConflict",
        "GradeCounts",
        "GradeFact",
        "GradeRow",
        "GradeStated",
        "MeetingFact",
        "MeetingStated",
        "MergedStory",
        "PersonFact",
        "PersonStated",
        "PreviousGrade",
        "QuoteFact",
        "QuoteStated",
        "RelatedStory",
        "TextSketch",
    }
)
"""The records defined in `models/facts.py`, named here too and created on first use."""

if TYPE_CHECKING:
    from heraldtui.core.models.facts import (
        AgendaItem as AgendaItem,
    )
    from heraldtui.core.models.facts import (
        ArticleFacts as ArticleFacts,
    )
    from heraldtui.core.models.facts import (
        CopyOf as CopyOf,
    )
    from heraldtui.core.models.facts import (
        CountConflict as CountConflict,
    )
    from heraldtui.core.models.facts import (
        CountStated as CountStated,
    )
    from heraldtui.core.models.facts import (
        Digest as Digest,
    )
    from heraldtui.core.models.facts import (
        DocumentFact as DocumentFact,
    )
    from heraldtui.core.models.facts import (
        DocumentStated as DocumentStated,
    )
    from heraldtui.core.models.facts import (
        ForceInspection as ForceInspection,
    )
    from heraldtui.core.models.facts import (
        ForceMeeting as ForceMeeting,
    )
    from heraldtui.core.models.facts import (
        ForcePerson as ForcePerson,
    )
    from heraldtui.core.models.facts import (
        ForceView as ForceView,
    )
    from heraldtui.core.models.facts import (
        GradeConflict as GradeConflict,
    )
    from heraldtui.core.models.facts import (
        GradeCounts as GradeCounts,
    )
    from heraldtui.core.models.facts import (
        GradeFact as GradeFact,
    )
    from heraldtui.core.models.facts import (
        GradeRow as GradeRow,
    )
    from heraldtui.core.models.facts import (
        GradeStated as GradeStated,
    )
    from heraldtui.core.models.facts import (
        MeetingFact as MeetingFact,
    )
    from heraldtui.core.models.facts import (
        MeetingStated as MeetingStated,
    )
    from heraldtui.core.models.facts import (
        MergedStory as MergedStory,
    )
    from heraldtui.core.models.facts import (
        PersonFact as PersonFact,
    )
    from heraldtui.core.models.facts import (
        PersonStated as PersonStated,
    )
    from heraldtui.core.models.facts import (
        PreviousGrade as PreviousGrade,
    )
    from heraldtui.core.models.facts import (
        QuoteFact as QuoteFact,
    )
    from heraldtui.core.models.facts import (
        QuoteStated as QuoteStated,
    )
    from heraldtui.core.models.facts import (
        RelatedStory as RelatedStory,
    )
    from heraldtui.core.models.facts import (
        TextSketch as TextSketch,
    )
else:

    def __getattr__(name: str) -> object:
        """A fact record, its module loaded on first use (a refresh never loads it)."""
        if name not in FACT_RECORDS:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        import heraldtui.core.models.facts

        records = vars(heraldtui.core.models.facts)
        globals().update((record, records[record]) for record in FACT_RECORDS)
        return records[name]
