"""The plain-RSS fast path gives exactly what feedparser gives, or declines.

Whenever `rssfast.read_plain_rss` accepts a body, `parse_feed` with the fast path must
equal `parse_feed` without it (`fast_paths=FastPaths(rss=False)`), record for record: on the
real-world corpus, on the feeds the shared sets are served as, on the benchmark's
generated feeds, and on generated RSS full of the quirks feedparser has (HTML sniffing of
titles, permalink guids, `&amp;` in links, mojibake repair, cp1252 controls, odd dates).
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from types import FrameType
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heraldtui.core.errors import FeedParseError
from heraldtui.core.ingest import parse, rssfast
from heraldtui.core.ingest.fastpaths import FastPaths
from heraldtui.core.ingest.parse import ParsedFeed, feedparser_headers, parse_feed
from heraldtui.core.ingest.rssfast import PlainFeed, read_plain_rss
from tests.support.modules import load_script
from tests.support.paths import REPO

SHARED = REPO / ".." / "shared"
CORPUS = SHARED / "corpus" / "feeds"
HEADER_VARIANTS: tuple[dict[str, str] | None, ...] = (
    None,
    {"Content-Type": "application/rss+xml"},
    {"Content-Type": "text/xml; charset=utf-8"},
    {"Content-Type": "text/html; charset=ISO-8859-1"},
    {"Content-Type": "text/xml"},
)

Outcome = ParsedFeed | str


def _outcome(body: bytes, url: str, headers: dict[str, str] | None, *, rss: bool) -> Outcome:
    try:
        return parse_feed(
            body, feed_name="Feed", url=url, headers=headers, fast_paths=FastPaths(rss=rss)
        )
    except FeedParseError as err:
        return f"error: {err}"


def _accepted(body: bytes, url: str, headers: dict[str, str] | None) -> bool:
    return read_plain_rss(body, feedparser_headers(headers or {}, url, body)) is not None


def _compare(body: bytes, url: str, headers: dict[str, str] | None) -> bool:
    """Assert both paths agree when the fast path accepts; say whether it did."""
    if not _accepted(body, url, headers):
        return False
    slow = _outcome(body, url, headers, rss=False)
    calls: list[bool] = []

    def spy(body: bytes, headers: Mapping[str, str]) -> PlainFeed | None:
        found = read_plain_rss(body, headers)
        calls.append(found is not None)
        return found

    setattr(parse, "read_plain_rss", spy)  # noqa: B010 - parse imports it by name
    try:
        fast = _outcome(body, url, headers, rss=True)
    finally:
        setattr(parse, "read_plain_rss", read_plain_rss)  # noqa: B010
    assert calls == [True], "parse_feed did not take the fast path it was offered"
    assert isinstance(fast, ParsedFeed), fast
    assert fast == slow
    return True


# -- the real-world corpus ------------------------------------------------------------


def _corpus() -> list[Path]:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.suffix not in (".tsv", ".md"))


@pytest.mark.slow
def test_fast_path_equals_feedparser_on_the_corpus() -> None:
    files = _corpus()
    accepted = 0
    for path in files:
        body = path.read_bytes()
        url = f"https://feeds.example/{path.parent.name}/{path.name}"
        hits = [_compare(body, url, headers) for headers in HEADER_VARIANTS]
        accepted += hits[1]
    print(f"\nrssfast accepts {accepted} of {len(files)} corpus files (application/rss+xml)")
    # Regression guard: the plain subset of the corpus (73 files when written).
    assert accepted >= 60


# -- the shared sets as score.py serves them -----------------------------------------


def _scorer() -> object:
    return load_script(SHARED / "tools" / "score.py", "shared_score_rssfast")


@pytest.mark.parametrize("name", ["seeds", "devset"])
def test_fast_path_equals_feedparser_on_the_shared_sets(name: str, tmp_path: Path) -> None:
    source = SHARED / name / "articles.jsonl"
    if not source.is_file():
        pytest.skip(f"shared set not found at {source}")
    score = _scorer()
    lines = source.read_text(encoding="utf-8").splitlines()
    articles = [json.loads(line) for line in lines if line.strip()]
    base = "http://127.0.0.1:8123"
    score.build_site(articles, tmp_path, base)  # type: ignore[attr-defined]
    feeds = sorted((tmp_path / "feeds").iterdir())
    assert feeds
    headers = {"Content-Type": "application/xml"}  # what SimpleHTTPRequestHandler sends
    for path in feeds:
        body = path.read_bytes()
        assert _compare(body, f"{base}/feeds/{path.name}", headers), path.name


# -- the benchmark's generated feeds --------------------------------------------------


def _feedgen() -> object:
    return load_script(REPO / "benchmarks" / "feedgen.py", "feedgen")


@pytest.mark.parametrize("index", [0, 1, 57, 199])
def test_fast_path_equals_feedparser_on_benchmark_feeds(index: int) -> None:
    body: bytes = _feedgen().make_feed(index)  # type: ignore[attr-defined]
    headers = {"Content-Type": "application/rss+xml; charset=utf-8"}
    assert _compare(body, f"http://127.0.0.1:9/feeds/{index}.xml", headers)


@pytest.mark.parametrize("headers", [{"Content-Type": "application/rss+xml"}, None])
def test_fast_path_equals_feedparser_on_one_line_gen_feeds_feeds(
    headers: dict[str, str] | None,
) -> None:
    """The shared sets' generator writes each feed on one line, which the fast path
    hands feedparser's encoding sniffer with the declaration on a line of its own."""
    feedgen = _feedgen()
    if not feedgen.GEN_FEEDS.exists():  # type: ignore[attr-defined]
        pytest.skip("the shared gen_feeds generator is not available")
    bodies: list[bytes] = feedgen.make_feeds(2, 20, "gen_feeds")  # type: ignore[attr-defined]
    for index, body in enumerate(bodies):
        assert b"\n" not in body
        assert rssfast._declaration_alone(body) != body
        assert _compare(body, f"http://127.0.0.1:9/feeds/{index}.xml", headers)


