"""The display guard: every feed-derived field reaches the screen through `plain()`.

The core strips control characters at ingestion; the TUI is the second line. Here a stored
story carries an ESC sequence, an 8-bit CSI and a right-to-left override in every field a
screen shows (headline, force, feed, author, link, body, grade area and grades, the
outlets behind a fact, quote, speaker, role, meeting name, place and link, a feed's
error), and the test reads what each widget rendered: no control character and no bidi
control may reach the terminal, and each field must be there with its controls made
visible (`␛`, `�`), which proves the field was shown and guarded, not just left out.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

from textual.widgets import Markdown, Static

from heraldtui.core.models import (
    Article,
    FeedSource,
    FeedState,
    GradeConflict,
    GradeFact,
    MeetingFact,
    MergedStory,
    QuoteFact,
    Story,
)
from heraldtui.tui.present import plain
from heraldtui.tui.screens.article import ArticleScreen
from heraldtui.tui.screens.error import ErrorScreen
from heraldtui.tui.screens.feeds import FeedsScreen
from heraldtui.tui.widgets.story_view import SourceItem
from tests.tui.conftest import AppFactory, Messages, loaded, screen_text, wait_workers
from tests.tui.fixtures import NOW

BAD = "\x1b[7m\u202e\x9b"
"""An ESC sequence (reverse video), a right-to-left override, an 8-bit CSI."""
SHOWN = "␛[7m��"
"""The same, as the reader must see it."""
FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

FEED = "Feed" + BAD
LINK_TEXT = "https://feed.example/1?"
LINK = LINK_TEXT + BAD


def hostile_story() -> MergedStory:
    article = Article(
        feed=FEED,
        guid="hostile-1",
        link=LINK,
        title="Headline" + BAD,
        author="Author" + BAD,
        published=datetime(2024, 11, 5, 8, 0, tzinfo=UTC),
        summary="Summary" + BAD,
        content="Body" + BAD + " words after it.",
    )
    stray = "https://stray.example/" + BAD  # a provenance link no article carries
    return MergedStory(
        story=Story("hostile", article.title, "inspection", "Force" + BAD, (article,)),
        grades=(
            GradeFact(
                "area" + BAD,
                "Area" + BAD,
                "grade" + BAD,
                (LINK,),
                (GradeConflict("rival" + BAD, (stray,)),),
            ),
        ),
        quotes=(QuoteFact("Speaker" + BAD, "Role" + BAD, "Quote" + BAD, (LINK,)),),
        meetings=(
            MeetingFact(
                "Meeting" + BAD,
                date(2024, 11, 14),
                time(10, 30),
                "javascript:meeting/" + BAD,  # not a web link: `o` refuses it, saying so
                (LINK,),
                where="Place" + BAD,
            ),
        ),
    )


def notes(seen: Messages) -> str:
    return "\n".join(f"{n.title}\n{n.message}" for n in seen.notes())


def assert_guarded(text: str, fields: list[str]) -> None:
    leaked = sorted({f"U+{ord(c):04X}" for c in FORBIDDEN.findall(text.replace("\n", " "))})
    assert not leaked, f"control characters on screen: {leaked}"
    missing = [f for f in fields if f + SHOWN not in text]
    assert not missing, f"fields not shown (or not guarded): {missing}\n{text}"


def test_plain_makes_every_control_visible() -> None:
    assert plain(BAD) == SHOWN
    assert plain("a\nb\tc\x7f\u2066d\u2069\u2028") == "a\nb␉c␡�d��"
    assert plain("Ünïcode — “quotes” ★ ●") == "Ünïcode — “quotes” ★ ●"


async def test_every_field_of_a_story_is_guarded_on_every_screen(make_app: AppFactory) -> None:
    from tests.tui.fixtures import MemoryNewsroom

    room = MemoryNewsroom(
        stored=[hostile_story()],
        feeds=(FeedSource(FEED, "https://feed.example/rss"),),
        failing_feed=FEED,
        failure="HTTP 500" + BAD,
    )
    room.states[FEED] = FeedState(FEED, "https://feed.example/rss", "error", NOW, error="Err" + BAD)
    app = make_app(newsroom=room)
    seen = Messages()
    async with app.run_test(size=(220, 60), message_hook=seen) as pilot:
        main = await loaded(pilot, app)
        await wait_workers(app)
        await pilot.pause()
        assert main.story_view.story is not None and main.story_view.story.grades
        shown = screen_text(app)
        assert_guarded(
            shown,
            [
                "Headline",  # list and header
                "Force",
                "Area",
                "Grade",  # an unknown grade key is shown as it came
                "Rival",
                "https://stray.example/",
                "Feed",  # grade, quote outlets and the source list
                "Quote",
                "Speaker",
                "Role",
                "Meeting",
                "Place",
                "javascript:meeting/",
            ],
        )
        source = main.story_view.query_one(SourceItem)
        assert_guarded(
            "\n".join(str(s.render()) for s in source.query(Static)), ["Feed", "Headline"]
        )
        await pilot.press("enter", "tab", "tab", "tab", "o")  # the meeting's link
        assert_guarded(notes(seen), ["javascript:meeting/"])

        await pilot.press("tab", "enter")  # its source: the article
        await wait_workers(app)
        await pilot.pause(0.2)
        assert isinstance(app.screen, ArticleScreen)
        assert_guarded(screen_text(app), ["Headline", "Feed", "Author", LINK_TEXT, "Body"])
        body = app.screen.query_one(Markdown)
        assert FORBIDDEN.search(body.source.replace("\n", " ")) is None

        await pilot.press("escape", "f")
        await pilot.pause()
        assert isinstance(app.screen, FeedsScreen)
        assert_guarded(screen_text(app), ["Feed", "Err"])

        await pilot.press("escape", "r")  # a refresh in which the feed fails
        await wait_workers(app)
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        assert_guarded(screen_text(app), ["HTTP 500"])


async def test_the_startup_error_is_guarded() -> None:
    from heraldtui.tui.app import HeraldApp

    app = HeraldApp(None, startup_error="feeds.toml:3: name 'Feed" + BAD + "' twice")
    async with app.run_test(size=(100, 24)):
        assert isinstance(app.screen, ErrorScreen)
        assert_guarded(screen_text(app), ["Feed"])
