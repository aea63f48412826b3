"""feeds.toml: what loads, and the one-line error for each way it can be wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from heraldtui.core.errors import ConfigError
from heraldtui.core.ingest.config import bundled_config_path, default_config_path, load_config


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


def test_default_is_local_file_else_bundled(tmp_path: Path) -> None:
    assert default_config_path(tmp_path) == bundled_config_path()
    write(tmp_path, "")
    assert default_config_path(tmp_path) == tmp_path / "feeds.toml"
