"""A force over time (`facts/history.py`): previous inspections, grade changes, the thread.

The stories here are written for these tests: two invented forces, their inspections
(with the facts a merge would give them, set by hand so each rule is tested on its own)
and the stories that follow them. A test per relation and per change direction, the
thresholds at their edges, and how few stories a history merges.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta

import pytest

from heraldtui.core.facts.history import (
    MEETING_WINDOW_DAYS,
    MONITORING_WINDOW_DAYS,
    PREVIOUS_WITHIN_DAYS,
    RESPONSE_WINDOW_DAYS,
    SAME_INSPECTION_DAYS,
    ForceHistory,
)
from heraldtui.core.models import (
    Article,
    GradeCounts,
    GradeFact,
    MeetingFact,
    MergedStory,
    PreviousGrade,
    Story,
    StoryKind,
)
from heraldtui.core.output.wording import change_phrase, grade_change

FORCE = "Fenmarsh Constabulary"
NEIGHBOUR = "Wealdbury Police"
START = date(2022, 3, 10)


def day(offset: int) -> date:
    return START + timedelta(days=offset)


def story(
    slug: str,
    title: str,
    offset: int,
    *,
    kind: StoryKind = "other",
    inspection_type: str | None = None,
    force: str | None = FORCE,
    text: str = "",
) -> Story:
    when = day(offset)
    article = Article(
        feed="Fen Echo",
        guid=slug,
        link=f"https://fenecho.example/{slug}",
        title=title,
        author=None,
        published=datetime.combine(when, time(9, 0), tzinfo=UTC),
        summary="",
        content=text,
    )
    return Story(f"id-{slug}", title, kind, force, (article,), inspection_type)


def inspection(
    slug: str,
    offset: int,
    grades: Mapping[str, str],
    *,
    inspection_type: str = "peel",
    force: str = FORCE,
    counts: bool = False,
) -> MergedStory:
    s = story(
        slug,
        f"Inspectors publish their report on {force} ({slug})",
        offset,
        kind="inspection",
        inspection_type=inspection_type,
        force=force,
        text="The inspectorate graded the force in its latest report.",
    )
    link = s.articles[0].link
    facts = tuple(GradeFact(area, area, grade, (link,)) for area, grade in grades.items())
    tally = GradeCounts((("good", 2),), (link,)) if counts else None
    return MergedStory(s, grades=facts, grade_counts=tally)


class Merges:
    """The merge a Newsroom would pass: facts set by hand, every call recorded."""

    def __init__(self, merged: list[MergedStory]) -> None:
        self.by_id = {m.story.id: m for m in merged}
        self.calls: list[str] = []

    def __call__(self, s: Story) -> MergedStory:
        self.calls.append(s.id)
        return self.by_id.get(s.id) or MergedStory(s)


def histories(*merged: MergedStory) -> tuple[dict[str, MergedStory], Merges]:
    """Every story with its history, by slug (the id without `id-`), and the merges made."""
    merges = Merges(list(merged))
    history = ForceHistory([m.story for m in merged], merges)
    return {m.story.id[3:]: history.of(m) for m in merged}, merges


def links(merged: MergedStory) -> list[tuple[str, str]]:
    return [(r.story[3:], r.relation) for r in merged.related]


def previous(merged: MergedStory) -> dict[str, tuple[str, str, date | None]]:
    return {
        g.area: (g.previous.grade, g.previous.story[3:], g.previous.published)
        for g in merged.grades
        if g.previous is not None
    }


# -- previous inspections and grade changes --------------------------------------------


def test_a_peel_after_a_peel_knows_each_areas_previous_grade_and_how_it_moved() -> None:
    first = inspection(
        "peel-one",
        0,
        {"recording-data": "requires-improvement", "responding": "good", "workforce": "adequate"},
    )
    second = inspection(
        "peel-two",
        400,
        {
            "recording-data": "good",
            "responding": "adequate",
            "workforce": "adequate",
            "leadership": "good",
        },
    )
    got, _ = histories(first, second)
    later = got["peel-two"]
    assert later.previous_inspection == "id-peel-one"
    assert previous(later) == {
        "recording-data": ("requires-improvement", "peel-one", START),
        "responding": ("good", "peel-one", START),
        "workforce": ("adequate", "peel-one", START),
    }
    changes = {g.area: grade_change(g, later) for g in later.grades}
    assert changes == {
        "recording-data": "improved",
        "responding": "worse",
        "workforce": "same",
        "leadership": "new",
    }
    words = {g.area: change_phrase(g, later) for g in later.grades}
    assert words["recording-data"] == "↑ up from Requires improvement (10 March 2022)"
    assert words["responding"] == "↓ down from Good (10 March 2022)"
    assert words["workforce"] == "= same as 10 March 2022"
    assert words["leadership"] == "+ new area (not graded 10 March 2022)"
    assert links(later) == [("peel-one", "earlier-inspection")]
    assert got["peel-one"].previous_inspection is None
    assert links(got["peel-one"]) == [("peel-two", "revisit")]
    assert all(g.previous is None for g in got["peel-one"].grades)
    assert all(change_phrase(g, got["peel-one"]) is None for g in got["peel-one"].grades)


def test_a_crime_data_revisit_takes_its_previous_grade_from_the_peel_that_found_the_problem() -> (
    None
):
    peel = inspection("peel", 0, {"recording-data": "inadequate", "investigating": "good"})
    revisit = inspection(
        "cdi", 350, {"recording-data": "adequate"}, inspection_type="crime-data-integrity"
    )
    got, _ = histories(peel, revisit)
    assert got["cdi"].previous_inspection == "id-peel"
    assert previous(got["cdi"]) == {"recording-data": ("inadequate", "peel", START)}
    assert links(got["cdi"]) == [("peel", "earlier-inspection")]
    assert links(got["peel"]) == [("cdi", "revisit")]


def test_an_area_compares_with_the_latest_inspection_that_graded_it_of_any_type() -> None:
    """PEEL, then a crime data inspection, then PEEL again: crime recording is compared
    with the crime data inspection, every other area with the first PEEL."""
    peel = inspection("peel-one", 0, {"recording-data": "inadequate", "responding": "adequate"})
    cdi = inspection(
        "cdi",
        380,
        {"recording-data": "requires-improvement"},
        inspection_type="crime-data-integrity",
    )
    again = inspection("peel-two", 760, {"recording-data": "good", "responding": "adequate"})
    got, _ = histories(peel, cdi, again)
    assert got["peel-two"].previous_inspection == "id-peel-one"
    assert previous(got["peel-two"]) == {
        "recording-data": ("requires-improvement", "cdi", day(380)),
        "responding": ("adequate", "peel-one", START),
    }
    assert links(got["peel-one"]) == [("cdi", "revisit"), ("peel-two", "revisit")]
    assert links(got["cdi"]) == [("peel-one", "earlier-inspection")]


def test_an_earlier_inspection_without_findings_is_not_the_previous_one() -> None:
    graded = inspection("graded", 0, {"responding": "good"})
    preview = MergedStory(
        story(
            "preview",
            "Inspectors will visit the force next spring",
            500,
            kind="inspection",
            inspection_type="peel",
        )
    )
    latest = inspection("latest", 900, {"responding": "adequate"})
    got, _ = histories(graded, preview, latest)
    assert got["latest"].previous_inspection == "id-graded"
    assert previous(got["latest"]) == {"responding": ("good", "graded", START)}


def test_counts_alone_are_findings_enough_to_be_the_previous_inspection() -> None:
    counted = inspection("counted", 0, {}, counts=True)
    latest = inspection("latest", 700, {"responding": "good"})
    got, _ = histories(counted, latest)
    assert got["latest"].previous_inspection == "id-counted"
    assert [grade_change(g, got["latest"]) for g in got["latest"].grades] == ["new"]


def test_an_inspection_too_long_ago_is_not_the_previous_one() -> None:
    old = inspection("old", 0, {"responding": "good"})
    far = inspection("far", PREVIOUS_WITHIN_DAYS + 1, {"responding": "good"})
    near = inspection("near", 0, {"responding": "good"}, force=NEIGHBOUR)
    close = inspection("close", PREVIOUS_WITHIN_DAYS, {"responding": "good"}, force=NEIGHBOUR)
    got, _ = histories(old, far, near, close)
    assert got["far"].previous_inspection is None and not got["far"].related
    assert got["close"].previous_inspection == "id-near"


def test_a_write_up_months_after_the_report_is_coverage_not_a_new_inspection() -> None:
    report = inspection("report", 0, {"investigating": "requires-improvement"})
    write_up = inspection("write-up", SAME_INSPECTION_DAYS - 1, {"investigating": "adequate"})
    got, _ = histories(report, write_up)
    assert got["write-up"].previous_inspection is None
    assert previous(got["write-up"]) == {}
    assert not got["report"].related


def test_a_preview_without_findings_does_not_swallow_the_report_after_it() -> None:
    preview = MergedStory(
        story(
            "preview",
            "Force prepares for its inspection",
            0,
            kind="inspection",
            inspection_type="peel",
        )
    )
    earlier = inspection("earlier", -800, {"responding": "inadequate"})
    report = inspection("report", 90, {"responding": "adequate"})
    got, _ = histories(earlier, preview, report)
    assert got["report"].previous_inspection == "id-earlier"


def test_other_forces_are_never_compared() -> None:
    mine = inspection("mine", 0, {"responding": "good"})
    theirs = inspection("theirs", 400, {"responding": "inadequate"}, force=NEIGHBOUR)
    got, _ = histories(mine, theirs)
    assert got["theirs"].previous_inspection is None
    assert not got["theirs"].related and not got["mine"].related


def test_a_story_without_a_force_or_a_date_is_left_as_it_is() -> None:
    base = inspection("base", 0, {"responding": "good"})
    stray = MergedStory(story("stray", "Commissioner welcomes report", 5, force=None))
    dated = story("undated", "Force responds to the inspection report", 0)
    article = dataclasses.replace(dated.articles[0], published=None)
    undated = MergedStory(dataclasses.replace(dated, articles=(article,)))
    got, _ = histories(base, stray, undated)
    assert got["stray"] == stray and got["undated"] == undated
    assert not got["base"].related


# -- the thread: follow-ups and back ----------------------------------------------------

REPORT = {"recording-data": "inadequate"}


def test_a_response_within_weeks_is_linked_both_ways() -> None:
    report = inspection("report", 0, REPORT)
    reply = MergedStory(
        story(
            "reply",
            "Commissioner welcomes plan to fix crime recording",
            RESPONSE_WINDOW_DAYS,
            text="She said the inspection showed where the force must do better.",
        )
    )
    got, _ = histories(report, reply)
    assert links(got["report"]) == [("reply", "response")]
    assert links(got["reply"]) == [("report", "earlier-inspection")]
    assert got["reply"].previous_inspection is None


@pytest.mark.parametrize(
    ("title", "offset", "text"),
    [
        ("Commissioner welcomes new cycle lanes", 10, "Nothing here about any report."),
        ("Chief constable responds to the report", RESPONSE_WINDOW_DAYS + 1, "The inspection."),
        ("Faster response times promised", 10, "The inspection said calls took too long."),
        ("Force responds to inspection", -3, "Before the inspectors reported."),
    ],
    ids=["no-inspection-words", "too-late", "response-times-is-not-a-response", "before"],
)
def test_what_is_not_a_response(title: str, offset: int, text: str) -> None:
    report = inspection("report", 0, REPORT)
    other = MergedStory(story("other", title, offset, text=text))
    got, _ = histories(report, other)
    assert not got["report"].related and not got["other"].related


def test_the_meeting_that_scrutinises_the_report_is_linked() -> None:
    report = inspection("report", 0, REPORT)
    notice = story(
        "panel",
        "Panel to question chief constable",
        20,
        kind="meeting",
        text="Members will ask about the inspection of crime recording.",
    )
    panel = MergedStory(
        notice,
        meetings=(MeetingFact("Police and Crime Panel", day(34), time(10, 0), None, ("x",)),),
    )
    got, _ = histories(report, panel)
    assert links(got["report"]) == [("panel", "meeting")]
    assert links(got["panel"]) == [("report", "earlier-inspection")]


def test_a_meeting_far_off_or_about_something_else_is_not_linked() -> None:
    report = inspection("report", 0, REPORT)
    budget = MergedStory(
        story("budget", "Panel sets the budget", 20, kind="meeting", text="Council tax rises."),
        meetings=(MeetingFact("Police and Crime Panel", day(30), None, None, ("x",)),),
    )
    later = MergedStory(
        story("later", "Panel to review the inspection", 30, kind="meeting", text="Inspection."),
        meetings=(
            MeetingFact("Police and Crime Panel", day(MEETING_WINDOW_DAYS + 1), None, None, ()),
        ),
    )
    got, _ = histories(report, budget, later)
    assert not got["report"].related
    assert not got["budget"].related and not got["later"].related


def test_entering_or_leaving_enhanced_monitoring_is_linked_to_the_inspection_before() -> None:
    report = inspection("report", 0, {"responding": "inadequate"})
    engage = MergedStory(
        story(
            "engage",
            "Force taken out of special measures",
            MONITORING_WINDOW_DAYS,
            kind="inspection",
            inspection_type="engage",
        )
    )
    got, _ = histories(report, engage)
    assert links(got["report"]) == [("engage", "monitoring")]
    assert links(got["engage"]) == [("report", "earlier-inspection")]
    assert got["engage"].previous_inspection is None


def test_a_follow_up_belongs_to_the_latest_inspection_before_it() -> None:
    first = inspection("first", 0, {"responding": "inadequate"})
    second = inspection("second", 400, {"responding": "adequate"})
    reply = MergedStory(
        story("reply", "Force responds to second inspection", 410, text="The inspectors found...")
    )
    got, _ = histories(first, second, reply)
    assert links(got["second"]) == [("first", "earlier-inspection"), ("reply", "response")]
    assert links(got["first"]) == [("second", "revisit")]
    assert links(got["reply"]) == [("second", "earlier-inspection")]


def test_a_national_report_is_neither_an_inspection_nor_a_follow_up() -> None:
    report = inspection("report", 0, REPORT)
    national = MergedStory(
        story(
            "national",
            "Federation responds to the annual state of policing report",
            20,
            kind="inspection",
            inspection_type="thematic",
            text="The inspectorate's annual report.",
        )
    )
    got, _ = histories(report, national)
    assert not got["report"].related and not got["national"].related


# -- cost ------------------------------------------------------------------------------


def test_only_the_candidates_are_merged() -> None:
    """Showing one inspection merges its force's earlier inspections and the stories near
    it whose headers pass (kind, days, headline words): no other story of the force, and
    nothing of another force."""
    first = inspection("first", 0, {"responding": "good"})
    second = inspection("second", 500, {"responding": "adequate"})
    reply = MergedStory(story("reply", "Force responds to the report", 510, text="Inspection."))
    chatter = [
        MergedStory(story(f"news-{n}", f"Officers attend village fete {n}", 500 + n))
        for n in range(40)
    ]
    elsewhere = [
        inspection(f"far-{n}", n * 400, {"responding": "good"}, force=NEIGHBOUR) for n in range(3)
    ]
    everything = [first, second, reply, *chatter, *elsewhere]
    merges = Merges(everything)
    history = ForceHistory([m.story for m in everything], merges)
    shown = history.of(second)
    assert shown.previous_inspection == "id-first"
    assert sorted(merges.calls) == ["id-first", "id-reply"]
    again = history.of(reply)
    assert links(again) == [("second", "earlier-inspection")]
    assert sorted(merges.calls) == ["id-first", "id-reply"], "what was merged is kept"


def test_previous_grade_records_the_earlier_story_and_day() -> None:
    first = inspection("first", 0, {"responding": "good"})
    second = inspection("second", 365, {"responding": "good"})
    got, _ = histories(first, second)
    (grade,) = got["second"].grades
    assert grade.previous == PreviousGrade("good", "id-first", START)
