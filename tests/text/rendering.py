"""Helpers shared by the text tests: the converter of record and a CommonMark renderer."""

from __future__ import annotations

import re
import warnings

from bs4 import MarkupResemblesLocatorWarning
from markdown_it import MarkdownIt

from heraldtui.core.text.html_markdown import html_to_markdown


def by_markdownify(html: str, base_url: str | None) -> str:
    """The converter of record: `html_to_markdown` with the fast walker switched off."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return html_to_markdown(html, base_url, fast=False)


def render(markdown: str) -> str:
    return str(MarkdownIt("commonmark").render(markdown))


def live(markdown: str) -> set[str]:
    """Elements a CommonMark renderer makes of `markdown` beyond paragraphs and emphasis
    from real tags: links, images, raw HTML, code."""
    return set(
        re.findall(r"<(a|img|script|iframe|code|pre|blockquote|[a-z]+:)\b", render(markdown))
    )
