"""The words both front ends use for a merged story: grades, kinds, sources, outlets, dates.

The reader (TUI) and the Markdown digest describe the same facts; written twice, the two
drifted (one counted articles as "sources", the other feeds). Every phrase a reader could
compare between the two lives here, as plain strings with no styling and no escaping: the
TUI adds colour and the display guard, the digest adds Markdown escaping.

Definitions, fixed here once:

- A *source* is an outlet, i.e. a distinct feed; "3 sources" means three outlets said it.
  One feed posting the story twice is still one source, and the coverage says so:
  "1 source, 2 reports", so the number never hides an article the list below shows.
  An outlet whose articles only copy another's (a syndicated story, a reprinted
  release) is not an *independent* source: then the coverage says "3 articles, 2
  independent sources", a fact's outlets add "(1 independent)", and the copy names its
  original ("copy of Broads Mercury").
- A fact's provenance is stored as article links (the JSON digest keeps those); in words
  it is the outlets behind the links, in first-seen order, each once. A link that no
  article of the story carries is shown as it is rather than dropped, so a fact never
  loses its attribution.
- A grade key is always written out in words, and an unknown key is shown as it came
  (dashes to spaces) rather than hidden: colour is a second channel, never the only one.
- Footnotes: a story's outlets are numbered [1], [2], ... in the order its articles come
  (oldest first), and a fact names its outlets by number ("[1,3]"), so a report card row
  stays one line however many outlets stated it. A provenance link that no article
  carries gets a number after the outlets, shown as the link itself.
- Times are UK local time (GMT or BST), like the meetings the articles announce: a
  reader in Hertfordshire reads "09:30", not the UTC the feeds were stored in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from heraldtui.core.models import GRADE_KEYS, DocumentKind, Relation, StoryKind

if TYPE_CHECKING:
    from heraldtui.core.models import GradeCounts, GradeFact, MeetingFact, MergedStory

try:
    _LONDON: ZoneInfo | None = ZoneInfo("Europe/London")
except ZoneInfoNotFoundError:  # pragma: no cover - no tz database and no tzdata package
    _LONDON = None

GRADE_WORDS: dict[str, str] = {
    "outstanding": "Outstanding",
    "good": "Good",
    "adequate": "Adequate",
    "requires-improvement": "Requires improvement",
    "inadequate": "Inadequate",
}

GRADE_SYMBOLS: dict[str, str] = {
    "outstanding": "★",
    "good": "▲",
    "adequate": "◆",
    "requires-improvement": "▼",
    "inadequate": "✖",
}
"""A shape per grade, printed beside the grade word: the reader tells grades apart in
monochrome and without telling colours apart; best grades point up, worse down."""

KIND_WORDS: dict[StoryKind, str] = {
    "inspection": "Inspection",
    "meeting": "Meeting",
    "other": "Story",
}


def grade_word(grade: str) -> str:
    """The grade in words; an unknown key is shown as it came rather than hidden."""
    return GRADE_WORDS.get(grade, grade.replace("-", " ").capitalize())


def kind_word(kind: StoryKind, inspection_type: str | None = None) -> str:
    """The kind in words, with an inspection's type: "Inspection: crime data integrity"."""
    word = KIND_WORDS.get(kind, "Story")
    if kind == "inspection" and inspection_type:
        word += ": " + INSPECTION_WORDS.get(inspection_type, inspection_type.replace("-", " "))
    return word


INSPECTION_WORDS: dict[str, str] = {
    "peel": "PEEL",
    "engage": "enhanced monitoring",
    "fire": "fire and rescue service",
}
"""Inspection types whose key does not read as words (others: dashes to spaces)."""


def source_count(story: MergedStory) -> int:
    """Distinct outlets (feeds), not items: one feed posting twice is still one source.

    Called for every visible row of the story list on every paint, so it stays a set of
    feed names and nothing more.
    """
    return len({a.feed for a in story.story.articles})


def sources_phrase(count: int) -> str:
    """`1 source`, `3 sources`."""
    return f"{count} source{'' if count == 1 else 's'}"


