"""`heraldtui corrections`: the reader's fixes listed and undone from the command line,
and `export` applying them, on a real store holding the grouping fixture set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from heraldtui.cli import main
from heraldtui.core.newsroom import Newsroom
from tests.stories.grouping_set import ARTICLES
from tests.test_newsroom_corrections import write_folder


def corrected_count(config: Path, capsys: pytest.CaptureFixture[str]) -> int:
    data = str(config.parent / "data")
    args = ["export", "--offline", "--format", "json", "--config", str(config)]
    assert main([*args, "--data-dir", data]) == 0
    stories = json.loads(capsys.readouterr().out)["stories"]
    return sum(1 for s in stories if s["corrected"])


def test_list_undo_and_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = write_folder(tmp_path, ARTICLES)
    where = ["--config", str(config), "--data-dir", str(tmp_path / "data")]
    with Newsroom.open(config, tmp_path / "data") as room:
        listed = sorted(room.stories(merge=False), key=lambda s: -len(s.story.articles))
        split = room.split_article(listed[0].story.articles[0].id)
        merge = room.merge_stories(listed[2].story.id, listed[1].story.id)
    assert corrected_count(config, capsys) == 3  # the split article, its old story, the merge

    assert main(["corrections", *where]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == [str(split.id), str(merge.id)]
    assert lines[1].split("\t")[2:] == ["merge", merge.note]

    assert main(["corrections", "--undo", str(split.id), *where]) == 0
    assert capsys.readouterr().out.startswith(f"undone {split.id}: split ")
    assert corrected_count(config, capsys) == 1
    assert main(["corrections", "--undo", "last", *where]) == 0
    capsys.readouterr()
    assert corrected_count(config, capsys) == 0

    assert main(["corrections", "--undo", "last", *where]) == 2
    assert capsys.readouterr().err.strip() == "heraldtui: error: nothing to undo"
    assert main(["corrections", "--undo", "7", *where]) == 2
    assert "no correction 7" in capsys.readouterr().err
    assert main(["corrections", "--undo", "some", *where]) == 2
    assert "is not a correction's id" in capsys.readouterr().err
