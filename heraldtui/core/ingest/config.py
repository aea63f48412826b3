"""Load and validate feeds.toml.

The file is the user's, edited by hand, so every mistake gets one line that names the
file, the line and the feed (`feeds.toml:7: feed "Herts Gazette": url "htp:/x" is not
an http(s) URL, a file:// URL or a path`). tomllib does not report where a value sits,
so line numbers come from a light scan of the text for each `[[feeds]]` header and key.

Paths and `file://` URLs are resolved against the folder that holds the file, so a
feeds.toml can ship next to its demo feeds and still work from any working directory.

Where the file is (`default_config_path`): `./feeds.toml` when there is one, else
`feeds.toml` in the user config folder (`platformdirs.user_config_path("heraldtui")`, or
`$HERALDTUI_CONFIG_DIR`). On the first run that file is created from the bundled default,
with the demo feeds' relative paths made absolute and a comment saying where it came
from, so `feeds add` and the reader's saved settings have a file of the user's to write;
the installed package is never written. Only when that folder cannot be written does the
bundled default itself serve, read-only.

The optional `[settings]` table holds what the reader remembers between runs: `theme`,
`browser` (a command line; the link is added at its end), `auto_refresh_minutes` (0 or
left out: never), `text_width` (columns of article text), `proxy` (an http:// or
https:// proxy for every request, in place of the environment's; see `proxies.py`),
`allow_private_pages` (true: a remote feed's article pages may be on the user's own
network; see `addresses.py`) and `notify_command` (an argument list, run for each new
story a `[[watch]]` rule matches; `[[watch]]` tables are read by `watchconfig.py`).
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from heraldtui.core.errors import ConfigError
from heraldtui.core.ingest.feedids import checked_url, name_key, name_problem, odd_character
from heraldtui.core.ingest.feedids import resolve_url as resolve_url
from heraldtui.core.ingest.limits import MAX_ITEMS_LIMIT
from heraldtui.core.models import FeedSource, WatchRule
from heraldtui.core.storage.atomic import write_atomic

FEED_KEYS = {"name": str, "url": str, "full_text": bool, "max_items": int}
_KEY_KINDS = {str: "a string", bool: "true or false", int: "a whole number"}
TOP_LEVEL_KEYS = {"feeds", "settings", "watch"}
SETTING_KEYS: dict[str, type] = {
    "theme": str,
    "browser": str,
    "auto_refresh_minutes": int,
    "text_width": int,
    "proxy": str,
    "allow_private_pages": bool,
    "notify_command": list,
}
MIN_TEXT_WIDTH = 20
_HEADER = re.compile(r"^\s*\[\[\s*feeds\s*\]\]\s*(#.*)?$")
_SETTINGS_HEADER = re.compile(r"^\s*\[\s*settings\s*\]\s*(#.*)?$")
_TOML_POS = re.compile(r"\(at line (\d+), column \d+\)")
_TOML_HINTS = {
    "Cannot overwrite a value": " (a key is set twice)",
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MAX_CONFIG_BYTES = 4 * 1024 * 1024
"""A feeds file of thousands of feeds is a few hundred KB; anything past this is not one."""


@dataclass(frozen=True, slots=True)
class Settings:
    """The `[settings]` table; every key optional."""

    theme: str | None = None
    browser: str | None = None
    """A command line that opens a link (the link is appended), e.g. `firefox --new-tab`."""
    auto_refresh_minutes: int = 0
    """Refresh every so many minutes while the reader runs; 0: only on start and on `r`."""
    text_width: int | None = None
    """The widest an article's text is laid out, in columns; None: the window's width."""
    proxy: str | None = None
    """The proxy every request goes through (but what `NO_PROXY` names); None: the
    environment's (`HTTP_PROXY`, ...), as httpx reads them."""
    allow_private_pages: bool = False
    """Whether the article pages of a feed on the internet may be fetched from a private,
    loopback or link-local address (the user's own machine or network); False: never."""
    notify_command: tuple[str, ...] = ()
    """The program and its arguments run (never through a shell) for each new story a
    watch rule matches, with the story in `HERALDTUI_*` variables; empty: none."""


@dataclass(frozen=True, slots=True)
class FeedsConfig:
    path: Path
    feeds: tuple[FeedSource, ...]
    settings: Settings = Settings()
    watch: tuple[WatchRule, ...] = ()


