"""Fuzzing the boundaries where untrusted bytes enter: no exception but our own escapes.

What already exists elsewhere is not repeated: the extractors are fuzzed in
`tests/facts/test_extract_fuzz.py` and the cleaners in `tests/text/`. Here: a feed body
(`parse_feed`), an article page (`extract_main_text`), a feeds file (`load_config`) and an
OPML file (`read_opml`), each on arbitrary input and on input assembled from the pieces
their parsers branch on, so the examples reach past the first syntax error.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from heraldtui.core.errors import ConfigError, FeedParseError
from heraldtui.core.ingest.config import load_config
from heraldtui.core.ingest.fulltext import extract_main_text
from heraldtui.core.ingest.opml import read_opml
from heraldtui.core.ingest.parse import parse_feed

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def pieces_of(*parts: str) -> st.SearchStrategy[bytes]:
    """Byte strings assembled from `parts` and arbitrary text, UTF-8 or Latin-1 encoded."""
    piece = st.one_of(st.sampled_from(parts), st.text(max_size=12))
    joined = st.lists(piece, max_size=30).map("".join)
    return st.one_of(
        joined.map(lambda s: s.encode("utf-8")),
        joined.map(lambda s: s.encode("latin-1", "replace")),
    )


FEED_PIECES = pieces_of(
    '<?xml version="1.0" encoding="utf-8"?>', '<?xml version="1.0" encoding="bogus"?>',
    '<rss version="2.0">', "<channel>", "<item>", "</item>", "<title>", "</title>",
    "<link>", "</link>", "<guid>", "</guid>", "<pubDate>", "</pubDate>", "<description>",
    "</description>", "<![CDATA[", "]]>", "&amp;", "&lt;b&gt;", "&#27;", "&#x9b;", "&bogus;",
    '<feed xmlns="http://www.w3.org/2005/Atom">', "<entry>", "</entry>",
    '<content type="html">', '<content type="xhtml">', "</content>", "<updated>",
    "Wed, 06 Nov 2024 08:00:00 GMT", "2024-11-06T08:00:00Z", "javascript:alert(1)",
    "<!DOCTYPE rss [", '<!ENTITY x "xx">', "]>", "\x1b[31m", "\x1b]52;c;eA==\x07",
    '{"version": "https://jsonfeed.org/version/1.1", "items": [', '{"id": 1, "title": ',
    '"content_html": "<p>x</p>"', "}", "]", "\ufeff", "\x00",
)  # fmt: skip


@FUZZ
@given(st.one_of(st.binary(max_size=600), FEED_PIECES))
@example(b"\x1f\x8b\x08\x00")  # a gzip header and nothing else
@example(b'{"version": "https://jsonfeed.org/version/1", "items": [{"title": null}]}')
def test_parse_feed_raises_only_feed_parse_error(body: bytes) -> None:
    try:
        parsed = parse_feed(body, feed_name="Fuzz", url="https://fuzz.example/feed")
    except FeedParseError as err:
        assert str(err) and "\n" not in str(err)
        return
    for article in parsed.articles:
        text = article.title + (article.author or "") + article.summary + article.content
        assert not CONTROL.search(text.replace("\n", "")), text
        assert article.link == "" or article.link.startswith(("http://", "https://"))
        assert article.guid


PAGE_PIECES = pieces_of(
    "<html>", "<head>", '<meta charset="utf-16">', '<meta charset="nonsense">',
    '<base href="javascript:alert(1)">', '<base href="//other.example/">', "<body>",
    "<article>", "</article>", "<main>", '<div class="entry-content">', "</div>", "<p>",
    "</p>", "<h1>", "</h1>", '<a href="javascript:alert(1)">', '<a href="/rel">', "</a>",
    "<script>", "</script>", '<img src="x" onerror="y">', "<nav>", '<div class="share">',
    '<p class="byline">', "<table><tr><td>", "</td></tr></table>", "<ul><li>", "</li></ul>",
    "&nbsp;", "&amp;", "\x1b[2J", "\u202e", "<!--", "-->", "<![CDATA[",
)  # fmt: skip


@FUZZ
@given(
    st.one_of(st.binary(max_size=600), PAGE_PIECES),
    st.sampled_from([None, "text/html", "text/html; charset=latin-1", "text/html; charset=x"]),
    st.sampled_from([None, "", "A title", "\x1b[31mRed"]),
)
def test_extract_main_text_never_raises(
    page: bytes, content_type: str | None, title: str | None
) -> None:
    for html in (page, page.decode("utf-8", "replace")):
        text = extract_main_text(
            html, "https://fuzz.example/a/page", title=title, content_type=content_type
        )
        assert isinstance(text, str)
        assert not CONTROL.search(text.replace("\n", "")), text
        assert "javascript:" not in re.findall(r"\]\(([^)]*)\)", text)


CONFIG_PIECES = pieces_of(
    "[[feeds]]\n", "[feeds]\n", "[[feed]]\n", "name = ", "url = ", "full_text = ", "ulr = ",
    '"Vale Courier"\n', '"https://a.example/rss"\n', '"feeds/local.xml"\n', '"file:///x"\n',
    '"javascript:x"\n', "true\n", "'yes'\n", "5\n", "[1, 2]\n", "{ a = 1 }\n", '"\\u001b"\n',
    "# comment\n", "\n", "=", '"', "'''", "[", "]", "\ufeff",
)  # fmt: skip


@FUZZ
@given(st.one_of(st.binary(max_size=400), CONFIG_PIECES))
def test_load_config_raises_only_config_error(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "feeds.toml"
    path.write_bytes(data)
    try:
        config = load_config(path)
    except ConfigError as err:
        message = str(err)
        assert message.startswith(str(path)) and "\n" not in message, message
        return
    for feed in config.feeds:
        assert feed.name.strip() and not CONTROL.search(feed.name)
        assert feed.url.startswith(("http://", "https://", "file://"))


OPML_PIECES = pieces_of(
    '<?xml version="1.0"?>', '<?xml version="1.0" encoding="bogus"?>',
    '<?xml version="1.0" encoding="utf-16"?>', '<opml version="2.0">', "</opml>", "<head>",
    "</head>", "<body>", "</body>", "<outline ", "/>", "</outline>", 'text="A feed" ',
    'title="\x1b[31m" ', 'xmlUrl="https://a.example/rss" ', 'xmlUrl="file:///etc/passwd" ',
    'xmlUrl="javascript:x" ', "<!DOCTYPE opml>", '<!ENTITY x "y">', "&x;", "&amp;", ">", "<",
)  # fmt: skip


@FUZZ
@given(st.one_of(st.binary(max_size=400), OPML_PIECES))
@example(b'<?xml version="1.0" encoding="bogus"?><opml/>')
def test_read_opml_raises_only_config_error(data: bytes) -> None:
    try:
        feeds = read_opml(data)
    except ConfigError as err:
        assert "\n" not in str(err)
        return
    for name, url in feeds:
        assert name and not CONTROL.search(name)
        assert url.startswith(("http://", "https://"))


@pytest.mark.parametrize("encoding", ["bogus", "utf-32", "x-mac-nonsense"])
def test_opml_with_an_unknown_or_wrong_encoding_is_a_config_error(encoding: str) -> None:
    data = f'<?xml version="1.0" encoding="{encoding}"?><opml version="2.0"/>'.encode()
    with pytest.raises(ConfigError):
        read_opml(data)
