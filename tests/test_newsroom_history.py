"""The force's history through the façade: a real SQLite store, the devset's articles.

The devset's Chiltern Vale Constabulary was told in June 2024 (PEEL) that its crime
recording requires improvement, and a crime data integrity inspection graded it good in
May 2025: two stories that know each other here, in the stories the CLI exports, in the
one story the reader shows, and in the JSON and Markdown digests.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from heraldtui.core.models import FeedState, MergedStory
from heraldtui.core.newsroom import Newsroom, render_digest
from tests.support.paths import SHARED
from tests.support.sets import load_set

DEVSET = SHARED / "devset"
FORCE = "Chiltern Vale Constabulary"

pytestmark = pytest.mark.skipif(
    not (DEVSET / "articles.jsonl").exists(), reason="../shared/devset is not here"
)


@pytest.fixture
def newsroom(tmp_path: Path) -> Iterator[Newsroom]:
    """The devset stored as its feeds would have stored it (no network: straight to the
    store), under a feeds file that names every feed."""
    articles = load_set(DEVSET)
    feeds = sorted({a.feed for a in articles})
    lines = []
    for n, name in enumerate(feeds):
        lines += ["[[feeds]]", f"name = {json.dumps(name)}", f'url = "https://f{n}.example/"', ""]
    config = tmp_path / "feeds.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    room = Newsroom.open(config, tmp_path / "data")
    for n, name in enumerate(feeds):
        state = FeedState(name, f"https://f{n}.example/", "ok", datetime.now(UTC))
        room.store.save_feed_result(state, [a for a in articles if a.feed == name])
    try:
        yield room
    finally:
        room.close()


def chiltern(stories: list[MergedStory]) -> tuple[MergedStory, MergedStory]:
    """(the PEEL story, the crime data integrity story) of Chiltern Vale."""
    ours = [s for s in stories if s.story.force == FORCE and s.story.kind == "inspection"]
    by_type = {s.story.inspection_type: s for s in ours}
    return by_type["peel"], by_type["crime-data-integrity"]


def test_crime_recording_shows_the_june_2024_grade_it_improved_from(newsroom: Newsroom) -> None:
    peel, cdi = chiltern(newsroom.stories())
    (recording,) = [g for g in cdi.grades if g.area == "recording-data"]
    assert recording.grade == "good"
    assert recording.previous is not None
    assert recording.previous.grade == "requires-improvement"
    assert recording.previous.story == peel.story.id
    assert recording.previous.published == date(2024, 6, 6)
    assert cdi.previous_inspection == peel.story.id
    assert [(r.story, r.relation) for r in cdi.related] == [(peel.story.id, "earlier-inspection")]
    assert [(r.story, r.relation) for r in peel.related] == [(cdi.story.id, "revisit")]
    assert peel.previous_inspection is None
    assert all(g.previous is None for g in peel.grades)


def test_the_story_on_screen_gets_the_same_history(newsroom: Newsroom) -> None:
    listed = newsroom.stories(merge=False)
    _, cdi = chiltern(listed)
    assert cdi.previous_inspection is None and not cdi.related, "a listing carries no history"
    shown = newsroom.merge_with_history(cdi.story)
    reference = chiltern(newsroom.stories())[1]
    assert shown.previous_inspection == reference.previous_inspection is not None
    assert shown.grades == reference.grades
    assert shown.related == reference.related


def test_history_without_a_listing_first(newsroom: Newsroom, tmp_path: Path) -> None:
    """A Newsroom asked for one story before any listing lists once itself."""
    _, cdi = chiltern(newsroom.stories(merge=False))
    fresh = Newsroom.open(newsroom.config_path, tmp_path / "data")
    try:
        shown = fresh.merge_with_history(cdi.story)
    finally:
        fresh.close()
    assert shown.previous_inspection is not None


def test_json_digest_carries_the_added_keys_everywhere(newsroom: Newsroom) -> None:
    stories = newsroom.stories()
    digest = json.loads(render_digest(stories, "json"))
    for story in digest["stories"]:
        assert "previous_inspection" in story and isinstance(story["related"], list)
        assert all(set(r) == {"story", "relation"} for r in story["related"])
        assert all("previous" in g for g in story["grades"])
    by_id = {s["id"]: s for s in digest["stories"]}
    peel, cdi = chiltern(stories)
    written = by_id[cdi.story.id]
    assert written["previous_inspection"] == peel.story.id
    assert written["related"] == [{"story": peel.story.id, "relation": "earlier-inspection"}]
    assert written["grades"][0]["previous"] == {
        "grade": "requires-improvement",
        "story": peel.story.id,
        "published": "2024-06-06",
    }
    assert by_id[peel.story.id]["related"] == [{"story": cdi.story.id, "relation": "revisit"}]
    others = [s for s in digest["stories"] if s["id"] not in {peel.story.id, cdi.story.id}]
    assert all(s["previous_inspection"] is None and s["related"] == [] for s in others)


def test_export_writes_the_history_too(newsroom: Newsroom, tmp_path: Path) -> None:
    """`export` merges what it writes again: the history must come with it."""
    listed = newsroom.stories(merge=False)
    out = tmp_path / "digest.md"
    newsroom.export(listed, out, "markdown")
    text = out.read_text(encoding="utf-8")
    assert "↑ up from Requires improvement (6 June 2024)" in text
    assert "### Related stories" in text
    assert "- Earlier inspection, 6 June 2024: HMICFRS publishes PEEL report" in text


def test_the_force_screen_shows_chiltern_vale_over_time(newsroom: Newsroom) -> None:
    """`force_view`: the two inspections in order, crime recording from RI to good in the
    grid, the commissioner and the chief constable (not the inspector, not a
    superintendent), and the force's stories newest first."""
    listed = newsroom.stories(merge=False)
    view = newsroom.force_view(FORCE, today=date(2025, 6, 1))
    assert [(i.story.story.inspection_type, i.day) for i in view.inspections] == [
        ("peel", date(2024, 6, 6)),
        ("crime-data-integrity", date(2025, 5, 22)),
    ]
    assert view.columns == view.inspections
    (recording,) = [row for row in view.grid if row.area == "recording-data"]
    before, after = recording.cells
    assert before is not None and before.grade == "requires-improvement"
    assert after is not None and after.grade == "good"
    assert after.previous is not None and after.previous.grade == "requires-improvement"
    assert [(p.role, p.name) for p in view.people] == [
        ("Police and Crime Commissioner", "Valerie Stroud"),
        ("Chief Constable", "Neil Ashcombe"),
    ]
    ours = [s.story for s in listed if s.story.force == FORCE]
    assert view.stories == len(ours) == len(view.recent)
    assert view.recent[0].id == view.inspections[-1].story.story.id, "the newest story first"
    assert view.meetings == ()


def test_the_force_screen_lists_a_meeting_until_its_day(newsroom: Newsroom) -> None:
    force = "Tyne Borders Police"
    before = newsroom.force_view(force, today=date(2025, 1, 2))
    assert [(m.meeting.date, m.meeting.name) for m in before.meetings] == [
        (date(2025, 1, 15), "Community Safety Public Meeting")
    ]
    assert newsroom.force_view(force, today=date(2025, 1, 15)).meetings, "on the day itself"
    assert newsroom.force_view(force, today=date(2025, 1, 16)).meetings == ()
