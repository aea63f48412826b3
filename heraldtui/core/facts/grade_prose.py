"""Grades stated in a sentence of prose: which grade words grade, and which areas they take.

A sentence is cut into area mentions (`areas.area_spans`) and grade words. Area mentions
are found first, so a grade word inside an area name ("making *good* use of resources")
is never a grade. A grade word grades only in a grading context:

- after a verb of grading ("rated", "judged to be", "found the force", "ranked as",
  "classed as", "recognised as", "received a"), after a copula ("was 'good'", "is good
  at"), in scare quotes or brackets, followed by "grade"/"rating", as "requires
  improvement", or continuing such a grade ("rated good for A, and adequate for B");
- never in "'good' or 'adequate'" (two grades offered together grade nothing), never as
  an ambition ("aims to be outstanding"), and never for a number of areas ("four were
  judged good": a count, read by `grade_counts.py`, not an area's grade).

"Officers did a good job" has none of these. Each grade then takes the list of areas that
follows it when a connector leads there ("for", "at", "in", "when it comes to",
"including", "included", "which were", a colon or dash) without a new clause in between;
asides on the way do not count ("in six areas", "(HMICFRS)", "by His Majesty's
Inspectorate ..."). Otherwise it takes the list of areas just before it ("A, B and C were
judged 'adequate'", "its ability to investigate crime as 'adequate'"). An area that is the
subject of a grade ("its crime recording is inadequate") keeps that grade: no grade earlier
in the sentence reaches it. A list is areas joined by commas, semicolons, "and", "or",
quote marks and repeated prepositions; one short item the table does not know may sit
between two separators (a typo, an area of another framework) and is skipped, not graded.
An area after "except", "apart from" or "other than" is excluded from the grade before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from heraldtui.core.facts.areas import area_spans
from heraldtui.core.facts.grade_counts import COUNT_SUBJECT, NUMBER
from heraldtui.core.read.lexicon import GRADE_PATTERN, GRADED, GRADING, words_pattern

_PROSE_GRADE = re.compile(rf"\b({GRADE_PATTERN})\b", re.IGNORECASE)
_OPEN_Q = "\"'“‘"
_CLOSE_Q = "\"'”’"
_Q_OPEN = "[\"'“‘]?"
_Q_CLOSE = "[\"'”’]?"
_GRADING_VERB = re.compile(
    rf"\b(?:{words_pattern(GRADING)})\s+"
    r"(?:(?:the\s+force|the\s+constabulary|the\s+service|it|them|as|to\s+be|being|an?|"
    r"overall)\s+){0,3}"
    rf"{_Q_OPEN}$",
    re.IGNORECASE,
)
_GRADE_OF = re.compile(
    rf"\b(?:grade|grading|rating|verdict|judgment|judgement)\s+of\s+{_Q_OPEN}$", re.IGNORECASE
)
_GRADE_NOUN = re.compile(rf"^{_Q_CLOSE}\s+(?:grade|grading|rating)s?\b", re.IGNORECASE)
"""After a grade word that names a grade: "an inadequate grade for", "a good rating"."""
_PAREN_OPEN = re.compile(rf"\(\s*{_Q_OPEN}$")
_PAREN_CLOSE = re.compile(rf"^{_Q_CLOSE}\s*\)")
_COPULA = re.compile(
    r"\b(?:is|was|are|were|be|been|being|remains|remained|now|still|as):?\s+"
    rf"(?:(?:now|still|also|only|again|both)\s+)?{_Q_OPEN}$",
    re.IGNORECASE,
)
_CHAIN = re.compile(rf"(?:,|\band|\bbut|\bor|;)\s*{_Q_OPEN}$", re.IGNORECASE)
_EITHER = re.compile(rf"^{_Q_CLOSE}\s*(?:,\s*)?or\s+{_Q_OPEN}$|^{_Q_CLOSE}\s*/\s*{_Q_OPEN}$")
"""Between two grades offered together ("'good' or 'adequate' in all areas")."""
_AMBITION = re.compile(
    r"\b(?:aims?|aiming|ambitions?|aspires?|aspiration|wants?|wanted|strive|striving|goal|"
    r"hopes?|hoping|determined|become|becoming|target)\b[^.;]{0,40}$",
    re.IGNORECASE,
)
"""Words that make a grade something hoped for: "we want to be rated outstanding"."""
_NOT_THIS = re.compile(
    r"(?:\b(?:no|not|never|none|nor|without|missed\s+out\s+on|failed\s+to\s+(?:get|win|"
    r"achieve|secure|earn))\b[^.;,]{0,30}"
    rf"|\b(?:{NUMBER}|\d+|several|many|most|other|all|neighbouring)\s+(?:other\s+)?forces\b"
    r"[^.;]{0,40})$",
    re.IGNORECASE,
)
"""A grade denied ("no areas were graded inadequate", "missed out on an 'outstanding'") or
given to other forces ("eight forces were rated inadequate"): no grade of this force."""
_COUNT_SUBJECT = re.compile(rf"{COUNT_SUBJECT}{_Q_OPEN}$", re.IGNORECASE)
"""A number as the subject of a grade ("four were judged good"): a count of areas."""
_FORWARD = re.compile(
    rf"^{_Q_CLOSE}\s*,?\s*(?:(?:grades?|gradings?|ratings?)\s*,?\s+)?"
    r"(?:for|at|in|on|across|around|over|when\s+it\s+(?:comes|came)\s+to|with\s+regard\s+to|"
    r"regarding|in\s+(?:respect|terms|relation)\s+(?:of|to)|includ(?:e|es|ed|ing)|"
    r"which\s+(?:were|was|are|is)|namely|were|are|was|is)\b",
    re.IGNORECASE,
)
_DASH_FORWARD = re.compile(rf"^{_Q_CLOSE}\s*[:–—]\s")
_ASIDE = re.compile(
    r"\([^()]{0,120}\)|\s[–—]\s[^–—]{1,60}\s[–—](?=\s)"
    rf"|\b(?:in|across)\s+(?:all\s+)?(?:{NUMBER}\s+)?(?:(?:other|more|key|of\s+the|out\s+of\s+"
    rf"{NUMBER})\s+)*(?:areas?|categories|pillars)(?:\s+of\s+policing)?"
    r"|\bby\s+(?:the\s+)?(?:His|Her|HM)\b(?:\s+(?:[A-Z][\w’'&-]*|of|and|&|the))+",
)
"""What may stand between a grade and its list without breaking it: "in six areas",
"(HMICFRS)", "by His Majesty's Inspectorate of Constabulary", "– the lowest grade –"."""
_LIST_GAP = re.compile(
    rf"^[\s,;&–—\-\"'“”‘’]*(?:(?:and|or|as\s+well\s+as|plus)\s+)?(?:(?:at|for|in|on)\s+)?"
    rf"(?:(?:its|the|their)\s+)?{_Q_OPEN}$",
    re.IGNORECASE,
)
_SKIPPED_ITEM = re.compile(
    rf"^{_Q_CLOSE}\s*[,;]\s*{_Q_OPEN}(?:[A-Za-z’'&-]+\s+){{0,3}}[A-Za-z’'&-]+{_Q_CLOSE}"
    rf"(?:\s*[,;]\s*(?:and\s+)?|\s+and\s+){_Q_OPEN}$"
)
"""One short item the area table does not know, between two separators of a list."""
_CLAUSE_BREAK = re.compile(
    r"\b(?:that|which|while|whilst|whereas|but|although|though|however|because|when|where|"
    r"is|was|are|were|has|have|had|will|would|except|excluding|apart\s+from|other\s+than|"
    r"with\s+the\s+exception\s+of)\b|;",
    re.IGNORECASE,
)
"""Words that start a new clause or an exception: a grade does not reach past them."""
_PREDICATE_GAP = re.compile(
    r"^[\s\"'”’]*(?:(?:is|was|are|were|be|been|being|has|have|had|remains?|remained|now|"
    rf"still|also|only|again|{words_pattern(GRADED)}|to|as):?\s+)+"
    rf"{_Q_OPEN}$",
    re.IGNORECASE,
)
_PAREN_GAP = re.compile(rf"^\s*\(\s*{_Q_OPEN}$")
_RELATIVE_GAP = re.compile(
    r"^\s*,?\s*(?:which|that)\b[^;:()]{0,100}\b(?:is|was|are|were|has\s+been|have\s+been)\s+"
    rf"(?:(?:also|now|still|again)\s+)?(?:{words_pattern(GRADED)})\s+(?:as\s+|to\s+be\s+)?"
    rf"{_Q_OPEN}$",
    re.IGNORECASE,
)
"""An area, then a relative clause that grades it: "crime recording, which was inspected
last year and which is rated as 'outstanding'"."""
_SAME_GRADE = re.compile(
    r"\b(?:the\s+same|an\s+identical|a\s+matching)\s+(?:grade|grading|rating|judgement|judgment)\b",
    re.IGNORECASE,
)
"""A grade given by reference to the one just stated: "the same grade was given for X"."""
"""Between an area and its grade when the clause states the grade of that area
("its recording of data about crime is inadequate", "leadership was judged to be good")."""

