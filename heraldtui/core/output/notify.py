"""Run the user's `notify_command` for a story a watch rule matched.

The command is an argument list from feeds.toml, run directly (never through a shell, so
nothing in a headline can become a command), once per story, with the story in
environment variables:

    HERALDTUI_STORY   the story id          HERALDTUI_TITLE   its headline
    HERALDTUI_FORCE   the force (or empty)  HERALDTUI_KIND    inspection | meeting | other
    HERALDTUI_LINK    the newest article's link
    HERALDTUI_FEED    that article's feed   HERALDTUI_RULE    the rule's name (or its line)

It gets no standard input and its output is discarded; its standard error is the
caller's, so a script's complaint is seen. A command that is missing, fails or runs past
`NOTIFY_TIMEOUT_S` (then it is killed) is reported as one line and never stops a refresh.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping, Sequence

from heraldtui.core.models import WatchAlert

NOTIFY_TIMEOUT_S = 10.0
"""How long one notification may run: a desktop notifier or a mail takes well under a
second; a hung one must not hold up a cron job for ever."""


def alert_environment(alert: WatchAlert) -> dict[str, str]:
    """The `HERALDTUI_*` variables for one alert (see the module docstring)."""
    story = alert.story
    return {
        "HERALDTUI_STORY": story.id,
        "HERALDTUI_TITLE": story.title,
        "HERALDTUI_FORCE": story.force or "",
        "HERALDTUI_KIND": story.kind,
        "HERALDTUI_LINK": alert.link,
        "HERALDTUI_FEED": alert.feed,
        "HERALDTUI_RULE": alert.rule.label,
    }


def run_notify(
    command: Sequence[str],
    alert: WatchAlert,
    *,
    timeout: float = NOTIFY_TIMEOUT_S,
    environ: Mapping[str, str] | None = None,
) -> str | None:
    """Run `command` for `alert`; None when it succeeded, else why not, in a few words."""
    env = dict(os.environ if environ is None else environ)
    env.update(alert_environment(alert))
    program = command[0]
    try:
        done = subprocess.run(
            list(command),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        return f"{program}: not found"
    except PermissionError:
        return f"{program}: not allowed to run it (is it executable?)"
    except subprocess.TimeoutExpired:
        return f"{program}: did not finish within {timeout:g} s (stopped)"
    except OSError as exc:
        return f"{program}: cannot run it ({exc.strerror or exc})"
    if done.returncode != 0:
        return f"{program}: exited with status {done.returncode}"
    return None