def bundled_config_path() -> Path:
    """The default feeds.toml shipped inside the package, next to the demo feeds."""
    from importlib import resources  # not on the path of a --config run

    return Path(str(resources.files("heraldtui.demo").joinpath("feeds.toml")))


def is_bundled(path: Path) -> bool:
    """True for the feeds file inside the installed package, which is never written."""
    try:
        return path.resolve() == bundled_config_path().resolve()
    except OSError:
        return False


def user_config_path() -> Path:
    """`feeds.toml` in `$HERALDTUI_CONFIG_DIR`, else in the platform's user config folder."""
    env = os.environ.get("HERALDTUI_CONFIG_DIR")
    if env:
        return Path(env).expanduser() / "feeds.toml"
    from platformdirs import user_config_path as platform_config  # only when none is named

    return platform_config("heraldtui", appauthor=False) / "feeds.toml"


def default_config_path(cwd: Path | None = None) -> Path:
    """./feeds.toml when there is one, else the user's (created on first run, see above).

    Falls back to the bundled default only when the user config folder cannot be written.
    """
    local = (cwd or Path.cwd()) / "feeds.toml"
    if local.is_file():
        return local
    user = user_config_path()
    if user.is_file():
        return user
    try:
        install_default(user)
    except OSError:
        return bundled_config_path()
    return user


CREATED_NOTE = """\
# heraldtui's feeds: every source the reader collects, one [[feeds]] table each.
#
# Created by heraldtui on its first run, from the default bundled with it: this file is
# now yours. heraldtui reads it when you give no --config and there is no feeds.toml in
# the folder you run it from; `heraldtui feeds add` and the reader's settings (the theme
# chosen in the command palette, say) are written here. The demo feeds point into the
# installed package; delete them when you no longer want the demo stories.
#
"""


def install_default(path: Path) -> None:
    """Write the bundled default to `path` as the user's own file (see the module docstring).

    Relative demo paths are made absolute (they pointed next to the bundled file), and the
    file is written whole or not at all.
    """
    import tomlkit  # only on a first run

    bundled = bundled_config_path()
    text = bundled.read_text(encoding="utf-8")
    # The bundled file opens with its title and a paragraph about being the bundled one;
    # the copy opens with CREATED_NOTE instead.
    start = text.find("# This is the default bundled")
    end = text.find("\n#\n", start)
    doc = tomlkit.parse(text[end + 3 :] if 0 <= start < end else text)
    feeds = doc.get("feeds")
    for table in feeds if isinstance(feeds, list) else []:
        url = table.get("url")
        if isinstance(url, str):
            resolved = resolve_url(url, bundled.resolve().parent)
            if resolved is not None and resolved.startswith("file:"):
                table["url"] = resolved
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, CREATED_NOTE + tomlkit.dumps(doc))


def load_config(path: Path) -> FeedsConfig:
    return config_from_bytes(_read(path), path)


def config_from_bytes(raw: bytes, path: Path) -> FeedsConfig:
    """`raw` read as the feeds file at `path` (which names the file in every error).

    Used on a file's bytes, and on what an edit is about to write: a change that would
    leave a file no later command can read is refused before anything is written."""
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(
            f"{path}: too large for a feeds file (over {MAX_CONFIG_BYTES // 2**20} MB)"
        )
    try:
        # utf-8-sig: editors on Windows start files with a byte order mark.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{path}:{line}: not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        pos = _TOML_POS.search(msg)
        where = f"{path}:{pos.group(1)}" if pos else str(path)
        reason = _TOML_POS.sub("", msg).strip()
        hint = _TOML_HINTS.get(reason)
        raise ConfigError(f"{where}: invalid TOML: {reason}{hint or ''}") from None
    except RecursionError:  # tomllib recurses once per nested array or inline table
        raise ConfigError(f"{path}: invalid TOML: values nested too deeply") from None
    feeds = parse_feeds(data, path, text)
    return FeedsConfig(
        path=path,
        feeds=feeds,
        settings=parse_settings(data, path, text),
        watch=_watch_rules(data, path, text),
    )


def _watch_rules(data: Mapping[str, Any], path: Path, text: str) -> tuple[WatchRule, ...]:
    """The `[[watch]]` rules; their reader (and the vocabularies it checks kinds against)
    is imported only when the file has some, so a refresh without rules skips it."""
    if "watch" not in data:
        return ()
    from heraldtui.core.ingest.watchconfig import parse_watch

    return parse_watch(data, path, text)


