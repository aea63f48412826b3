"""What a force's screen (`facts/force_view.py`) costs: time and, above all, merges.

A merge costs a few milliseconds per article (`benchmarks/extract.py`), so the screen
must merge only what it shows. On the generated listing of `benchmarks/history.py` (43
forces over ten years: inspections, responses, meetings and everyday news), with a
stand-in merge that counts its calls, this builds one force's view (two weeks after its
latest inspection, its scrutiny meeting still to come) from a fresh
`ForceHistory` (as after a reload), then again from the same one (the screen opened a
second time), and prints the time, the merges, and how many stories the force has:

    .venv/bin/python benchmarks/force_view.py [--stories 50000] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import timedelta

from history import START, CountingMerge, listing  # beside this script

from heraldtui.core.facts.force_view import build_force_view
from heraldtui.core.facts.history import ForceHistory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    stories, facts = listing(args.stories)
    force = "Force 7"
    reports = [s for s in stories if s.force == force and s.kind == "inspection"]
    latest = max(s.articles[0].published or START for s in reports)
    today = (latest + timedelta(days=15)).date()  # its scrutiny meeting still to come
    ours = sum(1 for s in stories if s.force == force)
    print(f"{len(stories)} stories; {force}: {ours} stories; today {today}")
    first, again, merges = [], [], []
    for _ in range(args.runs):
        merge = CountingMerge(facts)
        start = time.perf_counter()
        history = ForceHistory(stories, merge)
        view = build_force_view(history, force, today)
        first.append(time.perf_counter() - start)
        merges.append(merge.calls)
        start = time.perf_counter()
        build_force_view(history, force, today)
        again.append(time.perf_counter() - start)
    print(
        f"first view: {statistics.median(first) * 1000:.1f} ms median, "
        f"{statistics.median(merges):.0f} stories merged of {ours}; "
        f"again: {statistics.median(again) * 1000:.1f} ms"
    )
    print(
        f"{len(view.inspections)} inspections, {len(view.grid)} areas, "
        f"{len(view.meetings)} upcoming meetings, {len(view.recent)} recent stories"
    )


if __name__ == "__main__":
    main()
