"""The story view's header names an inspection's kind (issue 12): "Inspection: crime data
integrity", not just "Inspection"."""

from __future__ import annotations

import dataclasses

from tests.tui.conftest import AppFactory, loaded, screen_text
from tests.tui.fixtures import MemoryNewsroom, merged_stories


async def test_the_header_shows_the_kind_of_inspection(make_app: AppFactory) -> None:
    stories = [
        dataclasses.replace(
            m, story=dataclasses.replace(m.story, inspection_type="crime-data-integrity")
        )
        if m.story.kind == "inspection"
        else m
        for m in merged_stories()
    ]
    app = make_app(newsroom=MemoryNewsroom(stored=stories))
    async with app.run_test(size=(120, 40)) as pilot:
        main = await loaded(pilot, app)
        for _ in range(len(stories)):
            shown = main.story_view.story
            if shown is not None and shown.story.kind == "inspection":
                break
            await pilot.press("j")
            await pilot.pause()
        assert "Inspection: crime data integrity · Wiltshire Police" in screen_text(app)
