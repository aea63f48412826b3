"""The agenda's first look at an article: could it state a public meeting at all?

Reading an article's meetings (`meetings.find_meetings`) costs about a millisecond; the
agenda runs over every stored article, most of which name no meeting. Every meeting the
reader finds is anchored on a sentence (or the headline) that names one with a meeting
word (`meetings.names_a_meeting`), so an article where no such word appears, however the
Markdown spells it, can state none; that test is a regex, nearly a hundred times cheaper.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from heraldtui.core.read.lexicon import MEETING_NOUNS, PUBLIC_EVENT_PHRASES

_IN_PUBLIC_ONLY = frozenset({"hearing"})
"""Meeting nouns the reader takes only with "public" beside them (`meetings._IN_PUBLIC`)."""


def _loose(nouns: Iterable[str]) -> re.Pattern[str]:
    """Any of `nouns` in lower-cased Markdown as stored (emphasis, escapes and `&amp;`
    between a phrase's words), not after a letter or digit, with no end boundary."""
    spelt = (r"(?:[\W_]|amp;)*".join(re.findall(r"[a-z0-9]+", noun)) for noun in nouns)
    return re.compile(r"(?<![^\W_])(?:" + "|".join(spelt) + ")")


_MAY_NAME = _loose(
    [n for n in MEETING_NOUNS if n not in _IN_PUBLIC_ONLY] + list(PUBLIC_EVENT_PHRASES)
)
"""Every other word a meeting can be named with (`meetings._KEYWORD`, `_PUBLIC_EVENT`):
looser than the reader, never stricter. One look-behind and no IGNORECASE keep it at
about 15 µs for a 700-character article (twenty times less than the plain alternation)."""
_MAY_NAME_IN_PUBLIC = _loose(_IN_PUBLIC_ONLY)


def may_name_meeting(title: str, text: str) -> bool:
    """Whether an article could state a meeting at all: a cheap test on its headline and
    stored Markdown, before reading it, so the agenda reads only the articles that can.

    See the module docstring; a "hearing" counts only in a text that says "public" (a
    court's hearing, the commonest, names no meeting). `tests/facts/test_meetings.py`
    checks it never says no to an article that `find_meetings` reads a meeting from.
    """
    for part in (title.lower(), text.lower()):
        if _MAY_NAME.search(part) or ("public" in part and _MAY_NAME_IN_PUBLIC.search(part)):
            return True
    return False
