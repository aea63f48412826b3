"""Load a script that is not part of a package (the shared scorer, a benchmark) as a module.

Tests use code from `../shared/tools/` and `benchmarks/` without putting either on
`sys.path`: a package-style import would make mypy see one file under two module names,
and a path left on `sys.path` would leak into every later test.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

__all__ = ["load_script"]


def load_script(path: Path, name: str) -> ModuleType:
    """The module at `path`, executed afresh; the test is skipped if the file is absent."""
    if not path.is_file():
        pytest.skip(f"{path.name} not found at {path}")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
