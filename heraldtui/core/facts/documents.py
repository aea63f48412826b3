"""Primary documents: the report, the agenda, the webcast, the statement an article links to.

A reader who follows a force wants the source, not only the coverage. Outlets link it
(`[Read the full report](https://...)`, a bare `https://bit.ly/...`) or write its address
out as text ("available at hmicfrs.justiceinspectorates.gov.uk/peel-reports/..."), and
the words around the link say what it is. Per article (`find_documents`, stored with the
other facts):

- **Which links.** Every http(s) link of the Markdown (`text.prose.links`) and every web
  address written as text: a host ending in a known suffix (`WEB_SUFFIXES`) with a path,
  or alone when it is a `www.`, official or kind-telling host (`DOCUMENT_HOSTS`). The
  article's own link is not a document.
- **Which kind**, from the first evidence that speaks, in this order:
  1. the link's own words (`DOCUMENT_WORDS`: "Read the full report", "Watch live"),
     unless they are an address;
  2. its address: the host (`DOCUMENT_HOSTS`: the inspectorate publishes reports, video
     sites show meetings), then the path (`DOCUMENT_PATHS`: `/agenda`, `peel-report`);
  3. the words of its sentence nearest to it ("it can be watched by using this link");
  4. `other` for an official body's page (`OFFICIAL_HOST`) or a document file
     (`DOCUMENT_FILE`) that nothing else describes.

  A link with none of these is not a primary document (a link to another news story).
  A news outlet's link to its own site says what it is only by its address: "read our
  report" there is the outlet's earlier article, not the inspectorate's.

Per story (`merge_documents`): one entry per address, compared without scheme, `www.`,
trailing slash, fragment or tracking parameters (`document_key`); its kind is the one
most of its sources give (`other` only when none gives another; a tie goes to the earliest
source); its sources are the links of the articles that give it. Links to an article of
the story itself are dropped. Documents are ranked by kind (report, agenda, webcast,
statement, other), then by how many independent sources give them, then first seen.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

from heraldtui.core.models import (
    Article,
    ArticleFacts,
    DocumentFact,
    DocumentKind,
    DocumentStated,
)
from heraldtui.core.read.article_text import ArticleText
from heraldtui.core.read.lexicon import (
    DOCUMENT_FILE,
    DOCUMENT_HOSTS,
    DOCUMENT_PATHS,
    DOCUMENT_WORDS,
    OFFICIAL_HOST,
    WEB_SUFFIXES,
)
from heraldtui.core.text.prose import sentences, trim_url

__all__ = ["DOCUMENT_ORDER", "document_key", "find_documents", "merge_documents"]

DOCUMENT_ORDER: tuple[DocumentKind, ...] = ("report", "agenda", "webcast", "statement", "other")
"""How documents are ranked: the report first, pages nothing describes last."""

_KINDS: dict[str, DocumentKind] = {kind: kind for kind in DOCUMENT_ORDER}
"""The lexicon's kinds as `DocumentKind`s (a kind it misspells fails at import)."""
_WORDS = [(_KINDS[kind], re.compile(p, re.IGNORECASE)) for kind, p in DOCUMENT_WORDS]
_HOSTS = [(_KINDS[kind], re.compile(p)) for kind, p in DOCUMENT_HOSTS]
_PATHS = [(_KINDS[kind], re.compile(p)) for kind, p in DOCUMENT_PATHS]
_OFFICIAL = re.compile(OFFICIAL_HOST)
_FILE = re.compile(DOCUMENT_FILE)
_SUFFIX = "|".join(sorted(WEB_SUFFIXES, key=lambda s: (-len(s), s)))
_WRITTEN = re.compile(
    rf"(?<![\w@./:-])((?:www\.)?(?:[a-z0-9](?:[a-z0-9-]{{0,61}}[a-z0-9])?\.)+(?:{_SUFFIX}))"
    r"(?![\w-])(/[^\s<>()\[\]\"“”]{0,2000})?",
    re.IGNORECASE,
)
"""A web address written as text, without a scheme: host (group 1) and path (group 2)."""
_TRACKING = ("utm_", "fbclid", "gclid")
_AN_ADDRESS = re.compile(r"^\S+\.\S+$")
"""Link text that is an address itself ("council.example/papers"): read as the address."""


def document_key(url: str) -> str:
    """`url` as documents are compared: no scheme, `www.`, trailing slash, fragment or
    tracking parameters; the host in lower case (the path keeps its case: short links
    are case-sensitive)."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").removeprefix("www.")
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: part of what was written
        port = None
    where = f"{host}:{port}" if port not in (None, 80, 443) else host
    query = "&".join(q for q in parts.query.split("&") if q and not q.lower().startswith(_TRACKING))
    return where + parts.path.rstrip("/") + (f"?{query}" if query else "")


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.")


def _word_kind(text: str) -> DocumentKind | None:
    """The kind a link's own words name, first in `DOCUMENT_WORDS` order."""
    for kind, pattern in _WORDS:
        if pattern.search(text):
            return kind
    return None


