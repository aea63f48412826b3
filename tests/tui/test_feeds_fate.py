"""The feeds screen on feeds that moved, died or asked to wait (issue 16): a real Newsroom,
a real SQLite file, a real server on 127.0.0.1, the keys pressed through Pilot."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import DataTable

from heraldtui.core.newsroom import Newsroom
from heraldtui.tui.screens.feeds import FeedsScreen
from tests.fixtures.site.make import full_item, rss
from tests.support.httpserver import LocalServer, http_server
from tests.tui.conftest import Messages
from tests.tui.test_newsroom_app import make, settle

server = pytest.fixture(http_server)

CONFIG = """\
# my feeds, hand-kept
[[feeds]]
name = "Moved"
url = "{moved}"  # the old address

[[feeds]]
name = "Dead"
url = "{dead}"

[[feeds]]
name = "Busy"
url = "{busy}"
"""


def rows(screen: FeedsScreen) -> dict[str, list[str]]:
    table = screen.query_one(DataTable)
    got = [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]
    return {row[0]: row for row in got}


async def test_the_feeds_screen_shows_each_fate_and_acts_on_it(
    tmp_path: Path, server: LocalServer
) -> None:
    server.route("/new", body=rss([full_item(1, server.base_url)]), content_type="text/xml")
    server.route("/old", status=301, headers={"Location": server.url("/new")})
    server.route("/dead", status=410)
    server.route("/busy", status=429, headers={"Retry-After": "7200"})
    config = tmp_path / "feeds.toml"
    text = CONFIG.format(
        moved=server.url("/old"), dead=server.url("/dead"), busy=server.url("/busy")
    )
    config.write_text(text, encoding="utf-8")
    room = Newsroom.open(config, tmp_path / "data")
    messages = Messages()
    try:
        await room.refresh()
        app = make(room, now=lambda: datetime.now(UTC))
        async with app.run_test(size=(200, 40), message_hook=messages) as pilot:
            await settle(app)
            await pilot.press("f")
            screen = app.screen
            assert isinstance(screen, FeedsScreen)
            shown = rows(screen)
            assert shown["Moved"][1] == "ok"
            assert shown["Moved"][4] == (
                f"moved permanently to {server.url('/new')} (seen "
                f"{datetime.now(UTC):%a %d %b %Y}): press u to write it to feeds.toml"
            )
            assert shown["Dead"][1] == "gone"
            assert shown["Dead"][4].startswith("gone since ")
            assert shown["Dead"][4].endswith("(HTTP 410 Gone): press c to fetch it again")
            assert shown["Busy"][1] == "waiting"
            assert shown["Busy"][4].startswith("the server asked to wait until ")
            assert " UTC; HTTP 429" in shown["Busy"][4]

            # `u` on a feed that has not moved says so and writes nothing.
            table = screen.query_one(DataTable)
            table.move_cursor(row=1)
            await pilot.press("u")
            await pilot.pause()
            assert config.read_text(encoding="utf-8") == text
            assert any("Dead has not moved" in n.message for n in messages.notes())

            # `u` on the moved feed writes its new URL, comments and layout kept.
            table.move_cursor(row=0)
            await pilot.press("u")
            await pilot.pause()
            assert config.read_text(encoding="utf-8") == text.replace(
                server.url("/old"), server.url("/new")
            )
            assert room.feeds[0].url == server.url("/new")
            assert rows(screen)["Moved"][4] == ""

            # `c` on the gone feed clears the mark; the next refresh fetches it.
            table.move_cursor(row=1)
            await pilot.press("c")
            await pilot.pause()
            assert rows(screen)["Dead"][1] == "error"  # its last answer, no longer "gone"
            assert all(s.gone_since is None for s in room.feed_states())
            assert any("the next refresh fetches it" in n.message for n in messages.notes())
        server.route("/dead", body=rss([full_item(2, server.base_url)]), content_type="text/xml")
        report = await room.refresh()
        assert [o.status for o in report.outcomes] == ["not-modified", "ok", "deferred"]
        assert len(server.requests_to("/old")) == 1  # never asked again after the move
        assert len(server.requests_to("/dead")) == 2
    finally:
        room.close()