Span = tuple[int, int, str]


@dataclass(slots=True)
class _Grade:
    start: int
    end: int
    key: str
    forward_ok: bool
    backward_ok: bool = True
    strong: bool = False
    """Stated with a verb or noun of grading or in marks, not only after "is"."""


def _grades_in(sentence: str, spans: list[Span], previous: str | None = None) -> list[_Grade]:
    found: list[_Grade] = []
    if previous is not None:
        for m in _SAME_GRADE.finditer(sentence):
            after = sentence[m.end() : m.end() + 40]
            forward = bool(_FORWARD.match(after) or _DASH_FORWARD.match(after))
            found.append(_Grade(m.start(), m.end(), previous, forward, True, True))
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
        strong = (
            quoted
            or bracketed
            or bool(_GRADE_NOUN.match(after))
            or bool(_GRADING_VERB.search(before))
            or bool(_GRADE_OF.search(before))
        )
        context = (
            strong
            or key == "requires-improvement"
            or bool(_COPULA.search(before))
            or (bool(found) and forward and bool(_CHAIN.search(before)))
        )
        if not context or _AMBITION.search(before) or _NOT_THIS.search(before):
            continue
        if found and _EITHER.match(sentence[found[-1].end : m.start()]):
            found.pop()  # "'good' or 'adequate'": neither grades anything
            continue
        counted = bool(_COUNT_SUBJECT.search(before))
        found.append(_Grade(m.start(), m.end(), key, forward, not counted, strong))
    return sorted(found, key=lambda g: g.start)


