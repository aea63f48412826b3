"""The shared date reader: every form, tense cues, year resolution by tense, and the
January write-up of "the meeting on 2 December" read alike by grouping and meetings."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heraldtui.core.facts.meetings import find_meetings
from heraldtui.core.facts.merge import merge_story
from heraldtui.core.models import Article
from heraldtui.core.read.article_text import ArticleText
from heraldtui.core.read.dates import (
    GRACE_DAYS,
    MONTH_NAMES,
    PAST_HORIZON_DAYS,
    WEEKDAY_NAMES,
    DateMention,
    contains_any,
    find_dates,
    find_months,
    mentions_date,
    month_year,
    resolve_weekday,
    resolve_year,
    tense,
    uk_date,
)
from heraldtui.core.stories import features
from heraldtui.core.stories.features import featurize
from heraldtui.core.stories.grouper import group_articles

THURSDAY = date(2025, 1, 9)  # a Thursday in January


def _values(text: str, published: date | None = THURSDAY) -> list[date]:
    return [m.value for m in find_dates(text, published)]


# ---------------------------------------------------------------- forms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # day-month
        ("on 21 January 2025", date(2025, 1, 21)),
        ("on 21st January, 2025", date(2025, 1, 21)),
        ("on the 3rd of March", date(2025, 3, 3)),
        ("on 4 Feb. 2026", date(2026, 2, 4)),
        ("on 30 Sept 2024", date(2024, 9, 30)),
        ("ON 21 JANUARY 2025", date(2025, 1, 21)),
        # month-day
        ("on January 21", date(2025, 1, 21)),
        ("on Dec 3rd, 2024", date(2024, 12, 3)),
        # numeric, day first
        ("on 21/01/2025", date(2025, 1, 21)),
        ("on 21/1/25", date(2025, 1, 21)),
        ("on 3.12.24", date(2024, 12, 3)),
        ("on 3-12-2024", date(2024, 12, 3)),
        # ISO
        ("on 2025-01-21", date(2025, 1, 21)),
        ("at 2025-01-21T19:00", date(2025, 1, 21)),
        # relative words
        ("last night", date(2025, 1, 8)),
        ("yesterday", date(2025, 1, 8)),
        ("today", date(2025, 1, 9)),
        ("tonight", date(2025, 1, 9)),
        ("this evening", date(2025, 1, 9)),
        ("this afternoon", date(2025, 1, 9)),
        ("tomorrow", date(2025, 1, 10)),
        # next / coming / last / this <weekday>
        ("next Tuesday", date(2025, 1, 14)),
        ("next Thursday", date(2025, 1, 16)),  # the publication day's weekday: a week on
        ("this coming Friday", date(2025, 1, 10)),
        ("last Tuesday", date(2025, 1, 7)),
        ("last Thursday", date(2025, 1, 2)),
        ("this Thursday", date(2025, 1, 9)),
        ("this Saturday", date(2025, 1, 11)),
    ],
)
def test_each_form(text: str, expected: date) -> None:
    assert _values(f"The forum {text} is open to all.") == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Residents will meet on Tuesday evening.", date(2025, 1, 14)),
        ("Residents packed the hall on Tuesday evening.", date(2025, 1, 7)),
        ("Tuesday night's forum was lively.", date(2025, 1, 7)),
        ("Residents will meet on Thursday.", THURSDAY),  # the same day, both ways
        ("Those who attended last time will meet on Tuesday evening.", date(2025, 1, 14)),
        ("Residents packed the hall on Thursday.", THURSDAY),
        ("The forum on Tuesday: an agenda of twelve items.", None),  # no tense, no date
    ],
)
def test_a_bare_weekday_follows_its_sentences_tense(text: str, expected: date | None) -> None:
    assert _values(text) == ([expected] if expected else [])


def test_a_weekday_written_with_a_date_is_part_of_it_and_kept() -> None:
    [found] = find_dates("The panel meets on Monday, 20 January 2025 at 7pm.", THURSDAY)
    assert (found.value, found.weekday, found.form) == (date(2025, 1, 20), 0, "day-month")
    assert found.start == len("The panel meets on ")
    [wrong] = find_dates("The panel meets on Tues 21 January 2025.", THURSDAY)
    assert wrong.weekday == 1 and wrong.value.weekday() == 1
    [other] = find_dates("Wed. the 22nd of January", THURSDAY)
    assert (other.start, other.weekday) == (0, 2)
    [numeric] = find_dates("Friday 10/1/2025", THURSDAY)
    assert (numeric.start, numeric.weekday, numeric.value) == (0, 4, date(2025, 1, 10))


def test_overlapping_forms_are_one_date_and_offsets_are_the_texts() -> None:
    text = "The meeting on Monday 3 March 2025 follows the one on 2025-02-03."
    found = find_dates(text, THURSDAY)
    assert [(m.value, m.form) for m in found] == [
        (date(2025, 3, 3), "day-month"),
        (date(2025, 2, 3), "iso"),
    ]
    assert [text[m.start : m.end] for m in found] == ["Monday 3 March 2025", "2025-02-03"]
    # A character whose lowercase is longer does not shift the offsets.
    shifted = "İİ on 3 March 2025"
    [m] = find_dates(shifted, THURSDAY)
    assert shifted[m.start : m.end] == "3 March 2025"


@pytest.mark.parametrize(
    "text",
    [
        "The meeting starts at 7.30 and ends at 9.15.",  # times
        "The PEEL 2023/24 report.",  # a period
        "On 31 June 2025 and on 29/02/2023.",  # no such days
        "A 6/13/2024 date is not a UK date.",
        "Residents marched on the town hall.",  # a month stem in a word
        "The speed camera on the main road.",  # no tense, no weekday
    ],
)
def test_what_is_not_a_date(text: str) -> None:
    assert _values(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Up to 20 may attend the public meeting on Monday.", []),
        ("Men aged 19 and 21 may face charges, the meeting was told.", []),
        ("Some 40 march to the forum each year; the meeting is open to all.", []),
        ("Up to 20 may attend the public meeting on 20 May.", [date(2025, 5, 20)]),
        ("The public meeting will be on May 20.", [date(2025, 5, 20)]),
        ("THE PUBLIC MEETING WILL BE ON 4 MARCH.", [date(2025, 3, 4)]),
        ("The public meeting will be on 4 Mar.", [date(2025, 3, 4)]),  # no word: kept
    ],
)
def test_a_lowercase_may_or_march_is_no_month(text: str, expected: list[date]) -> None:
    assert _values(text) == expected
    assert _listed_and_grouped(text, THURSDAY) == (expected, expected)
    assert mentions_date(text) == bool(expected)


def test_a_lowercase_may_or_march_is_no_month_named_as_a_time() -> None:
    assert find_months("Residents in march formation; officers in may be late.") == []
    assert [m.month for m in find_months("Rated good in March and in May.")] == [3, 5]


def test_without_a_publication_day_only_dates_with_their_year_are_read() -> None:
    text = "On 3 March 2025, then 4 March, next Tuesday, 5/3/2025 and 2025-03-06."
    assert _values(text, None) == [
        date(2025, 3, 3),
        date(2025, 3, 5),
        date(2025, 3, 6),
    ]


def test_mentions_date_is_any_absolute_form() -> None:
    assert mentions_date("Wednesday 4 December")
    assert mentions_date("December 4th")
    assert mentions_date("4/12/2024, 18:00")
    assert mentions_date("2024-12-04")
    assert not mentions_date("next Wednesday at 7pm")
    assert not mentions_date("to be confirmed")


def test_contains_any_is_the_one_substring_scan() -> None:
    assert contains_any("the forum on tuesday", ("xyz", "day"))
    assert not contains_any("the forum", ("day", "night"))
    assert not contains_any("anything", ())
    assert "_contains_any" not in vars(features)  # one copy: grouping imports this one


def test_uk_date_is_the_london_calendar_day() -> None:
    assert uk_date(datetime(2024, 6, 30, 23, 30, tzinfo=UTC)) == date(2024, 7, 1)  # BST
    assert uk_date(datetime(2024, 12, 31, 23, 30, tzinfo=UTC)) == date(2024, 12, 31)  # GMT
    assert uk_date(datetime(2024, 6, 30, 23, 30)) == date(2024, 7, 1)  # naive is UTC


# ---------------------------------------------------------------- tense


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The panel will meet in the library.", "future"),
        ("Residents are invited to the forum.", "future"),
        ("Places can be booked online.", "future"),
        ("The session is scheduled for the spring.", "future"),
        ("It'll be streamed.", "future"),
        ("The panel met in the library.", "past"),
        ("Residents packed the hall.", "past"),
        ("The forum has been a success.", "past"),
        # A participle after "be" is no past, a future cue no past cue ("invited").
        ("The meeting will be held in the library.", "future"),
        ("It'll be streamed; it will be chaired by the commissioner.", "future"),
        ("Residents are invited and places are booked.", "future"),
        # Both kinds of cue: mixed, whichever comes first.
        ("Those who attended last time are invited again.", "mixed"),
        ("The commissioner said he will recruit 50 more officers.", "mixed"),
        ("The panel heard that the focus is on knife crime.", "mixed"),
        ("Councillors voted to register the land.", "mixed"),
        # Quoted words count only when the words around them have no cue.
        ('At the forum Insp. Jones said: "We will keep listening."', "past"),
        ("At the forum Insp. Jones said: “We’ll keep listening, we won’t stop.”", "past"),
        ("At the forum Insp. Jones said: ‘We won’t stop listening.’", "past"),
        ('Residents are invited, "as we promised last year".', "future"),
        ('The forum: "It was a long night."', "past"),
        ('The forum "will be lively', "future"),  # an unclosed mark quotes nothing
        ("The speed of response matters.", None),  # "speed" is no past tense
        ("An agenda of twelve items.", None),
    ],
)
def test_tense(sentence: str, expected: str | None) -> None:
    assert tense(sentence) == expected


# ---------------------------------------------------------------- resolution


@pytest.mark.parametrize(
    ("month", "day", "when", "expected"),
    [
        # The known case: a January write-up of a December meeting.
        (12, 2, "past", date(2024, 12, 2)),
        (12, 2, "future", date(2025, 12, 2)),
        (12, 2, None, date(2025, 12, 2)),  # tenseless: as the meetings list always read it
        # Mixed: the nearer reading, the past one only within its horizon.
        (12, 2, "mixed", date(2024, 12, 2)),
        (1, 20, "mixed", date(2025, 1, 20)),
        (3, 5, "mixed", date(2025, 3, 5)),
        (7, 20, "mixed", date(2024, 7, 20)),  # 173 days back, 192 ahead
        (7, 5, "mixed", date(2025, 7, 5)),  # 188 days back: past the horizon
        # Within the grace, both ways.
        (1, 3, "future", date(2025, 1, 3)),
        (1, 3, None, date(2025, 1, 3)),
        (1, 14, "past", date(2025, 1, 14)),  # "the meeting on 14 January was cancelled"
        # Past wording that announces: more than half a year back reads forward.
        (3, 5, "past", date(2025, 3, 5)),
        (7, 20, "past", date(2024, 7, 20)),  # within the horizon: last July
        # Beyond the grace.
        (1, 1, "future", date(2026, 1, 1)),
        (1, 17, "past", date(2025, 1, 17)),  # a year back is too far: read forward
    ],
)
def test_resolve_year_by_tense(month: int, day: int, when: str | None, expected: date) -> None:
    assert resolve_year(month, day, THURSDAY, when) == expected  # type: ignore[arg-type]


def test_resolve_year_of_29_february() -> None:
    assert resolve_year(2, 29, date(2025, 1, 9), "past") is None  # 2024 is too far back
    assert resolve_year(2, 29, date(2024, 1, 9), "future") == date(2024, 2, 29)
    assert resolve_year(2, 29, date(2024, 3, 4), "past") == date(2024, 2, 29)
    assert resolve_year(2, 29, date(2025, 3, 4), None) is None


def test_a_years_reading_follows_its_own_sentences_tense() -> None:
    text = (
        "At the meeting on 2 December residents raised parking. "
        "The next meeting will be on 2 December."
    )
    assert _values(text) == [date(2024, 12, 2), date(2025, 12, 2)]


def _listed_and_grouped(text: str, published: date) -> tuple[list[date], list[date]]:
    """The days the meetings list gives for an article of this text, and the days grouping
    reads in it (its `featurize`, the path group_articles takes)."""
    moment = datetime.combine(published, time(12), UTC)
    listed = sorted({m.date for m in find_meetings(ArticleText(text), moment)})
    article = _article("Hollins Mercury", "agree", moment, "Residents", text)
    grouped = sorted(date.fromordinal(day) for day in featurize(article).dates)
    return listed, grouped


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # A closing quotation mark after the stop still ends the quoted sentence.
        (
            'Supt. Jones said: "We will keep listening." The public meeting on 2 December '
            "was busy.",
            date(2025, 1, 6),
            date(2024, 12, 2),
        ),
        (
            'He said: "It will get better!" The forum on 2 December was busy.',
            date(2025, 1, 6),
            date(2024, 12, 2),
        ),
        # An abbreviation or an initial does not end one.
        (
            "At the meeting on 2 December, Insp. Jones said patrols would be stepped up.",
            date(2025, 1, 6),
            date(2024, 12, 2),
        ),
        (
            "At the forum on 2 December, Sgt. R. Khan told residents that patrols were doubled.",
            date(2025, 1, 6),
            date(2024, 12, 2),
        ),
        # A stop before a lowercase word is no boundary either: one sentence, one tense.
        (
            "The forum on 2 December ran to 9 p.m. and residents packed the hall. "
            "It will meet again soon.",
            date(2025, 1, 6),
            date(2024, 12, 2),
        ),
    ],
)
def test_sentences_end_where_the_meetings_list_ends_them(
    text: str, published: date, expected: date
) -> None:
    assert _values(text, published) == [expected]
    assert _listed_and_grouped(text, published) == ([expected], [expected])


def test_each_sentence_keeps_its_own_tense_whatever_space_follows_its_stop() -> None:
    # A no-break space after the stop: the second sentence is not the first one's.
    text = "The forum on 1 December was busy.\xa0Another forum will be held on 3 December."
    assert _values(text, date(2025, 1, 6)) == [date(2024, 12, 1), date(2025, 12, 3)]
    tab = "The forum on 1 December was busy.\tAnother forum will be held on 3 December."
    assert _values(tab, date(2025, 1, 6)) == [date(2024, 12, 1), date(2025, 12, 3)]
    both = "The forum on 1 December was busy.\xa0The panel will meet on 3 December."
    expected = [date(2024, 12, 1), date(2025, 12, 3)]
    assert _listed_and_grouped(both, date(2025, 1, 6)) == (expected, expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "At the public meeting on 2 December, the commissioner said he will recruit "
            "50 more officers.",
            date(2024, 12, 2),
        ),
        (
            "Residents told the panel meeting on 2 December that they can no longer walk "
            "to the shops after dark.",
            date(2024, 12, 2),
        ),
        (
            "The panel meeting on 2 December heard that the focus is on knife crime.",
            date(2024, 12, 2),
        ),
        ("Councillors at a meeting on 16 December voted to register the land.", date(2024, 12, 16)),
        (
            'At the forum on 2 December, Insp. Jones said: "We will be back in the spring."',
            date(2024, 12, 2),
        ),
        # Mixed, but the past reading is too far back: the future one.
        (
            "Residents who attended in the summer are invited to the meeting on 20 March.",
            date(2025, 3, 20),
        ),
        (
            "The commissioner announced that the public meeting will be on 5 March.",
            date(2025, 3, 5),
        ),
    ],
)
def test_a_mixed_sentences_date_is_the_reading_nearer_publication(
    text: str, expected: date
) -> None:
    assert _values(text) == [expected]
    assert _listed_and_grouped(text, THURSDAY) == ([expected], [expected])


def test_a_quote_announcing_a_meeting_still_reads_forward_from_a_notice() -> None:
    # Outside the quote the sentence is past ("he said"), and the grace keeps the date.
    text = '"The public meeting on 2 December will be open to all," the commissioner said.'
    assert _values(text, date(2024, 11, 28)) == [date(2024, 12, 2)]
    assert _listed_and_grouped(text, date(2024, 11, 28)) == ([date(2024, 12, 2)],) * 2


TUESDAY_NEW_YEARS_EVE = date(2024, 12, 31)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The meeting held this Monday heard about burglaries.", date(2024, 12, 30)),
        ("Residents packed the public meeting this Tuesday.", TUESDAY_NEW_YEARS_EVE),
        ("The public meeting this Monday will hear about burglaries.", date(2025, 1, 6)),
        ("The public meeting this Monday: an agenda of twelve items.", date(2025, 1, 6)),
    ],
)
def test_this_weekday_looks_back_in_a_past_sentence(text: str, expected: date) -> None:
    assert _values(text, TUESDAY_NEW_YEARS_EVE) == [expected]
    assert _listed_and_grouped(text, TUESDAY_NEW_YEARS_EVE) == ([expected], [expected])


@pytest.mark.parametrize(
    ("weekday", "relation", "when", "expected"),
    [
        (1, "next", None, date(2025, 1, 14)),
        (3, "next", None, date(2025, 1, 16)),
        (1, "last", None, date(2025, 1, 7)),
        (3, "last", None, date(2025, 1, 2)),
        (3, "this", None, THURSDAY),
        (5, "this", None, date(2025, 1, 11)),
        (5, "this", "future", date(2025, 1, 11)),
        (5, "this", "mixed", date(2025, 1, 11)),
        (5, "this", "past", date(2025, 1, 4)),  # "held this Saturday": the one just gone
        (3, "this", "past", THURSDAY),
        (1, None, "future", date(2025, 1, 14)),
        (1, None, "past", date(2025, 1, 7)),
        (3, None, "future", THURSDAY),
        (3, None, "past", THURSDAY),
        (1, None, "mixed", date(2025, 1, 14)),
        (1, None, None, None),
    ],
)
def test_resolve_weekday(
    weekday: int, relation: str | None, when: str | None, expected: date | None
) -> None:
    assert resolve_weekday(weekday, THURSDAY, relation, when) == expected  # type: ignore[arg-type]


def test_months_named_as_a_time() -> None:
    found = find_months("In March it was rated good; since June 2023 it has improved.")
    assert [(m.month, m.year) for m in found] == [(3, None), (6, 2023)]
    assert find_months("The march in the town.") == []
    assert month_year(3, THURSDAY) == 2024  # the latest March: last year's
    assert month_year(1, THURSDAY) == 2025
    assert month_year(3, THURSDAY, "future") == 2025
    assert month_year(12, date(2025, 12, 9), "future") == 2025
    assert month_year(12, THURSDAY, "mixed") == 2024  # the nearer December: last month
    assert month_year(3, THURSDAY, "mixed") == 2025
    assert month_year(1, THURSDAY, "mixed") == 2025


# ---------------------------------------------------------------- grouping and meetings agree


def _article(feed: str, slug: str, published: datetime, title: str, body: str) -> Article:
    return Article(feed, slug, f"https://{slug}.example/", title, None, published, "", body)


PREVIEW = _article(
    "Office of the Quarrenden PCC",
    "preview",
    datetime(2024, 11, 28, 10, tzinfo=UTC),
    "Public meeting in Elmsley",
    "Commissioner Maeve Culshaw will hold a public meeting at Elmsley library on "
    "2 December at 7pm.",
)


def _write_up(day: str) -> Article:
    return _article(
        "Hollins Mercury",
        f"write-up-{day.replace(' ', '-')}",
        datetime(2025, 1, 9, 9, tzinfo=UTC),
        "Lorries top the complaints in Elmsley",
        f"At the public meeting on {day} in Elmsley library, residents told commissioner "
        "Maeve Culshaw about speeding lorries.",
    )


def test_a_january_write_up_of_2_december_is_last_december_for_meetings_and_grouping() -> None:
    write_up = _write_up("2 December")
    [listed] = find_meetings(ArticleText(write_up.content), write_up.published)
    assert listed.date == date(2024, 12, 2)  # not next December
    [preview] = find_meetings(ArticleText(PREVIEW.content), PREVIEW.published)
    assert preview.date == date(2024, 12, 2)
    stories = group_articles([PREVIEW, write_up])
    assert len(stories) == 1  # grouped by the same day the meetings list gives
    merged = merge_story(stories[0])
    assert [(m.date, len(m.sources)) for m in merged.meetings] == [(date(2024, 12, 2), 2)]


def test_a_january_write_up_that_mixes_tenses_joins_the_december_preview() -> None:
    write_up = _article(
        "Hollins Mercury",
        "write-up-mixed",
        datetime(2025, 1, 9, 9, tzinfo=UTC),
        "Commissioner promises more officers for Elmsley",
        "At the public meeting on 2 December in Elmsley library, commissioner Maeve "
        "Culshaw said she will recruit more officers.",
    )
    [listed] = find_meetings(ArticleText(write_up.content), write_up.published)
    assert listed.date == date(2024, 12, 2)
    stories = group_articles([PREVIEW, write_up])
    assert [len(s.articles) for s in stories] == [2]


def test_a_january_write_up_of_another_december_day_stays_apart() -> None:
    write_up = _write_up("9 December")
    [listed] = find_meetings(ArticleText(write_up.content), write_up.published)
    assert listed.date == date(2024, 12, 9)
    assert len(group_articles([PREVIEW, write_up])) == 2


# ---------------------------------------------------------------- properties

PIECES = [
    "3 December", "December 3rd", "the 21st of March, 2024", "29 February", "31 June",
    "3/12/2024", "03.12.24", "2024-12-03", "Monday ", "on Tuesday", "Friday evening",
    "next Wednesday", "last night", "tomorrow", "this evening", " will ", " was ",
    " packed ", " invited ", ". ", ", ", "\n", " ", "7.30pm", "2023/24", "meeting",
]  # fmt: skip
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=40).map("".join)
DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
TENSES = st.sampled_from(["future", "past", "mixed", None])


@settings(max_examples=300, deadline=None)
@given(TEXT, st.one_of(st.none(), DAYS))
def test_every_date_found_is_a_real_date_in_the_text(text: str, published: date | None) -> None:
    found = find_dates(text, published)
    assert all(isinstance(m, DateMention) and isinstance(m.value, date) for m in found)
    assert all(0 <= m.start < m.end <= len(text) for m in found)
    assert all(a.end <= b.start for a, b in pairwise(found))
    assert found == find_dates(text, published)  # deterministic
    if published is None:
        assert all(m.year_given for m in found)
    for m in found:
        assert _words_of(m, text[m.start : m.end])


_RELATIVE_WORDS = ("yesterday", "night", "today", "tonight", "evening", "afternoon", "tomorrow")


def _words_of(mention: DateMention, span: str) -> bool:
    """Whether a date's span holds the words that give its value: the day number and the
    month, the year when it was written, the weekday, or the relative word."""
    words = span.lower()
    value = mention.value
    if mention.weekday is not None and not words.startswith(WEEKDAY_NAMES[mention.weekday][:3]):
        return False
    if mention.year_given and str(value.year)[-2:] not in words:
        return False
    if mention.form in ("iso", "numeric"):
        return str(value.day) in words and str(value.month) in words
    if mention.form in ("day-month", "month-day"):
        return str(value.day) in words and MONTH_NAMES[value.month - 1][:3] in words
    if mention.form == "weekday":
        return WEEKDAY_NAMES[value.weekday()] in words
    return WEEKDAY_NAMES[value.weekday()] in words or any(w in words for w in _RELATIVE_WORDS)


def test_a_dates_span_holds_its_words() -> None:
    text = (
        "On Tues 21 January, next Friday, last night and on 3/2/2025; "
        "the forum on Monday was packed."
    )
    found = find_dates(text, THURSDAY)
    assert [text[m.start : m.end] for m in found] == [
        "Tues 21 January",
        "next Friday",
        "last night",
        "3/2/2025",
        "on Monday",
    ]
    assert all(_words_of(m, text[m.start : m.end]) for m in found)
    assert not _words_of(found[0], "21 January")  # the written weekday belongs to it
    assert not _words_of(found[3], "3/2/2026")


@settings(max_examples=300, deadline=None)
@given(DAYS, DAYS, st.sampled_from(["{d} {M} {y}", "{M} {d}, {y}", "{d}/{m}/{y}", "{iso}"]))
def test_a_written_year_is_never_changed(value: date, published: date, shape: str) -> None:
    if shape == "{iso}" and value.year < 2000:
        return  # ISO is read for years 2000-2999
    text = "The meeting on " + shape.format(
        d=value.day, m=value.month, y=value.year, M=MONTH_NAMES[value.month - 1].title(),
        iso=value.isoformat(),
    ) + " was packed."  # fmt: skip
    [found] = find_dates(text, published)
    assert found.value == value and found.year_given


@settings(max_examples=500, deadline=None)
@given(st.integers(1, 12), st.integers(1, 31), DAYS, TENSES)
def test_resolve_year_gives_that_day_near_publication(
    month: int, day: int, published: date, when: str | None
) -> None:
    value = resolve_year(month, day, published, when)  # type: ignore[arg-type]
    if value is None:
        return
    assert (value.month, value.day) == (month, day)
    assert published - timedelta(days=PAST_HORIZON_DAYS) <= value
    assert value <= published + timedelta(days=366)
    if when == "past" and value <= published + timedelta(days=GRACE_DAYS):
        # the latest such day: any later year's would be past the grace
        for year in range(value.year + 1, value.year + 5):
            try:
                assert date(year, month, day) > published + timedelta(days=GRACE_DAYS)
            except ValueError:
                continue
    if when is None or when == "future":
        assert value >= published - timedelta(days=GRACE_DAYS)
    if when == "mixed":  # the nearer of the past and the future reading
        readings = [
            r
            for r in (
                resolve_year(month, day, published, "past"),
                resolve_year(month, day, published, "future"),
            )
            if r is not None
        ]
        assert value in readings
        assert all(abs(value - published) <= abs(r - published) for r in readings)
    assert value == resolve_year(month, day, published, when)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(TEXT, TEXT, DAYS)
def test_a_sentence_is_read_alike_whatever_follows_it(first: str, rest: str, day: date) -> None:
    # The last word is no abbreviation or initial, so the stop ends the sentence.
    head = first.replace(".", " ").replace("\n", " ").strip() + " end. "
    alone = find_dates(head, day)
    together = find_dates(head + "Later, " + rest, day)
    assert [m for m in together if m.end <= len(head)] == alone
