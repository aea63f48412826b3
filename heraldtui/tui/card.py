"""What the story view shows, as `Content` lines: header, report card, quotes, meetings.

Pure functions of a merged story (and, for the report card, a width), so the layout is
tested without an app. Every feed-derived string goes through `plain()`; styles are theme
variables, so themes apply.

The report card is laid out by hand rather than as a table: a grade word is never cut
or wrapped ("Requires improvement" is the longest), the area wraps under itself, and the
footnotes sit at the right edge, so each area reads on one line at 80 columns:

    ✖ Inadequate            Recording data about crime                    [1,2]
      ⚠ [3] says Requires improvement
    ▲ Good                  Preventing crime                              [1,2,3]

A grade carries a symbol as well as a colour, and its word is always printed: colour is
the third channel, never the only one. Counts ("good in 2 areas, ...") come first, as a
line of their own with their footnotes and disagreements. When the force was inspected
before, each area says under it how its grade moved, and since when:

    ▲ Good                  Recording data about crime                    [1,2]
      ↑ up from Requires improvement (6 June 2024)
"""

from __future__ import annotations

from datetime import date

from textual.content import Content

from heraldtui.core.models import (
    DocumentFact,
    MeetingFact,
    MergedStory,
    QuoteFact,
    RelatedStory,
)
from heraldtui.core.output.wording import (
    GRADE_SYMBOLS,
    Footnotes,
    GradeChange,
    change_phrase,
    conflict_phrase,
    count_conflict_phrase,
    counts_phrase,
    coverage_phrase,
    days_away,
    document_word,
    grade_change,
    grade_word,
    kind_word,
    meeting_day,
    outlet_names,
    related_phrase,
)
from heraldtui.tui.present import first_date, latest_date, plain, short_date

GRADE_STYLES: dict[str, str] = {
    "outstanding": "bold $text-primary",
    "good": "$text-success",
    "adequate": "",
    "requires-improvement": "bold $text-warning",
    "inadequate": "bold $text-error",
}
"""Blue, green, plain, amber, red: hue and lightness both step from best to worst."""
CONFLICT_STYLE = "italic $text-warning"
CHANGE_STYLES: dict[GradeChange, str] = {
    "improved": "$text-success",
    "worse": "bold $text-warning",
    "same": "$foreground-muted",
    "new": "$foreground-muted",
    "changed": "$foreground-muted",
}
"""A change since the previous inspection: its arrow and words say it, colour repeats it."""
WARNING = "⚠"
MUTED = "$foreground-muted"
_GAP = 2
PARAGRAPH = "\n\n"


def grade_label(grade: str) -> Content:
    """`▼ Requires improvement` in the grade's colour; an unknown grade shown as it came."""
    return Content.styled(
        f"{GRADE_SYMBOLS.get(grade, '?')} {plain(grade_word(grade))}", GRADE_STYLES.get(grade, "")
    )


def kind_label(story: MergedStory) -> str:
    """`Inspection: crime data integrity`: the kind, with an inspection's type."""
    return kind_word(story.story.kind, story.story.inspection_type)


def header(story: MergedStory | None, notes: Footnotes | None) -> Content:
    """Title; kind, force, coverage and dates; the footnotes, listed once."""
    if story is None or notes is None:
        return Content.styled("No story selected", MUTED)
    s = story.story
    facts = [plain(s.force or "Force not identified"), coverage_phrase(story)]
    if s.kind != "other":
        facts.insert(0, kind_label(story))
    facts.append(date_span(story))
    legend = "  ".join(f"[{n}] {plain(name)}" for n, name in notes.entries)
    return Content("\n").join(
        [
            Content.styled(plain(s.title), "bold"),
            Content.styled(" · ".join(facts), MUTED),
            Content.styled(legend, MUTED),
        ]
    )


def date_span(story: MergedStory) -> str:
    """`23 Oct – 7 Nov 2024`: the first and latest report, the year said once if shared."""
    first, latest = first_date(story), latest_date(story)
    start, end = short_date(first), short_date(latest)
    if first is None or latest is None or start == end:
        return start
    if start[-4:] == end[-4:]:
        start = start[:-5]
    return f"{start} – {end}"


def hanging_row(left: Content, body: Content, marks: str, indent: int, width: int) -> list[Content]:
    """`left` in a column of `indent` cells, `body` wrapped beside it, `marks` at the right."""
    room = width - indent - (len(marks) + 1 if marks else 0)
    if room < 12:  # too narrow for the marks beside the text: they go under it
        room, below = width - indent, True
    else:
        below = False
    lines = body.wrap(max(room, 1)) or [Content("")]
    out = []
    if left.cell_length > indent - 1:  # a grade word longer than any known: its own line
        out.append(left)
        left = Content("")
    for n, line in enumerate(lines):
        start = left.pad_right(indent - left.cell_length) if n == 0 else Content(" " * indent)
        row = start + line
        if n == 0 and marks and not below:
            row = row.pad_right(width - row.cell_length - len(marks)) + Content.styled(marks, MUTED)
        out.append(row)
    if marks and below:
        out.append(Content(" " * indent) + Content.styled(marks, MUTED))
    return out


