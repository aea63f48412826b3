"""The Markdown digest: one section per story worth reading, for people and for GitHub.

A story is worth a section when more than one source (outlet) covered it, when facts
were extracted from it or when it is linked to others of its force; the rest are one line
each. The words ("3 sources", grade words,
footnotes, days away) are `heraldtui.core.output.wording`'s, the same as the reader's.

Each section reads like the reader's merged view: the title and what kind of story it is
(with its independent sources when an outlet only copied another), the primary documents
first (the report, agenda, webcast or statement the articles link to, with the outlets
that give them, or a note that no outlet linked an inspection's report), the sources
numbered as footnotes (each a real link to the article; a copy names its original), the
grades as a
report card table whose rows name their sources by footnote (and, when the force was
inspected before, each area's change since), the quotes with their speakers, the
meetings with their days away, and the related stories of the force (the inspection a
story follows, or the inspection's follow-ups).

Everything that comes from a feed is untrusted, so it is escaped before it is written,
but only where a character would change the rendering (CommonMark allows a backslash
before any ASCII punctuation; escaping all of it made `turnaround\\.` and `Ash\\-Edwards`
of every sentence):

- always: `\\`, a backtick, `*`, `[`, `]`, `<` (HTML, autolinks), `|` (table cells), `~`
  (GFM strikethrough), `$` (GitHub's math), `@` (mentions and e-mail autolinks);
- `_` where it could open or close emphasis (not inside a word, as in `snake_case`);
- `&` only where it would start an entity (`&amp;`, `&#60;`);
- the autolink triggers: the `:` of `://` and the `.` of `www.`; the first `:` of an
  emoji shortcode such as `:smile:`;
- at the start of a line, what would start a block (`#`, `>`, `-`, `+`, `=`, `1.`, `1)`);
  a `#` at the end of a heading, which would be read as its closing sequence.

Links are written only for the sources' own http(s) addresses; any other address (a
meeting's or a document's, found in an article's text) is an inline code span, where
nothing is interpreted: readable and copyable, but not a link the digest vouches for.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from heraldtui.core.models import Article, Digest, GradeFact, MergedStory
from heraldtui.core.output.wording import (
    GRADE_SYMBOLS,
    Footnotes,
    change_phrase,
    conflict_phrase,
    copy_phrase,
    count_conflict_phrase,
    counts_phrase,
    coverage_phrase,
    day_phrase,
    days_away,
    document_word,
    grade_word,
    kind_word,
    long_date,
    meeting_day,
    outlet_names,
    related_phrase,
    report_note,
    uk_time,
)

# Each alternative starts with the one character it escapes, and looks behind it only
# after it: the regex engine then skips to those characters instead of trying every
# alternative at every position (a sixteenth of the time on plain prose; `escape` ran
# over every title and name of a 50,000-article digest).
_ALWAYS = r"\\|`|\*|\[|\]|<|\||~|\$|@"
_UNDERSCORE = r"_(?![^\W_])|_(?<![^\W_]_)"  # not between two letters or digits
_ENTITY = r"&(?=#?[0-9A-Za-z]+;)"
_AUTOLINK = r":(?<=[A-Za-z]:)(?=//)|\.(?<=\b[wW]{3}\.)"  # "https://", "www."
_SHORTCODE = r":(?=[a-z0-9_+-]+:)"
_SPECIAL = re.compile("|".join((_ALWAYS, _UNDERSCORE, _ENTITY, _AUTOLINK, _SHORTCODE)))
_BLOCK_START = re.compile(
    r"^(?:>|#{1,6}(?=\s|$)|[-+](?=\s|$)|-(?=(?:\s*-){2,}\s*$)|=(?==*\s*$)|\d{1,9}(?=[.)](?:\s|$)))"
)


_CLOSING = re.compile(r"(?<=\s)#+$")


def escape(text: str, *, line_start: bool = False) -> str:
    """Feed text as literal Markdown on one line; `line_start` when it begins a line."""
    flat = " ".join(text.split())
    out = _SPECIAL.sub(lambda m: "\\" + m.group(0), flat)
    if line_start:
        start = _BLOCK_START.match(out)
        if start is not None:  # `1.` starts a list: escape the dot; else the first mark
            end = start.end() if start.group(0)[0].isdigit() else 0
            out = f"{out[:end]}\\{out[end:]}"
    closing = _CLOSING.search(out)
    if closing is not None:  # `## Title #`: a closing sequence, dropped by the renderer
        out = f"{out[: closing.start()]}\\{out[closing.start() :]}"
    return out


def code(text: str) -> str:
    """An inline code span that no backtick inside `text` can close early."""
    flat = " ".join(text.split())
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") or not flat else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


_SAFE_URL = re.compile(r"^https?://[^\s<>\\]+$", re.IGNORECASE)


def link(text: str, url: str) -> str:
    """`[text](<url>)` for an http(s) address; anything else stays inert, in a code span.

    The destination is written between angle brackets, so parentheses in it cannot end
    it early; an address with a space, `<`, `>` or backslash is not a link we write.
    """
    if _SAFE_URL.match(url):
        return f"[{escape(text)}](<{url}>)"
    return f"{escape(text)} ({code(url)})"


def _source_lines(merged: MergedStory, notes: Footnotes) -> list[str]:
    lines = []
    for article in merged.story.articles:
        number = notes.number(article.link)
        copied = copy_phrase(merged, article.link)
        lines.append(
            f"- [{number}] {escape(article.feed)}, {long_date(article.published)}: "
            f"{link(article.title or article.link, article.link)}"
            + (f" ({escape(copied)})" if copied else "")
        )
    for number, stray in notes.strays:
        lines.append(f"- [{number}] {link(stray, stray)}")
    return lines


def _grade_cell(grade: str) -> str:
    return f"{GRADE_SYMBOLS.get(grade, '?')} {escape(grade_word(grade))}"


def _report_card(merged: MergedStory, notes: Footnotes) -> list[str]:
    out: list[str] = []
    counts = merged.grade_counts
    if counts is not None:
        out.append(f"Counts: {escape(counts_phrase(counts))} {notes.stated_by(counts.sources)}")
        disagreements = count_conflict_phrase(counts, merged, notes)
        if disagreements:
            out.append("")
            out += [f"- ⚠ {_footnoted(line)}" for line in disagreements]
    if not merged.grades:
        return out
    if out:
        out.append("")
    conflicts = any(g.conflicts for g in merged.grades)
    changes = [change_phrase(g, merged) for g in merged.grades]
    compared = any(change is not None for change in changes)
    head = ["Grade", "Area", "Sources"] + (["Disagreement"] if conflicts else [])
    head += ["Since the previous inspection"] if compared else []
    out += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for g, change in zip(merged.grades, changes, strict=True):
        cells = [_grade_cell(g.grade), escape(g.label or g.area), notes.stated_by(g.sources)]
        if conflicts:
            cells.append(_disagreement(g, notes))
        if compared:
            cells.append(escape(change or ""))
        out.append("| " + " | ".join(cells) + " |")
    return out


def _disagreement(grade: GradeFact, notes: Footnotes) -> str:
    said = [f"⚠ {_footnoted(conflict_phrase(notes, c.sources, c.grade))}" for c in grade.conflicts]
    return "; ".join(said)


_MARKS = re.compile(r"(\[[\d,]+\]) (.*)")


def _footnoted(line: str) -> str:
    """A phrase that starts with footnote marks (`[3] says ...`): the marks as they are,
    the words escaped (a grade word may be one the feed wrote)."""
    marks = _MARKS.fullmatch(line)
    return f"{marks.group(1)} {escape(marks.group(2))}" if marks else escape(line)


def _quote_lines(merged: MergedStory, notes: Footnotes) -> list[str]:
    out: list[str] = []
    for q in merged.quotes:
        paragraphs = [p for p in q.text.split("\n") if p.strip()]
        for n, paragraph in enumerate(paragraphs):
            if n:
                out.append(">")
            out.append(f"> {escape(paragraph, line_start=True)}")
        who = escape(q.speaker) if q.speaker else "Unattributed"
        if q.role:
            who += f", {escape(q.role)}"
        out += ["", f"— {who} {notes.marks(q.sources)}", ""]
    return out[:-1]


def _meeting_lines(merged: MergedStory, notes: Footnotes, today: date) -> list[str]:
    out = []
    for m in merged.meetings:
        line = f"- **{escape(m.name)}**: {meeting_day(m)} ({days_away(m.date, today)})"
        if m.weekday_mismatch:
            line += ", sources disagree on the weekday"
        if m.where:
            line += f", {escape(m.where)}"
        if m.url:  # found in an article's text, not a source: shown, not linked
            line += f", {code(m.url)}"
        out.append(f"{line} {notes.marks(m.sources)}")
    return out


def _document_lines(merged: MergedStory, notes: Footnotes) -> list[str]:
    """`- **Report**: `https://...` (Outlet One, Outlet Two) [1,2]`, the report first;
    then the note when no outlet linked an inspection's report."""
    out = [
        f"- **{document_word(d.kind)}**: {code(d.url)} "
        f"({escape(', '.join(outlet_names(merged, d.sources)))}) {notes.marks(d.sources)}"
        for d in merged.documents
    ]
    note = report_note(merged)
    if note is not None:
        out.append(f"- _{escape(note)}._")
    return out


