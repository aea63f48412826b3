"""Which fast paths a refresh takes, and the one switch that turns them all off.

Three steps of a refresh have a fast path that gives the result of a general library at a
fraction of its cost, on the inputs it is sure of, and hands everything else to that
library:

- `rss`: plain RSS 2.0 read with expat (`rssfast`) instead of feedparser;
- `markdown`: simple HTML fragments converted by `text.fast_markdown` instead of
  BeautifulSoup and markdownify (feed content only: article pages always go through
  markdownify, see `fulltext`);
- `transport`: HTTP/1.1 on asyncio streams parsed by h11 (`transport.H11Transport`)
  instead of httpx's own transport (httpcore on anyio).

Each must give the same records as the library it stands in for; equivalence tests hold
them to it. `FastPaths` is passed down as a parameter (`refresh_feeds`, `Fetcher`,
`parse_feed`), never read from a global, so a test can run both paths side by side.

The switch for a whole run is the environment: `HERALDTUI_FAST_PATHS=0` turns all three off
(`FastPaths.from_env()`, read once by `Newsroom`), to compare a refresh with and without
them or to rule them out when a feed reads wrongly. Unset, or any other value, leaves them
on. Only speed may differ; stored articles are the same.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["ENV_VAR", "FAST_PATHS_ON", "FastPaths"]

ENV_VAR = "HERALDTUI_FAST_PATHS"
"""`0` turns every fast path off for the run; see the module docstring."""


@dataclass(frozen=True, slots=True)
class FastPaths:
    """Which fast paths to take (all by default); picklable, for the parse workers."""

    rss: bool = True
    markdown: bool = True
    transport: bool = True

    @classmethod
    def off(cls) -> FastPaths:
        """Every step done by the general library: feedparser, markdownify, httpcore."""
        return cls(rss=False, markdown=False, transport=False)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> FastPaths:
        """All off when `HERALDTUI_FAST_PATHS` is `0` (spaces aside), else all on."""
        value = (os.environ if environ is None else environ).get(ENV_VAR, "")
        return cls.off() if value.strip() == "0" else cls()


FAST_PATHS_ON = FastPaths()
"""The default of every `fast_paths` parameter."""
