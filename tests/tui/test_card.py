"""The story view's content without an app: the report card at 80 columns, the header
with its footnotes, quotes and meeting cards."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from heraldtui.core.models import (
    Article,
    CountConflict,
    GradeConflict,
    GradeCounts,
    GradeFact,
    MeetingFact,
    MergedStory,
    QuoteFact,
    Story,
)
from heraldtui.core.output.wording import GRADE_SYMBOLS, GRADE_WORDS, Footnotes
from heraldtui.tui.card import (
    GRADE_STYLES,
    date_span,
    header,
    meeting_card,
    quote_text,
    quote_who,
    report_card,
)
from tests.tui.fixtures import merged_stories

AREAS = [
    ("recording-data", "Recording data about crime", "inadequate"),
    ("public-treatment", "Police powers and public treatment", "adequate"),
    ("preventing-crime", "Preventing crime and anti-social behaviour", "good"),
    ("responding", "Responding to the public", "requires-improvement"),
    ("investigating", "Investigating crime", "requires-improvement"),
    ("protecting-vulnerable", "Protecting vulnerable people", "outstanding"),
    ("managing-offenders", "Managing offenders and suspects", "adequate"),
    ("workforce", "Developing a positive workplace", "adequate"),
    ("leadership", "Leadership and force management", "requires-improvement"),
]
WIDTH = 76
"""The story view's text width in an 80-column terminal (borders, padding, scrollbar)."""


def nine_grades() -> MergedStory:
    articles = tuple(
        Article(
            feed=f"Outlet {n}",
            guid=str(n),
            link=f"https://outlet{n}.example/story",
            title="Force inspected",
            author=None,
            published=datetime(2024, 11, n, 9, tzinfo=UTC),
            summary="",
            content="",
        )
        for n in (1, 2, 3)
    )
    links = [a.link for a in articles]
    grades = tuple(
        GradeFact(
            area,
            label,
            grade,
            tuple(links[:2]),
            (GradeConflict("requires-improvement", (links[2],)),) if n == 0 else (),
        )
        for n, (area, label, grade) in enumerate(AREAS)
    )
    counts = GradeCounts(
        (("good", 1), ("adequate", 3)), (links[2],), (CountConflict("good", 2, (links[0],)),)
    )
    story = Story("s", "Force inspected", "inspection", "Wyvern Constabulary", articles)
    return MergedStory(story, grades=grades, grade_counts=counts)


def test_each_area_is_one_line_at_80_columns_with_its_full_grade_word() -> None:
    story = nine_grades()
    lines = [line.plain for line in report_card(story, Footnotes(story), WIDTH)]
    assert all(len(line) <= WIDTH for line in lines), lines
    assert lines[0].startswith("Counts  Good in 1 area, adequate in 3") and lines[0].endswith("[3]")
    assert lines[1] == "  ⚠ [1] says good in 2"
    rows = lines[2:]
    assert rows[0].startswith("✖ Inadequate            Recording data about crime")
    assert rows[0].endswith("[1,2]")
    assert rows[1] == "  ⚠ [3] says Requires improvement", "a conflict on its own line"
    areas = [line for line in rows if not line.startswith("  ")]
    assert len(areas) == 9, "one line per area"
    for line, (_, label, grade) in zip(areas, AREAS, strict=True):
        assert line.startswith(f"{GRADE_SYMBOLS[grade]} {GRADE_WORDS[grade]}")
        assert label in line and line.endswith("[1,2]")


def test_a_narrow_card_wraps_the_area_under_itself_never_the_grade() -> None:
    story = nine_grades()
    lines = [line.plain for line in report_card(story, Footnotes(story), 44)]
    assert "▼ Requires improvement  Responding to  [1,2]" in lines
    assert " " * 24 + "the public" in lines
    assert all("Requires improvement" in line or "Requires" not in line for line in lines)


def test_grades_differ_by_symbol_and_style() -> None:
    assert len(set(GRADE_SYMBOLS.values())) == len(GRADE_SYMBOLS) == 5
    assert len(set(GRADE_STYLES.values())) == 5, "adequate and requires improvement differ"
    story = nine_grades()
    row = report_card(story, Footnotes(story), WIDTH)[2]
    assert any("$text-error" in str(span.style) for span in row.spans)


def test_header_lists_the_footnotes_once() -> None:
    story = nine_grades()
    text = header(story, Footnotes(story)).plain.splitlines()
    assert text == [
        "Force inspected",
        "Inspection · Wyvern Constabulary · 3 sources · 1 Nov – 3 Nov 2024",
        "[1] Outlet 1  [2] Outlet 2  [3] Outlet 3",
    ]
    assert header(None, None).plain == "No story selected"


def test_date_span_says_the_year_once() -> None:
    story = merged_stories()[1]  # 4 and 5 November 2024
    assert date_span(story) == "4 Nov – 5 Nov 2024"


def test_quotes_and_meetings() -> None:
    story = merged_stories()[1]
    notes = Footnotes(story)
    quote = QuoteFact("Jane Fielding", "HM Inspector", "One.\nTwo.", story.quotes[0].sources)
    assert quote_who(quote, notes).plain == "Jane Fielding, HM Inspector [1,2]"
    assert quote_text(quote).plain == "“One.\n\nTwo.”"
    meeting = MeetingFact(
        "Police and Crime Panel",
        date(2024, 11, 14),
        time(10, 30),
        "https://panel.example/meeting",
        story.meetings[0].sources,
        where="County Hall",
        weekday_mismatch=True,
    )
    card = meeting_card(meeting, notes, date(2024, 11, 6)).plain.splitlines()
    assert card == [
        "Police and Crime Panel",
        "Thursday 14 November 2024, 10:30 · in 8 days",
        "County Hall · https://panel.example/meeting [2]",
        "⚠ a source gave another weekday",
    ]
