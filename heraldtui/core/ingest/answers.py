"""What a server's answer says, and what a failed request is called, in the user's words.

Kept apart from `fetch.py`, which does the fetching: Retry-After read as a bounded time,
the address that answered, and one line for a failed connection or a bad status.
"""

from __future__ import annotations

import email.utils
import errno
import socket
import ssl
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http import HTTPStatus

from heraldtui.core.ingest.transport import PEER
from heraldtui.core.ingest.web import httpx

__all__ = [
    "MAX_RETRY_AFTER",
    "ascii_digits",
    "connect_reason",
    "parse_retry_after",
    "peer_address",
    "root_causes",
    "status_reason",
]


MAX_RETRY_AFTER = timedelta(hours=24)
"""The longest a Retry-After silences a feed: `Fri, 31 Dec 9999` must not do it for ever."""


def ascii_digits(value: str) -> bool:
    """Only 0-9: str.isdigit() also accepts "²" and "٣", which int() then refuses."""
    return value.isascii() and value.isdigit()


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> datetime | None:
    """Retry-After (delay in seconds or an HTTP date) as an aware UTC time, at most
    MAX_RETRY_AFTER away, or None when it cannot be read."""
    if not value:
        return None
    value = value.strip()
    now = now or datetime.now(UTC)
    if ascii_digits(value):
        # Compared as a number first: timedelta overflows past 999,999,999 days.
        seconds = min(int(value), int(MAX_RETRY_AFTER.total_seconds()))
        return now + timedelta(seconds=seconds)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return min(when.astimezone(UTC), now + MAX_RETRY_AFTER)


def root_causes(err: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    todo: list[BaseException] = [err]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for nxt in (current.__cause__, current.__context__):
            if nxt is not None:
                todo.append(nxt)
        if isinstance(current, BaseExceptionGroup):
            todo.extend(current.exceptions)


def connect_reason(err: BaseException, host: str) -> str:
    for cause in root_causes(err):
        if isinstance(cause, socket.gaierror):
            return f"could not find the server {host!r} (DNS lookup failed)"
        if isinstance(cause, UnicodeError):
            return f"{host!r} is not a valid host name"
        if isinstance(cause, ssl.SSLCertVerificationError):
            return f"the TLS certificate of {host!r} is not valid ({cause.verify_message})"
        if isinstance(cause, ssl.SSLError):
            return f"TLS handshake with {host!r} failed"
        if isinstance(cause, ConnectionRefusedError) or (
            isinstance(cause, OSError) and cause.errno == errno.ECONNREFUSED
        ):
            return "connection refused"
        if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return f"the server {host!r} is unreachable"
    text = str(err).lower()
    # asyncio words every address failing as "Multiple exceptions: [Errno 111] ..."
    if "refused" in text or f"[errno {errno.ECONNREFUSED}]" in text:
        return "connection refused"
    if "name or service not known" in text or "nodename nor servname" in text:
        return f"could not find the server {host!r} (DNS lookup failed)"
    return f"could not connect to {host!r}"


def peer_address(response: httpx.Response) -> str | None:
    """The address that answered: our transport's `PEER`, else httpcore's stream's."""
    peer = response.extensions.get(PEER)
    if peer is None and (stream := response.extensions.get("network_stream")) is not None:
        server = stream.get_extra_info("server_addr")
        peer = server[0] if isinstance(server, tuple) and server else None
    return peer if isinstance(peer, str) else None


def status_reason(response: httpx.Response) -> str:
    phrase = response.reason_phrase
    if not phrase:
        try:
            phrase = HTTPStatus(response.status_code).phrase
        except ValueError:
            phrase = ""
    return f"HTTP {response.status_code} {phrase}".strip()
