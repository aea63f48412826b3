"""httpx without its command line (`ingest.web`): a refresh does not pay for click, rich
and pygments, which httpx's package would otherwise import whenever they are installed."""

from __future__ import annotations

import subprocess
import sys


def test_fetching_imports_httpx_without_its_command_line() -> None:
    code = (
        "import sys\n"
        "import heraldtui.core.ingest.fetch\n"
        "import httpx\n"
        "assert httpx.AsyncClient and httpx.Response\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('click', 'rich', 'pygments'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