_DECLARATIONS = st.sampled_from(
    [
        '<?xml version="1.0" encoding="UTF-8"?>',
        "<?xml version='1.0' encoding='ISO-8859-1'?>",
        '<?xml version="1.0"?>',
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        '<?xml version="1.0" encoding=UTF-8?>',
        '<?xml version="1.0" encoding="utf-8?>',
        '<?xml version="1.0" encoding="utf-8" encoding="latin-1"?>',
        "<?xml encoding='windows-1252' version='1.0' ?>",
        '<?xml version="1.0" encoding="utf-8">',
    ]
)
_LINE_PIECES = st.sampled_from(
    ["<rss>", "<title>a ?> b</title>", " encoding='latin-1' ", '"', "'", "?>", "text " * 40, "\n"]
)


@settings(max_examples=300, deadline=None)
@given(declaration=_DECLARATIONS, pieces=st.lists(_LINE_PIECES, max_size=12))
def test_the_declaration_alone_leaves_the_encoding_feedparser_finds(
    declaration: str, pieces: list[str]
) -> None:
    """On a long first line, feedparser's greedy pattern may find an `encoding=` anywhere
    on it: the declaration goes on its own line only where it finds the same one."""
    from feedparser.encodings import RE_XML_PI_ENCODING

    body = (declaration + "".join(pieces) + "<x/>" * 300).encode()
    alone = rssfast._declaration_alone(body)
    if alone != body:
        end = body.index(b"?>") + 2
        assert alone == body[:end] + b"\n" + body[end:]
    before, after = RE_XML_PI_ENCODING.match(body), RE_XML_PI_ENCODING.match(alone)
    assert (before and before.groups()) == (after and after.groups())


def test_a_short_first_line_is_left_as_it_is() -> None:
    body = b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0">\n' + b"<x/>" * 400
    assert rssfast._declaration_alone(body) is body


def _python_calls(run: Callable[[], object]) -> int:
    """How many Python functions `run` enters (generator resumptions included): the work
    feedparser's SAX handlers spend per element, counted, so the same on any machine."""
    run()  # first-call work (imports, compiled patterns) is not the parser's
    calls = 0

    def count(frame: FrameType, event: str, arg: object) -> None:
        nonlocal calls
        if event == "call":
            calls += 1

    before = sys.getprofile()
    sys.setprofile(count)
    try:
        run()
    finally:
        sys.setprofile(before)
    return calls


