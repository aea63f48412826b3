"""Grades stated by the shape of a line: list items, "Area: Grade" lines, tables, headings.

1. **Lines** - a list item, a table row or an "Area: Grade" line whose two parts are
   exactly an area name and a grade (`Recording data about crime - Inadequate`,
   `| Preventing crime | Good |`). Grade words here are matched leniently (case, spacing,
   one or two typing mistakes: "Requirse improvement"), because nothing else can sit there.
   Tables are read with their header row: a column headed as the earlier inspection
   ("Previous grade", the older of two years) is historic, and a table whose headers are
   the areas is read column by column. Several "Area: Grade" sentences may share a line.
2. **Grade headings** - a line that is only a grade ("**Good**", "Requires improvement:")
   grades every area line under it (one per line, `<br>` or list items, across a blank
   line) until a line that is neither an area nor another heading.

These are copied from the report, so `grades.find_grades` marks them `structured`: they
win over prose within one article.
"""

from __future__ import annotations

import re

from heraldtui.core.facts.areas import area_key, area_spans, grade_key

BULLET = re.compile(r"^\s*(?:[-*+•·▪]|\d{1,3}[.)])\s+")
_LINE_SPLIT = re.compile(r"\s*(?::|\s[-–—]+|[-–—]+\s|\t)\s*")


_AREA_LIST_GAP = re.compile(r"^[\s,;&/]*(?:(?:and|or)\s+)?$", re.IGNORECASE)


def area_list(text: str) -> list[str] | None:
    """The areas of a text that is nothing but a list of areas ("A, B and C"), or None."""
    cleaned = text.strip(" \t*_.;:'\"“”‘’")
    spans = area_spans(cleaned)
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


def line_grades(line: str) -> list[tuple[str, str]]:
    """(area, grade) pairs when a whole line is a list item or "Area: Grade" line.

    One side may be a list of areas sharing the grade ("Requires improvement: A, B and C").
    """
    body = BULLET.sub("", line).strip()
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
        listed = area_list(names) if grade else None
        if grade and listed:
            return [(area, grade) for area in listed]
    return []


_SEPARATOR_CELL = re.compile(r"^:?-{2,}:?$")
_OLD_COLUMN = re.compile(r"\b(?:previous|last|prior|earlier|old|former|before|was)\b", re.I)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def table_cells(line: str) -> list[str] | None:
    """A table row's cells, or None when the line is not a table row."""
    body = line.strip()
    if "|" not in body or len(body) > (400 if body.startswith("|") else 120):
        return None
    cells = [c.strip() for c in body.strip("|").split("|")]
    return cells if len(cells) >= 2 else None


def table_grades(lines: list[str]) -> dict[int, list[tuple[str, str, bool]]]:
    """(area, grade, historic) triples of each table row of a paragraph, by line index.

    A row names an area in one cell and grades in others; a header row (the one above the
    `---` line) says which column is which. When a row has several grades, a column whose
    header says it is the earlier one ("Previous grade", the older of two years) is
    historic and the last remaining one is the current grade. A table with the areas as
    column headers and a row of grades is read column by column.
    """
    rows = {i: cells for i, line in enumerate(lines) if (cells := table_cells(line))}
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


def grade_heading(line: str) -> str | None:
    """The grade of a line that is nothing but a grade, as a heading over a list of areas
    ("**Good**", "Requires improvement:", "### Adequate"), or None."""
    body = _HEADING_MARKS.sub("", line).strip(" \t*_:–—-")
    if not body or len(body.split()) > 3 or area_spans(body):
        return None
    return grade_key(body)
