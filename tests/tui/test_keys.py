"""The keyboard contract, key by key on every screen (README's key table says the same).

Every key is declared in the command table; here each is pressed where it belongs and the
test asserts what it did: the list's movement, filters and marks, the story view's
scrolling, parts, next story and back, the one-pane layout under 100 columns, the
article screen, the feeds screen, the link screen, the help, the export prompt, and the
three ways out (`escape`/`q` one level back, `q` on the list, `Q` anywhere)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.pilot import Pilot
from textual.widgets import Input

from heraldtui.core.models import Article, MergedStory, Story
from heraldtui.tui import commands
from heraldtui.tui.app import HeraldApp
from heraldtui.tui.screens.agenda import AgendaScreen
from heraldtui.tui.screens.article import ArticleScreen
from heraldtui.tui.screens.error import ErrorScreen
from heraldtui.tui.screens.export import ExportScreen
from heraldtui.tui.screens.feeds import FeedsScreen
from heraldtui.tui.screens.fix import FixArticleScreen, FixesScreen, PickStoryScreen
from heraldtui.tui.screens.force import ForceScreen
from heraldtui.tui.screens.help import HelpScreen
from heraldtui.tui.screens.link import LinkScreen
from heraldtui.tui.screens.main import MainScreen
from heraldtui.tui.widgets.filter_input import FilterInput
from heraldtui.tui.widgets.story_list import ROW_HEIGHT, StoryList
from heraldtui.tui.widgets.story_view import SourceItem, StoryView
from tests.tui.conftest import AppFactory, Messages, loaded, wait_workers
from tests.tui.fixtures import MemoryNewsroom

OWNERS: list[type[DOMNode]] = [
    HeraldApp,
    FilterInput,
    MainScreen,
    StoryList,
    StoryView,
    ArticleScreen,
    FeedsScreen,
    AgendaScreen,
    ForceScreen,
    ExportScreen,
    LinkScreen,
    HelpScreen,
    ErrorScreen,
    FixArticleScreen,
    PickStoryScreen,
    FixesScreen,
]


def all_commands() -> dict[str, commands.Command]:
    declared = [
        value
        for name, value in vars(commands).items()
        if name.endswith("_COMMANDS") and isinstance(value, tuple)
    ]
    return {c.id: c for group in declared for c in group}


def test_every_binding_comes_from_the_command_table() -> None:
    """Help, footer and palette read the table: a binding outside it would be a hidden key."""
    table = all_commands()
    used: set[str] = set()
    for owner in OWNERS:
        for binding in owner.BINDINGS:
            assert isinstance(binding, Binding), (owner, binding)
            assert binding.id in table, f"{owner.__name__}: {binding.key} is not in commands.py"
            command = table[binding.id]
            assert (binding.key, binding.action) == (command.keys, command.action)
            used.add(command.id)
    assert used == set(table), f"declared but bound nowhere: {set(table) - used}"


def _story(index: int, body: str = "A short notice.", link: str | None = None) -> MergedStory:
    article = Article(
        feed="Downland Gazette",
        guid=f"notice-{index}",
        link=link or f"https://downland.example/notice-{index}",
        title=f"Notice number {index}",
        author=None,
        published=datetime(2024, 11, 5, 8, 0, tzinfo=UTC),
        summary=body[:60],
        content=body,
    )
    return MergedStory(Story(f"story-{index}", article.title, "other", None, (article,)))


async def test_page_keys_move_a_page_and_keep_the_cursor_in_view(make_app: AppFactory) -> None:
    room = MemoryNewsroom(stored=[_story(i) for i in range(60)])
    app = make_app(newsroom=room)
    async with app.run_test(size=(120, 40)) as pilot:
        main = await loaded(pilot, app)
        stories = main.story_list
        page = stories.size.height // ROW_HEIGHT - 1
        assert page > 2

        def in_view() -> bool:
            top = stories.scroll_offset.y
            row = stories.cursor * ROW_HEIGHT
            return top <= row and row + ROW_HEIGHT <= top + stories.size.height

        await pilot.press("pagedown")
        assert stories.cursor == page and in_view()
        await pilot.press("pagedown")
        assert stories.cursor == 2 * page and in_view()
        await pilot.press("pageup")
        assert stories.cursor == page and in_view()
        await pilot.press("end", "pagedown")
        assert stories.cursor == 59 and in_view(), "paging stops at the last story"
        await pilot.press("pageup")
        assert stories.cursor == 59 - page and in_view()
        await pilot.press("home", "pageup")
        assert stories.cursor == 0 and stories.scroll_offset.y == 0


async def open_article(pilot: Pilot[None], app: HeraldApp) -> ArticleScreen:
    """From the list: enter opens the story, tab to its source, enter opens the article."""
    await loaded(pilot, app)
    await pilot.press("enter")
    await wait_workers(app)
    view = app.screen.query_one(StoryView)
    while not isinstance(view.current_part, SourceItem):
        await pilot.press("tab")
    await pilot.press("enter")
    await pilot.pause(0.1)
    assert isinstance(app.screen, ArticleScreen)
    return app.screen


async def test_article_scrolls_with_j_k_and_arrows(make_app: AppFactory) -> None:
    body = "\n\n".join(f"Paragraph {n} of a long notice from the force." for n in range(80))
    app = make_app(newsroom=MemoryNewsroom(stored=[_story(1, body)]))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_article(pilot, app)
        scroll = screen.query_one("#article-scroll", VerticalScroll)
        assert scroll.max_scroll_y > 0 and scroll.scroll_y == 0
        await pilot.press("j")
        await pilot.pause()
        after_j = scroll.scroll_y
        assert after_j > 0
        await pilot.press("down")
        await pilot.pause()
        assert scroll.scroll_y > after_j
        await pilot.press("k")
        await pilot.pause()
        assert scroll.scroll_y == after_j
        await pilot.press("up")
        await pilot.pause()
        assert scroll.scroll_y == 0


async def test_article_m_toggles_read_and_the_list_follows(
    make_app: AppFactory, newsroom: MemoryNewsroom
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_article(pilot, app)
        article = screen.article
        assert article.read, "opening the story marked it read"
        await pilot.press("m")
        assert not screen.article.read
        assert newsroom.writes[-1] == ("read", (article.id,), False)
        await pilot.press("m")
        assert screen.article.read
        await pilot.press("m", "escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        current = app.screen.story_list.current
        assert current is not None
        shown = next(a for a in current.story.articles if a.id == article.id)
        assert not shown.read, "the list shows the mark set on the article screen"


async def test_article_o_opens_only_a_web_link(
    make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    web, other = _story(1), _story(2, link="javascript:alert(1)")
    app = make_app(newsroom=MemoryNewsroom(stored=[web, other]))
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, new_tab=True: opened.append(url))
    seen = Messages()
    async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
        await open_article(pilot, app)
        await pilot.press("o")
        await wait_workers(app)  # links open in a worker thread
        assert opened == ["https://downland.example/notice-1"]
        await pilot.press("escape", "escape", "j", "enter", "tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ArticleScreen)
        assert app.screen.article.link == "javascript:alert(1)"
        await pilot.press("o")
        await wait_workers(app)
        assert opened == ["https://downland.example/notice-1"]
        assert any("Not a web link" in n.message for n in seen.notes())
        await pilot.press("G", "g", "space", "b", "ctrl+d", "ctrl+u", "pagedown", "pageup")
        assert isinstance(app.screen, ArticleScreen), "paging keys stay on the article"


async def test_escape_cancels_the_export(
    make_app: AppFactory, newsroom: MemoryNewsroom, tmp_path: Path
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        await pilot.press("e")
        assert isinstance(app.screen, ExportScreen)
        app.screen.query_one("#export-path", Input).value = str(tmp_path / "d.md")
        await pilot.press("escape")
        await wait_workers(app)
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert newsroom.exports == [] and not (tmp_path / "d.md").exists()


@pytest.mark.parametrize("key", ["escape", "question_mark", "q"])
async def test_help_closes_on_each_of_its_keys(make_app: AppFactory, key: str) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot, app)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, MainScreen), key
        assert app.is_running, "q on the help closes the help, not the app"


@pytest.mark.parametrize("key", ["q", "escape"])
async def test_the_error_screen_quits_on_q_and_escape(key: str) -> None:
    app = HeraldApp(None, startup_error="feeds.toml:2: a feed has no url")
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, ErrorScreen)
        await pilot.press(key)
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running
