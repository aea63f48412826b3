"""`heraldtui refresh` against newsboat on the same feeds, in the same run (issues 7, 14).

Usage: python benchmarks/refresh_vs_newsboat.py [--pairs 5] [--feeds 200] [--items 50]
                                                [--generator feedgen|gen_feeds]
                                                [--json OUT.json]

What it does:
- generates `--feeds` RSS feeds of `--items` full-content items, with `feedgen` (about
  45 MB for 200 x 50) or the shared sets' `gen_feeds` (about 33 MB: eight 60-word
  paragraphs per item), and serves them from a threaded HTTP server on 127.0.0.1 that
  answers conditional GETs (ETag / Last-Modified) with 304;
- runs, pair by pair, A then B, so both see the same machine load:
  heraldtui cold (`heraldtui refresh` on an empty data folder, up to stored articles),
  newsboat cold (`newsboat -x reload` with `reload-threads 8` on an empty cache),
  then heraldtui warm (its second refresh: nothing changed, every feed asked with its
  validators), newsboat's second reload and newsboat warm, its *third* reload;
- for each run, wall time, CPU time (user + sys) and peak resident memory, all from
  `os.wait4` on that process (CPU and peak memory include its worker processes);
- prints the medians and the heraldtui/newsboat ratio of each pair (and the median of
  those ratios), and writes everything to `--json` (default: refresh_vs_newsboat.json
  in the current folder).

With `--floor`, each pair also times, right after heraldtui's warm refresh, two
yardsticks of what any Python program pays: `python -c pass` (starting the interpreter)
and `warm_floor.py` (the smallest stdlib-only warm refresh of the same feeds: read the
feeds file and a copy of the store's validators, 8 conditional GETs at a time on raw
sockets, one write), with their ratio to newsboat's warm reload.

Why newsboat's third reload: newsboat 2.21 sends no conditional request on its second
reload (the server sees plain GETs and answers 200 with the whole feed, which newsboat
parses again); only from the third does it send If-None-Match / If-Modified-Since and get
304s. Its second reload is timed and printed, but "warm" is the third.

It installs nothing. Without newsboat it says how to get it (`apt-get install newsboat`,
the Debian package) and times heraldtui alone. The server runs in a separate process so
its work does not share an interpreter lock with the timing loop.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from feedgen import GENERATORS, write_feeds_toml  # noqa: E402

SERVER = """
import sys, time
sys.path.insert(0, {here!r})
from feedgen import serve_feeds
with serve_feeds({feeds}, {items}, {generator!r}) as (base, paths, size):
    print(base, size, flush=True)
    sys.stdin.read()  # serve until the benchmark closes our stdin
"""


@dataclass(frozen=True)
class Run:
    wall_s: float
    cpu_s: float
    peak_mb: float


def heraldtui_command() -> list[str]:
    exe = Path(sys.executable).with_name("heraldtui")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "heraldtui"]


def timed(cmd: list[str]) -> Run:
    """Run `cmd` to completion; its wall time, CPU time and peak RSS (with children)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if code != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({code}): {err[-2000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def newsboat_version(exe: str) -> str:
    out = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False)
    return out.stdout.splitlines()[0] if out.stdout else "newsboat"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--generator", choices=GENERATORS, default="feedgen")
    parser.add_argument("--json", type=Path, default=Path("refresh_vs_newsboat.json"))
    parser.add_argument(
        "--floor", action="store_true", help="also time Python's own floor (warm_floor.py)"
    )
    args = parser.parse_args()

    newsboat = shutil.which("newsboat")
    if newsboat is None:
        print(
            "newsboat is not installed: timing heraldtui alone. To compare, install it "
            "(Debian/Ubuntu: sudo apt-get install newsboat) and run this again.",
            file=sys.stderr,
        )
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            SERVER.format(
                here=str(HERE), feeds=args.feeds, items=args.items, generator=args.generator
            ),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        base, size = server.stdout.readline().split()
        paths = [f"/feeds/{i}.xml" for i in range(args.feeds)]
        with tempfile.TemporaryDirectory(prefix="herald-vs-newsboat-") as tmp:
            result = run_pairs(Path(tmp), base, paths, newsboat, args.pairs, args.floor)
    finally:
        if server.stdin:
            server.stdin.close()
        server.wait(timeout=10)
    cores = os.cpu_count()
    head = (
        f"{args.feeds} feeds x {args.items} items ({args.generator}), {int(size) / 1e6:.1f} MB, "
        f"{cores} cores, {args.pairs} pairs"
    )
    report = {
        "setup": head,
        "cores": cores,
        "feeds": args.feeds,
        "items": args.items,
        "generator": args.generator,
        "megabytes": round(int(size) / 1e6, 1),
        "newsboat": newsboat_version(newsboat) if newsboat else None,
        **result,
    }
    print_table(report)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"saved {args.json}")
    return 0


