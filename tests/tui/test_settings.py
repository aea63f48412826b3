"""The `[settings]` the reader uses (theme, browser, auto refresh, text width) and how `o`
opens a link: the configured browser, a graphical one, or the link shown to copy."""

from __future__ import annotations

import shlex
import sys
import time
import webbrowser
from pathlib import Path

import pytest

from heraldtui.tui import links
from heraldtui.tui.messages import SettingNotSaved, SettingSaved
from heraldtui.tui.screens.article import ArticleScreen
from heraldtui.tui.screens.link import LinkScreen
from heraldtui.tui.screens.main import MainScreen
from heraldtui.tui.widgets.article_body import ArticleBody
from tests.tui.conftest import AppFactory, Messages, loaded, wait_workers
from tests.tui.fixtures import MemoryNewsroom, Settings

LEAD = "https://downland.example/inspection"


async def test_the_saved_theme_is_used_and_a_new_choice_is_saved() -> None:
    room = MemoryNewsroom(settings=Settings(theme="nord"))
    from heraldtui.tui.app import HeraldApp

    app = HeraldApp(room, refresh_on_start=False)
    seen = Messages()
    async with app.run_test(size=(80, 24), message_hook=seen) as pilot:
        assert app.theme == "nord"
        app.theme = "gruvbox"  # what the palette's "Change theme" does
        await wait_workers(app)
        await pilot.pause()
        assert room.saved == [("theme", "gruvbox")]
        assert [(m.key, m.value) for m in seen.of(SettingSaved)] == [("theme", "gruvbox")]


async def test_a_theme_that_cannot_be_saved_says_so(make_app: AppFactory) -> None:
    room = MemoryNewsroom(read_only=True)
    app = make_app(newsroom=room)
    seen = Messages()
    async with app.run_test(size=(80, 24), message_hook=seen) as pilot:
        await loaded(pilot, app)
        app.theme = "nord"
        await wait_workers(app)
        await pilot.pause()
        (refused,) = seen.of(SettingNotSaved)
        assert refused.key == "theme" and "not edited" in refused.error
        assert any(n.title == "theme not saved" for n in seen.notes())
        assert app.theme == "nord", "the theme is used all the same"


async def test_an_unknown_theme_in_the_settings_is_ignored() -> None:
    from heraldtui.tui.app import HeraldApp

    app = HeraldApp(MemoryNewsroom(settings=Settings(theme="no-such")), refresh_on_start=False)
    async with app.run_test(size=(80, 24)):
        assert app.theme == "textual-dark"


async def test_auto_refresh_every_so_many_minutes(make_app: AppFactory) -> None:
    room = MemoryNewsroom(settings=Settings(auto_refresh_minutes=30))
    app = make_app(newsroom=room)
    async with app.run_test(size=(80, 24)) as pilot:
        main = await loaded(pilot, app)
        assert app.refresh_timer is not None
        assert app.refresh_timer._interval == 30 * 60
        app._refresh_on_timer()  # what the timer calls
        await wait_workers(app)
        await pilot.pause()
        assert room.refreshes == 1 and not main.state.refreshing
    assert make_app().refresh_timer is None


async def test_text_width_bounds_the_article_text(make_app: AppFactory) -> None:
    app = make_app(newsroom=MemoryNewsroom(settings=Settings(text_width=40)))
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        await pilot.press("j", "enter", "shift+tab", "enter")
        await wait_workers(app)
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        body = app.screen.query_one(ArticleBody)
        assert body.size.width <= 40


async def test_the_configured_browser_command_opens_the_link(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[tuple[str, str]] = []
    monkeypatch.setattr(
        "heraldtui.tui.app.run_browser", lambda command, url: ran.append((command, url))
    )
    app = make_app(newsroom=MemoryNewsroom(settings=Settings(browser="firefox --new-tab")))
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, new_tab=True: opened.append(url))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        await pilot.press("j", "o")
        await wait_workers(app)  # links open in a worker thread
        assert ran == [("firefox --new-tab", LEAD)] and opened == []


async def test_with_no_browser_o_shows_the_link_and_c_copies_it(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(has_browser=lambda: False)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, new_tab=True: opened.append(url))
    seen = Messages()
    async with app.run_test(size=(80, 24), message_hook=seen) as pilot:
        await loaded(pilot, app)
        await pilot.press("j", "o")
        await wait_workers(app)
        await pilot.pause()
        assert isinstance(app.screen, LinkScreen) and app.screen.url == LEAD
        assert "No web browser" in str(app.screen.query_one("#link-reason").render())
        await pilot.press("c")
        await pilot.pause()
        assert app.clipboard == LEAD
        assert isinstance(app.screen, MainScreen) and opened == []
        assert any(n.title == "Copied" for n in seen.notes())
        await pilot.press("o", "escape")
        assert isinstance(app.screen, MainScreen)


async def test_a_browser_command_that_fails_offers_the_link(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(command: str, url: str) -> None:
        raise OSError("no such program: nobrowser")

    monkeypatch.setattr("heraldtui.tui.app.run_browser", fail)
    app = make_app(newsroom=MemoryNewsroom(settings=Settings(browser="nobrowser")))
    async with app.run_test(size=(80, 24)) as pilot:
        await loaded(pilot, app)
        await pilot.press("o")
        assert isinstance(app.screen, LinkScreen)
        assert "nobrowser" in str(app.screen.query_one("#link-reason").render())


class _Named:
    def __init__(self, name: str) -> None:
        self.name = name


def test_text_browsers_do_not_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webbrowser, "get", lambda: _Named("/usr/bin/lynx"))
    assert not links.graphical_browser_available()
    monkeypatch.setattr(webbrowser, "get", lambda: _Named("xdg-open"))
    assert links.graphical_browser_available()

    def none() -> object:
        raise webbrowser.Error("could not locate runnable browser")

    monkeypatch.setattr(webbrowser, "get", none)
    assert not links.graphical_browser_available()


def test_run_browser_adds_the_link_and_runs_detached(tmp_path: Path) -> None:
    out = tmp_path / "argv.txt"
    script = tmp_path / "browser.py"
    script.write_text(
        "import sys, pathlib\npathlib.Path(sys.argv[1]).write_text(sys.argv[2])\n",
        encoding="utf-8",
    )
    command = shlex.join([sys.executable, str(script), str(out)])
    links.run_browser(command, LEAD)
    for _ in range(200):  # bounded by tries, not by a clock
        if out.exists() and out.read_text():
            break
        time.sleep(0.05)
    assert out.read_text() == LEAD
    with pytest.raises(OSError):
        links.run_browser("'unbalanced", LEAD)
    with pytest.raises(OSError):
        links.run_browser(str(tmp_path / "no-such-browser"), LEAD)


async def test_a_browser_that_does_not_return_leaves_the_reader_working(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """$BROWSER commands are waited for until the browser exits: `o` used to freeze every
    key until then. The browser here blocks until the test lets it go."""
    import threading

    release = threading.Event()
    started = threading.Event()

    def blocking_open(url: str, new_tab: bool = True) -> None:
        started.set()
        release.wait(timeout=60)

    app = make_app()
    monkeypatch.setattr(app, "open_url", blocking_open)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await loaded(pilot, app)
        await pilot.press("o")
        assert started.wait(timeout=30)
        before = main.story_list.current
        await pilot.press("j")  # handled while the browser still has not returned
        assert main.story_list.current is not before
        assert not release.is_set()
        release.set()
        await wait_workers(app)
