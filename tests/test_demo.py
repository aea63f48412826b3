"""The bundled demo feeds and the two default feeds.toml files.

The demo is what a reader with no network sees first, and the place where the grouping,
grade, quote, meeting and name-variant logic shows its work on a story that really
happened (restated in our own words, see docs/demo-content.md). So these tests hold the
demo to two promises:

- it is clean RSS 2.0 that any reader accepts: well-formed, unique guids, `.example`
  links, dates, full content (long enough that no article page is ever fetched), simple
  HTML, plain titles;
- it carries the quirks the documentation says it exercises (a grade typo, a name spelt
  two ways, two meeting date formats, a split quote, a multi-paragraph quote), and its
  unrelated stories stay out of the inspection's story.

Checks that need the parser, the grouping or the whole pipeline skip with a reason until
those modules exist, then run on the real code with the demo as input.
"""

from __future__ import annotations

import calendar
import itertools
import re
import tomllib
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest

from heraldtui.core.facts.merge import merge_story
from heraldtui.core.ingest import parse
from heraldtui.core.ingest.config import bundled_config_path, load_config
from heraldtui.core.models import Article, Story
from heraldtui.core.newsroom import Newsroom
from heraldtui.core.stories.grouper import group_articles

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "heraldtui" / "demo"
DEMO_FILES = sorted(DEMO.glob("*.xml"))
CONFIGS = {"bundled": DEMO / "feeds.toml", "repository": REPO / "feeds.toml"}

NS = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}
ALLOWED_TAGS = {"p", "ul", "li", "strong", "a"}
MIN_WORDS = 100
"""Comfortably above the ~80 words under which the reader fetches the article page:
demo links are on `.example`, so a fetch would fail and the demo would show errors."""

# The demo's own answers: what a reader should make of it.
COURIER_INSPECTION = (
    "https://hertford-courier.example/news/herts-police-told-to-improve-after-watchdog-inspection"
)
GAZETTE_INSPECTION = (
    "https://herts-gazette.example/news/2024/11/06/"
    "public-can-watch-commissioner-question-chief-constable"
)
PCC_MEETING = (
    "https://hertspcc.example/news/inspection-on-the-agenda-at-public-accountability-meeting"
)
INSPECTION = {COURIER_INSPECTION, GAZETTE_INSPECTION, PCC_MEETING}
BURGLARY = {
    "https://hertford-courier.example/news/man-arrested-after-string-of-break-ins-in-stevenage",
    "https://herts-gazette.example/news/2024/10/29/arrest-made-over-stevenage-burglaries",
}
GRADES = {
    "recording-data": "inadequate",
    "public-treatment": "adequate",
    "preventing-crime": "good",
    "responding": "requires-improvement",
    "investigating": "requires-improvement",
    "protecting-vulnerable": "requires-improvement",
    "managing-offenders": "adequate",
    "workforce": "adequate",
    "leadership": "requires-improvement",
}
MEETING_URL = "https://hertspcc.example/apm"


class _Item:
    """One RSS item, read with the stdlib only so the check is independent of our parser."""

    def __init__(self, path: Path, element: ElementTree.Element) -> None:
        self.path = path
        self.title = element.findtext("title") or ""
        self.link = element.findtext("link") or ""
        self.guid = element.findtext("guid") or ""
        self.pub_date = element.findtext("pubDate") or ""
        self.creator = element.findtext("dc:creator", namespaces=NS) or ""
        self.description = element.findtext("description") or ""
        self.html = element.findtext("content:encoded", namespaces=NS) or ""

    @property
    def text(self) -> str:
        return _Text.of(self.html).text


