"""The core must stay usable from a script: importing it never loads Textual."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import heraldtui.core
from tests.support.httpserver import LocalServer, RecordedRequest, Reply

CORE = Path(heraldtui.core.__file__).parent
RSS = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Local</title>'
    b"<item><title>One</title><link>https://example.org/1</link></item></channel></rss>"
)


def test_core_modules_do_not_import_textual() -> None:
    modules = sorted(
        "heraldtui.core." + ".".join(p.relative_to(CORE).with_suffix("").parts)
        for p in CORE.rglob("*.py")
        if p.stem != "__init__"
    )
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
    code = "import sys\nimport heraldtui.cli\nprint('textual' in sys.modules)\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_no_core_source_mentions_textual_imports() -> None:
    for path in CORE.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "import textual" not in text and "from textual" not in text, path


WARM_REFRESH_NEVER_IMPORTS = (
    # parsing and cleaning: nothing changed, so nothing is parsed
    "feedparser",
    "markdownify",
    "bs4",
    # grouping and merging happen when stories are listed, not on refresh
    "heraldtui.core.stories.grouper",
    "heraldtui.core.stories.rules",
    "heraldtui.core.stories.features",
    "heraldtui.core.stories.headlines",
    "heraldtui.core.stories.vocabulary",
    "heraldtui.core.facts.merge",
    # httpx's default transport: ours replaces it (core/ingest/transport.py)
    "httpcore",
    "anyio",
    "textual",
)


def test_unchanged_refresh_imports_only_what_it_needs(tmp_path: Path) -> None:
    """A refresh where every feed answers 304 is mostly start-up: keep start-up small."""
    server = LocalServer()
    try:

        def reply(request: RecordedRequest) -> Reply:
            if request.headers.get("if-none-match") == '"v1"':
                return Reply(status=304)
            return Reply(body=RSS, headers={"ETag": '"v1"', "Content-Type": "application/rss+xml"})

        server.handle("/feed.xml", reply)
        config = tmp_path / "feeds.toml"
        config.write_text(f'[[feeds]]\nname = "Local"\nurl = "{server.url("/feed.xml")}"\n')
        args = ["refresh", "--config", str(config), "--data-dir", str(tmp_path / "data")]
        code = (
            "import sys\n"
            "from heraldtui.cli import main\n"
            f"status = main({args!r})\n"
            f"print(status, sorted(m for m in {WARM_REFRESH_NEVER_IMPORTS!r}\n"
            "    if m in sys.modules))\n"
        )
        run = [sys.executable, "-c", code]
        cold = subprocess.run(run, capture_output=True, text=True, check=True)
        assert "feedparser" in cold.stdout  # the first refresh parsed, as it must
        warm = subprocess.run(run, capture_output=True, text=True, check=True)
    finally:
        server.close()
    assert warm.stdout.strip().splitlines()[-1] == "0 []"
    assert len(server.requests_to("/feed.xml")) == 2
