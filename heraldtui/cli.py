"""The command line: `heraldtui` opens the reader; subcommands script the same core.

Every subcommand goes through `Newsroom`, like the TUI, so the two cannot disagree about
what a refresh or a digest is. The TUI (and Textual) is imported only when it is started,
so `heraldtui export` stays quick and works where no terminal UI can run.

Exit status: 0 on success (a feed that fails is reported and does not change it, unless
`refresh` saw every feed fail: then 1, so a cron job can tell), 2 for a usage error, a bad
feeds file, an unwritable output (standard output too, for a digest or an agenda) or an
unusable data folder, with one line on standard error that names the file, line or option;
3 (`EXIT_OUTPUT`) when the work was done but what it prints could not all be written (a
closed pipe, a full disk: see `console.py`; every line goes through a `Console`), except
for `refresh`, whose 0 and 1 the contract fixes: it says so on standard error and keeps them.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import gc
import os
import shlex
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from heraldtui import __version__
from heraldtui.console import Console, Stream
from heraldtui.core.errors import ConfigError, EmptyCalendar, HeraldError
from heraldtui.core.models import FeedState
from heraldtui.core.newsroom import (
    AGENDA_FORMATS,
    DB_NAME,
    EXPORT_FORMATS,
    AgendaFormat,
    ExportFormat,
    FeedOutcome,
    Newsroom,
    RefreshReport,
    agenda_format,
    default_config_path,
    default_data_dir,
    export_format,
    fate_notes,
    for_terminal,
    render_agenda,
    today_in_uk,
)

if TYPE_CHECKING:
    from heraldtui.core.output.select import Selection

EXIT_USAGE = 2
EXPORT_GC_THRESHOLD = 50_000
"""Allocations between young-generation collections while an export builds its stories."""


class UsageError(HeraldError):
    """A bad option or argument, reported in one line with exit status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line that names the option, not a usage dump."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="heraldtui",
        description="A terminal reader for local policing news. With no command, opens the "
        "reader on ./feeds.toml if it exists, else on feeds.toml in your config folder "
        "(created from the bundled default feeds on the first run).",
    )
    parser.add_argument("--version", action="version", version=f"heraldtui {__version__}")
    # SUPPRESS: an option given before the command must not be reset by the subparser.
    common = _Parser(add_help=False, argument_default=argparse.SUPPRESS)
    common.add_argument(
        "--config",
        type=Path,
        metavar="FEEDS.toml",
        help="the feeds file (default: ./feeds.toml if it exists, else feeds.toml in the "
        "user config folder, created from the bundled default on the first run)",
    )
    common.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="folder for the cache and read state "
        "(default: $HERALDTUI_DATA_DIR, else the platform's user data folder)",
    )
    parser.add_argument("--config", type=Path, metavar="FEEDS.toml", help="the feeds file")
    parser.add_argument("--data-dir", type=Path, metavar="DIR", help="cache and state folder")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    export = commands.add_parser(
        "export",
        parents=[common],
        help="refresh, then write the merged digest",
        description="Refresh every feed (unless --offline), group, merge and write the digest.",
    )
    export.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        default=None,
        help="markdown, json (the contract's digest) or ics (meetings as a calendar); "
        "default: by the --output suffix (.json, .ics), else markdown",
    )
    export.add_argument(
        "--output",
        "-o",
        default="-",
        metavar="PATH",
        help="where to write it; - or none for standard output",
    )
    export.add_argument("--offline", action="store_true", help="use the cache; fetch nothing")
    digest = export.add_argument_group(
        "digest filters", "which stories the digest holds; given together, a story must pass all"
    )
    digest.add_argument(
        "--since",
        metavar="DATE|Nd",
        help="stories with an article published on or after DATE (YYYY-MM-DD) or in the "
        "last N days counting today (7d)",
    )
    digest.add_argument("--unread", action="store_true", help="stories with an unread article")
    digest.add_argument("--starred", action="store_true", help="stories with a starred article")
    digest.add_argument(
        "--force", metavar="NAME", help="stories of this force, however it is spelt (Herts)"
    )
    digest.add_argument(
        "--watch", action="store_true", help="stories a [[watch]] rule of the feeds file matches"
    )
    digest.add_argument(
        "--mark-read",
        action="store_true",
        help="mark the articles of the stories written as read, once the digest is written "
        "(nothing is marked when writing fails)",
    )

    meetings = commands.add_parser(
        "meetings",
        parents=[common],
        help="refresh, then list the upcoming public meetings of every story",
        description="Refresh every feed (unless --offline), then list every story's public "
        "meetings from today on, soonest first, with days away.",
    )
    meetings.add_argument(
        "--all", action="store_true", help="past meetings too (they are left out otherwise)"
    )
    meetings.add_argument(
        "--format",
        choices=AGENDA_FORMATS,
        default=None,
        help="text, json or ics (a calendar; nothing is written when there is no meeting); "
        "default: by the --output suffix (.json, .ics), else text",
    )
    meetings.add_argument(
        "--output",
        "-o",
        default="-",
        metavar="PATH",
        help="where to write it; - or none for standard output",
    )
    meetings.add_argument("--offline", action="store_true", help="use the cache; fetch nothing")

    refresh = commands.add_parser(
        "refresh",
        parents=[common],
        help="fetch every feed and store new articles",
        description="Fetch every feed and print one line per feed: new items, not "
        "modified, or the error.",
    )
    refresh.add_argument(
        "--force",
        action="store_true",
        help="also fetch feeds whose server asked to wait (Retry-After, at most 24 hours)",
    )

    corrections = commands.add_parser(
        "corrections",
        parents=[common],
        help="list the reader's fixes to the grouping, or undo one",
        description="List the fixes made to the grouping in the reader (x splits or moves "
        "an article, M merges stories), oldest first: id, when, what, the headlines. Every "
        "listing and export applies them.",
    )
    corrections.add_argument(
        "--undo",
        metavar="ID|last",
        help="undo the fix with this id (or the latest): its stories are grouped as the "
        "grouping and the other fixes decide",
    )

    commands.add_parser(
        "rebuild",
        parents=[common],
        help="regroup every stored article into stories from scratch",
        description="Regroup every stored article from scratch and replace the stored "
        "stories with the result, in one transaction; read and starred marks stay. Fetches "
        "nothing. Safe while the reader or another command uses the same data folder. The "
        "reader's fixes (heraldtui corrections) still apply.",
    )

    feeds = commands.add_parser(
        "feeds",
        help="list, add, import or export feeds",
        description="Manage the feeds in feeds.toml (comments and layout are kept).",
    )
    feed_commands = feeds.add_subparsers(
        dest="feeds_command", metavar="ACTION", parser_class=_Parser, required=True
    )
    feed_commands.add_parser("list", parents=[common], help="name, URL and last status")
    add = feed_commands.add_parser("add", parents=[common], help="add a feed to feeds.toml")
    add.add_argument("name", help="the name shown in the reader")
    add.add_argument("url", help="http(s):// URL, file:// URL or a path")
    imp = feed_commands.add_parser(
        "import", parents=[common], help="add the feeds of an OPML file to feeds.toml"
    )
    imp.add_argument("opml", type=Path, metavar="FILE.opml")
    feed_commands.add_parser(
        "export", parents=[common], help="print the feeds as OPML 2.0 (for other readers)"
    )
    follow = feed_commands.add_parser(
        "follow",
        parents=[common],
        help="write the URL a feed moved to (a permanent redirect) into feeds.toml",
    )
    follow.add_argument("name", help="the feed's name")
    clear = feed_commands.add_parser(
        "clear", parents=[common], help="fetch a feed that answered 410 Gone again"
    )
    clear.add_argument("name", help="the feed's name")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    _skip_last_collection()
    con = Console()
    return con.finish(_command(list(sys.argv[1:] if argv is None else argv), con))


