"""The fast paths as a test parameter: tests that take `fast_paths` run with them on and off."""

from __future__ import annotations

import pytest

from heraldtui.core.ingest.fastpaths import FAST_PATHS_ON, FastPaths

BOTH_PATHS = [pytest.param(FAST_PATHS_ON, id="fast"), pytest.param(FastPaths.off(), id="plain")]


@pytest.fixture(params=BOTH_PATHS)
def fast_paths(request: pytest.FixtureRequest) -> FastPaths:
    """All fast paths on (`fast`), then all off (`plain`): the same results are expected."""
    paths: FastPaths = request.param
    return paths
