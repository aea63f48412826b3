"""What every reading of an article starts from, read once: its paragraphs and links.

`featurize` reads an article's features from its text; two articles of one outlet are
also read again without the paragraphs they share (`copies.Rereads`), and a near copy's
shingles are read from the same paragraphs. What does not depend on which paragraphs
are left out is read here once per article (`read`): the paragraphs of plain text (the
outlet's sign-up, share and credit lines dropped), each one's words and hash, the links,
the headline's words and force mentions, and the publication day in UK time. A caller
that reads one article several times keeps its `Reading` (`copies.Rereads` keeps the last
few). A paragraph is read once however many articles print it: outlets repeat their
standing lines and each other's copy, so the readings of the last few thousand short
paragraphs are kept (`text.memo`; about half of the benchmarks' paragraphs are read from
there).
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from heraldtui.core.models import Article
from heraldtui.core.read.dates import contains_any, uk_date
from heraldtui.core.read.forces import ForceMention, scan_mentions
from heraldtui.core.stories.vocabulary import BOILERPLATE, BOILERPLATE_START, SOCIAL
from heraldtui.core.text.memo import kept_when_short

_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)[^)]*\)")
_BARE_URL = re.compile(r"<?(https?://[^\s<>()\]]+)>?")
_MARKUP = re.compile(r"[*_#|>`]+|^\s*[-+]\s+|-{3,}", re.MULTILINE)
# `_MARKUP` tries every position (its branches share no first character); these find in
# one fast scan whether it can match at all, which plain news text usually cannot.
_MARKUP_CHAR = re.compile(r"[*_#|>`]")
_LIST_ITEM = re.compile(r"\n\s*[-+]\s")
_LIST_ITEM_AT_START = re.compile(r"\s*[-+]\s")
_PARA_SPLIT = re.compile(r"\n\s*\n")
WORD = re.compile(r"[a-z0-9][a-z0-9'’-]*")


def clean_paragraphs(markdown: str) -> tuple[list[str], list[str]]:
    """Paragraphs of plain text (boilerplate dropped) and the links found."""
    text, urls = _plain(markdown)
    paras = []
    for raw in _PARA_SPLIT.split(text):
        found = _paragraph(raw)
        if found is not None:
            paras.append(found[0])
    return paras, urls


def _plain(markdown: str) -> tuple[str, list[str]]:
    """The text without images, link targets and markup, and the links it held."""
    urls: list[str] = []
    text = markdown
    if "](" in text:
        text = _IMAGE.sub(" ", text)

    def _link(m: re.Match[str]) -> str:
        urls.append(m.group(2))
        return m.group(1)

    if "](" in text:
        text = _LINK.sub(_link, text)

    def _bare(m: re.Match[str]) -> str:
        urls.append(m.group(1))
        return " "

    if "://" in text:
        text = _BARE_URL.sub(_bare, text)
    if (
        _MARKUP_CHAR.search(text)
        or "---" in text
        or _LIST_ITEM.search(text)
        or _LIST_ITEM_AT_START.match(text)
    ):
        text = _MARKUP.sub(" ", text)
    return text, urls


@kept_when_short
def _paragraph(raw: str) -> tuple[str, tuple[str, ...], int] | None:
    """A paragraph of plain text (`raw`, its whitespace collapsed), its words (lowercased,
    as `WORD` reads them) and its `paragraph_hash`; None when it is empty or boilerplate."""
    para = " ".join(raw.split())
    # Boilerplate lines are short; long paragraphs are never dropped for a phrase.
    lowered = para.lower()
    if not para or (para.count(" ") <= 60 and _is_boilerplate(lowered)):
        return None
    tokens = tuple(WORD.findall(lowered))
    return para, tokens, tokens_hash(tokens)


def _is_boilerplate(lowered: str) -> bool:
    return lowered.startswith(BOILERPLATE_START) or contains_any(lowered, BOILERPLATE)


_SCHEME = re.compile(r"^https?://(?:www\.)?", re.I)


def _norm_url(url: str) -> str | None:
    url = url.strip().rstrip(".,;:)")
    if url.lower().startswith("mailto:"):
        return None
    url = _SCHEME.sub("", url)
    host, _, rest = url.partition("/")
    host = host.lower()
    if not host or any(host == s or host.endswith("." + s) for s in SOCIAL):
        return None
    return f"{host}/{rest}".rstrip("/")


def paragraph_hash(para: str) -> int:
    return tokens_hash(WORD.findall(para.lower()))


def tokens_hash(tokens: Sequence[str]) -> int:
    return zlib.crc32(" ".join(tokens).encode())


@dataclass(slots=True)
class Reading:
    """An article's text read into what `featurize` needs whatever it leaves out (not
    changed once read; not frozen, whose assignments cost a tenth of a reading)."""

    title: str
    """The headline, its whitespace collapsed."""
    heading: str
    """The headline stripped and lowercased: a first paragraph equal to it is a heading."""
    title_words: list[str]
    title_mentions: tuple[ForceMention, ...]
    paras: list[str]
    tokens: list[tuple[str, ...]]
    """Each paragraph's words (lowercased), as `WORD` reads them (shared between the
    articles that print the paragraph, see `_paragraph`)."""
    hashes: list[int]
    """Each paragraph's `paragraph_hash`, from its words."""
    urls: frozenset[str]
    """Its links, normalised (`_norm_url`), share buttons left out."""
    pub: date | None


def read(article: Article) -> Reading:
    """Read an article's text once (see the module docstring)."""
    text, raw_urls = _plain(article.text)
    # One tokenising pass per paragraph gives its hash (to leave it out, and `paras`) and
    # its words (the separators between title and paragraphs are whitespace, which no
    # token spans).
    paras: list[str] = []
    tokens: list[tuple[str, ...]] = []
    hashes: list[int] = []
    for raw in _PARA_SPLIT.split(text):
        found = _paragraph(raw)
        if found is not None:
            paras.append(found[0])
            tokens.append(found[1])
            hashes.append(found[2])
    title = " ".join(article.title.split())
    return Reading(
        title=title,
        heading=article.title.strip().lower(),
        title_words=WORD.findall(title.lower()),
        title_mentions=_title_mentions(title),
        paras=paras,
        tokens=tokens,
        hashes=hashes,
        urls=frozenset(u for u in (_norm_url(x) for x in raw_urls) if u),
        pub=uk_date(article.published) if article.published else None,
    )


@kept_when_short
def _title_mentions(title: str) -> tuple[ForceMention, ...]:
    """The forces a headline names, read once for a headline that recurs."""
    return tuple(scan_mentions(title, headline=True))
