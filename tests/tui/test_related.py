"""A force over time in the story view: each grade's change since the previous
inspection, and the related stories, opened from the keyboard.

The stories are written for these tests: a force inspected twice, the later report
knowing the earlier one (as the Newsroom's history pass gives it), and a response.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime

from textual.pilot import Pilot

from heraldtui.core.models import (
    Article,
    GradeFact,
    MergedStory,
    PreviousGrade,
    RelatedStory,
    Story,
)
from heraldtui.core.output.wording import Footnotes
from heraldtui.tui.app import HeraldApp
from heraldtui.tui.card import related_card, report_card
from heraldtui.tui.messages import OpenStory, StoryOpened
from heraldtui.tui.screens.main import MainScreen
from heraldtui.tui.widgets.story_view import RelatedItem, StoryView
from tests.tui.conftest import AppFactory, Messages, loaded, screen_text, wait_workers
from tests.tui.fixtures import MemoryNewsroom

FORCE = "Harrowdale Police"
FIRST_DAY = date(2024, 6, 6)


def _article(slug: str, title: str, when: datetime) -> Article:
    link = f"https://harrowdale.example/{slug}"
    return Article("Harrowdale Herald", slug, link, title, None, when, "", "Inspectors said...")


def at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 9, tzinfo=UTC)


def thread() -> list[MergedStory]:
    """Newest first: the later inspection, an unrelated story, the response, the first."""
    first_article = _article("first", "Harrowdale told to record crime properly", at(2024, 6, 6))
    reply_article = _article("reply", "Commissioner responds to inspection", at(2024, 6, 20))
    later_article = _article("later", "Harrowdale now good at recording crime", at(2025, 5, 22))
    news_article = _article("fete", "Officers at the summer fete", at(2024, 12, 1))
    first_day, reply_day, later_day = FIRST_DAY, date(2024, 6, 20), date(2025, 5, 22)
    first = MergedStory(
        Story("first", first_article.title, "inspection", FORCE, (first_article,), "peel"),
        grades=(
            GradeFact(
                "recording-data",
                "Recording data about crime",
                "requires-improvement",
                (first_article.link,),
            ),
        ),
        related=(
            RelatedStory("reply", "response", reply_article.title, reply_day),
            RelatedStory("later", "revisit", later_article.title, later_day),
        ),
    )
    reply = MergedStory(
        Story("reply", reply_article.title, "other", FORCE, (reply_article,)),
        related=(RelatedStory("first", "earlier-inspection", first_article.title, first_day),),
    )
    later = MergedStory(
        Story("later", later_article.title, "inspection", FORCE, (later_article,), "peel"),
        grades=(
            GradeFact(
                "recording-data",
                "Recording data about crime",
                "good",
                (later_article.link,),
                previous=PreviousGrade("requires-improvement", "first", first_day),
            ),
            GradeFact(
                "leadership", "Leadership and force management", "good", (later_article.link,)
            ),
        ),
        previous_inspection="first",
        related=(RelatedStory("first", "earlier-inspection", first_article.title, first_day),),
    )
    news = MergedStory(Story("fete", news_article.title, "other", FORCE, (news_article,)))
    return [later, news, reply, first]


class HistoryRoom(MemoryNewsroom):
    """Records which stories the reader asked to be merged with their history."""

    def __init__(self) -> None:
        super().__init__(stored=thread())
        self.with_history: list[str] = []

    def merge_with_history(self, story: Story) -> MergedStory:
        self.with_history.append(story.id)
        return self.merge(story)


def test_the_report_card_says_how_each_area_moved_and_since_when() -> None:
    later = thread()[0]
    lines = [line.plain for line in report_card(later, Footnotes(later), 80)]
    at = lines.index(next(line for line in lines if "Recording data about crime" in line))
    assert lines[at + 1].strip() == "↑ up from Requires improvement (6 June 2024)"
    assert "+ new area (not graded 6 June 2024)" in lines[-1]
    assert all(len(line) <= 80 for line in lines)
    narrow = [line.plain for line in report_card(later, Footnotes(later), 30)]
    assert all(len(line) <= 30 for line in narrow), "the change wraps, never runs off"
    first = thread()[3]
    assert not any("↑" in line.plain for line in report_card(first, Footnotes(first), 80))


def test_a_related_story_says_how_it_relates_when_and_its_headline() -> None:
    (earlier,) = thread()[0].related
    assert related_card(earlier).plain.split("\n") == [
        "Earlier inspection · 6 Jun 2024",
        "Harrowdale told to record crime properly",
    ]


async def tab_to_related(pilot: Pilot[None], view: StoryView) -> RelatedItem:
    for _ in range(len(view.parts)):
        await pilot.press("tab")
        if isinstance(view.current_part, RelatedItem):
            return view.current_part
    raise AssertionError("no related story to tab to")


async def test_enter_on_a_related_story_opens_it_and_back_again(make_app: AppFactory) -> None:
    room = HistoryRoom()
    app: HeraldApp = make_app(newsroom=room)
    seen = Messages()
    async with app.run_test(size=(80, 24), message_hook=seen) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("enter")  # the later inspection, at the top of the list
        await wait_workers(app)
        await pilot.pause()
        view = main.story_view
        assert room.with_history == ["later"], "the reader asks the Newsroom for the history"
        text = screen_text(app)
        assert "↑ up from Requires improvement (6 June 2024)" in text
        item = await tab_to_related(pilot, view)
        assert item.related.story == "first"
        assert "Related stories" in screen_text(app) and "Earlier inspection" in screen_text(app)
        await pilot.press("enter")
        await wait_workers(app)
        await pilot.pause()
        assert [m.story_id for m in seen.of(OpenStory)] == ["first"]
        assert main.state.reading == "first"
        assert view.story is not None and view.story.story.id == "first"
        assert main.story_list.current is not None
        assert main.story_list.current.story.id == "first", "the list follows"
        assert ("read", ("https://harrowdale.example/later",), True) not in room.writes
        assert any(kind == "read" and value for kind, _, value in room.writes), (
            "the story left is marked read, as J would"
        )
        assert isinstance(app.focused, StoryView)
        titles = [r.story for r in view.story.related]
        assert titles == ["reply", "later"]
        await tab_to_related(pilot, view)
        await pilot.press("tab", "enter")  # the second related story: the later inspection
        await wait_workers(app)
        await pilot.pause()
        assert main.state.reading == "later"
        assert [m.story_id for m in seen.of(StoryOpened)][-1] == "later"


async def test_a_related_story_hidden_by_the_filter_still_opens(make_app: AppFactory) -> None:
    room = HistoryRoom()
    app: HeraldApp = make_app(newsroom=room)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("slash", *"now good", "enter")
        await pilot.pause()
        assert [s.story.id for s in main.shown] == ["later"]
        await pilot.press("enter")
        await wait_workers(app)
        await tab_to_related(pilot, main.story_view)
        await pilot.press("enter")
        await wait_workers(app)
        await pilot.pause()
        assert main.state.reading == "first"
        view = main.story_view
        assert view.story is not None and view.story.story.id == "first"


async def test_a_related_story_no_longer_listed_is_said_so(make_app: AppFactory) -> None:
    stories = thread()
    stories[0] = dataclasses.replace(
        stories[0],
        related=(RelatedStory("gone", "response", "A story since removed", FIRST_DAY),),
    )
    room = MemoryNewsroom(stored=stories)
    app: HeraldApp = make_app(newsroom=room)
    seen = Messages()
    async with app.run_test(size=(80, 24), message_hook=seen) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("enter")
        await wait_workers(app)
        await tab_to_related(pilot, main.story_view)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert main.state.reading == "later", "the story stays open"
        assert any("no longer listed" in str(n.message) for n in seen.notes())
