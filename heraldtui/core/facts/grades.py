"""Inspection grades in an article's text, however the outlet writes them.

Structured shapes (list items, "Area: Grade" lines, tables, grade headings) are read by
`grade_lines.py`; area and grade words are looked up by `areas.py`. This module reads the
rest and decides what counts:

1. **Prose** - a sentence is cut into area mentions and grade words. Area mentions are
   found first, so a grade word inside an area name ("making *good* use of resources") is
   never a grade. A grade word counts only in a grading context: after a verb of grading
   ("rated", "judged to be", "found the force"), after a copula ("was 'good'", "is good
   at"), in scare quotes, as "requires improvement", or continuing such a grade in the
   same sentence ("rated good for A, and adequate for B"). "Officers did a good job" has
   none of these. Each grade then takes the list of areas that follows it when a
   connector leads there ("for", "at", "in", "when it comes to", ", including", "were")
   without a new clause in between ("in four areas and that its ..."), otherwise the list
   of areas just before it ("A, B and C were judged 'adequate'"). An area that is the
   subject of a grade ("its crime recording is inadequate") keeps that grade: no grade
   earlier in the sentence reaches it. A list is areas joined by commas, "and", "or" and
   repeated prepositions; an area that a forward grade claimed is not taken again by a
   later backward one.
2. **Context** - a sentence that restates an earlier inspection ("Last June's report
   rated...", "In June the force was rated..." in an October article, "last year",
   "previous inspection", and "that report" / "at the time" in an article that also
   speaks of an earlier report: a revisit, a report dated months back) yields mentions
   flagged `historic`, which the merge ignores; so do the prose grades of an article about
   something else that mentions them in passing (see `find_grades`).

Prose grades are only read in texts that talk about an inspection at all (inspection,
inspectorate, PEEL, grade, rated...), and never inside a quoted passage of a person:
what a chief constable says about being "good at" something is not a grade.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from heraldtui.core.facts.areas import grade_key
from heraldtui.core.facts.grade_counts import CountMention, sentence_counts
from heraldtui.core.facts.grade_lines import (
    BULLET,
    area_list,
    grade_heading,
    line_grades,
    table_cells,
    table_grades,
)
from heraldtui.core.facts.grade_prose import prose_grades, refers_to_grade
from heraldtui.core.read.article_text import ArticleText
from heraldtui.core.read.dates import MONTH_PATTERN, MonthMention, find_months, month_year
from heraldtui.core.read.lexicon import GRADE_PATTERN, INSPECTION_CUE
from heraldtui.core.text.prose import sentences


@dataclass(frozen=True, slots=True)
class GradeMention:
    """One area/grade pair stated in a text.

    `structured` is True for list items, table rows and "Area: Grade" lines, which are
    copied from the report and win over prose within one article. `historic` marks a
    grade from an earlier inspection restated for context.
    """

    area: str
    grade: str
    start: int
    structured: bool
    historic: bool
    evidence: str


_GATE = re.compile(INSPECTION_CUE, re.IGNORECASE)

_HISTORIC = re.compile(
    r"\b(?:last|previous|prior|earlier|former)\s+(?:year|year['’]s|inspection|inspections|"
    r"report|reports|peel|time|assessment|"
    rf"(?:{MONTH_PATTERN})(?:['’]s)?)\b|"
    r"\b(?:a|one|two|three|\d+)\s+years?\s+(?:ago|earlier|before)\b|"
    r"\bwhen\s+it\s+was\s+last\b|\bin\s+its\s+(?:last|previous)\b",
    re.IGNORECASE,
)
_IN_YEAR = re.compile(r"\bin\s+((?:19|20)\d\d)\b", re.IGNORECASE)
"""A year the sentence sets itself in ("in 2019 it was rated ..."); "since 2019" is no
such year: what has held since then holds now."""


_BACK_REFERENCE = re.compile(
    r"\b(?:that|those|the\s+(?:original|earlier|previous|first|old|prior))\s+"
    r"(?:peel\s+)?(?:reports?|inspections?|assessments?)\b|\bat\s+the\s+time\b",
    re.IGNORECASE,
)
"""A report the article introduced as another one: "In that report we graded ..."."""
_REVISIT = re.compile(
    r"\b(?:revisit(?:ed|s|ing)?|re-?inspect(?:ed|ion|s)?|follow-up\s+inspection|"
    r"re-?grade[sd]?)\b",
    re.IGNORECASE,
)


def _earlier_report(text: str, published: datetime | None) -> bool:
    """Whether an article also talks about an earlier inspection than the one it reports:
    a revisit, or a report dated months before publication ("published in February 2024")."""
    if _REVISIT.search(text):
        return True
    return published is not None and any(_months_old(m, published) for m in find_months(text))


def _months_old(m: MonthMention, published: datetime) -> bool:
    """Whether a month named as a time ("in March": the latest March, see `dates`) is
    months before publication: a report published weeks ago is this story's; months
    ago, an earlier one."""
    year = m.year if m.year is not None else month_year(m.month, published.date(), "past")
    return published.replace(tzinfo=None) - datetime(year, m.month, 28) > timedelta(days=45)


def _is_historic(sentence: str, published: datetime | None, earlier: bool = False) -> bool:
    if _HISTORIC.search(sentence):
        return True
    if earlier and _BACK_REFERENCE.search(sentence):
        return True
    if published is None:
        return False
    for m in find_months(sentence):
        if _months_old(m, published):
            return True
    return any(int(m.group(1)) < published.year - 0 for m in _IN_YEAR.finditer(sentence))


def _quoted(text: ArticleText) -> list[list[tuple[int, int]]]:
    """Per paragraph, the (start, end) offsets of people's quoted words; scare quotes (a
    few words in marks) are not quotes."""
    regions: list[list[tuple[int, int]]] = [[] for _ in text.paragraphs]
    for span in text.spans:
        if len(span.text.split()) < 5:
            continue
        for index in range(span.first, span.last + 1):
            a = span.start if index == span.first else 0
            b = span.end if index == span.last else len(text.paragraphs[index])
            regions[index].append((a, b))
    return regions


def _masked(para: str, regions: list[tuple[int, int]]) -> str:
    for a, b in regions:
        para = para[:a] + " " * (b - a) + para[b:]
    return para


@dataclass(frozen=True, slots=True)
class GradeReading:
    """What an article states of an inspection's grades: per area, and as counts."""

    mentions: list[GradeMention]
    counts: list[CountMention]
    """Current (not historic) counts, in order: "'good' in four areas"."""