def coverage_phrase(story: MergedStory) -> str:
    """`3 sources`, or `1 source, 2 reports` when an outlet carried the story more than
    once, or `3 articles, 2 independent sources` when an outlet only copied another."""
    reports = len(story.story.articles)
    sources = source_count(story)
    if story.copies:  # most stories have none: the list's rows stay a set of feeds
        independent = story.independent_sources
        if independent < sources:
            articles = f"{reports} article{'' if reports == 1 else 's'}"
            return f"{articles}, {independent} independent source{'' if independent == 1 else 's'}"
    phrase = sources_phrase(sources)
    return phrase if reports == sources else f"{phrase}, {reports} reports"


def copy_phrase(story: MergedStory, link: str) -> str | None:
    """`copy of Broads Mercury`: the outlet an article copies, or None for an original."""
    original = story.copy_of(link)
    if original is None:
        return None
    return f"copy of {outlet_names(story, [original])[0]}"


def outlet_names(story: MergedStory, links: Iterable[str]) -> list[str]:
    """Feed names of the articles behind `links`, in first-seen order, each once."""
    by_link = {a.link: a.feed for a in story.story.articles}
    names: list[str] = []
    for link in links:
        name = by_link.get(link, link)
        if name not in names:
            names.append(name)
    return names


def uk_time(moment: datetime) -> datetime:
    """`moment` in UK local time; a naive moment is taken as UTC.

    Without a time zone database (no tzdata on Windows), the UK rule is applied by hand:
    BST, one hour ahead, from 01:00 UTC on the last Sunday of March to the last of October.
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if _LONDON is not None:
        return moment.astimezone(_LONDON)
    utc = moment.astimezone(UTC)

    def last_sunday(month: int) -> datetime:
        day = datetime(utc.year, month + 1, 1, 1, tzinfo=UTC) - timedelta(days=1)
        return day - timedelta(days=(day.weekday() + 1) % 7)

    summer = last_sunday(3) <= utc < last_sunday(10)
    return utc + timedelta(hours=1) if summer else utc


def long_date(moment: datetime | None) -> str:
    """`6 November 2024` (UK date), or `undated`."""
    if moment is None:
        return "undated"
    local = uk_time(moment)
    return f"{local.day} {local:%B %Y}"


def clock_time(moment: datetime) -> str:
    """`Wednesday 6 November 2024, 08:30 GMT`: an article's moment as a UK reader reads it."""
    local = uk_time(moment)
    zone = local.tzname() or ("BST" if local.utcoffset() else "GMT")
    if zone == "UTC":  # the fallback above: name the UK zone, not the arithmetic
        zone = "BST" if moment.astimezone(UTC) != local.replace(tzinfo=UTC) else "GMT"
    return f"{local:%A} {local.day} {local:%B %Y, %H:%M} {zone}"


def days_away(day: date, today: date) -> str:
    """How far a meeting is from `today`: `today`, `tomorrow`, `in 8 days`, `past`."""
    delta = (day - today).days
    if delta < 0:
        return "past"
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    return f"in {delta} days"


def agenda_days(delta: int) -> str:
    """Days away on the agenda, past ones too: `in 8 days`, `today`, `3 days ago`."""
    if delta < -1:
        return f"{-delta} days ago"
    return {-1: "yesterday", 0: "today", 1: "tomorrow"}.get(delta, f"in {delta} days")


