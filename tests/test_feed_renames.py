"""A feed renamed in feeds.toml, or given a new URL, keeps its articles and their marks
(issue 17): through the real CLI and Newsroom, a real server on 127.0.0.1 and a real
SQLite file, and from a schema-6 file whose ids hashed the feed's name."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from heraldtui.cli import main
from heraldtui.core.models import Article
from heraldtui.core.newsroom import Newsroom
from heraldtui.core.storage.schema import MIGRATIONS
from heraldtui.core.stories.grouper import story_id
from tests.fixtures.site.make import full_item, rss
from tests.support.httpserver import LocalServer, http_server

server = pytest.fixture(http_server)


def write_feeds(path: Path, name: str, url: str) -> None:
    path.write_text(f'[[feeds]]\nname = "{name}"\nurl = "{url}"\n', encoding="utf-8")


def serve(server: LocalServer, path: str, count: int) -> str:
    items = [full_item(n, server.base_url) for n in range(1, count + 1)]
    server.route(path, body=rss(items), content_type="text/xml")
    return server.url(path)


def stored(config: Path, data: Path) -> dict[str, Article]:
    """Every listed article by title, as the reader would list them (no network)."""
    with Newsroom.open(config, data) as room:
        return {a.title: a for s in room.stories(merge=False) for a in s.story.articles}


def mark(config: Path, data: Path) -> tuple[str, str]:
    """Week 1 read, week 2 starred, as a reader would; returns their ids."""
    articles = stored(config, data)
    read, starred = articles["Rural crime week 1"].id, articles["Rural crime week 2"].id
    with Newsroom.open(config, data) as room:
        room.set_read([read], True)
        room.set_starred([starred], True)
    return read, starred


def refresh(config: Path, data: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["refresh", "--config", str(config), "--data-dir", str(data)]) == 0
    return capsys.readouterr().out


def assert_marks_kept(articles: dict[str, Article], name: str, read: str, starred: str) -> None:
    week1, week2 = articles["Rural crime week 1"], articles["Rural crime week 2"]
    assert (week1.id, week1.read, week1.starred) == (read, True, False)
    assert (week2.id, week2.read, week2.starred) == (starred, False, True)
    assert {a.feed for a in articles.values()} == {name}


def test_renaming_a_feed_keeps_its_read_and_starred_marks(
    tmp_path: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config, data = tmp_path / "feeds.toml", tmp_path / "data"
    url = serve(server, "/police.rss", 3)
    write_feeds(config, "Wolds Courier", url)
    assert "Wolds Courier: 3 new of 3 items" in refresh(config, data, capsys)
    read, starred = mark(config, data)

    write_feeds(config, "The Wolds Courier", url)
    # Listed before any refresh: the store follows the file.
    assert_marks_kept(stored(config, data), "The Wolds Courier", read, starred)
    serve(server, "/police.rss", 4)  # one more item since
    assert "The Wolds Courier: 1 new of 4 items" in refresh(config, data, capsys)
    articles = stored(config, data)
    assert len(articles) == 4  # the three kept their rows: nothing stored twice
    assert_marks_kept(articles, "The Wolds Courier", read, starred)
    with Newsroom.open(config, data) as room:
        assert [s.name for s in room.store.feed_states()] == ["The Wolds Courier"]
        assert room.store.article_count() == 4

    out = tmp_path / "digest.json"
    args = ["export", "--offline", "--format", "json", "--output", str(out)]
    assert main([*args, "--config", str(config), "--data-dir", str(data)]) == 0
    digest = json.loads(out.read_text(encoding="utf-8"))
    feeds = {a["feed"] for s in digest["stories"] for a in s["articles"]}
    assert feeds == {"The Wolds Courier"}


def test_a_feed_given_a_new_url_keeps_its_marks(
    tmp_path: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config, data = tmp_path / "feeds.toml", tmp_path / "data"
    write_feeds(config, "Wolds Courier", serve(server, "/old.rss", 3))
    refresh(config, data, capsys)
    read, starred = mark(config, data)

    write_feeds(config, "Wolds Courier", serve(server, "/new.rss", 4))  # the user edited it
    assert "Wolds Courier: 1 new of 4 items" in refresh(config, data, capsys)
    articles = stored(config, data)
    assert len(articles) == 4
    assert_marks_kept(articles, "Wolds Courier", read, starred)
    assert server.requests[-1].path == "/new.rss"


def test_a_new_feed_under_a_renamed_feeds_old_name_is_a_feed_of_its_own(
    tmp_path: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    """The renamed feed keeps its first name as its key: a new feed given that name (and
    the same items) is keyed apart, so neither takes the other's articles or marks."""
    config, data = tmp_path / "feeds.toml", tmp_path / "data"
    url = serve(server, "/police.rss", 3)
    write_feeds(config, "Courier", url)
    refresh(config, data, capsys)
    read, starred = mark(config, data)
    write_feeds(config, "Old Courier", url)
    refresh(config, data, capsys)
    with config.open("a", encoding="utf-8") as file:
        file.write(f'\n[[feeds]]\nname = "Courier"\nurl = "{serve(server, "/copy.rss", 3)}"\n')

    assert "Courier: 3 new of 3 items" in refresh(config, data, capsys)
    with Newsroom.open(config, data) as room:
        keys = {s.name: s.key for s in room.store.feed_states()}
        articles = [a for s in room.stories(merge=False) for a in s.story.articles]
    assert keys == {"Old Courier": "Courier", "Courier": "Courier#2"}
    assert len({a.id for a in articles}) == 6
    marked = {(a.feed, a.title, a.read, a.starred) for a in articles if a.read or a.starred}
    assert marked == {
        ("Old Courier", "Rural crime week 1", True, False),
        ("Old Courier", "Rural crime week 2", False, True),
    }
    assert {a.id for a in articles if a.feed == "Old Courier" and (a.read or a.starred)} == {
        read,
        starred,
    }


