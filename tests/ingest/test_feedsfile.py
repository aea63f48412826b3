"""Adding feeds to feeds.toml while keeping the user's comments and layout."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
import tomlkit

from heraldtui.core.errors import ConfigError
from heraldtui.core.ingest.config import load_config
from heraldtui.core.ingest.feedsfile import add_feed, add_feeds

COMMENTED = """\
# My policing feeds.
# Keep the county ones first.

refresh_minutes = 30   # how often the TUI refreshes

[[feeds]]
# the paper I trust most
name = "County Courier"
url = "https://courier.example/police.rss"  # moved here in 2023
tags = ["county"]

[[feeds]]
name = 'Valley Voice'   # single quotes on purpose
url = "https://voice.example/feed"

# settings for the digest
[digest]
format = "markdown"
"""


def feeds_of(path: Path) -> list[tuple[str, str]]:
    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    return [(str(f["name"]), str(f["url"])) for f in doc["feeds"]]


def test_add_feed_keeps_comments_blank_lines_and_order(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    add_feed(path, "Borough Gazette", "https://gazette.example/rss")
    text = path.read_text(encoding="utf-8")
    # everything the user wrote is still there, byte for byte, in order
    new_table = '[[feeds]]\nname = "Borough Gazette"\nurl = "https://gazette.example/rss"\n\n'
    assert text == COMMENTED.replace(
        "# settings for the digest", new_table + "# settings for the digest"
    )
    assert feeds_of(path)[-1] == ("Borough Gazette", "https://gazette.example/rss")
    doc = tomlkit.parse(text)
    assert doc["digest"] == {"format": "markdown"}
    assert doc["refresh_minutes"] == 30


def test_add_feed_creates_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "new" / "feeds.toml"
    add_feed(path, "County Courier", "https://courier.example/police.rss")
    add_feed(path, "Local file", "archive/feed.xml")
    assert feeds_of(path) == [
        ("County Courier", "https://courier.example/police.rss"),
        ("Local file", "archive/feed.xml"),
    ]
    assert path.read_text(encoding="utf-8").startswith("# heraldtui feeds")


@pytest.mark.parametrize(
    ("name", "url", "message"),
    [
        ("county courier", "https://other.example/", "named 'county courier' already exists"),
        ("Other", "HTTPS://Courier.Example/police.rss#top", "URL .* already exists"),
        ("Other", "https://voice.example/feed", "URL .* already exists"),
    ],
)
def test_duplicates_are_refused_and_the_file_is_untouched(
    tmp_path: Path, name: str, url: str, message: str
) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        add_feed(path, name, url)
    assert path.read_text(encoding="utf-8") == COMMENTED


@pytest.mark.parametrize(
    ("name", "url", "message"),
    [
        ("  ", "https://x.example/", "needs a name"),
        ("X", "", "needs a url"),
        ("X\x1b[31m", "https://x.example/", r"name contains U\+001B \(a control character\)"),
        ("X\u202e", "https://x.example/", r"name contains U\+202E \(a bidi control"),
        ("X", "https://x.example/\u200f", r"url .* contains U\+200F"),
        ("X", "javascript://alert(1)", "a file:// URL or a path"),
        ("X", "http://[::1/a", "has a malformed host"),
        ("X", "https://[::1]:99999/", "has an invalid port"),
    ],
)
def test_invalid_entries_are_refused(tmp_path: Path, name: str, url: str, message: str) -> None:
    path = tmp_path / "feeds.toml"
    with pytest.raises(ConfigError, match=message):
        add_feed(path, name, url)
    assert not path.exists()


def test_add_feeds_counts_added_and_skipped(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    added, skipped = add_feeds(
        path,
        [
            ("Borough Gazette", "https://gazette.example/rss"),
            ("County Courier", "https://elsewhere.example/"),  # name taken
            ("Gazette again", "https://gazette.example/rss"),  # same URL within the batch
            (" Harbour Herald ", " https://harbour.example/feed "),
        ],
    )
    assert (added, skipped) == (2, 2)
    assert feeds_of(path)[2:] == [
        ("Borough Gazette", "https://gazette.example/rss"),
        ("Harbour Herald", "https://harbour.example/feed"),
    ]
    text = path.read_text(encoding="utf-8")
    assert text.startswith(COMMENTED.split("# settings")[0])
    assert text.endswith('# settings for the digest\n[digest]\nformat = "markdown"\n')


def test_add_feeds_with_nothing_new_does_not_write(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    os.utime(path, (1_000_000, 1_000_000))
    assert add_feeds(path, [("Valley Voice", "https://voice.example/feed")]) == (0, 1)
    assert path.stat().st_mtime == 1_000_000
    assert add_feeds(tmp_path / "absent.toml", []) == (0, 0)
    assert not (tmp_path / "absent.toml").exists()


def test_add_feeds_is_all_or_nothing_on_a_bad_entry(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    with pytest.raises(ConfigError, match="needs a url"):
        add_feeds(path, [("Fine", "https://fine.example/"), ("Broken", " ")])
    assert path.read_text(encoding="utf-8") == COMMENTED


def test_file_without_final_newline_and_crlf_endings(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    original = '# windows file\r\n[[feeds]]\r\nname = "A"\r\nurl = "https://a.example/"'
    path.write_bytes(original.encode())
    add_feed(path, "B", "https://b.example/")
    data = path.read_bytes()
    assert data.startswith(original.encode())
    assert b"\n" not in data.replace(b"\r\n", b"")  # no bare LF mixed in
    assert feeds_of(path) == [("A", "https://a.example/"), ("B", "https://b.example/")]


def test_inline_array_style_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text('feeds = [\n  { name = "A", url = "https://a.example/" },  # a\n]\n')
    add_feed(path, "B", "https://b.example/")
    text = path.read_text(encoding="utf-8")
    assert "[[feeds]]" not in text and "# a" in text
    assert feeds_of(path) == [("A", "https://a.example/"), ("B", "https://b.example/")]


def test_names_and_urls_needing_escapes_are_written_as_data(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    name = 'The "Quoted" \\ Post\u00a0— ünïcode'
    url = "https://q.example/feed?x=\"1\"&y='2'"
    add_feed(path, name, url)
    assert feeds_of(path) == [(name, url)]


def test_broken_toml_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text('[[feeds]]\nname = "A"\nurl = \n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"feeds\.toml: line 3"):
        add_feed(path, "B", "https://b.example/")


def test_feeds_of_the_wrong_type_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text('feeds = "none"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="must be a list"):
        add_feed(path, "B", "https://b.example/")


def test_write_is_atomic_and_keeps_permissions(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    path.chmod(0o640)
    inode = path.stat().st_ino
    add_feed(path, "Borough Gazette", "https://gazette.example/rss")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert path.stat().st_ino != inode  # replaced, not rewritten in place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["feeds.toml"]  # no temp left


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write to a read-only folder")
def test_unwritable_folder_leaves_the_file_whole(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "feeds.toml"
    path.write_text(COMMENTED, encoding="utf-8")
    folder.chmod(0o500)
    try:
        with pytest.raises(ConfigError, match="cannot write"):
            add_feed(path, "Borough Gazette", "https://gazette.example/rss")
    finally:
        folder.chmod(0o700)
    assert path.read_text(encoding="utf-8") == COMMENTED


def test_a_path_and_its_file_url_are_the_same_feed(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text('[[feeds]]\nname = "A"\nurl = "x.xml"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="already exists"):
        add_feed(path, "B", (tmp_path / "x.xml").as_uri())
    assert add_feeds(path, [("C", "./x.xml")]) == (0, 1)
    load_config(path)  # still loads


def test_an_import_too_large_for_a_feeds_file_writes_nothing(tmp_path: Path) -> None:
    """The whole result is checked before the one write: a file past the size limit would
    have been written, then refused by every later command."""
    from heraldtui.cli import main
    from heraldtui.core.ingest.config import MAX_CONFIG_BYTES

    path = tmp_path / "feeds.toml"
    path.write_text('[[feeds]]\nname = "Valley Voice"\nurl = "https://voice.example/feed"\n')
    before = path.read_bytes()
    count = MAX_CONFIG_BYTES // 50  # each outline becomes over 60 bytes of TOML
    outlines = "".join(
        f'<outline type="rss" text="Outlet {n:07d}" xmlUrl="https://o{n}.example/feed"/>'
        for n in range(count)
    )
    opml = tmp_path / "big.opml"
    opml.write_text(f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>')
    assert main(["feeds", "import", str(opml), "--config", str(path)]) == 2
    assert path.read_bytes() == before
    assert {p.name for p in tmp_path.iterdir()} == {"feeds.toml", "big.opml"}  # no temporary
    assert main(["feeds", "list", "--config", str(path)]) == 0  # still readable
