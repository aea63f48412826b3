"""What every reading of an article starts from, read once: its paragraphs and links.

`featurize` reads an article's features from its text; two articles of one outlet are
also read again without the paragraphs they share (`copies.Rereads`), and a near copy's
shingles are read from the same paragraphs. What does not depend on which paragraphs
are left out is read here once per article (`read`): the paragraphs of plain text (the
outlet's sign-up, share and credit lines dropped), each one's words and hash, the links,
the headline's words and force mentions, and the publication day in UK time. A caller
that reads one article several times keeps its `Reading` (`copies.Rereads` keeps the last
few).
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from datetime import date

from heraldtui.core.models import Article
from heraldtui.core.read.dates import contains_any, uk_date
from heraldtui.core.read.forces import ForceMention, scan_mentions
from heraldtui.core.stories.vocabulary import BOILERPLATE, BOILERPLATE_START, SOCIAL

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
    paras = []
    for raw in _PARA_SPLIT.split(text):
        para = " ".join(raw.split())
        # Boilerplate lines are short; long paragraphs are never dropped for a phrase.
        if para and (para.count(" ") > 60 or not _is_boilerplate(para.lower())):
            paras.append(para)
    return paras, urls


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


def tokens_hash(tokens: list[str]) -> int:
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
    title_mentions: list[ForceMention]
    paras: list[str]
    tokens: list[list[str]]
    """Each paragraph's words (lowercased), as `WORD` reads them."""
    hashes: list[int]
    """Each paragraph's `paragraph_hash`, from its words."""
    urls: frozenset[str]
    """Its links, normalised (`_norm_url`), share buttons left out."""
    pub: date | None


def read(article: Article) -> Reading:
    """Read an article's text once (see the module docstring)."""
    paras, raw_urls = clean_paragraphs(article.text)
    # One tokenising pass per paragraph gives its hash (to leave it out, and `paras`) and
    # its words (the separators between title and paragraphs are whitespace, which no
    # token spans).
    tokens = [WORD.findall(p.lower()) for p in paras]
    title = " ".join(article.title.split())
    return Reading(
        title=title,
        heading=article.title.strip().lower(),
        title_words=WORD.findall(title.lower()),
        title_mentions=scan_mentions(title, headline=True),
        paras=paras,
        tokens=tokens,
        hashes=[tokens_hash(t) for t in tokens],
        urls=frozenset(u for u in (_norm_url(x) for x in raw_urls) if u),
        pub=uk_date(article.published) if article.published else None,
    )
