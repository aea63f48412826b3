"""Direct quotes in an article and who said them.

Quoted passages come from `read.quotespans.quote_spans` (curly or straight marks, quotes over
several paragraphs joined, single marks told apart from apostrophes). A passage is a
person's quote when it is attributed:

- after it, in the rest of its sentence: `...," said Jane Roe.`, `..." Jane Roe said.`,
  `...," she said.`, `...," Supt Roe told the meeting.`, `...," according to Jane Roe.`;
- before it, by a clause ending in a speech verb or a colon: `Jane Roe said: "..."`,
  `Jane Roe, the chair, said: "..."`, `He continued: "..."`, `According to Jane Roe, "..."`,
  or a paragraph ending in a colon just before a paragraph that opens with the quote;
- by continuation: the second half of a quote broken by its attribution
  (`"...," said X. "..."`, two quotes) and a paragraph that is only a quote right after a
  paragraph quoting X are X's too.

The speaker named in the attribution is resolved inside the article: a full name is
kept; "Mr X" becomes the full name introduced earlier with that surname; "he"/"she" is
the most recent person named (or quoted) before the quote. Scare quotes are not quotes:
a passage under four words, or one that is only a grade word ('inadequate'), is skipped,
and a single-marked passage must be attributed. Reported speech has no quotation marks
and is never taken.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from heraldtui.core.facts.areas import grade_key
from heraldtui.core.facts.people import surname_matches
from heraldtui.core.read.article_text import ArticleText
from heraldtui.core.read.lexicon import ROLES, SPEECH_VERBS
from heraldtui.core.read.people import PersonMention
from heraldtui.core.read.quotespans import QuoteSpan
from heraldtui.core.text.prose import ABBREVIATIONS

MIN_WORDS = 4


@dataclass(frozen=True, slots=True)
class QuoteMention:
    """One quote in one article.

    `speaker` is the name as the article gives it at its fullest (a full name when the
    article has one, else "Mr X"), or None when the quote is not attributed.
    """

    text: str
    speaker: str | None
    role: str | None
    start: int


_PRONOUN = re.compile(r"^\W*(?:(?:and|but|then|so|later|now)\W+)?(he|she|they)\b", re.IGNORECASE)
_ROLE_REF = re.compile(
    r"\bthe\s+(?:[a-z]+['’]s\s+)?(?P<role>"
    + "|".join(
        r"\s+".join(map(re.escape, role.split())) for role in sorted(ROLES, key=len, reverse=True)
    )
    + r")\b",
    re.IGNORECASE,
)
"""A speaker named by role only ("..., the chief constable said")."""
_COLON_END = re.compile(r":\s*$")
_DASH_LEAD = re.compile(r"^[\s,]*[–—-]+\s")
_ACCORDING = re.compile(r"\baccording\s+to\b[^.!?]{0,120},\s*$", re.IGNORECASE)
_ACCORDING_AFTER = re.compile(r"^[\s,]*according\s+to\s", re.IGNORECASE)
"""`"...," according to HM Inspector Jane Roe.`: attributed after the quote."""
_WORD = re.compile(r"[A-Za-z]+")


def _clause_after(para: str, i: int) -> str:
    """The rest of the sentence after a closing mark (up to the next mark or stop)."""
    seg = para[i : i + 240]
    cut = len(seg)
    mark = re.search(r"[“\"‘]", seg)
    if mark:
        cut = mark.start()
    for m in re.finditer(r"[.!?](?=\s|$)", seg[:cut]):
        before = seg[: m.start()].rsplit(None, 1)
        word = before[-1].lower() if before else ""
        if word in ABBREVIATIONS:
            continue
        cut = m.end()
        break
    return seg[:cut]


def _clause_before(para: str, i: int, floor: int) -> str:
    """The sentence (or clause after an earlier quote) that leads up to an opening mark."""
    seg = para[floor:i]
    start = 0
    for m in re.finditer(r"[.!?][\"”’']?\s+", seg):
        before = seg[: m.start()].rsplit(None, 1)
        word = before[-1].lower() if before else ""
        if word in ABBREVIATIONS:
            continue
        start = m.end()
    return seg[start:]


def _speech_verb_near_start(seg: str, words: int = 7) -> bool:
    return any(w.lower() in SPEECH_VERBS for w in _WORD.findall(seg)[:words])


def _ends_with_speech(seg: str) -> bool:
    stripped = seg.rstrip(" \t,:;—–-")
    if not stripped:
        return False
    tail = _WORD.findall(stripped[-40:])
    return bool(tail) and tail[-1].lower() in SPEECH_VERBS


class _Article:
    """One article's paragraphs, people and quote spans, with lookups by global offset."""

    def __init__(self, text: ArticleText) -> None:
        self.paras = text.paragraphs
        self.offsets = text.offsets
        self.plain = text.plain
        self.people = text.people
        self.spans = text.spans
        # Quote spans never overlap and come in order, so lookups can bisect.
        self.inside: list[tuple[int, int]] = [
            (self.offsets[s.first] + s.start, self.offsets[s.last] + s.end) for s in self.spans
        ]
        self.inside_starts = [a for a, _ in self.inside]
        self.fulls = list({p.name: p for p in reversed(self.people) if p.full}.values())[::-1]
        self.roles = {p.name: p.role for p in reversed(self.people) if p.full and p.role}
        self.starts = [p.start for p in self.people]
        self.outside = [p for p in self.people if not self.quoted(p.start)]
        self.outside_starts = [p.start for p in self.outside]

    def mentions_between(self, a: int, b: int) -> list[PersonMention]:
        lo, hi = bisect_left(self.outside_starts, a), bisect_left(self.outside_starts, b)
        return self.outside[lo:hi]

    def last_named_before(self, at: int) -> PersonMention | None:
        index = bisect_left(self.outside_starts, at)
        return self.outside[index - 1] if index else None

    def quoted(self, at: int) -> bool:
        index = bisect_right(self.inside_starts, at) - 1
        return index >= 0 and self.inside[index][0] < at < self.inside[index][1]

    def resolve(self, mention: PersonMention) -> tuple[str, str | None]:
        """The fullest name the article gives this mention, and the role it gave."""
        if mention.full:
            return mention.name, mention.role or self._role_of(mention.name)
        candidates = [p for p in self.fulls if surname_matches(mention.surname, p.name)]
        if not candidates:
            return mention.name, mention.role
        chosen = candidates[0]
        return chosen.name, mention.role or self._role_of(chosen.name)

    def _role_of(self, name: str) -> str | None:
        return self.roles.get(name)

    def by_role(self, phrase: str, at: int) -> tuple[str, str | None] | None:
        """The person the article introduced with a role, for "the chief constable said".

        The latest such person named before `at`, else the first one named after it; a
        general role ("the commissioner") matches a specific one ("Police and Crime
        Commissioner").
        """
        wanted = ROLES.get(" ".join(phrase.lower().split()))
        if not wanted:
            return None
        holders = [p for p in self.fulls if self.roles.get(p.name) == wanted]
        if not holders:
            holders = [
                p
                for p in self.fulls
                if (role := self.roles.get(p.name))
                and role.endswith(" " + wanted)
                and not role.startswith(("Deputy ", "Assistant ", "Vice "))
            ]
        if not holders:
            return None
        earlier = [p for p in holders if p.start < at]
        chosen = earlier[-1] if earlier else holders[0]
        return chosen.name, self.roles.get(chosen.name)

    def sole_person_in(self, index: int) -> tuple[str, str | None] | None:
        """The one person a paragraph names (outside quotes), when it names exactly one."""
        start = self.offsets[index]
        found = self.mentions_between(start, start + len(self.paras[index]))
        resolved = {self.resolve(p) for p in found}
        return resolved.pop() if len(resolved) == 1 else None


