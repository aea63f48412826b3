"""httpx, imported without its command line.

httpx's package imports its command line (`httpx._main`: click, rich and pygments, about
0.1 s, a third of a small refresh) whenever those are installed, as they are beside
Textual. Nothing here runs it, so a None takes its place in `sys.modules`: that import then
fails, which httpx expects (it defines a `main` that says what to install), and the rest of
httpx is the same. Modules of this package import httpx from here.
"""

from __future__ import annotations

import sys

sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

import httpx  # noqa: E402
from httpx._utils import URLPattern, get_environment_proxies  # noqa: E402

# The environment's proxies read by httpx's own helpers (see proxies.py): private, so the
# httpx dependency is pinned to the minor releases that have them.
__all__ = ["URLPattern", "get_environment_proxies", "httpx"]
