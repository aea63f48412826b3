"""Read the `[[watch]]` tables of feeds.toml: the stories a reader wants to hear about.

```toml
[[watch]]
name = "Herts inspections"          # optional: what a notification calls the rule
forces = ["Herts Police"]           # any spelling the force table knows
kinds = ["inspection", "meeting"]   # story kinds, or kinds of inspection ("peel", ...)

[[watch]]
people = ["Ash-Edwards"]            # a name or part of one, matched against whole names
words = ["stop and search"]         # in the headline or text, whole words, any case
```

Every key is optional, but a rule must have at least one list; a story matches a rule
when any of its entries matches (`facts/watch.py`). Like the feeds, each mistake is one
line naming the file, the line and the rule (`feeds.toml:12: watch rule #2: unknown kind
'inspections2' (did you mean 'inspection'?)`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from heraldtui.core.errors import ConfigError
from heraldtui.core.models import WatchRule
from heraldtui.core.read.lexicon import WATCH_KIND_ALIASES, watch_kinds

WATCH_LISTS = ("forces", "people", "words", "kinds")
WATCH_KEYS = ("name", *WATCH_LISTS)
_HEADER = re.compile(r"^\s*\[\[\s*watch\s*\]\]\s*(#.*)?$")
_ANY_HEADER = re.compile(r"^\s*\[")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def parse_watch(data: Mapping[str, Any], path: Path, text: str = "") -> tuple[WatchRule, ...]:
    """The `[[watch]]` rules in file order; `ConfigError` naming the line on a mistake."""
    tables = data.get("watch")
    if tables is None:
        return ()
    lines = text.splitlines()
    headers = [n for n, line in enumerate(lines, 1) if _HEADER.match(line)]
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        line = headers[0] if headers else _line_of(lines, "watch", 1, len(lines) + 1)
        where = f"{path}:{line}" if line else str(path)
        raise ConfigError(f"{where}: 'watch' must be [[watch]] tables (forces, people, ...)")
    return tuple(_rule(table, index, path, lines, headers) for index, table in enumerate(tables))


def _rule(
    table: Mapping[str, Any], index: int, path: Path, lines: list[str], headers: list[int]
) -> WatchRule:
    start = headers[index] if index < len(headers) else None
    end = _table_end(lines, start)

    def where(key: str | None = None) -> str:
        line = start
        if key is not None and start is not None:
            line = _line_of(lines, key, start + 1, end) or start
        return f"{path}:{line}" if line else str(path)

    name = table.get("name")
    label = f"watch rule #{index + 1}"
    if isinstance(name, str) and name.strip():
        label = f"watch rule {name.strip()!r}"
    for key, value in table.items():
        if key not in WATCH_KEYS:
            hint = _close(key, WATCH_KEYS)
            raise ConfigError(f"{where(key)}: {label}: unknown key {key!r}{hint}")
        if key == "name":
            if not isinstance(value, str):
                raise ConfigError(f"{where(key)}: {label}: 'name' must be a string")
            continue
        if isinstance(value, str):
            raise ConfigError(
                f"{where(key)}: {label}: {key!r} must be a list of strings, such as "
                f"{key} = [{value!r}]"
            )
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where(key)}: {label}: {key!r} must be a list of strings")
        for entry in value:
            if not entry.strip():
                raise ConfigError(f"{where(key)}: {label}: {key!r} has an empty entry")
            if _CONTROL.search(entry):
                raise ConfigError(f"{where(key)}: {label}: {key!r} contains control characters")
    if isinstance(name, str) and _CONTROL.search(name):
        raise ConfigError(f"{where('name')}: {label}: 'name' contains control characters")
    lists = {key: tuple(" ".join(v.split()) for v in table.get(key, ())) for key in WATCH_LISTS}
    if not any(lists.values()):
        raise ConfigError(
            f"{where()}: {label}: matches nothing: give at least one of forces, people, "
            "words or kinds"
        )
    known = watch_kinds()
    kinds: list[str] = []
    for kind in lists["kinds"]:
        folded = WATCH_KIND_ALIASES.get(kind.lower(), kind.lower())
        if folded not in known:
            raise ConfigError(
                f"{where('kinds')}: {label}: unknown kind {kind!r}{_close(folded, known)} "
                f"(kinds: {', '.join(known)})"
            )
        kinds.append(folded)
    return WatchRule(
        name=name.strip() or None if isinstance(name, str) else None,
        forces=lists["forces"],
        people=lists["people"],
        words=lists["words"],
        kinds=tuple(dict.fromkeys(kinds)),
        line=start,
    )


def _table_end(lines: list[str], start: int | None) -> int:
    """The line after a table's last: the next header of any table, else the end."""
    if start is None:
        return len(lines) + 1
    for number in range(start + 1, len(lines) + 1):
        if _ANY_HEADER.match(lines[number - 1]):
            return number
    return len(lines) + 1


def _line_of(lines: list[str], key: str, start: int, end: int) -> int | None:
    pattern = re.compile(rf"^\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number in range(max(start, 1), min(end, len(lines) + 1)):
        if pattern.match(lines[number - 1]):
            return number
    return None


def _close(key: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