def test_fast_path_is_cheaper_than_feedparser_on_a_benchmark_feed() -> None:
    """Not a benchmark (the machine is shared): the fast path must clearly win, or it is
    broken in a way the equality tests cannot see (declining everything, or calling
    feedparser's machinery after all, say). Its cost is Python calls per element (see the
    module doc of rssfast), so those are counted: about 4,300 against 28,700 on this feed,
    where CPU time is about 4.7x less."""
    body: bytes = _feedgen().make_feed(3)  # type: ignore[attr-defined]
    headers = {"content-type": "application/rss+xml", "content-location": "http://h.example/"}
    import feedparser

    def fast() -> None:
        assert read_plain_rss(body, headers) is not None

    def slow() -> None:
        feedparser.parse(body, response_headers=headers, sanitize_html=False)

    assert _python_calls(fast) * 3 < _python_calls(slow)


# -- generated RSS ----------------------------------------------------------------------

_WORDS = st.sampled_from(
    [
        "Police",
        "appeal",
        "&",
        "<b>bold</b>",
        "<i>x</i>",
        "&amp;",
        "&nbsp;",
        "&copy;",
        "&bogus;",
        "a < b",
        "x > y",
        "</p>",
        "<script>alert(1)</script>",
        "<unknowntag>",
        "'quoted'",
        '"double"',
        "café",
        "’",
        "—",
        "Ã©",  # UTF-8 read as Latin-1: feedparser repairs it
        "\x96",  # a C1 control: feedparser maps it to the cp1252 en dash
        "\x80",
        "  spaced  ",
        "\n",
        "\u00a0",
        "https://x.example/?a=1&b=2",
        "email@example.com (Name)",
    ]
)
_TEXT = st.lists(_WORDS, max_size=6).map(" ".join)
_LINKS = st.sampled_from(
    [
        "https://news.example/story/1",
        "https://news.example/story?id=1&amp;page=2",
        "https://news.example/story?id=1&page;=2",
        "/relative/story",
        "story.html",
        "  https://news.example/padded  ",
        "javascript:alert(1)",
        "",
        "https://news.example/caf\u00e9",
    ]
)
_DATES = st.sampled_from(
    [
        "Tue, 03 Jun 2025 09:15:00 +0100",
        "Tue, 03 Jun 2025 09:15:00 GMT",
        "2025-06-03T09:15:00Z",
        "03 Jun 2025",
        "not a date",
        "",
        "Mon, 31 Feb 2025 10:00:00 GMT",
        "Sun, 1 Jun 2025 24:00:00 BST",
    ]
)
_AUTHORS = st.sampled_from(
    [
        "Jane Smith",
        "jane@example.com (Jane Smith)",
        "jane@example.museum (Jane Smith)",
        "jane@example.com",
        "Newsdesk <desk@example.co.uk>",
        "",
    ]
)


def _encode(text: str, how: int) -> str:
    """Text as XML content: escaped, in CDATA, or with character references."""
    if how == 1 and "]]>" not in text:
        return f"<![CDATA[{text}]]>"
    if how == 2:
        return "".join(c if c.isascii() and c not in "<&>" else f"&#{ord(c)};" for c in text)
    return escape(text)


