"""Grade extraction, one rule per test, on sentences written for these tests."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from heraldtui.core.facts.areas import area_key, area_keys, area_label, grade_key
from heraldtui.core.facts.grades import find_grades
from heraldtui.core.facts.merge import merge_story
from heraldtui.core.models import Article, Story
from heraldtui.core.read.article_text import ArticleText


def article_grades(text: str, published: datetime | None = None) -> dict[str, str]:
    """The grade each area gets from one article, through the merge's own path (lists
    and tables over prose, then first said; historic mentions left out)."""
    article = Article("Test Gazette", "g1", "https://gazette.example/1", "", None,
                      published, "", text)  # fmt: skip
    merged = merge_story(Story("s1", "", "inspection", None, (article,)))
    return {fact.area: fact.grade for fact in merged.grades}


PEEL_2023 = (
    "recording-data",
    "public-treatment",
    "preventing-crime",
    "responding",
    "investigating",
    "protecting-vulnerable",
    "managing-offenders",
    "workforce",
    "leadership",
)


def test_area_table_lists_the_nine_current_areas_first_and_older_ones_after() -> None:
    assert area_keys()[:9] == PEEL_2023
    assert "good-use-of-resources" in area_keys()
    assert area_label("recording-data") == "Recording data about crime"
    assert area_label("no-such-area") == "No such area"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Crime prevention", "preventing-crime"),
        ("managing offenders", "managing-offenders"),
        ("Developing a positive workplace", "workforce"),
        ("police powers and public treatment", "public-treatment"),
        ("Leadership", "leadership"),
        ("Preventing and deterring crime and anti-social behaviour", "preventing-crime"),
        ("Good use of resources", "good-use-of-resources"),
        ("Police & public treatment", None),
        ("Officer wellbeing", None),
    ],
)
def test_area_names_and_variants_map_to_keys(name: str, key: str | None) -> None:
    assert area_key(name) == key


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("Requirse improvement", "requires-improvement"),
        ("REQUIRES IMPROVEMENT", "requires-improvement"),
        ("inadequte", "inadequate"),
        ("Outstandng", "outstanding"),
        ("good", "good"),
        ("Adequate.", "adequate"),
        ("fine", None),
        ("improvement", None),
    ],
)
def test_grade_words_tolerate_case_and_typos(word: str, key: str | None) -> None:
    assert grade_key(word) == key


def test_bullet_list_with_dashes_and_colons() -> None:
    text = (
        "The inspectors graded the force as follows.\n\n"
        "- Recording data about crime - Inadequate\n"
        "- Investigating crime: requires improvement\n"
        "- Leadership and force management – Requirse improvement\n"
        "- Preventing crime — good"
    )
    assert article_grades(text) == {
        "recording-data": "inadequate",
        "investigating": "requires-improvement",
        "leadership": "requires-improvement",
        "preventing-crime": "good",
    }
    assert all(m.structured for m in find_grades(ArticleText(text)))


def test_markdown_table_rows() -> None:
    text = (
        "| Area | Grade |\n| --- | --- |\n| Responding to the public | Adequate |\n"
        "| Managing offenders | Outstanding |"
    )
    assert article_grades(text) == {"responding": "adequate", "managing-offenders": "outstanding"}


def test_prose_grade_before_a_list_of_areas() -> None:
    text = (
        "Inspectors rated the force good for crime prevention, for managing offenders and "
        "for building, supporting and protecting its workforce."
    )
    assert article_grades(text) == {
        "preventing-crime": "good",
        "managing-offenders": "good",
        "workforce": "good",
    }


def test_prose_areas_before_the_grade_and_a_second_clause() -> None:
    text = (
        "In the inspection, responding to the public and leadership were judged 'adequate', "
        "while investigating crime was 'inadequate'."
    )
    assert article_grades(text) == {
        "responding": "adequate",
        "leadership": "adequate",
        "investigating": "inadequate",
    }


def test_areas_found_to_require_improvement_were() -> None:
    text = (
        "The inspectorate published its report. Areas found to require improvement were "
        "protecting vulnerable people, managing offenders, and leadership."
    )
    assert article_grades(text) == {
        "protecting-vulnerable": "requires-improvement",
        "managing-offenders": "requires-improvement",
        "leadership": "requires-improvement",
    }


def test_is_good_at_and_quoted_grade_with_following_area() -> None:
    text = (
        "After the inspection the force is good at preventing crime. It was rated "
        '"Adequate" for police powers and public treatment, and "Inadequate" for '
        "recording crime."
    )
    assert article_grades(text) == {
        "preventing-crime": "good",
        "public-treatment": "adequate",
        "recording-data": "inadequate",
    }


def test_scare_quoted_grade_naming_its_area() -> None:
    text = "Union leaders said the 'inadequate' grade for developing a positive workplace hurt."
    assert article_grades(text) == {"workforce": "inadequate"}


def test_ordinary_language_is_not_a_grade() -> None:
    text = (
        "Inspectors visited the town. Officers did a good job at the carnival, and the "
        "response to the public was quick. Staffing was inadequate on Saturday night."
    )
    assert find_grades(ArticleText(text)) == []


def test_grade_word_inside_an_area_name_is_not_a_grade() -> None:
    text = "The inspection rated the force adequate for making good use of its resources."
    assert article_grades(text) == {"good-use-of-resources": "adequate"}


def test_no_inspection_context_no_prose_grades() -> None:
    assert find_grades(ArticleText("The bakery is good at preventing crime, locals say.")) == []


def test_earlier_inspection_mentioned_for_context_is_historic() -> None:
    text = (
        "The inspection found the force is now good at recording crime. Last year's report "
        "rated it inadequate for recording data about crime. In March it was rated "
        "adequate for investigating crime."
    )
    published = datetime(2024, 10, 1, tzinfo=UTC)
    mentions = find_grades(ArticleText(text), published)
    assert {(m.area, m.grade, m.historic) for m in mentions} == {
        ("recording-data", "good", False),
        ("recording-data", "inadequate", True),
        ("investigating", "adequate", True),
    }
    assert article_grades(text, published) == {"recording-data": "good"}


def test_grades_inside_a_persons_quote_are_not_read() -> None:
    text = (
        'The inspection report is out. The chief said: "We know we are good at '
        'preventing crime and we will keep it that way."'
    )
    assert find_grades(ArticleText(text)) == []


def test_structured_line_wins_over_prose_in_one_article() -> None:
    text = (
        "The inspectors rated the force good at responding to the public.\n\n"
        "- Responding to the public: Adequate"
    )
    assert article_grades(text) == {"responding": "adequate"}


def test_a_grade_does_not_reach_past_a_clause_to_an_area_with_its_own_grade() -> None:
    text = (
        "The inspectors rated the service good at investigating crime and adequate in two "
        "other areas, but concluded that it requires improvement in three areas and that "
        "its leadership is inadequate."
    )
    assert article_grades(text) == {"investigating": "good", "leadership": "inadequate"}


def test_the_subject_of_a_grade_keeps_it_against_an_earlier_forward_list() -> None:
    text = (
        "After the inspection the force requires improvement in responding to the public "
        "and its crime recording was judged to be good."
    )
    assert article_grades(text) == {
        "responding": "requires-improvement",
        "recording-data": "good",
    }


def test_a_forward_list_still_runs_over_and_in_its() -> None:
    text = (
        "The inspection found it requires improvement in investigating crime and in its leadership."
    )
    assert article_grades(text) == {
        "investigating": "requires-improvement",
        "leadership": "requires-improvement",
    }


def test_a_count_of_areas_then_a_colon_list() -> None:
    text = (
        "Inspectors rated the force adequate in three areas: responding to the public, "
        "managing offenders and protecting vulnerable people."
    )
    assert article_grades(text) == {
        "responding": "adequate",
        "managing-offenders": "adequate",
        "protecting-vulnerable": "adequate",
    }


def test_a_grade_of_x_for_area() -> None:
    assert article_grades("The inspectorate gave it a grade of good for crime prevention.") == {
        "preventing-crime": "good"
    }
    assert article_grades("The inspection gave the mayor a grade of A for effort.") == {}


def test_area_grade_pairs_as_sentences_on_one_line() -> None:
    text = "Preventing crime: Good. Investigating crime: Requires improvement. Parking: Good."
    assert article_grades(text) == {
        "preventing-crime": "good",
        "investigating": "requires-improvement",
    }
    assert all(m.structured for m in find_grades(ArticleText(text)))


def test_table_with_this_and_an_earlier_inspections_grades() -> None:
    text = (
        "| Area | 2022 grade | 2024 grade |\n| --- | --- | --- |\n"
        "| Managing offenders | Inadequate | Good |\n\n"
        "| Area | Grade | Previous grade |\n| --- | --- | --- |\n"
        "| Protecting vulnerable people | Adequate | Good |"
    )
    assert article_grades(text) == {
        "managing-offenders": "good",
        "protecting-vulnerable": "adequate",
    }
    historic = {(m.area, m.grade) for m in find_grades(ArticleText(text)) if m.historic}
    assert historic == {("managing-offenders", "inadequate"), ("protecting-vulnerable", "good")}


def test_table_with_areas_as_column_headers() -> None:
    text = "| Crime recording | Treatment of the public |\n| --- | --- |\n| Inadequate | Good |"
    assert article_grades(text) == {"recording-data": "inadequate", "public-treatment": "good"}


def test_table_rows_without_an_area_or_a_grade_give_nothing() -> None:
    text = (
        "| Team | Result |\n| --- | --- |\n| Response officers | Good |\n"
        "| Investigating crime | Under review |"
    )
    assert find_grades(ArticleText(text)) == []


def test_bullets_with_bold_areas_dashes_and_grade_first() -> None:
    text = (
        "- **Protecting vulnerable people** – Good\n"
        "- Police powers and public treatment — *requires improvement*\n"
        "- Inadequate: good use of resources"
    )
    assert article_grades(text) == {
        "protecting-vulnerable": "good",
        "public-treatment": "requires-improvement",
        "good-use-of-resources": "inadequate",
    }


def test_grades_in_brackets_after_each_area() -> None:
    text = (
        "Inspection grades: preventing crime (good), investigating crime ('adequate') and "
        "leadership (inadequate)."
    )
    assert article_grades(text) == {
        "preventing-crime": "good",
        "investigating": "adequate",
        "leadership": "inadequate",
    }
    # Brackets that hold no grade, and a grade word in brackets with no area before it.
    assert (
        find_grades(ArticleText("The inspection took place (in good weather) at headquarters."))
        == []
    )


def test_a_grade_named_as_a_grade_or_rating() -> None:
    text = (
        "The force received an inadequate grade for recording data about crime in the "
        "inspection, and a good rating for managing offenders."
    )
    assert article_grades(text) == {"recording-data": "inadequate", "managing-offenders": "good"}
    assert (
        find_grades(
            ArticleText("The inspection team had a good lunch before preventing crime talks.")
        )
        == []
    )


def test_one_grade_then_a_list_of_areas_on_a_line() -> None:
    text = (
        "Requires improvement: investigating crime, responding to the public and leadership\n"
        "- Good – preventing crime; managing offenders\n"
        "- Adequate: treatment of the public and parking enforcement"
    )
    assert article_grades(text) == {
        "investigating": "requires-improvement",
        "responding": "requires-improvement",
        "leadership": "requires-improvement",
        "preventing-crime": "good",
        "managing-offenders": "good",
    }


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Engaging with and treating the public with fairness and respect", "public-treatment"),
        ("Disrupting serious and organised crime", "serious-organised-crime"),
        ("Strategic planning, organisational management and value for money",
         "good-use-of-resources"),
        ("Serious case reviews", None),
    ],
)  # fmt: skip
def test_older_framework_area_names(name: str, key: str | None) -> None:
    assert area_key(name) == key


# --- grade headings, paraphrased areas, back-references, passing mentions -----------------


def _current(text: str, published: datetime | None = None, title: str = "") -> dict[str, str]:
    return {
        m.area: m.grade for m in find_grades(ArticleText(text), published, title) if not m.historic
    }


def test_a_grade_heading_applies_to_each_area_line_below_it() -> None:
    text = (
        "Here is how the inspectors judged us:\n\n"
        "## Good\n"
        "Investigating crime<br>\n"
        "Managing offenders\n\n"
        "Requires improvement:\n\n"
        "- Responding to the public\n"
        "- Leadership and force management\n\n"
        "Inadequate\n"
        "Protecting vulnerable people\n\n"
        "We will publish an improvement plan next month."
    )
    assert _current(text) == {
        "investigating": "good",
        "managing-offenders": "good",
        "responding": "requires-improvement",
        "leadership": "requires-improvement",
        "protecting-vulnerable": "inadequate",
    }


def test_a_heading_stops_at_a_line_that_is_not_an_area() -> None:
    text = (
        "**Adequate**\nPreventing crime\nOfficers patrolled the market on Saturday.\n"
        "Investigating crime"
    )
    assert _current(text) == {"preventing-crime": "adequate"}


def test_a_lone_grade_word_with_no_areas_under_it_grades_nothing() -> None:
    assert _current("Good\n\nThe inspection report was published today.") == {}


@pytest.mark.parametrize(
    ("phrase", "key"),
    [
        ("treating people with fairness and respect", "public-treatment"),
        ("treating members of the public with fairness and respect", "public-treatment"),
        ("using its resources", "good-use-of-resources"),
        ("the use of their resources", "good-use-of-resources"),
        ("its handling of 999 calls", "responding"),
    ],
)
def test_paraphrased_areas_in_prose(phrase: str, key: str) -> None:
    text = f"The inspectorate found the force adequate at {phrase}."
    assert _current(text) == {key: "adequate"}


def test_a_report_referred_back_to_in_a_revisit_story_is_context() -> None:
    published = datetime(2025, 6, 5, 9, tzinfo=UTC)
    text = (
        "Inspectors went back to check on crime recording, a year after the PEEL report "
        "published in May 2024.\n\n"
        "At the time they rated the force inadequate for recording data about crime. In "
        "that inspection it was also graded requires improvement for investigating crime.\n\n"
        "The follow-up found the problems fixed."
    )
    found = find_grades(ArticleText(text), published)
    assert found and all(m.historic for m in found)


def test_that_report_in_a_story_about_todays_report_still_counts() -> None:
    published = datetime(2025, 6, 5, 9, tzinfo=UTC)
    text = (
        "The inspectorate published its PEEL report on the force today. In that report "
        "the force was graded good for preventing crime."
    )
    assert _current(text, published) == {"preventing-crime": "good"}


def test_a_passing_mention_in_a_story_about_something_else_is_context() -> None:
    text = (
        "A new police dog unit has opened on the edge of the city.\n\n"
        "The force, which inspectors rated good at protecting vulnerable people in the "
        "spring, says the kennels will house 12 dogs."
    )
    title = "Police dogs get a new home"
    found = find_grades(ArticleText(text), datetime(2025, 6, 5, tzinfo=UTC), title)
    assert found and all(m.historic for m in found)


def test_an_article_headed_about_an_inspection_keeps_a_single_grade_sentence() -> None:
    text = "The force is good at preventing crime, the watchdog said today."
    assert _current(text, title="Watchdog praises force") == {"preventing-crime": "good"}


def test_grades_spread_over_sentences_are_no_passing_mention() -> None:
    text = (
        "The new chief takes over on Monday.\n\n"
        "Inspectors rated the force good for investigating crime. Responding to the "
        "public was judged adequate."
    )
    assert _current(text, title="New chief named") == {
        "investigating": "good",
        "responding": "adequate",
    }
