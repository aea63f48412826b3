"""Opening a link from the reader: the configured browser, else a graphical one, else say so.

`o` must never start a text browser (lynx, w3m, ...) in the terminal the reader is drawing
in, and must not fail silently over SSH, where there is no browser at all. So:

- `[settings] browser` in feeds.toml is a command line, run with the link added at its
  end, detached from the terminal (its output is discarded);
- else Python's `webbrowser` is asked for the default browser, and used only when it is
  not one of the text browsers it falls back to on a machine with no display;
- else the reader shows the link and offers to copy it (OSC 52: the terminal puts it on
  the clipboard, over SSH too, where the terminal allows it).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import webbrowser

TEXT_BROWSERS = frozenset({"www-browser", "links", "links2", "elinks", "lynx", "w3m"})


def graphical_browser_available() -> bool:
    """True when `webbrowser` would open a link without taking over the terminal."""
    try:  # `get` looks along PATH (once): only when a link is opened
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    name = (getattr(browser, "name", "") or "").split()
    return not name or os.path.basename(name[0]) not in TEXT_BROWSERS


def run_browser(command: str, url: str) -> None:
    """Run the configured browser command on `url`, detached; `OSError` if it cannot start."""
    try:
        argv = [*shlex.split(command), url]
    except ValueError as exc:  # an unbalanced quote in the setting
        raise OSError(f"browser setting {command!r}: {exc}") from None
    subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
