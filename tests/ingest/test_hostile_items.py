"""One hostile item or page costs that item alone, never its whole feed (issue 17).

Each case below once raised out of the parser or the page fetcher and failed the feed on
every refresh: deep nesting (RecursionError), a link to port 99999 (OverflowError), a
Retry-After of twenty digits (OverflowError) or a superscript digit (ValueError). The
fuzz test assembles items from the pieces those paths branch on.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heraldtui.core.ingest.answers import MAX_RETRY_AFTER, parse_retry_after
from heraldtui.core.ingest.fastpaths import FastPaths
from heraldtui.core.ingest.parse import parse_feed
from heraldtui.core.ingest.refresh import refresh_feeds
from heraldtui.core.models import FeedSource
from heraldtui.core.storage.store import Store
from heraldtui.core.text.html_markdown import html_to_markdown
from heraldtui.core.text.html_text import html_to_text
from heraldtui.core.text.markdown_rules import MAX_HTML_TAGS
from tests.fixtures.site.make import PARA, page
from tests.support.httpserver import LocalServer, http_server

server = pytest.fixture(http_server)

NESTING = ["li", "p", "font", "span", "div", "blockquote", "b", "a", "ul", "em"]


def item(n: int, link: str, html: str, *, teaser: bool = False) -> str:
    """An item whose `html` is its full content (or, with `teaser`, its description)."""
    element = "description" if teaser else "content:encoded"
    return (
        f"<item><title>Item {n}</title><link>{escape(link)}</link><guid>g{n}</guid>"
        f"<{element}>{escape(html)}</{element}></item>"
    )


def feed(*items: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>Hostile</title>{''.join(items)}</channel></rss>"
    ).encode()


def nested(tag: str, depth: int, *, closed: bool) -> str:
    inner = f"<{tag}>word " * depth
    return inner + (f"</{tag}>" * depth if closed else "")


@pytest.mark.parametrize("closed", [True, False], ids=["closed", "unclosed"])
@pytest.mark.parametrize("tag", NESTING)
def test_deep_nesting_in_one_item_keeps_the_feed(
    tag: str, closed: bool, fast_paths: FastPaths
) -> None:
    good = f"<p>{PARA}</p>"
    body = feed(
        item(1, "https://outlet.example/1", good),
        item(2, "https://outlet.example/2", nested(tag, 3000, closed=closed)),
        item(3, "https://outlet.example/3", good),
    )
    parsed = parse_feed(
        body, feed_name="F", url="https://outlet.example/feed", fast_paths=fast_paths
    )
    assert [a.title for a in parsed.articles] == ["Item 1", "Item 2", "Item 3"]
    # The first MAX_HTML_DEPTH levels keep their Markdown (list marks, emphasis); below
    # that, the words are plain text. None is lost.
    assert parsed.articles[1].content.count("word") == 3000


def test_nesting_within_the_bound_keeps_its_structure() -> None:
    html = "<div>" * 40 + "<p>First <b>bold</b></p><p>Second</p>" + "</div>" * 40
    assert html_to_markdown(html) == "First **bold**\n\nSecond"
    assert html_to_markdown(html, fast=False) == "First **bold**\n\nSecond"


def test_a_tree_too_large_is_read_as_text_in_one_pass() -> None:
    html = "<p>Opening words <script>hidden()</script></p>" + "<b><i><span>x" * (MAX_HTML_TAGS)
    text = html_to_markdown(html, fast=False)
    assert text.startswith("Opening words\n\nx")
    assert "hidden" not in text
    assert text.count("x") == MAX_HTML_TAGS


def test_a_void_dropped_element_hides_nothing_after_it() -> None:
    # <source> and <input> have no end tag: counting them as open hid the rest of the text.
    html = '<p>Before <source srcset="a.jpg"> middle <input name="q"> after</p>'
    assert html_to_text(html) == "Before middle after"
    assert html_to_markdown(html, fast=False) == "Before middle after"


def test_a_link_to_a_port_past_65535_is_dropped_not_raised(fast_paths: FastPaths) -> None:
    body = feed(
        item(1, "https://outlet.example:99999/story", f"<p>{PARA}</p>"),
        item(2, "https://outlet.example/2", f"<p>{PARA}</p>"),
    )
    parsed = parse_feed(
        body, feed_name="F", url="https://outlet.example/feed", fast_paths=fast_paths
    )
    assert [a.link for a in parsed.articles] == ["", "https://outlet.example/2"]


NOW = datetime(2026, 1, 5, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", NOW + timedelta(seconds=120)),
        ("99999999999999999999", NOW + MAX_RETRY_AFTER),
        ("Fri, 31 Dec 9999 23:59:59 GMT", NOW + MAX_RETRY_AFTER),
        ("Mon, 05 Jan 2026 13:00:00 GMT", NOW + timedelta(hours=1)),
        ("\u00b2", None),  # a superscript two: isdigit() says yes, int() says no
        ("\u0663", None),  # an Arabic-Indic three
        ("soon", None),
    ],
)
def test_retry_after_is_read_capped_or_ignored(value: str, expected: datetime | None) -> None:
    assert parse_retry_after(value, now=NOW) == expected


def test_hostile_pages_and_links_cost_their_item_alone(server: LocalServer, tmp_path: Path) -> None:
    """Through a real refresh: teaser items whose pages are hostile, and one unusable link."""
    base = server.base_url
    deep = f"<p>{PARA}</p><p>{PARA}</p><div>{nested('span', 5000, closed=True)}</div>"
    server.route("/deep", body=page("Deep", deep))
    server.route("/busy", status=429, headers={"Retry-After": "99999999999999999999"})
    server.route("/odd", status=503, headers={"Retry-After": "\u00b2"})
    server.route("/fine", body=page("Fine", f"<p>{PARA}</p><p>{PARA}</p>"))
    items = [
        item(1, f"{base}/deep", "A teaser.", teaser=True),
        item(2, f"{base}/busy", "A teaser.", teaser=True),
        item(3, f"{base}/odd", "A teaser.", teaser=True),
        item(4, "http://127.0.0.1:99999/story", "A teaser.", teaser=True),
        item(5, f"{base}/fine", "A teaser.", teaser=True),
    ]
    server.route("/feed", body=feed(*items), content_type="application/rss+xml")
    store = Store(tmp_path / "heraldtui.sqlite3")
    try:
        report = asyncio.run(refresh_feeds([FeedSource("Hostile", server.url("/feed"))], store))
        [outcome] = report.outcomes
        assert outcome.status == "ok", outcome.error
        assert outcome.new == 5
        stored = {a.title: a for a in store.articles()}
        assert set(stored) == {f"Item {n}" for n in range(1, 6)}
        deep_text = stored["Item 1"].content  # the deep page, read as plain text
        assert deep_text.count("Officers from the rural team") == 2
        assert deep_text.split().count("word") == 5000
        assert stored["Item 5"].content.count("rural team") == 2  # the page was fetched
        assert stored["Item 2"].summary == stored["Item 3"].summary == "A teaser."
        assert not stored["Item 4"].link
    finally:
        store.close()


HTML_PIECES = st.sampled_from(
    [
        *(f"<{t}>" for t in NESTING),
        *(f"</{t}>" for t in NESTING),
        '<a href="https://x.example:99999/">',
        '<a href="javascript:alert(1)">',
        '<ol start="\u00b2">',
        '<img alt="">',
        "<source srcset=x>",
        "<script>",
        "</script>",
        "<br/>",
        "&amp;",
        "&#0;",
        "&#x110000;",
        "word ",
        "\x1b[31m",
    ]
)
FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(
    pieces=st.lists(HTML_PIECES, max_size=40),
    repeat=st.sampled_from([1, 30, 400]),
    link=st.sampled_from(["https://outlet.example/x", "https://outlet.example:99999/x", "::"]),
)
def test_any_item_costs_that_item_alone(pieces: list[str], repeat: int, link: str) -> None:
    html = "".join(pieces) * repeat
    body = feed(
        item(1, "https://outlet.example/1", f"<p>{PARA}</p>"),
        item(2, link, html),
        item(3, "https://outlet.example/3", f"<p>{PARA}</p>"),
    )
    for paths in (FastPaths(), FastPaths.off()):
        parsed = parse_feed(
            body, feed_name="F", url="https://outlet.example/feed", fast_paths=paths
        )
        titles = [a.title for a in parsed.articles]
        assert titles[0] == "Item 1" and titles[-1] == "Item 3"


# -- gzip: every member read, and the same decompressed cap however it came ---------------


def members(*parts: bytes) -> bytes:
    import gzip

    return b"".join(gzip.compress(part) for part in parts)


def test_an_unlabelled_gzip_body_keeps_every_member_and_the_cap(fast_paths: FastPaths) -> None:
    from heraldtui.core.errors import FeedParseError
    from heraldtui.core.ingest.limits import MAX_BODY_BYTES

    whole = feed(*(item(n, f"https://outlet.example/{n}", f"<p>{PARA}</p>") for n in range(4)))
    cut = len(whole) // 2
    body = members(whole[:cut], whole[cut:])  # two members: `cat a.gz b.gz`
    parsed = parse_feed(body, feed_name="F", url="https://o.example/f", fast_paths=fast_paths)
    assert [a.title for a in parsed.articles] == [f"Item {n}" for n in range(4)]
    # Past the cap (the fetcher's own, 10 MB): refused, not read into memory whole.
    padding = b"<!--" + b" " * MAX_BODY_BYTES + b"-->"
    with pytest.raises(FeedParseError, match="larger than 10 MB"):
        parse_feed(
            members(whole[:cut], padding, whole[cut:]), feed_name="F", url="https://o.example/f"
        )


def test_a_labelled_multi_member_gzip_body_keeps_every_member(
    server: LocalServer, tmp_path: Path
) -> None:
    whole = feed(*(item(n, f"https://outlet.example/{n}", f"<p>{PARA}</p>") for n in range(4)))
    cut = len(whole) // 3
    body = members(whole[:cut], whole[cut : 2 * cut], whole[2 * cut :])
    server.route(
        "/feed", body=body, headers={"Content-Encoding": "gzip"}, content_type="application/rss+xml"
    )
    store = Store(tmp_path / "heraldtui.sqlite3")
    try:
        report = asyncio.run(refresh_feeds([FeedSource("Gz", server.url("/feed"))], store))
        assert [o.new for o in report.outcomes] == [4]
    finally:
        store.close()


# -- stored text is bounded: a 9 MB article made every key in the reader take seconds -----


def test_an_article_past_the_text_cap_is_cut_at_a_paragraph_with_a_note(
    server: LocalServer, tmp_path: Path
) -> None:
    from heraldtui.core.ingest.limits import MAX_ARTICLE_CHARS

    paragraphs = MAX_ARTICLE_CHARS // len(PARA) * 2
    huge = "".join(f"<p>{PARA}{n}</p>" for n in range(paragraphs))
    server.route("/page", body=page("Long", huge))
    server.route(
        "/feed",
        body=feed(
            item(1, "https://outlet.example/1", huge),
            item(2, server.url("/page"), "A teaser.", teaser=True),
        ),
        content_type="application/rss+xml",
    )
    store = Store(tmp_path / "heraldtui.sqlite3")
    try:
        asyncio.run(refresh_feeds([FeedSource("Long", server.url("/feed"))], store))
        stored = {a.title: a for a in store.articles()}
        for title in ("Item 1", "Item 2"):
            text = stored[title].content
            assert len(text) < MAX_ARTICLE_CHARS + 200, title
            kept, _, note = text.rpartition("\n\n")
            assert kept[-1].isdigit()  # a whole paragraph ends what was kept
            assert note.startswith("[heraldtui kept the first 200 thousand characters")
            assert "Officers from the rural team" in text[:100]
    finally:
        store.close()


# -- one huge feed: a refresh takes its newest items only ---------------------------------


def dated_feed(count: int, *, dated: bool = True) -> bytes:
    from email.utils import format_datetime

    start = datetime(2020, 1, 1, tzinfo=UTC)
    items = []
    for n in range(count):
        when = format_datetime(start + timedelta(hours=n)) if dated else ""
        date = f"<pubDate>{when}</pubDate>" if dated else ""
        items.append(
            f"<item><title>Item {n}</title><guid>https://o.example/{n}</guid>{date}"
            f"<description>Short {n}</description></item>"
        )
    return feed(*items)


def test_a_feed_past_max_items_keeps_its_newest_with_a_warning(fast_paths: FastPaths) -> None:
    from heraldtui.core.ingest.limits import MAX_ITEMS_PER_FEED

    # Oldest first, as some feeds are: the newest are at the end.
    body = dated_feed(MAX_ITEMS_PER_FEED + 700)
    parsed = parse_feed(body, feed_name="F", url="https://o.example/f", fast_paths=fast_paths)
    assert [a.title for a in parsed.articles] == [
        f"Item {n}" for n in range(700, MAX_ITEMS_PER_FEED + 700)
    ]
    assert (
        parsed.warning == f"kept the newest 500 of {MAX_ITEMS_PER_FEED + 700:,} items (max_items)"
    )
    few = parse_feed(body, feed_name="F", url="https://o.example/f", max_items=3)
    assert [a.title for a in few.articles] == [f"Item {n}" for n in range(1197, 1200)]
    undated = parse_feed(
        dated_feed(10, dated=False), feed_name="F", url="https://o.example/f", max_items=4
    )
    assert [a.title for a in undated.articles] == [f"Item {n}" for n in range(4)]  # feed order


def test_max_items_applies_in_a_refresh_and_shows_on_the_feed(
    server: LocalServer, tmp_path: Path
) -> None:
    server.route("/big", body=dated_feed(2_000), content_type="application/rss+xml")
    store = Store(tmp_path / "heraldtui.sqlite3")
    try:
        feed_source = FeedSource("Big", server.url("/big"), max_items=50)
        report = asyncio.run(refresh_feeds([feed_source], store))
        [outcome] = report.outcomes
        assert outcome.status == "ok" and outcome.new == 50
        assert outcome.warning == "kept the newest 50 of 2,000 items (max_items)"
        state = store.feed_state("Big")
        assert state is not None and state.warning == outcome.warning  # the feeds screen's
        assert sorted(a.title for a in store.articles()) == sorted(
            f"Item {n}" for n in range(1950, 2000)
        )
    finally:
        store.close()


# -- a feed's pages: one budget for all of them, and few conversions at once --------------


def test_a_feeds_pages_share_one_budget(server: LocalServer, tmp_path: Path) -> None:
    """Pages that trickle a byte at a time used to cost each its own 60 s deadline, eight
    at a time, on every refresh. Past the feed's budget the rest keep their teasers; the
    slow replies are cut short (the server sees the client hang up), not waited for.
    Three slow pages, so the host's four connections leave one for the fine page."""
    from heraldtui.core.ingest.fetch import Fetcher
    from heraldtui.core.ingest.refresh import _complete_teasers

    slow = page("Slow", f"<p>{PARA}</p>" * 40)
    for n in range(3):
        server.route(f"/slow{n}", body=slow, trickle=0.05, chunk_size=64)
    server.route("/fine", body=page("Fine", f"<p>{PARA}</p><p>{PARA}</p>"))
    teasers = [
        parse_feed(
            feed(
                *(item(n, server.url(f"/slow{n}"), "A teaser.", teaser=True) for n in range(3)),
                item(9, server.url("/fine"), "A teaser.", teaser=True),
            ),
            feed_name="Slow",
            url=server.url("/feed"),
        ).articles
    ][0]
    store = Store(tmp_path / "heraldtui.sqlite3")

    async def complete() -> list[str]:
        async with Fetcher() as fetcher:
            done, _ = await _complete_teasers(
                teasers,
                FeedSource("Slow", server.url("/feed")),
                store,
                fetcher,
                asyncio.Semaphore(2),
                budget=1.0,
            )
        return [a.content for a in done]

    try:
        contents = asyncio.run(complete())
    finally:
        store.close()
    assert contents[:3] == ["", "", ""]  # teasers: their pages were over the budget
    assert contents[3].count("rural team") == 2
    assert [server.reply_complete(f"/slow{n}") for n in range(3)] == [False] * 3


