"""What the force history pass (`facts/history.py`) costs: time and, above all, merges.

A merge is what costs (a few milliseconds per article: `benchmarks/extract.py`), so the
pass must merge only the candidates a story needs. This builds a listing of generated
story headers (43 forces over ten years: a PEEL inspection every other year, a crime
data inspection between, a response and a scrutiny meeting after each, and everyday
news), then measures, with a stand-in merge that counts its calls:

- one inspection shown (a fresh `ForceHistory`, as after a reload): time, merges;
- one everyday story shown: time, merges;
- every story given its history (a digest): time, merges (each story at most once).

    .venv/bin/python benchmarks/history.py [--stories 50000] [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from heraldtui.core.facts.history import ForceHistory
from heraldtui.core.models import Article, GradeFact, MeetingFact, MergedStory, Story, StoryKind

FORCES = 43
YEARS = 10
START = datetime(2015, 1, 5, 9, tzinfo=UTC)
AREAS = ("recording-data", "responding", "investigating", "leadership")
GRADES = ("good", "adequate", "requires-improvement")


def _story(
    n: int, force: str, when: datetime, title: str, kind: StoryKind, kind_of: str | None = None
) -> Story:
    article = Article("Gen", f"g{n}", f"https://gen.example/{n}", title, None, when, "", "")
    return Story(f"s{n}", title, kind, force, (article,), kind_of)


def listing(total: int, seed: int = 7) -> tuple[list[Story], dict[str, MergedStory]]:
    """Story headers, and the facts a merge would give the ones that have any."""
    rng = random.Random(seed)
    stories: list[Story] = []
    facts: dict[str, MergedStory] = {}
    n = 0
    for f in range(FORCES):
        force = f"Force {f}"
        for year in range(0, YEARS, 2):
            for offset, kind_of in ((0, "peel"), (365, "crime-data-integrity")):
                when = START + timedelta(days=year * 365 + offset + f)
                report = _story(n, force, when, "Inspectors grade the force", "inspection", kind_of)
                link = report.articles[0].link
                grades = tuple(GradeFact(a, a, rng.choice(GRADES), (link,)) for a in AREAS)
                facts[report.id] = MergedStory(report, grades=grades)
                stories.append(report)
                reply_day, panel_day = when + timedelta(days=3), when + timedelta(days=10)
                reply = _story(n + 1, force, reply_day, "Force responds to the inspection", "other")
                panel = _story(n + 2, force, panel_day, "Panel to question chief on it", "meeting")
                meeting = MeetingFact("Panel", (when + timedelta(days=30)).date(), None, None, ())
                facts[panel.id] = MergedStory(panel, meetings=(meeting,))
                stories += [reply, panel]
                n += 3
    while len(stories) < total:
        force = f"Force {rng.randrange(FORCES)}"
        when = START + timedelta(days=rng.randrange(YEARS * 365), hours=rng.randrange(12))
        stories.append(_story(n, force, when, f"Officers attend event {n}", "other"))
        n += 1
    return stories, facts


class CountingMerge:
    """A cached merge, as the Newsroom's: `calls` counts the stories actually merged."""

    def __init__(self, facts: dict[str, MergedStory]) -> None:
        self.facts = facts
        self.cache: dict[str, MergedStory] = {}

    @property
    def calls(self) -> int:
        return len(self.cache)

    def __call__(self, story: Story) -> MergedStory:
        merged = self.cache.get(story.id)
        if merged is None:
            merged = self.cache[story.id] = self.facts.get(story.id) or MergedStory(story)
        return merged


def _inspection_of(stories: list[Story], facts: dict[str, MergedStory], year: int) -> Story:
    for story in stories:
        published = story.articles[0].published
        if story.kind == "inspection" and published is not None and published.year == year:
            return story
    raise LookupError(year)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    stories, facts = listing(args.stories)
    inspection = _inspection_of(stories, facts, 2021)
    everyday = stories[-1]
    print(f"{len(stories)} stories, {FORCES} forces, {len(facts)} with facts")
    for label, shown in (("one inspection", inspection), ("one everyday story", everyday)):
        times, merges = [], []
        for _ in range(args.runs):
            merge = CountingMerge(facts)
            start = time.perf_counter()
            history = ForceHistory(stories, merge)
            history.of(merge(shown))
            times.append(time.perf_counter() - start)
            merges.append(merge.calls - 1)
        print(
            f"{label}: {statistics.median(times) * 1000:.1f} ms median, "
            f"{statistics.median(merges):.0f} other stories merged"
        )
    merge = CountingMerge(facts)
    start = time.perf_counter()
    history = ForceHistory(stories, merge)
    merged = {s.id: merge(s) for s in stories}
    base = merge.calls
    linked = sum(1 for s in stories if history.of(merged[s.id]).related)
    took = time.perf_counter() - start
    print(
        f"every story (a digest): {took:.2f} s, {merge.calls - base} merges beyond the "
        f"digest's own, {linked} stories linked"
    )


if __name__ == "__main__":
    main()
