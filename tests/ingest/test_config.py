"""feeds.toml: what loads, and the one-line error for each way it can be wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from heraldtui.core.errors import ConfigError
from heraldtui.core.ingest.config import (
    Settings,
    bundled_config_path,
    default_config_path,
    is_bundled,
    load_config,
    user_config_path,
)
from heraldtui.core.models import WatchRule


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_loads_http_file_and_relative_path(tmp_path: Path) -> None:
    (tmp_path / "local.xml").write_text("<rss/>")
    path = write(
        tmp_path,
        '# my feeds\n[[feeds]]\nname = "A"\nurl = "https://example.org/a.rss"\n\n'
        '[[feeds]]\nname = "B"\nurl = "local.xml"\nfull_text = false\n\n'
        f'[[feeds]]\nname = "C"\nurl = "{(tmp_path / "c.xml").as_uri()}"\n',
    )
    feeds = load_config(path).feeds
    assert [f.name for f in feeds] == ["A", "B", "C"]
    assert feeds[0].url == "https://example.org/a.rss"
    assert feeds[1].url == (tmp_path / "local.xml").resolve().as_uri()
    assert feeds[1].full_text is False
    assert feeds[2].url.startswith("file:///")
    assert [f.line for f in feeds] == [2, 6, 11]


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    message = error_of(tmp_path, '[[feeds]]\nname = "A"\nurl = "https://x.org/\n')
    assert message.startswith(f"{tmp_path / 'feeds.toml'}:3: invalid TOML")


def test_missing_key_names_feed_and_line(tmp_path: Path) -> None:
    message = error_of(
        tmp_path, '[[feeds]]\nname = "A"\nurl = "https://a.org/"\n\n[[feeds]]\nname = "Bee"\n'
    )
    assert ":5:" in message and "'Bee'" in message and "'url'" in message


def test_bad_url_names_key_line(tmp_path: Path) -> None:
    message = error_of(tmp_path, '[[feeds]]\nname = "A"\n\nurl = "htp:/broken"\n')
    assert ":4:" in message and "htp:/broken" in message


@pytest.mark.parametrize("url", ["ftp://x.org/f", "javascript:alert(1)", "https://", "a b", ""])
def test_rejects_urls_that_are_not_feeds(tmp_path: Path, url: str) -> None:
    message = error_of(tmp_path, f'[[feeds]]\nname = "A"\nurl = "{url}"\n')
    assert "url" in message


def test_duplicate_name_and_url(tmp_path: Path) -> None:
    twice = '[[feeds]]\nname = "A"\nurl = "https://a.org/"\n'
    assert "duplicate feed name 'A'" in error_of(tmp_path, twice + twice)
    other = '[[feeds]]\nname = "B"\nurl = "https://a.org/"\n'
    assert "same url as feed 'A'" in error_of(tmp_path, twice + other)


def test_unknown_key_suggests_the_close_one(tmp_path: Path) -> None:
    message = error_of(tmp_path, '[[feeds]]\nname = "A"\nulr = "https://a.org/"\n')
    assert ":3:" in message and "did you mean 'url'" in message
    top = error_of(tmp_path, 'feed = 1\n[[feeds]]\nname = "A"\nurl = "https://a.org/"\n')
    assert ":1:" in top and "did you mean 'feeds'" in top


def test_wrong_types(tmp_path: Path) -> None:
    assert "must be a string" in error_of(tmp_path, '[[feeds]]\nname = 3\nurl = "https://a/"\n')
    assert "'feeds' must be" in error_of(tmp_path, 'feeds = "x"\n')
    assert "no feeds" in error_of(tmp_path, "# nothing yet\n")


def test_unreadable_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_config(tmp_path / "absent.toml")
    binary = tmp_path / "feeds.toml"
    binary.write_bytes(b'[[feeds]]\nname = "\xff"\n')
    with pytest.raises(ConfigError, match=":2: not UTF-8"):
        load_config(binary)


def test_default_is_local_file_else_the_users_made_from_the_bundled_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "config"
    monkeypatch.setenv("HERALDTUI_CONFIG_DIR", str(folder))
    here = tmp_path / "here"
    here.mkdir()
    assert user_config_path() == folder / "feeds.toml"
    assert default_config_path(here) == folder / "feeds.toml"
    created = load_config(folder / "feeds.toml")
    bundled = load_config(bundled_config_path())
    assert [f.name for f in created.feeds] == [f.name for f in bundled.feeds]
    assert [f.url for f in created.feeds] == [f.url for f in bundled.feeds], "same feeds"
    assert "# Created by heraldtui on its first run" in (folder / "feeds.toml").read_text()
    assert "This is the default bundled" not in (folder / "feeds.toml").read_text()
    assert 'url = "file:///' in (folder / "feeds.toml").read_text(), "demo paths absolute"
    (folder / "feeds.toml").write_text('[[feeds]]\nname = "A"\nurl = "https://a.example/"\n')
    assert default_config_path(here) == folder / "feeds.toml"
    assert load_config(folder / "feeds.toml").feeds[0].name == "A", "created once only"
    write(here, "")
    assert default_config_path(here) == here / "feeds.toml"


def test_unwritable_config_folder_falls_back_to_the_bundled_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("HERALDTUI_CONFIG_DIR", str(blocker / "config"))
    assert default_config_path(tmp_path) == bundled_config_path()
    assert is_bundled(bundled_config_path()) and not is_bundled(tmp_path / "feeds.toml")


FEED = '[[feeds]]\nname = "A"\nurl = "https://a.example/"\n'


def test_settings_table(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, FEED)).settings == Settings()
    text = (
        FEED + '\n[settings]\ntheme = "nord"\nbrowser = " firefox --new-tab "\n'
        "auto_refresh_minutes = 30\ntext_width = 72\n"
    )
    assert load_config(write(tmp_path, text)).settings == Settings(
        theme="nord", browser="firefox --new-tab", auto_refresh_minutes=30, text_width=72
    )


@pytest.mark.parametrize(
    ("settings", "line", "words"),
    [
        ('themme = "nord"', 6, "unknown key 'themme' (did you mean 'theme'?)"),
        ("auto_refresh_minutes = -5", 6, "must be 0 (never) or more"),
        ('auto_refresh_minutes = "5"', 6, "must be a whole number"),
        ("auto_refresh_minutes = true", 6, "must be a whole number"),
        ("text_width = 5", 6, "at least 20"),
        ("theme = 3", 6, "must be a string"),
    ],
)
def test_settings_mistakes_name_the_line_and_key(
    tmp_path: Path, settings: str, line: int, words: str
) -> None:
    message = error_of(tmp_path, FEED + f"\n[settings]\n{settings}\n")
    assert message.startswith(f"{tmp_path / 'feeds.toml'}:{line}: settings: "), message
    assert words in message


def test_a_saved_setting_keeps_the_file_and_loads_back(tmp_path: Path) -> None:
    from heraldtui.core.ingest.feedsfile import set_setting

    path = write(tmp_path, "# my feeds\n" + FEED.replace('a.example/"', 'a.example/"  # kept'))
    set_setting(path, "theme", "nord")
    set_setting(path, "theme", "gruvbox")
    set_setting(path, "auto_refresh_minutes", 15)
    text = path.read_text()
    assert text.startswith("# my feeds\n") and "# kept" in text
    assert text.count("[settings]") == 1
    assert load_config(path).settings == Settings(theme="gruvbox", auto_refresh_minutes=15)
    set_setting(path, "theme", None)
    assert load_config(path).settings.theme is None


def test_the_newsroom_saves_settings_but_never_into_the_package(tmp_path: Path) -> None:
    from heraldtui.core.errors import ConfigError as Refused
    from heraldtui.core.newsroom import Newsroom

    with Newsroom.open(write(tmp_path, FEED), tmp_path / "data") as room:
        room.save_setting("theme", "nord")
        assert room.settings.theme == "nord"
    before = bundled_config_path().read_bytes()
    room = Newsroom.open(bundled_config_path(), tmp_path / "data")
    with room, pytest.raises(Refused, match="not edited"):
        room.save_setting("theme", "nord")
    assert bundled_config_path().read_bytes() == before


def test_max_items_is_read_and_checked_with_its_line(tmp_path: Path) -> None:
    head = '[[feeds]]\nname = "A"\nurl = "https://a.org/"\n'
    assert load_config(write(tmp_path, head)).feeds[0].max_items is None
    assert load_config(write(tmp_path, head + "max_items = 40\n")).feeds[0].max_items == 40
    for value, says in [
        ("true", "must be a whole number, not True"),
        ('"50"', "must be a whole number, not '50'"),
        ("0", "must be from 1 to 100,000, not 0"),
        ("1000001", "must be from 1 to 100,000"),
    ]:
        message = error_of(tmp_path, head + f"max_items = {value}\n")
        assert message.startswith(f"{tmp_path / 'feeds.toml'}:4: feed 'A': 'max_items'"), message
        assert says in message


def test_watch_rules_are_read_with_their_lines(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(
        '[[feeds]]\nname = "A"\nurl = "https://a.example/rss"\n\n'
        '[[watch]]\nname = "Herts"\nforces = ["Herts"]\nkinds = ["Inspections", "peel"]\n\n'
        '[[watch]]\nwords = ["  stop   and search "]\n\n'
        '[settings]\nnotify_command = ["notify-send", "heraldtui"]\n',
        encoding="utf-8",
    )
    config = load_config(path)
    assert config.watch == (
        WatchRule(name="Herts", forces=("Herts",), kinds=("inspection", "peel"), line=5),
        WatchRule(words=("stop and search",), line=10),
    )
    assert config.watch[1].label == "watch rule at line 10"
    assert config.settings.notify_command == ("notify-send", "heraldtui")
