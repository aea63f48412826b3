"""The JSON digest: the shape `../shared/CONTRACT.md` promises to scripts.

Keys are only ever added, never renamed or removed (`schema` says which version a reader
gets). Dates are ISO 8601; meeting dates `YYYY-MM-DD`, times `HH:MM` (24-hour).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from heraldtui.core.models import (
    Article,
    Digest,
    GradeCounts,
    MeetingFact,
    MergedStory,
    PreviousGrade,
)

SCHEMA = "heraldtui.digest/1"


def build_digest(stories: Sequence[MergedStory], now: datetime | None = None) -> Digest:
    return Digest(generated_at=now or datetime.now(UTC), stories=tuple(stories))


def _article(article: Article, copy_of: str | None) -> dict[str, Any]:
    return {
        "title": article.title,
        "link": article.link,
        "feed": article.feed,
        "published": article.published.isoformat() if article.published else None,
        "text": article.text,
        "author": article.author,
        "copy_of": copy_of,
    }


def story_to_dict(merged: MergedStory) -> dict[str, Any]:
    story = merged.story
    return {
        "id": story.id,
        "title": story.title,
        "kind": story.kind,
        "inspection_type": story.inspection_type,
        "force": story.force,
        "articles": [_article(a, merged.copy_of(a.link)) for a in story.articles],
        "grades": [
            {
                "area": g.area,
                "label": g.label,
                "grade": g.grade,
                "sources": list(g.sources),
                "conflicts": [{"grade": c.grade, "sources": list(c.sources)} for c in g.conflicts],
                "previous": _previous(g.previous),
            }
            for g in merged.grades
        ],
        "quotes": [
            {"speaker": q.speaker, "role": q.role, "text": q.text, "sources": list(q.sources)}
            for q in merged.quotes
        ],
        "meetings": [meeting_to_dict(m) for m in merged.meetings],
        "people": [
            {"name": p.name, "role": p.role, "variants": list(p.variants)} for p in merged.people
        ],
        "grade_counts": _grade_counts(merged.grade_counts),
        "previous_inspection": merged.previous_inspection,
        "related": [{"story": r.story, "relation": r.relation} for r in merged.related],
        "documents": [
            {"url": d.url, "kind": d.kind, "sources": list(d.sources)} for d in merged.documents
        ],
        "independent_sources": merged.independent_sources,
        "corrected": story.corrected,
    }


def meeting_to_dict(m: MeetingFact) -> dict[str, Any]:
    """A meeting as both JSON outputs show it: the digest's stories and the agenda."""
    return {
        "name": m.name,
        "date": m.date.isoformat(),
        "time": m.time.strftime("%H:%M") if m.time else None,
        "url": m.url,
        "where": m.where,
        "weekday_mismatch": m.weekday_mismatch,
        "sources": list(m.sources),
    }


def _previous(previous: PreviousGrade | None) -> dict[str, Any] | None:
    """`{"grade", "story", "published"}` (the earlier report's day, `YYYY-MM-DD`), or None."""
    if previous is None:
        return None
    published = previous.published.isoformat() if previous.published else None
    return {"grade": previous.grade, "story": previous.story, "published": published}


def _grade_counts(counts: GradeCounts | None) -> dict[str, Any] | None:
    """`{"good": 2, "adequate": 3, "sources": [...], "conflicts": [...]}`, or None."""
    if counts is None:
        return None
    out: dict[str, Any] = dict(counts.counts)
    out["sources"] = list(counts.sources)
    out["conflicts"] = [
        {"grade": c.grade, "count": c.count, "sources": list(c.sources), "areas": list(c.areas)}
        for c in counts.conflicts
    ]
    return out


def digest_to_dict(digest: Digest) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "generated_at": digest.generated_at.isoformat(),
        "stories": [story_to_dict(s) for s in digest.stories],
    }


def render_json(digest: Digest) -> str:
    return json.dumps(digest_to_dict(digest), ensure_ascii=False, indent=2) + "\n"