@st.composite
def _items(draw: st.DrawFn) -> str:
    parts: list[str] = []
    how = st.integers(0, 2)
    if draw(st.booleans()):
        parts.append(f"<title>{_encode(draw(_TEXT), draw(how))}</title>")
    if draw(st.booleans()):
        parts.append(f"<link>{_encode(draw(_LINKS), draw(how))}</link>")
    if draw(st.booleans()):
        value = draw(st.one_of(_LINKS, st.sampled_from(["guid-1", "guid-2", "tag:x,2025:1"])))
        attribute = draw(st.sampled_from(["", ' isPermaLink="false"', ' isPermaLink="true"']))
        attribute = draw(st.sampled_from([attribute, ' isPermaLink="True"', " ISPERMALINK='x'"]))
        parts.append(f"<guid{attribute}>{_encode(value, draw(how))}</guid>")
    if draw(st.booleans()):
        tag = draw(st.sampled_from(["pubDate", "pubdate", "dc:date"]))
        parts.append(f"<{tag}>{escape(draw(_DATES))}</{tag}>")
    if draw(st.booleans()):
        parts.append(f"<description>{_encode(draw(_TEXT), draw(how))}</description>")
    if draw(st.booleans()):
        html = "".join(f"<p>{escape(draw(_TEXT))}</p>" for _ in range(draw(st.integers(0, 3))))
        parts.append(f"<content:encoded>{_encode(html, draw(how))}</content:encoded>")
    if draw(st.booleans()):
        tag = draw(st.sampled_from(["author", "dc:creator"]))
        parts.append(f"<{tag}>{_encode(draw(_AUTHORS), draw(how))}</{tag}>")
    for _ in range(draw(st.integers(0, 2))):
        parts.append(f"<category domain={quoteattr(draw(_TEXT))}>{escape(draw(_TEXT))}</category>")
    if draw(st.booleans()):
        parts.append('<enclosure url="https://news.example/a.jpg" length="1" type="image/jpeg"/>')
    if draw(st.booleans()):
        parts.append("<!-- a comment -->")
    order = draw(st.permutations(parts))
    return "<item>" + "\n".join(order) + "</item>"


@st.composite
def _feeds(draw: st.DrawFn) -> bytes:
    head = draw(
        st.sampled_from(
            [
                '<?xml version="1.0" encoding="UTF-8"?>\n',
                "<?xml version='1.0'?>",
                "",
                "\ufeff",
                '<?xml version="1.0" encoding="utf-8"?><?xml-stylesheet href="a.xsl"?>',
            ]
        )
    )
    version = draw(st.sampled_from(["2.0", "0.91", "0.92"]))
    channel = []
    if draw(st.booleans()):
        channel.append(f"<title>{_encode(draw(_TEXT), draw(st.integers(0, 2)))}</title>")
    channel.append("<link>https://news.example/</link><description>News</description>")
    if draw(st.booleans()):
        channel.append(
            "<image><url>https://news.example/logo.png</url><title>Logo title</title>"
            "<link>https://news.example/</link></image>"
        )
    if draw(st.booleans()):
        channel.append(
            '<atom:link href="https://news.example/feed" rel="self" type="application/rss+xml"/>'
        )
    items = draw(st.lists(_items(), max_size=5))
    channel[draw(st.integers(0, len(channel))) : 0] = items
    text = (
        f'{head}<rss version="{version}" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">'
        f"<channel>{''.join(channel)}</channel></rss>"
    )
    return text.encode("utf-8")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=_feeds(),
    url=st.sampled_from(
        ["https://news.example/feeds/rss.xml", "http://h.example/a/b/", "file:///tmp/feed.xml"]
    ),
    headers=st.sampled_from(HEADER_VARIANTS),
)
def test_fast_path_equals_feedparser_on_generated_rss(
    body: bytes, url: str, headers: dict[str, str] | None
) -> None:
    accepted = _compare(body, url, headers)
    if headers is not None and headers["Content-Type"] == "application/rss+xml":
        assert accepted, "the generator writes only plain RSS, read as UTF-8"


def test_duplicate_guids_keep_the_first_item_on_both_paths() -> None:
    items = "".join(
        f"<item><title>Item {n}</title><guid isPermaLink='false'>same</guid></item>"
        for n in range(3)
    )
    body = f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'.encode()
    assert _compare(body, "https://news.example/rss", None)
    parsed = parse_feed(body, feed_name="Feed", url="https://news.example/rss")
    assert [a.title for a in parsed.articles] == ["Item 0"]


# -- quirks pinned: what feedparser does and the fast path copies ----------------------


def _one(item: str, url: str = "https://news.example/feeds/rss.xml") -> ParsedFeed:
    body = f'<rss version="2.0"><channel><title>T</title><item>{item}</item></channel></rss>'
    data = body.encode("utf-8")
    assert _compare(data, url, {"Content-Type": "application/rss+xml"})
    return parse_feed(data, feed_name="Feed", url=url, headers={"Content-Type": "text/xml"})


