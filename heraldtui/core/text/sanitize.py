"""Turn untrusted feed and page text into plain, safe, normalised text.

Everything a feed or a web page gives us is hostile until it has been through here. The
method, in order:

1. Line ends become `\\n` (CR LF, lone CR, NEL, U+2028; U+2029 becomes a paragraph break).
2. Terminal escape sequences are removed whole, in their 7-bit form (ESC [ ... CSI,
   ESC ] ... OSC including OSC 8 hyperlinks and OSC 52 clipboard writes, ESC P/X/^/_ ...
   strings, two-byte ESC sequences) and their 8-bit C1 form (CSI U+009B, OSC U+009D, ...).
   An unterminated 7-bit string sequence swallows the rest of the text, as a terminal
   would; an unterminated 8-bit one loses only its introducer (step 3).
3. Whatever control remains goes: C0 except tab and newline, DEL, C1, lone surrogates,
   noncharacters, the soft hyphen and zero-width spaces that break word matching, and the
   bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) that can reorder
   what a reader sees ("Trojan Source"). The plain marks LRM/RLM/ALM stay: they cannot hide
   text. Unicode tag characters go too, except inside a flag emoji (the flag of England is
   built from them). So do the invisible fillers that let a title look empty or two titles
   look alike while they differ: the Hangul choseong/jungseong fillers, the combining
   grapheme joiner, the Khmer inherent vowels, the Mongolian free variation selectors, the
   deprecated format characters U+206A-U+206F and the musical formatting U+1D173-U+1D17A.
4. NFC, then every odd space (NBSP, thin, ideographic, tab, and the blank fillers that
   take a cell's width: the braille blank U+2800 and the Hangul fillers U+3164 and U+FFA0)
   becomes a plain space. A zero-width joiner or non-joiner goes unless it sits between two
   characters beyond ASCII: in English words it only breaks matching, while emoji sequences
   (and scripts that need it) keep it. Then runs of spaces inside a line collapse to one
   (leading indentation stays, Markdown nested lists need it), trailing spaces go, three
   or more newlines become a paragraph break.

Every step maps its own output to itself, so `clean_text(clean_text(s)) == clean_text(s)`;
a property test checks it on arbitrary strings.

Speed, because a cold refresh cleans tens of thousands of fields: text with none of the
characters steps 1-4 would touch (one regex search, plus a quick NFC check) only has its
spaces tidied.

Links get the same distrust: `safe_url` keeps only http(s) and mailto targets, made
absolute. HTML goes through `html_text` or `html_markdown` before the same cleaning.

`for_terminal` is for the other direction: a line about to be printed (a feed's name or a
server's reason in `heraldtui refresh`) with anything a terminal would obey or hide shown
as an escape (`\\u202e`) instead.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urljoin, urlsplit

__all__ = [
    "INVISIBLE_FILLERS",
    "clean_line",
    "clean_text",
    "for_terminal",
    "safe_url",
    "strip_controls",
]

# -- step 1: line ends ------------------------------------------------------------------

_LINE_ENDS = re.compile(r"\r\n?|[\x85\u2028]")

# -- step 2: escape sequences -----------------------------------------------------------

_ST = r"(?:\x1b\\|\x07|\x9c)"  # string terminator: ESC \, BEL (xterm), or 8-bit ST
_ESCAPES = re.compile(
    "|".join(
        (
            # CSI: parameters, intermediates, final byte (7-bit or 8-bit introducer).
            r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?",
            # OSC, DCS, SOS, PM, APC strings up to a terminator, or to the end when cut off
            # (a terminal would swallow the rest too, so nothing readable is lost).
            rf"\x1b[\]PX^_][\s\S]*?(?:{_ST}|\Z)",
            # Their 8-bit forms only when terminated on the same line: a lone C1 byte is
            # more often mis-decoded Windows-1252 than an attack, and it is dropped anyway.
            rf"[\x9d\x90\x98\x9e\x9f][^\n]*?{_ST}",
            # Any other escape: intermediates then a final byte (ESC ( B, ESC 7, ESC c, ...).
            r"\x1b[ -/]*[0-~]",
        )
    )
)

# -- step 3: characters that never survive ---------------------------------------------

# Printable (so `str.isprintable` passes them) yet invisible: the Hangul choseong and
# jungseong fillers, the combining grapheme joiner, the Khmer inherent vowels, the
# Mongolian free variation selectors.
_DROPPED_FILLERS = "\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f"
# Printable blanks a cell wide: the braille blank, the Hangul filler and its half width.
_BLANK_FILLERS = "\u2800\u3164\uffa0"
_PRINTABLE_FILLERS = re.compile(f"[{_DROPPED_FILLERS}{_BLANK_FILLERS}]")
INVISIBLE_FILLERS = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u2800\u3164\uffa0"
)
"""Every printable character that shows nothing: never allowed in a feed's name."""

