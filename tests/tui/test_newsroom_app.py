"""The TUI on a real Newsroom: fixture RSS files, a real SQLite file under `tmp_path`.

These assert on what the TUI does with what the Newsroom returns (every stored story is
listed, marks persist, a failing feed shows, the story on screen is merged from stored
facts), not on exact extraction results: grouping and merging are tested by their own
modules.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import pytest
from textual.widgets import DataTable

from heraldtui.core.facts import extract
from heraldtui.core.facts.extract import EXTRACTOR_VERSION, facts_source
from heraldtui.core.facts.merge import merge_story
from heraldtui.core.models import Article, ArticleFacts, MergedStory
from heraldtui.core.newsroom import DB_NAME, Newsroom
from heraldtui.core.storage.store import Store
from heraldtui.tui.app import HeraldApp
from heraldtui.tui.screens.agenda import AgendaScreen
from heraldtui.tui.screens.feeds import FeedsScreen
from tests.tui.conftest import Messages, wait_workers
from tests.tui.fixtures import NOW, TODAY

FEEDS = Path(__file__).resolve().parent / "feeds"


def write_config(folder: Path, *, broken: bool = True) -> Path:
    """A feeds.toml on the fixture feeds (and one missing file that must fail)."""
    lines = [
        "[[feeds]]",
        'name = "Downland Gazette"',
        f'url = "{(FEEDS / "gazette.xml").as_uri()}"',
        "",
        "[[feeds]]",
        'name = "Vale Courier"',
        f'url = "{(FEEDS / "courier.xml").as_uri()}"',
    ]
    if broken:
        lines += [
            "",
            "[[feeds]]",
            'name = "Gone Away Times"',
            f'url = "{(folder / "missing.xml").as_uri()}"',
        ]
    path = folder / "feeds.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def make(newsroom: Newsroom, **kwargs: object) -> HeraldApp:
    options: dict[str, object] = {"refresh_on_start": False, "today": TODAY, "now": lambda: NOW}
    options.update(kwargs)
    return HeraldApp(newsroom, **options)  # type: ignore[arg-type]


async def settle(app: HeraldApp) -> None:
    """Wait until workers are done and the last requested load is on screen.

    Bounded by a count, not a clock; running out fails here, so a slow machine cannot
    send the test on with half the feeds listed."""
    main = app.main_screen
    assert main is not None
    for _ in range(2000):
        await wait_workers(app)
        state = main.state
        if state.loaded and state.complete and not state.loading and not state.refreshing:
            break
        await asyncio.sleep(0.02)
    else:
        raise AssertionError("the refresh and the loads never settled")
    await wait_workers(app)


async def test_refresh_lists_every_stored_story_and_reports_the_failure(tmp_path: Path) -> None:
    room = Newsroom.open(write_config(tmp_path), tmp_path / "data")
    try:
        app = make(room, refresh_on_start=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app)
            await pilot.pause()
            main = app.main_screen
            assert main is not None
            expected = {s.story.id for s in await asyncio.to_thread(room.stories)}
            assert {s.story.id for s in main.all_stories} == expected
            articles = sum(len(s.story.articles) for s in main.all_stories)
            assert articles == 4, "every fetched article is in exactly one listed story"
            assert [f.feed for f in main.state.failures] == ["Gone Away Times"]
            await pilot.press("f")
            assert isinstance(app.screen, FeedsScreen)
            table = app.screen.query_one(DataTable)
            statuses = {
                str(table.get_row_at(i)[0]): str(table.get_row_at(i)[1])
                for i in range(table.row_count)
            }
            assert statuses["Gone Away Times"] == "error"
            assert statuses["Downland Gazette"] == "ok"
    finally:
        room.close()


async def test_marks_persist_and_the_cache_opens_offline(tmp_path: Path) -> None:
    config = write_config(tmp_path, broken=False)
    room = Newsroom.open(config, tmp_path / "data")
    try:
        app = make(room, refresh_on_start=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app)
            main = app.main_screen
            assert main is not None
            # A load keeps the cursor on the story it was on: take it where it is.
            await pilot.press("g")  # the first story
            first = main.story_list.current
            assert first is not None and first.story.id == main.shown[0].story.id
            await pilot.press("enter")  # open it: all its articles read
            assert main.state.reading == first.story.id
            await pilot.press("escape", "j", "s")  # star the next story
            second = main.story_list.current
            assert second is not None and second.story.id == main.shown[1].story.id
    finally:
        room.close()

    # The feeds are gone (a user with no network): the cache still shows everything.
    config.write_text(
        config.read_text()
        .replace("gazette.xml", "nowhere.xml")
        .replace("courier.xml", "nowhere2.xml")
    )
    room = Newsroom.open(config, tmp_path / "data")
    try:
        app = make(room)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app)
            main = app.main_screen
            assert main is not None
            by_id = {s.story.id: s for s in main.all_stories}
            assert all(a.read for a in by_id[first.story.id].story.articles)
            assert all(a.starred for a in by_id[second.story.id].story.articles)
            assert not any(a.read for a in by_id[second.story.id].story.articles)
    finally:
        room.close()


async def test_a_data_folder_deleted_under_the_reader_is_reported_not_written(
    tmp_path: Path,
) -> None:
    import shutil

    config = write_config(tmp_path, broken=False)
    room = Newsroom.open(config, tmp_path / "data")
    seen = Messages()
    try:
        app = make(room, refresh_on_start=True)
        async with app.run_test(size=(120, 40), message_hook=seen) as pilot:
            await settle(app)
            main = app.main_screen
            assert main is not None
            story = main.shown[0]
            shutil.rmtree(tmp_path / "data")
            await pilot.press("s")  # star it: the write cannot be kept
            await pilot.pause()
            failed = [n for n in seen.notes() if n.title == "Not saved"]
            assert failed and "was deleted or replaced while heraldtui ran" in failed[0].message
            shown = main.state.find(story.story.id)
            assert shown is not None
            assert not any(a.starred for a in shown.story.articles)  # not shown as starred
    finally:
        room.close()


async def test_export_writes_a_markdown_digest(tmp_path: Path) -> None:
    room = Newsroom.open(write_config(tmp_path, broken=False), tmp_path / "data")
    try:
        app = make(room, refresh_on_start=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app)
            await pilot.press("e")
            app.screen.query_one("Input").value = str(tmp_path / "digest.md")  # type: ignore[attr-defined]
            await pilot.press("enter")
            await settle(app)
            await pilot.pause()
        text = (tmp_path / "digest.md").read_text(encoding="utf-8")
        assert "Wiltshire" in text
    finally:
        room.close()


async def test_the_agenda_on_a_real_newsroom_opens_the_meeting_story(tmp_path: Path) -> None:
    room = Newsroom.open(write_config(tmp_path, broken=False), tmp_path / "data")
    try:
        app = make(room, refresh_on_start=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app)
            await pilot.press("a")
            agenda = app.screen
            assert isinstance(agenda, AgendaScreen)
            for _ in range(2000):  # bounded by a count: the worker reads the store
                await wait_workers(app)
                if agenda.state.loaded:
                    break
                await asyncio.sleep(0.02)
            assert agenda.state.error is None
            surgery, panel = agenda.state.items
            assert (surgery.days_away, panel.days_away) == (2, 8)
            assert panel.meeting.name == "Police and Crime Panel"
            await pilot.press("down", "enter")
            await pilot.pause()
            main = app.main_screen
            assert main is not None and app.screen is main
            assert main.state.reading == panel.story_id
            assert main.story_view.story is not None
            assert main.story_view.story.story.id == panel.story_id
    finally:
        room.close()


async def merged_on_screen(app: HeraldApp) -> MergedStory | None:
    """The story on screen once the list is loaded and that story's merge is shown."""
    await settle(app)
    main = app.main_screen
    assert main is not None
    for _ in range(200):
        await wait_workers(app)
        shown = main.story_view.story
        if not main.view_pending and shown is not None and main.state.known_facts(shown):
            return shown
        await asyncio.sleep(0.02)
    return main.story_view.story


