"""One merged view of a story: its grades, quotes, meetings and people, with provenance.

Each article is read on its own by the extractors (`grades`, `quotes`, `people`,
`meetings`: see `facts.extract`, whose `ArticleFacts` the store keeps); the merge then
combines what they found, and every fact keeps the links of the articles that state it:

- **Grades**: per area, the grade most articles give. When the inspectorate itself is a
  source (a feed or link that names it: "HMICFRS", "Inspectorate",
  justiceinspectorates.gov.uk) its grade wins whatever the count; a tie goes to the
  grade that more articles print as a list or table (copied from the report), then to
  the earliest article. Every other grade given is listed as a conflict with its
  sources. Grades restated from an earlier inspection are not counted.
- **Quotes**: the same quote carried by several outlets is one entry with all their
  links. Two quotes are the same when, compared as lower-case words without
  punctuation, one is contained in the other (a shortened version) or they share most of
  their three-word runs (small edits); the longest wording is kept. The speaker is the
  person's canonical name.
- **Meetings**: one entry per date; the name, time, link and place any source gives are
  kept (the most common when sources differ), and a weekday that contradicts the date in
  any source is flagged.
- **People**: see `facts.people.merge_people`.
- **Copies and documents**: the articles that copy another of the story (a syndicated
  story, a reprinted release: `facts.copies`) each name their original, and count once
  wherever sources are counted (a grade's "most articles" counts independent ones); the
  documents linked are merged by address (`facts.documents`).

Pure and fast: no network, no I/O, and from stored facts no text is read; merging a story
from them costs tens of microseconds (extracting them, a few milliseconds per article).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import TypeVar

from heraldtui.core.facts.areas import area_keys, area_label
from heraldtui.core.facts.copies import find_copies
from heraldtui.core.facts.documents import merge_documents
from heraldtui.core.facts.extract import extract_facts, read_meetings
from heraldtui.core.facts.grade_counts import CountMention, article_counts, merge_counts
from heraldtui.core.facts.meeting_words import may_name_meeting
from heraldtui.core.facts.people import Person, merge_people
from heraldtui.core.models import (
    Article,
    ArticleFacts,
    GradeConflict,
    GradeFact,
    MeetingFact,
    MeetingStated,
    MergedStory,
    PersonFact,
    QuoteFact,
    QuoteStated,
    Story,
)
from heraldtui.core.read.lexicon import GENERIC_MEETING_NAMES, INSPECTORATE_SOURCE
from heraldtui.core.read.people import PersonMention
from heraldtui.core.text.prose import words

_INSPECTORATE = re.compile(INSPECTORATE_SOURCE, re.IGNORECASE)


def is_inspectorate(article: Article) -> bool:
    """Whether an article comes from the inspectorate itself (its feed or its site)."""
    return bool(_INSPECTORATE.search(article.feed) or _INSPECTORATE.search(article.link))


@dataclass(slots=True)
class _Extracted:
    """One article's facts as the merge reads them."""

    article: Article
    grades: dict[str, tuple[str, bool]]
    quotes: tuple[QuoteStated, ...]
    meetings: tuple[MeetingStated, ...]
    counts: dict[str, int]


def _reduce(article: Article, facts: ArticleFacts) -> _Extracted:
    """Per area the grade the article gives now (a listed one over one in prose; grades
    restated from an earlier inspection left out), and its first count per grade."""
    grades: dict[str, tuple[str, bool]] = {}
    for mention in facts.grades:
        if mention.historic:
            continue
        held = grades.get(mention.area)
        if held is None or (mention.structured and not held[1]):
            grades[mention.area] = (mention.grade, mention.structured)
    counts = article_counts([CountMention(c.grade, c.count, c.start) for c in facts.counts])
    return _Extracted(article, grades, facts.quotes, facts.meetings, counts)


def _mentions(facts: ArticleFacts) -> list[PersonMention]:
    return [
        PersonMention(p.name, p.first, p.surname, p.role, p.start, p.caption, p.honorific)
        for p in facts.people
    ]


def merge_story(story: Story, facts: Sequence[ArticleFacts] | None = None) -> MergedStory:
    """The story with the facts its articles state, each with the links that state it.

    `facts` are the articles' extracted facts, in the story's order (stored ones: see
    `facts.extract`); without them every article is read here.
    """
    if facts is None:
        facts = [extract_facts(article) for article in story.articles]
    if len(facts) != len(story.articles):
        raise ValueError(f"{len(facts)} facts for the {len(story.articles)} articles of a story")
    extracted = [_reduce(a, f) for a, f in zip(story.articles, facts, strict=True)]
    per_article = [(a.link, _mentions(f)) for a, f in zip(story.articles, facts, strict=True)]
    persons = merge_people(per_article)
    copies = find_copies(story.articles, facts)
    origins = {c.link: c.original for c in copies}
    # A fire and rescue service's inspection grades the service, not a police force's areas.
    fire = story.inspection_type == "fire"
    grades = () if fire else _merge_grades(extracted, origins)
    counts = [(e.article.link, is_inspectorate(e.article), e.counts) for e in extracted]
    return MergedStory(
        story,
        grades=grades,
        quotes=_merge_quotes(extracted, persons),
        meetings=_merge_meetings(extracted),
        people=tuple(PersonFact(p.name, p.role, p.variants, p.sources) for p in persons),
        grade_counts=None if fire else merge_counts(counts, grades),
        documents=merge_documents(story.articles, facts, origins),
        copies=copies,
    )


