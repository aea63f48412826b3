"""`heraldtui refresh`, `feeds list`, `feeds follow` and `feeds clear` on feeds that moved,
died or asked to wait (issue 16), against a real server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from heraldtui.cli import main
from tests.fixtures.site.make import full_item, rss
from tests.support.httpserver import LocalServer, http_server

server = pytest.fixture(http_server)

CONFIG = """\
# my feeds, hand-kept
[[feeds]]
name = "Moved"
url = "{moved}"  # the old address
full_text = false

[[feeds]]
name = "Dead"
url = "{dead}"

[[feeds]]
name = "Busy"
url = "{busy}"
"""


def setup(tmp_path: Path, server: LocalServer) -> tuple[list[str], Path]:
    server.route("/new", body=rss([full_item(1, server.base_url)]), content_type="text/xml")
    server.route("/old", status=308, headers={"Location": server.url("/new")})
    server.route("/dead", status=410)
    server.route("/busy", status=503, headers={"Retry-After": "3600"})
    config = tmp_path / "feeds.toml"
    config.write_text(
        CONFIG.format(moved=server.url("/old"), dead=server.url("/dead"), busy=server.url("/busy")),
        encoding="utf-8",
    )
    return ["--config", str(config), "--data-dir", str(tmp_path / "data")], config


def test_refresh_and_feeds_list_say_what_moved_died_or_waits(
    tmp_path: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    options, _config = setup(tmp_path, server)
    assert main(["refresh", *options]) == 0
    out, err = capsys.readouterr()
    assert (
        f"Moved: 1 new of 1 items (moved permanently to {server.url('/new')}: "
        "`heraldtui feeds follow Moved` writes it to feeds.toml)"
    ) in out
    assert "Dead: gone since " in out and "heraldtui feeds clear Dead" in out
    assert "Busy: error: HTTP 503" in err
    assert "1 of 3 feeds refreshed, 1 new articles; 1 gone (HTTP 410" in err

    assert main(["feeds", "list", *options]) == 0
    rows = {line.split("\t")[0]: line.split("\t") for line in capsys.readouterr().out.splitlines()}
    assert rows["Moved"][1] == server.url("/old")  # feeds.toml still says the old URL
    assert f"moved permanently to {server.url('/new')}" in rows["Moved"][3]
    assert "`heraldtui feeds follow Moved`" in rows["Moved"][3]
    assert rows["Dead"][3].startswith("gone since ") and "(HTTP 410 Gone)" in rows["Dead"][3]
    assert "the server asked to wait until " in rows["Busy"][3]
    assert " UTC (refresh --force tries now)" in rows["Busy"][3]

    # The next refresh asks neither the old URL nor the dead one.
    assert main(["refresh", "--force", *options]) == 0
    capsys.readouterr()
    assert len(server.requests_to("/old")) == 1 and len(server.requests_to("/dead")) == 1
    assert len(server.requests_to("/new")) == 2


def test_feeds_follow_writes_the_new_url_and_keeps_the_comments(
    tmp_path: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    options, config = setup(tmp_path, server)
    before = config.read_text(encoding="utf-8")
    assert main(["feeds", "follow", "Dead", *options]) == 2  # has not moved
    assert "has not moved" in capsys.readouterr().err
    assert main(["refresh", *options]) == 0
    capsys.readouterr()
    assert main(["feeds", "follow", "moved", *options]) == 0  # case does not matter
    assert f"now says url = {server.url('/new')}" in capsys.readouterr().out
    after = config.read_text(encoding="utf-8")
    assert after == before.replace(server.url("/old"), server.url("/new"))
    assert main(["feeds", "list", *options]) == 0
    moved = capsys.readouterr().out.splitlines()[0].split("\t")
    assert moved[1] == server.url("/new") and "moved" not in moved[3]
    assert main(["refresh", *options]) == 0
    assert "moved permanently" not in capsys.readouterr().out
    assert len(server.requests_to("/old")) == 1
    assert main(["feeds", "follow", "Nobody", *options]) == 2
    assert "no feed named 'Nobody'" in capsys.readouterr().err


def test_feeds_clear_fetches_a_gone_feed_again(
    tmp_path: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    options, _ = setup(tmp_path, server)
    assert main(["refresh", *options]) == 0
    assert main(["refresh", *options]) == 0
    assert len(server.requests_to("/dead")) == 1
    capsys.readouterr()
    assert main(["feeds", "clear", "Dead", *options]) == 0
    assert "no longer marked gone" in capsys.readouterr().out
    assert main(["feeds", "clear", "Dead", *options]) == 0
    assert "not marked gone" in capsys.readouterr().out
    server.route("/dead", body=rss([full_item(7, server.base_url)]), content_type="text/xml")
    assert main(["refresh", *options]) == 0
    assert "Dead: 1 new of 1 items" in capsys.readouterr().out
    assert len(server.requests_to("/dead")) == 2