async def test_the_story_on_screen_is_merged_from_stored_facts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reader's merge stores the facts of the story it shows, and only those; the next
    start shows that story from them without reading any article again."""
    config = write_config(tmp_path, broken=False)
    data = tmp_path / "data"
    extracted: list[str] = []
    real = extract.extract_many

    def counting(articles: Sequence[Article]) -> list[ArticleFacts]:
        extracted.extend(a.id for a in articles)
        return real(articles)

    monkeypatch.setattr(extract, "extract_many", counting)
    room = Newsroom.open(config, data)
    try:
        app = make(room, refresh_on_start=True)
        async with app.run_test(size=(120, 40)):
            shown = await merged_on_screen(app)
            main = app.main_screen
            assert main is not None
            assert shown is not None and len(main.all_stories) > 1
            ids = sorted(a.id for a in shown.story.articles)
            assert sorted(extracted) == ids, "the story on screen, nothing else"
            assert shown == merge_story(shown.story), "with the facts a fresh merge finds"
    finally:
        room.close()
    with Store(data / DB_NAME) as store:
        articles = store.articles()
        sources = {a.id: facts_source(a) for a in articles}
        assert sorted(store.article_facts(sources, EXTRACTOR_VERSION)) == ids

    extracted.clear()
    room = Newsroom.open(config, data)
    try:
        app = make(room)
        async with app.run_test(size=(120, 40)) as pilot:
            again = await merged_on_screen(app)
            main = app.main_screen
            assert main is not None
            await pilot.press("g")  # the cursor starts where the load puts it: go to that story
            for _ in range(len(main.shown)):
                current = main.story_list.current
                if current is not None and current.story.id == shown.story.id:
                    break
                await pilot.press("j")
            again = await merged_on_screen(app)
            assert again is not None and again.story.id == shown.story.id
            assert again == merge_story(again.story), "the stored facts, merged"
            assert not set(extracted) & set(ids), "none of its articles read again"
    finally:
        room.close()
