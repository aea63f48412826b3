"""The records of what a story says: facts read from articles, merged stories, the
agenda's meetings and a force's view (`heraldtui.core.models` holds the feeds, articles and
stories they are built from).

They are defined apart so a refresh, which builds none of them, does not pay for creating
their classes: `heraldtui.core.models` still names every one of them and loads this module
the first time one is asked for, so `from heraldtui.core.models import MergedStory` stays
the way to import them.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time

# At run time too (the package is loaded before this module), so the records' type hints
# resolve here as they did when they were defined in the package itself.
from heraldtui.core.models import DocumentKind, Relation, Story


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
    packed: bytes = b""
    """The smallest hashes, 4 bytes each, big-endian (as stored): 64 hashes as Python
    ints take nine times the room, and a story of one article never compares them."""

    @classmethod
    def of(cls, shingles: int, hashes: Iterable[int]) -> TextSketch:
        """A sketch of `shingles` shingles keeping these 32-bit hashes, in order."""
        values = tuple(hashes)
        return cls(shingles, struct.pack(f">{len(values)}I", *values))

    @property
    def hashes(self) -> tuple[int, ...]:
        """The kept hashes, in order."""
        return struct.unpack(f">{len(self.packed) // 4}I", self.packed)


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
