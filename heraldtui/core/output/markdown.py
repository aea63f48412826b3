"""The Markdown digest: one section per story worth reading, for people and for GitHub.

A story is worth a section when more than one source (outlet) covered it or when facts
were extracted from it; the rest are one line each. The words ("3 sources", grade words,
the outlets behind a fact) are `heraldtui.core.output.wording`'s, the same as the reader's.

Everything that comes from a feed is untrusted, so it is escaped before it is written:
every ASCII punctuation character that Markdown or GFM gives a meaning to gets a
backslash (CommonMark allows a backslash before any ASCII punctuation). That keeps
`<script>` from being HTML, `[x](javascript:...)` from being a link, `**` from being
emphasis, and stops GFM's autolinker, which needs a literal `www.`, `://` or `@`.
Addresses are shown in code spans, where nothing is interpreted: readable, copyable, inert.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from heraldtui.core.models import Digest, MergedStory
from heraldtui.core.output.wording import (
    count_conflict_phrase,
    counts_phrase,
    coverage_phrase,
    grade_word,
    kind_word,
    meeting_day,
    outlet_names,
)

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~&:@^=\"$%])")


def escape(text: str) -> str:
    """Feed text as inert Markdown on one line."""
    flat = " ".join(text.split())
    return _SPECIAL.sub(r"\\\1", flat)


def code(text: str) -> str:
    """An inline code span that no backtick inside `text` can close early."""
    flat = " ".join(text.split())
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") or not flat else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def _date(value: datetime | None) -> str:
    return value.strftime("%-d %B %Y") if value else "undated"


def _outlets(merged: MergedStory, links: Sequence[str]) -> str:
    return ", ".join(escape(name) for name in outlet_names(merged, links))


def render_story(merged: MergedStory) -> str:
    story = merged.story
    out = [f"## {escape(story.title)}", ""]
    facts = [kind_word(story.kind, story.inspection_type)]
    if story.force:
        facts.append(escape(story.force))
    facts.append(coverage_phrase(merged))
    out += [" · ".join(facts), "", "### Sources", ""]
    for article in story.articles:
        out.append(
            f"- {escape(article.feed)}, {_date(article.published)}: "
            f"{escape(article.title)} ({code(article.link)})"
        )
    if merged.grades:
        out += ["", "### Grades", ""]
        out += ["| Area | Grade | Stated by | Disagreement |", "|---|---|---|---|"]
        for g in merged.grades:
            conflicts = "; ".join(
                f"{grade_word(c.grade)} ({_outlets(merged, c.sources)})" for c in g.conflicts
            )
            out.append(
                f"| {escape(g.label)} | {grade_word(g.grade)} | "
                f"{_outlets(merged, g.sources)} | {conflicts or '-'} |"
            )
    if merged.grade_counts:
        counts = merged.grade_counts
        out += ["", "### Grade counts" if merged.grades else "### Grades", ""]
        out.append(f"{escape(counts_phrase(counts))} ({_outlets(merged, counts.sources)})")
        out += [f"- disagreement: {escape(line)}" for line in count_conflict_phrase(counts, merged)]
    if merged.quotes:
        out += ["", "### Quotes", ""]
        for q in merged.quotes:
            for paragraph in q.text.split("\n"):
                if paragraph.strip():
                    out.append(f"> {escape(paragraph)}")
                    out.append(">")
            if out[-1] == ">":
                out.pop()
            who = escape(q.speaker) if q.speaker else "Unattributed"
            if q.role:
                who += f", {escape(q.role)}"
            out += ["", f"— {who} ({_outlets(merged, q.sources)})", ""]
        if out[-1] == "":
            out.pop()
    if merged.meetings:
        out += ["", "### Meetings", ""]
        for m in merged.meetings:
            line = f"- **{escape(m.name)}**: {meeting_day(m)}"
            if m.weekday_mismatch:
                line += " (sources disagree on the weekday)"
            if m.where:
                line += f", {escape(m.where)}"
            if m.url:
                line += f" ({code(m.url)})"
            out.append(line + f" ({_outlets(merged, m.sources)})")
    return "\n".join(out) + "\n"


def render_markdown(digest: Digest) -> str:
    """A section per story of more than one article or with facts (CONTRACT.md: "more
    than one source", a source being an entry of its sources list); every other article
    is one line under "Other stories", so no fetched article is left out."""
    shown: list[MergedStory] = []
    rest: list[MergedStory] = []
    for merged in digest.stories:  # one pass: `in` on a list made this quadratic
        (shown if len(merged.story.articles) > 1 or merged.has_facts else rest).append(merged)
    others = [article for merged in rest for article in merged.story.articles]
    head = [
        "# heraldtui digest",
        "",
        f"Generated {digest.generated_at.strftime('%-d %B %Y, %H:%M %Z').strip()}: "
        f"{len(shown)} merged stor{'y' if len(shown) == 1 else 'ies'}, "
        f"{len(others)} other article{'s' if len(others) != 1 else ''}.",
        "",
    ]
    body = [render_story(s) for s in shown]
    if others:
        lines = ["## Other stories", ""]
        for article in others:
            lines.append(
                f"- {escape(article.feed)}, {_date(article.published)}: {escape(article.title)}"
                f" ({code(article.link)})"
            )
        body.append("\n".join(lines) + "\n")
    return "\n".join(head) + "\n".join(body)
