"""One article's facts, extracted once: what every extractor finds in it, before any merge.

Extraction is the costly part of a merge (milliseconds per article: grades, grade counts,
quotes, meetings, the people named, the documents linked and a sketch of the prose for
telling copies, all read from one `ArticleText`), and its result depends only on the
article's title, date, link and text. So it is done once per article and kept in the
store (`Store.article_facts`), under two keys:

- `facts_source(article)`: a hash of exactly the inputs the extractors read. A refresh
  that changes any of them (a corrected headline, a page fetched in place of a teaser)
  makes the stored facts stale, and they are extracted again the next time the article's
  story is merged.
- `EXTRACTOR_VERSION`: **bump it whenever a change anywhere under the extractors (facts/,
  read/, text/, the lexicon and its data files) may change what `extract_facts` returns
  for some article.** Stored facts of another version are stale too, and recomputed
  lazily, story by story, as stories are merged (a first export after an upgrade pays the
  extraction once and stores it). `tests/facts/test_extract.py` keeps a fingerprint of
  the facts of the held-out set under the current version, so a change that alters them
  without a bump fails there.

The merge (`facts.merge`) reads nothing else, so merging from stored facts is the same as
merging from fresh ones.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Final

from heraldtui.core.facts.copies import prose_lines
from heraldtui.core.facts.documents import find_documents
from heraldtui.core.facts.grades import read_grades
from heraldtui.core.facts.meetings import find_meetings
from heraldtui.core.facts.quotes import find_quotes
from heraldtui.core.models import (
    Article,
    ArticleFacts,
    CountStated,
    GradeStated,
    MeetingStated,
    PersonStated,
    QuoteStated,
)
from heraldtui.core.read.article_text import ArticleText
from heraldtui.core.text.sketch import sketch

__all__ = ["EXTRACTOR_VERSION", "extract_facts", "extract_many", "facts_source"]

EXTRACTOR_VERSION: Final = 4
"""The version of what `extract_facts` returns; see the module docstring for when to bump."""


def facts_source(article: Article) -> str:
    """A fingerprint of what the extractors read of `article`: its title, date, link
    (documents: its own address is not one) and text."""
    published = article.published.isoformat() if article.published else ""
    read = f"{article.title}\x1f{published}\x1f{article.link}\x1f{article.text}"
    return hashlib.blake2b(read.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def extract_facts(article: Article) -> ArticleFacts:
    """Everything the extractors find in one article, with offsets, in text order."""
    text = ArticleText(article.text)
    reading = read_grades(text, article.published, article.title)
    return ArticleFacts(
        grades=tuple(
            GradeStated(m.area, m.grade, m.start, m.structured, m.historic)
            for m in reading.mentions
        ),
        counts=tuple(CountStated(c.grade, c.count, c.start) for c in reading.counts),
        quotes=tuple(QuoteStated(q.text, q.speaker, q.role, q.start) for q in find_quotes(text)),
        meetings=read_meetings(article, text),
        people=tuple(
            PersonStated(p.name, p.first, p.surname, p.role, p.start, p.caption, p.honorific)
            for p in text.people
        ),
        documents=tuple(find_documents(text, article.link)),
        sketch=sketch(prose_lines(text.paragraphs)),
    )


def read_meetings(article: Article, text: ArticleText | None = None) -> tuple[MeetingStated, ...]:
    """The meetings one article states (what the agenda reads alone, see `merge`)."""
    text = text or ArticleText(article.text)
    return tuple(
        MeetingStated(m.name, m.date, m.time, m.url, m.where, m.weekday_mismatch, m.start)
        for m in find_meetings(text, article.published, article.title)
    )


def extract_many(articles: Sequence[Article]) -> list[ArticleFacts]:
    """`extract_facts` of each article, in order: one job for a worker process."""
    return [extract_facts(article) for article in articles]
