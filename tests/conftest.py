"""Shared test settings: no test may touch the user's real data folder or feeds file, and
no proxy of the machine's may carry the requests tests make to their servers on 127.0.0.1."""

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


PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
"""Read in either case, as httpx reads them (`heraldtui/core/ingest/proxies.py`)."""


@pytest.fixture(autouse=True)
def _no_proxy_from_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