def _skip_last_collection() -> None:
    """At exit, freeze what is still alive (`gc.freeze`), so the interpreter's final
    collection does not walk every object the imports made: about 15 ms of a 0.15 s
    refresh. It frees nothing a finished process needs; the memory goes with the process.
    Registered once, however many times `main` runs in one process (the tests)."""
    atexit.unregister(gc.freeze)
    atexit.register(gc.freeze)


def _command(args_list: list[str], con: Console) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(args_list)
        if args.command is None:
            return _run_tui(args)
        if args.command == "export":
            return _export(args, con)
        if args.command == "meetings":
            return _meetings(args, con)
        if args.command == "refresh":
            return _refresh(args, con)
        if args.command == "corrections":
            return _corrections(args, con)
        if args.command == "rebuild":
            return _rebuild(args, con)
        return _feeds(args, con)
    except HeraldError as exc:
        con.err(f"heraldtui: error: {for_terminal(str(exc))}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        con.err("heraldtui: interrupted")
        return 130


def _config_path(args: argparse.Namespace) -> Path:
    path: Path | None = args.config
    return path if path is not None else default_config_path()


def _open(args: argparse.Namespace) -> Newsroom:
    return Newsroom.open(_config_path(args), args.data_dir)


def _run_tui(args: argparse.Namespace) -> int:
    from heraldtui.tui.app import run_tui  # Textual loads only for the reader

    try:
        newsroom = _open(args)
    except ConfigError as exc:
        from heraldtui.tui.app import run_error

        run_error(str(exc))
        return EXIT_USAGE
    with newsroom:
        run_tui(newsroom)
    return 0


def _check_output(output: str) -> Path | None:
    """Fail before a long refresh, not after, when the output cannot be written."""
    if output == "-":
        return None
    path = Path(output)
    folder = path.parent
    if path.is_dir():
        raise UsageError(f"--output {output}: is a folder")
    if not folder.is_dir():
        raise UsageError(f"--output {output}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise UsageError(f"--output {output}: not writable")
    return path


def _export(args: argparse.Namespace, con: Console) -> int:
    output = _check_output(args.output)
    fmt: ExportFormat = args.format or (export_format(output) if output else "markdown")
    selection = _selection(args)
    with _open(args) as newsroom:
        if args.watch and not newsroom.watch_rules:
            raise UsageError(f"--watch: {newsroom.config_path} has no [[watch]] rules")
        if not args.offline:
            report = _do_refresh(newsroom, con, verbose=False)
            for outcome in report.failed:
                con.err(f"heraldtui: feed {for_terminal(outcome.describe())}")
        # Stories and their facts are records that live until the digest is written and
        # hold no cycles: at the default threshold (700 allocations) the collector walks
        # them thousands of times, 15% of the export of a large history.
        threshold = gc.get_threshold()
        gc.set_threshold(EXPORT_GC_THRESHOLD, *threshold[1:])
        try:
            stories = newsroom.stories(parallel=True)
            if selection is not None:
                stories = newsroom.select(stories, selection)
            if output is None:
                write = con.stdout.write_bytes
                newsroom.write_digest(stories, write, fmt, mark_read=args.mark_read)
            else:
                newsroom.export(stories, output, fmt, mark_read=args.mark_read)
        except EmptyCalendar:
            # Some calendar programs refuse a calendar with no event: say so instead.
            con.err("heraldtui: no meetings in the digest: no calendar written")
        except OSError:
            if con.stdout.error is None:
                raise
            # Standard output failed: with --mark-read, nothing was marked.
            return _unwritten(con, "the digest", marked=args.mark_read)
        finally:
            gc.set_threshold(*threshold)
    return 0


def _unwritten(con: Console, what: str, *, marked: bool = False) -> int:
    """The one line for a digest or agenda that standard output did not take: status 2,
    as for any output that cannot be written."""
    note = "; no article marked read" if marked else ""
    con.err(f"heraldtui: error: {con.stdout.describe()}: {what} was not written{note}")
    con.reported = True
    return EXIT_USAGE


def _selection(args: argparse.Namespace) -> Selection | None:
    # Not at the top: a refresh (the command cron runs most) needs none of it.
    from heraldtui.core.output.select import Selection, SelectionError, parse_since

    """The digest filters given, or None for every story; a bad --since is a usage error."""
    try:
        since = parse_since(args.since) if args.since is not None else None
    except SelectionError as exc:
        raise UsageError(str(exc)) from None
    if args.force is not None and not args.force.strip():
        raise UsageError("--force: give a force's name")
    selection = Selection(
        since=since, unread=args.unread, starred=args.starred, force=args.force, watch=args.watch
    )
    return None if selection == Selection() else selection


def _meetings(args: argparse.Namespace, con: Console) -> int:
    output = _check_output(args.output)
    fmt: AgendaFormat = args.format or (agenda_format(output) if output else "text")
    with _open(args) as newsroom:
        if not args.offline:
            report = _do_refresh(newsroom, con, verbose=False)
            for outcome in report.failed:
                con.err(f"heraldtui: feed {for_terminal(outcome.describe())}")
        today = today_in_uk()
        items = newsroom.meetings(include_past=args.all, today=today)
        try:
            if output is None:
                data = render_agenda(items, fmt, include_past=args.all, today=today)
                con.stdout.write_bytes(data)
            else:
                newsroom.export_meetings(items, output, fmt, include_past=args.all, today=today)
        except EmptyCalendar:
            from heraldtui.core.output.agenda import empty_message

            con.err(f"heraldtui: {empty_message(args.all)}: no calendar written")
        except OSError:
            if con.stdout.error is None:
                raise
            return _unwritten(con, "the agenda")
    return 0


def _refresh(args: argparse.Namespace, con: Console) -> int:
    con.keep_status = True  # the contract's 0/1 for cron: lost lines are said, not counted
    with _open(args) as newsroom:
        report = _do_refresh(newsroom, con, verbose=True, force=args.force)
        _announce(newsroom, con)
    total = len(report.outcomes)
    line = f"{report.refreshed} of {total} feeds refreshed, {report.new} new articles"
    if report.skipped:
        line += f"; {len(report.skipped)} skipped (their server asked to wait)"
    if report.gone:
        line += f"; {len(report.gone)} gone (HTTP 410: `heraldtui feeds clear NAME` tries again)"
    (con.err if report.failed else con.out)(line)
    # For cron: 1 when every feed failed (the network is down, the data folder is gone).
    return 1 if report.outcomes and len(report.failed) == len(report.outcomes) else 0


def _announce(newsroom: Newsroom, con: Console) -> None:
    """One line per story the refresh made new to a watch rule, and `notify_command` run
    for each; a notification that fails is reported and the rest go on."""
    try:
        alerts = newsroom.watch_alerts()
    except HeraldError as exc:  # the feeds were stored: say so, and keep the exit status
        con.err(f"heraldtui: cannot check the watch rules: {for_terminal(str(exc))}")
        return
    for alert in alerts:
        story = alert.story
        fields = (story.force or "-", story.kind, story.title, alert.link)
        con.out("watch: " + " | ".join(for_terminal(field) for field in fields))
        problem = newsroom.notify(alert)
        if problem:
            con.err(f"heraldtui: notify_command failed: {for_terminal(problem)}")


def _rebuild(args: argparse.Namespace, con: Console) -> int:
    folder: Path = args.data_dir or default_data_dir()
    if not (folder / DB_NAME).is_file():
        raise UsageError(f"{folder}: no heraldtui database here ({DB_NAME}); nothing to rebuild")
    with _open(args) as newsroom:
        done = newsroom.rebuild()
    con.out(
        f"regrouped {done.articles} stored articles: {done.before} stories before, "
        f"{done.after} after; read and starred marks kept"
    )
    return 0


def _do_refresh(
    newsroom: Newsroom, con: Console, *, verbose: bool, force: bool = False
) -> RefreshReport:
    progress = _Progress(con.stderr) if con.stderr.isatty() else None

    def on_progress(outcome: FeedOutcome, done: int, total: int) -> None:
        if progress is not None:
            progress.update(outcome, done, total)
        if verbose:
            if progress is not None:
                progress.clear()
            # Names and reasons may quote a server: nothing in them reaches the terminal raw.
            (con.err if outcome.status == "error" else con.out)(for_terminal(outcome.describe()))

    try:
        return asyncio.run(newsroom.refresh(on_progress, parallel=True, force=force))
    finally:
        if progress is not None:
            progress.clear()


class _Progress:
    """A one-line `[done/total] feed` display on a terminal's standard error."""

    def __init__(self, stream: Stream) -> None:
        self.stream = stream
        self.width = 0

    def update(self, outcome: FeedOutcome, done: int, total: int) -> None:
        line = f"[{done}/{total}] {for_terminal(outcome.name)}"[:79]
        self.stream.write("\r" + line.ljust(self.width))
        self.width = len(line)

    def clear(self) -> None:
        if self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.width = 0


def _corrections(args: argparse.Namespace, con: Console) -> int:
    undo: str | None = args.undo
    if undo is not None and undo != "last" and not undo.isdigit():
        raise UsageError(f"--undo: {undo!r} is not a correction's id or 'last'")
    with _open(args) as newsroom:
        if undo is None:
            for fix in newsroom.corrections():
                con.out(f"{fix.id}\t{fix.made:%Y-%m-%d %H:%M}\t{fix.action}\t{fix.note}")
            return 0
        undone = newsroom.undo_correction(None if undo == "last" else int(undo))
    if undone is None:
        raise UsageError(f"--undo: no correction {undo}" if undo != "last" else "nothing to undo")
    con.out(f"undone {undone.id}: {undone.action} {undone.note}")
    return 0


def _feeds(args: argparse.Namespace, con: Console) -> int:
    action = args.feeds_command
    path = _config_path(args)
    if action == "add":
        Newsroom.add_feed(path, args.name, args.url)
        con.out(f"added {args.name!r} to {path}")
        return 0
    if action == "import":
        try:
            data = args.opml.read_bytes()
        except OSError as exc:
            raise UsageError(f"{args.opml}: cannot read it ({exc.strerror or exc})") from None
        added, skipped = Newsroom.import_opml(path, data)
        con.out(f"imported {added} feeds into {path} ({skipped} already there)")
        return 0
    if action == "export":
        con.stdout.write(Newsroom.export_opml(path))
        return 0
    with _open(args) as newsroom:
        if action == "follow":
            url = newsroom.follow_move(args.name)
            con.out(f"{args.name}: {path} now says url = {url}")
            return 0
        if action == "clear":
            if newsroom.clear_gone(args.name):
                con.out(f"{args.name}: no longer marked gone; the next refresh fetches it")
            else:
                con.out(f"{args.name}: not marked gone; nothing to clear")
            return 0
        now = datetime.now(UTC)
        for state in newsroom.feed_states():
            fields = (state.name, state.url, _fetched(state), _feed_status(state, now))
            con.out("\t".join(for_terminal(field) for field in fields))
    return 0


def _fetched(state: FeedState) -> str:
    return state.last_fetch.strftime("%Y-%m-%d %H:%M") if state.last_fetch else "-"


def _feed_status(state: FeedState, now: datetime) -> str:
    """`feeds list`'s last column: the status or error, then a move, Gone or a wait."""
    status: str = "not fetched yet" if state.status == "never" else state.status
    if state.error:
        status = f"error: {state.error}"
    elif state.warning:
        status += f" (warning: {state.warning})"
    notes = fate_notes(state, now)
    name = shlex.quote(state.name)
    if notes.gone:
        status = f"{notes.gone}: not fetched until `heraldtui feeds clear {name}`"
    if notes.moved:
        status += f"; {notes.moved}: `heraldtui feeds follow {name}` writes it to feeds.toml"
    if notes.waiting:
        status += f"; {notes.waiting} (refresh --force tries now)"
    return status
