"""Content codings undone a bounded step at a time, so a size cap holds for what they make.

httpx's own decoder inflates a whole network read at once: 64 KiB of zeros can become
64 MiB before anyone counts. Here each step yields at most `CHUNK` bytes, so the fetcher
counts the decompressed body as it grows and a gzip bomb costs at most one chunk beyond
its cap. gzip (every member of a multi-member body, RFC 1952) and deflate (zlib-wrapped as
RFC 9110 says, or raw as some servers send it) are read; any other coding is refused.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

from heraldtui.core.ingest.limits import CHUNK

__all__ = ["Inflater", "decoders", "flush", "pipe"]


class Inflater:
    """One content coding, inflated at most `CHUNK` bytes at a time."""

    def __init__(self, coding: str) -> None:
        self.coding = coding
        if coding in ("gzip", "x-gzip"):
            self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif coding == "deflate":
            # RFC 9110 says zlib-wrapped; some servers send raw deflate. Decide on first use.
            self._obj = zlib.decompressobj()
        else:
            raise ValueError(coding)
        self._first = coding == "deflate"

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self._first and data:
            self._first = False
            try:
                zlib.decompressobj().decompress(data[:64], 1)
            except zlib.error:
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
        pending = data
        while pending:
            out = self._obj.decompress(pending, CHUNK)
            pending = self._obj.unconsumed_tail
            if out:
                yield out
            if self._obj.eof:
                pending = self._obj.unused_data.lstrip(b"\x00")
                if not pending or self.coding == "deflate":
                    return
                # The next member of a multi-member gzip body (RFC 1952): keep inflating.
                self._obj = zlib.decompressobj(16 + zlib.MAX_WBITS)

    def flush(self) -> Iterator[bytes]:
        out = self._obj.flush()
        if out:
            yield out


def decoders(content_encoding: str | None) -> list[Inflater]:
    codings = [
        c.strip().lower()
        for c in (content_encoding or "").split(",")
        if c.strip() and c.strip().lower() != "identity"
    ]
    try:
        # Codings are listed in the order applied, so they come off in reverse.
        return [Inflater(c) for c in reversed(codings)]
    except ValueError as err:
        raise ValueError(f"the server used an unsupported compression ({err.args[0]})") from None


def pipe(decoders: list[Inflater], data: bytes) -> Iterator[bytes]:
    chunks: Iterator[bytes] = iter((data,))
    for decoder in decoders:
        chunks = _chain_feed(decoder, chunks)
    return chunks


def _chain_feed(decoder: Inflater, chunks: Iterator[bytes]) -> Iterator[bytes]:
    for chunk in chunks:
        yield from decoder.feed(chunk)


def flush(decoders: list[Inflater]) -> Iterator[bytes]:
    for i, decoder in enumerate(decoders):
        for tail in decoder.flush():
            yield from pipe(decoders[i + 1 :], tail)
