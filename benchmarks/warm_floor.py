"""The least any Python program can take for a warm refresh (issue 14's 20 x 20 target).

Usage: python benchmarks/warm_floor.py FEEDS_TOML STORE.sqlite3

Not part of heraldtui: a yardstick for `refresh_vs_newsboat.py --floor`. It does the
smallest honest version of what a warm refresh has to do, with the standard library
alone, so that its time is a floor for CPython on this machine rather than a measure of
our code:

- read the feeds file (`tomllib`) and each feed's validators from a heraldtui store
  (`sqlite3`; the benchmark hands it a copy);
- send every feed's conditional GET over non-blocking sockets, 8 at a time, and read
  only each answer's status line (no h11, no TLS, no redirects, no limits, no checks);
- record the time of the check for every feed in one transaction.

Whatever heraldtui's warm refresh costs beyond this is ours to cut; what this costs is
starting the interpreter and importing the standard modules any such program needs.
"""

from __future__ import annotations

import selectors
import socket
import sqlite3
import sys
import time
import tomllib
from urllib.parse import urlsplit

AT_ONCE = 8


def _request(url: str, etag: str | None, modified: str | None) -> tuple[tuple[str, int], bytes]:
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or 80
    lines = [f"GET {parts.path or '/'} HTTP/1.1", f"Host: {parts.netloc}", "Connection: close"]
    if etag:
        lines.append(f"If-None-Match: {etag}")
    if modified:
        lines.append(f"If-Modified-Since: {modified}")
    return (host, port), ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def main(feeds_toml: str, store: str) -> int:
    with open(feeds_toml, "rb") as handle:
        feeds = tomllib.load(handle)["feeds"]
    db = sqlite3.connect(store)
    validators = {
        name: (etag, modified)
        for name, etag, modified in db.execute("SELECT name, etag, last_modified FROM feeds")
    }
    selector = selectors.DefaultSelector()
    waiting = list(feeds)
    statuses: dict[str, int] = {}
    open_count = 0
    while waiting or open_count:
        while waiting and open_count < AT_ONCE:
            feed = waiting.pop()
            address, payload = _request(feed["url"], *validators.get(feed["name"], (None, None)))
            sock = socket.socket()
            sock.setblocking(False)
            sock.connect_ex(address)
            selector.register(sock, selectors.EVENT_WRITE, (feed["name"], payload, bytearray()))
            open_count += 1
        for key, events in selector.select():
            ready = key.fileobj
            assert isinstance(ready, socket.socket)
            name, payload, answer = key.data
            if events & selectors.EVENT_WRITE:
                ready.sendall(payload)
                selector.modify(ready, selectors.EVENT_READ, key.data)
                continue
            chunk = ready.recv(65536)
            answer += chunk
            if b"\r\n" in answer or not chunk:
                statuses[name] = int(answer[9:12] or b"0")
                selector.unregister(ready)
                ready.close()
                open_count -= 1
    checked = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())
    with db:
        db.executemany(
            "UPDATE feeds SET last_fetch = ? WHERE name = ?",
            [(checked, name) for name in statuses],
        )
    db.close()
    unchanged = sum(1 for status in statuses.values() if status == 304)
    print(f"{len(statuses)} feeds asked, {unchanged} answered 304")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