def find_grades(
    text: ArticleText, published: datetime | None = None, title: str = ""
) -> list[GradeMention]:
    """Every area/grade pair the article states, in order (see `read_grades`)."""
    return read_grades(text, published, title).mentions


def read_grades(
    text: ArticleText, published: datetime | None = None, title: str = ""
) -> GradeReading:
    """Every area/grade pair the article states, in order of appearance, and its counts.

    `text` is the article, prepared; `title` its headline, whose grades count like the
    body's (often the only place an outlet states one); `published` lets "In June ..." be
    recognised as an earlier inspection. Historic mentions are returned, flagged, so a
    caller can show them; merging ignores them. So are the prose grades of an article that
    is about something else (its headline and opening say nothing of an inspection, no
    list or table of grades, grades in a single sentence): "takes over a force that
    inspectors rated good at managing offenders" in a story about a new chief. Inside a
    person's quoted words only grades stated with a word of grading count.
    """
    paras = text.paragraphs
    quoted = _quoted(text)
    masked = [_masked(p, r) for p, r in zip(paras, quoted, strict=True)]
    whole = " ".join(masked)
    gate = bool(_GATE.search(whole)) or bool(_GATE.search(title))
    earlier = gate and _earlier_report(whole, published)
    out: list[GradeMention] = []
    counts: list[CountMention] = []
    if title and gate:
        historic = _is_historic(title, published, earlier)
        out.extend(
            GradeMention(area, grade, 0, False, historic, title)
            for area, grade, _ in prose_grades(title)
        )
        if not historic:
            counts.extend(sentence_counts(title))
    offset = 0
    heading: str | None = None  # a grade heading over the area lines that follow it
    previous: str | None = None  # the grade the last sentence stated ("the same grade")
    for raw, para, regions in zip(paras, masked, quoted, strict=True):
        line_offset = 0
        lines = para.split("\n")
        raw_lines = raw.split("\n")
        table = table_grades(lines)
        for index, line in enumerate(lines):
            graded = grade_heading(line)
            listed = area_list(BULLET.sub("", line)) if heading is not None else None
            if graded is not None:
                heading = graded
            elif heading is not None and listed:
                at = offset + line_offset
                out.extend(GradeMention(area, heading, at, True, False, line) for area in listed)
            elif line.strip():
                heading = None
            if graded is not None or listed:
                line_offset += len(line) + 1
                continue
            if index in table or table_cells(line):
                for area, grade, old in table.get(index, []):
                    at = offset + line_offset
                    out.append(GradeMention(area, grade, at, True, old, line))
                line_offset += len(line) + 1
                continue
            pairs = line_grades(line) if line.strip() else []
            if pairs:
                for area, grade in pairs:
                    out.append(GradeMention(area, grade, offset + line_offset, True, False, line))
            else:
                for start, sentence in sentences(raw_lines[index]):
                    # "Preventing crime: Good. Investigating crime: Adequate." on one line.
                    at = offset + line_offset + start
                    if not _inside(regions, line_offset + start, len(sentence)):
                        pairs = line_grades(sentence)
                        out.extend(
                            GradeMention(area, grade, at, True, False, sentence)
                            for area, grade in pairs
                        )
                        if pairs:
                            continue
                    if not gate or _CROSS_LINK.match(sentence):
                        continue
                    if _GRADE_ANYWHERE.search(sentence) is None and (
                        previous is None or not refers_to_grade(sentence)
                    ):
                        # No grade word: no grade, count or "the same grade" to read.
                        previous = None
                        continue
                    strong_only = _overlaps(regions, line_offset + start, len(sentence))
                    historic = _is_historic(sentence, published, earlier)
                    stated = prose_grades(sentence, strong_only, previous)
                    if not historic:
                        counts.extend(
                            replace(c, start=at + c.start) for c in sentence_counts(sentence)
                        )
                    out.extend(
                        GradeMention(area, grade, at + where, False, historic, sentence)
                        for area, grade, where in stated
                    )
                    previous = stated[-1][1] if stated else _last_grade_word(sentence)
            line_offset += len(line) + 1
        offset += len(raw) + 2
    lead = next((p for p in masked if not _CAPTION.search(p)), "")
    if _in_passing(out, title, lead):
        return GradeReading([replace(m, historic=True) for m in out], [])
    return GradeReading(out, counts)