def refers_to_grade(sentence: str) -> bool:
    """Whether a sentence gives a grade by reference ("the same grade"), with no word of
    its own."""
    return _SAME_GRADE.search(sentence) is not None


def prose_grades(
    sentence: str, strong_only: bool = False, previous: str | None = None
) -> list[tuple[str, str, int]]:
    """(area, grade, offset) pairs stated by one sentence of prose (module docstring).

    `strong_only` keeps only grades stated with a word of grading or in marks: what a
    person's quoted words may state ("which was recognised as Good"), where "we are good
    at ..." is a claim, not the inspectorate's grade. `previous` is the grade the sentence
    before stated, which "the same grade" refers to.
    """
    if _PROSE_GRADE.search(sentence) is None and (
        previous is None or not refers_to_grade(sentence)
    ):
        return []  # no grade to state: the area regex, the costly part, need not run
    spans = area_spans(sentence)
    if not spans:
        return []
    grades = [g for g in _grades_in(sentence, spans, previous) if g.strong or not strong_only]
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
        elif grade.backward_ok:
            backward.append((n, grade))
    for n, grade in backward:
        floor = grades[n - 1].end if n else 0
        for i in _backward_list(sentence, spans, floor, grade.start, claimed):
            claimed[i] = grade.key
            out.append((spans[i][2], grade.key, spans[i][0]))
    return out


def _subject_of(sentence: str, spans: list[Span], grade: _Grade) -> int | None:
    """The area just before a grade when only "is", "was judged to be"... stand between."""
    for i in range(len(spans) - 1, -1, -1):
        b = spans[i][1]
        if b <= grade.start:
            gap = sentence[b : grade.start]
            return i if _PREDICATE_GAP.match(gap) or _PAREN_GAP.match(gap) else None
    return None


def _without_asides(gap: str) -> str:
    return _ASIDE.sub(" ", gap)


def _forward_list(
    sentence: str, spans: list[Span], begin: int, limit: int, subjects: set[int]
) -> list[int]:
    taken: list[int] = []
    cursor = begin
    skipped = False
    for i, (a, b, _) in enumerate(spans):
        if a < begin or b > limit:
            continue
        if i in subjects:
            break
        gap = sentence[cursor:a]
        if not taken:
            gap = _without_asides(gap)
            lead = _FORWARD.match(gap) or _DASH_FORWARD.match(gap)
            if len(gap) > 60 or _CLAUSE_BREAK.search(gap[lead.end() if lead else 0 :]):
                break
        elif len(gap) > 20 or not _LIST_GAP.match(gap):
            if (
                skipped
                or not _SKIPPED_ITEM.match(gap)
                or _CLAUSE_BREAK.search(gap.replace(";", ","))
            ):
                break
            skipped = True
        taken.append(i)
        cursor = b
    return taken


def _backward_list(
    sentence: str, spans: list[Span], floor: int, before: int, claimed: dict[int, str]
) -> list[int]:
    taken: list[int] = []
    cursor = before
    skipped = False
    for i in range(len(spans) - 1, -1, -1):
        a, b, _ = spans[i]
        if b > before:
            continue
        if a < floor or i in claimed:
            break
        gap = sentence[b:cursor]
        if not taken:
            if len(gap) > 45 and not _RELATIVE_GAP.match(gap):
                break
        elif len(gap) > 20 or not _LIST_GAP.match(gap):
            if skipped or not _skippable(gap):
                break
            skipped = True
        taken.append(i)
        cursor = a
    return taken


def _skippable(gap: str) -> bool:
    """Whether a gap between two areas of a list is one short item the table does not know
    ("preventing crime, police powers and managing offenders"), not a new clause."""
    return bool(_SKIPPED_ITEM.match(gap)) and not _CLAUSE_BREAK.search(gap.replace(";", ","))
