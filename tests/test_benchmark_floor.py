"""`benchmarks/warm_floor.py` is only a fair floor if it does a warm refresh's real work:
asks every feed with the validators heraldtui stored and gets the server's 304s."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from heraldtui.cli import main
from tests.fixtures.site.make import full_item, rss
from tests.support.httpserver import LocalServer, RecordedRequest, Reply, http_server
from tests.support.modules import load_script
from tests.support.paths import REPO

server = pytest.fixture(http_server)


def _conditional(body: bytes, etag: str) -> Callable[[RecordedRequest], Reply]:
    def answer(request: RecordedRequest) -> Reply:
        if request.headers.get("if-none-match") == etag:
            return Reply(304, b"", {"ETag": etag})
        return Reply(200, body, {"ETag": etag, "Content-Type": "text/xml"})

    return answer


def test_the_floor_asks_every_feed_with_the_stored_validators(
    tmp_path: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    floor = load_script(REPO / "benchmarks" / "warm_floor.py", "warm_floor")
    lines = []
    for n in (1, 2, 3):
        server.handle(f"/f{n}", _conditional(rss([full_item(n, server.base_url)]), f'"v{n}"'))
        lines.append(f'[[feeds]]\nname = "Feed {n}"\nurl = "{server.url(f"/f{n}")}"\n')
    config = tmp_path / "feeds.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    data = tmp_path / "data"
    assert main(["refresh", "--config", str(config), "--data-dir", str(data)]) == 0
    store = tmp_path / "copy.sqlite3"
    shutil.copyfile(data / "heraldtui.sqlite3", store)
    capsys.readouterr()

    assert floor.main(str(config), str(store)) == 0

    assert capsys.readouterr().out.strip() == "3 feeds asked, 3 answered 304"
    for n in (1, 2, 3):
        asked = server.requests_to(f"/f{n}")[-1]
        assert asked.headers["if-none-match"] == f'"v{n}"'
    with sqlite3.connect(store) as db:
        checked = {name: when for name, when in db.execute("SELECT name, last_fetch FROM feeds")}
    with sqlite3.connect(data / "heraldtui.sqlite3") as db:
        before = {name: when for name, when in db.execute("SELECT name, last_fetch FROM feeds")}
    assert checked.keys() == before.keys() == {"Feed 1", "Feed 2", "Feed 3"}
    assert all(checked[name] != before[name] for name in checked)