_CAPTION = re.compile(r"\b(?:credit|image|photo|picture|pictured)s?\s*:", re.IGNORECASE)
"""A photo caption's credit: such a paragraph is no article's lead, though it comes first."""


_CROSS_LINK = re.compile(r"\W*(?:read\s+more|related|see\s+also|more\s+on\s+this)\b", re.I)
"""A link to another story ("READ MORE: ..."): its headline's grades are that story's."""
_ANY_GRADE = re.compile(rf"\b({GRADE_PATTERN})\b", re.IGNORECASE)
_GRADE_ANYWHERE = re.compile(GRADE_PATTERN, re.IGNORECASE)
"""A grade word even inside another word: every pattern that reads a grade or a count has
one, so a sentence without it states neither."""


def _last_grade_word(sentence: str) -> str | None:
    """The last grade a sentence names, graded or not ("rated 'good' overall")."""
    words = _ANY_GRADE.findall(sentence)
    return grade_key(words[-1]) if words else None


def _inside(regions: list[tuple[int, int]], start: int, length: int) -> bool:
    return any(a <= start and start + length <= b for a, b in regions)


def _overlaps(regions: list[tuple[int, int]], start: int, length: int) -> bool:
    return any(a < start + length and start < b for a, b in regions)


def _in_passing(found: list[GradeMention], title: str, lead: str) -> bool:
    """Whether an article's grades are a passing mention in a story about something else."""
    if not found or any(m.structured for m in found):
        return False
    if _GATE.search(title) or _GATE.search(lead) or any(m.evidence == title for m in found):
        return False
    return len({m.evidence for m in found}) < 2
