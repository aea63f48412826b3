"""`benchmarks/grouping.py --against PYTHON` is only a fair comparison if each side groups
the same articles with its own checkout's heraldtui, whatever folder it is started from."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from heraldtui.core.stories.grouper import group_articles
from tests.support.modules import grouping_benchmark
from tests.support.paths import REPO

SIZE = 80
"""Realistic articles grouped: enough for stories of several articles."""

# Another "checkout" whose grouping makes one story per article, and counts what it read.
_OTHER = {
    "heraldtui/__init__.py": "",
    "heraldtui/core/__init__.py": "",
    "heraldtui/core/models.py": (
        "class Article:\n    def __init__(self, **fields):\n        self.__dict__.update(fields)\n"
    ),
    "heraldtui/core/stories/__init__.py": "",
    "heraldtui/core/stories/grouper.py": (
        "def group_articles(articles):\n"
        "    assert len({a.guid for a in articles}) == len(articles)\n"
        "    return [[a] for a in articles]\n"
    ),
}


def _other_python(tmp_path: Path) -> Path:
    """An interpreter whose `heraldtui` is the checkout above (this venv's Python, with
    the other checkout first on its path)."""
    checkout = tmp_path / "other"
    for name, text in _OTHER.items():
        (checkout / name).parent.mkdir(parents=True, exist_ok=True)
        (checkout / name).write_text(text, encoding="utf-8")
    python = tmp_path / "python"
    python.write_text(f'#!/bin/sh\nPYTHONPATH={checkout} exec {sys.executable} "$@"\n')
    python.chmod(0o755)
    return python


def test_each_side_groups_the_same_articles_with_its_own_checkout(tmp_path: Path) -> None:
    other = _other_python(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    command = [sys.executable, str(REPO / "benchmarks" / "grouping.py"), "--sizes", str(SIZE)]
    command += ["--runs", "2", "--generators", "realistic", "--against", str(other)]
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=REPO,  # where `-c` would find this checkout's heraldtui first
        timeout=300,
    )
    articles, _ = grouping_benchmark().generate("realistic", SIZE)
    ours = len(group_articles(articles))
    assert ours < SIZE  # some stories of several articles: the two sides differ
    counts = dict(re.findall(r"\[(.+?)\]: full grouping median .*?; (\d+) stories\)", done.stdout))
    assert counts == {"this checkout": str(ours), str(other): str(SIZE)}, done.stdout
    ratio = re.search(r"CPU median [\d.]+ \(rounds: ([\d.]+), ([\d.]+)\)", done.stdout)
    assert ratio is not None, done.stdout
