"""The Markdown digest: one section per story worth reading, for people and for GitHub.

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

from heraldtui.core.models import Article, Digest, MergedStory

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~&:@^=\"$%])")
_GRADE_WORDS = {
    "outstanding": "Outstanding",
    "good": "Good",
    "adequate": "Adequate",
    "requires-improvement": "Requires improvement",
    "inadequate": "Inadequate",
}
_KIND_WORDS = {"inspection": "Inspection", "meeting": "Meeting", "other": "Story"}


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


def grade_word(key: str) -> str:
    return _GRADE_WORDS.get(key, key.replace("-", " ").capitalize())


def _date(value: datetime | None) -> str:
    return value.strftime("%-d %B %Y") if value else "undated"


def _outlets(links: Sequence[str], by_link: dict[str, Article]) -> str:
    names: list[str] = []
    for link in links:
        article = by_link.get(link)
        name = article.feed if article else link
        if name not in names:
            names.append(name)
    return ", ".join(escape(n) for n in names)


def render_story(merged: MergedStory) -> str:
    story = merged.story
    by_link = {a.link: a for a in story.articles}
    out = [f"## {escape(story.title)}", ""]
    facts = [_KIND_WORDS.get(story.kind, "Story")]
    if story.force:
        facts.append(escape(story.force))
    facts.append(f"{len(story.articles)} source{'s' if len(story.articles) != 1 else ''}")
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
                f"{grade_word(c.grade)} ({_outlets(c.sources, by_link)})" for c in g.conflicts
            )
            out.append(
                f"| {escape(g.label)} | {grade_word(g.grade)} | "
                f"{_outlets(g.sources, by_link)} | {conflicts or '-'} |"
            )
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
            out += ["", f"— {who} ({_outlets(q.sources, by_link)})", ""]
        if out[-1] == "":
            out.pop()
    if merged.meetings:
        out += ["", "### Meetings", ""]
        for m in merged.meetings:
            when = m.date.strftime("%A %-d %B %Y")
            if m.time:
                when += f", {m.time.strftime('%H:%M')}"
            line = f"- **{escape(m.name)}**: {when}"
            if m.weekday_mismatch:
                line += " (sources disagree on the weekday)"
            if m.where:
                line += f", {escape(m.where)}"
            if m.url:
                line += f" ({code(m.url)})"
            out.append(line + f" ({_outlets(m.sources, by_link)})")
    return "\n".join(out) + "\n"


def render_markdown(digest: Digest) -> str:
    shown: list[MergedStory] = []
    rest: list[MergedStory] = []
    for merged in digest.stories:  # one pass: `in` on a list made this quadratic
        (shown if len(merged.story.articles) > 1 or merged.has_facts else rest).append(merged)
    head = [
        "# heraldtui digest",
        "",
        f"Generated {digest.generated_at.strftime('%-d %B %Y, %H:%M %Z').strip()}: "
        f"{len(shown)} merged stor{'y' if len(shown) == 1 else 'ies'}, "
        f"{len(rest)} other article{'s' if len(rest) != 1 else ''}.",
        "",
    ]
    body = [render_story(s) for s in shown]
    if rest:
        lines = ["## Other stories", ""]
        for merged in rest:
            article = merged.story.articles[0]
            lines.append(
                f"- {escape(article.feed)}, {_date(article.published)}: {escape(article.title)}"
                f" ({code(article.link)})"
            )
        body.append("\n".join(lines) + "\n")
    return "\n".join(head) + "\n".join(body)
