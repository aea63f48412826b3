"""Key-to-paint latency of moving the selection in a list of 5,000 stories.

The app runs under Textual's pilot at 120x40 on a real Newsroom whose store holds 5,000
generated articles (see `startup.py`). Each sample is timed inside the app: from the
moment the key event reaches the app to the end of the next screen refresh after it
(`call_after_refresh`), so the pilot's own waiting is not counted; and, as an upper
bound, the pilot's round trip (press, then wait for idle), which includes its own waits.
Prints medians (and the in-app 95th percentile) of 200 keys.

Target: < 50 ms median.

    .venv/bin/python benchmarks/keys.py [--stories 5000] [--keys 200]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from startup import fill


async def run(config: Path, keys: int) -> tuple[list[float], list[float]]:
    from heraldtui.core.newsroom import Newsroom
    from heraldtui.tui.app import HeraldApp

    room = Newsroom.open(config, config.parent / "data")
    samples: list[float] = []
    seen: set[float] = set()
    round_trips: list[float] = []
    try:
        from textual import events

        class Timed(HeraldApp):
            async def on_event(self, event: events.Event) -> None:
                # A key reaches App.on_event more than once (as it is forwarded): time the
                # first arrival of each key only.
                if isinstance(event, events.Key) and event.key == "j" and event.time not in seen:
                    seen.add(event.time)
                    start = time.perf_counter()
                    self.call_after_refresh(lambda: samples.append(time.perf_counter() - start))
                await super().on_event(event)

        app = Timed(room, refresh_on_start=False)
        async with app.run_test(size=(120, 40)) as pilot:
            main = app.main_screen
            assert main is not None
            while not main.loaded:
                await asyncio.sleep(0.05)
            await pilot.pause()
            for _ in range(keys):
                began = time.perf_counter()
                await pilot.press("j")
                await pilot.pause()
                round_trips.append(time.perf_counter() - began)
            assert main.story_list.cursor == min(keys, len(main.shown) - 1)
    finally:
        room.close()
    return samples, round_trips


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=5000)
    parser.add_argument("--keys", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        config = fill(Path(tmp), args.stories)
        samples, round_trips = asyncio.run(run(config, args.keys))
    trips = sorted(s * 1000 for s in round_trips)
    print(
        f"pilot round trip (press + pause, includes the pilot's own waits): median "
        f"{statistics.median(trips):.1f} ms"
    )
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[int(len(ms) * 0.95) - 1]
    print(
        f"{args.stories} stories: key-to-paint median {statistics.median(ms):.1f} ms, "
        f"p95 {p95:.1f} ms over {len(ms)} keys"
    )


if __name__ == "__main__":
    main()
