"""The reader, headless, in its own process: `python -m tests.support.headless_reader
FEEDS.toml DATA_DIR`.

It runs the real `HeraldApp` on a real `Newsroom` under Textual's headless driver
(`run_test`): the refresh on start, a listing (`Newsroom.stories`) in a worker thread each
time a feed brings new articles, and the listing after the refresh. It quits once the
refresh has ended and no listing is running or pending, like a user quitting after the
first refresh, and exits 0; 3 if that did not happen within `POLLS` looks.

Tests start several of these at once on one data folder to race real processes the way
two readers do (`tests/hostile/test_concurrency.py`).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Final

POLLS: Final = 2400
"""Looks at the reader's state, `POLL_S` apart, before giving up (two minutes)."""
POLL_S: Final = 0.05


async def read(config: Path, data: Path) -> int:
    from heraldtui.core.newsroom import Newsroom
    from heraldtui.tui.app import HeraldApp

    with Newsroom.open(config, data) as newsroom:
        app = HeraldApp(newsroom)
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(POLLS):
                await pilot.pause(POLL_S)
                screen = app.main_screen
                if screen is None:
                    return 3
                state = screen.state
                settled = state.loaded and not state.loading and not state.reload_pending
                if state.last_refresh is not None and not state.refreshing and settled:
                    return 0
    return 3


def main() -> int:
    config, data = (Path(arg) for arg in sys.argv[1:3])
    return asyncio.run(read(config, data))


if __name__ == "__main__":
    sys.exit(main())