def report_card(story: MergedStory, notes: Footnotes, width: int) -> list[Content]:
    """The grades, one line per area at 80 columns; see the module docstring."""
    width = max(width, 24)
    lines: list[Content] = []
    counts = story.grade_counts
    if counts is not None:
        phrase = Content(plain(counts_phrase(counts)))
        lines += hanging_row(
            Content.styled("Counts", "bold"), phrase, notes.stated_by(counts.sources), 8, width
        )
        for line in count_conflict_phrase(counts, story, notes):
            lines.append(Content.styled(f"  {WARNING} {plain(line)}", CONFLICT_STYLE))
    words = [len(grade_word(g.grade)) for g in story.grades]
    column = min(2 + max(words, default=0), 22) + _GAP
    for fact in story.grades:
        label = Content(plain(fact.label or fact.area))
        lines += hanging_row(
            grade_label(fact.grade), label, notes.stated_by(fact.sources), column, width
        )
        change = change_phrase(fact, story)
        moved = grade_change(fact, story)
        if change is not None and moved is not None:
            lines += hanging_row(
                Content(""), Content.styled(change, CHANGE_STYLES[moved]), "", 2, width
            )
        for other in fact.conflicts:
            said = plain(conflict_phrase(notes, other.sources, other.grade))
            lines.append(Content.styled(f"  {WARNING} {said}", CONFLICT_STYLE))
    return lines


def document_card(document: DocumentFact, story: MergedStory, notes: Footnotes) -> Content:
    """`Report  https://...`, then the outlets that give it with their footnotes. The
    address is text: only `o` on the document opens it."""
    outlets = ", ".join(outlet_names(story, document.sources))
    return Content("\n").join(
        [
            Content.assemble(
                Content.styled(document_word(document.kind), "bold"),
                "  ",
                Content.styled(plain(document.url), "underline"),
            ),
            Content.styled(f"{plain(outlets)} {notes.marks(document.sources)}", MUTED),
        ]
    )


def related_card(related: RelatedStory) -> Content:
    """`Earlier inspection · 6 Jun 2024`, then the linked story's headline."""
    return Content("\n").join(
        [
            Content.assemble(
                Content.styled(related_phrase(related.relation), "bold"),
                Content.styled(f" · {short_date(related.published)}", MUTED),
            ),
            Content(plain(related.title)),
        ]
    )


def quote_who(quote: QuoteFact, notes: Footnotes) -> Content:
    """`Roy Wilsher, HM Inspector of Constabulary [1]`: speaker and role on one line."""
    who = ", ".join(part for part in (quote.speaker, quote.role) if part) or "Unattributed"
    return Content.assemble(
        Content.styled(plain(who), "bold"), " ", Content.styled(notes.marks(quote.sources), MUTED)
    )


def quote_text(quote: QuoteFact) -> Content:
    paragraphs = [p.strip() for p in quote.text.split("\n") if p.strip()]
    return Content.styled(f"“{plain(PARAGRAPH.join(paragraphs))}”", "italic")


def meeting_card(meeting: MeetingFact, notes: Footnotes, today: date) -> Content:
    """Name; weekday, date, time and days away; place or link; the outlets' footnotes."""
    lines: list[Content] = [
        Content.styled(plain(meeting.name), "bold"),
        Content.assemble(
            meeting_day(meeting), Content.styled(f" · {days_away(meeting.date, today)}", MUTED)
        ),
    ]
    where: list[Content | str] = []
    if meeting.where:
        where.append(plain(meeting.where))
    if meeting.url:
        if where:
            where.append(Content.styled(" · ", MUTED))
        where.append(Content.styled(plain(meeting.url), "underline"))
    marks = notes.marks(meeting.sources)
    if marks:
        where += [" ", Content.styled(marks, MUTED)] if where else [Content.styled(marks, MUTED)]
    lines.append(Content.assemble(*where))
    if meeting.weekday_mismatch:
        lines.append(Content.styled(f"{WARNING} a source gave another weekday", CONFLICT_STYLE))
    return Content("\n").join(lines)


__all__ = [
    "GRADE_STYLES",
    "document_card",
    "grade_label",
    "hanging_row",
    "header",
    "meeting_card",
    "quote_text",
    "quote_who",
    "related_card",
    "report_card",
]
