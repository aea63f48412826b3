"""Fixtures for the TUI tests: an app on fixture stories, no cursor blink, no clock."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.worker import WorkerCancelled

from heraldtui.tui.app import HeraldApp
from tests.tui.fixtures import NOW, TODAY, MemoryNewsroom

AppFactory = Callable[..., HeraldApp]


@pytest.fixture
def newsroom() -> MemoryNewsroom:
    return MemoryNewsroom()


@pytest.fixture
def make_app(newsroom: MemoryNewsroom) -> AppFactory:
    """Build the app the way the CLI does, with a fixed day and clock and no refresh."""

    def factory(**kwargs: object) -> HeraldApp:
        room = kwargs.pop("newsroom", newsroom)
        options: dict[str, object] = {"refresh_on_start": False, "today": TODAY, "now": lambda: NOW}
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
