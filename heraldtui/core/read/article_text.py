"""One article's text, prepared once for every fact extractor.

The extractors reason about prose, not Markdown, and several need the same views of it:
the plain paragraphs (grades, quotes), the quoted passages (the quote finder attributes
them, the grade reader masks them), the people named (quotes resolve speakers with them,
the merge gathers them), and the Markdown blocks with their links (meetings). Each view is
derived here once per article: before this, an article's text was flattened four times
and its people found twice.
"""

from __future__ import annotations

from functools import cached_property

from heraldtui.core.read.people import PersonMention, find_people
from heraldtui.core.read.quotespans import QuoteSpan, quote_spans
from heraldtui.core.text.prose import Link, links, plain_text


class ArticleText:
    """An article's Markdown and the views of it the extractors read.

    `paragraphs` are the plain paragraphs (lines inside one kept with `\\n`), `plain`
    joins them with a blank line and `offsets` gives where each starts in it, so offsets
    from any view can be compared. `spans` are the quoted passages over `paragraphs`, and
    `people` the people named in `plain`. `blocks` are the Markdown blocks with their own
    plain text and links (only meetings need them). Every view is read on first use.
    """

    def __init__(self, markdown: str) -> None:
        self.markdown = markdown or ""

    # Each view is computed on first use: the meetings reader needs only `blocks`, and
    # the agenda reads every candidate article's meetings without its quotes or people.
    @cached_property
    def paragraphs(self) -> tuple[str, ...]:
        return tuple(p for p in plain_text(self.markdown).split("\n\n") if p.strip())

    @cached_property
    def plain(self) -> str:
        return "\n\n".join(self.paragraphs)

    @cached_property
    def offsets(self) -> tuple[int, ...]:
        offsets: list[int] = []
        at = 0
        for para in self.paragraphs:
            offsets.append(at)
            at += len(para) + 2
        return tuple(offsets)

    @cached_property
    def spans(self) -> tuple[QuoteSpan, ...]:
        return tuple(quote_spans(list(self.paragraphs)))

    @cached_property
    def people(self) -> tuple[PersonMention, ...]:
        return tuple(find_people(self.plain))

    @cached_property
    def blocks(self) -> tuple[MarkdownBlock, ...]:
        """The Markdown's blocks (split at blank lines), blank ones left out."""
        raw = self.markdown.replace("\r\n", "\n").split("\n\n")
        return tuple(MarkdownBlock(b) for b in raw if b.strip())


class MarkdownBlock:
    """One Markdown block: its text, its plain text, and the web links it holds."""

    __slots__ = ("links", "markdown", "plain")

    def __init__(self, markdown: str) -> None:
        self.markdown = markdown
        self.plain = plain_text(markdown)
        self.links: tuple[Link, ...] = tuple(link for _, link in links(markdown))
