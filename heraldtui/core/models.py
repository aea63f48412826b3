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
from datetime import date, datetime, time
from typing import Literal

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


@dataclass(frozen=True, slots=True)
class GradeConflict:
    grade: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PreviousGrade:
    """The grade an earlier inspection of the same force gave the same area."""

    grade: str
    story: str
    """The earlier inspection's story id."""
    published: date | None
    """The earlier report's day (its story's first article, UK date)."""


@dataclass(frozen=True, slots=True)
class GradeFact:
    """One inspection area's grade in a story, with the article links that state it."""

    area: str
    label: str
    grade: str
    sources: tuple[str, ...]
    conflicts: tuple[GradeConflict, ...] = ()
    previous: PreviousGrade | None = None
    """Set by the history pass (`facts/history.py`), after the merge: None when no
    earlier inspection of the force graded this area, or none is known."""


@dataclass(frozen=True, slots=True)
class CountConflict:
    """A count the story's counts disagree with: another outlet's (`sources`), or the
    number of areas its own sources grade so (`areas`)."""

    grade: str
    count: int
    sources: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GradeCounts:
    """How many areas got each grade ("good in two areas, adequate in three"): the form
    most outlets report, often without naming the areas."""

    counts: tuple[tuple[str, int], ...]
    """(grade, number of areas), best grade first."""
    sources: tuple[str, ...]
    conflicts: tuple[CountConflict, ...] = ()


@dataclass(frozen=True, slots=True)
class QuoteFact:
    speaker: str | None
    role: str | None
    text: str
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MeetingFact:
    name: str
    date: date
    time: time | None
    url: str | None
    sources: tuple[str, ...]
    where: str | None = None
    weekday_mismatch: bool = False
    """True when a source named a weekday that does not fall on `date`."""


@dataclass(frozen=True, slots=True)
class PersonFact:
    name: str
    role: str | None
    variants: tuple[str, ...]
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RelatedStory:
    """Another story of the same force's thread, with what a reader needs to pick it."""

    story: str
    relation: Relation
    title: str
    published: date | None
    """The linked story's first day (UK date)."""


@dataclass(frozen=True, slots=True)
class GradeStated:
    """One area's grade as one article states it; `start` is its offset in the article's
    plain text. `structured`: a list item, table row or "Area: Grade" line; `historic`:
    restated from an earlier inspection."""

    area: str
    grade: str
    start: int
    structured: bool
    historic: bool


@dataclass(frozen=True, slots=True)
class CountStated:
    """ "Good in two areas", as one article states it, at offset `start`."""

    grade: str
    count: int
    start: int


@dataclass(frozen=True, slots=True)
class QuoteStated:
    """One quote in one article; `speaker` as the article names them at their fullest."""

    text: str
    speaker: str | None
    role: str | None
    start: int


@dataclass(frozen=True, slots=True)
class MeetingStated:
    """One dated public meeting as one article states it."""

    name: str
    date: date
    time: time | None
    url: str | None
    where: str | None
    weekday_mismatch: bool
    start: int


@dataclass(frozen=True, slots=True)
class PersonStated:
    """One way one article names a person, at offset `start` (see `read.people`)."""

    name: str
    first: str | None
    surname: str
    role: str | None
    start: int
    caption: bool = False
    honorific: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentStated:
    """A primary document one article links to (or writes out as text), with its kind as
    that article presents it; `url` is absolute http(s), as written."""

    url: str
    kind: DocumentKind


@dataclass(frozen=True, slots=True)
class TextSketch:
    """A small signature of an article's prose (`text/sketch.py`): how many word
    shingles it has and the smallest of their hashes, enough to tell a copy from the
    articles of one story without reading their text again."""

    shingles: int = 0
    hashes: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    """What the extractors find in one article, before any merge.

    Extracted once per article text (`facts.extract`), kept in the store, and merged per
    story from there (`facts.merge`), so a story is merged without reading any text.
    """

    grades: tuple[GradeStated, ...] = ()
    counts: tuple[CountStated, ...] = ()
    quotes: tuple[QuoteStated, ...] = ()
    meetings: tuple[MeetingStated, ...] = ()
    people: tuple[PersonStated, ...] = ()
    documents: tuple[DocumentStated, ...] = ()
    sketch: TextSketch = TextSketch()


