"""Fetcher against a real server on 127.0.0.1: statuses, validators, redirects, limits."""

from __future__ import annotations

import asyncio
import errno
import os
import pickle
import socket
import time
import tracemalloc
import zlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from heraldtui.core.errors import FetchError
from heraldtui.core.ingest.answers import connect_reason, parse_retry_after
from heraldtui.core.ingest.fastpaths import FAST_PATHS_ON, FastPaths
from heraldtui.core.ingest.fetch import (
    DEFAULT_USER_AGENT,
    Fetched,
    Fetcher,
    FetchFailed,
    NotModified,
)
from tests.support.httpserver import LocalServer, RecordedRequest, Reply, http_server

server = pytest.fixture(http_server)

RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>'


async def fetch(url: str, fast_paths: FastPaths, **options: float) -> Fetched | NotModified:
    async with Fetcher(fast_paths=fast_paths, **options) as fetcher:  # type: ignore[arg-type]
        return await fetcher.fetch(url)


async def test_200_returns_body_headers_and_validators(
    server: LocalServer, fast_paths: FastPaths
) -> None:
    server.route(
        "/feed",
        body=RSS,
        content_type="application/rss+xml; charset=utf-8",
        headers={"ETag": '"v1"', "Last-Modified": "Wed, 06 Nov 2024 08:00:00 GMT"},
    )
    result = await fetch(server.url("/feed"), fast_paths)
    assert isinstance(result, Fetched)
    assert result.status == 200
    assert result.body == RSS
    assert result.url == server.url("/feed")
    assert result.etag == '"v1"'
    assert result.last_modified == "Wed, 06 Nov 2024 08:00:00 GMT"
    assert result.headers["content-type"] == "application/rss+xml; charset=utf-8"
    assert all(name == name.lower() for name in result.headers)
    sent = server.requests_to("/feed")[0].headers
    assert sent["user-agent"] == DEFAULT_USER_AGENT
    assert "if-none-match" not in sent
    assert "gzip" in sent["accept-encoding"]