def _read(path: Path) -> bytes:
    """The file's bytes, refusing what is not a regular file of a sane size.

    A FIFO would block the program for ever and `/dev/zero` would fill memory, so the
    file is opened without blocking, checked with `fstat`, and read with a cap.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise ConfigError(f"{path}: is a folder, not a feeds file")
        raise ConfigError(f"{path}: not a regular file (a device, pipe or socket)")
    with os.fdopen(fd, "rb") as handle:
        try:
            raw = handle.read(MAX_CONFIG_BYTES + 1)
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    return raw


def parse_feeds(data: Mapping[str, Any], path: Path, text: str = "") -> tuple[FeedSource, ...]:
    lines = text.splitlines()
    headers = [n for n, line in enumerate(lines, 1) if _HEADER.match(line)]
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            raise ConfigError(
                f"{path}:{_line_of_key(lines, key, 0, len(lines)) or '?'}: "
                f"unknown setting {key!r}{_did_you_mean(key, TOP_LEVEL_KEYS)}"
            )
    tables = data.get("feeds")
    if tables is None:
        raise ConfigError(f"{path}: no feeds: add a [[feeds]] table with name and url")
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise ConfigError(f"{path}: 'feeds' must be [[feeds]] tables with name and url")
    base = path.resolve().parent
    out: list[FeedSource] = []
    seen_names: dict[str, tuple[str, int | None]] = {}
    seen_urls: dict[str, str] = {}
    for index, table in enumerate(tables):
        start = headers[index] if index < len(headers) else None
        end = headers[index + 1] if index + 1 < len(headers) else len(lines) + 1

        def where(key: str | None = None, *, _start: int | None = start, _end: int = end) -> str:
            line = _start
            if key is not None and _start is not None:
                line = _line_of_key(lines, key, _start, _end) or _start
            return f"{path}:{line}" if line else str(path)

        label = f"feed #{index + 1}"
        name_value = table.get("name")
        # Never a name that could reorder or hide what the terminal shows.
        if isinstance(name_value, str) and name_value.strip() and not odd_character(name_value):
            label = f"feed {name_value.strip()!r}"
        for key, value in table.items():
            if key not in FEED_KEYS:
                raise ConfigError(
                    f"{where(key)}: {label}: unknown key {key!r}{_did_you_mean(key, FEED_KEYS)}"
                )
            wanted = FEED_KEYS[key]
            if not isinstance(value, wanted) or (wanted is int and isinstance(value, bool)):
                raise ConfigError(
                    f"{where(key)}: {label}: {key!r} must be {_KEY_KINDS[wanted]}, not {value!r}"
                )
        max_items = table.get("max_items")
        if max_items is not None and not 1 <= max_items <= MAX_ITEMS_LIMIT:
            raise ConfigError(
                f"{where('max_items')}: {label}: 'max_items' must be from 1 to "
                f"{MAX_ITEMS_LIMIT:,}, not {max_items}"
            )
        for key in ("name", "url"):
            if key not in table:
                raise ConfigError(f"{where()}: {label}: missing required key {key!r}")
        name = table["name"].strip()
        problem = name_problem(name)
        if problem:
            # The name is printed on the terminal: an escape sequence there would be obeyed.
            raise ConfigError(f"{where('name')}: {label}: 'name' {problem}")
        try:
            url = checked_url(table["url"], base)
        except ConfigError as exc:
            raise ConfigError(f"{where('url')}: {label}: url {table['url']!r} {exc}") from None
        key = name_key(name)
        if key in seen_names:
            first, line = seen_names[key]
            if first == name:
                raise ConfigError(f"{where('name')}: duplicate feed name {name!r}")
            raise ConfigError(
                f"{where('name')}: duplicate feed name {name!r}: feed {first!r}"
                f"{f' (line {line})' if line else ''} differs only in case, and names are "
                "compared ignoring case"
            )
        if url in seen_urls:
            raise ConfigError(
                f"{where('url')}: {label}: same url as feed {seen_urls[url]!r} ({url})"
            )
        seen_names[key] = (name, _line_of_key(lines, "name", start, end) if start else None)
        seen_urls[url] = name
        out.append(
            FeedSource(
                name=name,
                url=url,
                line=start,
                full_text=table.get("full_text"),
                max_items=max_items,
            )
        )
    return tuple(out)


def parse_settings(data: Mapping[str, Any], path: Path, text: str = "") -> Settings:
    """The `[settings]` table, checked key by key; one line naming the key on a mistake."""
    table = data.get("settings")
    if table is None:
        return Settings()
    lines = text.splitlines()
    start = next((n for n, line in enumerate(lines, 1) if _SETTINGS_HEADER.match(line)), 0)

    def where(key: str | None = None) -> str:
        line = (_line_of_key(lines, key, start, len(lines) + 1) if key else None) or start
        return f"{path}:{line}" if line else str(path)

    if not isinstance(table, dict):
        raise ConfigError(f"{where()}: 'settings' must be a [settings] table")
    for key, value in table.items():
        wanted = SETTING_KEYS.get(key)
        if wanted is None:
            raise ConfigError(
                f"{where(key)}: settings: unknown key {key!r}{_did_you_mean(key, SETTING_KEYS)}"
            )
        if wanted is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise ConfigError(f"{where(key)}: settings: {key!r} must be a whole number")
        if wanted is str and not isinstance(value, str):
            raise ConfigError(f"{where(key)}: settings: {key!r} must be a string")
        if wanted is bool and not isinstance(value, bool):
            raise ConfigError(f"{where(key)}: settings: {key!r} must be true or false")
        if wanted is list and (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, str) and v for v in value)
        ):
            raise ConfigError(
                f"{where(key)}: settings: {key!r} must be a list of non-empty strings, the "
                'program then its arguments, such as ["notify-send", "heraldtui"] (no shell)'
            )
        if isinstance(value, list) and any(_CONTROL.search(v) for v in value):
            raise ConfigError(f"{where(key)}: settings: {key!r} contains control characters")
        if isinstance(value, str) and _CONTROL.search(value):
            raise ConfigError(f"{where(key)}: settings: {key!r} contains control characters")
    minutes = table.get("auto_refresh_minutes", 0)
    if minutes < 0:
        raise ConfigError(
            f"{where('auto_refresh_minutes')}: settings: 'auto_refresh_minutes' must be 0 "
            "(never) or more"
        )
    width = table.get("text_width")
    if width is not None and width < MIN_TEXT_WIDTH:
        raise ConfigError(
            f"{where('text_width')}: settings: 'text_width' must be at least {MIN_TEXT_WIDTH}"
        )
    browser = table.get("browser")
    proxy = table.get("proxy")
    if isinstance(proxy, str):
        proxy, problem = _proxy_url(proxy)
        if problem:
            raise ConfigError(f"{where('proxy')}: settings: 'proxy' {problem}")
    return Settings(
        theme=table.get("theme") or None,
        browser=(browser.strip() or None) if isinstance(browser, str) else None,
        auto_refresh_minutes=minutes,
        text_width=width,
        proxy=proxy,
        allow_private_pages=table.get("allow_private_pages", False),
        notify_command=tuple(table.get("notify_command", ())),
    )


_SOCKS = ("socks", "socks4", "socks4a", "socks5", "socks5h")


def _proxy_url(value: str) -> tuple[str | None, str]:
    """`(url, "")` for a proxy httpx can use without extra packages, `(None, "")` for an
    empty value (no setting), else `(None, why not)`; the value is not quoted back, as it
    may hold a password. A bare `host:port` gets `http://`, as httpx does for HTTP_PROXY."""
    value = value.strip()
    if not value:
        return None, ""
    if any(ch.isspace() for ch in value):
        return None, "must be a URL without spaces"
    url = value if "://" in value else f"http://{value}"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not one)
    except ValueError:
        return None, "is not a valid URL (check the host and the port)"
    scheme = parts.scheme.lower()
    if scheme in _SOCKS:
        return None, (
            "cannot be a SOCKS proxy (that needs a package heraldtui does not install): "
            "use an http:// or https:// proxy"
        )
    if scheme not in ("http", "https"):
        return None, 'must be an http:// or https:// URL, such as "http://proxy.example:3128"'
    if not parts.hostname:
        return None, "has no host name"
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        return None, 'must name only the proxy, such as "http://proxy.example:3128" (no path)'
    return url, ""


def _line_of_key(lines: list[str], key: str, start: int, end: int) -> int | None:
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number in range(max(start, 1), min(end, len(lines) + 1)):
        if pattern.match(lines[number - 1]):
            return number
    return None


def _did_you_mean(key: str, known: Mapping[str, Any] | set[str]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
