"""The core must stay usable from a script: importing it never loads Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import heraldtui.core
from tests.support.history import write_history
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
    # what only listing, merging, the agenda or editing feeds.toml need (issue 14)
    "heraldtui.core.models.facts",
    "heraldtui.core.storage.facts_codec",
    "heraldtui.core.output.agenda",
    "heraldtui.core.output.wording",
    "heraldtui.core.read.lexicon",
    "heraldtui.core.read.forces",
    "heraldtui.core.ingest.watchconfig",
    "tomlkit",
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


def test_the_first_page_of_stories_imports_no_grouping(tmp_path: Path) -> None:
    """The reader paints the newest stories before the full listing loads the grouper."""
    config = write_history(tmp_path, 60)
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from heraldtui.core.newsroom import Newsroom\n"
        f"room = Newsroom.open(Path({str(config)!r}), Path({str(tmp_path / 'data')!r}))\n"
        "page = room.newest_stories(10)\n"
        "grouping = [m for m in sys.modules if m.startswith('heraldtui.core.stories.')]\n"
        "print(len(page), sorted(m for m in grouping if not m.endswith('.listing')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "10 []"


DEFERRED_IMPORTS: dict[tuple[str, str], str] = {
    # (module that defers, module it imports inside a function): why
    (
        "heraldtui.cli",
        "heraldtui.tui.app",
    ): "Textual loads for the reader only, not for refresh or export",
    ("heraldtui.core.ingest.config", "importlib"): "resources only when no --config is given",
    ("heraldtui.core.ingest.config", "platformdirs"): "the user's folder only when none was named",
    ("heraldtui.core.ingest.config", "tomlkit"): "only to write the user's feeds file, once",
    (
        "heraldtui.core.ingest.config",
        "heraldtui.core.ingest.watchconfig",
    ): "the watch rules' reader (and the lexicon) only for a file with [[watch]] tables",
    ("heraldtui.cli", "heraldtui.core.output.agenda"): "the agenda's wording only when empty",
    (
        "heraldtui.core.ingest.refresh",
        "heraldtui.core.ingest.workerpool",
    ): "worker processes only once many feeds changed",
    (
        "heraldtui.core.ingest.refresh",
        "heraldtui.core.ingest.parse",
    ): "an unchanged refresh parses nothing (no feedparser)",
    (
        "heraldtui.core.ingest.parse",
        "heraldtui.core.ingest.jsonfeed",
    ): "JSON Feed's reader only for a JSON body",
    (
        "heraldtui.core.ingest.refresh",
        "heraldtui.core.ingest.fulltext",
    ): "bs4 and markdownify only for teasers' pages",
    (
        "heraldtui.core.ingest.refresh",
        "heraldtui.core.text.sanitize",
    ): "cleaning an unexpected error's text is rare",
    (
        "heraldtui.core.models",
        "heraldtui.core.models.facts",
    ): "the records of facts and merged stories: a refresh builds none",
    (
        "heraldtui.core.storage.store",
        "heraldtui.core.storage.facts_codec",
    ): "stored facts are read and written when stories are merged, not on refresh",
    (
        "heraldtui.core.output.render",
        "heraldtui.core.output.wording",
    ): "the UK's time zone only for the agenda's days",
    ("heraldtui.core.newsroom", "platformdirs"): "the platform's folder only when none was named",
    ("heraldtui.cli", "heraldtui.core.output.select"): "the digest filters only for export",
    (
        "heraldtui.core.newsroom",
        "heraldtui.core.stories.index",
    ): "grouping loads when stories are listed, not on refresh",
    (
        "heraldtui.core.newsroom",
        "heraldtui.core.stories.listing",
    ): "the reader's first page: stored stories, without the grouper",
    (
        "heraldtui.core.newsroom",
        "heraldtui.core.stories.corrections",
    ): "the reader's corrections load the grouping's headlines only when there are any",
    (
        "heraldtui.core.newsroom",
        "heraldtui.core.facts.merge",
    ): "extraction loads when a story is merged",
    (
        "heraldtui.core.newsroom",
        "heraldtui.core.facts.meeting_words",
    ): "the agenda's first look at an article loads when the agenda is read",
    (
        "heraldtui.core.newsroom",
        "heraldtui.core.facts.history",
    ): "the force's history loads when a story is shown or a digest built",
    (
        "heraldtui.core.newsroom",
        "heraldtui.core.facts.force_view",
    ): "a force's screen loads when it is opened",
    (
        "heraldtui.core.newsroom",
        "heraldtui.core.facts.extract",
    ): "extraction loads when a story is merged",
    (
        "heraldtui.core.newsroom",
        "heraldtui.core.ingest.workerpool",
    ): "worker processes only for a large first extraction",
    (
        "heraldtui.core.newsroom",
        "concurrent.futures.process",
    ): "worker processes only for a large first extraction",
    (
        "heraldtui.core.output.render",
        "heraldtui.core.output.digest",
    ): "the JSON digest loads when exporting",
    (
        "heraldtui.core.output.render",
        "heraldtui.core.output.markdown",
    ): "the Markdown digest loads when exporting",
    (
        "heraldtui.core.output.render",
        "heraldtui.core.output.ics",
    ): "icalendar is slow to import: only for .ics",
    (
        "heraldtui.core.newsroom",
        "heraldtui.core.output.agenda",
    ): "the agenda's writers load when meetings are listed",
    (
        "heraldtui.core.newsroom",
        "heraldtui.core.ingest.feedsfile",
    ): "tomlkit only for editing feeds.toml",
    (
        "heraldtui.core.newsroom.feeds",
        "heraldtui.core.ingest.feedsfile",
    ): "tomlkit only for editing feeds.toml",
    (
        "heraldtui.core.newsroom.fixes",
        "heraldtui.core.stories.corrections",
    ): "the grouping's listing only when a correction is made",
    (
        "heraldtui.core.newsroom.feeds",
        "heraldtui.core.ingest.opml",
    ): "the OPML reader only for import and export",
    (
        "heraldtui.core.output.render",
        "heraldtui.core.output.agenda",
    ): "the agenda's writers load when meetings are listed",
    (
        "heraldtui.core.newsroom.watching",
        "heraldtui.core.facts.watch",
    ): "watch rules load when a refresh or a digest checks them",
    (
        "heraldtui.core.newsroom.watching",
        "heraldtui.core.output.notify",
    ): "subprocess only when a notification runs",
    (
        "heraldtui.core.newsroom.watching",
        "heraldtui.core.output.select",
    ): "the digest filters load when a digest is filtered",
    (
        "heraldtui.core.text.html_markdown",
        "heraldtui.core.text.soup",
    ): "bs4 only for HTML the fast walker declines",
    ("heraldtui.core.text.html_markdown", "bs4.element"): "only for HTML the fast walker declines",
    ("heraldtui.core.text.html_markdown", "markdownify"): "only for HTML the fast walker declines",
    ("heraldtui.tui.screens.main", "heraldtui.tui.screens.article"): "screens load when opened",
    ("heraldtui.tui.screens.main", "heraldtui.tui.screens.export"): "screens load when opened",
    ("heraldtui.tui.screens.main", "heraldtui.tui.screens.force"): "screens load when opened",
}
"""Every import made inside a function, once, with its reason: the rest of the code imports
at the top, so the layering `lint-imports` checks is what runs."""


def _deferred_imports() -> set[tuple[str, str]]:
    package = CORE.parent
    found: set[tuple[str, str]] = set()
    for path in package.rglob("*.py"):
        module = ".".join(("heraldtui", *path.relative_to(package).with_suffix("").parts))
        module = module.removesuffix(".__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.ImportFrom) and node.module:
                    found.add((module, node.module))
                elif isinstance(node, ast.Import):
                    found.update((module, alias.name) for alias in node.names)
    return found


def test_every_deferred_import_is_listed_once_with_its_reason() -> None:
    assert _deferred_imports() == set(DEFERRED_IMPORTS)


def test_fact_records_load_on_first_use() -> None:
    """`models` names every fact record (defined in `models/facts.py`) and creates them
    only when one is asked for; an unknown name is still an AttributeError."""
    code = (
        "import sys\n"
        "import heraldtui.core.models as models\n"
        "before = 'heraldtui.core.models.facts' in sys.modules\n"
        "from heraldtui.core.models import MergedStory\n"
        "from heraldtui.core.models.facts import MergedStory as Defined\n"
        "from heraldtui.core.models import AgendaItem\n"
        "names = sorted(models.FACT_RECORDS)\n"
        "same = all(getattr(models, n) is getattr(sys.modules['heraldtui.core.models.facts'], n)\n"
        "           for n in names)\n"
        "try:\n"
        "    models.NoSuchRecord\n"
        "    missing = 'found'\n"
        "except AttributeError:\n"
        "    missing = 'AttributeError'\n"
        "print(before, MergedStory is Defined, AgendaItem is models.AgendaItem, same, missing)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True", "True", "True", "AttributeError"]


def test_every_fact_record_is_named_by_models() -> None:
    import heraldtui.core.models as models
    import heraldtui.core.models.facts as facts

    defined = {
        name
        for name, value in vars(facts).items()
        if isinstance(value, type) and value.__module__ == facts.__name__
    }
    assert defined == set(models.FACT_RECORDS)
