"""extract_main_text on pages written for these tests, and on the shared seeds."""

from __future__ import annotations

import json
import time
from types import ModuleType

import pytest

from heraldtui.core.ingest.fastpaths import FastPaths
from heraldtui.core.ingest.fulltext import extract_main_text
from heraldtui.core.text.html_markdown import html_to_markdown
from tests.support.modules import load_script
from tests.support.paths import SHARED

BODY = (
    "<p>The county force has been told it must improve how it records crime, after an"
    " inspection found thousands of reports were never logged.</p>"
    "<p>Inspectors graded the force in nine areas:</p>"
    "<ul><li>Recording data about crime: Inadequate</li>"
    "<li>Responding to the public: Requires improvement</li>"
    "<li>Preventing crime: Good</li></ul>"
    "<p>The chief constable said: &quot;We accept the findings in full.&quot;</p>"
)

LOCAL_PAPER = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Force told to improve crime recording | Dale Weekly</title>
<script>window.tracker = 1;</script><style>p {{ color: red }}</style></head>
<body>
<div class="cookie-banner"><p>We use cookies to improve your experience. Accept all?</p></div>
<header><nav><a href="/">Home</a> | <a href="/news">News</a> | <a href="/sport">Sport</a>
</nav></header>
<div class="site-section">Crime</div>
<main>
<article>
<h1>Force told to improve crime recording</h1>
<p class="byline">By Nadia Brooks</p>
<time datetime="2024-10-23">23 October 2024</time>
{BODY}
<div class="share-buttons"><a href="https://social.example/share">Share on social</a>
<button>Copy link</button></div>
<div class="related-articles"><h3>Related</h3><ul><li>Council budget approved</li></ul></div>
</article>
<aside><h2>Most read</h2><ul><li>Bin day changes</li><li>New cafe opens</li></ul></aside>
</main>
<div class="newsletter-signup"><p>Get our newsletter every morning, free.</p>
<form><input name="email"><button>Sign up</button></form></div>
<footer><p>Send us your news</p><p>© Dale Weekly Ltd. All rights reserved.</p></footer>
</body></html>"""

BOILERPLATE = [
    "cookies",
    "Home",
    "Sport",
    "Crime\n",
    "Nadia Brooks",
    "23 October 2024",
    "Share on social",
    "Copy link",
    "Related",
    "Council budget",
    "Most read",
    "Bin day",
    "newsletter",
    "Sign up",
    "Send us your news",
    "rights reserved",
    "tracker",
    "color",
]


def _assert_story(text: str) -> None:
    assert text.startswith("The county force has been told")
    assert "\n\n- Recording data about crime: Inadequate\n" in text
    assert "- Preventing crime: Good" in text
    assert text.endswith('The chief constable said: "We accept the findings in full."')
    for junk in BOILERPLATE:
        assert junk not in text, junk


def test_article_inside_main_with_site_chrome() -> None:
    text = extract_main_text(
        LOCAL_PAPER,
        "https://dale-weekly.example/news/1",
        title="Force told to improve crime recording",
    )
    _assert_story(text)
    assert "# Force told" not in text


def test_div_soup_page_falls_back_to_the_densest_block() -> None:
    page = (
        "<html><body><div id='top'><a href='/'>Home</a> <a href='/a'>About</a></div>"
        "<div id='wrap'><div class='left-col'><p>Links</p><p>More links</p></div>"
        f"<div class='story'>{BODY}</div></div>"
        "<div id='bottom'><p>Contact us</p></div></body></html>"
    )
    text = extract_main_text(page, "https://soup.example/story")
    assert text.startswith("The county force")
    assert "Contact us" not in text and "More links" not in text


def test_itemprop_article_body_beats_a_larger_wrapper() -> None:
    page = (
        "<html><body><div role='main'><h1>Headline here</h1>"
        "<p class='standfirst'>A standfirst that sits outside the body.</p>"
        f"<div itemprop='articleBody'>{BODY}</div></div></body></html>"
    )
    text = extract_main_text(page, "https://schema.example/a", title="Headline here")
    assert text.startswith("The county force")
    assert "standfirst" not in text


def test_small_article_card_does_not_win_over_the_story() -> None:
    page = (
        "<html><body><article class='card'><p>Teaser for another story.</p></article>"
        f"<div class='entry-content'>{BODY}</div></body></html>"
    )
    text = extract_main_text(page, "https://cards.example/a")
    assert text.startswith("The county force")
    assert "Teaser for another story" not in text


def test_heading_kept_when_it_is_not_the_title() -> None:
    page = f"<article><h2>Background</h2>{BODY}</article>"
    text = extract_main_text(page, "https://h.example/", title="Something else entirely")
    assert text.startswith("## Background\n\nThe county force")


def test_links_absolute_images_become_alt_text_and_unsafe_links_text() -> None:
    page = (
        "<article><p>See <a href='../reports/peel.pdf'>the report</a> and"
        " <a href='javascript:steal()'>this</a>.</p>"
        "<p><img src='/i/hq.jpg' alt='Police headquarters'> Officers at work.</p></article>"
    )
    text = extract_main_text(page, "https://links.example/news/story")
    assert "[the report](https://links.example/reports/peel.pdf)" in text
    assert "and this." in text and "javascript" not in text
    assert "Police headquarters Officers at work." in text
    assert "hq.jpg" not in text


def test_bytes_decoded_with_the_meta_charset() -> None:
    page = (
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=windows-1252'>"
        "</head><body><article><p>The caf\u00e9\u2019s owner welcomed officers.</p></article>"
        "</body></html>"
    ).encode("cp1252")
    assert extract_main_text(page, "https://c.example/") == "The café’s owner welcomed officers."


def test_header_charset_wins_over_meta() -> None:
    page = "<meta charset='iso-8859-1'><article><p>Na\u00efve \u2013 dash</p></article>"
    text = extract_main_text(
        page.encode("utf-8"), "https://c.example/", content_type="text/html; charset=utf-8"
    )
    assert text == "Naïve – dash"


def test_undeclared_bytes_fall_back_without_failing() -> None:
    page = "<article><p>Caf\u00e9 \u00a3 5</p></article>".encode("latin-1")
    assert extract_main_text(page, "https://c.example/") == "Café £ 5"


def test_escape_sequences_in_pages_are_stripped() -> None:
    page = "<article><p>Red \x1b[31malert\x1b[0m \x1b]52;c;ZXZpbA==\x07done</p></article>"
    assert extract_main_text(page, "https://e.example/") == "Red alert done"


@pytest.mark.parametrize("page", ["", "   ", "<html><body></body></html>", "<nav>Home</nav>"])
def test_pages_without_text_give_empty_string(page: str) -> None:
    assert extract_main_text(page, "https://e.example/") == ""


def test_seed_teaser_page_keeps_body_and_grades_and_drops_chrome() -> None:
    seeds = SHARED / "seeds" / "articles.jsonl"
    if not seeds.is_file():
        pytest.skip(f"shared seeds not found at {seeds}")
    pages = [
        json.loads(line)
        for line in seeds.read_text(encoding="utf-8").splitlines()
        if line.strip() and json.loads(line).get("page_html")
    ]
    assert pages, "the seeds should hold at least one teaser article with its page"
    seed = pages[0]
    text = extract_main_text(seed["page_html"].encode("utf-8"), seed["link"], title=seed["title"])
    bullets = [line for line in text.splitlines() if line.startswith("- ")]
    assert len(bullets) == 9
    assert "- Investigating crime - Requirse improvement" in bullets
    assert text.startswith("A recent inspection carried out by")
    assert "Accountability & Performance meeting on 14th November 2024." in text
    for junk in (
        "× Home",
        "Local News",
        "Click here for more news",
        "Want to submit",
        "press release",
    ):
        assert junk not in text, junk
    assert not text.startswith(seed["title"])


def _scorer() -> ModuleType:
    return load_script(SHARED / "tools" / "score.py", "shared_score")


def test_devset_pages_give_the_same_text_as_the_full_feed_content(fast_paths: FastPaths) -> None:
    """A page (always converted by markdownify) gives what the feed's HTML gives, whichever
    converter the feed's HTML takes."""
    devset = SHARED / "devset" / "articles.jsonl"
    if not devset.is_file():
        pytest.skip(f"shared devset not found at {devset}")
    score = _scorer()
    articles = [json.loads(x) for x in devset.read_text(encoding="utf-8").splitlines() if x]
    checked = 0
    for raw in articles:
        if not raw.get("content_html"):
            continue
        page = score.article_page(raw)
        text = extract_main_text(page.encode("utf-8"), raw["link"], title=raw["title"])
        from_feed = html_to_markdown(raw["content_html"], raw["link"], fast=fast_paths.markdown)
        assert text == from_feed, raw["id"]
        for junk in ("Contact us", "newsletter", "Most read", "More stories", "Cookie"):
            assert junk not in text, (raw["id"], junk)
        checked += 1
    assert checked >= 10