def test_a_permalink_guid_is_the_link_unless_a_link_came_first() -> None:
    (article,) = _one("<title>A</title><guid>/stories/7</guid>").articles
    assert article.link == "https://news.example/stories/7"
    (article,) = _one("<title>A</title><guid isPermaLink='True'>/stories/7</guid>").articles
    assert article.link == "" and article.guid == "/stories/7"  # only "true" counts
    item = "<title>A</title><link>https://news.example/x</link><guid>https://news.example/y</guid>"
    (article,) = _one(item).articles
    assert article.link == "https://news.example/x"


def test_links_lose_escaped_ampersands_as_in_feedparser() -> None:
    (article,) = _one("<title>A</title><link>https://n.example/?a=1&amp;amp;b=2</link>").articles
    assert article.link == "https://n.example/?a=1&b=2"


def test_titles_are_sniffed_for_html_as_in_feedparser() -> None:
    (article,) = _one("<title>Fish &amp;amp; chips &lt;b&gt;now&lt;/b&gt;</title>").articles
    assert article.title == "Fish & chips now"
    (article,) = _one("<title>A &lt;blink&gt; tag &amp;amp; more</title>").articles
    assert article.title == "A <blink> tag &amp; more"  # an unknown tag: not HTML


def test_mojibake_and_c1_controls_are_repaired_as_in_feedparser() -> None:
    (article,) = _one("<title>Caf\u00c3\u00a9 opens</title>").articles
    assert article.title == "Café opens"
    (article,) = _one("<title>Opens \u0096 today</title>").articles
    assert article.title == "Opens – today"
    # The repair is all or nothing: one character that is not UTF-8 keeps the mojibake.
    (article,) = _one("<title>Caf\u00c3\u00a9 opens \u0096 today</title>").articles
    assert article.title == "Caf\u00c3\u00a9 opens – today"


# -- what the fast path declines -------------------------------------------------------

DC = "http://purl.org/dc/elements/1.1/"
_PLAIN = (
    '<rss version="2.0"><channel><title>T</title>'
    "<item><title>A</title><link>https://n.example/a</link></item></channel></rss>"
)


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        pytest.param(_PLAIN.replace("<title>A", "<title>A</title><title>B"), None, id="two-titles"),
        pytest.param(_PLAIN.replace("<item>", "<item><foo>x</foo>"), None, id="unknown-element"),
        pytest.param(
            _PLAIN.replace("<item>", '<item xml:base="https://o.example/">'), None, id="base"
        ),
        pytest.param(_PLAIN.replace("<title>A", '<title type="html">A'), None, id="typed-title"),
        pytest.param(_PLAIN.replace('"2.0"', '"3.0"'), None, id="version"),
        pytest.param(_PLAIN.replace("<channel>", "<channel><channel>", 1), None, id="two-channels"),
        pytest.param(
            _PLAIN.replace("</channel>", "<channel/></channel>"), None, id="nested-channel"
        ),
        pytest.param(_PLAIN.replace("A</title>", "A<b>b</b></title>"), None, id="child-in-title"),
        pytest.param(_PLAIN.replace("A</title>", "A &nbsp;</title>"), None, id="undefined-entity"),
        pytest.param(_PLAIN.replace("</rss>", ""), None, id="truncated"),
        pytest.param(
            _PLAIN.replace("<rss", '<?xml version="1.0" encoding="iso-8859-1"?><rss').replace(
                "<title>A", "<title>\u00e9"
            ),
            None,
            id="latin1-declared",
        ),
        pytest.param(_PLAIN.replace("rss", "feed"), None, id="not-rss"),
        pytest.param(
            _PLAIN.replace('version="2.0"', 'version="2.0" xmlns="http://purl.org/rss/1.0/"'),
            None,
            id="default-namespace",
        ),
        pytest.param(
            _PLAIN.replace("<title>A", "<title>\u00e9"),
            {"Content-Type": "text/xml"},
            id="ascii-by-rfc3023",
        ),
        pytest.param(
            '<!DOCTYPE rss [<!ENTITY b "B"><!ENTITY a "&b;&b;">]>'
            + _PLAIN.replace("<title>A", "<title>&a; y"),
            None,
            id="small-entities",
        ),
        pytest.param(
            _PLAIN.replace("<title>T</title>", "<title>One</title><title>Two</title>"),
            None,
            id="two-channel-titles",
        ),
        pytest.param(
            _PLAIN.replace("<item>", '<item href="https://cdf.example/x">'), None, id="item-attr"
        ),
        pytest.param(
            _PLAIN.replace('version="2.0"', 'version="2.0" base="https://o.example/d/"'),
            None,
            id="rss-base",
        ),
        pytest.param(
            _PLAIN.replace('version="2.0"', f'version="2.0" xmlns:dc="{DC}"').replace(
                "<title>A</title>",
                "<title>A</title><author>Jane Doe</author><dc:creator>John Roe</dc:creator>",
            ),
            None,
            id="author-and-creator",
        ),
        pytest.param(
            _PLAIN.replace(
                'version="2.0"',
                f'version="2.0" xmlns:dc="http://purl.org/dc/terms/" xmlns:dce="{DC}"',
            ).replace("<title>A</title>", "<title>A</title><dce:creator>Jane</dce:creator>"),
            None,
            id="dc-prefix-for-dcterms",
        ),
        pytest.param(
            _PLAIN.replace("<item>", f'<item xmlns:content="{DC}">'), None, id="prefix-swapped"
        ),
        pytest.param("<!--\n<!ENTITY x -->\n" + _PLAIN, None, id="entity-in-a-comment"),
    ],
)
def test_fast_path_declines(body: str, headers: dict[str, str] | None) -> None:
    data = body.encode("utf-8")
    assert not _accepted(data, "https://n.example/rss", headers)
    slow = _outcome(data, "https://n.example/rss", headers, rss=False)
    fast = _outcome(data, "https://n.example/rss", headers, rss=True)
    assert fast == slow  # feedparser answered


