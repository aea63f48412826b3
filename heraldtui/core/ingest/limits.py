"""What one feed, page or article may cost, and gzip, shared by the fetcher and the parser
(which parse workers import alone: nothing here may import httpx)."""

from __future__ import annotations

import zlib
from collections.abc import Iterator

__all__ = [
    "CHUNK",
    "MAX_ARTICLE_CHARS",
    "MAX_BODY_BYTES",
    "MAX_ITEMS_LIMIT",
    "MAX_ITEMS_PER_FEED",
    "cap_text",
    "gunzip_members",
    "size_text",
]

CHUNK = 64 * 1024
"""Bytes inflated at a time: a bomb is stopped within one chunk of the limit."""

MAX_BODY_BYTES = 10 * 1024 * 1024
"""The most a feed or page may hold once decompressed, however it came compressed."""


def gunzip_members(data: bytes, limit: int) -> Iterator[bytes]:
    """Every member of a gzip stream (RFC 1952 allows several, one after another), at
    most `limit` bytes in all (raises `ValueError` past it, `zlib.error` when corrupt)."""
    total = 0
    while data:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        pending = data
        while pending:
            out = inflater.decompress(pending, CHUNK)
            total += len(out)
            if total > limit:
                raise ValueError(f"larger than {size_text(limit)} once decompressed")
            yield out
            pending = inflater.unconsumed_tail
            if inflater.eof:
                break
        if not inflater.eof:
            raise zlib.error("truncated gzip member")
        data = inflater.unused_data.lstrip(b"\x00")  # some writers pad between members


def size_text(n: int) -> str:
    """A byte count as a person would write the limit: "10 MB", "512 KB", "300 bytes"."""
    if n >= 1024 * 1024 and n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MB"
    if n >= 1024 and n % 1024 == 0:
        return f"{n // 1024} KB"
    return f"{n} bytes"


MAX_ITEMS_PER_FEED = 500
"""Items one refresh takes from one feed, newest first, unless its `max_items` says
otherwise: a feed of 100,000 items took minutes to store and stalled every other feed."""
MAX_ITEMS_LIMIT = 100_000
"""The largest `max_items` a feeds file may set."""

MAX_ARTICLE_CHARS = 200_000
"""Text kept per article (its content, its summary): a 9 MB article made every key in the
reader take seconds, and no report runs past a few tens of thousands of characters."""


def cap_text(text: str, limit: int = MAX_ARTICLE_CHARS) -> str:
    """`text` cut to `limit` characters at a paragraph break, with a note saying so."""
    if len(text) <= limit:
        return text
    cut = text.rfind("\n\n", limit // 2, limit)
    kept = text[: cut if cut != -1 else limit].rstrip()
    dropped = size_text_approx(len(text) - len(kept))
    note = (
        f"[heraldtui kept the first {limit // 1000:,} thousand characters of this article; "
        f"the rest ({dropped}) was cut.]"
    )
    return f"{kept}\n\n{note}"


def size_text_approx(chars: int) -> str:
    """A character count as a rough size: "9.1 million characters", "12 thousand characters"."""
    if chars >= 1_000_000:
        return f"{chars / 1_000_000:.1f} million characters"
    return f"{max(1, round(chars / 1000))} thousand characters"