def _page_of_lines(count: int) -> str:
    lines = "<br>".join(f"Line {n} of the notice, with a <b>bold</b> word" for n in range(count))
    return f"<html><body><nav>Menu</nav><article><p>{lines}</p></article></body></html>"


def _cpu_seconds(page: str) -> float:
    """The least CPU time of three extractions: this process's own work, whatever else
    the machine is doing."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        extract_main_text(page, "https://site.example/a")
        best = min(best, time.process_time() - started)
    return best


def test_many_line_breaks_stay_linear() -> None:
    """A page of short lines (one <br> each) must not make the converter quadratic (400
    lines once took ~15 s). Four times the lines cost about four times the work (3.8x
    measured), never sixteen: a ratio measured here, not a time bound. The floor keeps
    timer granularity out of the small page."""
    assert "Line 399 of the notice" in extract_main_text(_page_of_lines(400), "https://a.example/")
    small = _cpu_seconds(_page_of_lines(100))
    large = _cpu_seconds(_page_of_lines(400))
    assert large <= 8 * max(small, 0.005), (small, large)


@pytest.mark.parametrize("charset", ["base64", "rot13", "hex"])
def test_a_codec_that_is_no_charset_falls_back(charset: str) -> None:
    page = (
        f"<html><head><meta charset='{charset}'></head><body><article>"
        "<p>The panel meets on Tuesday in the town hall to discuss the report.</p>"
        "</article></body></html>"
    ).encode()
    assert "panel meets on Tuesday" in extract_main_text(page, "https://site.example/a")
    assert "panel meets" in extract_main_text(
        page, "https://site.example/a", content_type=f"text/html; charset={charset}"
    )


def test_pages_bs4_would_warn_about_print_nothing() -> None:
    """An item linking to a feed (XML) or a teaser that is only a URL made bs4 write a
    paragraph of advice to standard error: under the reader that garbles the screen, in
    `refresh` it buries the summary. A real process, so pytest's own warning capture
    cannot hide it."""
    import subprocess
    import sys

    script = (
        "from heraldtui.core.ingest.fulltext import extract_main_text\n"
        "from heraldtui.core.text.html_markdown import html_to_markdown\n"
        "xml = '<?xml version=\"1.0\"?><rss><channel><item><title>t</title></item>'"
        "'</channel></rss>'\n"
        "extract_main_text(xml, 'https://o.example/feed.xml')\n"
        "html_to_markdown('<?xml version=\"1.0\"?><feed><p>x</p></feed>', None, fast=False)\n"
        "html_to_markdown('https://o.example/page', None, fast=False)\n"
    )
    run = subprocess.run(
        [sys.executable, "-W", "default", "-c", script], capture_output=True, text=True, check=True
    )
    assert run.stderr == ""
