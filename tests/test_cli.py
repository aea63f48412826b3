"""The command line against the contract: outputs, exit statuses, one-line errors."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from heraldtui import __version__
from heraldtui.cli import EXPORT_GC_THRESHOLD, main
from heraldtui.core.errors import StoreError
from heraldtui.core.models import MergedStory
from heraldtui.core.newsroom import Newsroom
from tests.fixtures.site.make import full_item, rss
from tests.support.httpserver import LocalServer, http_server

server = pytest.fixture(http_server)


def feeds_file(tmp_path: Path, server: LocalServer) -> Path:
    server.route("/one", body=rss([full_item(1, server.base_url)]), content_type="text/xml")
    server.route("/two", body=rss([full_item(2, server.base_url)]), content_type="text/xml")
    server.route("/down", status=503)
    path = tmp_path / "feeds.toml"
    path.write_text(
        f'[[feeds]]\nname = "One"\nurl = "{server.url("/one")}"\n\n'
        f'[[feeds]]\nname = "Two"\nurl = "{server.url("/two")}"\n\n'
        f'[[feeds]]\nname = "Down"\nurl = "{server.url("/down")}"\n',
        encoding="utf-8",
    )
    return path


def test_export_json_follows_the_contract(
    tmp_path: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = feeds_file(tmp_path, server)
    out = tmp_path / "digest.json"
    args = ["export", "--config", str(config), "--format", "json", "--output", str(out)]
    assert main([*args, "--data-dir", str(tmp_path / "d")]) == 0
    err = capsys.readouterr().err
    assert "Down" in err and "503" in err and "One" not in err
    digest = json.loads(out.read_text(encoding="utf-8"))
    assert digest["schema"] == "heraldtui.digest/1"
    links = sorted(a["link"] for s in digest["stories"] for a in s["articles"])
    assert links == [server.url("/a/1"), server.url("/a/2")]
    story = digest["stories"][0]
    for key in (
        "id",
        "title",
        "kind",
        "force",
        "articles",
        "grades",
        "quotes",
        "meetings",
        "people",
    ):
        assert key in story
    article = story["articles"][0]
    assert set(article) >= {"title", "link", "feed", "published", "text"}


def test_export_offline_uses_the_cache_and_stdout(
    tmp_path: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = feeds_file(tmp_path, server)
    data = ["--data-dir", str(tmp_path / "d")]
    assert main(["refresh", "--config", str(config), *data]) == 0
    printed = capsys.readouterr()
    assert "One: 1 new of 1 items" in printed.out and "Down: error" in printed.err
    before = len(server.requests)
    assert main(["export", "--offline", "--config", str(config), *data]) == 0
    assert len(server.requests) == before
    markdown = capsys.readouterr().out
    assert markdown.startswith("# heraldtui digest") and "Rural crime week 1" in markdown


def test_export_collects_garbage_less_often_only_while_it_merges(
    tmp_path: Path, server: LocalServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export raises the collector's threshold for its stories (see `cli._export`) and
    gives the process back its own, also when merging fails."""
    config = feeds_file(tmp_path, server)
    data = ["--data-dir", str(tmp_path / "d")]
    assert main(["refresh", "--config", str(config), *data]) == 0
    own = gc.get_threshold()
    seen: list[tuple[int, ...]] = []
    real = Newsroom.stories

    def stories(self: Newsroom, **kwargs: Any) -> list[MergedStory]:
        seen.append(gc.get_threshold())
        if len(seen) == 2:
            raise StoreError("the database is gone")
        return real(self, **kwargs)

    monkeypatch.setattr(Newsroom, "stories", stories)
    out = ["--output", str(tmp_path / "digest.md")]
    assert main(["export", "--offline", "--config", str(config), *data, *out]) == 0
    assert seen == [(EXPORT_GC_THRESHOLD, *own[1:])]
    assert gc.get_threshold() == own
    assert main(["export", "--offline", "--config", str(config), *data, *out]) != 0
    assert gc.get_threshold() == own


