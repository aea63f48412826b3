"""Watch rules and digests for cron, through the real command line.

A real HTTP server on 127.0.0.1 serves feeds written for these tests
(`tests/support/watchfeeds.py`), the data folder is a real SQLite file, `refresh` runs
as a separate process, and `notify_command` is a real Python script that records its
arguments and environment.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from heraldtui.cli import main
from heraldtui.core.errors import ExportError
from heraldtui.core.newsroom import Newsroom
from tests.support.httpserver import LocalServer
from tests.support.watchfeeds import BUS_LANES, INSPECTION, LATE_NEWS, MEETING, OLD_APPEAL, rss

RECORDER = """\
import json, os, sys
with open(sys.argv[1], "a", encoding="utf-8") as out:
    env = {k: v for k, v in os.environ.items() if k.startswith("HERALDTUI_")}
    out.write(json.dumps({"argv": sys.argv[1:], "env": env}) + "\\n")
"""
WATCH = """
[[watch]]
name = "Herts"
forces = ["herts police"]

[[watch]]
words = ["BUS LANES"]

[[watch]]
name = "commissioner"
people = ["Marlow"]
"""


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer()
    local.route("/a", body=rss(local.url("/a"), [INSPECTION, BUS_LANES]), content_type="text/xml")
    local.route("/b", body=rss(local.url("/b"), [MEETING, OLD_APPEAL]), content_type="text/xml")
    local.route("/down", status=503)
    try:
        yield local
    finally:
        local.close()


def write_config(tmp_path: Path, server: LocalServer, extra: str = WATCH) -> Path:
    config = tmp_path / "feeds.toml"
    config.write_text(
        f'[[feeds]]\nname = "A"\nurl = "{server.url("/a")}"\n\n'
        f'[[feeds]]\nname = "B"\nurl = "{server.url("/b")}"\n' + extra,
        encoding="utf-8",
    )
    return config


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """`heraldtui ARGS` as its own process, as cron runs it."""
    return subprocess.run(
        [sys.executable, "-m", "heraldtui", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def exported(tmp_path: Path, config: Path, *options: str) -> list[str]:
    """The headlines of an offline JSON export with `options`."""
    out = tmp_path / "digest.json"
    data = ["--data-dir", str(tmp_path / "d")]
    args = ["export", "--offline", "--config", str(config), *data, "-o", str(out), *options]
    assert main(args) == 0
    return sorted(s["title"] for s in json.loads(out.read_text(encoding="utf-8"))["stories"])


def test_refresh_announces_new_matches_and_runs_the_notify_command(
    tmp_path: Path, server: LocalServer
) -> None:
    script = tmp_path / "record.py"
    script.write_text(RECORDER, encoding="utf-8")
    record = tmp_path / "calls.jsonl"
    settings = f'[settings]\nnotify_command = ["{sys.executable}", "{script}", "{record}"]\n\n'
    config = write_config(tmp_path, server)
    config.write_text(settings + config.read_text(encoding="utf-8"), encoding="utf-8")
    data = ["--data-dir", str(tmp_path / "d")]

    first = run_cli("refresh", "--config", str(config), *data)
    assert first.returncode == 0, first.stderr
    lines = [line for line in first.stdout.splitlines() if line.startswith("watch: ")]
    assert lines == [
        f"watch: Wolds Police | meeting | {MEETING.title} | {server.url('/b/wolds-meeting')}",
        f"watch: - | other | {BUS_LANES.title} | {server.url('/a/bus-lanes')}",
        "watch: Hertfordshire Constabulary | inspection | "
        f"{INSPECTION.title} | {server.url('/a/herts-inspection')}",
    ]
    calls = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]
    assert [c["argv"] for c in calls] == [[str(record)]] * 3
    herts = calls[2]["env"]
    assert herts["HERALDTUI_FORCE"] == "Hertfordshire Constabulary"
    assert herts["HERALDTUI_KIND"] == "inspection"
    assert herts["HERALDTUI_TITLE"] == INSPECTION.title
    assert herts["HERALDTUI_LINK"] == server.url("/a/herts-inspection")
    assert herts["HERALDTUI_FEED"] == "A"
    assert herts["HERALDTUI_RULE"] == "Herts"
    assert len(herts["HERALDTUI_STORY"]) == 16
    assert calls[0]["env"]["HERALDTUI_RULE"] == "commissioner"
    assert calls[1]["env"]["HERALDTUI_RULE"].startswith("watch rule at line ")
    assert calls[1]["env"]["HERALDTUI_FORCE"] == ""

    # Nothing new: nothing announced, nobody notified.
    again = run_cli("refresh", "--config", str(config), *data)
    assert again.returncode == 0 and "watch: " not in again.stdout
    assert len(record.read_text(encoding="utf-8").splitlines()) == 3

    # A new story naming the watched commissioner is announced; the old ones are not.
    server.route(
        "/a",
        body=rss(server.url("/a"), [INSPECTION, BUS_LANES, LATE_NEWS]),
        content_type="text/xml",
    )
    later = run_cli("refresh", "--config", str(config), *data)
    assert later.returncode == 0, later.stderr
    assert [line for line in later.stdout.splitlines() if line.startswith("watch: ")] == [
        f"watch: - | other | {LATE_NEWS.title} | {server.url('/a/jane-marlow-budget')}"
    ]
    last = json.loads(record.read_text(encoding="utf-8").splitlines()[-1])
    assert last["env"]["HERALDTUI_RULE"] == "commissioner"


def test_a_failing_or_missing_notify_command_never_stops_the_refresh(
    tmp_path: Path, server: LocalServer
) -> None:
    settings = f'[settings]\nnotify_command = ["{tmp_path / "no-such-program"}", "x"]\n\n'
    config = write_config(tmp_path, server)
    config.write_text(settings + config.read_text(encoding="utf-8"), encoding="utf-8")
    done = run_cli("refresh", "--config", str(config), "--data-dir", str(tmp_path / "d"))
    assert done.returncode == 0
    assert done.stdout.count("watch: ") == 3
    assert done.stderr.count("notify_command failed") == 3 and "not found" in done.stderr
    assert "2 of 2 feeds refreshed, 4 new articles" in done.stdout

    failing = tmp_path / "fail.py"
    failing.write_text("import sys\nsys.exit(3)\n", encoding="utf-8")
    settings = f'[settings]\nnotify_command = ["{sys.executable}", "{failing}"]\n\n'
    config = write_config(tmp_path, server)
    config.write_text(settings + config.read_text(encoding="utf-8"), encoding="utf-8")
    done = run_cli("refresh", "--config", str(config), "--data-dir", str(tmp_path / "d2"))
    assert done.returncode == 0
    assert done.stderr.count("exited with status 3") == 3


def test_refresh_exit_status_tells_cron_whether_any_feed_worked(
    tmp_path: Path, server: LocalServer
) -> None:
    config = tmp_path / "feeds.toml"
    data = ["--data-dir", str(tmp_path / "d")]
    config.write_text(
        f'[[feeds]]\nname = "A"\nurl = "{server.url("/a")}"\n\n'
        f'[[feeds]]\nname = "Down"\nurl = "{server.url("/down")}"\n'
    )
    assert run_cli("refresh", "--config", str(config), *data).returncode == 0
    config.write_text(f'[[feeds]]\nname = "Down"\nurl = "{server.url("/down")}"\n')
    failed = run_cli("refresh", "--config", str(config), *data)
    assert failed.returncode == 1 and "Down: error: HTTP 503" in failed.stderr


@pytest.mark.parametrize(
    ("rule", "line", "message"),
    [
        ('[[watch]]\nforces = ["Herts"]\ncolour = "red"\n', 3, "unknown key 'colour'"),
        ('[[watch]]\nforces = "Herts"\n', 2, "'forces' must be a list of strings"),
        ("[[watch]]\nwords = [1, 2]\n", 2, "'words' must be a list of strings"),
        ('[[watch]]\nkinds = ["inspecton"]\n', 2, "unknown kind 'inspecton'"),
        ('[[watch]]\nname = "nothing"\n', 1, "matches nothing"),
        ('[[watch]]\nwords = [" "]\n', 2, "'words' has an empty entry"),
    ],
)
def test_a_bad_watch_rule_is_one_line_naming_the_file_and_line(
    tmp_path: Path,
    server: LocalServer,
    capsys: pytest.CaptureFixture[str],
    rule: str,
    line: int,
    message: str,
) -> None:
    config = write_config(tmp_path, server, "")
    head = config.read_text(encoding="utf-8") + "\n"
    config.write_text(head + rule, encoding="utf-8")
    offset = head.count("\n")
    args = ["export", "--offline", "--config", str(config), "--data-dir", str(tmp_path / "d")]
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"heraldtui: error: {config}:{offset + line}: watch rule")
    assert message in err and len(err.splitlines()) == 1


def test_notify_command_must_be_an_argument_list(
    tmp_path: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, server)
    config.write_text(
        '[settings]\nnotify_command = "notify-send x"\n\n' + config.read_text(encoding="utf-8")
    )
    assert main(["refresh", "--config", str(config), "--data-dir", str(tmp_path / "d")]) == 2
    err = capsys.readouterr().err
    assert f"{config}:2: settings: 'notify_command' must be a list" in err


def test_export_filters_combine(tmp_path: Path, server: LocalServer) -> None:
    config = write_config(tmp_path, server)
    assert main(["refresh", "--config", str(config), "--data-dir", str(tmp_path / "d")]) == 0
    every = sorted(i.title for i in (INSPECTION, BUS_LANES, MEETING, OLD_APPEAL))
    assert exported(tmp_path, config) == every
    assert exported(tmp_path, config, "--since", "7d") == sorted(
        i.title for i in (INSPECTION, BUS_LANES, MEETING)
    )
    assert exported(tmp_path, config, "--since", "2000-01-01") == every
    assert exported(tmp_path, config, "--force", "Herts") == [INSPECTION.title]
    assert exported(tmp_path, config, "--force", "cumbria police") == [OLD_APPEAL.title]
    assert exported(tmp_path, config, "--watch") == sorted(
        i.title for i in (INSPECTION, BUS_LANES, MEETING)
    )
    assert exported(tmp_path, config, "--watch", "--force", "Wolds") == [MEETING.title]
    assert exported(tmp_path, config, "--watch", "--since", "2d") == [INSPECTION.title]
    assert exported(tmp_path, config, "--starred") == []
    with Newsroom.open(config, tmp_path / "d") as room:
        appeal = next(s for s in room.stories(merge=False) if s.story.title == OLD_APPEAL.title)
        room.set_starred([a.id for a in appeal.story.articles], True)
    assert exported(tmp_path, config, "--starred") == [OLD_APPEAL.title]
    assert exported(tmp_path, config, "--starred", "--since", "7d") == []


def test_mark_read_marks_exactly_what_was_written(
    tmp_path: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, server)
    data = ["--data-dir", str(tmp_path / "d")]
    assert main(["refresh", "--config", str(config), *data]) == 0
    every = sorted(i.title for i in (INSPECTION, BUS_LANES, MEETING, OLD_APPEAL))

    # An output folder that does not exist: an error, and nothing marked.
    missing = tmp_path / "no-such-folder" / "digest.md"
    args = ["export", "--offline", "--config", str(config), *data, "--mark-read"]
    assert main([*args, "--watch", "-o", str(missing)]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert exported(tmp_path, config, "--unread") == every

    # Standard output, filtered: exactly those stories are marked read.
    assert main([*args, "--force", "Herts"]) == 0
    assert INSPECTION.title in capsys.readouterr().out
    assert exported(tmp_path, config, "--unread") == sorted(
        i.title for i in (BUS_LANES, MEETING, OLD_APPEAL)
    )

    # A calendar writes (and marks) only the stories with a meeting.
    calendar = tmp_path / "meetings.ics"
    assert main([*args, "--since", "7d", "-o", str(calendar)]) == 0
    assert b"BEGIN:VEVENT" in calendar.read_bytes()
    assert exported(tmp_path, config, "--unread") == sorted([BUS_LANES.title, OLD_APPEAL.title])

    # The Markdown digest honours the filters and marks the rest.
    digest = tmp_path / "digest.md"
    assert main([*args, "--unread", "-o", str(digest)]) == 0
    text = digest.read_text(encoding="utf-8")
    assert BUS_LANES.title in text and OLD_APPEAL.title in text and MEETING.title not in text
    assert exported(tmp_path, config, "--unread") == []


def test_a_write_that_fails_marks_nothing(tmp_path: Path, server: LocalServer) -> None:
    """The marks are in the write's transaction: a write that raises rolls them back."""
    config = write_config(tmp_path, server)
    assert main(["refresh", "--config", str(config), "--data-dir", str(tmp_path / "d")]) == 0
    with Newsroom.open(config, tmp_path / "d") as room:
        stories = room.stories()

        def broken(data: bytes) -> None:
            raise ExportError("disk full")

        with pytest.raises(ExportError):
            room.write_digest(stories, broken, "json", mark_read=True)
        assert not any(a.read for s in room.stories(merge=False) for a in s.story.articles)
        written: list[bytes] = []
        room.write_digest(stories[:1], written.append, "json", mark_read=True)
        assert len(written) == 1
        marked = [s.story.id for s in room.stories(merge=False) if s.story.articles[0].read]
        assert marked == [stories[0].story.id]


def test_bad_digest_options_are_usage_errors(
    tmp_path: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_config(tmp_path, server, "")
    data = ["--data-dir", str(tmp_path / "d")]
    assert main(["export", "--offline", "--config", str(config), *data, "--watch"]) == 2
    assert f"--watch: {config} has no [[watch]] rules" in capsys.readouterr().err
    for since in ("yesterday", "0d", "2024-13-01"):
        assert main(["export", "--offline", "--config", str(config), *data, "--since", since]) == 2
        err = capsys.readouterr().err
        assert f"--since {since}" in err and len(err.strip().splitlines()) == 1
