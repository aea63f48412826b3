"""Meeting extraction: dates in UK forms, relative days, times, links, exclusions."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from heraldtui.core.facts.meeting_words import may_name_meeting
from heraldtui.core.facts.meetings import find_dates, find_meetings, find_time
from heraldtui.core.read.article_text import ArticleText
from heraldtui.core.read.dates import uk_date
from tests.support.paths import SHARED

# A Thursday, in winter (UK local time = UTC).
PUBLISHED = datetime(2025, 1, 9, 16, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("on 21st January 2025", date(2025, 1, 21)),
        ("on Tuesday, January 21", date(2025, 1, 21)),
        ("on 21/01/2025", date(2025, 1, 21)),
        ("on 21/1/25", date(2025, 1, 21)),
        ("on 2025-01-21", date(2025, 1, 21)),
        ("on 3 March", date(2025, 3, 3)),
        ("on 2 January", date(2025, 1, 2)),  # a week back: a write-up, same year
        ("on 2 December", date(2025, 12, 2)),
        ("next Tuesday", date(2025, 1, 14)),
        ("next Thursday", date(2025, 1, 16)),
        ("last night", date(2025, 1, 8)),
        ("tomorrow", date(2025, 1, 10)),
    ],
)
def test_date_forms(phrase: str, expected: date) -> None:
    [found] = find_dates(f"The panel meeting {phrase} is open to all.", uk_date(PUBLISHED))
    assert found.value == expected


def test_publication_date_is_read_in_uk_local_time() -> None:
    # 23:30 UTC on 30 June is already 1 July in London (BST).
    assert uk_date(datetime(2024, 6, 30, 23, 30, tzinfo=UTC)) == date(2024, 7, 1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("starts at 10.30am", time(10, 30)),
        ("from 7pm to 9pm", time(19, 0)),
        ("at 14:00", time(14, 0)),
        ("at 12.15 p.m.", time(12, 15)),
        ("at noon", time(12, 0)),
        ("costs £10.30", None),
    ],
)
def test_times(text: str, expected: time | None) -> None:
    assert find_time(text) == expected


def test_announced_meeting_with_name_date_time_and_bare_link() -> None:
    text = (
        "The next Policing Priorities Forum will be held at Elm Street Library on "
        "Wednesday 22nd January 2025 at 6.30pm. Watch it at https://go.example/ppf1."
    )
    [m] = find_meetings(ArticleText(text), PUBLISHED)
    assert m.name == "Policing Priorities Forum"
    assert (m.date, m.time) == (date(2025, 1, 22), time(18, 30))
    assert m.url == "https://go.example/ppf1"
    assert m.where == "Elm Street Library"
    assert not m.weekday_mismatch


def test_name_from_an_earlier_sentence_and_markdown_link_later() -> None:
    text = (
        "Residents can question the chief at the next Community Scrutiny Panel.\n\n"
        "The session starts at 2pm next Tuesday.\n\n"
        "Read the [annual report](https://council.example/report.pdf).\n\n"
        "[Watch live](https://stream.example/csp). Questions to "
        "[panel@council.example](mailto:panel@council.example)."
    )
    [m] = find_meetings(ArticleText(text), PUBLISHED)
    assert m.name == "Community Scrutiny Panel"
    assert (m.date, m.time) == (date(2025, 1, 14), time(14, 0))
    assert m.url == "https://stream.example/csp"


def test_lower_case_meeting_named_from_its_words_and_reported_last_night() -> None:
    text = "Dozens of people went to a neighbourhood safety meeting last night in the village."
    [m] = find_meetings(ArticleText(text), PUBLISHED)
    assert m.name == "Neighbourhood Safety Meeting"
    assert m.date == date(2025, 1, 8)
    assert m.time is None and m.url is None


def test_weekday_that_contradicts_the_date_is_flagged() -> None:
    [m] = find_meetings(
        ArticleText("The public meeting is on Monday 22 January 2025 at 7pm."), PUBLISHED
    )
    assert m.date == date(2025, 1, 22)
    assert m.weekday_mismatch


def test_date_line_after_the_announcement() -> None:
    text = (
        "The Commissioner will hold a Rural Crime Public Meeting in the spring.\n\n"
        "Thursday 6th March 2025, 7pm – 9pm  \nCorn Exchange, Market Square"
    )
    [m] = find_meetings(ArticleText(text), PUBLISHED)
    assert (m.date, m.time) == (date(2025, 3, 6), time(19, 0))
    assert m.where == "Corn Exchange, Market Square"


def test_private_undated_and_non_meeting_dates_are_not_listed() -> None:
    text = (
        "The board met in private on 14 January 2025. The next panel meeting will discuss "
        "the budget. The report was published on 2 January 2025. The consultation closes "
        "on Friday 31 January."
    )
    assert find_meetings(ArticleText(text), PUBLISHED) == []


def test_relative_dates_need_a_publication_date() -> None:
    assert (
        find_meetings(ArticleText("A public meeting takes place next Tuesday at 7pm."), None) == []
    )


@pytest.mark.parametrize(
    "text",
    [
        # "hearing" the verb, next to a date and a clock time.
        "Police were called at 2am on Monday, 6 January, after a neighbour reported hearing "
        "glass breaking.",
        # A court hearing is not a public meeting to attend.
        "He admitted the charge at an earlier hearing on 6 January and will be sentenced later.",
        "The case was adjourned to a hearing at the magistrates' court on 20 January 2025.",
        # "meeting" the verb.
        "The inspector was meeting residents on 21 January 2025 to hand out leaflets.",
        "Meeting the needs of victims by 31 January 2025 is the force's aim.",
        # A hospital's surgery, and "on board".
        "The injured officer underwent surgery on Friday 10 January.",
        "Every school was on board by 21 January 2025, the scheme's leaders said.",
    ],
)
def test_words_that_look_like_meetings_but_are_not(text: str) -> None:
    assert find_meetings(ArticleText(text), PUBLISHED) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A public hearing on the proposals will be held on 28 January 2025 at 10am.",
         date(2025, 1, 28)),
        ("The misconduct hearing, held in public, opens on 27 January 2025.", date(2025, 1, 27)),
        ("Two public meetings will take place on 23 January 2025.", date(2025, 1, 23)),
        ("The councillor surgery is on Saturday 18 January at the library.", date(2025, 1, 18)),
        ("Residents can raise concerns at the Beat Surgery on 25 January 2025.",
         date(2025, 1, 25)),
        ("Officers will be meeting residents at a community meeting on 22 January 2025.",
         date(2025, 1, 22)),
    ],
)  # fmt: skip
def test_real_meeting_nouns_are_still_meetings(text: str, expected: date) -> None:
    [m] = find_meetings(ArticleText(text), PUBLISHED)
    assert m.date == expected


# A Wednesday, in winter.
WEDNESDAY = datetime(2024, 11, 27, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "name", "when", "clock", "url"),
    [
        ("The police and crime panel meets on Wednesday 4 December at 7pm.",
         "Police and Crime Panel", date(2024, 12, 4), time(19, 0), None),
        ("The public meeting will be held on 4/12/2024 at 19:00 in the council chamber.",
         "Public Meeting", date(2024, 12, 4), time(19, 0), None),
        ("Residents are invited to a beat meeting next Wednesday at 7.30pm.",
         "Beat Meeting", date(2024, 12, 4), time(19, 30), None),
        ("The Commissioner's accountability meeting takes place tomorrow at noon and can be "
         "watched [on the video page](https://video.example/live).",
         "Accountability Meeting", date(2024, 11, 28), time(12, 0), "https://video.example/live"),
        ("The Police, Fire and Crime Panel will meet on 10 December 2024 at 10am. The meeting "
         "will be streamed live at https://panel.example/stream.",
         "Police, Fire and Crime Panel", date(2024, 12, 10), time(10, 0),
         "https://panel.example/stream"),
        ("At a public meeting on Monday night, residents raised speeding on the main road.",
         "Public Meeting", date(2024, 11, 25), None, None),
    ],
)  # fmt: skip
def test_meeting_phrasings(
    text: str, name: str, when: date, clock: time | None, url: str | None
) -> None:
    [m] = find_meetings(ArticleText(text), WEDNESDAY)
    assert (m.name, m.date, m.time, m.url) == (name, when, clock, url)


def test_details_block_after_the_announcement_with_labels() -> None:
    text = (
        "The commissioner will hold a public meeting in the town.\n\n"
        "- Date: Wednesday 4 December\n- Time: 7.30pm\n- Where: Market Hall"
    )
    [m] = find_meetings(ArticleText(text), WEDNESDAY)
    assert (m.date, m.time, m.where) == (date(2024, 12, 4), time(19, 30), "Market Hall")


def test_details_block_before_the_announcement_needs_a_date_label() -> None:
    labelled = (
        "Date: Wednesday 4 December 2024\nTime: 7pm\nVenue: Oak Lane Community Centre\n\n"
        "The event is a public meeting with the chief constable."
    )
    [m] = find_meetings(ArticleText(labelled), WEDNESDAY)
    assert (m.date, m.time, m.where) == (
        date(2024, 12, 4),
        time(19, 0),
        "Oak Lane Community Centre",
    )
    unlabelled = "The burglary happened on 4 December.\n\nA public meeting will be held soon."
    assert find_meetings(ArticleText(unlabelled), WEDNESDAY) == []


def test_a_weekday_alone_needs_a_tense_to_be_resolved() -> None:
    assert (
        find_meetings(ArticleText("The panel on Monday: an agenda of twelve items."), WEDNESDAY)
        == []
    )


# --- forums not run by a commissioner, listing blocks, UK numeric dates --------------------


def test_parish_question_time_with_weekday_date_and_pm_time() -> None:
    text = (
        "Ashcombe Parish Council will host a Community Safety Question Time on Monday "
        "20 January at 7pm in the village hall."
    )
    [found] = find_meetings(ArticleText(text), PUBLISHED)
    assert (found.name, found.date, found.time) == (
        "Community Safety Question Time", date(2025, 1, 20), time(19, 0),
    )  # fmt: skip
    assert not found.weekday_mismatch


def test_listing_block_with_label_lines_and_a_bare_watch_link() -> None:
    text = (
        "Residents can put questions to the neighbourhood inspector.\n\n"
        "**Neighbourhood Policing Forum**\n"
        "**Date & time:** 4/2/2025, 18:30\n"
        "**Location:** Brookfield Library, Mill Lane\n"
        "**Watch live:** https://forum.example.org/stream."
    )
    [found] = find_meetings(ArticleText(text), PUBLISHED)
    assert found.date == date(2025, 2, 4)  # day first: 4 February, not 2 April
    assert found.time == time(18, 30)
    assert found.url == "https://forum.example.org/stream"
    assert found.where == "Brookfield Library, Mill Lane"


def test_when_label_in_a_list_with_a_day_first_date() -> None:
    text = (
        "Ward councillors and officers will hold a drop-in for shop owners.\n\n"
        "- When: 11/3/2025, 10:00\n- Where: the Guildhall foyer"
    )
    [found] = find_meetings(ArticleText(text), PUBLISHED)
    assert (found.date, found.time) == (date(2025, 3, 11), time(10, 0))


def test_bare_url_on_the_line_after_its_label() -> None:
    text = (
        "The crime panel meeting is on 30 January at 2pm.\n\n"
        "To follow it online:\n\nhttps://panel.example.org/live"
    )
    [found] = find_meetings(ArticleText(text), PUBLISHED)
    assert found.url == "https://panel.example.org/live"


def test_write_up_with_a_past_verb_reads_the_last_weekday() -> None:
    # Published on a Thursday: "on Tuesday night" in a write-up is two days before.
    text = "Dozens of shopkeepers crowded into a business crime forum on Tuesday night."
    [found] = find_meetings(ArticleText(text), PUBLISHED)
    assert found.date == date(2025, 1, 7)


def test_a_planned_session_on_a_weekday_is_ahead() -> None:
    text = "A scheduled Q&A session on Tuesday follows complaints about parking."
    [found] = find_meetings(ArticleText(text), PUBLISHED)
    assert found.date == date(2025, 1, 14)


@pytest.mark.parametrize(
    "text",
    [
        # A listing for something that is no meeting.
        "**Charity fun run**\nWhen: 4/2/2025, 09:00\nWhere: Riverside Park",
        # A private session, labelled like a listing.
        "**Leadership board (private session)**\nDate and time: 4/2/2025, 18:00",
        # A question time with no date.
        "The next Policing Question Time will be announced in the spring.",
        # A court listing.
        "The sentencing hearing at the crown court is on 4/2/2025 at 10:00.",
        # A label with no date after a meeting line.
        "**Rural Crime Forum**\nWhen: to be confirmed\nWhere: Market Hall",
    ],
)
def test_listings_that_are_not_dated_public_meetings(text: str) -> None:
    assert find_meetings(ArticleText(text), PUBLISHED) == []


# --- how real previews date their meetings (issue 13) ------------------------------------

# A Tuesday in September: a preview of an autumn meeting.
AUTUMN = datetime(2021, 9, 21, 9, 0, tzinfo=UTC)


def dated(
    text: str, published: datetime = AUTUMN, title: str | None = None
) -> list[tuple[date, time | None, str | None]]:
    return [(m.date, m.time, m.where) for m in find_meetings(ArticleText(text), published, title)]


def test_a_later_sentence_refers_back_to_the_meeting_named_before() -> None:
    text = (
        "Residents can put questions to the chief constable at the PCC Accountability "
        "Meeting.\n\n"
        "The commissioner set the quarterly meetings up this year.\n\n"
        "He says the scrutiny matters to every town in the county.\n\n"
        "The event takes place online on Wednesday, October 20."
    )
    assert [d for d, _, _ in dated(text)] == [date(2021, 10, 20)]
    first = (
        "The commissioner will open her quarterly assurance meetings to the public.\n\n"
        "The first will take place on Monday, October 11 in the council chamber."
    )
    assert [d for d, _, _ in dated(first)] == [date(2021, 10, 11)]


def test_a_streamed_acronym_in_the_sentence_after_the_meeting_noun() -> None:
    text = (
        "The commissioner will hold her next public Q&A session with the chief constable "
        "next week.\n\n"
        "CAPS (Commissioner’s Accountability and Police Scrutiny) will be live-streamed on "
        "Facebook at 6pm on Monday, October 4."
    )
    assert dated(text) == [(date(2021, 10, 4), time(18, 0), "Online")]


def test_the_headline_can_name_the_meeting_the_text_only_streams() -> None:
    text = "VOICE will be webcast at 7pm on Tuesday 5 October from the county offices."
    assert dated(text) == []
    assert [d for d, _, _ in dated(text, title="Commissioner to host live Q&A session")] == [
        date(2021, 10, 5)
    ]


def test_a_question_deadline_is_not_the_meeting_date() -> None:
    text = (
        "Questions for the PCC Accountability Meeting must be submitted no later than 5pm "
        "on Monday 11 October. The meeting takes place at 10am on Tuesday 26 October.\n\n"
        "Questions can be submitted by Wednesday, October 6 at "
        "wessex-pcc.gov.uk/key-information/pcc-accountability-meeting/"
    )
    assert dated(text) == [(date(2021, 10, 26), time(10, 0), None)]


def test_an_earlier_meeting_of_the_series_mentioned_in_passing_is_not_listed() -> None:
    preview = (
        "The next Accountability Meeting will be held on Wednesday 20 October.\n\n"
        "The first of these meetings was held on July 29 and heard thirty questions."
    )
    assert [d for d, _, _ in dated(preview)] == [date(2021, 10, 20)]
    write_up = (
        "The panel meeting on Tuesday 14 September heard thirty questions.\n\n"
        "The next meeting will be held on Wednesday 20 October."
    )
    assert [d for d, _, _ in dated(write_up)] == [date(2021, 9, 14), date(2021, 10, 20)]


def test_a_streamed_meeting_keeps_its_venue() -> None:
    text = (
        "The panel meets at County Buildings in Stafford at 10am on Monday 4 October and "
        "will be broadcast live online."
    )
    assert dated(text) == [(date(2021, 10, 4), time(10, 0), "County Buildings")]


# -- the agenda's first look: could an article state a meeting at all? ---------------------


@pytest.mark.parametrize(
    "markdown",
    [
        "The *Rural Crime Panel* meets on 21 January 2025 at 7pm.",
        "The Rural Crime **Panel** meets on 21 January 2025 at 7pm.",
        "Join the **Q\\&A** with the commissioner on 21 January 2025.",
        "A community drop\\-in runs on 21 January 2025 at the library.",
        "Policing question  time is on Tuesday 21 January 2025 at 7pm.",
        "Come to the [public meeting](https://pcc.example/m) on 21 January 2025.",
        "A public consultation event is on 21 January 2025 at 6pm.",
        "A public hearing on the force budget is on Tuesday 21 January 2025 at 7pm.",
        "The hearing, open to the public, is on Tuesday 21 January 2025 at 7pm in the Town Hall.",
    ],
)
def test_the_first_look_passes_every_way_a_meeting_is_written(markdown: str) -> None:
    assert find_meetings(ArticleText(markdown), PUBLISHED), "the reader finds a meeting"
    assert may_name_meeting("Notice", markdown)


def test_the_first_look_passes_a_meeting_named_only_in_the_headline() -> None:
    text = "It takes place on 21 January 2025 at 7pm in the village hall."
    assert find_meetings(ArticleText(text), PUBLISHED, "Rural crime panel meets")
    assert may_name_meeting("Rural crime panel meets", text)
    assert not may_name_meeting("Cyclist hurt", text)


def test_the_first_look_turns_away_articles_with_no_meeting_word() -> None:
    text = "A man was charged with possession after officers stopped a car on the A36 aboard."
    assert not may_name_meeting("Man charged after car stopped", text)
    court = "He will appear for a hearing at Ashby Magistrates on 21 January 2025."
    assert not find_meetings(ArticleText(court), PUBLISHED)
    assert not may_name_meeting("Man to appear in court", court), "a court's hearing"


def test_the_first_look_never_turns_away_an_article_the_reader_finds_a_meeting_in() -> None:
    """Over every article of the annotated sets there are (the shared ones when present)."""
    from tests.support.paths import REPO
    from tests.support.sets import load_set

    sets = [REPO / "tests" / "heldout"]
    sets += [SHARED / n for n in ("seeds", "devset", "realdev") if (SHARED / n).exists()]
    checked = with_meetings = 0
    for folder in sets:
        for article in load_set(folder):
            found = find_meetings(ArticleText(article.text), article.published, article.title)
            checked += 1
            if found:
                with_meetings += 1
                assert may_name_meeting(article.title, article.text), article.link
    assert checked >= 26 and with_meetings >= 3
