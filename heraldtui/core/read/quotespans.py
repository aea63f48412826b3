"""Quoted passages of a text: where each quote opens and closes, over paragraphs.

Double marks (curly or straight) are paired first; single marks, which are also the
apostrophe, are paired after them and more strictly (`quote_spans`). The spans are what
the quote finder attributes and what the grade reader masks: a person's quoted words are
never read as the inspectorate's grades.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from heraldtui.core.read.lexicon import SPEECH_VERBS


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A passage between quotation marks, possibly over several paragraphs.

    `first`/`last` are paragraph indexes; `start` is the offset of the opening mark in
    the first paragraph and `end` the offset just past the closing mark (or the end of
    the paragraph when the mark is missing) in the last one. `pieces` are the quoted
    texts of each paragraph, marks removed.
    """

    first: int
    start: int
    last: int
    end: int
    pieces: tuple[str, ...]
    closed: bool
    single: bool

    @property
    def text(self) -> str:
        return "\n\n".join(self.pieces)


_DOUBLE_OPEN = "“„"
_DOUBLE_CLOSE = "”"
_SINGLE_OPEN = "‘"
_SINGLE_CLOSE = "’"
_BEFORE_OPEN = " \t\n([{—–-/"
_AFTER_CLOSE = " \t\n,.;:!?)]}—–-/"


def _is_open(text: str, i: int, curly: str, straight: str) -> bool:
    ch = text[i]
    prev = text[i - 1] if i else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if ch in curly:
        return not nxt.isspace()
    if ch in _DOUBLE_CLOSE and curly == _DOUBLE_OPEN and prev in " \t\n:(" and nxt.isalpha():
        # `added: ”We are ...`: a closing mark typed where the opening one belongs.
        return True
    if ch != straight or nxt.isspace():
        return False
    # `...said in a statement."Her ...`: a quote glued to the sentence before it.
    return prev in _BEFORE_OPEN or (prev in ".!?" and nxt.isupper() and straight == '"')


def _is_close(text: str, i: int, curly: str, straight: str) -> bool:
    ch = text[i]
    prev = text[i - 1] if i else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    if ch != straight and ch not in curly:
        return False
    return not prev.isspace() and nxt in _AFTER_CLOSE


_AFTER_A_QUOTE = frozenset(
    """that which who and but or in on at to for from with by as is was are were has have
    had will would the a an""".split()
)
"""Words that follow a closing mark, never a plural possessive ("changes’ that ...")."""


def _single_close_is_apostrophe(text: str, i: int) -> bool:
    """`s'` followed by a lower-case word that is not a speech verb or a word that only
    follows a clause (`that`, `and`, `in`): a plural possessive."""
    if i == 0 or text[i - 1] not in "sS":
        return False
    rest = text[i + 1 : i + 16]
    m = re.match(r" ([a-z]+)", rest)
    return m is not None and m.group(1) not in SPEECH_VERBS | _AFTER_A_QUOTE


_CAPTION_WORDS = 20
"""The longest paragraph read as a photo caption inside a quote."""


def _caption_between(paras: list[str], index: int, opens: str, straight: str) -> bool:
    """Whether a paragraph is a photo caption or a subheading that interrupts a quote still
    open before it: short, no double quotation marks (a subheading may quote a phrase in
    single marks) and no speech verb, and the next paragraph reopens the quote without an
    attribution of its own (which would make it somebody's new quote)."""
    if index + 1 >= len(paras):
        return False
    para, nxt = paras[index], paras[index + 1]
    if not (nxt[:1] in opens or nxt[:1] == straight):
        return False
    if len(para.split()) > _CAPTION_WORDS or any(m in para for m in '"“”„'):
        return False
    if any(w.lower() in SPEECH_VERBS for w in re.findall(r"[A-Za-z]+", para)):
        return False
    closing = max(nxt.rfind("”"), nxt.rfind('"', 1))
    tail = re.findall(r"[A-Za-z]+", nxt[closing + 1 :]) if closing > 0 else []
    return not any(w.lower() in SPEECH_VERBS for w in tail)


def quote_spans(paras: list[str]) -> list[QuoteSpan]:
    """Quoted passages of a text given as plain paragraphs.

    Double marks (curly or straight) are paired first; a quote left open at the end of a
    paragraph continues when the next paragraph opens with a mark (the newspaper
    convention for quotes over several paragraphs), and otherwise ends there (a photo
    caption between the two paragraphs does not end it). A straight mark glued to the end
    of a sentence opens a quote when a capital follows (`statement."Her`). Single marks
    are then paired outside the double-quoted passages, more strictly, because the same
    character is the apostrophe: an opening mark must start a word, a closing one must
    end one, and `s'` before an ordinary word is taken as a possessive.
    """
    spans = _scan(paras, _DOUBLE_OPEN, _DOUBLE_CLOSE, '"', single=False, blocked=None)
    blocked: dict[int, list[tuple[int, int]]] = {}
    for span in spans:
        for index in range(span.first, span.last + 1):
            a = span.start if index == span.first else 0
            b = span.end if index == span.last else len(paras[index])
            blocked.setdefault(index, []).append((a, b))
    singles = _scan(paras, _SINGLE_OPEN, _SINGLE_CLOSE, "'", single=True, blocked=blocked)
    return sorted(spans + singles, key=lambda s: (s.first, s.start))


@cache
def _marks(chars: str) -> re.Pattern[str]:
    """Any of `chars`: the scan jumps from mark to mark (a fast search), not character by
    character."""
    return re.compile(f"[{re.escape(chars)}]")


def _scan(
    paras: list[str],
    opens: str,
    closes: str,
    straight: str,
    *,
    single: bool,
    blocked: dict[int, list[tuple[int, int]]] | None,
) -> list[QuoteSpan]:
    spans: list[QuoteSpan] = []
    marks = _marks(opens + closes + straight)
    # The quote currently open: (first paragraph, start offset, pieces so far).
    current: tuple[int, int, list[str]] | None = None
    piece_start = 0
    for index, para in enumerate(paras):
        regions = blocked.get(index, []) if blocked else []
        if current is not None:
            lead = para[:1]
            if lead in opens or lead == straight:
                piece_start = 1
            elif _caption_between(paras, index, opens, straight):
                continue
            else:
                first, start, pieces = current
                spans.append(
                    QuoteSpan(first, start, index - 1, len(paras[index - 1]),
                              tuple(pieces), False, single)
                )  # fmt: skip
                current = None
        i = piece_start if current is not None else 0
        while (mark := marks.search(para, i)) is not None:
            i = mark.start()
            ch = para[i]
            if regions and any(a <= i < b for a, b in regions):
                i += 1
                continue
            if current is None:
                if _is_open(para, i, opens, straight):
                    current = (index, i, [])
                    piece_start = i + 1
            elif (ch in closes or ch == straight or not para[i + 1 : i + 2].strip()) and _is_close(
                para, i, closes + opens, straight
            ):
                if single and _single_close_is_apostrophe(para, i):
                    i += 1
                    continue
                first, start, pieces = current
                pieces.append(para[piece_start:i].strip())
                spans.append(QuoteSpan(first, start, index, i + 1, tuple(pieces), True, single))
                current = None
            i += 1
        if current is not None:
            current[2].append(para[piece_start:].strip())
    if current is not None:
        first, start, pieces = current
        last = len(paras) - 1
        spans.append(QuoteSpan(first, start, last, len(paras[last]), tuple(pieces), False, single))
    return [s for s in spans if any(p for p in s.pieces)]
