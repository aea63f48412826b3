"""Grades as real outlets phrase them: one construction per test, each sentence written for
the test (invented forces and people; see docs/phrasing.md for the construction list)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from heraldtui.core.facts.areas import area_key, area_spans
from heraldtui.core.facts.grade_prose import prose_grades
from heraldtui.core.facts.grades import find_grades
from heraldtui.core.read.article_text import ArticleText

PUBLISHED = datetime(2024, 6, 3, 9, tzinfo=UTC)
CONTEXT = "The inspectorate published its PEEL report on Wyvern Constabulary today.\n\n"


def grades_of(sentence: str, title: str = "Inspection report") -> set[tuple[str, str]]:
    """(area, grade) pairs an article of one sentence states, historic ones left out."""
    found = find_grades(ArticleText(CONTEXT + sentence), PUBLISHED, title)
    return {(m.area, m.grade) for m in found if not m.historic}


# ------------------------------------------------------------------ how areas are named


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("investigates crime", "investigating"),
        ("how it investigates crime", "investigating"),
        ("the way the force responds to the public", "responding"),
        ("how Wyvern Police manages offenders and suspects", "managing-offenders"),
        ("its ability to protect vulnerable people", "protecting-vulnerable"),
        ("its approach to investigating crime", "investigating"),
        ("supporting and protecting it's workforce", "workforce"),
        ("responding to public", "responding"),
        ("how effective is the force at investigating crime?", "investigating"),
        ("the way it treats the public and its workforce", "legitimacy"),
        ("effectively reducing crime and keeping people safe", "effectiveness"),
        ("operating efficiently", "efficiency"),
        ("strategic planning, organisational management and value for money",
         "good-use-of-resources"),
        ("response to serious, organised crime", "serious-organised-crime"),
        ("the extent to which the force is efficient at keeping people safe and reducing crime",
         "efficiency"),
        ("the extent to which the force treats the public and its workforce legitimately",
         "legitimacy"),
    ],
)  # fmt: skip
def test_an_area_is_named_by_its_verb_or_an_older_framework_name(written: str, key: str) -> None:
    assert area_key(written) == key


def test_two_verbs_sharing_one_object_name_two_areas() -> None:
    keys = [
        key for _, _, key in area_spans("It was rated good at preventing and investigating crime.")
    ]
    assert keys == ["preventing-crime", "investigating"]


def test_a_shared_object_needs_both_verbs_to_be_areas() -> None:
    keys = [
        key for _, _, key in area_spans("They were praised for cycling and investigating crime.")
    ]
    assert keys == ["investigating"]


# ------------------------------------------------------------------ verbs and connectors


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The report rates its ability to investigate crime as 'adequate'.",
         {("investigating", "adequate")}),
        ("Its ability to protect vulnerable people was ranked as 'good'.",
         {("protecting-vulnerable", "good")}),
        ("Inspectors found Wyvern Police to be inadequate at responding to the public and "
         "recording crime data.", {("responding", "inadequate"), ("recording-data", "inadequate")}),
        ("Wyvern classes as 'requires improvement' in how it manages offenders.",
         {("managing-offenders", "requires-improvement")}),
        ("The force received a 'good' rating for its treatment of the public.",
         {("public-treatment", "good")}),
        ("The areas graded 'inadequate' included how the force investigates crime and how it "
         "responds to the public.",
         {("investigating", "inadequate"), ("responding", "inadequate")}),
        ("Four areas were found to 'require improvement', which were responding to the public and "
         "investigating crime.",
         {("responding", "requires-improvement"), ("investigating", "requires-improvement")}),
        ("The force was 'outstanding' when it came to recording data about crime.",
         {("recording-data", "outstanding")}),
        ("It was assessed as good in respect of its legitimacy.", {("legitimacy", "good")}),
        ("The force was rated adequate in terms of responding to the public.",
         {("responding", "adequate")}),
        ("The extent to which Wyvern is effective at reducing crime and keeping people safe "
         "is: good.", {("effectiveness", "good")}),
        ("The force was graded 'outstanding' in six areas by His Majesty's Inspectorate of "
         "Constabulary (HMICFRS) including preventing crime and use of resources.",
         {("preventing-crime", "outstanding"), ("good-use-of-resources", "outstanding")}),
        ("The report gave Wyvern two 'adequate' ratings, for responding to the public and "
         "managing offenders.", {("responding", "adequate"), ("managing-offenders", "adequate")}),
        ("Inspectors praised how the force records crime, which was visited last autumn and "
         "which is now rated 'outstanding'.", {("recording-data", "outstanding")}),
        ("It requires improvement in responding to the public, investigating crime, protecting "
         "vulnerable people and supporting and protecting it's workforce.",
         {(a, "requires-improvement") for a in
          ("responding", "investigating", "protecting-vulnerable", "workforce")}),
    ],
)  # fmt: skip
def test_a_grade_reaches_its_areas(sentence: str, expected: set[tuple[str, str]]) -> None:
    assert grades_of(sentence) == expected


def test_a_list_may_hold_one_item_the_table_does_not_know() -> None:
    sentence = (
        "Under the 'adequate' grade were recording data about crime; preventing crime; "
        "tackling fly-tipping; managing offenders and leadership and force management."
    )
    assert grades_of(sentence) == {
        (a, "adequate")
        for a in ("recording-data", "preventing-crime", "managing-offenders", "leadership")
    }


def test_two_unknown_items_end_the_list() -> None:
    sentence = (
        "The force was rated 'good' for preventing crime, its canteen, its car park and "
        "managing offenders."
    )
    assert grades_of(sentence) == {("preventing-crime", "good")}


def test_the_same_grade_refers_to_the_grade_just_given() -> None:
    text = (
        "Inspectors graded Wyvern Police 'good' for investigating crime. The same grade was "
        "given for building, supporting and protecting its workforce."
    )
    assert grades_of(text) == {("investigating", "good"), ("workforce", "good")}


# ------------------------------------------------------------------ what is not a grade


@pytest.mark.parametrize(
    "sentence",
    [
        "Wyvern Police is 'good' or 'adequate' in all areas, except investigating crime.",
        "Wyvern Police missed out on an 'outstanding' grade for managing offenders.",
        "No area was graded inadequate, and none was rated outstanding for investigating crime.",
        "Nationally, eight forces were rated inadequate for responding to the public.",
        "The chief constable said Wyvern aims to be rated outstanding for investigating crime.",
        "READ MORE: Mercia Vale Police 'requires improvement' at investigating crime",
        "In terms of responding to the public, one was classed as outstanding and four as good.",
        "The force needs to improve how it investigates crime and responds to the public.",
    ],
)
def test_no_grade_is_read_from(sentence: str) -> None:
    assert grades_of(sentence) == set()


def test_an_exception_is_no_area_of_the_grade_before_it() -> None:
    sentence = (
        "Wyvern Police is 'good' in all areas, except investigating crime, where it "
        "'requires improvement'."
    )
    assert grades_of(sentence) == {("investigating", "requires-improvement")}


def test_a_year_since_which_a_grade_holds_is_no_earlier_inspection() -> None:
    sentence = "In its first report since 2019, the force was rated 'good' for preventing crime."
    assert grades_of(sentence) == {("preventing-crime", "good")}
    earlier = "In 2019 the force was rated 'good' for preventing crime."
    assert grades_of(earlier) == set()


# ------------------------------------------------------------------ quotes and headlines


def test_a_quote_states_a_grade_only_with_a_word_of_grading() -> None:
    claim = 'The chief constable said: "We are good at investigating crime and proud of it."'
    assert grades_of(claim) == set()
    finding = (
        'The chief constable said: "Developing our workforce, which was recognised as Good by '
        'the inspectors, matters most to me."'
    )
    assert grades_of(finding) == {("workforce", "good")}


def test_a_headline_states_grades() -> None:
    body = "The force has published its response to the inspectorate's findings."
    found = find_grades(
        ArticleText(body),
        PUBLISHED,
        "Wyvern Police 'inadequate' at preventing and investigating crime",
    )
    assert {(m.area, m.grade) for m in found} == {
        ("preventing-crime", "inadequate"),
        ("investigating", "inadequate"),
    }


def test_a_photo_caption_is_not_the_lead_that_decides_a_passing_mention() -> None:
    text = (
        "Officers on patrol in the town centre. Credit: Wyvern Police\n\n"
        "A watchdog has published its findings on the force.\n\n"
        "The force was rated 'good' for preventing crime."
    )
    found = find_grades(ArticleText(text), PUBLISHED, "Victims let down, report finds")
    assert [(m.area, m.historic) for m in found] == [("preventing-crime", False)]


def test_strong_only_keeps_grades_stated_with_a_word_of_grading() -> None:
    assert prose_grades("It is good at preventing crime.", strong_only=True) == []
    assert prose_grades("It was rated good at preventing crime.", strong_only=True) == [
        ("preventing-crime", "good", 21)
    ]