def run_pairs(
    tmp: Path, base: str, paths: list[str], newsboat: str | None, pairs: int, floor: bool
) -> dict[str, object]:
    config = write_feeds_toml(tmp, base, paths)
    urls = tmp / "urls"
    urls.write_text("".join(f"{base}{p}\n" for p in paths), encoding="utf-8")
    nb_config = tmp / "newsboat.conf"
    nb_config.write_text("reload-threads 8\n", encoding="utf-8")
    keys = ("h_cold", "n_cold", "h_warm", "n_second", "n_warm", "py_start", "py_floor")
    runs: dict[str, list[Run]] = {k: [] for k in keys}
    herald = heraldtui_command()
    for pair in range(pairs):
        data = tmp / f"data{pair}"
        cache = tmp / f"cache{pair}.db"
        refresh = [*herald, "refresh", "--config", str(config), "--data-dir", str(data)]
        reload = [newsboat or "newsboat", "-x", "reload", "-u", str(urls), "-c", str(cache)]
        reload += ["-C", str(nb_config)]
        runs["h_cold"].append(timed(refresh))
        if newsboat:
            runs["n_cold"].append(timed(reload))
        runs["h_warm"].append(timed(refresh))
        if floor:
            store = tmp / "floor.sqlite3"
            shutil.copyfile(data / "heraldtui.sqlite3", store)
            runs["py_start"].append(timed([sys.executable, "-c", "pass"]))
            floor_cmd = [sys.executable, str(HERE / "warm_floor.py"), str(config), str(store)]
            runs["py_floor"].append(timed(floor_cmd))
            store.unlink()
        if newsboat:
            # newsboat's second reload sends no validators; its third is the warm one.
            runs["n_second"].append(timed(reload))
            runs["n_warm"].append(timed(reload))
        line = f"pair {pair + 1}: heraldtui cold {runs['h_cold'][-1].wall_s:.2f} s"
        if newsboat:
            line += f", newsboat cold {runs['n_cold'][-1].wall_s:.2f} s"
        line += f", heraldtui warm {runs['h_warm'][-1].wall_s:.2f} s"
        if newsboat:
            line += (
                f", newsboat second {runs['n_second'][-1].wall_s:.2f} s,"
                f" third (warm) {runs['n_warm'][-1].wall_s:.2f} s"
            )
        print(line, flush=True)
        shutil.rmtree(data, ignore_errors=True)
        for leftover in tmp.glob(f"cache{pair}.db*"):
            leftover.unlink()
    summary: dict[str, object] = {}
    for key, rows in runs.items():
        if rows:
            summary[key] = {
                "median_wall_s": round(statistics.median(r.wall_s for r in rows), 3),
                "median_cpu_s": round(statistics.median(r.cpu_s for r in rows), 3),
                "peak_mb": round(max(r.peak_mb for r in rows), 1),
                "runs": [asdict(r) for r in rows],
            }
    if newsboat and floor:
        ratios = [
            f.wall_s / n.wall_s for f, n in zip(runs["py_floor"], runs["n_warm"], strict=True)
        ]
        summary["ratio_floor"] = {
            "pairs": [round(r, 3) for r in ratios],
            "median": round(statistics.median(ratios), 3),
        }
    if newsboat:
        for phase in ("cold", "warm"):
            ratios = [
                h.wall_s / n.wall_s
                for h, n in zip(runs[f"h_{phase}"], runs[f"n_{phase}"], strict=True)
            ]
            summary[f"ratio_{phase}"] = {
                "pairs": [round(r, 3) for r in ratios],
                "median": round(statistics.median(ratios), 3),
            }
    return summary


def print_table(report: dict[str, object]) -> None:
    print(report["setup"])
    names = {"h_cold": "heraldtui cold", "n_cold": "newsboat cold", "h_warm": "heraldtui warm"}
    names["n_second"] = "newsboat 2nd"
    names["n_warm"] = "newsboat warm"
    names["py_start"] = "python -c pass"
    names["py_floor"] = "warm_floor.py"
    print(f"{'':<16}{'median wall s':>14}{'median CPU s':>14}{'peak MB':>9}")
    for key, name in names.items():
        row = report.get(key)
        if isinstance(row, dict):
            print(
                f"{name:<16}{row['median_wall_s']:>14.2f}{row['median_cpu_s']:>14.2f}"
                f"{row['peak_mb']:>9.0f}"
            )
    for phase, who in (("cold", "heraldtui"), ("warm", "heraldtui"), ("floor", "warm_floor")):
        ratio = report.get(f"ratio_{phase}")
        if isinstance(ratio, dict):
            pairs = ", ".join(f"{r:.2f}" for r in ratio["pairs"])
            what = "warm" if phase == "floor" else phase
            print(f"{who}/newsboat {what}: median {ratio['median']:.2f} (pairs: {pairs})")


if __name__ == "__main__":
    raise SystemExit(main())
