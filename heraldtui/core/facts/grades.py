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

from heraldtui.core.facts.areas import area_spans
from heraldtui.core.facts.grade_lines import (
    BULLET,
    area_list,
    grade_heading,
    line_grades,
    table_cells,
    table_grades,
)
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


_PROSE_GRADE = re.compile(rf"\b({GRADE_PATTERN})\b", re.IGNORECASE)
_OPEN_Q = "\"'“‘"
_CLOSE_Q = "\"'”’"
_GRADING_VERB = re.compile(
    r"\b(?:rated|rates?|rating|graded|grades?|judged|judges|assessed|found|finds|deemed|"
    r"considered|marked|scored|awarded|given)\s+"
    r"(?:(?:the\s+force|the\s+constabulary|the\s+service|it|them|as|to\s+be|being|an?)\s+){0,3}"
    r"[\"'“‘]?$",
    re.IGNORECASE,
)
_GRADE_OF = re.compile(
    r"\b(?:grade|grading|rating|verdict|judgment|judgement)\s+of\s+[\"'“‘]?$", re.IGNORECASE
)
_GRADE_NOUN = re.compile(r"^[\"'”’]?\s+(?:grade|grading|rating)s?\b", re.IGNORECASE)
"""After a grade word that names a grade: "an inadequate grade for", "a good rating"."""
_PAREN_OPEN = re.compile(r"\(\s*[\"'“‘]?$")
_PAREN_CLOSE = re.compile(r"^[\"'”’]?\s*\)")
_COPULA = re.compile(
    r"\b(?:is|was|are|were|be|been|being|remains|remained|now|still|as)\s+"
    r"(?:(?:now|still|also|only|again)\s+)?[\"'“‘]?$",
    re.IGNORECASE,
)
_CHAIN = re.compile(r"(?:,|\band|\bbut|\bor|;)\s*[\"'“‘]?$", re.IGNORECASE)
_FORWARD = re.compile(
    r"^[\"'”’]?\s*,?\s*(?:(?:grades?|ratings?)\s+)?"
    r"(?:for|at|in|on|across|around|over|when\s+it\s+comes\s+to|with\s+regard\s+to|"
    r"regarding|including|were|are|was|is)\b",
    re.IGNORECASE,
)
_DASH_FORWARD = re.compile(r"^[\"'”’]?\s*[:–—]\s")
_LIST_GAP = re.compile(
    r"^[\s,;&–—-]*(?:(?:and|or|as\s+well\s+as|plus)\s+)?(?:(?:at|for|in|on)\s+)?"
    r"(?:(?:its|the|their|how\s+it)\s+)?$",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(
    r"\b(?:that|which|while|whilst|whereas|but|although|though|however|because|when|where|"
    r"is|was|are|were|has|have|had|will|would)\b|;",
    re.IGNORECASE,
)
"""Words that start a new clause: a grade does not reach past them to an area."""
_PREDICATE_GAP = re.compile(
    r"^[\s\"'”’]*(?:(?:is|was|are|were|be|been|being|has|have|had|remains?|remained|now|"
    r"still|also|only|again|rated|judged|found|graded|assessed|deemed|considered|to|as)\s+)+"
    r"[\"'“‘]?$",
    re.IGNORECASE,
)
_PAREN_GAP = re.compile(r"^\s*\(\s*[\"'“‘]?$")
"""Between an area and its grade when the clause states the grade of that area
("its recording of data about crime is inadequate", "leadership was judged to be good")."""
_GATE = re.compile(INSPECTION_CUE, re.IGNORECASE)

_HISTORIC = re.compile(
    r"\b(?:last|previous|prior|earlier|former)\s+(?:year|year['’]s|inspection|inspections|"
    r"report|reports|peel|time|assessment|"
    rf"(?:{MONTH_PATTERN})(?:['’]s)?)\b|"
    r"\b(?:a|one|two|three|\d+)\s+years?\s+(?:ago|earlier|before)\b|"
    r"\bwhen\s+it\s+was\s+last\b|\bin\s+its\s+(?:last|previous)\b",
    re.IGNORECASE,
)
_IN_YEAR = re.compile(r"\b(?:in|since)\s+((?:19|20)\d\d)\b", re.IGNORECASE)


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


@dataclass(slots=True)
class _Grade:
    start: int
    end: int
    key: str
    forward_ok: bool


def _grades_in(sentence: str, spans: list[tuple[int, int, str]]) -> list[_Grade]:
    found: list[_Grade] = []
    for m in _PROSE_GRADE.finditer(sentence):
        if any(a <= m.start() < b for a, b, _ in spans):
            continue
        word = m.group(1).lower()
        key = "requires-improvement" if word.startswith("requi") else word
        before = sentence[max(0, m.start() - 60) : m.start()]
        after = sentence[m.end() : m.end() + 40]
        quoted = before[-1:] in _OPEN_Q and after[:1] in _CLOSE_Q
        bracketed = _PAREN_OPEN.search(before) is not None and _PAREN_CLOSE.match(after) is not None
        forward = not bracketed and bool(_FORWARD.match(after) or _DASH_FORWARD.match(after))
        context = (
            key == "requires-improvement"
            or quoted
            or bracketed
            or bool(_GRADE_NOUN.match(after))
            or bool(_GRADING_VERB.search(before))
            or bool(_GRADE_OF.search(before))
            or bool(_COPULA.search(before))
            or (bool(found) and forward and bool(_CHAIN.search(before)))
        )
        if context:
            found.append(_Grade(m.start(), m.end(), key, forward))
    return found


def _prose(sentence: str) -> list[tuple[str, str, int]]:
    """(area, grade, offset) pairs stated by one sentence of prose.

    An area that is the subject of a grade ("its crime recording is inadequate") belongs
    to that grade first, so a grade earlier in the sentence cannot reach forward and
    take it ("requires improvement in four areas and that its crime recording is ...").
    """
    spans = area_spans(sentence)
    if not spans:
        return []
    grades = _grades_in(sentence, spans)
    if not grades:
        return []
    subjects: set[int] = set()
    for grade in grades:
        subject = _subject_of(sentence, spans, grade)
        if subject is not None:
            subjects.add(subject)
            grade.forward_ok = False
    claimed: dict[int, str] = {}
    out: list[tuple[str, str, int]] = []
    backward: list[tuple[int, _Grade]] = []
    for n, grade in enumerate(grades):
        limit = grades[n + 1].start if n + 1 < len(grades) else len(sentence)
        taken = (
            _forward_list(sentence, spans, grade.end, limit, subjects) if grade.forward_ok else []
        )
        if taken:
            for i in taken:
                claimed[i] = grade.key
                out.append((spans[i][2], grade.key, spans[i][0]))
        else:
            backward.append((n, grade))
    for n, grade in backward:
        floor = grades[n - 1].end if n else 0
        for i in _backward_list(sentence, spans, floor, grade.start, claimed):
            claimed[i] = grade.key
            out.append((spans[i][2], grade.key, spans[i][0]))
    return out


def _subject_of(sentence: str, spans: list[tuple[int, int, str]], grade: _Grade) -> int | None:
    """The area just before a grade when only "is", "was judged to be"... stand between."""
    for i in range(len(spans) - 1, -1, -1):
        b = spans[i][1]
        if b <= grade.start:
            gap = sentence[b : grade.start]
            return i if _PREDICATE_GAP.match(gap) or _PAREN_GAP.match(gap) else None
    return None


def _forward_list(
    sentence: str,
    spans: list[tuple[int, int, str]],
    begin: int,
    limit: int,
    subjects: set[int],
) -> list[int]:
    taken: list[int] = []
    cursor = begin
    for i, (a, b, _) in enumerate(spans):
        if a < begin or b > limit:
            continue
        if i in subjects:
            break
        gap = sentence[cursor:a]
        if not taken:
            lead = _FORWARD.match(gap) or _DASH_FORWARD.match(gap)
            if len(gap) > 60 or _CLAUSE_BREAK.search(gap[lead.end() if lead else 0 :]):
                break
        elif len(gap) > 20 or not _LIST_GAP.match(gap):
            break
        taken.append(i)
        cursor = b
    return taken


def _backward_list(
    sentence: str,
    spans: list[tuple[int, int, str]],
    floor: int,
    before: int,
    claimed: dict[int, str],
) -> list[int]:
    taken: list[int] = []
    cursor = before
    for i in range(len(spans) - 1, -1, -1):
        a, b, _ = spans[i]
        if b > before:
            continue
        if a < floor or i in claimed:
            break
        gap = sentence[b:cursor]
        if not taken:
            if len(gap) > 45:
                break
        elif len(gap) > 20 or not _LIST_GAP.match(gap):
            break
        taken.append(i)
        cursor = a
    return taken


def _mask_quotes(text: ArticleText) -> list[str]:
    """Paragraphs with people's quoted words blanked (offsets kept); scare quotes stay."""
    masked = list(text.paragraphs)
    for span in text.spans:
        if len(span.text.split()) < 5:
            continue
        for index in range(span.first, span.last + 1):
            a = span.start if index == span.first else 0
            b = span.end if index == span.last else len(masked[index])
            masked[index] = masked[index][:a] + " " * (b - a) + masked[index][b:]
    return masked


def find_grades(
    text: ArticleText, published: datetime | None = None, title: str = ""
) -> list[GradeMention]:
    """Every area/grade pair the text states, in order of appearance.

    `text` is the article, prepared; `published` lets "In June ..." be recognised as
    an earlier inspection. Historic mentions are returned, flagged, so a caller can show
    them; merging ignores them. So are the prose grades of an article that is about
    something else (`title` and the opening paragraph say nothing of an inspection, no
    list or table of grades, grades in a single sentence): "takes over a force that
    inspectors rated good at managing offenders" in a story about a new chief.
    """
    paras = text.paragraphs
    masked = _mask_quotes(text)
    whole = " ".join(masked)
    gate = bool(_GATE.search(whole))
    earlier = gate and _earlier_report(whole, published)
    out: list[GradeMention] = []
    offset = 0
    heading: str | None = None  # a grade heading over the area lines that follow it
    for raw, para in zip(paras, masked, strict=True):
        line_offset = 0
        lines = para.split("\n")
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
                for start, sentence in sentences(line):
                    # "Preventing crime: Good. Investigating crime: Adequate." on one line.
                    pairs = line_grades(sentence)
                    at = offset + line_offset + start
                    for area, grade in pairs:
                        out.append(GradeMention(area, grade, at, True, False, sentence))
                    if pairs:
                        continue
                    if not gate:
                        continue
                    historic = _is_historic(sentence, published, earlier)
                    for area, grade, at in _prose(sentence):
                        out.append(
                            GradeMention(
                                area, grade, offset + line_offset + start + at, False,
                                historic, sentence,
                            )
                        )  # fmt: skip
            line_offset += len(line) + 1
        offset += len(raw) + 2
    if _in_passing(out, title, masked[0] if masked else ""):
        return [replace(m, historic=True) for m in out]
    return out


def _in_passing(found: list[GradeMention], title: str, lead: str) -> bool:
    """Whether an article's grades are a passing mention in a story about something else."""
    if not found or any(m.structured for m in found):
        return False
    if _GATE.search(title) or _GATE.search(lead):
        return False
    return len({m.evidence for m in found}) < 2
