"""Inspection grades in an article's text, however the outlet writes them.

The area names come from data (`data/peel_areas.toml`): every framework's official names
and the phrases outlets use instead. The parser accepts three shapes:

1. **Lines** - a list item, a table row or an "Area: Grade" line whose two parts are
   exactly an area name and a grade (`Recording data about crime - Inadequate`,
   `| Preventing crime | Good |`). Grade words here are matched leniently (case, spacing,
   one or two typing mistakes: "Requirse improvement"), because nothing else can sit there.
   Tables are read with their header row: a column headed as the earlier inspection
   ("Previous grade", the older of two years) is historic, and a table whose headers are
   the areas is read column by column. Several "Area: Grade" sentences may share a line.
2. **Prose** - a sentence is cut into area mentions and grade words. Area mentions are
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
3. **Grade headings** - a line that is only a grade ("**Good**", "Requires improvement:")
   grades every area line under it (one per line, `<br>` or list items, across a blank
   line) until a line that is neither an area nor another heading.
4. **Context** - a sentence that restates an earlier inspection ("Last June's report
   rated...", "In June the force was rated..." in an October article, "last year",
   "previous inspection", and "that report" / "at the time" in an article that also
   speaks of an earlier report: a revisit, a report dated months back) yields mentions
   flagged `historic`, which the merge ignores; so do the prose grades of an article about
   something else that mentions them in passing (see `find_grades`).

Area names are matched loosely: "its", "the" and "their" stand for each other, and "the
public" also reads "people" or "members of the public".

Prose grades are only read in texts that talk about an inspection at all (inspection,
inspectorate, PEEL, grade, rated...), and never inside a quoted passage of a person:
what a chief constable says about being "good at" something is not a grade.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache
from importlib import resources

from heraldtui.core.read.dates import MONTH_PATTERN, MonthMention, find_months, month_year
from heraldtui.core.text.prose import edit_distance, fold, paragraphs, quote_spans, sentences


@dataclass(frozen=True, slots=True)
class Area:
    """One graded inspection area: canonical key, official label, the names outlets use."""

    key: str
    label: str
    framework: str
    aliases: tuple[str, ...]


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


@cache
def areas() -> tuple[Area, ...]:
    """The area table, in display order (the 2023-25 areas first, then older ones)."""
    raw = resources.files("heraldtui.core.data").joinpath("peel_areas.toml").read_text("utf-8")
    table = tomllib.loads(raw)["areas"]
    return tuple(
        Area(key, str(v["label"]), str(v.get("framework", "")), tuple(v.get("aliases", ())))
        for key, v in table.items()
    )


def area_keys() -> tuple[str, ...]:
    """Canonical area keys in display order."""
    return tuple(a.key for a in areas())


def area_label(key: str) -> str:
    """The official label of an area key; an unknown key is shown as itself, readable."""
    for area in areas():
        if area.key == key:
            return area.label
    return key.replace("-", " ").capitalize()


_DETERMINER = r"(?:its|the|their|our)"
_THE_PUBLIC = r"(?:(?:members\s+of\s+)?the\s+public|people)"


def _alias_pattern(alias: str) -> str:
    """An alias as a loose pattern: "and" or "&", any possessive for "its"/"the", and
    "people" or "members of the public" for "the public" (outlets paraphrase freely)."""
    words = []
    lowered = alias.lower().replace("antisocial", "anti-social")
    lowered = re.sub(r"\bthe public\b", "\x00", lowered)
    for word in lowered.split():
        comma = word.endswith(",")
        word = word.rstrip(",")
        if word == "and":
            piece = r"(?:and|&)"
        elif word == "\x00":
            piece = _THE_PUBLIC
        elif word in ("its", "the", "their", "our"):
            piece = _DETERMINER
        else:
            piece = r"[-\s]?".join(re.escape(part) for part in word.split("-"))
        words.append(piece + (",?" if comma else ""))
    return r"\s+".join(words)


@cache
def _area_regex() -> tuple[re.Pattern[str], tuple[str, ...]]:
    pairs = sorted(
        ((alias, area.key) for area in areas() for alias in area.aliases),
        key=lambda p: -len(p[0]),
    )
    body = "|".join(f"({_alias_pattern(alias)})" for alias, _ in pairs)
    return re.compile(rf"\b(?:{body})\b", re.IGNORECASE), tuple(key for _, key in pairs)


def _area_spans(text: str) -> list[tuple[int, int, str]]:
    pattern, keys = _area_regex()
    return [(m.start(), m.end(), keys[(m.lastindex or 1) - 1]) for m in pattern.finditer(text)]


def area_key(name: str) -> str | None:
    """The area key for a whole name (a table cell, a list item's left part), or None."""
    cleaned = name.strip(" \t*_:-–—.;'\"“”‘’")
    pattern, keys = _area_regex()
    m = pattern.fullmatch(cleaned)
    return keys[(m.lastindex or 1) - 1] if m else None


_GRADE_WORDS: dict[str, str] = {
    "outstanding": "outstanding",
    "good": "good",
    "adequate": "adequate",
    "requires improvement": "requires-improvement",
    "require improvement": "requires-improvement",
    "requiring improvement": "requires-improvement",
    "required improvement": "requires-improvement",
    "inadequate": "inadequate",
}
_RI = re.compile(r"requi[a-z]{0,6}\s+improvements?", re.IGNORECASE)


def grade_key(word: str) -> str | None:
    """A grade word as written (any case, a typo or two) -> its key, or None.

    For whole cells and list items only: in prose, near-misses are ordinary words.
    """
    cleaned = " ".join(fold(word).strip(" *_:-.;'\"()[]").split())
    if not cleaned or len(cleaned) > 30:
        return None
    if cleaned in _GRADE_WORDS:
        return _GRADE_WORDS[cleaned]
    if _RI.fullmatch(cleaned):
        return "requires-improvement"
    best: tuple[int, str] | None = None
    for spelling, key in _GRADE_WORDS.items():
        if len(spelling) < 6:
            continue
        distance = edit_distance(cleaned, spelling, 2)
        if distance <= 2 and (best is None or distance < best[0]):
            best = (distance, key)
    return best[1] if best else None


_PROSE_GRADE = re.compile(
    r"\b(outstanding|inadequate|adequate|good|requi[a-z]{0,6}\s+improvements?)\b",
    re.IGNORECASE,
)
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
_GATE = re.compile(
    r"inspect|hmic|peel\b|grade|graded|\brated\b|rating|watchdog|judged", re.IGNORECASE
)

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
    spans = _area_spans(sentence)
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


_BULLET = re.compile(r"^\s*(?:[-*+•·▪]|\d{1,3}[.)])\s+")
_LINE_SPLIT = re.compile(r"\s*(?::|\s[-–—]+|[-–—]+\s|\t)\s*")


_AREA_LIST_GAP = re.compile(r"^[\s,;&/]*(?:(?:and|or)\s+)?$", re.IGNORECASE)


def _area_list(text: str) -> list[str] | None:
    """The areas of a text that is nothing but a list of areas ("A, B and C"), or None."""
    cleaned = text.strip(" \t*_.;:'\"“”‘’")
    spans = _area_spans(cleaned)
    if not spans:
        return None
    cursor = 0
    for a, b, _ in spans:
        if not _AREA_LIST_GAP.match(cleaned[cursor:a]):
            return None
        cursor = b
    if cleaned[cursor:].strip(" \t*_"):
        return None
    return [key for _, _, key in spans]


def _line(line: str) -> list[tuple[str, str]]:
    """(area, grade) pairs when a whole line is a list item or "Area: Grade" line.

    One side may be a list of areas sharing the grade ("Requires improvement: A, B and C").
    """
    body = _BULLET.sub("", line).strip()
    if len(body) > 200:
        return []
    parts = _LINE_SPLIT.split(body)
    if len(parts) < 2:
        return []
    for cut in range(1, len(parts)):
        left = " - ".join(parts[:cut])
        right = " - ".join(parts[cut:])
        area, grade = area_key(left), grade_key(right)
        if area and grade:
            return [(area, grade)]
        area, grade = area_key(right), grade_key(left)
        if area and grade:
            return [(area, grade)]
    left, right = parts[0], " - ".join(parts[1:])
    for names, word in ((left, right), (right, left)):
        grade = grade_key(word)
        listed = _area_list(names) if grade else None
        if grade and listed:
            return [(area, grade) for area in listed]
    return []


_SEPARATOR_CELL = re.compile(r"^:?-{2,}:?$")
_OLD_COLUMN = re.compile(r"\b(?:previous|last|prior|earlier|old|former|before|was)\b", re.I)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _cells(line: str) -> list[str] | None:
    """A table row's cells, or None when the line is not a table row."""
    body = line.strip()
    if "|" not in body or len(body) > (400 if body.startswith("|") else 120):
        return None
    cells = [c.strip() for c in body.strip("|").split("|")]
    return cells if len(cells) >= 2 else None


def _table(lines: list[str]) -> dict[int, list[tuple[str, str, bool]]]:
    """(area, grade, historic) triples of each table row of a paragraph, by line index.

    A row names an area in one cell and grades in others; a header row (the one above the
    `---` line) says which column is which. When a row has several grades, a column whose
    header says it is the earlier one ("Previous grade", the older of two years) is
    historic and the last remaining one is the current grade. A table with the areas as
    column headers and a row of grades is read column by column.
    """
    rows = {i: cells for i, line in enumerate(lines) if (cells := _cells(line))}
    header: list[str] = []
    out: dict[int, list[tuple[str, str, bool]]] = {}
    for i, cells in rows.items():
        if all(_SEPARATOR_CELL.match(c) or not c for c in cells):
            header = rows.get(i - 1, [])
            out.pop(i - 1, None)
            continue
        areas = [(n, k) for n, c in enumerate(cells) if (k := area_key(c))]
        grades = [(n, k) for n, c in enumerate(cells) if (k := grade_key(c))]
        if not grades:
            continue
        found: list[tuple[str, str, bool]] = []
        if len(areas) == 1:
            found = _row_grades(areas[0][1], grades, header)
        elif not areas and header:
            found = [
                (k, g, False) for n, g in grades if n < len(header) and (k := area_key(header[n]))
            ]
        if found:
            out[i] = found
    return out


def _row_grades(
    area: str, grades: list[tuple[int, str]], header: list[str]
) -> list[tuple[str, str, bool]]:
    if len(grades) == 1:
        return [(area, grades[0][1], False)]
    titles = [header[n] if n < len(header) else "" for n, _ in grades]
    years = [int(m.group(0)) if (m := _YEAR.search(t)) else None for t in titles]
    newest = max((y for y in years if y is not None), default=None)
    old = [
        bool(_OLD_COLUMN.search(t)) or (y is not None and newest is not None and y < newest)
        for t, y in zip(titles, years, strict=True)
    ]
    current = max((n for n, is_old in enumerate(old) if not is_old), default=len(grades) - 1)
    return [(area, g, n != current) for n, (_, g) in enumerate(grades)]


_HEADING_MARKS = re.compile(r"^\s*(?:#{1,6}\s+|[-*+•·▪]\s+)?")


def _grade_heading(line: str) -> str | None:
    """The grade of a line that is nothing but a grade, as a heading over a list of areas
    ("**Good**", "Requires improvement:", "### Adequate"), or None."""
    body = _HEADING_MARKS.sub("", line).strip(" \t*_:–—-")
    if not body or len(body.split()) > 3 or _area_spans(body):
        return None
    return grade_key(body)


def _mask_quotes(paras: list[str]) -> list[str]:
    """Paragraphs with people's quoted words blanked (offsets kept); scare quotes stay."""
    masked = list(paras)
    for span in quote_spans(paras):
        if len(span.text.split()) < 5:
            continue
        for index in range(span.first, span.last + 1):
            a = span.start if index == span.first else 0
            b = span.end if index == span.last else len(masked[index])
            masked[index] = masked[index][:a] + " " * (b - a) + masked[index][b:]
    return masked


def find_grades(
    text: str, published: datetime | None = None, title: str = ""
) -> list[GradeMention]:
    """Every area/grade pair the text states, in order of appearance.

    `text` is the article's Markdown; `published` lets "In June ..." be recognised as
    an earlier inspection. Historic mentions are returned, flagged, so a caller can show
    them; merging ignores them. So are the prose grades of an article that is about
    something else (`title` and the opening paragraph say nothing of an inspection, no
    list or table of grades, grades in a single sentence): "takes over a force that
    inspectors rated good at managing offenders" in a story about a new chief.
    """
    paras = paragraphs(text)
    masked = _mask_quotes(paras)
    whole = " ".join(masked)
    gate = bool(_GATE.search(whole))
    earlier = gate and _earlier_report(whole, published)
    out: list[GradeMention] = []
    offset = 0
    heading: str | None = None  # a grade heading over the area lines that follow it
    for raw, para in zip(paras, masked, strict=True):
        line_offset = 0
        lines = para.split("\n")
        table = _table(lines)
        for index, line in enumerate(lines):
            graded = _grade_heading(line)
            listed = _area_list(_BULLET.sub("", line)) if heading is not None else None
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
            if index in table or _cells(line):
                for area, grade, old in table.get(index, []):
                    at = offset + line_offset
                    out.append(GradeMention(area, grade, at, True, old, line))
                line_offset += len(line) + 1
                continue
            pairs = _line(line) if line.strip() else []
            if pairs:
                for area, grade in pairs:
                    out.append(GradeMention(area, grade, offset + line_offset, True, False, line))
            else:
                for start, sentence in sentences(line):
                    # "Preventing crime: Good. Investigating crime: Adequate." on one line.
                    pairs = _line(sentence)
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
