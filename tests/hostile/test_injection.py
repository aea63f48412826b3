"""Injection: hostile text in every field of a feed stays inert text all the way out.

Two hostile feeds (RSS with HTML content, and JSON Feed, whose strings may carry any
control character legally) are served from 127.0.0.1 and refreshed into a real store.
Their titles, authors, summaries and contents carry terminal escape sequences (CSI
colours, cursor moves, OSC 8 links, OSC 52 clipboard writes, window titles, 8-bit C1
forms), Textual/Rich markup, Markdown links and images, and HTML (`<script>`, `javascript:`
links, `<img>`, `<iframe>`). Then:

- the store holds no control character and no active markup;
- the Markdown digest, rendered by a CommonMark renderer, contains no element but text
  (no link, image, script or raw HTML), and the JSON digest no control character;
- the reader shows the markup literally, clicking it does nothing, and `o` hands the
  browser only http(s) links.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from textual.content import Content
from textual.widgets._markdown import MarkdownBlock

from heraldtui.core.models import Article
from heraldtui.core.newsroom import Newsroom, render_digest
from heraldtui.tui.app import HeraldApp
from heraldtui.tui.screens.article import ArticleScreen
from heraldtui.tui.screens.main import MainScreen
from heraldtui.tui.widgets.article_body import ArticleBody
from heraldtui.tui.widgets.story_list import StoryList
from heraldtui.tui.widgets.story_view import SourceItem
from tests.hostile.support import RawServer, raw_server, write_feeds_toml
from tests.tui.conftest import wait_workers

server = pytest.fixture(raw_server)

CSI = "\x1b[31;1mRED\x1b[0m"
MOVES = "\x1b[2J\x1b[H\x1b[10A\x1b7\x1b8"
OSC8 = "\x1b]8;;https://evil.example/\x1b\\click here\x1b]8;;\x1b\\"
OSC52 = "\x1b]52;c;cm0gLXJmIH4K\x07"
TITLE = "\x1b]0;owned\x07"
C1 = "\x9b31m\x9d52;c;eA==\x9c\x85\x90x\x9c"
RICH = "[@click=app.quit]quit[/] [link=https://evil.example]prize[/link] [bold red]alarm[/]"
MARKDOWN = "[x](javascript:alert(1)) ![pixel](https://tracker.example/p.gif) **bold**"
TERMINAL = CSI + MOVES + OSC8 + OSC52 + TITLE + C1
HTML = (
    "<script>alert(1)</script><img src=x onerror=alert(1)>"
    '<a href="javascript:alert(2)">go</a><iframe src="https://evil.example/"></iframe>'
    '<a href="data:text/html,x">data</a><p>Officers closed the road.</p>'
)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def xml_text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def rss_feed() -> bytes:
    # XML 1.0 forbids C0 controls even as references: this is what a broken server sends,
    # and feedparser then reads it leniently.
    body = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Rogue Herald</title>'
        "<item><title>Road closed " + xml_text(TERMINAL + RICH + MARKDOWN) + "</title>"
        "<link>javascript:alert(3)</link><guid isPermaLink='false'>rogue-1</guid>"
        "<dc:creator>" + xml_text(OSC52 + "[@click=app.quit]Reporter") + "</dc:creator>"
        "<description>" + xml_text(HTML + TERMINAL) + "</description>"
        "<content:encoded><![CDATA[" + HTML + TERMINAL + RICH + MARKDOWN + "]]></content:encoded>"
        "</item>"
        "<item><title>&lt;script&gt;alert(4)&lt;/script&gt; Second " + xml_text(C1) + "</title>"
        "<link>https://rogue.example/second</link><guid isPermaLink='false'>rogue-2</guid>"
        "<description>" + xml_text(RICH) + "</description></item>"
        "</channel></rss>"
    )
    return body.encode("utf-8")


def json_feed() -> bytes:
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "Rogue JSON " + TERMINAL,
            "items": [
                {
                    "id": "json-1",
                    "url": "javascript:alert(5)",
                    "title": "Appeal " + TERMINAL + RICH,
                    "authors": [{"name": OSC52 + TITLE + "Writer"}],
                    "summary": TERMINAL + MARKDOWN,
                    "content_html": HTML + TERMINAL + RICH,
                },
                {
                    "id": "json-2",
                    "url": "https://rogue.example/json-2",
                    "title": MARKDOWN + " " + C1,
                    "content_text": TERMINAL + MARKDOWN + "<script>alert(6)</script>",
                },
            ],
        }
    ).encode("utf-8")


@pytest.fixture
def hostile_room(server: RawServer, tmp_path: Path) -> Iterator[Newsroom]:
    server.fixed("/rss", rss_feed())
    server.fixed("/json", json_feed(), content_type="application/feed+json")
    feeds = [("Rogue Herald", server.url("/rss")), ("Rogue JSON", server.url("/json"))]
    config = write_feeds_toml(tmp_path / "feeds.toml", feeds, full_text=False)
    room = Newsroom.open(config, tmp_path / "data")
    report = asyncio.run(room.refresh())
    assert [o.status for o in report.outcomes] == ["ok", "ok"], report
    try:
        yield room
    finally:
        room.close()


def fields(article: Article) -> dict[str, str]:
    return {
        "title": article.title,
        "author": article.author or "",
        "summary": article.summary,
        "content": article.content,
        "link": article.link,
    }


def test_store_holds_no_control_character_or_active_markup(hostile_room: Newsroom) -> None:
    articles = hostile_room.store.articles()
    assert len(articles) == 4
    for article in articles:
        for name, value in fields(article).items():
            assert not CONTROL.search(value), (name, value)
        assert article.link == "" or article.link.startswith("https://"), article.link
    titles = " ".join(a.title for a in articles)
    assert "[@click=app.quit]quit[/]" in titles  # kept as the text it is
    assert "Road closed" in titles and "<script>alert(4)</script> Second" in titles


def rendered_html(markdown: str) -> str:
    renderer = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    return str(renderer.render(markdown))


def live_elements(markdown: str) -> set[str]:
    """The elements a Markdown renderer makes of `markdown` that are more than text."""
    html = rendered_html(markdown)
    return set(re.findall(r"<(a|img|script|iframe|object|embed|svg|style|form)\b", html, re.I))


def test_html_content_keeps_no_script_frame_image_or_unsafe_link(hostile_room: Newsroom) -> None:
    """Titles, authors and summaries are plain text, where `<script>` is just words; the
    content is Markdown, where raw HTML, links and images would be live."""
    from_html = [a for a in hostile_room.store.articles() if "Officers closed" in a.content]
    assert len(from_html) == 2
    for article in from_html:
        assert "Officers closed the road." in article.content
        for gone in ("<script", "alert(2)", "<iframe", "onerror", "data:"):
            assert gone not in article.content, (gone, article.content)
        assert not re.search(r"<(a|iframe|script)\b", rendered_html(article.content))


def test_content_renders_without_live_elements(hostile_room: Newsroom) -> None:
    for article in hostile_room.store.articles():
        assert live_elements(article.content) == set(), (article.guid, article.content)


def test_markdown_digest_renders_to_text_only(hostile_room: Newsroom) -> None:
    digest = render_digest(hostile_room.stories(), "markdown").decode("utf-8")
    assert not CONTROL.search(digest)
    assert "[@click=app.quit]" not in digest  # escaped: \[\@click=app.quit\]
    html = rendered_html(digest)
    tags = set(re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", html))
    assert tags <= {"h1", "h2", "h3", "p", "ul", "ol", "li", "code", "em", "strong", "a",
                    "blockquote", "table", "thead", "tbody", "tr", "th", "td"}, tags  # fmt: skip
    assert "<img" not in html and "<script" not in html
    # The only links are the sources' own web addresses (issue 18: real Markdown links).
    sources = {a.link for a in hostile_room.store.articles() if a.link.startswith("http")}
    hrefs = set(re.findall(r'<a href="([^"]*)"', html))
    assert hrefs and {h.replace("&amp;", "&") for h in hrefs} <= sources, hrefs - sources
    assert "[@click=app.quit]quit[/]" in html  # the reader sees the text, inert


def test_json_digest_strings_are_clean(hostile_room: Newsroom) -> None:
    digest = json.loads(render_digest(hostile_room.stories(), "json"))

    def strings(node: object) -> Iterator[str]:
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            for value in node.values():
                yield from strings(value)
        elif isinstance(node, list):
            for value in node:
                yield from strings(value)

    found = list(strings(digest))
    assert any("[@click=app.quit]" in s for s in found)
    for value in found:
        assert not CONTROL.search(value), value


@pytest.mark.slow
async def test_reader_shows_markup_as_text_and_opens_only_web_links(
    hostile_room: Newsroom, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = HeraldApp(hostile_room, refresh_on_start=False, has_browser=lambda: True)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, new_tab=True: opened.append(url))
    async with app.run_test(size=(160, 50)) as pilot:
        await wait_workers(app)
        await pilot.pause(0.2)
        main = app.main_screen
        assert main is not None and main.loaded
        seen = ""
        for _ in range(len(main.all_stories)):
            await wait_workers(app)
            await pilot.pause(0.1)
            seen += screen_text(app)
            await pilot.press("o", "j")
        await pilot.click(StoryList, offset=(10, 1))  # on a headline: nothing to trigger
        assert app.is_running and isinstance(app.screen, MainScreen)
        assert "[@click=app.quit]" in seen and "[bold red]alarm[/]" in seen
        assert not CONTROL.search(seen.replace("\n", " ")), repr(seen)
        # The article page of every story: its Markdown body is clicked all over.
        pages = 0
        bodies: dict[str, str] = {}
        for index in range(len(main.all_stories)):
            # enter opens the story; tab moves its cursor on to the first source.
            await pilot.press("home", *["j"] * index, "enter")
            await wait_workers(app)
            while not isinstance(main.story_view.current_part, SourceItem):
                await pilot.press("tab")
            await pilot.press("enter")
            await wait_workers(app)
            await pilot.pause(0.1)
            if isinstance(app.screen, ArticleScreen):
                pages += 1
                seen += screen_text(app)
                bodies[app.screen.article.guid] = body_text(app.screen)
                for block in app.screen.query(MarkdownBlock):
                    for x in (0, 5, 20, 40):
                        await pilot.click(block, offset=(x, 0))
                await pilot.press("o")
                assert isinstance(app.screen, ArticleScreen)
            while not isinstance(app.screen, MainScreen):
                await pilot.press("escape")
            await pilot.press("escape")  # from the story back to the list
            assert isinstance(app.focused, StoryList)
        assert pages == len(main.all_stories) == len(bodies), "every story's own article"
        assert not CONTROL.search(seen.replace("\n", " ")), repr(seen)
        # The Markdown image and link of a body are shown as the characters they are (the
        # store escaped them); headlines carry the same text, so only the bodies count here.
        hostile = [body for guid, body in bodies.items() if guid in {"rogue-1", "json-2"}]
        assert len(hostile) == 2, bodies.keys()
        for body in hostile:
            assert "![pixel](https://tracker.example/p.gif)" in body, body
            assert "[x](javascript:alert(1))" in body, body
            assert "[image: pixel]" not in body, "the body's image was parsed as an image"
        assert all(url.startswith(("http://", "https://")) for url in opened), opened
        assert "https://rogue.example/second" in opened or "https://rogue.example/json-2" in opened


def body_text(screen: ArticleScreen) -> str:
    """The article body as its Markdown blocks show it; a link or image in it fails here."""
    blocks = list(screen.query_one(ArticleBody).query(MarkdownBlock))
    for block in blocks:
        assert isinstance(block.content, Content), block
        for span in block.content.spans:
            assert "@click" not in str(span.style) and "link" not in str(span.style), span
    return "\n".join(str(block.content) for block in blocks)


def screen_text(app: HeraldApp) -> str:
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)