class _Text(HTMLParser):
    """Plain text, tag names and link targets of an item's HTML content."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: Counter[str] = Counter()
        self.hrefs: list[str] = []
        self.paragraphs: list[str] = []
        self._chunks: list[str] = []

    @classmethod
    def of(cls, html: str) -> _Text:
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        if tag == "a":
            self.hrefs.append(dict(attrs).get("href") or "")
        if tag in ("p", "li"):
            self._chunks = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "li"):
            self.paragraphs.append("".join(self._chunks).strip())

    def handle_data(self, data: str) -> None:
        self._chunks.append(data)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def _items(path: Path) -> list[_Item]:
    root = ElementTree.parse(path).getroot()
    return [_Item(path, element) for element in root.iter("item")]


ALL_ITEMS = [item for path in DEMO_FILES for item in _items(path)]


def _item(link: str) -> _Item:
    return next(item for item in ALL_ITEMS if item.link == link)


def _is_example(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme == "https" and (parts.hostname or "").endswith(".example")


# --------------------------------------------------------------------------- the files


def test_demo_is_a_package_with_several_outlets() -> None:
    assert (DEMO / "__init__.py").read_text() == ""
    assert len(DEMO_FILES) >= 4
    titles = {ElementTree.parse(p).getroot().findtext("channel/title") for p in DEMO_FILES}
    assert len(titles) == len(DEMO_FILES), "each file should look like a different outlet"


@pytest.mark.parametrize("path", DEMO_FILES, ids=lambda p: p.name)
def test_file_is_well_formed_rss_2(path: Path) -> None:
    root = ElementTree.parse(path).getroot()
    assert root.tag == "rss"
    assert root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None
    for field in ("title", "link", "description", "language"):
        assert (channel.findtext(field) or "").strip(), field
    assert _is_example(channel.findtext("link") or "")
    assert len(_items(path)) >= 2


def test_guids_and_links_are_unique_across_the_demo() -> None:
    guids = Counter(item.guid for item in ALL_ITEMS)
    links = Counter(item.link for item in ALL_ITEMS)
    assert all(guids.values()) and max(guids.values()) == 1, guids.most_common(2)
    assert max(links.values()) == 1, links.most_common(2)
    assert all(item.guid.strip() == item.guid != "" for item in ALL_ITEMS)


@pytest.mark.parametrize("item", ALL_ITEMS, ids=lambda i: i.link.rsplit("/", 1)[-1])
def test_item_is_complete_and_clean(item: _Item) -> None:
    assert _is_example(item.link), item.link
    assert item.creator.strip()
    for plain in (item.title, item.description):
        assert plain.strip() == plain != ""
        assert not re.search(r"[<>]|&\w+;|[\x00-\x1f\x7f]", plain), plain
    published = parsedate_to_datetime(item.pub_date)
    assert published.tzinfo is not None
    assert date(2024, 10, 1) <= published.astimezone(UTC).date() <= date(2024, 11, 30)
    # Europe/London offsets: summer time ended on 27 October 2024.
    expected_offset = 1 if published.date() < date(2024, 10, 27) else 0
    assert published.utcoffset() == timedelta(hours=expected_offset)

    parsed = _Text.of(item.html)
    assert set(parsed.tags) <= ALLOWED_TAGS, set(parsed.tags) - ALLOWED_TAGS
    assert all(_is_example(href) for href in parsed.hrefs), parsed.hrefs
    assert len(parsed.text.split()) >= MIN_WORDS
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", parsed.text)


_WEEKDAY = "|".join(calendar.day_name)
_MONTH = "|".join(calendar.month_name[1:])
_DATED = re.compile(
    rf"\b(?P<wd>{_WEEKDAY}),? (?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)? (?P<m1>{_MONTH})"
    rf"|(?P<m2>{_MONTH}) (?P<d2>\d{{1,2}})\b)"
)


def test_every_named_weekday_falls_on_its_date() -> None:
    """A wrong weekday would make the meeting extractor flag a mismatch the demo never meant."""
    seen = 0
    for item in ALL_ITEMS:
        year = parsedate_to_datetime(item.pub_date).year
        for match in _DATED.finditer(item.text):
            day = int(match["d1"] or match["d2"])
            month = list(calendar.month_name).index(match["m1"] or match["m2"])
            assert calendar.day_name[date(year, month, day).weekday()] == match["wd"], match[0]
            seen += 1
    assert seen >= 4


# --------------------------------------------------------------------------- the quirks


def test_one_outlet_lists_the_grades_with_the_typo() -> None:
    listed = [item for item in ALL_ITEMS if "<li>" in item.html and "Inadequate" in item.html]
    assert len(listed) == 1
    bullets = [p for p in _Text.of(listed[0].html).paragraphs if " – " in p]
    assert len(bullets) == 9
    assert sum("Requirse improvement" in b for b in bullets) == 1
    assert Counter(b.rsplit(" – ", 1)[1] for b in bullets) == {
        "Requires improvement": 3,
        "Requirse improvement": 1,
        "Adequate": 3,
        "Good": 1,
        "Inadequate": 1,
    }


def test_another_outlet_gives_the_grades_in_prose() -> None:
    prose = _item(GAZETTE_INSPECTION)
    assert "<ul>" not in prose.html
    for phrase in (
        "recording data about crime to be inadequate",
        "to require improvement",
        "developing a positive workplace were rated adequate",
        "preventing crime was rated good",
    ):
        assert phrase in prose.text


def test_the_commissioner_is_named_three_ways_across_outlets() -> None:
    by_file: dict[str, set[str]] = {}
    for item in ALL_ITEMS:
        for spelling in ("Jonathan Ash-Edwards", "Jonathon Ash-Edwards", "Mr Ash-Edwards"):
            if spelling in item.text:
                by_file.setdefault(spelling, set()).add(item.path.name)
    assert by_file["Jonathon Ash-Edwards"] == {"herts-gazette.xml"}
    assert "herts-gazette.xml" not in by_file["Jonathan Ash-Edwards"]
    assert len(by_file["Jonathan Ash-Edwards"]) >= 2
    gazette = next(i.text for i in ALL_ITEMS if "Jonathon Ash-Edwards" in i.text)
    assert gazette.index("Jonathon Ash-Edwards") < gazette.index("Mr Ash-Edwards")


def test_the_meeting_is_announced_in_two_date_formats_with_a_link() -> None:
    texts = {item.link: item.text for item in ALL_ITEMS}
    first = [link for link, text in texts.items() if "14th November 2024" in text]
    second = [link for link, text in texts.items() if "10.30am on Thursday, November 14" in text]
    assert len(first) == 1 and len(second) == 1 and first != second
    assert "hertspcc.example" in first[0], "the commissioner's office announces it"
    with_link = [i for i in ALL_ITEMS if MEETING_URL in i.html]
    assert len(with_link) == 2
    # One as a bare URL ending a sentence, one as a link: both must give the same address.
    assert any(f"{MEETING_URL}.</p>" in i.html for i in with_link)
    assert any(f'href="{MEETING_URL}"' in i.html for i in with_link)


def test_quotes_run_over_paragraphs_and_split_around_he_said() -> None:
    by_item = [_Text.of(item.html).paragraphs for item in ALL_ITEMS]
    paragraphs = [p for item in by_item for p in item]
    opening = ('"', "“")
    closing = ('"', "”")
    # A paragraph that opens a quote and does not close it, followed by one that reopens it.
    continued = [
        (a, b)
        for item in by_item
        for a, b in itertools.pairwise(item)
        if (a.count('"') % 2 == 1 or a.count("“") > a.count("”")) and b.startswith(opening)
    ]
    assert len(continued) >= 3
    assert all(not a.endswith(closing) for a, _ in continued)
    split = [p for p in paragraphs if re.search(r"[,”\"] he said\. [“\"]", p)]
    assert len(split) == 1
    courier = _item(COURIER_INSPECTION)
    assert 'Roy Wilsher said: "' in courier.html
    # Reported speech beside the quotes: attributed, but not a direct quote.
    reported = [p for p in _Text.of(courier.html).paragraphs if p.startswith("Mr Wilsher said ")]
    assert len(reported) == 1 and not set(reported[0]) & {'"', "“", "”"}


# --------------------------------------------------------------------------- feeds.toml


@pytest.mark.parametrize("which", sorted(CONFIGS))
def test_feeds_toml_is_valid_and_its_paths_exist(which: str) -> None:
    path = CONFIGS[which]
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert set(data) == {"feeds"}
    tables = data["feeds"]
    assert isinstance(tables, list) and tables
    names = [t["name"] for t in tables]
    assert len(set(names)) == len(names)
    relative = []
    for table in tables:
        assert isinstance(table["name"], str) and table["name"].strip()
        assert isinstance(table["url"], str)
        if "://" in table["url"]:
            assert table["url"].startswith("https://"), table["url"]
        else:
            assert not Path(table["url"]).is_absolute()
            assert (path.parent / table["url"]).is_file(), table["url"]
            relative.append((path.parent / table["url"]).resolve())
    assert sorted(relative) == [p.resolve() for p in DEMO_FILES], "every demo file, once"
    loaded = load_config(path)  # the program's own loader accepts it too
    assert [f.name for f in loaded.feeds] == names


def test_bundled_and_repository_defaults_list_the_same_feeds() -> None:
    bundled = load_config(bundled_config_path())
    top = load_config(CONFIGS["repository"])
    assert bundled_config_path().resolve() == CONFIGS["bundled"].resolve()
    assert [(f.name, f.url) for f in bundled.feeds] == [(f.name, f.url) for f in top.feeds]
    demo_names = [f.name for f in bundled.feeds if f.url.startswith("file://")]
    assert demo_names and all(name.endswith("(demo)") for name in demo_names)


# --------------------------------------------------------------------------- with our code


@pytest.mark.parametrize("path", DEMO_FILES, ids=lambda p: p.name)
def test_our_parser_reads_every_item_without_warning(path: Path) -> None:
    parsed = parse.parse_feed(path.read_bytes(), feed_name=path.stem, url=path.as_uri())
    assert parsed.warning is None
    items = _items(path)
    assert [a.link for a in parsed.articles] == [i.link for i in items]
    for article, item in zip(parsed.articles, items, strict=True):
        assert article.title == item.title
        assert article.guid == item.guid
        assert article.published == parsedate_to_datetime(item.pub_date).astimezone(UTC)
        assert article.content.strip()
        assert not parse.needs_full_text(article), "a demo item would send us to its page"


def _demo_articles() -> list[Article]:
    return [
        article
        for path in DEMO_FILES
        for article in parse.parse_feed(
            path.read_bytes(), feed_name=path.stem, url=path.as_uri()
        ).articles
    ]


def _demo_stories() -> list[Story]:
    articles = _demo_articles()
    return group_articles(articles)


def test_grouping_keeps_the_inspection_apart_from_the_unrelated_stories() -> None:
    stories = _demo_stories()
    by_link = {a.link: story for story in stories for a in story.articles}
    inspection = by_link[COURIER_INSPECTION]
    assert {a.link for a in inspection.articles} == INSPECTION
    assert inspection.kind == "inspection"
    assert inspection.force == "Hertfordshire Constabulary"
    burglary = by_link[sorted(BURGLARY)[0]]
    assert {a.link for a in burglary.articles} == BURGLARY
    assert len(stories) == len(ALL_ITEMS) - len(INSPECTION) - len(BURGLARY) + 2
    # An arrest, a court case, a patrol team, a road check, an amnesty: no meeting among them.
    kinds = {s.title: s.kind for s in stories if s is not inspection}
    assert set(kinds.values()) == {"other"}, kinds


def test_merging_the_demo_gives_its_facts_and_nothing_else() -> None:
    stories = _demo_stories()
    merged = [merge_story(story) for story in stories]
    inspection = next(m for m in merged if m.story.kind == "inspection")
    assert {g.area: g.grade for g in inspection.grades} == GRADES
    # Every outlet states the same grades, so the demo must show no conflict.
    assert {g.area: g.conflicts for g in inspection.grades if g.conflicts} == {}
    meetings = [(m.date, m.time, m.url) for m in inspection.meetings]
    assert meetings == [(date(2024, 11, 14), time(10, 30), MEETING_URL)]
    people = {p.name: set(p.variants) for p in inspection.people}
    assert people["Jonathan Ash-Edwards"] == {"Jonathon Ash-Edwards", "Mr Ash-Edwards"}
    assert "Charlie Hall" in people and "Roy Wilsher" in people
    assert {q.speaker for q in inspection.quotes} == {"Roy Wilsher", "Jonathan Ash-Edwards"}
    wilsher = [q.text for q in inspection.quotes if q.speaker == "Roy Wilsher"]
    assert len(wilsher) == 1, "three paragraphs of one quote are one quote"
    assert "recording" in wilsher[0] and "close review" in wilsher[0]
    for other in merged:
        if other is not inspection:
            assert not other.grades and not other.meetings, other.story.title


async def test_demo_alone_works_offline_through_the_pipeline(tmp_path: Path) -> None:
    """What a user with no network sees: the demo feeds only, through refresh and the store."""
    bundled = load_config(bundled_config_path())
    lines = []
    for feed in bundled.feeds:
        if feed.url.startswith("file://"):
            lines += ["[[feeds]]", f"name = {feed.name!r}", f"url = {feed.url!r}", ""]
    config = tmp_path / "feeds.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    newsroom = Newsroom.open(config, data_dir=tmp_path / "data")
    try:
        await newsroom.refresh()
        states = newsroom.feed_states()
        assert [s.status for s in states] == ["ok"] * 4, [(s.name, s.error) for s in states]
        assert all(s.warning is None for s in states)
        stories = newsroom.stories()
    finally:
        newsroom.close()
    assert sorted(a.link for m in stories for a in m.story.articles) == sorted(
        item.link for item in ALL_ITEMS
    )
    merged = next(m for m in stories if {a.link for a in m.story.articles} == INSPECTION)
    assert {g.area: g.grade for g in merged.grades} == GRADES
    assert all(
        a.published and a.published >= datetime(2024, 10, 1, tzinfo=UTC)
        for a in merged.story.articles
    )