def find_quotes(text: ArticleText) -> list[QuoteMention]:
    """Direct quotes of people in an article, in order (see module docstring)."""
    art = _Article(text)
    out: list[QuoteMention] = []
    # (global start, speaker name, role) of the quotes attributed so far.
    said: list[tuple[int, str | None, str | None]] = []
    previous: QuoteSpan | None = None
    previous_after_attr = False
    for span in art.spans:
        body = span.text.strip().rstrip(",;").strip()
        gstart = art.offsets[span.first] + span.start
        gend = art.offsets[span.last] + span.end
        para_first = art.paras[span.first]
        para_last = art.paras[span.last]
        same_para = previous is not None and previous.last == span.first
        floor = previous.end if same_para and previous is not None else 0

        speaker: tuple[str, str | None] | None = None
        attributed = False

        after = _clause_after(para_last, span.end) if span.closed else ""
        # `"...answer." Jane Roe said: "..."` introduces the next quote, not this one.
        after_attr = (
            bool(after.strip())
            and (_speech_verb_near_start(after) or bool(_ACCORDING_AFTER.match(after)))
            and not _COLON_END.search(after)
        )
        if not after_attr and _DASH_LEAD.match(after):
            # `"..." – Chief Constable Jane Roe.`: a byline-style attribution.
            found = art.mentions_between(gend, gend + len(after))
            if found and found[0].start - gend <= 40:
                attributed, speaker = True, art.resolve(found[0])
        if after_attr:
            attributed = True
            found = art.mentions_between(gend, gend + len(after))
            if found:
                speaker = art.resolve(found[0])
            elif (
                _PRONOUN.match(after)
                or re.search(r"\b(he|she|they)\b", after[:40], re.I)
                or re.match(r"^[\s,]*according\s+to\s+(?:him|her|them)\b", after, re.I)
            ):
                speaker = _antecedent(art, said, gstart)
            elif role_ref := _ROLE_REF.search(after[:60]):
                speaker = art.by_role(role_ref["role"], gstart)

        if not attributed:
            before = _clause_before(para_first, span.start, floor)
            lead_start = art.offsets[span.first] + span.start - len(before)
            if not before.strip() and span.start <= 1 and span.first > 0 and not same_para:
                prev_para = art.paras[span.first - 1]
                if _COLON_END.search(prev_para):
                    before = _clause_before(prev_para, len(prev_para), 0)
                    lead_start = art.offsets[span.first - 1] + len(prev_para) - len(before)
            if before.strip() and (
                _ends_with_speech(before) or _COLON_END.search(before) or _ACCORDING.search(before)
            ):
                attributed = True
                found = art.mentions_between(lead_start, lead_start + len(before))
                if found:
                    speaker = art.resolve(found[-1])
                elif _PRONOUN.match(before):
                    speaker = _antecedent(art, said, gstart)
                elif role_ref := _ROLE_REF.search(before):
                    speaker = art.by_role(role_ref["role"], gstart)

        if not attributed and said and said[-1][1]:
            # "...," said X. "..." -> the second half is X's; so is a paragraph that is
            # only a quote right after a paragraph quoting X.
            follows_paragraph = (
                previous is not None
                and not same_para
                and previous.last == span.first - 1
                and span.start == 0
            )
            if (same_para and previous_after_attr) or follows_paragraph:
                attributed, speaker = True, (said[-1][1], said[-1][2])
        if not attributed and _whole_paragraphs(span, art) and span.first > 0:
            # A paragraph that is only a quote, after a paragraph that introduces one
            # person and quotes nobody: the newspaper way of attributing by position.
            index = span.first - 1
            if not any(s.first <= index <= s.last for s in art.spans):
                lead = art.sole_person_in(index)
                if lead is not None:
                    attributed, speaker = True, lead

        words = len(body.split())
        if words < MIN_WORDS or grade_key(body) is not None:
            previous, previous_after_attr = span, False
            continue
        if not attributed and (span.single or span.start > 0 or words < 8):
            previous, previous_after_attr = span, False
            continue
        name, role = speaker if speaker else (None, None)
        out.append(QuoteMention(body, name, role, gstart))
        said.append((gstart, name, role))
        previous = span
        previous_after_attr = after_attr
    return out


def _whole_paragraphs(span: QuoteSpan, art: _Article) -> bool:
    """Whether a quote fills its paragraphs: opens the first and closes at the last's end."""
    return span.start == 0 and span.closed and span.end >= len(art.paras[span.last].rstrip())


def _antecedent(
    art: _Article, said: list[tuple[int, str | None, str | None]], before: int
) -> tuple[str, str | None] | None:
    """The person a pronoun points back to: the latest named or quoted before `before`."""
    last_named = art.last_named_before(before)
    last_said = next((s for s in reversed(said) if s[1] and s[0] < before), None)
    if last_said and (last_named is None or last_said[0] > last_named.start):
        return last_said[1] or "", last_said[2]
    if last_named is not None:
        return art.resolve(last_named)
    return None