class Footnotes:
    """A story's outlets numbered once, so each fact names them by number.

    Numbers follow the order of the story's articles (oldest first), one per outlet
    (feed); links a fact cites that no article carries are numbered after them, in the
    order the facts cite them, and listed as the link itself.
    """

    def __init__(self, story: MergedStory) -> None:
        self._by_link: dict[str, int] = {}
        self._names: list[str] = []
        by_feed: dict[str, int] = {}
        for article in story.story.articles:
            number = by_feed.get(article.feed)
            if number is None:
                self._names.append(article.feed)
                number = by_feed[article.feed] = len(self._names)
            self._by_link.setdefault(article.link, number)
        self._outlets = len(self._names)
        self._origins = {c.link: c.original for c in story.copies}
        for link in _cited_links(story):
            if link not in self._by_link:
                self._names.append(link)
                self._by_link[link] = len(self._names)

    @property
    def entries(self) -> list[tuple[int, str]]:
        """(number, outlet name or stray link), in number order."""
        return list(enumerate(self._names, start=1))

    @property
    def strays(self) -> list[tuple[int, str]]:
        """(number, link) of the cited links no article of the story carries."""
        return self.entries[self._outlets :]

    def number(self, link: str) -> int:
        """The footnote of the outlet behind `link` (every cited link has one)."""
        return self._by_link[link]

    def numbers(self, links: Iterable[str]) -> list[int]:
        """The footnotes behind `links`, ascending, each once."""
        return sorted({self._by_link[link] for link in links if link in self._by_link})

    def marks(self, links: Iterable[str]) -> str:
        """`[1,3]`: the footnotes behind `links`; empty when there are none."""
        numbers = self.numbers(links)
        return f"[{','.join(str(n) for n in numbers)}]" if numbers else ""

    def stated_by(self, links: Iterable[str]) -> str:
        """`marks`, with `(1 independent)` when some of those outlets only copy another
        of them: what a grade's sources count."""
        links = list(links)
        marks = self.marks(links)
        if not self._origins:
            return marks
        origins = {self._origins.get(link, link) for link in links}
        independent = len(self.numbers(origins))
        return (
            marks
            if independent == len(self.numbers(links))
            else (f"{marks} ({independent} independent)")
        )


def _cited_links(story: MergedStory) -> Iterable[str]:
    """Every provenance link the story's facts cite, in the order a reader meets them."""
    if story.grade_counts is not None:
        yield from story.grade_counts.sources
        for conflict in story.grade_counts.conflicts:
            yield from conflict.sources
    for grade in story.grades:
        yield from grade.sources
        for other in grade.conflicts:
            yield from other.sources
    for quote in story.quotes:
        yield from quote.sources
    for meeting in story.meetings:
        yield from meeting.sources
    for document in story.documents:
        yield from document.sources


def meeting_day(meeting: MeetingFact) -> str:
    """`Thursday 14 November 2024, 10:30`: the weekday is spelled out, the time if known."""
    when = f"{meeting.date:%A} {meeting.date.day} {meeting.date:%B %Y}"
    if meeting.time is not None:
        when += f", {meeting.time:%H:%M}"
    return when


def counts_phrase(counts: GradeCounts) -> str:
    """`Good in 2 areas, adequate in 3, requires improvement in 1`: the counts as outlets
    give them, best grade first."""
    parts = []
    for n, (grade, count) in enumerate(counts.counts):
        word = grade_word(grade)
        area = "" if n else (" area" if count == 1 else " areas")
        parts.append(f"{word if n == 0 else word.lower()} in {count}{area}")
    return ", ".join(parts)


def count_conflict_phrase(
    counts: GradeCounts, story: MergedStory, notes: Footnotes | None = None
) -> list[str]:
    """Each disagreement about the counts in words: another outlet's count, or more areas
    graded alike than the count allows. With `notes`, outlets are named by footnote
    (`[2] says good in 3`), as on a report card."""
    lines = []
    for c in counts.conflicts:
        grade = grade_word(c.grade).lower()
        if c.areas:
            lines.append(f"{c.count} areas are graded {grade} by name")
        elif notes is not None:
            lines.append(f"{notes.marks(c.sources)} says {grade} in {c.count}")
        else:
            lines.append(f"{', '.join(outlet_names(story, c.sources))}: {grade} in {c.count}")
    return lines


def conflict_phrase(notes: Footnotes, sources: Sequence[str], grade: str) -> str:
    """`[3] says Requires improvement`: a grade another outlet gave, on its own line."""
    return f"{notes.marks(sources)} says {grade_word(grade)}"


# ---------------------------------------------------------------- a force over time

GradeChange = Literal["improved", "worse", "same", "new", "changed"]
CHANGE_ARROWS: dict[GradeChange, str] = {
    "improved": "↑",
    "worse": "↓",
    "same": "=",
    "new": "+",
    "changed": "≠",
}
"""An arrow per change since the previous inspection, always printed with its words."""

RELATION_WORDS: dict[Relation, str] = {
    "response": "Response",
    "meeting": "Scrutiny meeting",
    "revisit": "Later inspection",
    "monitoring": "Enhanced monitoring",
    "earlier-inspection": "Earlier inspection",
}
"""What a related story is to the story shown."""


