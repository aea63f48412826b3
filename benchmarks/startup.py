"""Time from process start to the first painted frame of stories, and peak memory.

For 0, 5,000 and 50,000 cached articles: a data folder is filled through the real
`Store` (generated articles, 50 feeds, distinct wording so they do not all group), then
`heraldtui`'s app is started in a fresh process, headless, with no refresh. The child
reports when the main screen has shown the stored stories and the next frame has been
painted, the CPU time it had used by then (less sensitive than the wall time to other
jobs on the machine), and its peak RSS; where the reader paints the newest page first,
when every story is listed ("all listed"); then, where the reader indexes every story's
text for its filter after the list is shown, when that index is ready and the peak RSS
after it.
Each case is run 5 times; the median is printed.

Targets (issue 14): < 0.8 s at 5,000, < 1.2 s at 50,000, < 200 MB at 50,000.

`--cache DIR` keeps each filled folder in DIR/<size> and reuses it (grouping 50,000
generated articles takes minutes). `--against PYTHON` also times another checkout's
interpreter (e.g. /work/main/.venv/bin/python), its runs alternating with this one's; the
folder is then filled by PYTHON's heraldtui. Every interpreter times its own copy of the
folder, opened once before the runs, so a schema upgrade is not timed.

    .venv/bin/python benchmarks/startup.py [--sizes 0,5000,50000] [--runs 5] [--size 120x40]
        [--cache DIR] [--against PYTHON]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

WORDS = [
    *[
        "police",
        "officers",
        "constabulary",
        "inspection",
        "report",
        "commissioner",
        "panel",
        "meeting",
        "county",
    ],
    *[
        "patrol",
        "arrest",
        "court",
        "charged",
        "burglary",
        "theft",
        "community",
        "safety",
        "neighbourhood",
        "road",
    ],
    *[
        "speed",
        "crime",
        "victims",
        "support",
        "response",
        "calls",
        "budget",
        "precept",
        "council",
        "residents",
    ],
    *[
        "station",
        "sergeant",
        "detective",
        "investigation",
        "appeal",
        "witnesses",
        "vehicle",
        "village",
        "town",
    ],
]
FEEDS = 50


def fill(folder: Path, count: int) -> Path:
    """A feeds.toml (unreachable URLs: nothing is fetched) and a store of `count` articles."""
    from heraldtui.core.models import Article, FeedState
    from heraldtui.core.newsroom import DB_NAME
    from heraldtui.core.storage.store import Store

    config = folder / "feeds.toml"
    names = [f"Bench Feed {i:02d}" for i in range(FEEDS)]
    config.write_text(
        "".join(
            f'[[feeds]]\nname = "{n}"\nurl = "http://127.0.0.1:9/{i}.rss"\n\n'
            for i, n in enumerate(names)
        ),
        encoding="utf-8",
    )
    rng = random.Random(count)
    start = datetime(2024, 1, 1, tzinfo=UTC)
    store = Store(folder / "data" / DB_NAME)
    try:
        per_feed = count // FEEDS
        for f, name in enumerate(names):
            articles = []
            for i in range(per_feed):
                words = rng.sample(WORDS, 9)
                title = f"{' '.join(words[:6]).capitalize()} {f}-{i}"
                body = " ".join(rng.choice(WORDS) for _ in range(120))
                articles.append(
                    Article(
                        feed=name,
                        guid=f"{name}/{i}",
                        link=f"https://bench.example/{f}/{i}",
                        title=title,
                        author=None,
                        published=start + timedelta(minutes=f * per_feed + i),
                        summary=body[:140],
                        content=body,
                    )
                )
            store.save_feed_result(
                FeedState(
                    name=name,
                    url=f"http://127.0.0.1:9/{f}.rss",
                    status="ok",
                    last_fetch=start,
                    items=len(articles),
                ),
                articles,
            )
    finally:
        store.close()
    # The reader groups articles as they arrive and keeps the stories in the store, so a
    # cache of N articles has been grouped before: do it once here, timed on its own.
    from heraldtui.core.newsroom import Newsroom

    began = time.perf_counter()
    with Newsroom.open(config, folder / "data") as room:
        stories = len(room.stories(merge=False))
    print(
        f"  (first grouping of {count} articles into {stories} stories: "
        f"{time.perf_counter() - began:.1f} s, done once when they arrive)"
    )
    return config


def child(config: Path, data: Path) -> None:
    """Run the app headless; print start-to-paint seconds and peak RSS as JSON, then exit."""
    import resource

    from heraldtui.core.newsroom import Newsroom
    from heraldtui.tui.app import HeraldApp

    started = float(sys.argv[sys.argv.index("--started") + 1])
    out = Path(sys.argv[sys.argv.index("--out") + 1])

    class Probe(HeraldApp):
        first_frame = 0.0

        def on_mount(self) -> None:
            super().on_mount()
            self.call_after_refresh(self._first_frame)
            self.set_interval(0.005, self._check)

        def _first_frame(self) -> None:
            self.first_frame = time.time() - started

        def _check(self) -> None:
            if self.main_screen is not None and self.main_screen.loaded:
                self.call_after_refresh(self._painted)

        painted = 0.0
        painted_mb = 0.0
        painted_cpu = 0.0
        listed = 0.0

        def _painted(self) -> None:
            if self.painted:
                return
            self.painted = time.time() - started
            usage = resource.getrusage(resource.RUSAGE_SELF)
            self.painted_mb = usage.ru_maxrss / 1024
            self.painted_cpu = usage.ru_utime + usage.ru_stime
            state = self.main_screen.state if self.main_screen is not None else None
            if getattr(state, "complete", True):
                self.listed = self.painted  # every story was in the first paint
            self.set_interval(0.01, self._indexed)

        def _indexed(self) -> None:
            state = self.main_screen.state if self.main_screen is not None else None
            if not self.listed and state is not None and getattr(state, "complete", True):
                self.listed = time.time() - started  # the rest came after the first page
            indexing = state is not None and hasattr(state, "indexed")
            if indexing and state is not None and state.indexed != state.generation:
                return  # the text index is still being built
            result = {
                "seconds": self.painted,
                "first": self.first_frame,
                "peak_mb": self.painted_mb,
                "cpu": self.painted_cpu,
                "listed": self.listed,
                "indexed": time.time() - started if indexing else None,
                "indexed_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            }
            # Textual captures stdout while it runs: the result goes to a file.
            out.write_text(json.dumps(result))
            self.exit()

    width, height = (int(n) for n in sys.argv[sys.argv.index("--size") + 1].split("x"))
    room = Newsroom.open(config, data)
    try:
        Probe(room, refresh_on_start=False).run(headless=True, size=(width, height))
    finally:
        room.close()


def prepare(folder: Path, python: str) -> Path:
    """A copy of a filled folder for `python`, its store opened once (and upgraded)."""
    copy = Path(tempfile.mkdtemp(prefix="startup-"))
    shutil.copytree(folder, copy, dirs_exist_ok=True)
    subprocess.run([python, __file__, "--open", str(copy)], check=True)
    return copy / "feeds.toml"


def run_once(config: Path, python: str, size: str) -> dict[str, float | None]:
    started = time.time()
    out = config.parent / "result.json"
    subprocess.run(
        [
            python,
            __file__,
            "--child",
            str(config),
            "--started",
            str(started),
            "--out",
            str(out),
            "--size",
            size,
        ],
        capture_output=True,
        check=True,
        timeout=300,
    )
    result: dict[str, float | None] = json.loads(out.read_text())
    return result


def summary(results: list[dict[str, float | None]]) -> dict[str, float | None]:
    def median(key: str) -> float | None:
        values = [v for r in results if (v := r.get(key)) is not None]
        return statistics.median(values) if values else None

    keys = ("seconds", "cpu", "first", "peak_mb", "listed", "indexed", "indexed_mb")
    return {key: median(key) for key in keys}


def line(label: str, m: dict[str, float | None], runs: int) -> str:
    text = (
        f"{label}: first frame {m['first']:.2f} s, stories painted "
        f"{m['seconds']:.2f} s (median of {runs}; CPU {m['cpu']:.2f} s), "
        f"peak {m['peak_mb']:.0f} MB"
    )
    if m["listed"] is not None and m["seconds"] is not None and m["listed"] > m["seconds"]:
        text += f"; all listed {m['listed']:.2f} s"
    if m["indexed"] is not None:
        text += f"; text indexed {m['indexed']:.2f} s, peak then {m['indexed_mb']:.0f} MB"
    return text


def filled(size: int, cache: Path | None, python: str) -> tuple[Path, Path | None]:
    """The filled folder for `size` and a temporary folder to remove after (or None)."""
    if cache is not None and (cache / str(size) / "feeds.toml").exists():
        return cache / str(size), None
    folder = cache / str(size) if cache is not None else Path(tempfile.mkdtemp())
    folder.mkdir(parents=True, exist_ok=True)
    # Filled in a process of its own: on Linux a child inherits its parent's peak
    # RSS (ru_maxrss survives fork and exec), so the parent must stay small.
    subprocess.run([python, __file__, "--fill", str(folder), str(size)], check=True)
    return folder, None if cache is not None else folder


def main() -> None:
    if "--child" in sys.argv:
        config = Path(sys.argv[sys.argv.index("--child") + 1])
        child(config, config.parent / "data")
        return
    if "--fill" in sys.argv:
        where = sys.argv.index("--fill")
        fill(Path(sys.argv[where + 1]), int(sys.argv[where + 2]))
        return
    if "--open" in sys.argv:
        from heraldtui.core.newsroom import DB_NAME
        from heraldtui.core.storage.store import Store

        Store(Path(sys.argv[sys.argv.index("--open") + 1]) / "data" / DB_NAME).close()
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,5000,50000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--size", default="120x40", help="the terminal, e.g. 80x24")
    parser.add_argument("--cache", type=Path, help="keep filled folders here and reuse them")
    parser.add_argument("--against", help="another interpreter to time, alternating")
    args = parser.parse_args()
    pythons = [sys.executable] + ([args.against] if args.against else [])
    for size in (int(s) for s in args.sizes.split(",")):
        folder, scratch = filled(size, args.cache, pythons[-1])
        configs = [prepare(folder, python) for python in pythons]
        results: list[list[dict[str, float | None]]] = [[] for _ in pythons]
        try:
            for _ in range(args.runs):
                for i, python in enumerate(pythons):
                    results[i].append(run_once(configs[i], python, args.size))
        finally:
            for config in configs:
                shutil.rmtree(config.parent, ignore_errors=True)
            if scratch is not None:
                shutil.rmtree(scratch, ignore_errors=True)
        for python, runs in zip(pythons, results, strict=True):
            label = f"{size:>6} articles"
            if args.against:
                label += f" [{python}]"
            print(line(label, summary(runs), args.runs), flush=True)


if __name__ == "__main__":
    main()
