"""Shared test settings: no test may touch the user's real data folder or feeds file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    data = tmp_path_factory.mktemp("heraldtui-data")
    monkeypatch.setenv("HERALDTUI_DATA_DIR", str(data))
    # The feeds file's fallback is the user config folder, created on first use.
    monkeypatch.setenv("HERALDTUI_CONFIG_DIR", str(tmp_path_factory.mktemp("heraldtui-config")))
    yield data
