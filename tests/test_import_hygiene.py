"""The core must stay usable from a script: importing it never loads Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import heraldtui.core

CORE = Path(heraldtui.core.__file__).parent


def test_core_modules_do_not_import_textual() -> None:
    modules = sorted(f"heraldtui.core.{p.stem}" for p in CORE.glob("*.py") if p.stem != "__init__")
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_cli_export_path_does_not_import_textual() -> None:
    code = (
        "import sys\n"
        "import heraldtui.cli\n"
        "print('textual' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_no_core_source_mentions_textual_imports() -> None:
    for path in CORE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import textual" not in text and "from textual" not in text, path
