"""`notify_command` run for real (no shell, bounded time) and the digest filters."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from heraldtui.core.models import Article, MergedStory, Story, WatchAlert, WatchRule
from heraldtui.core.output.notify import run_notify
from heraldtui.core.output.select import Selection, SelectionError, parse_since, select

ARTICLE = Article(
    feed="Outlet",
    guid="g1",
    link="https://outlet.example/1",
    title="Hall; rm -rf / $(touch pwned) `id`",
    author=None,
    published=datetime(2024, 11, 5, 9, tzinfo=UTC),
    summary="",
    content="",
)
STORY = Story("s1", ARTICLE.title, "meeting", "Wolds Police", (ARTICLE,))
ALERT = WatchAlert(STORY, WatchRule(name="halls", words=("hall",)), ARTICLE.link, "Outlet")


def test_the_command_gets_the_story_in_its_environment_and_no_shell(tmp_path: Path) -> None:
    script = tmp_path / "record.py"
    out = tmp_path / "out.json"
    script.write_text(
        "import json, os, sys\n"
        "env = {k: v for k, v in os.environ.items() if k.startswith('HERALDTUI_')}\n"
        f"open({str(out)!r}, 'w').write(json.dumps([sys.argv[1:], env]))\n",
        encoding="utf-8",
    )
    assert run_notify([sys.executable, str(script), "$HERALDTUI_TITLE", "a b"], ALERT) is None
    argv, env = json.loads(out.read_text(encoding="utf-8"))
    assert argv == ["$HERALDTUI_TITLE", "a b"]  # never expanded: no shell
    assert env["HERALDTUI_TITLE"] == ARTICLE.title
    assert env["HERALDTUI_RULE"] == "halls" and env["HERALDTUI_KIND"] == "meeting"
    assert not (tmp_path / "pwned").exists()


def test_a_hung_command_is_stopped_after_its_time(tmp_path: Path) -> None:
    script = tmp_path / "hang.py"
    script.write_text("import time\ntime.sleep(60)\n", encoding="utf-8")
    problem = run_notify([sys.executable, str(script)], ALERT, timeout=0.5)
    assert problem is not None and "did not finish within 0.5 s" in problem


def test_a_missing_or_failing_command_says_why(tmp_path: Path) -> None:
    assert run_notify([str(tmp_path / "nothing")], ALERT) == f"{tmp_path / 'nothing'}: not found"
    failing = [sys.executable, "-c", "raise SystemExit(4)"]
    assert run_notify(failing, ALERT) == f"{sys.executable}: exited with status 4"


def test_since_reads_a_date_or_a_number_of_days() -> None:
    now = datetime(2024, 11, 7, 23, 30, tzinfo=UTC)  # already the 7th in the UK (GMT)
    assert parse_since("7d", now) == date(2024, 11, 1)
    assert parse_since("1d", now) == date(2024, 11, 7)
    assert parse_since("2024-10-01", now) == date(2024, 10, 1)
    for bad in ("0d", "week", "2024-02-30"):
        with pytest.raises(SelectionError, match=f"--since {bad}"):
            parse_since(bad, now)


def test_filters_combine_with_and() -> None:
    read = MergedStory(
        Story(
            "r",
            "t",
            "other",
            "Hertfordshire Constabulary",
            (
                Article(
                    "F", "r", "l", "t", None, datetime(2024, 11, 1, tzinfo=UTC), "", "", read=True
                ),
            ),
        )
    )
    starred = MergedStory(
        Story(
            "s",
            "t",
            "other",
            None,
            (
                Article(
                    "F",
                    "s",
                    "l",
                    "t",
                    None,
                    datetime(2024, 11, 6, tzinfo=UTC),
                    "",
                    "",
                    starred=True,
                ),
            ),
        )
    )
    stories = [read, starred]

    def ids(selection: Selection) -> list[str]:
        return [s.story.id for s in select(stories, selection)]

    assert ids(Selection()) == ["r", "s"]
    assert ids(Selection(unread=True)) == ["s"]
    assert ids(Selection(starred=True)) == ["s"]
    assert ids(Selection(force="herts")) == ["r"]
    assert ids(Selection(force="herts", unread=True)) == []
    assert ids(Selection(since=date(2024, 11, 2))) == ["s"]
