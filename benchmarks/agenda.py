"""The agenda (`Newsroom.meetings()`, the `a` screen and `heraldtui meetings`) on a large cache.

Usage: `.venv/bin/python benchmarks/agenda.py [--sizes 5000,50000] [--full-up-to 5000]`

Fills a data folder through the real `Store` with generated articles in the proportions a
policing feed list has (our own templates): a few meeting notices, inspection write-ups
that name the panel that will scrutinise them, court reports (a "hearing" that is no
public meeting), and routine appeals, some mentioning drop-in surgeries. Grouping runs
once first, as it does when articles arrive. Then it times, each in a fresh Newsroom:
the agenda cold (listing plus reading the meetings), the agenda again (kept until the
next refresh), and, up to `--full-up-to` articles, what the agenda would cost by merging
every story and then the agenda in a new Newsroom reading the facts that merge stored.
It prints how many articles the agenda actually read.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from heraldtui.core.facts import extract as extract_module
from heraldtui.core.facts.meetings import MeetingMention, find_meetings
from heraldtui.core.models import Article, FeedState
from heraldtui.core.newsroom import DB_NAME, Newsroom
from heraldtui.core.output.agenda import build_agenda
from heraldtui.core.read.article_text import ArticleText
from heraldtui.core.storage.store import Store

FEEDS = 50
PLACES = [
    f"{c}{a}{b}"
    for a in ("ash", "brad", "cold", "dun", "els", "fen", "gar", "hal", "ick", "kel", "lam")
    for b in ("by", "ford", "harbour", "mere", "worth", "wick", "ston", "ley", "ham", "ton")
    for c in ("B", "C", "D", "G", "H", "M", "N", "P", "R", "S", "T", "W")
]
"""1,320 invented places: a real cache names many, and grouping compares only articles
that share one, so a handful would make the one-off grouping take half an hour."""
STREETS = ["Mill Lane", "Station Road", "Church Street", "the A36", "Kings Parade"]
WORDS = (
    "patrol arrest charged burglary theft community safety neighbourhood speed crime victims "
    "support response calls budget precept council residents station sergeant detective "
    "investigation appeal witnesses vehicle village town garage shed bicycle tools cash "
    "jewellery laptop phone wallet tractor quad trailer caravan fuel cable metal"
).split()
FILLER = [
    "Anyone with information is asked to call 101 quoting the incident number.",
    "Neighbourhood teams will hold drop-in surgeries at libraries across the district.",
]
SPREAD_DAYS = 730
"""Publication dates spread over two years, whatever the size, as a long-kept cache is."""


def _when(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _body(rng: random.Random, n: int, published: datetime) -> tuple[str, str]:
    place, street = rng.choice(PLACES), rng.choice(STREETS)
    roll = rng.random()
    words = " ".join(rng.choice(WORDS) for _ in range(60))
    tail = f"Officers said the {words}. " + (FILLER[1] if rng.random() < 0.1 else FILLER[0])
    if roll < 0.03:
        day = published.date() + timedelta(days=rng.randint(3, 40))
        return (
            f"Public meeting on policing in {place}",
            f"Residents are invited to a public meeting at {place} Village Hall on {_when(day)} "
            f"at 7pm to discuss policing priorities near {street}.\n\n{tail}",
        )
    if roll < 0.08:
        day = published.date() + timedelta(days=rng.randint(10, 60))
        return (
            f"Inspectors publish report on force serving {place}",
            "Inspectors graded the force adequate at investigating crime and good at "
            f"responding to the public. The Police and Crime Panel will consider the report on "
            f"{_when(day)} at 10.30am.\n\n{tail}",
        )
    if roll < 0.38:
        return (
            f"Man appears in court after {place} burglary",
            f"A man from {place} appeared before magistrates charged with burglary at a house "
            f"on {street}. He was remanded in custody until a further hearing next month."
            f"\n\n{tail}",
        )
    return (
        f"Appeal after van stolen in {place}",
        f"A van was stolen from {street} in {place} overnight.\n\n{tail}",
    )


def fill(folder: Path, count: int) -> Path:
    """A feeds.toml (nothing is fetched) and a store of `count` generated articles."""
    names = [f"Bench Feed {i:02d}" for i in range(FEEDS)]
    config = folder / "feeds.toml"
    config.write_text(
        "".join(
            f'[[feeds]]\nname = "{n}"\nurl = "http://127.0.0.1:9/{i}.rss"\n\n'
            for i, n in enumerate(names)
        ),
        encoding="utf-8",
    )
    rng = random.Random(count)
    start = datetime(2024, 1, 1, 9, tzinfo=UTC)
    store = Store(folder / "data" / DB_NAME)
    try:
        per_feed = count // FEEDS
        for f, name in enumerate(names):
            articles = []
            for i in range(per_feed):
                n = f * per_feed + i
                published = start + timedelta(days=SPREAD_DAYS * n / count)
                title, body = _body(rng, n, published)
                link = f"https://bench.example/{f}/{i}"
                articles.append(Article(name, link, link, title, None, published, "", body))
            store.save_feed_result(FeedState(name, f"http://127.0.0.1:9/{f}.rss", "ok"), articles)
    finally:
        store.close()
    return config


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="5000,50000")
    parser.add_argument("--full-up-to", type=int, default=5000)
    args = parser.parse_args()
    read = [0]

    def counting(
        text: ArticleText, published: datetime | None, title: str | None = None
    ) -> list[MeetingMention]:
        read[0] += 1
        return find_meetings(text, published, title)

    vars(extract_module)["find_meetings"] = counting  # counts the articles actually read
    today = date(2024, 6, 1)
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            config = fill(folder, size)
            began = time.perf_counter()
            with Newsroom.open(config, folder / "data") as room:
                stories = len(room.stories(merge=False))
            print(f"{size} articles, {stories} stories (grouped once: "
                  f"{time.perf_counter() - began:.1f} s)")  # fmt: skip
            with Newsroom.open(config, folder / "data") as room:
                read[0] = 0
                began = time.perf_counter()
                items = room.meetings(include_past=True, today=today)
                cold = time.perf_counter() - began
                began = time.perf_counter()
                room.meetings(include_past=True, today=today)
                warm = time.perf_counter() - began
            print(f"  agenda: {cold:.2f} s cold (listing included), {warm:.2f} s again; "
                  f"{len(items)} meetings; {read[0]} of {size} articles read")  # fmt: skip
            if size <= args.full_up_to:
                with Newsroom.open(config, folder / "data") as room:
                    began = time.perf_counter()
                    full = build_agenda(room.stories(), today, include_past=True)
                    took = time.perf_counter() - began
                assert full == items, "the agenda must be what merging every story gives"
                print(f"  merging every story instead: {took:.2f} s (same meetings)")
                # That merge stored every article's facts, as an export does: a new
                # process's agenda takes the meetings from them.
                with Newsroom.open(config, folder / "data") as room:
                    read[0] = 0
                    began = time.perf_counter()
                    again = room.meetings(include_past=True, today=today)
                    took = time.perf_counter() - began
                assert again == items
                print(f"  agenda after an export, in a new Newsroom: {took:.2f} s cold; "
                      f"{read[0]} articles read")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
