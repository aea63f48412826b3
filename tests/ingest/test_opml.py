"""OPML import and export."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heraldtui.core.errors import ConfigError
from heraldtui.core.ingest.feedids import clean_name
from heraldtui.core.ingest.opml import read_opml, write_opml
from heraldtui.core.models import FeedSource
from tests.support.paths import SHARED

NESTED = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My subscriptions</title></head>
  <body>
    <outline text="Policing">
      <outline text="County Courier" title="County Courier: police" type="rss"
               xmlUrl="https://courier.example/police.rss" htmlUrl="https://courier.example/"/>
      <outline text="Folder in a folder">
        <outline text="Valley   Voice&#10;news" type="rss" xmlUrl="https://voice.example/feed"/>
      </outline>
    </outline>
    <outline type="rss" xmlUrl="http://bare.example/rss"/>
    <outline text="A bookmark, not a feed" url="https://bookmark.example/"/>
    <outline text="Local file" xmlUrl="file:///etc/passwd"/>
    <outline text="Script" xmlUrl="javascript:alert(1)"/>
    <outline title="  " text="Fallback &amp; text" xmlUrl="https://amp.example/?a=1&amp;b=2"/>
  </body>
</opml>
"""


def test_nested_outlines_are_flattened_in_order() -> None:
    assert read_opml(NESTED) == [
        ("County Courier: police", "https://courier.example/police.rss"),
        ("Valley Voice news", "https://voice.example/feed"),
        ("http://bare.example/rss", "http://bare.example/rss"),
        ("Fallback & text", "https://amp.example/?a=1&b=2"),
    ]


def test_utf16_document_is_read() -> None:
    text = NESTED.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    assert read_opml(text.encode("utf-16")) == read_opml(NESTED)


def test_empty_body_gives_no_feeds() -> None:
    assert read_opml(b'<opml version="2.0"><head/><body/></opml>') == []


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE opml [
  <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
  <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
]>
<opml version="2.0"><body><outline text="&b;" xmlUrl="https://x.example/"/></body></opml>
"""
EXTERNAL = b"""<?xml version="1.0"?>
<!doctype opml SYSTEM "file:///etc/passwd">
<opml version="2.0"><body/></opml>
"""


@pytest.mark.parametrize(
    "data",
    [
        BOMB,
        EXTERNAL,
        BOMB.decode().replace('<?xml version="1.0"?>', "").encode("utf-16"),
        BOMB.decode().replace('<?xml version="1.0"?>', "").encode("utf-32-be"),
        b'<opml version="2.0"><!ENTITY x "y"><body/></opml>',
    ],
    ids=["entity-bomb", "external-doctype", "utf-16-bomb", "utf-32-bomb", "stray-entity"],
)
def test_dtds_and_entities_are_refused(data: bytes) -> None:
    with pytest.raises(ConfigError, match=r"OPML file refused: .* (DOCTYPE|ENTITY)"):
        read_opml(data)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<opml><body><outline", "not a readable OPML file"),
        (b"", "not a readable OPML file"),
        (b"<rss version='2.0'><channel/></rss>", "root element is <rss>"),
    ],
)
def test_broken_or_foreign_documents_are_config_errors(data: bytes, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        read_opml(data)


def test_write_opml_is_valid_and_escaped() -> None:
    feeds = [
        FeedSource('Courier <b>&</b> "Police"', "https://courier.example/rss?a=1&b=2"),
        FeedSource("Bell\x07 name\nwith newline", "https://voice.example/feed"),
    ]
    text = write_opml(feeds, title="Mine & yours", created=datetime(2024, 11, 7, 8, tzinfo=UTC))
    assert "<b>" not in text and "&amp;" in text
    assert "\x07" not in text
    root = ET.fromstring(text)
    assert root.tag == "opml" and root.get("version") == "2.0"
    assert root.findtext("head/title") == "Mine & yours"
    assert root.findtext("head/dateCreated") == "Thu, 07 Nov 2024 08:00:00 GMT"
    outlines = root.findall("body/outline")
    assert [o.get("type") for o in outlines] == ["rss", "rss"]
    assert outlines[0].get("text") == outlines[0].get("title") == feeds[0].name
    assert outlines[1].get("text") == "Bell name\nwith newline"
    assert [o.get("xmlUrl") for o in outlines] == [f.url for f in feeds]


def test_round_trip_through_opml() -> None:
    feeds = [FeedSource(f"Feed {n}", f"https://n{n}.example/rss") for n in range(5)]
    assert read_opml(write_opml(feeds).encode()) == [(f.name, f.url) for f in feeds]


names = st.text(st.characters(min_codepoint=0x20, blacklist_categories=["Cs", "Cc"]), max_size=40)


@settings(max_examples=60, deadline=None)
@given(name=names.filter(lambda s: s.strip() != ""))
def test_any_name_survives_a_round_trip(name: str) -> None:
    [(got, url)] = read_opml(write_opml([FeedSource(name, "https://x.example/")]).encode())
    assert url == "https://x.example/"
    assert got == (clean_name(name) or url)


def test_real_world_opml_from_shared_corpus() -> None:
    corpus = SHARED / "corpus" / "feeds"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus/feeds is not present")
    files = sorted(corpus.rglob("*.opml"))
    if not files:
        pytest.skip("no .opml file in ../shared/corpus/feeds")
    read = 0
    for path in files:
        data = path.read_bytes()
        try:
            feeds = read_opml(data)
        except ConfigError as exc:
            assert "refused" in str(exc) or "OPML" in str(exc)
            continue
        read += 1
        assert all(url.startswith(("http://", "https://")) for _, url in feeds)
        assert all(name and name == name.strip() for name, _ in feeds)
    assert read > 0


def test_names_lose_bidi_overrides_and_invisible_characters() -> None:
    data = (
        '<opml version="2.0"><body><outline type="rss" text="Pay\u202eevil\u200b News" '
        'xmlUrl="https://x.example/"/></body></opml>'
    ).encode()
    assert read_opml(data) == [("Payevil News", "https://x.example/")]