def _related_lines(merged: MergedStory) -> list[str]:
    """`- Earlier inspection, 6 June 2024: the headline`: the story's thread, in date order."""
    return [
        f"- {related_phrase(r.relation)}, {day_phrase(r.published)}: {escape(r.title)}"
        for r in merged.related
    ]


def _when(merged: MergedStory) -> str:
    dates = sorted(a.published for a in merged.story.articles if a.published is not None)
    if not dates:
        return "undated"
    first, last = long_date(dates[0]), long_date(dates[-1])
    return first if first == last else f"{first} – {last}"


def render_story(merged: MergedStory, today: date | None = None) -> str:
    """One story's section; `today` (UK) is the day meetings count their days from."""
    story = merged.story
    notes = Footnotes(merged)
    out = [f"## {escape(story.title)}", ""]
    facts = [kind_word(story.kind, story.inspection_type)]
    if story.force:
        facts.append(escape(story.force))
    facts += [coverage_phrase(merged), _when(merged)]
    if story.corrected:  # the reader's corrections, not the grouping, decided its articles
        facts.append("grouped by hand")
    out += [" · ".join(facts)]
    documents = _document_lines(merged, notes)
    if documents:
        out += ["", "### Documents", "", *documents]
    out += ["", "### Sources", "", *_source_lines(merged, notes)]
    if merged.grades or merged.grade_counts:
        out += ["", "### Grades", "", *_report_card(merged, notes)]
    if merged.quotes:
        out += ["", "### Quotes", "", *_quote_lines(merged, notes)]
    if merged.meetings:
        day = today or uk_time(datetime.now(UTC)).date()
        out += ["", "### Meetings", "", *_meeting_lines(merged, notes, day)]
    if merged.related:
        out += ["", "### Related stories", "", *_related_lines(merged)]
    return "\n".join(out) + "\n"


