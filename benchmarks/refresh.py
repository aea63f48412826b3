"""Cold and unchanged `heraldtui refresh` on 200 generated feeds of 50 full-content items.

Usage: python benchmarks/refresh.py [--runs 5] [--feeds 200] [--items 50]
                                    [--generator feedgen|gen_feeds] [--json OUT.json]

Each run starts `heraldtui refresh` as a separate process on an empty data folder (cold),
then once more on the same folder with nothing changed (warm: every feed answers 304).
Prints the median wall time and the peak resident memory of each (ru_maxrss of that
process, from wait4), plus every run, so noise is visible.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from feedgen import GENERATORS, serve_feeds, write_feeds_toml


def heraldtui_command() -> list[str]:
    exe = Path(sys.executable).with_name("heraldtui")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "heraldtui"]


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds and peak RSS in MB of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err[-2000:]}")
    if proc.stderr:
        proc.stderr.close()
    return wall, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--generator", choices=GENERATORS, default="feedgen")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    cmd = heraldtui_command()
    rows: dict[str, list[tuple[float, float]]] = {"cold": [], "warm": []}
    with (
        serve_feeds(args.feeds, args.items, args.generator) as (base, paths, size),
        tempfile.TemporaryDirectory(prefix="herald-bench-") as tmp,
    ):
        config = write_feeds_toml(Path(tmp), base, paths)
        print(
            f"{args.feeds} feeds x {args.items} items ({args.generator}), {size / 1e6:.1f} MB, "
            f"{os.cpu_count()} cores"
        )
        for run in range(args.runs):
            data = Path(tmp) / f"data{run}"
            refresh = [*cmd, "refresh", "--config", str(config), "--data-dir", str(data)]
            rows["cold"].append(timed(refresh))
            rows["warm"].append(timed(refresh))
            shutil.rmtree(data)
            cold, warm = rows["cold"][-1], rows["warm"][-1]
            print(
                f"run {run + 1}: cold {cold[0]:.2f} s {cold[1]:.0f} MB, "
                f"warm {warm[0]:.2f} s {warm[1]:.0f} MB"
            )
    result = {
        name: {
            "median_s": statistics.median(w for w, _ in runs),
            "peak_mb": max(m for _, m in runs),
            "runs_s": [round(w, 3) for w, _ in runs],
        }
        for name, runs in rows.items()
    }
    print(f"{'refresh':<8}{'median s':>10}{'peak MB':>10}")
    for name, row in result.items():
        print(f"{name:<8}{row['median_s']:>10.2f}{row['peak_mb']:>10.0f}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