_DROPPED = re.compile(
    "["
    "\x00-\x08\x0b-\x1f"  # C0 except tab and newline (CR already became \n)
    "\x7f-\x9f"  # DEL and C1
    "\xad"  # soft hyphen: invisible, splits words we search for
    "\u200b"  # zero-width space
    "\u202a-\u202e"  # bidi embeddings and overrides
    "\u2060-\u2064"  # word joiner, invisible math operators
    "\u2066-\u2069"  # bidi isolates
    "\u206a-\u206f"  # deprecated format characters (symmetric swapping, digit shapes)
    "\ufeff"  # BOM / zero-width no-break space
    "\ufdd0-\ufdef\ufff9-\ufffb\ufffe\uffff"  # annotation controls, noncharacters
    "\U0001d173-\U0001d17a"  # musical formatting: begin/end beam, tie, slur, phrase
    f"{_DROPPED_FILLERS}]"
)
_SURROGATES = re.compile("[\ud800-\udfff]")
_HAS_ESCAPES = re.compile("[\x1b\x90-\x9f]")
_HAS_ASTRAL_OR_SURROGATE = re.compile("[\ud800-\udfff\U000e0000-\U000e007f]")
# Tag characters hide text from readers (and smuggle prompts); keep them only where a flag
# emoji (U+1F3F4 followed by tags and CANCEL TAG) needs them.
_TAGS = re.compile("(\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f)|[\U000e0000-\U000e007f]")

# -- step 4: spaces ---------------------------------------------------------------------

# Tab too: Markdown indentation is spaces, and a tab in a terminal misaligns columns.
_ODD_SPACES = re.compile(f"[\t\x0c\xa0\u1680\u180e\u2000-\u200a\u202f\u205f\u3000{_BLANK_FILLERS}]")
# Joiners with ASCII, a space or an end beside them (whole runs): not in an emoji sequence.
_LOOSE_JOINERS = re.compile(
    r"(?:(?<=[\x00-\x7f\s])|^)[\u200c\u200d]+|[\u200c\u200d]+(?=[\x00-\x7f\s]|$)"
)
_SPACE_RUNS = re.compile(r"(?<=\S) {2,}")
_TRAILING_SPACES = re.compile(r" +$", re.MULTILINE)
_BLANK_RUNS = re.compile(r"\n{3,}")
_WHITESPACE = re.compile(r"\s+")


_PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\n"
"""The ASCII characters no step changes: the printable ones and the newline."""


def _strip_tags(match: re.Match[str]) -> str:
    return match.group(1) or ""


# Every character any step above would change: text without one (and already NFC) only
# needs its spaces tidied, which is most feed text, so the eight passes are skipped.
_ANY_ODD = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\xa0\xad\u1680\u180e\u2000-\u200d\u2028-\u202f"
    "\u205f-\u2064\u2066-\u206f\u3000\ufeff\ufdd0-\ufdef\ufff9-\ufffb\ufffe\uffff"
    "\ud800-\udfff\U000e0000-\U000e007f\U0001d173-\U0001d17a]"
)


