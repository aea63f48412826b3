"""Text helpers shared by the extractors: Markdown to plain paragraphs, sentences, distances.

The extractors read an article's stored Markdown, but they reason about prose, so the
Markdown is first flattened to plain paragraphs: emphasis markers, headings, images and
escapes go; a link keeps its visible text (its address is collected separately by the
meeting extractor, which is the only one that wants it). Paragraphs are the blocks
separated by blank lines; lines inside a block (list items, `<br>` breaks, table rows)
stay separate lines because list and table grades are read line by line.

Every regular expression here is linear: no nested quantifiers over overlapping classes,
so hostile input cannot make them backtrack catastrophically.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_IMAGE = re.compile(r"!\[([^\]\n]{0,500})\]\([^)\s]{0,2000}(?:\s+\"[^\"\n]{0,300}\")?\)")
_LINK = re.compile(r"\[([^\]\n]{0,500})\]\(([^)\s]{0,2000})(?:\s+\"[^\"\n]{0,300}\")?\)")
_AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]{1,2000})>")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_EMPHASIS = re.compile(
    r"\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])|(?<![\w_])_(?=[^\s_])|(?<=[^\s_])_(?![\w_])"
)
"""`**`, `__`, and `*` or `_` opening or closing a word (CommonMark's flanking rule, near
enough): `_Name_` is emphasis, `snake_case` is not."""
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
"""A CommonMark backslash escape: a backslash before any ASCII punctuation."""
_HELD = re.compile("[\ue000-\ue07f]")
"""Private-use stand-ins for escaped characters while the Markdown passes run."""
_HEADING = re.compile(r"^#{1,6}[ \t]+", re.MULTILINE)
_QUOTE_BLOCK = re.compile(r"^>[ \t]?", re.MULTILINE)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")

ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "dr", "st", "supt", "insp", "sgt", "det", "cllr", "prof",
        "rev", "no", "nos", "vs", "etc", "approx", "dept", "gen", "lt", "col", "capt",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
        "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
        "a.m", "p.m", "inc", "ltd", "co",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Link:
    """A link found in the Markdown: its visible text and where it points."""

    text: str
    url: str


def plain_text(markdown: str) -> str:
    """Markdown flattened to plain text; paragraphs separated by one blank line."""
    # Each pass runs only when the text holds the characters it needs to match (a fast
    # scan): most paragraphs are plain prose that no pass would change.
    text = unicodedata.normalize("NFC", markdown or "")
    ascii_only = text.isascii()
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "<" in text:
        text = _BR.sub("\n", text)
    # Escaped characters are text, not markup: hold them aside so the passes below
    # cannot read `\*` as emphasis or `\[` as a link, and put them back at the end.
    if not ascii_only:
        text = _HELD.sub("", text)
    escaped = "\\" in text
    if escaped:
        text = _ESCAPE.sub(lambda m: chr(0xE000 + ord(m.group(1))), text)
    if "![" in text:
        text = _IMAGE.sub(lambda m: m.group(1), text)
    if "](" in text:
        text = _LINK.sub(lambda m: m.group(1), text)
    if "<" in text:
        text = _AUTOLINK.sub(lambda m: m.group(1), text)
    if "#" in text:
        text = _HEADING.sub("", text)
    if ">" in text:
        text = _QUOTE_BLOCK.sub("", text)
    if "*" in text or "_" in text:
        text = _EMPHASIS.sub("", text)
    if escaped:
        text = _HELD.sub(lambda m: chr(ord(m.group(0)) - 0xE000), text)
    if not ascii_only or "  " in text or "\t" in text:
        text = _SPACES.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def paragraphs(markdown: str) -> list[str]:
    """Plain paragraphs of a Markdown text, lines inside a block kept with `\\n`."""
    return [p for p in plain_text(markdown).split("\n\n") if p.strip()]


def links(markdown: str) -> list[tuple[int, Link]]:
    """Every link in the Markdown with its paragraph index, in order.

    Covers `[text](url)`, `<url>` and bare `http(s)://` addresses; a bare address loses
    the sentence punctuation glued to its end (`https://bit.ly/X.` -> `https://bit.ly/X`).
    Only web links count: a bracket or angle bracket after a backslash is feed text that
    merely looks like a link, and any target that is not http(s) is dropped.
    """
    found: list[tuple[int, Link]] = []
    blocks = [b for b in (markdown or "").replace("\r\n", "\n").split("\n\n") if b.strip()]
    for index, block in enumerate(blocks):
        spans: list[tuple[int, Link]] = []
        taken: list[tuple[int, int]] = []
        for m in _IMAGE.finditer(block):
            taken.append(m.span())
        for m in _LINK.finditer(block):
            if any(a <= m.start() < b for a, b in taken) or _escaped(block, m.start()):
                continue
            if _WEB.match(m.group(2)):
                spans.append((m.start(), Link(m.group(1).strip(), m.group(2))))
            taken.append(m.span())
        for m in _AUTOLINK.finditer(block):
            if _escaped(block, m.start()):
                continue  # text; a web address inside still counts as a bare one below
            if _WEB.match(m.group(1)):
                spans.append((m.start(), Link(m.group(1), m.group(1))))
            taken.append(m.span())
        for m in _BARE_URL.finditer(block):
            if any(a <= m.start() < b for a, b in taken):
                continue
            url = trim_url(m.group(0))
            spans.append((m.start(), Link(url, url)))
        found.extend((index, link) for _, link in sorted(spans, key=lambda s: s[0]))
    return found


_WEB = re.compile(r"https?://", re.IGNORECASE)


def _escaped(text: str, at: int) -> bool:
    """True when the character at `at` follows an odd run of backslashes (it is text)."""
    run = 0
    while at - run - 1 >= 0 and text[at - run - 1] == "\\":
        run += 1
    return run % 2 == 1


_BARE_URL = re.compile(r"https?://[^\s<>()\[\]\"“”]{1,2000}")


def trim_url(url: str) -> str:
    """A URL without the punctuation that ends the sentence around it."""
    url = url.rstrip(".,;:!?'’\"”)]*_")
    return url


_SENTENCE_END = re.compile(r"[.!?]+[\"”’']?(?=\s+[\"“‘'(]?[A-Z0-9])")


def sentences(paragraph: str) -> list[tuple[int, str]]:
    """Sentences of a paragraph with their start offsets.

    A full stop after a known abbreviation (`Mr.`, `Supt.`, `Nov.`) or a single capital
    (an initial) does not end a sentence; line breaks inside the paragraph always do.
    """
    out: list[tuple[int, str]] = []
    offset = 0
    for line in paragraph.split("\n"):
        start = 0
        for m in _SENTENCE_END.finditer(line):
            before = line[start : m.start()]
            word = before.rsplit(None, 1)[-1] if before.strip() else ""
            word = word.lstrip("\"“‘'(").lower()
            single_stop = m.group(0).startswith(".") and len(m.group(0).rstrip("\"”’'")) == 1
            if single_stop and (word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())):
                continue
            end = m.end()
            piece = line[start:end]
            if piece.strip():
                lead = len(piece) - len(piece.lstrip())
                out.append((offset + start + lead, piece.strip()))
            start = end
        piece = line[start:]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append((offset + start + lead, piece.strip()))
        offset += len(line) + 1
    return out


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, giving up (returning `limit + 1`) once it exceeds `limit`.

    Names and grade words are short, and the caller only asks "is it within 1 or 2?", so
    the cut-off keeps the cost flat whatever text the feeds send.
    """
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        best = i
        for j, cb in enumerate(b, 1):
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            current.append(value)
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous = current
    return min(previous[-1], limit + 1)


_FOLD_MARKS = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "‚": "'", "–": "-", "—": "-"}
)


def fold(text: str) -> str:
    """Case-, mark- and space-insensitive form of a text, for comparisons only."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD_MARKS)
    return _SPACES.sub(" ", text).strip().casefold()


def words(text: str) -> list[str]:
    """Lower-case words (letters and digits) of a text, punctuation dropped."""
    return re.findall(r"[0-9a-z]+", fold(text).replace("'", ""))
