"""Load a shared annotated article set (`articles.jsonl`) as `Article` records.

For unit-level development of grouping and extraction without serving feeds: each
article's HTML becomes Markdown the way the refresh pipeline stores it. The end-to-end
measure stays `../shared/tools/score.py`, which goes through the real pipeline.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

from heraldtui.core.models import Article

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def _to_markdown(html: str, url: str) -> str:
    try:
        from heraldtui.core.text.html_markdown import html_to_markdown
    except ImportError:  # the collect module is not there yet
        from markdownify import markdownify

        text: str = markdownify(html, heading_style="ATX", bullets="-")
        return re.sub(r"\n{3,}", "\n\n", text).strip()
    return html_to_markdown(html, url)


def load_set(name_or_path: str | Path) -> list[Article]:
    """Articles of a set, in file order; `name_or_path` is `seeds`, `devset` or a folder."""
    folder = Path(name_or_path)
    if not folder.is_absolute() and not folder.exists():
        folder = SHARED / str(name_or_path)
    articles = []
    for line in (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        raw = json.loads(line)
        html = raw.get("content_html") or ""
        if not html and raw.get("page_html"):
            match = re.search(r"<article>(.*)</article>", raw["page_html"], re.S)
            html = match.group(1) if match else raw["page_html"]
        published = datetime.fromisoformat(raw["published"]).astimezone(UTC)
        articles.append(
            Article(
                feed=raw["feed"],
                guid=raw["link"],
                link=raw["link"],
                title=raw["title"],
                author=raw.get("author"),
                published=published,
                summary=raw.get("summary") or "",
                content=_to_markdown(html, raw["link"]) if html else "",
            )
        )
    return articles


def set_ids(name_or_path: str | Path) -> dict[str, str]:
    """Map article link -> the set's own id (`a01`, `s000`), to compare with truth.json."""
    folder = Path(name_or_path)
    if not folder.is_absolute() and not folder.exists():
        folder = SHARED / str(name_or_path)
    out = {}
    for line in (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            out[raw["link"]] = raw["id"]
    return out
