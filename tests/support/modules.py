"""Load a script that is not part of a package (the shared scorer, a benchmark) as a module.

Tests use code from `../shared/tools/` and `benchmarks/` without putting either on
`sys.path`: a package-style import would make mypy see one file under two module names,
and a path left on `sys.path` would leak into every later test.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from tests.support.paths import REPO

__all__ = ["grouping_benchmark", "load_script"]


def load_script(path: Path, name: str) -> ModuleType:
    """The module at `path`, executed afresh; the test is skipped if the file is absent."""
    if not path.is_file():
        pytest.skip(f"{path.name} not found at {path}")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@cache
def grouping_benchmark() -> ModuleType:
    """`benchmarks/grouping.py`, for its generators (it puts its folder on `sys.path` to
    import `feedgen`; that is undone)."""
    name = "_grouping_benchmark"
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / "grouping.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look their module up there
    saved = list(sys.path)
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = saved
    return module
