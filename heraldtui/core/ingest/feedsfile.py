"""Editing feeds.toml (`feeds add`, OPML import, a saved setting) without disturbing the rest.

feeds.toml is the user's file: they comment it, order it and space it out. Edits go through
`tomlkit`, which keeps comments, blank lines, key order and quoting of everything it does
not touch, and a new feed is appended as one more `[[feeds]]` table after the last one (or
one more inline table when the file spells the list as `feeds = [...]`).

A feed is a duplicate when its name matches an existing one ignoring case (two feeds that
differ only in case would be indistinguishable in the UI) or when its URL matches one with
scheme and host compared case-insensitively and any `#fragment` ignored.

The file is replaced atomically (`atomic.write_atomic`: temporary file in the same folder,
fsync, `os.replace`, permissions kept), so a crash or a full disk leaves the previous file
whole. Loading and validating the file
is `config.py`'s job; this module checks only what it must to write a sound entry.

A feed that moved for good gets its new URL in place (`set_feed_url`): only that one value
changes, the entry keeps its other keys and comments.

A setting (`set_setting`) is one key of the `[settings]` table, which is added at the end
of the file when it is not there yet; the rest of the file is left as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit, urlunsplit

import tomlkit
from tomlkit.exceptions import ParseError, TOMLKitError
from tomlkit.items import AoT, Array, Comment, InlineTable, Table, Whitespace
from tomlkit.toml_document import TOMLDocument

from heraldtui.core.errors import ConfigError
from heraldtui.core.ingest.config import MAX_CONFIG_BYTES, config_from_bytes
from heraldtui.core.ingest.feedids import checked_url, name_key, name_problem, resolve_url
from heraldtui.core.storage.atomic import NotAFileError, write_atomic

__all__ = ["add_feed", "add_feeds", "set_feed_url", "set_setting"]

_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_BLANK_END: Final = re.compile(r"\n[ \t]*\r?\n\s*$")
_HEADER: Final = "heraldtui feeds: one [[feeds]] table per feed, with a name and a url."


def add_feed(path: Path, name: str, url: str) -> None:
    """Append one feed; `ConfigError` if its name or URL is already there."""
    name, url = _checked(path, name, url)
    doc = _load(path)
    names, urls = _existing(path, doc)
    if name_key(name) in names:
        raise ConfigError(f"{path}: a feed named {name!r} already exists")
    if _url_key(path, url) in urls:
        raise ConfigError(f"{path}: a feed with the URL {url} already exists")
    _append(path, doc, [(name, url)])
    _write(path, doc)


def add_feeds(path: Path, feeds: Sequence[tuple[str, str]]) -> tuple[int, int]:
    """Append every (name, url) not already present; returns (added, skipped as duplicates).

    All or nothing: an invalid entry raises `ConfigError` before anything is written, and
    the file is written once, only when something was added.
    """
    checked = [_checked(path, name, url) for name, url in feeds]
    doc = _load(path)
    names, urls = _existing(path, doc)
    fresh: list[tuple[str, str]] = []
    for name, url in checked:
        if name_key(name) in names or _url_key(path, url) in urls:
            continue
        names.add(name_key(name))
        urls.add(_url_key(path, url))
        fresh.append((name, url))
    if fresh:
        _append(path, doc, fresh)
        _write(path, doc)
    return len(fresh), len(checked) - len(fresh)


def set_feed_url(path: Path, name: str, url: str) -> None:
    """Point the feed called `name` (case ignored) at `url`; `ConfigError` when there is
    no such feed or the edited file would not load (another feed has that URL, say)."""
    name, url = _checked(path, name, url)
    doc = _load(path)
    for entry in _entries(path, doc):
        if not isinstance(entry, Table | InlineTable):
            continue
        found = entry.get("name")
        if isinstance(found, str) and name_key(found) == name_key(name):
            entry["url"] = url
            _write(path, doc)
            return
    raise ConfigError(f"{path}: no feed named {name!r}")


def set_setting(path: Path, key: str, value: str | int | None) -> None:
    """Set (or, with None, remove) one key of the `[settings]` table and write the file."""
    if isinstance(value, str) and _CONTROL.search(value):
        raise ConfigError(f"{path}: setting {key!r}: control characters in {value!r}")
    doc = _load(path)
    settings = doc.get("settings")
    if settings is None:
        if value is None:
            return
        settings = tomlkit.table()
        if doc.body and not _BLANK_END.search(doc.as_string()):
            doc.add(tomlkit.nl())
        doc.append("settings", settings)
    if not isinstance(settings, Table):
        raise ConfigError(f"{path}: `settings` must be a [settings] table")
    if value is None:
        settings.pop(key, None)
    else:
        settings[key] = value
    _write(path, doc)


def _checked(path: Path, name: str, url: str) -> tuple[str, str]:
    """The entry trimmed, or `ConfigError` if config.py could not load what we would write."""
    name, url = name.strip(), url.strip()
    if not name:
        raise ConfigError(f"{path}: a feed needs a name")
    problem = name_problem(name)
    if problem:  # the name is not echoed: it could reorder or hide what the terminal shows
        raise ConfigError(f"{path}: the feed's name {problem}")
    if not url:
        raise ConfigError(f"{path}: feed {name!r} needs a url")
    try:
        checked_url(url, path.resolve().parent)  # the loader's own rule
    except ConfigError as exc:
        raise ConfigError(f"{path}: feed {name!r}: url {url!r} {exc}") from None
    return name, url


def _url_key(path: Path, url: str) -> str:
    """How duplicates are told: the URL the loader would use (paths and file:// URLs
    resolved against the feeds file's folder), scheme and host in lower case."""
    resolved = resolve_url(url, path.resolve().parent)
    if resolved is None:  # an entry the loader refuses: matched only by its exact text
        return url.strip()
    parts = urlsplit(resolved)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, ""))