async def test_conditional_get_sends_validators_and_maps_304(
    server: LocalServer, fast_paths: FastPaths
) -> None:
    def conditional(request: RecordedRequest) -> Reply:
        if request.headers.get("if-none-match") == '"v1"':
            return Reply(304, headers={"ETag": '"v1"'})
        return Reply(200, RSS, {"ETag": '"v1"'})

    server.handle("/feed", conditional)
    async with Fetcher(fast_paths=fast_paths) as fetcher:
        first = await fetcher.fetch(server.url("/feed"))
        assert isinstance(first, Fetched)
        second = await fetcher.fetch(
            server.url("/feed"),
            etag=first.etag,
            last_modified="Wed, 06 Nov 2024 08:00:00 GMT",
        )
    assert second == NotModified(url=server.url("/feed"))
    sent = server.requests_to("/feed")[1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Wed, 06 Nov 2024 08:00:00 GMT"


async def test_redirect_chain_is_followed_to_the_final_url(
    server: LocalServer, fast_paths: FastPaths
) -> None:
    server.route("/old", status=301, headers={"Location": "/older"})
    server.route("/older", status=302, headers={"Location": server.url("/feed")})
    server.route("/feed", body=RSS)
    result = await fetch(server.url("/old"), fast_paths)
    assert isinstance(result, Fetched)
    assert result.url == server.url("/feed")
    assert result.body == RSS


async def test_too_many_redirects(server: LocalServer, fast_paths: FastPaths) -> None:
    for n in range(8):
        server.route(f"/r{n}", status=302, headers={"Location": f"/r{n + 1}"})
    with pytest.raises(FetchFailed, match=r"too many redirects \(more than 5\)"):
        await fetch(server.url("/r0"), fast_paths)
    assert len(server.requests) == 6


async def test_redirect_loop_is_named(server: LocalServer, fast_paths: FastPaths) -> None:
    server.route("/a", status=302, headers={"Location": "/b"})
    server.route("/b", status=302, headers={"Location": "/a"})
    with pytest.raises(FetchFailed, match="redirect loop"):
        await fetch(server.url("/a"), fast_paths)


async def test_redirect_to_file_scheme_refused(server: LocalServer, fast_paths: FastPaths) -> None:
    server.route("/sneaky", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(FetchFailed, match="redirect to a non-HTTP URL refused"):
        await fetch(server.url("/sneaky"), fast_paths)


@pytest.mark.parametrize(
    ("status", "reason"),
    [(404, "HTTP 404 Not Found"), (500, "HTTP 500 Internal Server Error"), (410, "HTTP 410 Gone")],
)
async def test_http_errors(
    server: LocalServer, status: int, reason: str, fast_paths: FastPaths
) -> None:
    server.route("/feed", status=status, body=b"oops")
    with pytest.raises(FetchError) as caught:
        await fetch(server.url("/feed"), fast_paths)
    assert str(caught.value) == reason
    assert isinstance(caught.value, FetchFailed)
    assert caught.value.status == status
    assert caught.value.retry_after is None


async def test_429_retry_after_seconds(server: LocalServer, fast_paths: FastPaths) -> None:
    server.route("/feed", status=429, headers={"Retry-After": "120"})
    before = datetime.now(UTC)
    with pytest.raises(FetchFailed, match="HTTP 429 Too Many Requests") as caught:
        await fetch(server.url("/feed"), fast_paths)
    retry = caught.value.retry_after
    assert retry is not None and retry.tzinfo is not None
    assert before + timedelta(seconds=119) <= retry <= datetime.now(UTC) + timedelta(seconds=121)


async def test_503_retry_after_http_date(server: LocalServer, fast_paths: FastPaths) -> None:
    server.route("/feed", status=503, headers={"Retry-After": "Wed, 06 Nov 2024 09:30:00 GMT"})
    with pytest.raises(FetchFailed) as caught:
        await fetch(server.url("/feed"), fast_paths)
    assert caught.value.retry_after == datetime(2024, 11, 6, 9, 30, tzinfo=UTC)


def test_retry_after_garbage_is_none() -> None:
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None
    now = datetime(2024, 1, 1, tzinfo=UTC)
    assert parse_retry_after(" 30 ", now=now) == now + timedelta(seconds=30)


async def test_slow_body_times_out_on_read(server: LocalServer, fast_paths: FastPaths) -> None:
    server.route("/slow", body=b"x" * 40, chunk_size=4, trickle=0.3)
    with pytest.raises(FetchFailed, match=r"timed out after 0.1 s reading the body"):
        await fetch(server.url("/slow"), fast_paths, read_timeout=0.1)
    # Cut at the first slow chunk: the fetcher hung up long before the tenth was written,
    # rather than reading the whole body and only then calling it too slow.
    assert await asyncio.to_thread(server.reply_complete, "/slow") is False


async def test_slow_headers_time_out(server: LocalServer, fast_paths: FastPaths) -> None:
    server.route("/slow", body=RSS, delay=0.5)
    with pytest.raises(FetchFailed, match=r"timed out after 0.1 s waiting for 127.0.0.1"):
        await fetch(server.url("/slow"), fast_paths, read_timeout=0.1)


async def test_trickle_is_cut_by_the_total_deadline(
    server: LocalServer, fast_paths: FastPaths
) -> None:
    # Each chunk arrives within the read timeout, but the whole body never would.
    server.route("/drip", body=b"x" * 200, chunk_size=1, trickle=0.05)
    with pytest.raises(FetchFailed, match=r"timed out after 0.4 s in total"):
        await fetch(server.url("/drip"), fast_paths, read_timeout=1, total_timeout=0.4)
    assert await asyncio.to_thread(server.reply_complete, "/drip") is False  # mid-body


async def test_oversized_body_with_content_length(
    server: LocalServer, fast_paths: FastPaths
) -> None:
    server.route("/big", body=b"x" * 3000)
    with pytest.raises(FetchFailed, match="body larger than 1 KB"):
        await fetch(server.url("/big"), fast_paths, max_bytes=1024)


async def test_oversized_body_without_content_length(
    server: LocalServer, fast_paths: FastPaths
) -> None:
    server.route("/big", body=b"x" * 300_000, length=False)
    with pytest.raises(FetchFailed, match="body larger than 100 KB"):
        await fetch(server.url("/big"), fast_paths, max_bytes=100 * 1024)


async def test_gzip_body_is_decoded(server: LocalServer, fast_paths: FastPaths) -> None:
    server.route("/feed", body=RSS * 50, gzip=True)
    result = await fetch(server.url("/feed"), fast_paths)
    assert isinstance(result, Fetched)
    assert result.body == RSS * 50
    assert "content-encoding" not in result.headers


@pytest.mark.parametrize("wrapped", [True, False], ids=["zlib", "raw"])
async def test_deflate_body_is_decoded(
    server: LocalServer, wrapped: bool, fast_paths: FastPaths
) -> None:
    if wrapped:
        data = zlib.compress(RSS * 20)
    else:
        packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        data = packer.compress(RSS * 20) + packer.flush()
    server.route("/feed", body=data, headers={"Content-Encoding": "deflate"})
    result = await fetch(server.url("/feed"), fast_paths)
    assert isinstance(result, Fetched)
    assert result.body == RSS * 20


async def test_cap_applies_to_decompressed_size(server: LocalServer, fast_paths: FastPaths) -> None:
    server.route("/feed", body=b"a" * 50_000, gzip=True)  # ~100 bytes on the wire
    with pytest.raises(FetchFailed, match="body larger than 10 KB"):
        await fetch(server.url("/feed"), fast_paths, max_bytes=10 * 1024)


def _gzip_bomb(size: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    return b"".join(packer.compress(block) for _ in range(size // len(block))) + packer.flush()


async def test_gzip_bomb_stays_bounded(server: LocalServer, fast_paths: FastPaths) -> None:
    bomb = _gzip_bomb(128 * 1024 * 1024)  # 128 MB of zeros in ~125 KB
    assert len(bomb) < 1024 * 1024
    server.route("/bomb", body=bomb, headers={"Content-Encoding": "gzip"})
    tracemalloc.start()
    try:
        with pytest.raises(FetchFailed, match="body larger than 1 MB"):
            await fetch(server.url("/bomb"), fast_paths, max_bytes=1024 * 1024)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024


async def test_corrupt_gzip(server: LocalServer, fast_paths: FastPaths) -> None:
    server.route(
        "/feed", body=b"\x1f\x8b\x08\x00garbage-bytes", headers={"Content-Encoding": "gzip"}
    )
    with pytest.raises(FetchFailed, match=r"compressed body .* is corrupt"):
        await fetch(server.url("/feed"), fast_paths)


async def test_unsupported_encoding(server: LocalServer, fast_paths: FastPaths) -> None:
    server.route("/feed", body=b"whatever", headers={"Content-Encoding": "br"})
    with pytest.raises(FetchFailed, match=r"unsupported compression \(br\)"):
        await fetch(server.url("/feed"), fast_paths)


async def test_wrong_charset_header_is_passed_through_untouched(
    server: LocalServer, fast_paths: FastPaths
) -> None:
    body = "<rss><channel><title>Café ’news’</title></channel></rss>".encode()
    server.route("/feed", body=body, content_type="application/rss+xml; charset=iso-8859-1")
    result = await fetch(server.url("/feed"), fast_paths)
    assert isinstance(result, Fetched)
    assert result.body == body  # decoding is the parser's job, with the header as a hint
    assert result.headers["content-type"].endswith("charset=iso-8859-1")


async def test_html_page_is_fetched_as_is(server: LocalServer, fast_paths: FastPaths) -> None:
    page = b"<!DOCTYPE html><html><body><p>Not a feed</p></body></html>"
    server.route("/page", body=page, content_type="text/html")
    result = await fetch(server.url("/page"), fast_paths)
    assert isinstance(result, Fetched) and result.body == page


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def test_connection_refused(fast_paths: FastPaths) -> None:
    with pytest.raises(FetchFailed, match=r"^connection refused$"):
        await fetch(f"http://127.0.0.1:{_closed_port()}/feed", fast_paths)


def test_every_address_refusing_is_still_connection_refused() -> None:
    """A name with several addresses (::1 and 127.0.0.1) that all refuse: asyncio raises
    one OSError with no errno whose message lists them, as here."""
    code = errno.ECONNREFUSED
    err = OSError(
        f"Multiple exceptions: [Errno {code}] Connect call failed ('::1', 8080, 0, 0), "
        f"[Errno {code}] Connect call failed ('127.0.0.1', 8080)"
    )
    assert connect_reason(err, "localhost") == "connection refused"


@pytest.mark.parametrize("url", ["ftp://example.org/feed", "javascript:alert(1)", "feed"])
async def test_unsupported_urls(url: str) -> None:
    with pytest.raises(FetchFailed, match=r"unsupported URL scheme|not a URL"):
        await fetch(url, FAST_PATHS_ON)


async def test_per_host_limit_is_respected(server: LocalServer, fast_paths: FastPaths) -> None:
    def in_pairs(request: RecordedRequest) -> Reply:
        # Hold each request until a second one is open (a wait, the limit allows two),
        # then a little longer, so that a third would be seen if the limit let it through.
        waited = 0.0
        while server.waiting < 2 and waited < 10:
            time.sleep(0.005)
            waited += 0.005
        return Reply(body=RSS, delay=0.15)

    for n in range(6):
        server.handle(f"/f{n}", in_pairs)
    async with Fetcher(per_host=2, fast_paths=fast_paths) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(server.url(f"/f{n}")) for n in range(6)))
    assert all(isinstance(r, Fetched) for r in results)
    assert len(server.requests) == 6
    assert server.most_waiting == 2  # never three open at once, and two in parallel


async def test_queueing_for_a_host_slot_does_not_eat_the_deadline(
    server: LocalServer, fast_paths: FastPaths
) -> None:
    for n in range(3):
        server.route(f"/f{n}", body=RSS, delay=0.2)
    async with Fetcher(per_host=1, total_timeout=0.5, fast_paths=fast_paths) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(server.url(f"/f{n}")) for n in range(3)))
    assert all(isinstance(r, Fetched) for r in results)


async def test_a_redirect_hop_queueing_for_its_host_does_not_eat_the_deadline(
    server: LocalServer, fast_paths: FastPaths
) -> None:
    """Only time on the wire counts: each chain spends 0.25 s on it, but with one slot for
    the host the last chain's second hop waits behind every other hop (0.75 s in all)."""
    for n in range(3):
        server.route(f"/r{n}", status=302, headers={"Location": f"/f{n}"}, delay=0.1)
        server.route(f"/f{n}", body=RSS, delay=0.15)
    async with Fetcher(per_host=1, total_timeout=0.5, fast_paths=fast_paths) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(server.url(f"/r{n}")) for n in range(3)))
    assert all(isinstance(r, Fetched) for r in results), results
    assert len(server.requests) == 6