def test_pages_are_converted_two_at_a_time_across_a_refresh(
    server: LocalServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from heraldtui.core.ingest import fulltext

    busy = 0
    most = 0
    lock = threading.Lock()
    real = fulltext.extract_main_text

    def counted(*args: object, **kwargs: object) -> str:
        nonlocal busy, most
        with lock:
            busy += 1
            most = max(most, busy)
        try:
            threading.Event().wait(0.02)  # long enough for the others to pile up
            return real(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            with lock:
                busy -= 1

    monkeypatch.setattr(fulltext, "extract_main_text", counted)
    server.route("/p", body=page("P", f"<p>{PARA}</p><p>{PARA}</p>"))
    feeds = []
    for f in range(6):
        items = (item(n, server.url(f"/p?{f}-{n}"), "A teaser.", teaser=True) for n in range(4))
        server.route(f"/feed{f}", body=feed(*items), content_type="application/rss+xml")
        feeds.append(FeedSource(f"Feed {f}", server.url(f"/feed{f}")))
    for f in range(6):
        for n in range(4):
            server.route(f"/p?{f}-{n}", body=page("P", f"<p>{PARA}</p><p>{PARA}</p>"))
    store = Store(tmp_path / "heraldtui.sqlite3")
    try:
        report = asyncio.run(refresh_feeds(feeds, store))
    finally:
        store.close()
    assert [o.new for o in report.outcomes] == [4] * 6
    assert most == 2
