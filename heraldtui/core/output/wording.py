"""The words both front ends use for a merged story: grades, kinds, sources, outlets, dates.

The reader (TUI) and the Markdown digest describe the same facts; written twice, the two
drifted (one counted articles as "sources", the other feeds). Every phrase a reader could
compare between the two lives here, as plain strings with no styling and no escaping: the
TUI adds colour and the display guard, the digest adds Markdown escaping.

Definitions, fixed here once:

- A *source* is an outlet, i.e. a distinct feed; "3 sources" means three outlets said it.
  One feed posting the story twice is still one source, and the coverage says so:
  "1 source, 2 reports", so the number never hides an article the list below shows.
- A fact's provenance is stored as article links (the JSON digest keeps those); in words
  it is the outlets behind the links, in first-seen order, each once. A link that no
  article of the story carries is shown as it is rather than dropped, so a fact never
  loses its attribution.
- A grade key is always written out in words, and an unknown key is shown as it came
  (dashes to spaces) rather than hidden: colour is a second channel, never the only one.
"""

from __future__ import annotations

from collections.abc import Iterable

from heraldtui.core.models import GradeCounts, MeetingFact, MergedStory, StoryKind

GRADE_WORDS: dict[str, str] = {
    "outstanding": "Outstanding",
    "good": "Good",
    "adequate": "Adequate",
    "requires-improvement": "Requires improvement",
    "inadequate": "Inadequate",
}

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
    """`3 sources`, or `1 source, 2 reports` when an outlet carried the story more than once."""
    reports = len(story.story.articles)
    sources = source_count(story)
    phrase = sources_phrase(sources)
    return phrase if reports == sources else f"{phrase}, {reports} reports"


def outlet_names(story: MergedStory, links: Iterable[str]) -> list[str]:
    """Feed names of the articles behind `links`, in first-seen order, each once."""
    by_link = {a.link: a.feed for a in story.story.articles}
    names: list[str] = []
    for link in links:
        name = by_link.get(link, link)
        if name not in names:
            names.append(name)
    return names


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


def count_conflict_phrase(counts: GradeCounts, story: MergedStory) -> list[str]:
    """Each disagreement about the counts in words: another outlet's count, or more areas
    graded alike than the count allows."""
    lines = []
    for c in counts.conflicts:
        grade = grade_word(c.grade).lower()
        if c.areas:
            lines.append(f"{c.count} areas are graded {grade} by name")
        else:
            lines.append(f"{', '.join(outlet_names(story, c.sources))}: {grade} in {c.count}")
    return lines