def test_failure_survives_pickling() -> None:
    when = datetime(2024, 11, 6, tzinfo=UTC)
    err = FetchFailed("HTTP 429 Too Many Requests", url="http://x/", status=429, retry_after=when)
    copy = pickle.loads(pickle.dumps(err))
    assert (str(copy), copy.status, copy.retry_after, copy.url) == (
        "HTTP 429 Too Many Requests",
        429,
        when,
        "http://x/",
    )


# -- file:// ------------------------------------------------------------------------------


async def test_file_url_reads_and_then_is_not_modified(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(RSS)
    async with Fetcher(fast_paths=FAST_PATHS_ON) as fetcher:
        first = await fetcher.fetch(feed.as_uri())
        assert isinstance(first, Fetched)
        assert first.body == RSS
        assert first.last_modified and first.last_modified.endswith("GMT")
        assert first.headers["content-type"] == "application/xml"
        again = await fetcher.fetch(
            feed.as_uri(), etag=first.etag, last_modified=first.last_modified
        )
        assert again == NotModified(url=feed.as_uri())
        feed.write_bytes(RSS + b"\n")
        later = time.time() + 5
        os.utime(feed, (later, later))
        changed = await fetcher.fetch(
            feed.as_uri(), etag=first.etag, last_modified=first.last_modified
        )
        assert isinstance(changed, Fetched) and changed.body == RSS + b"\n"


async def test_file_url_missing(tmp_path: Path) -> None:
    with pytest.raises(FetchFailed, match="file not found"):
        await fetch((tmp_path / "nope.xml").as_uri(), FAST_PATHS_ON)


async def test_file_url_too_big(tmp_path: Path) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_bytes(b"x" * 2048)
    with pytest.raises(FetchFailed, match="body larger than 1 KB"):
        await fetch(feed.as_uri(), FAST_PATHS_ON, max_bytes=1024)
