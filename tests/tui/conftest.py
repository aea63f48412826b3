"""Fixtures for the TUI tests: an app on fixture stories, no cursor blink, no clock."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

import pytest
from textual.message import Message
from textual.notifications import Notification, Notify
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from heraldtui.tui.app import HeraldApp
from heraldtui.tui.screens.main import MainScreen
from tests.tui.fixtures import NOW, TODAY, MemoryNewsroom

AppFactory = Callable[..., HeraldApp]
M = TypeVar("M", bound=Message)


class Messages:
    """Every message the app dispatches, for `app.run_test(message_hook=messages)`.

    A message that bubbles is dispatched once per node it reaches; it is kept once.
    """

    def __init__(self) -> None:
        self._seen: dict[int, Message] = {}  # by id(): the message is held, so ids are unique

    def __call__(self, message: Message) -> None:
        self._seen.setdefault(id(message), message)

    def of(self, kind: type[M]) -> list[M]:
        """The messages of `kind`, in the order they were first dispatched."""
        return [m for m in self._seen.values() if isinstance(m, kind)]

    def notes(self) -> list[Notification]:
        """The notifications shown (`App.notify` posts each as a `Notify` message)."""
        return [m.notification for m in self.of(Notify)]

    def clear(self) -> None:
        self._seen.clear()


@pytest.fixture
def newsroom() -> MemoryNewsroom:
    return MemoryNewsroom()


@pytest.fixture
def make_app(newsroom: MemoryNewsroom) -> AppFactory:
    """Build the app the way the CLI does, with a fixed day and clock and no refresh."""

    def factory(**kwargs: object) -> HeraldApp:
        room = kwargs.pop("newsroom", newsroom)
        options: dict[str, object] = {
            "refresh_on_start": False,
            "today": TODAY,
            "now": lambda: NOW,
            "has_browser": lambda: True,
        }
        options.update(kwargs)
        app = HeraldApp(room, **options)  # type: ignore[arg-type]
        app.cursor_blink = False  # type: ignore[attr-defined]
        return app

    return factory


async def wait_workers(app: HeraldApp) -> None:
    """Wait for every worker; a load replaced by a newer one (exclusive) is not an error."""
    for _ in range(100):
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue


def main_of(app: HeraldApp) -> MainScreen:
    assert app.main_screen is not None
    return app.main_screen


async def loaded(pilot: Pilot[None], app: HeraldApp) -> MainScreen:
    """Wait for the first load from the store (a thread worker) to be shown whole: its
    first page and the rest. Bounded by a count; running out fails here."""
    main = main_of(app)
    for _ in range(500):
        await wait_workers(app)
        if main.state.loaded and (main.state.complete or main.state.rest_failed):
            break
        await asyncio.sleep(0.02)
    await pilot.pause()
    assert main.state.loaded, "the first load never arrived"
    return main


def screen_text(app: HeraldApp) -> str:
    """What the terminal shows now, as plain text, one line per row."""
    strips = app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)