def test_a_doctype_stops_the_fast_path_before_any_entity_is_expanded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">{laughs}]>'
        "<rss version='2.0'><channel><title>&l9;</title></channel></rss>"
    ).encode()
    headers = {"content-location": "https://n.example/rss"}
    seen: list[str] = []
    start, characters = rssfast._Reader._start, rssfast._Reader._characters

    def spy_start(reader: rssfast._Reader, name: str, attributes: dict[str, str]) -> None:
        seen.append(name)
        start(reader, name, attributes)

    def spy_characters(reader: rssfast._Reader, data: str) -> None:
        seen.append(data)
        characters(reader, data)

    monkeypatch.setattr(rssfast._Reader, "_start", spy_start)
    monkeypatch.setattr(rssfast._Reader, "_characters", spy_characters)
    assert read_plain_rss(body, headers) is None
    assert seen == []  # stopped before the root element, so before any &l9; in it


def test_deep_nesting_and_huge_attributes_are_declined_at_once() -> None:
    deep = "<rss version='2.0'><channel><item>" + "<x>" * 100_000 + "</x>" * 100_000
    body = (deep + "</item></channel></rss>").encode()
    headers = {"content-location": "https://n.example/rss"}
    assert read_plain_rss(body, headers) is None
    huge = f"<rss version='2.0'><channel><item><category domain='{'a' * 5_000_000}'>x"
    body = (huge + "</category></item></channel></rss>").encode()
    assert read_plain_rss(body, headers) is not None  # an allowed attribute, just long


def test_random_bytes_never_raise() -> None:
    rng = random.Random(7)
    pieces = [
        b"<rss version='2.0'>",
        b"<channel>",
        b"<item>",
        b"<title>",
        b"</title>",
        b"&",
        b"\x00",
        b"\xff",
        b"]]>",
        b"<![CDATA[",
        b"</item>",
        b"</channel></rss>",
    ]
    headers = {"content-location": "https://n.example/rss"}
    for _ in range(2_000):
        body = b"".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        result = read_plain_rss(body, headers)
        assert result is None or isinstance(result.entries, list)