def day_phrase(day: date | None) -> str:
    """`6 June 2024`, or `undated`."""
    return f"{day.day} {day:%B %Y}" if day is not None else "undated"


def grade_change(fact: GradeFact, story: MergedStory) -> GradeChange | None:
    """How an area's grade moved since the previous inspection; `new` when that
    inspection did not grade the area, None when no previous inspection is known."""
    previous = fact.previous
    if previous is None:
        return "new" if story.previous_inspection is not None else None
    if previous.grade == fact.grade:
        return "same"
    if previous.grade not in GRADE_KEYS or fact.grade not in GRADE_KEYS:
        return "changed"
    better = GRADE_KEYS.index(fact.grade) < GRADE_KEYS.index(previous.grade)
    return "improved" if better else "worse"


def change_phrase(fact: GradeFact, story: MergedStory) -> str | None:
    """`↑ up from Requires improvement (6 June 2024)`, `= same as 6 June 2024`, `+ new
    area (not graded 6 June 2024)`; None when there is nothing to compare with."""
    change = grade_change(fact, story)
    if change is None:
        return None
    arrow = CHANGE_ARROWS[change]
    previous = fact.previous
    if previous is None:
        earlier = next((r for r in story.related if r.story == story.previous_inspection), None)
        when = f" (not graded {day_phrase(earlier.published)})" if earlier is not None else ""
        return f"{arrow} new area{when}"
    when = day_phrase(previous.published)
    was = grade_word(previous.grade)
    if change == "same":
        return f"{arrow} same as {when}"
    words = {"improved": "up from", "worse": "down from"}.get(change, "was")
    return f"{arrow} {words} {was} ({when})"


def related_phrase(relation: Relation) -> str:
    """`Earlier inspection`: what a related story is to the story shown."""
    return RELATION_WORDS.get(relation, relation.replace("-", " ").capitalize())


# ---------------------------------------------------------------- a force's grade grid

GRADE_SHORT: dict[str, str] = {
    "outstanding": "Outst",
    "good": "Good",
    "adequate": "Adeq",
    "requires-improvement": "RI",
    "inadequate": "Inad",
}
"""A grade in a grid cell: short enough for a column, always beside its symbol. "RI" is
the inspectorate's own short form; a legend under the grid spells it out."""
INSPECTION_SHORT: dict[str, str] = {
    "peel": "PEEL",
    "crime-data-integrity": "CDI",
    "engage": "Monitor",
    "child-protection": "Child prot",
    "super-complaint": "Super-comp",
}
"""An inspection type over a grid column; other types are cut to fit (dashes to spaces)."""


def grade_short(grade: str) -> str:
    """The grade in a grid cell; an unknown key as it came, cut to the same length."""
    return GRADE_SHORT.get(grade, grade.replace("-", " ")[:5])


def inspection_short(inspection_type: str | None) -> str:
    """The inspection type over a grid column (`PEEL`, `CDI`); `Insp.` when unknown."""
    if not inspection_type:
        return "Insp."
    return INSPECTION_SHORT.get(inspection_type, inspection_type.replace("-", " ").capitalize())


def inspection_word(inspection_type: str | None) -> str:
    """`PEEL`, `Crime data integrity`: an inspection's type in words, on its own."""
    if not inspection_type:
        return "Inspection"
    word = INSPECTION_WORDS.get(inspection_type, inspection_type.replace("-", " "))
    return word[:1].upper() + word[1:]


# ---------------------------------------------------------------- documents

DOCUMENT_WORDS: dict[DocumentKind, str] = {
    "report": "Report",
    "agenda": "Agenda",
    "webcast": "Webcast",
    "statement": "Statement",
    "other": "Other",
}
"""A primary document's kind as the reader sees it."""
NO_REPORT_LINKED = "No outlet linked the report"


def document_word(kind: DocumentKind) -> str:
    """`Report`: a document's kind in words; an unknown kind as it came."""
    return DOCUMENT_WORDS.get(kind, str(kind).capitalize())


def report_note(story: MergedStory) -> str | None:
    """`No outlet linked the report` for an inspection whose articles give no link to
    the report itself; None otherwise."""
    if story.story.kind != "inspection" or any(d.kind == "report" for d in story.documents):
        return None
    return NO_REPORT_LINKED
