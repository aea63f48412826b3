"""How many areas got each grade, when an outlet gives counts instead of areas.

The most common real wording of a PEEL result is the inspectorate's own count sentence,
which many outlets copy and then name only one or two areas, or none: "found the force
was 'good' in four areas, 'adequate' in two and 'requires improvement' in three". Counts
are kept as a fact of their own, read in these shapes (N a number, in words or digits):

- a grade, then how many areas: "'good' in four areas", "adequate in two", "requires
  improvement in three out of nine", "'adequate' in the remaining two";
- a number of grades: "six 'outstanding' grades", "two 'good' ratings";
- a number of areas as the subject: "four were judged good", "one as adequate", "three
  areas were rated 'requires improvement'".

Never a count: a number of forces ("eight forces were rated inadequate"), a year ("good in
2019"), or a grade of an earlier inspection (the sentence is historic, as for area grades).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from heraldtui.core.models import CountConflict, GradeCounts, GradeFact
from heraldtui.core.read.lexicon import GRADE_PATTERN, GRADED, words_pattern

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
MAX_AREAS = 12
"""No framework grades more areas than this: a larger number counts something else."""

NUMBER = rf"(?:{'|'.join(NUMBER_WORDS)}|\d{{1,2}})"
"""A number of areas, in words or digits (a regex fragment, no group)."""
_N = rf"(?P<n>{NUMBER})"
_Q_OPEN = "[\"'“‘]?"
_Q_CLOSE = "[\"'”’]?"
_G = rf"{_Q_OPEN}(?P<g>{GRADE_PATTERN}){_Q_CLOSE}"
_GRADE_THEN_NUMBER = re.compile(
    rf"\b{_G}\s+(?:grades?\s+|ratings?\s+)?(?:in|across|for)\s+(?:the\s+(?:other|remaining)\s+)?"
    rf"{_N}\b(?!\s*(?:forces|per\s*cent|%))",
    re.IGNORECASE,
)
_NUMBER_OF_GRADES = re.compile(
    rf"\b{_N}\s+(?:(?:other|more|further)\s+)?{_G}\s+(?:grades|gradings|ratings|judgements|"
    r"judgments|scores|grade|grading|rating|judgement|judgment|score)\b",
    re.IGNORECASE,
)
COUNT_SUBJECT = (
    rf"\b{NUMBER}\s+(?=[a-z])(?!(?:{GRADE_PATTERN})\b)"
    r"(?:(?:other|more|further|remaining)\s+)?(?:(?:key\s+)?(?:areas?|categories|"
    r"of\s+(?:them|these|the\s+areas))\s+)?"
    r"(?:(?:was|were|is|are|has\s+been|have\s+been)\s+)?"
    rf"(?:(?:{words_pattern(GRADED)})\s+)?(?:(?:to\s+be|as)\s+)?"
)
"""A number as the subject of a grade, up to the grade ("four were judged", "one as",
"three areas were rated"): what follows is a count, not one area's grade. A number right
before a grade word ("11 good years") is no subject."""
_NUMBER_AS_SUBJECT = re.compile(
    rf"{COUNT_SUBJECT.replace(NUMBER, _N, 1)}{_G}(?!\s+(?:at|in|for|on)\s+(?!{NUMBER}))",
    re.IGNORECASE,
)
"""A number of areas graded alike ("four were judged good"), not a number that leads into
an area ("one area rated good at preventing crime" is that area's grade)."""


@dataclass(frozen=True, slots=True)
class CountMention:
    """One "N areas got this grade" statement at one place in an article."""

    grade: str
    count: int
    start: int


def _number(word: str) -> int:
    return NUMBER_WORDS.get(word.lower()) or int(word)


def _grade(word: str) -> str:
    lowered = word.lower()
    return "requires-improvement" if lowered.startswith("requi") else lowered


_EITHER_BEFORE = re.compile(rf"{GRADE_PATTERN}{_Q_CLOSE}\s+or\s+{_Q_OPEN}$", re.IGNORECASE)
"""A grade offered as one of two ("requiring improvement or inadequate in five"): the
count is of both together, not of either."""


def sentence_counts(sentence: str) -> list[CountMention]:
    """The grade counts one sentence states, in order (see the module docstring)."""
    found: dict[int, CountMention] = {}
    for pattern in (_GRADE_THEN_NUMBER, _NUMBER_OF_GRADES, _NUMBER_AS_SUBJECT):
        for m in pattern.finditer(sentence):
            count = _number(m["n"])
            at = m.start("g")
            if _EITHER_BEFORE.search(sentence, 0, m.start()):
                continue
            if 0 < count <= MAX_AREAS and at not in found:
                found[at] = CountMention(_grade(m["g"]), count, at)
    return [found[at] for at in sorted(found)]


GRADE_ORDER = ("outstanding", "good", "adequate", "requires-improvement", "inadequate")


def article_counts(mentions: list[CountMention]) -> dict[str, int]:
    """One article's count per grade: the first it states (a later one restates it)."""
    counts: dict[str, int] = {}
    for m in mentions:
        counts.setdefault(m.grade, m.count)
    return counts


def merge_counts(
    per_article: list[tuple[str, bool, dict[str, int]]], grades: tuple[GradeFact, ...]
) -> GradeCounts | None:
    """A story's counts from its articles' (link, from the inspectorate, counts), oldest
    first, checked against the areas the story grades.

    Per grade the inspectorate's count wins, then the count most articles give, then the
    earliest; other counts are conflicts. So is a grade given to more areas than its
    count allows (three areas graded good where the count says two).
    """
    values: dict[str, dict[int, list[str]]] = {}
    official: dict[tuple[str, int], int] = {}
    for link, inspectorate, counts in per_article:
        for grade, count in counts.items():
            values.setdefault(grade, {}).setdefault(count, []).append(link)
            official[grade, count] = official.get((grade, count), 0) + inspectorate
    if not values:
        return None
    chosen: list[tuple[str, int]] = []
    sources: dict[str, None] = {}
    conflicts: list[CountConflict] = []
    for grade in sorted(values, key=GRADE_ORDER.index):
        by_count = values[grade]
        ranked = sorted(
            by_count,
            key=lambda c: (-official[grade, c], -len(by_count[c]), list(by_count).index(c)),
        )
        chosen.append((grade, ranked[0]))
        sources.update(dict.fromkeys(by_count[ranked[0]]))
        conflicts.extend(CountConflict(grade, c, tuple(by_count[c])) for c in ranked[1:])
        named = tuple(g.area for g in grades if g.grade == grade)
        if len(named) > ranked[0]:
            conflicts.append(CountConflict(grade, len(named), areas=named))
    return GradeCounts(tuple(chosen), tuple(sources), tuple(conflicts))
