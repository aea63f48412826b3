"""Benchmark of fact extraction (grades, quotes, people, meetings) per article.

Usage: `python benchmarks/extract.py [--articles 3000] [--seed 7]`

Generates articles in the shapes outlets use (grade lists with dashes or colons, tables,
prose grades in both directions, quotes over several paragraphs and split by their
attribution, captions, meeting notices with dates, times and links, plus routine crime
stories with none of these), each from templates written for this benchmark and a few
hundred to a few thousand words long. It times the four extractors on each article and
prints the median and 95th-percentile time per article, then the median time to merge a
three-article story. The target is a median under 5 ms per article.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from heraldtui.core.facts.areas import area_keys, area_label
from heraldtui.core.facts.grades import find_grades
from heraldtui.core.facts.meetings import find_meetings
from heraldtui.core.facts.merge import merge_story
from heraldtui.core.facts.quotes import find_quotes
from heraldtui.core.models import Article, Story
from heraldtui.core.read.article_text import ArticleText

FIRST = ["Alys", "Bryn", "Carys", "Dafydd", "Esme", "Fergus", "Greta", "Hamish", "Iona", "Jago"]
LAST = ["Trevelyan", "Ogilvie", "Pennock", "Quarrie", "Rudge", "Saltonstall", "Tregear", "Vane"]
ROLES = ["Chief Constable", "Police and Crime Commissioner", "HM Inspector of Constabulary"]
GRADES = ["Outstanding", "Good", "Adequate", "Requires improvement", "Inadequate"]
FILLER = [
    "Officers attended the scene shortly after the call and spoke to several witnesses.",
    "The council said the road would reopen once repairs to the barrier were complete.",
    "Neighbourhood teams will hold drop-in surgeries at libraries across the district.",
    "Anyone with information is asked to call 101 quoting the incident number.",
    "The campaign runs for six weeks and focuses on rural lanes near schools.",
]


def _person(rng: random.Random) -> tuple[str, str]:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}", rng.choice(ROLES)


def _inspection(rng: random.Random) -> str:
    keys = list(area_keys()[:9])
    grades = {k: rng.choice(GRADES) for k in keys}
    shape = rng.randrange(3)
    parts = ["The inspectorate has published its PEEL report on the force."]
    if shape == 0:
        sep = rng.choice([" - ", ": ", " – "])
        parts.append("\n".join(f"- {area_label(k)}{sep}{g}" for k, g in grades.items()))
    elif shape == 1:
        rows = "\n".join(f"| {area_label(k)} | {g} |" for k, g in grades.items())
        parts.append("| Area | Grade |\n| --- | --- |\n" + rows)
    else:
        for k, g in grades.items():
            if rng.random() < 0.5:
                parts.append(f"The force was rated {g.lower()} for {area_label(k).lower()}.")
            else:
                parts.append(f"{area_label(k)} was judged to be '{g.lower()}'.")
    name, role = _person(rng)
    paragraphs = rng.randint(1, 3)
    quote = "\n\n".join(
        f"“{rng.choice(FILLER)} We accept the findings and will act on them."
        for _ in range(paragraphs)
    )
    parts.append(f"{role} {name} said: {quote}”")
    other, other_role = _person(rng)
    parts.append(
        f"“We will publish a plan,” said {other_role} {other}. “Residents will see the change.”"
    )
    return "\n\n".join(parts + rng.sample(FILLER, 3))


def _meeting(rng: random.Random, published: datetime) -> str:
    name, role = _person(rng)
    day = published + timedelta(days=rng.randint(2, 30))
    when = rng.choice(
        [
            day.strftime("%d %B %Y"),
            day.strftime("%A, %B %d"),
            day.strftime("%d/%m/%Y"),
            "next Tuesday",
        ]
    )
    clock = rng.choice(["10.30am", "7pm", "14:00"])
    return "\n\n".join(
        [
            f"{role} {name} will host a Community Safety Public Meeting on {when} at {clock}.",
            f"Mr {name.split()[1]} said: “Come along and tell us what matters to you.”",
            "The meeting will be streamed live at https://go.example/csm1.",
            *rng.sample(FILLER, 2),
        ]
    )


def generate(count: int, seed: int) -> list[Article]:
    rng = random.Random(seed)
    start = datetime(2024, 1, 1, 9, tzinfo=UTC)
    articles = []
    for n in range(count):
        published = start + timedelta(hours=7 * n)
        kind = rng.random()
        if kind < 0.4:
            body = _inspection(rng)
        elif kind < 0.6:
            body = _meeting(rng, published)
        else:
            body = "\n\n".join(rng.choices(FILLER, k=rng.randint(4, 25)))
        articles.append(
            Article(
                f"Outlet {n % 17}", f"g{n}", f"https://news.example/{n}", f"Story {n}",
                None, published, "", body,
            )
        )  # fmt: skip
    return articles


def extract(article: Article) -> None:
    text = ArticleText(article.text)  # paragraphs, quote spans and people, once
    find_grades(text, article.published)
    find_quotes(text)
    find_meetings(text, article.published)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    articles = generate(args.articles, args.seed)
    extract(articles[0])  # compile the patterns and load the area table first
    timings = []
    for article in articles:
        began = time.perf_counter()
        extract(article)
        timings.append((time.perf_counter() - began) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    merges = []
    for i in range(0, len(articles) - 3, 3):
        story = Story(f"s{i}", "t", "other", None, tuple(articles[i : i + 3]))
        began = time.perf_counter()
        merge_story(story)
        merges.append((time.perf_counter() - began) * 1000)
    print(f"articles: {len(articles)}")
    print(f"extraction per article: median {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms")
    print(f"merge per 3-article story: median {statistics.median(merges):.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
