"""A long stored history, written straight into a real store, for start-up tests.

Grouping thousands of articles takes a while and is tested on its own: here the stories
are stored as the grouping would have left them (headers and assignments), so a
`Newsroom` on the folder lists them without grouping anything, as a reader does on a
history it has seen before. Headlines, feeds and dates are generated from a seed.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from heraldtui.core.models import Article, FeedState, Story
from heraldtui.core.newsroom import DB_NAME
from heraldtui.core.storage.store import Store
from heraldtui.core.stories.grouper import story_id

FEEDS = ("Downland Gazette", "Vale Courier", "Market Town Bulletin", "Hill Post")
PLACES = ("Ashby", "Brockton", "Cleeve", "Dunmore", "Elmstead", "Fairholt", "Gorsley")
EVENTS = ("road closure", "burglary appeal", "panel meeting", "speed checks", "new station")


def write_history(folder: Path, count: int, *, seed: int = 7) -> Path:
    """`count` articles in stories of one to three, one every 10 minutes back from
    1 Nov 2024 (a few undated); returns the feeds file, which names every feed."""
    rng = random.Random(seed)
    config = folder / "feeds.toml"
    config.write_text(
        "".join(
            f'[[feeds]]\nname = "{name}"\nurl = "http://127.0.0.1:9/{i}.rss"\n\n'
            for i, name in enumerate(FEEDS)
        ),
        encoding="utf-8",
    )
    newest = datetime(2024, 11, 1, 8, 0, tzinfo=UTC)
    articles: list[Article] = []
    for n in range(count):
        published = None if n % 97 == 96 else newest - timedelta(minutes=10 * n)
        place, event = rng.choice(PLACES), rng.choice(EVENTS)
        articles.append(
            Article(
                feed=rng.choice(FEEDS),
                guid=f"item-{n}",
                link=f"https://history.example/{n}",
                title=f"{place} {event} ({n})",
                author=None,
                published=published,
                summary=f"Officers in {place} on the {event}.",
                content=f"Officers in {place} said the {event} went ahead. Item {n}.",
            )
        )
    store = Store(folder / "data" / DB_NAME)
    try:
        for name in FEEDS:
            items = [a for a in articles if a.feed == name]
            store.save_feed_result(FeedState(name, f"http://127.0.0.1:9/{name}"), items)
        stories: list[Story] = []
        i = 0
        while i < count:
            size = rng.choice((1, 1, 1, 2, 3))
            group = tuple(
                sorted(articles[i : i + size], key=lambda a: (a.published or newest, a.id))
            )
            stories.append(Story(story_id(group[0].id), group[-1].title, "other", None, group))
            i += size
        store.save_stories(stories)
    finally:
        store.close()
    return config