def clean_text(s: str) -> str:
    """Untrusted text made safe to show in a terminal and stable to compare.

    Paragraph breaks (`\\n\\n`) and single line breaks survive; see the module docstring
    for everything that does not.
    """
    if not s:
        return ""
    # The odd characters of ASCII text are its controls but the newline, which deleting
    # every other byte finds at C speed; every odd character beyond ASCII is one
    # `str.isprintable` refuses (a control, a format character, a separator other than
    # the space, a surrogate, a noncharacter). So `_ANY_ODD` scans only text holding
    # something unprintable.
    if s.isascii():
        if not s.encode("ascii").translate(None, _PLAIN_ASCII):
            return _tidy_spaces(s)
    elif (
        (s.replace("\n", " ").isprintable() or _ANY_ODD.search(s) is None)
        and _PRINTABLE_FILLERS.search(s) is None
        and unicodedata.is_normalized("NFC", s)
    ):
        return _tidy_spaces(s)
    s = unicodedata.normalize("NFC", strip_controls(s))
    s = _ODD_SPACES.sub(" ", s)
    if "\u200c" in s or "\u200d" in s:
        joined = _LOOSE_JOINERS.sub("", s)
        if joined != s:  # a joiner no longer blocks what NFC composes across it
            s = unicodedata.normalize("NFC", joined)
    return _tidy_spaces(s)


def strip_controls(s: str) -> str:
    """Steps 1-3: line ends made `\\n`, escape sequences and invisible characters gone."""
    s = _LINE_ENDS.sub("\n", s).replace("\u2029", "\n\n")
    if _HAS_ESCAPES.search(s):
        s = _ESCAPES.sub("", s)
    s = _DROPPED.sub("", s)
    if _HAS_ASTRAL_OR_SURROGATE.search(s):
        s = _SURROGATES.sub("", s)
        s = _TAGS.sub(_strip_tags, s)
    return s


def _tidy_spaces(s: str) -> str:
    """Step 4 after the odd spaces are gone; each pass runs only if it has work to do."""
    if "  " in s:
        s = _SPACE_RUNS.sub(" ", s)
    if " \n" in s:
        s = _TRAILING_SPACES.sub("", s)
    if "\n\n\n" in s:
        s = _BLANK_RUNS.sub("\n\n", s)
    return s.strip()


def clean_line(s: str) -> str:
    """`clean_text` folded onto one line, for titles, names and authors."""
    return _WHITESPACE.sub(" ", clean_text(s)).strip()


_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
# Characters that end or break a Markdown link destination or an autolink.
_URL_ENCODE = str.maketrans(
    {" ": "%20", "(": "%28", ")": "%29", "<": "%3C", ">": "%3E", "\\": "%5C", "\n": "%0A"}
)


def safe_url(href: str | None, base_url: str | None = None) -> str | None:
    """`href` made absolute against `base_url`, or None unless it is http(s) or mailto.

    `javascript:`, `data:` and the like are refused rather than escaped: a link we cannot
    vouch for is shown as its text only.
    """
    if not href:
        return None
    href = _ODD_SPACES.sub(" ", _DROPPED.sub("", href)).strip()
    if not href:
        return None
    try:
        absolute = urljoin(base_url, href) if base_url else href
        scheme = urlsplit(absolute).scheme.lower()
    except ValueError:
        return None
    if scheme not in _LINK_SCHEMES:
        return None
    # Characters that end a Markdown link destination or an autolink are percent-encoded.
    return absolute.translate(_URL_ENCODE)


_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(ch: str) -> str:
    if ch in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[ch]
    code = ord(ch)
    return (
        f"\\x{code:02x}"
        if code < 0x100
        else f"\\u{code:04x}"
        if code < 0x10000
        else f"\\U{code:08x}"
    )


def for_terminal(text: str) -> str:
    """`text` safe to print as (part of) one line: every character `str.isprintable`
    refuses (controls, newlines, tabs, bidi controls and marks, zero-width characters,
    separators) and every invisible filler shown as a Python-style escape (`\\u202e`), so
    the terminal neither obeys nor hides it. Ordinary text comes back as it was."""
    if text.isprintable() and (text.isascii() or _PRINTABLE_FILLERS.search(text) is None):
        return text
    return "".join(
        ch if ch.isprintable() and ch not in INVISIBLE_FILLERS else _escaped(ch) for ch in text
    )