def _load(path: Path) -> TOMLDocument:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            text = handle.read()
    except FileNotFoundError:
        doc = tomlkit.document()
        doc.add(tomlkit.comment(_HEADER))
        return doc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    if text and not text.endswith("\n"):
        text += "\r\n" if "\r\n" in text else "\n"  # else the new table would join the last line
    try:
        return tomlkit.parse(text)
    except ParseError as exc:
        raise ConfigError(f"{path}: line {exc.line}: {exc}") from exc
    except TOMLKitError as exc:
        raise ConfigError(f"{path}: {exc}") from exc


def _entries(path: Path, doc: TOMLDocument) -> Iterable[object]:
    feeds = doc.get("feeds")
    if feeds is None:
        return ()
    if not isinstance(feeds, AoT | Array):
        raise ConfigError(f"{path}: `feeds` must be a list of [[feeds]] tables")
    return list(feeds)


def _existing(path: Path, doc: TOMLDocument) -> tuple[set[str], set[str]]:
    names: set[str] = set()
    urls: set[str] = set()
    for entry in _entries(path, doc):
        if not isinstance(entry, Table | InlineTable | dict):
            continue  # not ours to judge; config.py reports it
        name, url = entry.get("name"), entry.get("url")
        if isinstance(name, str):
            names.add(name_key(name))
        if isinstance(url, str):
            urls.add(_url_key(path, url))
    return names, urls


def _append(path: Path, doc: TOMLDocument, feeds: Sequence[tuple[str, str]]) -> None:
    existing = doc.get("feeds")
    if isinstance(existing, Array):  # `feeds = [{...}, ...]`: keep that style
        for name, url in feeds:
            entry = tomlkit.inline_table()
            entry.update({"name": name, "url": url})
            existing.append(entry)
        return
    tables = [_table(name, url) for name, url in feeds]
    if existing is None:
        array = tomlkit.aot()
        for table in tables:
            array.append(table)
        doc.append("feeds", array)
        return
    assert isinstance(existing, AoT)  # _entries refused anything else
    more_follows = list(doc.keys())[-1] != "feeds"
    previous = existing[-1] if len(existing) else None
    trailer = _detach_trailer(previous) if previous is not None else []
    # A blank line before each new table and, when more follows (a [settings] table, say),
    # after the last one, whatever spacing the previous last feed had.
    for table in tables:
        if previous is not None and not _BLANK_END.search(previous.as_string()):
            previous.add(tomlkit.nl())
        existing.append(table)
        previous = table
    for item in trailer:
        tables[-1].add(item)
    if more_follows and not trailer:
        tables[-1].add(tomlkit.nl())


def _detach_trailer(table: Table) -> list[Comment | Whitespace]:
    """Remove and return what follows the table's last key from its first blank line on.

    TOML has no notion of a comment belonging to the next table, so tomlkit files a
    comment written above `[settings]` under the last `[[feeds]]` table. Moving that
    trailer after the new tables keeps it above what it describes; comments right under
    the feed's keys (no blank line between) stay with the feed.
    """
    body = table.value.body
    end = len(body)
    while end and body[end - 1][0] is None and isinstance(body[end - 1][1], Comment | Whitespace):
        end -= 1
    start = next(
        (i for i in range(end, len(body)) if isinstance(body[i][1], Whitespace)), len(body)
    )
    trailer = [item for _, item in body[start:] if isinstance(item, Comment | Whitespace)]
    del body[start:]
    return trailer


def _table(name: str, url: str) -> Table:
    table = tomlkit.table()
    table.add("name", name)
    table.add("url", url)
    return table


def _write(path: Path, doc: TOMLDocument) -> None:
    """Write the edited file, once it is known to be one every command can read.

    Checked first, written after: a 9 MB OPML import used to rewrite feeds.toml past the
    size limit and only then be refused, leaving a file every later command rejected."""
    text = _dumps(doc)
    raw = text.encode("utf-8")
    try:
        if len(raw) > MAX_CONFIG_BYTES or _readable(path):
            config_from_bytes(raw, path)  # an edit never makes a readable file unreadable
    except ConfigError as exc:
        raise ConfigError(f"{exc} (nothing was written)") from None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text)
    except NotAFileError as exc:
        raise ConfigError(str(exc)) from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot write: {exc.strerror or exc}") from exc


def _readable(path: Path) -> bool:
    """The file as it is now passes every check (or does not exist yet)."""
    try:
        config_from_bytes(path.read_bytes(), path)
    except FileNotFoundError:
        return True
    except (ConfigError, OSError):
        return False
    return True


def _dumps(doc: TOMLDocument) -> str:
    """The document as text, in the line endings the file already used."""
    text = tomlkit.dumps(doc)
    if "\r\n" in text:
        text = re.sub(r"(?<!\r)\n", "\r\n", text)
    return text
