"""The JSON digest's story keys (CONTRACT.md): `inspection_type` beside the kind."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from heraldtui.core.models import Article, MergedStory, Story
from heraldtui.core.output.digest import build_digest, render_json, story_to_dict


def _article() -> Article:
    when = datetime(2024, 10, 21, 9, tzinfo=UTC)
    return Article("Outlet", "g1", "https://news.example/1", "T", None, when, "", "text")


def test_an_inspection_story_says_its_kind_of_inspection() -> None:
    story = Story("s1", "T", "inspection", "Wolds Constabulary", (_article(),), "engage")
    assert story_to_dict(MergedStory(story))["inspection_type"] == "engage"


def test_other_stories_have_a_null_inspection_type() -> None:
    story = Story("s2", "T", "meeting", None, (_article(),))
    raw = render_json(build_digest([MergedStory(story)], datetime(2024, 11, 1, tzinfo=UTC)))
    [entry] = json.loads(raw)["stories"]
    assert "inspection_type" in entry and entry["inspection_type"] is None
    assert list(entry)[:4] == ["id", "title", "kind", "inspection_type"]
