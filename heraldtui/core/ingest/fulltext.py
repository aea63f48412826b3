"""An article page's main text as Markdown, without the site around it.

Used when a feed carries only a teaser. The method, on a BeautifulSoup tree:

1. Decode: a BOM, else the charset of the Content-Type header, else a `<meta charset>` or
   `http-equiv` in the first 4 KB, else UTF-8, else Windows-1252 (never fails).
2. Choose the container, most specific first: `[itemprop=articleBody]`, `<article>`,
   common CMS body classes (`entry-content`, `article-body`, ...), `[role=main]`, `<main>`.
   Among several of one kind the one with the most paragraph text wins. A candidate is
   accepted only if it holds a fair share (40 %) of the paragraph text of the best plain
   block, so a small `<article>` teaser card cannot stand in for the story. Failing all
   that, the element whose direct `<p>` children hold the most text is the container.
3. Remove the boilerplate inside it: nav, header, footer, aside, forms, frames, scripts;
   elements whose class or id names a widget (share, social, related, newsletter, cookie,
   comments, ...), elements hidden with `hidden`/`aria-hidden`; short bylines and date
   lines; and the leading heading when it repeats the title (the title is shown anyway).
4. Convert what is left with `html_markdown.tag_to_markdown`: paragraphs, `- ` list items,
   absolute links, no images.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable
from difflib import SequenceMatcher
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

from heraldtui.core.text.html_markdown import flatten_deep, tag_to_markdown, too_many_tags
from heraldtui.core.text.html_text import DROPPED_TAGS
from heraldtui.core.text.sanitize import clean_line
from heraldtui.core.text.soup import parse_html

__all__ = ["extract_main_text"]

_CHARSET_IN_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_CHARSET_IN_HEADER = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)

_BOILERPLATE_TAGS = frozenset(
    {"nav", "header", "footer", "aside", "form", "dialog", "menu", "fieldset"} | DROPPED_TAGS
)
_BOILERPLATE_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alert"}
)
_WIDGET_WORDS = (
    "share|sharing|social|related|recommended|newsletter|subscribe|subscription|signup|"
    "sign-up|cookie|cookies|consent|gdpr|promo|promotion|advert|advertisement|ads?|sponsor|"
    "banner|breadcrumbs?|comments?|disqus|sidebar|menu|navbar|nav|popup|modal|overlay|"
    "outbrain|taboola|most-read|mostread|popular|trending|tags|author-bio|pagination|"
    "print|toolbar|skip-link|visually-hidden|sr-only|screen-reader-text"
)
_WIDGET = re.compile(rf"(?:^|[\s_-])(?:{_WIDGET_WORDS})(?:$|[\s_-])", re.I)
_META_WORDS = re.compile(
    r"(?:^|[\s_-])(?:byline|dateline|date|time|timestamp|published|posted-on|meta|"
    r"article-meta|entry-meta|post-meta|author)(?:$|[\s_-])",
    re.I,
)
_CONTENT_CLASSES = re.compile(
    r"(?:^|[\s_-])(?:entry-content|article-body|articlebody|article-content|post-content|"
    r"post-body|story-body|story-content|field--name-body|node__content|td-post-content|"
    r"content-body|main-content|article__body|c-article-body)(?:$|\s)",
    re.I,
)
_SHORT_META = 200
_FAIR_SHARE = 0.4


def _decode(raw: bytes, content_type: str | None) -> str:
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            return raw.decode(encoding, errors="replace")
    declared = []
    if content_type:
        match = _CHARSET_IN_HEADER.search(content_type)
        if match:
            declared.append(match.group(1))
    match_meta = _CHARSET_IN_META.search(raw[:4096])
    if match_meta:
        declared.append(match_meta.group(1).decode("ascii", "replace"))
    for name in declared:
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            continue
        if codec in ("latin-1", "iso8859-1", "ascii"):
            codec = "cp1252"  # what browsers do for these labels (WHATWG Encoding)
        try:
            return raw.decode(codec)
        except (UnicodeError, LookupError):  # "base64" or "rot13" are codecs, not charsets
            continue
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _attr_text(tag: Tag) -> str:
    classes = tag.get("class")
    class_text = " ".join(classes) if isinstance(classes, list) else str(classes or "")
    ident = tag.get("id")
    return f"{class_text} {ident if isinstance(ident, str) else ''}".strip()


def _paragraph_text(tag: Tag) -> int:
    return sum(len(p.get_text(" ", strip=True)) for p in tag.find_all(["p", "li"]))


def _best_block(body: Tag) -> Tag | None:
    """The element whose own paragraphs (direct children) hold the most text."""
    scores: dict[int, tuple[int, Tag]] = {}
    for p in body.find_all("p"):
        parent = p.parent
        if not isinstance(parent, Tag):
            continue
        length = len(p.get_text(" ", strip=True))
        held = scores.get(id(parent))
        scores[id(parent)] = ((held[0] if held else 0) + length, parent)
    if not scores:
        return None
    return max(scores.values(), key=lambda pair: pair[0])[1]


def _candidates(soup: BeautifulSoup) -> Iterable[list[Tag]]:
    yield soup.find_all(True, attrs={"itemprop": "articleBody"})
    yield soup.find_all("article")
    yield [t for t in soup.find_all(True) if _CONTENT_CLASSES.search(_attr_text(t))]
    yield soup.find_all(True, attrs={"role": "main"})
    yield soup.find_all("main")


def _choose_container(soup: BeautifulSoup) -> Tag | None:
    body = soup.body or soup
    block = _best_block(body)
    floor = _paragraph_text(block) * _FAIR_SHARE if block is not None else 0
    for group in _candidates(soup):
        if not group:
            continue
        best = max(group, key=_paragraph_text)
        size = _paragraph_text(best)
        if size > 0 and size >= floor:
            return best
    return block


def _is_boilerplate(tag: Tag) -> bool:
    if tag.name in _BOILERPLATE_TAGS:
        return True
    if tag.get("role") in _BOILERPLATE_ROLES:
        return True
    if tag.has_attr("hidden") or tag.get("aria-hidden") == "true":
        return True
    style = tag.get("style")
    if isinstance(style, str) and re.search(r"display\s*:\s*none", style, re.I):
        return True
    attrs = _attr_text(tag)
    return bool(attrs) and bool(_WIDGET.search(attrs))


def _is_meta_line(tag: Tag) -> bool:
    """A short byline or date line standing on its own, not a paragraph of the story."""
    if tag.name == "time" and not (tag.parent and tag.parent.name in ("p", "li", "span", "a")):
        return True
    if tag.name not in ("p", "div", "span", "time", "address"):
        return False
    attrs = _attr_text(tag)
    if not attrs or not _META_WORDS.search(attrs):
        return False
    return len(tag.get_text(" ", strip=True)) <= _SHORT_META


def _strip_boilerplate(container: Tag) -> None:
    for tag in list(container.find_all(True)):
        if tag.decomposed:
            continue
        if _is_boilerplate(tag) or _is_meta_line(tag):
            tag.decompose()


def _same_title(heading: str, title: str) -> bool:
    a, b = heading.casefold(), title.casefold()
    if not a or not b:
        return False
    return a == b or a in b or b in a or SequenceMatcher(None, a, b).ratio() >= 0.8


def _drop_leading_title(container: Tag, title: str | None) -> None:
    """Drop the first heading if it comes before any paragraph and repeats the title."""
    for tag in container.find_all(["h1", "h2", "p", "li", "table", "blockquote"]):
        if tag.name not in ("h1", "h2"):
            return
        text = clean_line(tag.get_text(" ", strip=True))
        if (title and _same_title(text, clean_line(title))) or (not title and tag.name == "h1"):
            tag.decompose()
        return


def extract_main_text(
    html: str | bytes,
    url: str,
    *,
    title: str | None = None,
    content_type: str | None = None,
) -> str:
    """The page's main text as Markdown, or "" when no article text can be found.

    `url` is the page's final URL (links are made absolute against it); `title`, when
    known, lets the heading that repeats it be dropped; `content_type` is the response's
    Content-Type header, whose charset wins over the page's own `<meta>` when decoding bytes.
    """
    text = _decode(html, content_type) if isinstance(html, bytes) else html
    if not text.strip() or too_many_tags(text):
        return ""  # a page of more tags than any article: the teaser is kept
    soup = parse_html(text)
    for dropped in soup.find_all(DROPPED_TAGS):
        dropped.decompose()
    flatten_deep(soup)  # before the walks below: bs4's navigation costs grow with depth
    container = _choose_container(soup)
    if container is None:
        return ""
    _strip_boilerplate(container)
    _drop_leading_title(container, title)
    base = soup.find("base", href=True)
    base_href = base.get("href") if isinstance(base, Tag) else None
    base_url = url
    if isinstance(base_href, str) and base_href.strip():
        base_url = urljoin(url, base_href.strip())
    return tag_to_markdown(container, base_url)