@dataclass(frozen=True, slots=True)
class DocumentFact:
    """A primary document of a story: its address (the first form written of it), its
    kind, and the links of the articles that give it."""

    url: str
    kind: DocumentKind
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CopyOf:
    """An article of the story that copies another of it (a syndicated story, a reprinted
    release): its link and the original's (`facts/copies.py` decides)."""

    link: str
    original: str


@dataclass(frozen=True, slots=True)
class MergedStory:
    """A story with the facts its articles state, each with its provenance."""

    story: Story
    grades: tuple[GradeFact, ...] = ()
    quotes: tuple[QuoteFact, ...] = ()
    meetings: tuple[MeetingFact, ...] = ()
    people: tuple[PersonFact, ...] = ()
    grade_counts: GradeCounts | None = None
    previous_inspection: str | None = None
    """The story id of the force's previous inspection (history pass), or None."""
    related: tuple[RelatedStory, ...] = ()
    """The story's thread: follow-ups of an inspection, or the inspection a story follows."""
    documents: tuple[DocumentFact, ...] = ()
    """Primary documents its articles link to, most telling first (report, agenda, ...)."""
    copies: tuple[CopyOf, ...] = ()
    """The articles that copy another of the story, each with its original."""

    @property
    def has_facts(self) -> bool:
        return bool(self.grades or self.quotes or self.meetings or self.grade_counts)

    def copy_of(self, link: str) -> str | None:
        """The original's link when the article at `link` copies another, else None."""
        return next((c.original for c in self.copies if c.link == link), None)

    @property
    def independent_sources(self) -> int:
        """Outlets (feeds) with an article of their own in the story, not a copy: a
        syndicated story or a reprinted release counts once, for its original."""
        copied = {c.link for c in self.copies}
        return len({a.feed for a in self.story.articles if a.link not in copied})


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """One public meeting on the agenda, with the story it came from.

    The agenda spans every story, so each meeting carries what a reader needs to place
    it (the story's id, headline and force) and how far away it is.
    """

    meeting: MeetingFact
    story_id: str
    headline: str
    force: str | None
    days_away: int
    """Days from today to the meeting: 0 today, 1 tomorrow, negative once it is past."""


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


@dataclass(frozen=True, slots=True)
class ForceInspection:
    """One inspection of a force, merged with its history (grade changes, thread)."""

    story: MergedStory
    day: date
    """The report's day: its story's first article (UK date)."""


@dataclass(frozen=True, slots=True)
class GradeRow:
    """One inspection area across a force's graded inspections: a row of its grade grid."""

    area: str
    label: str
    cells: tuple[GradeFact | None, ...]
    """One per column (`ForceView.columns`), oldest first: the grade that inspection gave
    the area (with its previous grade), or None when it did not grade it."""


@dataclass(frozen=True, slots=True)
class ForceMeeting:
    """An upcoming meeting of a force, with the story that announces it."""

    meeting: MeetingFact
    story: str
    title: str


@dataclass(frozen=True, slots=True)
class ForcePerson:
    """Someone who leads or answers for a force (commissioner, chief officers), across
    the stories of the force that name them."""

    name: str
    role: str
    stories: int
    """How many of the force's stories read for its screen name them."""
    last_seen: date | None = None
    variants: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ForceView:
    """A force over time, for its screen (`facts/force_view.py` builds it)."""

    force: str
    inspections: tuple[ForceInspection, ...] = ()
    """Oldest first."""
    columns: tuple[ForceInspection, ...] = ()
    """The inspections that graded areas by name: the grade grid's columns, oldest first."""
    grid: tuple[GradeRow, ...] = ()
    meetings: tuple[ForceMeeting, ...] = ()
    """From today on, soonest first."""
    people: tuple[ForcePerson, ...] = ()
    recent: tuple[Story, ...] = ()
    """The force's latest stories (headers, no facts), newest first."""
    stories: int = 0
    """How many stories the listing holds for the force."""


@dataclass(frozen=True, slots=True)
class Digest:
    generated_at: datetime
    stories: tuple[MergedStory, ...] = field(default_factory=tuple)


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
