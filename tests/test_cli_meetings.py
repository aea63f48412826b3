"""`heraldtui meetings` through the real command line, on feeds served on 127.0.0.1.

The feeds (`tests/fixtures/agenda.py`) are dated around the day the test runs, which is
the day the command counts from; a test that straddles midnight is skipped, not failed.
The calendar is read back by two independent readers, `icalendar` and `ical`.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from ical.calendar_stream import IcsCalendarStream

from heraldtui.cli import main
from heraldtui.core.newsroom import today_in_uk
from tests.fixtures import agenda
from tests.support.httpserver import LocalServer, http_server

server = pytest.fixture(http_server)
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def today() -> Iterator[date]:
    """The UK day the command will count from; skips the test if it changes meanwhile."""
    day = today_in_uk()
    yield day
    if today_in_uk() != day:
        pytest.skip("the day changed while the test ran: days away moved with it")


class Setup:
    def __init__(self, tmp_path: Path, server: LocalServer, today: date) -> None:
        self.tmp_path = tmp_path
        self.server = server
        self.config = tmp_path / "feeds.toml"
        for n, feed in enumerate(agenda.items(today)):
            server.route(f"/{n}", body=agenda.rss(feed, today), content_type="text/xml")
        self.paths = {feed: f"/{n}" for n, feed in enumerate(agenda.items(today))}

    def feeds(self, *names: str) -> None:
        self.config.write_text(
            "".join(
                f'[[feeds]]\nname = "{name}"\nurl = "{self.server.url(self.paths[name])}"\n\n'
                for name in names
            ),
            encoding="utf-8",
        )

    def run(self, *args: str) -> int:
        data = ["--config", str(self.config), "--data-dir", str(self.tmp_path / "data")]
        return main(["meetings", *data, *args])


@pytest.fixture
def setup(tmp_path: Path, server: LocalServer, today: date) -> Setup:
    made = Setup(tmp_path, server, today)
    made.feeds(agenda.GAZETTE)
    return made


def json_of(setup: Setup, capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert setup.run("--format", "json", *args) == 0
    doc: dict[str, Any] = json.loads(capsys.readouterr().out)
    return doc


def test_text_lists_upcoming_meetings_soonest_first_with_days_away(
    setup: Setup, today: date, capsys: pytest.CaptureFixture[str]
) -> None:
    assert setup.run() == 0
    blocks = capsys.readouterr().out.strip().split("\n\n")
    assert len(blocks) == 2, "the forum was held already: left out without --all"
    surgery, panel = (block.splitlines() for block in blocks)
    assert surgery[0] == f"{agenda.day(today, 2)} (in 2 days)"
    assert surgery[1:] == [
        "  Community Surgery",
        "  where: Ashby Village Hall",
        f"  {agenda.FORCE} · Rural crime surgery in Ashby",
        "  https://downland.example/surgery",
    ]
    assert panel[0] == f"{agenda.day(today, 8)}, 10:30 (in 8 days)"
    assert panel[1] == "  Public Meeting"
    assert panel[-1] == "  https://panel.example/live"


def test_all_adds_past_meetings_in_date_order(
    setup: Setup, today: date, capsys: pytest.CaptureFixture[str]
) -> None:
    assert setup.run("--all", "--offline") == 0, "--offline: nothing fetched yet, nothing listed"
    assert capsys.readouterr().out == "no meetings\n"
    assert setup.run("--all") == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{agenda.day(today, -21)} (21 days ago)\n  Public meeting\n")
    doc = json_of(setup, capsys, "--all", "--offline")
    assert [m["days_away"] for m in doc["meetings"]] == [-21, 2, 8]
    assert [m["date"] for m in doc["meetings"]] == sorted(m["date"] for m in doc["meetings"])


def test_json_names_each_meeting_and_its_story(
    setup: Setup, today: date, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json_of(setup, capsys)
    assert doc["schema"] == "heraldtui.meetings/1" and doc["today"] == today.isoformat()
    surgery, panel = doc["meetings"]
    assert surgery["date"] == (today + timedelta(days=2)).isoformat()
    assert surgery["time"] is None and surgery["days_away"] == 2
    assert panel["time"] == "10:30" and panel["url"] == "https://panel.example/live"
    assert panel["headline"] == "Panel to question commissioner over 999 call waits"
    assert panel["force"] == agenda.FORCE
    assert panel["sources"] == ["https://downland.example/panel"]
    assert surgery["uid"] != panel["uid"] and panel["uid"].endswith("@heraldtui")


def read_both(data: bytes) -> tuple[list[icalendar.cal.Component], list[Any]]:
    """The events as `icalendar` and as `ical` read them (each raises on what it refuses)."""
    first = icalendar.Calendar.from_ical(data)
    second = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    return list(first.walk("VEVENT")), list(second.events)


def test_ics_is_read_alike_by_two_calendar_readers(
    setup: Setup, today: date, capsys: pytest.CaptureFixture[str]
) -> None:
    out = setup.tmp_path / "agenda.ics"
    assert setup.run("-o", str(out)) == 0, "the suffix picks the calendar"
    data = out.read_bytes()
    text = data.decode("utf-8")
    assert text.count("BEGIN:VTIMEZONE") == 1 and "TZID:Europe/London" in text
    assert "DTEND" not in text and "DURATION" not in text, "no invented end"
    surgery_day = today + timedelta(days=2)
    assert f"DTSTART;VALUE=DATE:{surgery_day:%Y%m%d}" in text
    events, also = read_both(data)
    assert [str(e["summary"]) for e in events] == ["Community Surgery", "Public Meeting"]
    assert [e.summary for e in also] == ["Community Surgery", "Public Meeting"]
    assert [str(e["uid"]) for e in events] == [e.uid for e in also]
    surgery, panel = events
    assert surgery.decoded("dtstart") == surgery_day
    start = datetime.combine(today + timedelta(days=8), time(10, 30), tzinfo=LONDON)
    assert panel.decoded("dtstart") == start
    assert panel.decoded("dtstart").utcoffset() == start.utcoffset()
    other_surgery, other_panel = also
    assert other_surgery.dtstart == surgery_day and other_surgery.end == surgery_day + timedelta(1)
    assert other_panel.dtstart == start and other_panel.end == start, "starts and ends at once"
    # The same calendar on standard output, from the installed script in a process of its own.
    done = subprocess.run(
        [
            *(sys.executable, "-m", "heraldtui", "meetings", "--offline", "--format", "ics"),
            *("--config", str(setup.config), "--data-dir", str(setup.tmp_path / "data")),
        ],
        capture_output=True,
        check=True,
    )
    assert [str(e["uid"]) for e in read_both(done.stdout)[0]] == [e.uid for e in also]


def test_uids_hold_when_an_earlier_article_joins_and_the_name_changes(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    before = json_of(setup, capsys)["meetings"][1]
    assert before["name"] == "Public Meeting"
    setup.feeds(agenda.GAZETTE, agenda.COURIER)
    joined = json_of(setup, capsys)["meetings"][1]
    assert joined["story"] != before["story"], "the earlier article gave the story a new id"
    assert joined["sources"] == before["sources"] and joined["uid"] == before["uid"]
    setup.feeds(agenda.GAZETTE, agenda.COURIER, agenda.BULLETIN)
    renamed = json_of(setup, capsys)["meetings"][1]
    assert renamed["name"] == "Wiltshire Police and Crime Panel"
    assert renamed["uid"] == before["uid"]
    out = setup.tmp_path / "agenda.ics"
    assert setup.run("--offline", "--format", "ics", "-o", str(out)) == 0
    events, also = read_both(out.read_bytes())
    assert [str(e["uid"]) for e in events][1] == before["uid"] == also[1].uid


def test_no_upcoming_meetings_is_said_and_no_empty_calendar_is_written(
    tmp_path: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    made = Setup(tmp_path, server, today_in_uk() - timedelta(days=40))  # all long past
    made.feeds(agenda.GAZETTE)
    assert made.run() == 0
    assert capsys.readouterr().out == "no upcoming meetings\n"
    out = tmp_path / "agenda.ics"
    assert made.run("--offline", "-o", str(out)) == 0
    assert not out.exists()
    assert "no upcoming meetings: no calendar written" in capsys.readouterr().err
    assert made.run("--offline", "--format", "ics") == 0
    seen = capsys.readouterr()
    assert seen.out == "" and "no upcoming meetings" in seen.err
    assert json_of(made, capsys, "--offline")["meetings"] == []
    assert made.run("--offline", "--all", "--format", "ics", "-o", str(out)) == 0
    assert out.read_text(encoding="utf-8").count("BEGIN:VEVENT") == 3


def test_bad_options_and_outputs_are_one_line_and_status_2(
    setup: Setup, capsys: pytest.CaptureFixture[str]
) -> None:
    assert setup.run("--format", "xml") == 2
    assert "--format" in capsys.readouterr().err
    assert setup.run("-o", str(setup.tmp_path / "nowhere" / "a.ics")) == 2
    assert "does not exist" in capsys.readouterr().err
