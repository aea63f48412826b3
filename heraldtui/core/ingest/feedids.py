"""What a feed's name and URL may be: the user's identifiers for a feed, checked in one place.

feeds.toml, `heraldtui feeds add` and an OPML import all end up here, so the three cannot
disagree, and nothing here raises anything but `ConfigError` (with a reason and no place:
the caller knows the file and the line).

A URL is an http(s) URL with a host, a `file://` URL or a path (resolved against the feeds
file's folder). `urllib.parse` raises `ValueError` on a malformed IPv6 address
(`http://[::1/a`) and, when asked for the port, on one past 65535: both are caught here and
said in words, so a bad URL costs one line, never a traceback. Whitespace, controls,
invisible formatting characters and invisible fillers are refused in URLs and names alike.

A name is shown everywhere (the feeds screen, `feeds list`, every `refresh` line), and
names are compared ignoring case and Unicode composition (`name_key`): "News" and "news"
would be indistinguishable in the UI. A name may not hold a control character, a bidi
control (embeddings, overrides, isolates and the LRM/RLM/ALM marks, which reorder or
disguise what the terminal shows), any other invisible formatting character, or an
invisible filler (Hangul fillers, the braille blank, ...): it is the user's identifier,
so it is refused rather than silently changed, and the refusal names the character by
its code point, never echoing it.
"""

from __future__ import annotations

import ipaddress
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from heraldtui.core.errors import ConfigError
from heraldtui.core.text.sanitize import INVISIBLE_FILLERS, clean_line

__all__ = ["checked_url", "clean_name", "name_key", "name_problem", "odd_character", "resolve_url"]

NOT_A_URL = "is not an http(s) URL, a file:// URL or a path"
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ODD_CATEGORIES = {
    "Cc": "a control character",
    "Cf": "an invisible formatting character",
    "Cs": "a lone surrogate",
    "Zl": "a line separator",
    "Zp": "a paragraph separator",
}
_EMOJI_JOINERS = frozenset("\u200c\u200d")


def odd_character(text: str) -> str | None:
    """Why the first character a name or URL may not hold is refused, naming it by code
    point (`U+202E, a bidi control`), or None when there is none.

    A zero-width joiner (or non-joiner) between two characters beyond ASCII is allowed:
    emoji sequences need it, and sanitize keeps it there too.
    """
    found = _odd_at(text)
    return found[1] if found else None


def _odd_at(text: str) -> tuple[int, str] | None:
    for index, ch in enumerate(text):
        if ch in _BIDI:
            kind = "a bidi control, which reorders the text shown around it"
        elif ch in INVISIBLE_FILLERS:
            kind = "an invisible filler"
        elif ch in _EMOJI_JOINERS and _between_non_ascii(text, index):
            continue
        else:
            category = unicodedata.category(ch)
            if category not in _ODD_CATEGORIES:
                continue
            kind = _ODD_CATEGORIES[category]
        return index, f"U+{ord(ch):04X} ({kind})"
    return None


def _between_non_ascii(text: str, index: int) -> bool:
    before = text[index - 1] if index else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return not (before.isascii() or before.isspace() or after.isascii() or after.isspace())


def name_problem(name: str) -> str | None:
    """Why `name` (already stripped) cannot be a feed's name, or None when it can."""
    if not name:
        return "is empty"
    odd = odd_character(name)
    return f"contains {odd}: remove it" if odd else None


def clean_name(text: str) -> str:
    """A name from elsewhere (an OPML outline's title) as one `name_problem` accepts:
    cleaned like any feed text, then without what that leaves and a name may not hold
    (the LRM/RLM/ALM marks); "" when nothing is left."""
    name = clean_line(text)
    while (found := _odd_at(name)) is not None:
        index = found[0]
        name = clean_line(name[:index] + name[index + 1 :])
    return name


def name_key(name: str) -> str:
    """How feed names are compared: case and Unicode composition ignored."""
    return unicodedata.normalize("NFC", name.strip()).casefold()


def checked_url(value: str, base: Path) -> str:
    """An absolute http(s) or file:// URL for a feed's `url`; `ConfigError(reason)` when
    it is not one (the reason follows the quoted URL: `url 'x' has no host`)."""
    value = value.strip()
    if not value or any(ch.isspace() for ch in value):
        raise ConfigError(NOT_A_URL if not value else "contains spaces (write them as %20)")
    odd = odd_character(value)
    if odd:
        raise ConfigError(f"contains {odd}")
    try:
        parts = urlsplit(value)
    except ValueError:  # "Invalid IPv6 URL": an unclosed or stray bracket
        raise ConfigError("has a malformed host: brackets are only for an IPv6 address") from None
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        if not parts.netloc or not parts.hostname:
            raise ConfigError(NOT_A_URL)
        if "[" in parts.netloc and not _valid_ipv6(parts.hostname):
            raise ConfigError(f"has a malformed IPv6 address ({parts.hostname})")
        try:
            port = parts.port
        except ValueError:
            raise ConfigError(
                "has an invalid port (ports are whole numbers from 1 to 65535)"
            ) from None
        if port == 0:
            raise ConfigError("has port 0 (ports are whole numbers from 1 to 65535)")
        return value
    if scheme == "file":
        if parts.netloc not in ("", "localhost") or not parts.path.startswith("/"):
            raise ConfigError(NOT_A_URL)
        return Path(parts.path).resolve().as_uri()
    if scheme and len(scheme) > 1:  # "c:" is a Windows drive, not a scheme
        raise ConfigError(NOT_A_URL)
    if "://" in value or value.startswith(("//", "htp:", "http:", "https:")):
        raise ConfigError(NOT_A_URL)
    return (base / Path(value).expanduser()).resolve().as_uri()


def _valid_ipv6(host: str) -> bool:
    try:
        ipaddress.IPv6Address(host)
    except ValueError:
        return False
    return True


def resolve_url(value: str, base: Path) -> str | None:
    """`checked_url`, or None when the value is not a URL a feed can have."""
    try:
        return checked_url(value, base)
    except ConfigError:
        return None
