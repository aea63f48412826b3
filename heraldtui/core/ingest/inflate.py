"""Body size limits and gzip, shared by the fetcher and the parser (which parse workers
import alone: nothing here may import httpx)."""

from __future__ import annotations

import zlib
from collections.abc import Iterator

__all__ = ["CHUNK", "MAX_BODY_BYTES", "gunzip_members", "size_text"]

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