def test_options_can_come_before_the_command(
    tmp_path: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = feeds_file(tmp_path, server)
    data = tmp_path / "d"
    assert main(["--config", str(config), "--data-dir", str(data), "refresh"]) == 0
    assert (data / "heraldtui.sqlite3").exists()


def test_bad_feeds_file_is_one_line_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "feeds.toml"
    bad.write_text('[[feeds]]\nname = "A"\nurl = "gopher://x"\n', encoding="utf-8")
    out = tmp_path / "out.md"
    out.write_text("previous digest", encoding="utf-8")
    assert main(["export", "--config", str(bad), "--output", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and f"{bad}:3:" in err and "'A'" in err
    assert out.read_text(encoding="utf-8") == "previous digest"


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["export", "--format", "pdf"], "--format"),
        (["export", "--bogus"], "--bogus"),
        (["nonsense"], "nonsense"),
        (["export", "--output", "/no/such/folder/x.md"], "--output"),
    ],
)
def test_bad_options_are_one_line_and_status_2(
    argv: list[str], needle: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and needle in err


def test_unwritable_output_leaves_nothing_half_written(
    tmp_path: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = feeds_file(tmp_path, server)
    target = tmp_path / "is-a-folder"
    target.mkdir()
    assert main(["export", "--config", str(config), "--output", str(target)]) == 2
    assert list(target.iterdir()) == []
    assert list(tmp_path.glob(".*.tmp")) == []


def test_export_ics_writes_no_empty_calendar(
    tmp_path: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """These feeds announce no meeting: the calendar is not written, and the user told;
    the digest still exported fine (status 0). With a meeting, see test_cli_meetings."""
    config = feeds_file(tmp_path, server)
    out = tmp_path / "meetings.ics"
    assert main(["export", "--config", str(config), "--format", "ics", "-o", str(out)]) == 0
    assert not out.exists()
    assert "no meetings in the digest: no calendar written" in capsys.readouterr().err
    assert main(["export", "--config", str(config), "--format", "ics", "--offline"]) == 0
    seen = capsys.readouterr()
    assert seen.out == "" and "no calendar written" in seen.err


def test_version_and_help_through_the_real_script() -> None:
    exe = [sys.executable, "-m", "heraldtui"]
    done = subprocess.run([*exe, "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == f"heraldtui {__version__}"
    subs = (
        ["export"],
        ["meetings"],
        ["refresh"],
        ["corrections"],
        ["feeds"],
        ["feeds", "add"],
        ["feeds", "import"],
    )
    for sub in subs:
        shown = subprocess.run([*exe, *sub, "--help"], capture_output=True, text=True)
        assert shown.returncode == 0 and "usage: heraldtui" in shown.stdout, sub


def test_feeds_add_list_export_import(
    tmp_path: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text('# mine\n[[feeds]]\nname = "One"  # kept\nurl = "https://one.example/"\n')
    assert main(["feeds", "add", "Two", "https://two.example/rss", "--config", str(config)]) == 0
    assert "# mine" in config.read_text() and "# kept" in config.read_text()
    assert main(["feeds", "add", "Two", "https://x.example/", "--config", str(config)]) == 2
    assert "already exists" in capsys.readouterr().err
    data = ["--data-dir", str(tmp_path / "d")]
    assert main(["feeds", "list", "--config", str(config), *data]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed == [
        "One\thttps://one.example/\t-\tnot fetched yet",
        "Two\thttps://two.example/rss\t-\tnot fetched yet",
    ]
    assert main(["feeds", "export", "--config", str(config)]) == 0
    opml = tmp_path / "mine.opml"
    opml.write_text(capsys.readouterr().out, encoding="utf-8")
    other = tmp_path / "other.toml"
    other.write_text('[[feeds]]\nname = "One"\nurl = "https://one.example/"\n')
    assert main(["feeds", "import", str(opml), "--config", str(other)]) == 0
    assert "imported 1 feeds" in capsys.readouterr().out and "Two" in other.read_text()


@pytest.mark.parametrize("url", ["htp:/x", "mailto:a@b.example", "javascript:alert(1)"])
def test_feeds_add_refuses_what_would_not_load_and_leaves_the_file(
    tmp_path: Path, url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "feeds.toml"
    before = '[[feeds]]\nname = "One"\nurl = "https://one.example/"\n'
    config.write_text(before, encoding="utf-8")
    assert main(["feeds", "add", "Two", url, "--config", str(config)]) == 2
    assert "url" in capsys.readouterr().err
    assert config.read_text(encoding="utf-8") == before


def test_export_picks_the_format_by_the_output_suffix(tmp_path: Path, server: LocalServer) -> None:
    config = feeds_file(tmp_path, server)
    data = ["--data-dir", str(tmp_path / "d"), "--config", str(config)]
    assert main(["export", *data, "--output", str(tmp_path / "d.json")]) == 0
    assert json.loads((tmp_path / "d.json").read_text())["schema"] == "heraldtui.digest/1"
    assert main(["export", *data, "--offline", "--output", str(tmp_path / "d.ics")]) == 0
    assert not (tmp_path / "d.ics").exists(), "a calendar, and no meeting to put in it"
    assert main(["export", *data, "--offline", "--output", str(tmp_path / "d.md")]) == 0
    assert (tmp_path / "d.md").read_text().startswith("# heraldtui digest")
    # --format says otherwise: it wins over the suffix.
    out = tmp_path / "digest.json"
    assert main(["export", *data, "--offline", "--format", "markdown", "--output", str(out)]) == 0
    assert out.read_text().startswith("# heraldtui digest")


def test_with_no_config_the_user_file_is_created_and_edited_not_the_package(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from heraldtui.core.ingest.config import bundled_config_path

    monkeypatch.chdir(tmp_path)  # no ./feeds.toml here
    folder = tmp_path / "config"
    monkeypatch.setenv("HERALDTUI_CONFIG_DIR", str(folder))
    bundled = bundled_config_path().read_bytes()
    assert main(["feeds", "add", "Mine", "https://mine.example/rss"]) == 0
    user = folder / "feeds.toml"
    assert f"added 'Mine' to {user}" in capsys.readouterr().out
    text = user.read_text(encoding="utf-8")
    assert "# Created by heraldtui on its first run" in text
    assert 'name = "Mine"' in text and "Hertford Courier (demo)" in text
    assert bundled_config_path().read_bytes() == bundled, "the package is never written"
    assert main(["feeds", "list", "--data-dir", str(tmp_path / "d")]) == 0
    listed = capsys.readouterr().out
    assert "Mine\thttps://mine.example/rss" in listed
    demo = next(line for line in listed.splitlines() if line.startswith("Hertford Courier"))
    assert "\tfile:///" in demo, "the demo feeds still point into the package"


def test_the_bundled_default_is_never_edited(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from heraldtui.core.ingest.config import bundled_config_path

    bundled = bundled_config_path()
    before = bundled.read_bytes()
    args = ["feeds", "add", "Mine", "https://mine.example/rss", "--config", str(bundled)]
    assert main(args) == 2
    assert "not edited" in capsys.readouterr().err
    assert bundled.read_bytes() == before


def test_refresh_counts_skipped_feeds_apart_and_force_fetches_them(
    tmp_path: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    server.route("/one", body=rss([full_item(1, server.base_url)]), content_type="text/xml")
    server.route("/busy", status=429, headers={"Retry-After": "3600"})
    config = tmp_path / "feeds.toml"
    config.write_text(
        f'[[feeds]]\nname = "One"\nurl = "{server.url("/one")}"\n\n'
        f'[[feeds]]\nname = "Busy"\nurl = "{server.url("/busy")}"\n'
    )
    args = ["refresh", "--config", str(config), "--data-dir", str(tmp_path / "d")]
    main(args)
    capsys.readouterr()
    main(args)
    printed = capsys.readouterr()
    assert "Busy: skipped (the server asked to wait until " in printed.out
    summary = "1 of 2 feeds refreshed, 0 new articles; 1 skipped (their server asked to wait)"
    assert summary in printed.out
    asked = len(server.requests_to("/busy"))
    main([*args, "--force"])
    assert len(server.requests_to("/busy")) == asked + 1
    assert "Busy: error: HTTP 429" in capsys.readouterr().err


def test_refresh_exits_1_only_when_every_feed_failed(tmp_path: Path, server: LocalServer) -> None:
    server.route("/one", body=rss([full_item(1, server.base_url)]), content_type="text/xml")
    server.route("/down", status=503)
    config = tmp_path / "feeds.toml"
    data = ["--data-dir", str(tmp_path / "d")]
    config.write_text(
        f'[[feeds]]\nname = "One"\nurl = "{server.url("/one")}"\n\n'
        f'[[feeds]]\nname = "Down"\nurl = "{server.url("/down")}"\n'
    )
    assert main(["refresh", "--config", str(config), *data]) == 0  # one of two succeeded
    config.write_text(f'[[feeds]]\nname = "Down"\nurl = "{server.url("/down")}"\n')
    assert main(["refresh", "--config", str(config), *data]) == 1
