"""`heraldtui export --offline --format markdown` of a large store: first and second run.

Usage: `python benchmarks/export.py [--sizes 10000 50000] [--runs 3] [--content mix]`

For each size a data folder is filled once through the real `Store` and grouped once
in-process (as the reader does when articles arrive; the time is printed on its own),
and the database file is set aside. Each run then copies that file into a fresh data
folder and starts `heraldtui export --offline --format markdown` twice as separate
processes: the first run finds no stored facts for the articles (a store written before
facts were stored, or articles no export has merged yet) and the second finds them all.
Wall time, CPU time (user + sys) and peak RSS come from `os.wait4` on each process (the
peak is the largest single process: the export's own, or one of its extraction workers);
the medians over the runs are printed, then every run, so noise is visible. With
`--ungrouped`, one export is first timed on the store as the refresh left it, before that
grouping: grouping and facts both included.

Before and after (`--before CMD --before-python PY`): another heraldtui (an older
checkout's) is timed on its own copy of the same store in every run, alternating which
goes first, so both see the same machine load; the store is then filled by `PY`, that
checkout's Python (its older schema must read the store; the newer code migrates it on
its first export), and every run checks that both wrote the same digest byte for byte
(the "Generated" line aside). With `--before-once` the older one exports once per run:
one that stores no facts does the same work on its second export. An older checkout
without a virtual environment can run on this one's packages (`-P`: the current folder,
this checkout, not first on the path):

    git archive BASE | tar -x -C /tmp/base
    OLD="env PYTHONPATH=/tmp/base $PWD/.venv/bin/python"
    .venv/bin/python benchmarks/export.py --before "$OLD -P -m heraldtui" --before-python "$OLD"

Content (`--content`):

- `mix` (default): the realistic stream of `benchmarks/grouping.py` (inspections reported
  by several outlets, meetings, court cases, syndicated copies, routine stories) with
  0-4 paragraphs of generic wording (`benchmarks/feedgen.py`'s vocabulary, no place
  names) after the event's own paragraphs, so articles are 1-2 kB like real ones.
- `stream`: the stream alone (short articles, a few hundred characters).
- `dense`: `benchmarks/feedgen.py`'s items (five paragraphs, every article naming the
  same eight towns) spread over the same months: the dense local coverage on which
  grouping, not the facts, is what costs (keep the sizes small until grouping is
  bounded on it).

Targets (issue 14): 10,000 articles under 3 s, 50,000 under 12 s, peak under 400 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

try:  # the heraldtui this Python runs (an older checkout's, as `--before-python`) ...
    import heraldtui  # noqa: F401
except ImportError:  # ... else this checkout's
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from feedgen import PLACES, WORDS, _paragraph
from grouping import Stream

from heraldtui.core.models import Article, FeedState

CONTENTS = ("mix", "stream", "dense")


@dataclass(frozen=True, slots=True)
class Run:
    wall: float
    cpu: float
    peak_mb: float


def heraldtui_command() -> list[str]:
    exe = Path(sys.executable).with_name("heraldtui")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "heraldtui"]


def _filler(rng: random.Random) -> str:
    """A paragraph of generic wording that names no place (so it links no stories)."""
    sentences = []
    for _ in range(rng.randint(3, 5)):
        words = [rng.choice(WORDS) for _ in range(rng.randint(12, 24))]
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def generate(size: int, content: str) -> list[Article]:
    """`size` articles of the given content, oldest first, deterministic."""
    rng = random.Random(size)
    if content == "dense":
        start = datetime(2023, 1, 1, 8, tzinfo=UTC)
        minutes = max(30, size // 45) * 1440
        out = []
        for n in range(size):
            body = "\n\n".join(_paragraph(rng, 5) for _ in range(5))
            outlet = f"Outlet {n % 200}"
            title = f"{rng.choice(PLACES)} {rng.choice(WORDS)} {rng.choice(WORDS)} update {n}"
            out.append(
                Article(
                    feed=outlet,
                    guid=f"outlet{n % 200}-{n}",
                    link=f"https://outlet{n % 200}.example/news/{n}",
                    title=title,
                    author=None,
                    published=start + timedelta(minutes=rng.randint(0, minutes)),
                    summary=_paragraph(rng, 2),
                    content=body,
                )
            )
        return sorted(out, key=lambda a: (a.published, a.id))
    articles = Stream(seed=size).build(size)
    if content == "stream":
        return articles
    padded = []
    for a in articles:
        extra = [_filler(rng) for _ in range(rng.randint(0, 4))]
        content_ = "\n\n".join([a.content, *extra]) if extra else a.content
        padded.append(
            Article(
                feed=a.feed,
                guid=a.guid,
                link=a.link,
                title=a.title,
                author=a.author,
                published=a.published,
                summary=a.summary,
                content=content_,
            )
        )
    return padded


def fill(folder: Path, articles: Sequence[Article]) -> Path:
    """A feeds.toml naming every feed (unreachable URLs: nothing is fetched) and a store
    holding `articles`, grouped once; returns the feeds file."""
    from heraldtui.core.newsroom import DB_NAME, Newsroom
    from heraldtui.core.storage.store import Store

    by_feed: dict[str, list[Article]] = {}
    for a in articles:
        by_feed.setdefault(a.feed, []).append(a)
    names = sorted(by_feed)
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "feeds.toml"
    config.write_text(
        "".join(
            f"[[feeds]]\nname = {json.dumps(n)}\nurl = 'http://127.0.0.1:9/{i}.rss'\n\n"
            for i, n in enumerate(names)
        ),
        encoding="utf-8",
    )
    began = datetime(2026, 1, 1, tzinfo=UTC)
    with Store(folder / "data" / DB_NAME) as store:
        for i, name in enumerate(names):
            state = FeedState(
                name=name,
                url=f"http://127.0.0.1:9/{i}.rss",
                status="ok",
                last_fetch=began,
                items=len(by_feed[name]),
            )
            store.save_feed_result(state, by_feed[name])
    shutil.copytree(folder / "data", folder / "refreshed")  # as a refresh leaves it
    t0 = time.perf_counter()
    with Newsroom.open(config, folder / "data") as room:
        stories = len(room.stories(merge=False))
    print(
        f"  grouped {len(articles)} articles from {len(names)} feeds into {stories} stories "
        f"in {time.perf_counter() - t0:.1f} s (once, in-process, as when they arrive)",
        flush=True,
    )
    return config


def build(folder: Path, size: int, content: str, python: Sequence[str]) -> Path:
    """`fill` run in a child process by `python`, returning the feeds file.

    Not in this process: a child's peak RSS (`ru_maxrss`) starts from its parent's
    resident size at the fork, which after generating and grouping 50,000 articles here
    would be most of what was measured.
    """
    cmd = [*python, __file__, "--build", str(folder), "--sizes", str(size)]
    subprocess.run([*cmd, "--content", content], check=True)
    return folder / "feeds.toml"


def timed(cmd: list[str]) -> Run:
    """Wall and CPU seconds and peak RSS in MB of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {err[-2000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def _median(runs: list[Run]) -> str:
    wall = statistics.median(r.wall for r in runs)
    cpu = statistics.median(r.cpu for r in runs)
    peak = max(r.peak_mb for r in runs)
    return f"median {wall:6.2f} s wall, {cpu:6.2f} s CPU; peak {peak:4.0f} MB"


def _digest(path: Path) -> bytes:
    """The Markdown digest without its "Generated <time>" line, the only one that may vary."""
    lines = path.read_bytes().splitlines(keepends=True)
    return b"".join(line for line in lines if not line.startswith(b"Generated "))


@dataclass
class Subject:
    """One heraldtui command measured: its first and second exports over the runs."""

    label: str
    command: list[str]
    first: list[Run]
    second: list[Run]
    once: bool = False
    """Time the first export only (a checkout that stores no facts does it all again)."""

    def export(self, config: Path, data: Path, output: Path) -> list[str]:
        return [
            *self.command,
            *("export", "--offline", "--format", "markdown"),
            *("--config", str(config), "--data-dir", str(data), "--output", str(output)),
        ]

    def run(self, config: Path, store: Path, scratch: Path) -> Path:
        """Both exports (or the first) on a fresh copy of the `store` folder; returns the
        last digest."""
        data = scratch / f"data-{self.label}"
        shutil.copytree(store, data)
        outputs = [scratch / f"{self.label}-first.md", scratch / f"{self.label}-second.md"]
        self.first.append(timed(self.export(config, data, outputs[0])))
        if self.once:
            shutil.rmtree(data)
            return outputs[0]
        self.second.append(timed(self.export(config, data, outputs[1])))
        shutil.rmtree(data)
        if _digest(outputs[0]) != _digest(outputs[1]):
            raise SystemExit(f"{self.label}: the second export wrote another digest")
        return outputs[1]

    def last(self) -> str:
        runs = [("first", self.first[-1])] + ([] if self.once else [("second", self.second[-1])])
        return " ".join(f"{name} {r.wall:.2f} s ({r.peak_mb:.0f} MB)" for name, r in runs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--content", choices=CONTENTS, default="mix")
    parser.add_argument("--cmd", help="the heraldtui command (default: next to this Python)")
    parser.add_argument("--before", help="another heraldtui command, timed alternately")
    parser.add_argument(
        "--before-python", help="the Python that fills the store for --before (its checkout's)"
    )
    parser.add_argument(
        "--before-once",
        action="store_true",
        help="time one export of --before per run (one that stores no facts repeats itself)",
    )
    parser.add_argument(
        "--ungrouped",
        action="store_true",
        help="also time one export of the store as a refresh leaves it (grouping included)",
    )
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build is not None:  # the child that fills a store (see `build`)
        [size] = args.sizes
        articles = generate(size, args.content)
        chars = sum(len(a.text) for a in articles) / max(1, len(articles))
        print(f"{size} articles ({args.content}, {chars:.0f} characters each on average)")
        fill(args.build, articles)
        return 0
    if bool(args.before) != bool(args.before_python):
        parser.error("--before and --before-python go together")
    after = Subject("after", args.cmd.split() if args.cmd else heraldtui_command(), [], [])
    subjects = [after]
    if args.before:
        subjects.insert(0, Subject("before", args.before.split(), [], [], args.before_once))
    python = args.before_python.split() if args.before_python else [sys.executable]
    for size in args.sizes:
        for subject in subjects:
            subject.first.clear()
            subject.second.clear()
        with tempfile.TemporaryDirectory(prefix="herald-export-bench-") as tmp:
            root = Path(tmp)
            config = build(root / "built", size, args.content, python)
            if args.ungrouped:
                for subject in subjects:
                    data = root / f"refreshed-{subject.label}"
                    shutil.copytree(root / "built" / "refreshed", data)
                    run = timed(subject.export(config, data, root / "ungrouped.md"))
                    shutil.rmtree(data)
                    print(
                        f"  {subject.label}: export of the store as a refresh left it "
                        f"(grouping and facts): {run.wall:.2f} s wall, {run.cpu:.2f} s CPU; "
                        f"peak {run.peak_mb:.0f} MB",
                        flush=True,
                    )
            for n in range(args.runs):
                order = subjects if n % 2 == 0 else subjects[::-1]
                digests = [s.run(config, root / "built" / "data", root) for s in order]
                if any(_digest(d) != _digest(digests[0]) for d in digests[1:]):
                    raise SystemExit("before and after wrote different digests")
                line = ", ".join(f"{s.label}: {s.last()}" for s in subjects)
                same = "; same digest" if len(subjects) > 1 else ""
                print(f"  run {n + 1}: {line}{same}", flush=True)
            for s in subjects:
                print(f"  {s.label:6} first export  (facts not stored): {_median(s.first)}")
                if s.second:
                    print(f"  {s.label:6} second export (facts stored):     {_median(s.second)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
