"""Direct quotes in an article and who said them.

Quoted passages come from `read.quotespans.quote_spans` (curly or straight marks, quotes over
several paragraphs joined, single marks told apart from apostrophes). A passage is a
person's quote when it is attributed:

- after it, in the rest of its sentence: `...," said Jane Roe.`, `..." Jane Roe said.`,
  `...," she said.`, `...," Supt Roe told the meeting.`, `...," according to Jane Roe.`,
  `...," Wessex's police and crime commissioner (PCC), Jane Roe, said in a statement.`;
- before it, by a clause ending in a speech verb, a colon or a semicolon: `Jane Roe said:
  "..."`, `Jane Roe, the chair, said: "..."`, `He continued: "..."`, `Mr Roe added;`,
  `According to Jane Roe, "..."`, or a paragraph ending so just before a paragraph that
  opens with the quote (`Jane Roe said:`, `Jane Roe said,`, `Jane Roe said.`);
- inside reported speech: a passage of six words or more in a sentence whose speech verb
  has a person for its subject (`Jane Roe said the force had "made real progress on
  every one of its targets"`, `He said inspectors had "..."`) is that person's;
- by continuation: the second half of a quote broken by its attribution
  (`"...," said X. "..."`, two quotes) and a paragraph that is only a quote right after a
  paragraph quoting X are X's too (a photo caption between them does not break the run),
  and so is a quote paragraph after a paragraph that attributes unmarked words
  (`He added: The plan works.` then `"..."`);
- by position: a paragraph that is only a quote, after a paragraph that names one person
  as the subject of a sentence (or opens with "He"/"She" and names nobody) and quotes
  nobody, or followed by a line
  that is only a name and role (`PCC Jane Roe`, `— Jane Roe, Police and Crime
  Commissioner`).

A Markdown blockquote is a quote even without quotation marks when something attributes
it, usually its `<cite>` line (a line that only names a person and their role).

Who an attribution names is `facts.speakers`: the subject of its speech verb, with "he" and
"she" read back to the subject of the sentence before (agreeing in gender where the text
shows it, and nobody rather than a guess); organisations ("the report", "the force", "the
Federation", an outlet) are never speakers. Scare quotes are not quotes: a passage under
four words, or one that is only a grade word ('inadequate'), is skipped, and a
single-marked passage must be attributed. Reported speech without quotation marks is
never taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from heraldtui.core.facts.areas import grade_key
from heraldtui.core.facts.speakers import ROLE_REF, ROLE_WORDS, Speaker, Speakers, pronoun_gender
from heraldtui.core.read.article_text import ArticleText
from heraldtui.core.read.lexicon import ROLES, SPEECH_VERBS
from heraldtui.core.read.people import PersonMention
from heraldtui.core.read.quotespans import QuoteSpan
from heraldtui.core.text.prose import ABBREVIATIONS, plain_text

MIN_WORDS = 4
_REACH = 400
"""How far back from a quote its attribution clause is read (characters)."""
MIN_PARTIAL_WORDS = 6
"""A quoted passage inside reported speech shorter than this is a scare quote."""


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
_PRONOUN_NEAR = re.compile(r"\b(he|she|they)\b", re.IGNORECASE)
_ACCORDING_PRONOUN = re.compile(r"^[\s,]*according\s+to\s+(him|her|them)\b", re.IGNORECASE)
_COLON_END = re.compile(r"[:;]\s*$")
_LEAD_END = re.compile(
    rf"(?:[:;]|\b(?:{'|'.join(sorted(SPEECH_VERBS))})\s*[,.]?)\s*$", re.IGNORECASE
)
"""How a paragraph that introduces the next paragraph's quote ends: "said:", "added;",
"said,", "said."."""
_UNMARKED = re.compile(
    rf"^(?P<clause>[^:“”\"]{{0,160}}?\b(?:{'|'.join(sorted(SPEECH_VERBS))}))\s*:\s*[A-Z]",
    re.IGNORECASE,
)
"""A paragraph attributing words that lost their quotation marks: "He added: The plan ..."."""
_DASH_LEAD = re.compile(r"^[\s,]*[–—-]+\s")
_ACCORDING = re.compile(r"\baccording\s+to\b[^.!?]{0,120},\s*$", re.IGNORECASE)
_ACCORDING_AFTER = re.compile(r"^[\s,]*according\s+to\s", re.IGNORECASE)
"""`"...," according to HM Inspector Jane Roe.`: attributed after the quote."""
_BLOCKERS = re.compile(
    r"[;:]|,\s*(?:but|while|whereas|although|though)\b|\b(?:however|whereas)\b|"
    r",\s*(?:[a-z]+ed|found|finds|showed|shows|says|said)\b",
    re.IGNORECASE,
)
"""What ends a reported clause before a partial quote: the quote then belongs to another
clause ("X said Y, but inspectors found "..."", "The report, which X said was fair,
found "..."")."""
_WORD = re.compile(r"[A-Za-z]+")
_CAPTION_WORDS = 20


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
    """The sentence (or clause after an earlier quote) that leads up to an opening mark.

    A stop followed by a lower-case word does not end the sentence: "Jane Roe, HM
    inspector of constabulary. said:" is one clause."""
    seg = para[floor:i]
    start = 0
    for m in re.finditer(r"[.!?][\"”’']?\s+(?=\W*[A-Z0-9“\"‘])", seg):
        before = seg[: m.start()].rsplit(None, 1)
        word = before[-1].lower() if before else ""
        if word in ABBREVIATIONS:
            continue
        start = m.end()
    return seg[start:]


_SUBJECT_WORDS = frozenset(w for role in ROLES for w in role.split()) | frozenset(
    {"the", "a", "an", "of", "and", "for", "his", "her", "their", "its", "he", "she",
     "they", "force", "county", "new", "former", "then", "also", "later", "has", "had"}
)  # fmt: skip
"""Lower-case words that may stand between a quote and its speech verb: a pronoun, role
words, determiners, possessives ('," the county's police and crime commissioner, Jane
Roe, said')."""


def _attribution_follows(seg: str, words: int) -> bool:
    """Whether the words after a closing mark attribute the quote: a speech verb within
    `words` words, with nothing before it but its subject ('," Jane Roe, the chair, said'),
    not a sentence that goes on ('" in the plan, but acknowledged ...')."""
    for word in _POSSESSIVE_WORD.findall(seg)[:words]:
        if word.lower() in SPEECH_VERBS:
            return True
        possessive = word.endswith(("'s", "’s"))
        if not word[:1].isupper() and word not in _SUBJECT_WORDS and not possessive:
            return False
    return False


_POSSESSIVE_WORD = re.compile(r"[A-Za-z]+(?:['’]s\b)?")


def _ends_with_speech(seg: str) -> bool:
    stripped = seg.rstrip(" \t,:;—–-")
    if not stripped:
        return False
    tail = _WORD.findall(stripped[-40:])
    return bool(tail) and tail[-1].lower() in SPEECH_VERBS


def _caption_like(para: str) -> bool:
    """A short line without quotation marks or a speech verb: a photo caption."""
    return (
        len(para.split()) <= _CAPTION_WORDS
        and not any(m in para for m in '"“”‘')
        and not any(w.lower() in SPEECH_VERBS for w in _WORD.findall(para))
    )


def _signature(line: str, found: list[PersonMention]) -> PersonMention | None:
    """The person a line only names, with their role ("PCC Jane Roe", "— Jane Roe,
    Police and Crime Commissioner for Wessex"): a byline or a `<cite>` under a quote."""
    if len(found) != 1 or len(line.split()) > 12:
        return None
    rest = ROLE_WORDS.sub(" ", line.replace(found[0].name, " ", 1))
    words = _WORD.findall(rest)
    if any(w[:1].islower() and w not in ("for", "of", "the", "and") for w in words):
        return None
    return found[0]


def _blockquotes(text: ArticleText) -> list[tuple[int, int]]:
    """The paragraphs (first, last index) each Markdown blockquote became in the plain
    text: a blockquote is a quote even without quotation marks."""
    markdown = text.markdown
    if not markdown.startswith(">") and "\n>" not in markdown:
        return []
    runs: list[list[str]] = []
    run: list[str] = []
    for line in markdown.replace("\r\n", "\n").split("\n"):
        if line.startswith(">"):
            run.append(line[1:].lstrip())
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    out: list[tuple[int, int]] = []
    paras = text.paragraphs
    at = 0
    for lines in runs:
        wanted = [p for p in plain_text("\n".join(lines)).split("\n\n") if p.strip()]
        if not wanted:
            continue
        for index in range(at, len(paras) - len(wanted) + 1):
            if list(paras[index : index + len(wanted)]) == wanted:
                out.append((index, index + len(wanted) - 1))
                at = index + len(wanted)
                break
    return out


class _Finder:
    """Attribution of one article's quotes, in order (see the module docstring)."""

    def __init__(self, text: ArticleText) -> None:
        self._cite_offsets: dict[int, int] = {}
        """id of a blockquote's span -> where its `<cite>` line starts."""
        spans = list(text.spans) + self._blockquote_spans(text)
        spans.sort(key=lambda s: (s.first, s.start))
        self.art = Speakers(text, spans)
        self.out: list[QuoteMention] = []
        self.previous: QuoteSpan | None = None
        self.previous_after = False
        self.previous_speaker: Speaker | None = None
        self.quoted_paras = {i for s in self.art.spans for i in range(s.first, s.last + 1)}

    def _blockquote_spans(self, text: ArticleText) -> list[QuoteSpan]:
        """A quote for each blockquote written without quotation marks, less its `<cite>`
        line; it must be attributed (by that line or as any quote), so it is built as a
        span that needs attribution."""
        spans: list[QuoteSpan] = []
        paras = text.paragraphs
        for first, last in _blockquotes(text):
            if any(s.first <= last and s.last >= first for s in text.spans):
                continue
            pieces = list(paras[first : last + 1])
            cite_at: int | None = None
            lines = pieces[-1].split("\n")
            if len(lines) > 1 or len(pieces) > 1:
                cite = lines[-1]
                offset = text.offsets[last] + len(pieces[-1]) - len(cite)
                found = [p for p in text.people if offset <= p.start < offset + len(cite)]
                if _signature(cite, found) is not None:
                    cite_at = offset
                    if len(lines) > 1:
                        pieces[-1] = "\n".join(lines[:-1])
                    else:
                        pieces.pop()
                        last -= 1
            if not pieces or last < first:
                continue
            end = len(pieces[-1]) if pieces[-1] != paras[last] else len(paras[last])
            span = QuoteSpan(first, 0, last, end, tuple(pieces), True, True)
            spans.append(span)
            if cite_at is not None:
                self._cite_offsets[id(span)] = cite_at
        return spans

    def run(self) -> list[QuoteMention]:
        for span in self.art.spans:
            self.visit(span)
        return self.out

    def visit(self, span: QuoteSpan) -> None:
        art = self.art
        body = span.text.strip().rstrip(",;").strip()
        gstart = art.offsets[span.first] + span.start
        previous = self.previous
        same_para = previous is not None and previous.last == span.first

        attributed, speaker, after_attr = self.after(span)
        if id(span) in self._cite_offsets:
            at = self._cite_offsets[id(span)]
            found = [p for p in art.people if at <= p.start < at + 200][:1]
            if found:
                attributed, speaker = True, art.resolve(found[0])
        partial = False
        if not attributed:
            attributed, speaker = self.before(span, same_para)
        if not attributed and (span.start > 0 or not self._opens_sentence(gstart)):
            attributed, speaker = self.reported(gstart)
            partial = attributed
        if not attributed:
            attributed, speaker = self.continuation(span, same_para)
        if not attributed:
            attributed, speaker = self.by_position(span)

        words = len(body.split())
        skip = (
            words < MIN_WORDS
            or grade_key(body) is not None
            or (partial and words < MIN_PARTIAL_WORDS)
            or (not attributed and (span.single or span.start > 0 or words < 8))
        )
        if skip:
            self.previous, self.previous_after = span, False
            return
        name, role = speaker if speaker else (None, None)
        self.out.append(QuoteMention(body, name, role, gstart))
        art.add_said(gstart, name, role)
        self.previous, self.previous_after = span, after_attr
        self.previous_speaker = speaker

    # ------------------------------------------------------------ where the attribution is

    def after(self, span: QuoteSpan) -> tuple[bool, Speaker | None, bool]:
        """An attribution after the quote, in the rest of its sentence."""
        art = self.art
        if not span.closed:
            return False, None, False
        para = art.paras[span.last]
        gstart = art.offsets[span.first] + span.start
        gend = art.offsets[span.last] + span.end
        after = _clause_after(para, span.end)
        if not after.strip():
            return False, None, False
        # A quote that ends its own sentence is followed by a new one: only a short
        # attribution counts ("..." Jane Roe said.), not a sentence that merely names someone.
        new_sentence = para[span.end - 2 : span.end - 1] in (".", "!", "?")
        window = 7 if new_sentence else 12
        attr = (
            _attribution_follows(after, window) or bool(_ACCORDING_AFTER.match(after))
        ) and not _COLON_END.search(after)
        if not attr:
            if _DASH_LEAD.match(after):
                # `"..." – Chief Constable Jane Roe.`: a byline-style attribution.
                found = art.mentions_between(gend, gend + len(after))
                if found and found[0].start - gend <= 40:
                    return True, art.resolve(found[0]), False
            return False, None, False
        found = art.mentions_between(gend, gend + len(after))
        if found:
            return True, art.resolve(found[0]), True
        pronoun = (
            _PRONOUN.match(after)
            or _PRONOUN_NEAR.search(after[:40])
            or _ACCORDING_PRONOUN.match(after)
        )
        if pronoun:
            word = pronoun.group(1).lower()
            _, gender = pronoun_gender({"him": "he", "her": "she"}.get(word, word))
            return True, art.antecedent(gstart, gender) if gender else None, True
        if role_ref := ROLE_REF.search(after[:60]):
            return True, art.by_role(role_ref["role"], gstart), True
        return True, None, True

    def before(self, span: QuoteSpan, same_para: bool) -> tuple[bool, Speaker | None]:
        """An attribution leading up to the quote: its clause, or the paragraph before."""
        art = self.art
        previous = self.previous
        floor = previous.end if same_para and previous is not None else 0
        para = art.paras[span.first]
        before = _clause_before(para, span.start, floor)
        lead_end = art.offsets[span.first] + span.start
        if not before.strip() and span.start <= 1 and span.first > 0 and not same_para:
            prev_para = art.paras[span.first - 1]
            if _LEAD_END.search(prev_para) and not self._has_span(span.first - 1):
                before = _clause_before(prev_para, len(prev_para), 0)
                lead_end = art.offsets[span.first - 1] + len(prev_para)
        clause = before.rstrip()
        if not clause.strip() or not (
            _ends_with_speech(clause)
            or _COLON_END.search(clause)
            or _ACCORDING.search(before)
            or (lead_end != art.offsets[span.first] + span.start and _LEAD_END.search(clause))
        ):
            return False, None
        lead_start = lead_end - len(before.lstrip())
        sentence_start = art.sentences[art.sentence_at(lead_start)][0]
        verb_end, speaker = art.subject(max(sentence_start, lead_start - _REACH), lead_end)
        if verb_end is None:
            # "According to Jane Roe, ...", "Jane Roe: ...": no verb, the name says it.
            found = art.mentions_between(lead_start, lead_end)
            return True, art.resolve(found[-1]) if found else None
        return True, speaker

    def reported(self, gstart: int) -> tuple[bool, Speaker | None]:
        """A partial quote inside reported speech: the subject of the sentence's speech
        verb, when it is a person and nothing closes the reported clause first."""
        art = self.art
        sentence_start = art.sentences[art.sentence_at(gstart)][0]
        if sentence_start >= gstart:
            return False, None
        verb_end, speaker = art.subject(max(sentence_start, gstart - _REACH), gstart)
        if verb_end is None or speaker is None:
            return False, None
        if _BLOCKERS.search(art.unquoted(verb_end, gstart)):
            return False, None
        return True, speaker

    def continuation(self, span: QuoteSpan, same_para: bool) -> tuple[bool, Speaker | None]:
        """The second half of a broken quote, or the next quote paragraph, is the same
        person's; so is a quote paragraph after unmarked words attributed to someone."""
        art = self.art
        previous = self.previous
        speaker = self.previous_speaker
        if previous is not None and speaker and self.out and self.out[-1].speaker:
            if same_para and self.previous_after:
                return True, speaker
            if span.start == 0 and not same_para:
                gap = span.first - previous.last
                if gap == 1:
                    return True, speaker
                caption = art.paras[span.first - 1]
                named = {
                    art.resolve(p) for p in art.mentions_between(*self._para_bounds(span.first - 1))
                }
                if gap == 2 and _caption_like(caption) and named <= {speaker}:
                    return True, speaker
        if span.start == 0 and span.first > 0 and not self._has_span(span.first - 1):
            prev_para = art.paras[span.first - 1]
            m = _UNMARKED.match(prev_para)
            if m:
                a = art.offsets[span.first - 1]
                verb_end, who = art.subject(a, a + m.end("clause"))
                if verb_end is not None and who:
                    return True, who
        return False, None

    def by_position(self, span: QuoteSpan) -> tuple[bool, Speaker | None]:
        """A paragraph that is only a quote, after a paragraph that introduces one person
        and quotes nobody, or followed by a line that is only that person's name."""
        art = self.art
        if span.start != 0 or not self._whole_paragraphs(span):
            return False, None
        nxt = span.last + 1
        if nxt < len(art.paras) and not self._has_span(nxt):
            signed = _signature(art.paras[nxt], art.mentions_between(*self._para_bounds(nxt)))
            if signed is not None:
                return True, art.resolve(signed)
        if span.first > 0 and not self._has_span(span.first - 1):
            a, b = self._para_bounds(span.first - 1)
            lead = art.sole_person_in(a, b)
            if lead is not None and art.subject_named(a, b):
                return True, lead
            pronoun = _PRONOUN.match(art.paras[span.first - 1])
            _, gender = pronoun_gender(pronoun.group(1)) if pronoun else (False, None)
            if gender and not art.mentions_between(a, b):
                # "He highlighted the challenges ..." then a quote paragraph: his words.
                who = art.antecedent(a, gender)
                if who is not None:
                    return True, who
        return False, None

    # ------------------------------------------------------------ helpers

    def _para_bounds(self, index: int) -> tuple[int, int]:
        start = self.art.offsets[index]
        return start, start + len(self.art.paras[index])

    def _has_span(self, index: int) -> bool:
        return index in self.quoted_paras

    def _whole_paragraphs(self, span: QuoteSpan) -> bool:
        """Whether a quote fills its paragraphs: opens the first and closes at the last's end
        (or is left open, which runs to the end by construction)."""
        return not span.closed or span.end >= len(self.art.paras[span.last].rstrip())

    def _opens_sentence(self, gstart: int) -> bool:
        art = self.art
        return art.sentences[art.sentence_at(gstart)][0] >= gstart


def find_quotes(text: ArticleText) -> list[QuoteMention]:
    """Direct quotes of people in an article, in order (see module docstring)."""
    return _Finder(text).run()