def _other_line(article: Article) -> str:
    return (
        f"- {escape(article.feed)}, {long_date(article.published)}: "
        f"{link(article.title or article.link, article.link)}"
    )


def render_markdown(digest: Digest) -> str:
    """A section per story of more than one article or with facts (CONTRACT.md: "more
    than one source", a source being an entry of its sources list); every other article
    is one line under "Other stories", so no fetched article is left out."""
    shown: list[MergedStory] = []
    rest: list[MergedStory] = []
    for merged in digest.stories:  # one pass: `in` on a list made this quadratic
        worth = len(merged.story.articles) > 1 or merged.has_facts or merged.related
        (shown if worth else rest).append(merged)
    others = [article for merged in rest for article in merged.story.articles]
    generated = uk_time(digest.generated_at)
    head = [
        "# heraldtui digest",
        "",
        f"Generated {generated.day} {generated:%B %Y, %H:%M} {generated.tzname() or ''}".rstrip()
        + f": {len(shown)} merged stor{'y' if len(shown) == 1 else 'ies'}, "
        f"{len(others)} other article{'s' if len(others) != 1 else ''}.",
        "",
    ]
    today = generated.date()
    body = [render_story(s, today) for s in shown]
    if others:
        lines = ["## Other stories", "", *(_other_line(a) for a in others)]
        body.append("\n".join(lines) + "\n")
    if not body:
        return "\n".join(head) + "\n"
    # One join: joining the body, then adding the head, copied the whole digest twice
    # (tens of MB at 50,000 articles).
    return "\n".join([*head, *body])


__all__ = ["code", "escape", "link", "render_markdown", "render_story"]