def old_id(feed: str, guid: str) -> str:
    """An article id as heraldtui computed it up to schema 6: from the feed's name."""
    return hashlib.blake2b(f"{feed}\x1f{guid}".encode(), digest_size=8).hexdigest()


def test_a_schema_6_file_keeps_its_marks_through_the_upgrade_and_a_rename(
    tmp_path: Path, server: LocalServer, capsys: pytest.CaptureFixture[str]
) -> None:
    config, data = tmp_path / "feeds.toml", tmp_path / "data"
    url = serve(server, "/police.rss", 3)
    data.mkdir()
    guids = [full_item(n, server.base_url)["link"] for n in (1, 2, 3)]
    ids = [old_id("Wolds Courier", guid) for guid in guids]
    with sqlite3.connect(data / "heraldtui.sqlite3") as conn:  # what schema 6 wrote
        for statements in MIGRATIONS[:6]:
            for sql in statements:
                conn.execute(sql)
        conn.execute("PRAGMA user_version = 6")
        conn.execute(
            "INSERT INTO feeds (name, url, status, items) VALUES ('Wolds Courier', ?, 'ok', 3)",
            (url,),
        )
        for n, (article_id, guid) in enumerate(zip(ids, guids, strict=True), start=1):
            conn.execute(
                "INSERT INTO articles (id, feed, guid, link, title, published, summary, "
                "content, content_hash, read, starred, first_seen) VALUES "
                "(?, 'Wolds Courier', ?, ?, ?, ?, '', 'Stored text.', 'h', ?, ?, '2024')",
                (
                    article_id,
                    guid,
                    guid,
                    f"Rural crime week {n}",
                    f"2024-10-0{n}T09:00:00.000000+00:00",
                    int(n == 1),
                    int(n == 2),
                ),
            )
            conn.execute("INSERT INTO story_assignments VALUES (?, 'story-1')", (article_id,))
        conn.execute("INSERT INTO stories VALUES ('story-1', 'Rural crime', 'other', NULL, NULL)")
        conn.execute("INSERT INTO article_facts VALUES (?, 'source', 1, '[]')", (ids[0],))

    write_feeds(config, "The Wolds Courier", url)  # renamed while upgrading
    serve(server, "/police.rss", 4)
    assert "The Wolds Courier: 1 new of 4 items" in refresh(config, data, capsys)
    articles = stored(config, data)
    assert len(articles) == 4
    assert_marks_kept(articles, "The Wolds Courier", ids[0], ids[1])
    with sqlite3.connect(data / "heraldtui.sqlite3") as conn:
        grouped = dict(conn.execute("SELECT article_id, story_id FROM story_assignments"))
        facts = [row[0] for row in conn.execute("SELECT article_id FROM article_facts")]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    # One story, whose id derives from its first article's, as before the upgrade.
    assert {grouped[i] for i in ids} == {story_id(ids[0])}
    assert facts == [ids[0]]