def story_meetings(
    articles: Sequence[Article], stored: Mapping[str, ArticleFacts] | None = None
) -> tuple[MeetingFact, ...]:
    """The meetings `merge_story` gives a story of `articles` (oldest first), read alone.

    The agenda needs only meetings, across every story: it takes them from an article's
    `stored` facts when it has them, and otherwise reads them without grades, quotes and
    people, and only in the articles whose words could name a meeting
    (`meeting_words.may_name_meeting`); an article that states none adds nothing to the
    merge, so the result is the same at a fraction of the cost.
    """
    stored = stored or {}
    extracted = [
        _Extracted(a, {}, (), facts.meetings if facts is not None else read_meetings(a), {})
        for a in articles
        if may_name_meeting(a.title, a.text)
        for facts in [stored.get(a.id)]
    ]
    return _merge_meetings(extracted)


def _merge_grades(extracted: list[_Extracted], origins: dict[str, str]) -> tuple[GradeFact, ...]:
    areas = {area for e in extracted for area in e.grades}
    if not areas:  # most stories: no inspection
        return ()
    facts: list[GradeFact] = []
    order = {key: n for n, key in enumerate(area_keys())}
    for area in sorted(areas, key=lambda a: (order.get(a, len(order)), a)):
        sources: dict[str, list[str]] = {}
        structured: Counter[str] = Counter()
        official: Counter[str] = Counter()
        for e in extracted:  # oldest first, so each grade's first source is its earliest
            if area not in e.grades:
                continue
            grade, listed = e.grades[area]
            sources.setdefault(grade, []).append(e.article.link)
            structured[grade] += listed
            official[grade] += is_inspectorate(e.article)
        # A copy stating what its original states is the same source again.
        independent = {g: len({origins.get(s, s) for s in sources[g]}) for g in sources}
        ranked = sorted(
            sources,
            key=lambda g: (-official[g], -independent[g], -structured[g], _first(g, sources)),
        )
        winner = ranked[0]
        conflicts = tuple(GradeConflict(g, tuple(sources[g])) for g in ranked[1:])
        facts.append(GradeFact(area, area_label(area), winner, tuple(sources[winner]), conflicts))
    return tuple(facts)


def _first(grade: str, sources: dict[str, list[str]]) -> int:
    return list(sources).index(grade)


@dataclass(slots=True)
class _Quote:
    text: str
    key: str
    speaker: str | None
    role: str | None
    sources: list[str] = field(default_factory=list)


def _shingles(key: str) -> set[str]:
    tokens = key.split()
    if len(tokens) < 3:
        return {key}
    return {" ".join(tokens[i : i + 3]) for i in range(len(tokens) - 2)}


def same_quote(a: str, b: str) -> bool:
    """Whether two quote texts are one quote (see the module docstring)."""
    ka, kb = " ".join(words(a)), " ".join(words(b))
    if not ka or not kb:
        return False
    short, long_ = sorted((ka, kb), key=len)
    if f" {short} " in f" {long_} ":
        return True
    sa, sb = _shingles(ka), _shingles(kb)
    smaller = min(len(sa), len(sb))
    return smaller >= 3 and len(sa & sb) / smaller >= 0.8


def _speaker(name: str | None, persons: Iterable[Person]) -> tuple[str | None, str | None]:
    if not name:
        return None, None
    for person in persons:
        if person.matches(name):
            return person.name, person.role
    return name, None


def _merge_quotes(extracted: list[_Extracted], persons: list[Person]) -> tuple[QuoteFact, ...]:
    merged: list[_Quote] = []
    for e in extracted:
        for q in e.quotes:
            speaker, role = _speaker(q.speaker, persons)
            role = role or q.role
            match = next((m for m in merged if same_quote(m.text, q.text)), None)
            if match is None:
                merged.append(_Quote(q.text, "", speaker, role, [e.article.link]))
                continue
            if len(q.text) > len(match.text):
                match.text = q.text
            if match.speaker is None and speaker:
                match.speaker, match.role = speaker, role
            if e.article.link not in match.sources:
                match.sources.append(e.article.link)
    return tuple(QuoteFact(m.speaker, m.role, m.text, tuple(m.sources)) for m in merged)


_T = TypeVar("_T")


def _most_common(values: Sequence[_T | None]) -> _T | None:
    present = [v for v in values if v is not None]
    if not present:
        return None
    counts = Counter(present)
    return max(present, key=lambda v: (counts[v], -present.index(v)))


def _merge_meetings(extracted: list[_Extracted]) -> tuple[MeetingFact, ...]:
    by_date: dict[date, list[tuple[str, MeetingStated]]] = {}
    for e in extracted:
        for m in e.meetings:
            by_date.setdefault(m.date, []).append((e.article.link, m))
    facts: list[MeetingFact] = []
    for day in sorted(by_date):
        items = by_date[day]
        names = [m.name for _, m in items]
        proper = [n for n in names if n.casefold() not in GENERIC_MEETING_NAMES]
        name = _most_common(proper) or names[0]
        clock: time | None = _most_common([m.time for _, m in items])
        url = _most_common([m.url for _, m in items])
        where = _most_common([m.where for _, m in items if m.where != "Online"]) or (
            _most_common([m.where for _, m in items])
        )
        sources = tuple(dict.fromkeys(link for link, _ in items))
        mismatch = any(m.weekday_mismatch for _, m in items)
        facts.append(MeetingFact(name, day, clock, url, sources, where, mismatch))
    return tuple(facts)