def _address_kind(host: str, url: str) -> DocumentKind | None:
    for kind, pattern in _HOSTS:
        if pattern.search(host):
            return kind
    parts = urlsplit(url)
    path = (parts.path + ("?" + parts.query if parts.query else "")).lower()
    for kind, pattern in _PATHS:
        if pattern.search(path):
            return kind
    return None


def _nearest_kind(sentence: str, start: int, end: int) -> DocumentKind | None:
    """The kind named by the words of `sentence` nearest to the link at [start, end)."""
    best: tuple[int, int, DocumentKind] | None = None
    for order, (kind, pattern) in enumerate(_WORDS):
        for m in pattern.finditer(sentence):
            if m.start() < end and m.end() > start:
                continue  # inside the link's own text: read before
            gap = start - m.end() if m.end() <= start else m.start() - end
            if best is None or (gap, order) < best[:2]:
                best = (gap, order, kind)
    return best[2] if best is not None else None


def _kind(url: str, words: str, sentence: str, at: int, own_host: str) -> DocumentKind | None:
    """The kind of the link to `url`, shown as `words` at offset `at` of `sentence` (see
    the module docstring), or None when it is not a primary document."""
    host = _host(url).lower()
    official = bool(_OFFICIAL.search(host))
    outlet_own = host == own_host and not official
    if words and not _AN_ADDRESS.match(words) and not outlet_own:
        kind = _word_kind(words)
        if kind is not None:
            return kind
    kind = _address_kind(host, url)
    if kind is not None:
        return kind
    if not outlet_own:
        kind = _nearest_kind(sentence, at, at + len(words))
        if kind is not None:
            return kind
    if official or _FILE.search(urlsplit(url).path.lower()):
        return "other"
    return None


def _named_site(host: str) -> bool:
    """Whether a host written alone, without a path, names a site to visit: `www.`, an
    official body's, or one that says what it shows (a council's webcasting service)."""
    if host.startswith("www.") or _OFFICIAL.search(host):
        return True
    return any(pattern.search(host) for _, pattern in _HOSTS)


def _sentence_at(plain: str, at: int) -> tuple[str, int]:
    """The sentence of `plain` around offset `at`, and where `at` falls in it; a sentence
    that is only the link (a line "Watch online:" then the address) is read with the one
    before."""
    before = ""
    for start, sentence in sentences(plain):
        if start <= at < start + len(sentence):
            if len(sentence.split()) > 1 or not before:
                return sentence, at - start
            return f"{before} {sentence}", at - start + len(before) + 1
        before = sentence
    return plain, at


def find_documents(text: ArticleText, link: str) -> list[DocumentStated]:
    """The primary documents one article gives, each once, in text order (see the module
    docstring); `link` is the article's own address."""
    own_key, own_host = document_key(link), _host(link).lower()
    found: dict[str, DocumentStated] = {}

    def consider(url: str, words: str, plain: str, at: int) -> None:
        key = document_key(url)
        if key == own_key or key in found or not _host(url):
            return
        sentence, offset = _sentence_at(plain, at)
        kind = _kind(url, words, sentence, offset, own_host)
        if kind is not None:
            found[key] = DocumentStated(url, kind)

    for block in text.blocks:
        plain = block.plain
        cursor = 0  # links come in text order: "here" twice is found twice
        for item in block.links:
            at = plain.find(item.text, cursor) if item.text else -1
            if at >= 0:
                cursor = at + len(item.text)
            consider(item.url, item.text, plain, max(at, 0))
        for m in _WRITTEN.finditer(plain):
            host, path = m.group(1), trim_url(m.group(2) or "")
            if path in ("", "/") and not _named_site(host.lower()):
                continue  # a bare name ("Amazon.com") is not offered as a document
            written = host + path
            consider(f"https://{written}", written, plain, m.start())
    return list(found.values())


def merge_documents(
    articles: Sequence[Article],
    facts: Sequence[ArticleFacts],
    origins: Mapping[str, str],
) -> tuple[DocumentFact, ...]:
    """The story's documents, ranked (see the module docstring); `origins` maps a copy's
    link to its original's, so a document a copy repeats is not counted twice."""
    own = {document_key(a.link) for a in articles}
    given: dict[str, list[tuple[str, DocumentStated]]] = {}
    for article, found in zip(articles, facts, strict=True):
        for document in found.documents:
            key = document_key(document.url)
            if key not in own:
                given.setdefault(key, []).append((article.link, document))
    merged: list[tuple[tuple[int, int, int], DocumentFact]] = []
    for first, items in enumerate(given.values()):
        order: list[DocumentKind] = [d.kind for _, d in items if d.kind != "other"]
        kinds = Counter(order)
        kind: DocumentKind = "other"
        if kinds:  # the most given; a tie to the earliest source's
            kind = max(kinds, key=lambda k: (kinds[k], -order.index(k)))
        sources = tuple(dict.fromkeys(link for link, _ in items))
        independent = len({origins.get(link, link) for link in sources})
        rank = (DOCUMENT_ORDER.index(kind), -independent, first)
        merged.append((rank, DocumentFact(items[0][1].url, kind, sources)))
    return tuple(fact for _, fact in sorted(merged, key=lambda item: item[0]))
