"""Benchmark of story grouping on synthetic local-policing news streams.

Usage: `python benchmarks/grouping.py [--sizes 1000 10000 50000] [--runs 3]
                                      [--generators realistic dense feedgen]
                                      [--against PYTHON]`

The generator writes a realistic stream: about sixty forces (half from the bundled table
under the names outlets use, half invented), three or four outlets per force with their
own recurring footer lines, and recurring events: inspections reported by several
outlets and followed weeks later by a scrutiny-meeting article, PCC public meetings
(notice, preview, write-up), court cases, syndicated near-copies, and a majority of
routine one-article stories (arrests, appeals, campaigns) that share vocabulary.
Every sentence is a template written for this benchmark. The true grouping is known, so
the script also prints the B-cubed F1 of the result.

Three generators (`--generators`, default the first two):

- `realistic`: the stream above;
- `dense`: the same events, all about one force (Hertfordshire Constabulary, its PCC and
  chief constable) in the eight towns of `feedgen.py`, every article also naming all
  eight (in a random order): every article shares eight entities with every other, as on
  a force's own feed, so the grouping's candidate generation meets its worst case;
- `feedgen`: the items of `feedgen.py`'s feeds as a refresh stores them (five paragraphs
  of five random sentences, each naming one of the eight towns; 200 feeds of 50 items,
  three hours apart per feed): the dense coverage of issue 14, with text about eight
  times longer than the others' and no true stories (F1 is not printed).

It prints the median wall time of a full grouping (and its CPU time: on a shared machine
the wall time includes waiting for a core), the median time to add 100 new
articles to a grouped set of the largest size, the median time to restore a grouper from
only the stories inside the linking window and add the same 100 (what the reader does at
start-up), and the peak memory (tracemalloc) of the largest grouping.

`--against PYTHON` compares with another checkout instead (PYTHON: an interpreter whose
`heraldtui` is that checkout's, such as its venv's). The machine's speed drifts by a tenth
or more between sittings, so a before and an after timed an hour apart say little. Here
each full grouping runs in a fresh process (as an export does: no table read before),
this checkout's and PYTHON's in turn (ABBA), on the same articles from this checkout's
generator; it prints each side's medians and the median of the per-round ratios.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import pickle
import random
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from feedgen import PARAGRAPHS, PLACES, WORDS, _paragraph

from heraldtui.core.models import Article
from heraldtui.core.read.forces import place_of
from heraldtui.core.stories.grouper import StoryGrouper, article_day, group_articles
from heraldtui.core.stories.rules import WINDOW_DAYS

KNOWN = [
    ("Kent Police", ["Kent Police"]),
    ("Hertfordshire Constabulary", ["Herts Police", "Hertfordshire Constabulary"]),
    ("Greater Manchester Police", ["GMP", "Greater Manchester Police"]),
    ("Metropolitan Police Service", ["the Met", "Metropolitan Police"]),
    ("Thames Valley Police", ["Thames Valley Police"]),
    ("Devon and Cornwall Police", ["Devon and Cornwall Police", "Devon & Cornwall Police"]),
    ("Lancashire Constabulary", ["Lancashire Police", "Lancs Police"]),
    ("Avon and Somerset Constabulary", ["Avon and Somerset Police"]),
    ("West Midlands Police", ["West Midlands Police"]),
    ("Norfolk Constabulary", ["Norfolk Police", "Norfolk Constabulary"]),
    ("Essex Police", ["Essex Police"]),
    ("Sussex Police", ["Sussex Police"]),
    ("Durham Constabulary", ["Durham Police", "Durham Constabulary"]),
    ("Cumbria Constabulary", ["Cumbria Police"]),
    ("North Wales Police", ["North Wales Police"]),
    ("South Yorkshire Police", ["South Yorkshire Police"]),
    ("Wiltshire Police", ["Wiltshire Police"]),
    ("Dyfed-Powys Police", ["Dyfed-Powys Police"]),
    ("Suffolk Constabulary", ["Suffolk Police"]),
    ("Cheshire Constabulary", ["Cheshire Police"]),
    ("British Transport Police", ["British Transport Police", "BTP"]),
    ("Police Scotland", ["Police Scotland"]),
    ("Police Service of Northern Ireland", ["PSNI"]),
    ("Gwent Police", ["Gwent Police"]),
    ("Dorset Police", ["Dorset Police"]),
    ("Surrey Police", ["Surrey Police"]),
    ("Merseyside Police", ["Merseyside Police"]),
    ("Cleveland Police", ["Cleveland Police"]),
    ("Northumbria Police", ["Northumbria Police"]),
    ("Staffordshire Police", ["Staffs Police", "Staffordshire Police"]),
]
SYLLABLES = (
    "ash bram carn dun elm fen glen hal holt kirk lang mar nor pen quar ros sel thorn ulla "
    "ver wick yar bel cor dal ester fal gar hen ivel lyn mor ock pol rin stan tam wen"
).split()
FIRST = (
    "Alice Ben Chloe Daniel Emma Farid Grace Harry Imran Jade Karl Lena Mohammed Nadia Owen "
    "Priya Rhys Sophie Tom Usha Victor Wendy Yusuf Zoe Aaron Bethan Callum Dominika Ewan "
    "Fiona Gareth Hannah Isaac Joanne Kiran Liam Maria Niall Olivia Patrick"
).split()
AREAS = (
    "Recording data about crime",
    "Police powers and public treatment",
    "Preventing crime",
    "Responding to the public",
    "Investigating crime",
    "Protecting vulnerable people",
    "Managing offenders",
    "Developing a positive workplace",
    "Leadership and force management",
)
GRADES = ("Outstanding", "Good", "Adequate", "Requires improvement", "Inadequate")


GAPS = {"inspection": timedelta(days=300), "meeting": timedelta(days=10)}
"""Least time between two events of a kind for one force."""


def _word(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


@dataclass
class Force:
    official: str
    names: list[str]
    place: str
    pcc: str
    chief: str
    outlets: list[str]
    towns: list[str]
    busy_until: dict[str, datetime]
    """Event kind -> the earliest time the force can have another (no force is inspected
    twice in a few weeks)."""


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {_word(rng, 2)}{rng.choice(['', 'e', 's', 'ton', 'by'])}"


def make_forces(rng: random.Random) -> list[Force]:
    forces = []
    for official, names in KNOWN:
        forces.append(_force(rng, official, names, place_of(official)))
    for _ in range(30):
        place = f"{_word(rng)} {rng.choice(['Vale', 'Ridge', 'Downs', 'Moor', 'Coast', 'Fens'])}"
        suffix = rng.choice(["Police", "Constabulary"])
        forces.append(_force(rng, f"{place} {suffix}", [f"{place} {suffix}"], place))
    return forces


def _force(rng: random.Random, official: str, names: list[str], place: str) -> Force:
    outlets = [
        f"{_word(rng)} {rng.choice(['Gazette', 'Courier', 'Echo', 'Post', 'Mercury', 'FM'])}"
        for _ in range(rng.randint(3, 4))
    ]
    towns = [_word(rng, rng.randint(2, 3)) for _ in range(12)]
    return Force(official, names, place, _person(rng), _person(rng), outlets, towns, {})


def dense_force(rng: random.Random) -> list[Force]:
    """One force in feedgen's eight towns, for the dense stream."""
    force = _force(rng, "Hertfordshire Constabulary", ["Hertfordshire Constabulary"], "")
    force.names.append("Herts Police")
    force.place = "Hertfordshire"
    force.towns = list(PLACES)
    return [force]


class Stream:
    """Builds articles and remembers the true story of each. `dense`: every article is
    about one force and names the same eight towns (see the module docstring)."""

    def __init__(self, seed: int, dense: bool = False) -> None:
        self.rng = random.Random(seed)
        self.dense = dense
        self.forces = dense_force(self.rng) if dense else make_forces(self.rng)
        self.articles: list[Article] = []
        self.truth: dict[str, int] = {}
        self.story = 0
        self.footers = {
            outlet: f"Follow {outlet} on Facebook for more local news. Sign up to our newsletter."
            for force in self.forces
            for outlet in force.outlets
        }

    def emit(self, feed: str, when: datetime, title: str, paras: Sequence[str]) -> None:
        body = list(paras)
        if self.dense:
            towns = self.rng.sample(PLACES, len(PLACES))
            body.append(f"Officers patrol {', '.join(towns[:-1])} and {towns[-1]}.")
        if self.rng.random() < 0.7:
            body.append(self.footers.get(feed, "Sign up to our newsletter."))
        guid = f"https://{feed.lower().replace(' ', '')}.example/{len(self.articles)}"
        article = Article(
            feed=feed,
            guid=guid,
            link=guid,
            title=title,
            author=None,
            published=when,
            summary=paras[0][:150],
            content="\n\n".join(body),
        )
        self.articles.append(article)
        self.truth[article.id] = self.story

    def inspection(self, force: Force, when: datetime) -> None:
        rng = self.rng
        grades = {area: rng.choice(GRADES) for area in AREAS}
        worst = min(AREAS, key=lambda a: GRADES.index(grades[a]) * -1)
        inspector = _person(rng)
        kind = rng.choice(["PEEL 2023–25", "PEEL", "crime data integrity"])
        name = rng.choice(force.names)
        lines = "\n".join(f"- {a}: {g}" for a, g in grades.items())
        self.emit(
            force.outlets[0],
            when,
            f"{name} rated {grades[worst].lower()} for {worst.lower()}",
            [
                f"{name} has been rated {grades[worst].lower()} for {worst.lower()} in a "
                f"{kind} inspection report published by the inspectorate this morning.",
                lines,
                f'HM Inspector {inspector} said: "The force has made progress in '
                f'{force.towns[0]} but must act faster on {worst.lower()}."',
            ],
        )
        for outlet in force.outlets[1 : rng.randint(2, len(force.outlets))]:
            self.emit(
                outlet,
                when + timedelta(hours=rng.randint(1, 30)),
                f"Inspectors: {rng.choice(force.names)} must improve {worst.lower()}",
                [
                    f"Inspectors have told {rng.choice(force.names)} it needs to improve "
                    f"{worst.lower()} after their {kind} inspection.",
                    f"Chief Constable {force.chief} said the force accepted the findings "
                    f"and had a plan for {force.towns[1]} and {force.towns[2]}.",
                ],
            )
        if rng.random() < 0.5:
            meeting = when + timedelta(days=rng.randint(14, 30))
            self.emit(
                f"Office of the {force.place} PCC",
                meeting - timedelta(days=7),
                f"Commissioner to question chief on {kind} inspection",
                [
                    f"Police and Crime Commissioner {force.pcc} will question Chief Constable "
                    f"{force.chief} about the recent {kind} inspection of "
                    f"{rng.choice(force.names)} at a public meeting.",
                    f"The Accountability Meeting is on {meeting:%d %B %Y} at 10.30am and will "
                    f"be streamed at https://{force.place.lower().replace(' ', '')}-pcc"
                    f".example/apm.",
                ],
            )

    def meeting(self, force: Force, when: datetime) -> None:
        rng = self.rng
        town = rng.choice(force.towns)
        on = when + timedelta(days=rng.randint(8, 20))
        url = f"https://{force.place.lower().replace(' ', '')}-pcc.example/events/{town.lower()}"
        self.emit(
            f"Office of the {force.place} PCC",
            when,
            f"Community Safety Public Meeting – {town}",
            [
                f"Police and Crime Commissioner {force.pcc} will host a public meeting in "
                f"{town} on {on:%A %d %B %Y} at 7pm.",
                f"Residents can raise concerns about speeding and anti-social behaviour. "
                f"Book a place at {url}",
            ],
        )
        outlet = rng.choice(force.outlets)
        self.emit(
            outlet,
            on - timedelta(days=rng.randint(2, 6)),
            f"Speeding on agenda at {town} public meeting",
            [
                f"Residents of {town} will get the chance to question Commissioner "
                f"{force.pcc} at a public meeting on {on:%A, %B %d} at 7pm.",
                f"Parish councillor {_person(rng)} said people in {town} were fed up.",
            ],
        )
        if rng.random() < 0.6:
            self.emit(
                outlet,
                on + timedelta(hours=14),
                f"Police promise action after packed {town} meeting",
                [
                    f"Police have promised more patrols in {town} after residents packed a "
                    f"public meeting last night.",
                    f"Commissioner {force.pcc} said he would fund new speed signs.",
                ],
            )

    def court(self, force: Force, when: datetime) -> None:
        rng = self.rng
        accused = _person(rng)
        town = rng.choice(force.towns)
        victim_street = f"{_word(rng)} Road"
        crime = rng.choice(["burglary", "robbery", "assault", "arson", "fraud"])
        for k, outlet in enumerate(rng.sample(force.outlets, rng.randint(2, 3))):
            self.emit(
                outlet,
                when + timedelta(hours=6 * k + rng.randint(0, 5)),
                f"{town} {crime}: {accused} jailed",
                [
                    f"{accused}, of {victim_street}, {town}, has been jailed for "
                    f"{rng.randint(2, 9)} years at {_word(rng)} Crown Court for {crime}.",
                    f"The court heard {accused.split()[1]} targeted homes in {town} over "
                    f"several months before {rng.choice(force.names)} arrested him.",
                    rng.choice(
                        [
                            "The judge said the offences had a lasting effect on the victims.",
                            f"Detective Constable {_person(rng)} welcomed the sentence.",
                        ]
                    ),
                ],
            )

    def syndicated(self, force: Force, when: datetime) -> None:
        rng = self.rng
        town = rng.choice(force.towns)
        paras = [
            f"Plans to close the police front counter in {town} have been approved by "
            f"Commissioner {force.pcc} despite objections from residents.",
            f"The counter at {town} police station is used by fewer than ten people a day, "
            f"according to figures presented to the {force.place} police and crime panel.",
            f"Councillor {_person(rng)} said the decision would leave {town} without a "
            f"visible police presence and called for a mobile service instead.",
        ]
        self.emit(rng.choice(force.outlets), when, f"{town} police counter to close", paras)
        copy = [*paras[:2], "This article was written by the Local Democracy Reporting Service."]
        self.emit(
            rng.choice(force.outlets),
            when + timedelta(hours=rng.randint(2, 20)),
            f"Police front counter in {town} will shut",
            copy,
        )

    def routine(self, force: Force, when: datetime) -> None:
        rng = self.rng
        town = rng.choice(force.towns)
        name = rng.choice(force.names)
        what = rng.choice(
            [
                ("arrested after a burglary", "A man has been arrested after a burglary at a "),
                ("appeal after a car fire", "Police are appealing for witnesses after a car "),
                ("speed checks stepped up", "Officers are stepping up speed checks near a "),
                ("arrest after shop theft", "A woman has been arrested after a theft from a "),
            ]
        )
        self.emit(
            rng.choice(force.outlets),
            when,
            f"{town}: {what[0]}",
            [
                f"{what[1]}property in {town} on {rng.choice(['Monday', 'Friday'])}.",
                f"{name} said officers were keen to hear from anyone with information.",
                f'Sergeant {_person(rng)} said: "We take these reports seriously in {town}."',
            ],
        )

    def build(self, n: int) -> list[Article]:
        start = datetime(2023, 1, 1, 8, tzinfo=UTC)
        days = max(30, n // 45)
        events = [
            (self.inspection, 0.04),
            (self.meeting, 0.06),
            (self.court, 0.10),
            (self.syndicated, 0.08),
            (self.routine, 0.72),
        ]
        while len(self.articles) < n:
            force = self.rng.choice(self.forces)
            when = start + timedelta(minutes=self.rng.randint(0, days * 1440))
            r = self.rng.random()
            for make, share in events:
                r -= share
                if r <= 0:
                    gap = GAPS.get(make.__name__)
                    if gap is not None:
                        if force.busy_until.get(make.__name__, start) > when:
                            make = self.routine
                        else:
                            force.busy_until[make.__name__] = when + gap
                    make(force, when)
                    break
            self.story += 1
        self.articles = self.articles[:n]
        self.articles.sort(key=lambda a: (a.published or start, a.id))
        return self.articles


def feedgen_articles(n: int, seed: int = 7) -> list[Article]:
    """`n` items of feedgen's feeds (50 per feed) as a refresh stores them: the content's
    paragraphs as Markdown paragraphs, the description as the summary."""
    start = datetime(2025, 6, 1, tzinfo=UTC)
    out: list[Article] = []
    for index in range((n + 49) // 50):
        rng = random.Random(seed * 100_003 + index)
        for k in range(50):
            title = f"{rng.choice(PLACES)} {rng.choice(WORDS)} {rng.choice(WORDS)} update {k}"
            body = "\n\n".join(_paragraph(rng, 5) for _ in range(PARAGRAPHS))
            summary = _paragraph(rng, 2)
            link = f"https://outlet{index}.example/news/{k}"
            when = start - timedelta(hours=index * 3 + k)
            feed = f"Outlet {index}"
            out.append(Article(feed, f"outlet{index}-{k}", link, title, None, when, summary, body))
    return out[:n]


def bcubed_f1(stories: Sequence[Sequence[str]], truth: dict[str, int]) -> float:
    pred = {aid: i for i, ids in enumerate(stories) for aid in ids}
    by_pred: dict[int, set[str]] = {}
    by_true: dict[int, set[str]] = {}
    for aid, c in pred.items():
        by_pred.setdefault(c, set()).add(aid)
    for aid in pred:
        by_true.setdefault(truth[aid], set()).add(aid)
    p = r = 0.0
    for aid in pred:
        both = len(by_pred[pred[aid]] & by_true[truth[aid]])
        p += both / len(by_pred[pred[aid]])
        r += both / len(by_true[truth[aid]])
    p, r = p / len(pred), r / len(pred)
    return 2 * p * r / (p + r)


GENERATORS = ("realistic", "dense", "feedgen")


def generate(generator: str, n: int) -> tuple[list[Article], dict[str, int] | None]:
    """`n` articles of `generator`, oldest first, and their true stories when known."""
    if generator == "feedgen":
        articles = feedgen_articles(n)
        articles.sort(key=lambda a: (article_day(a), a.id))
        return articles, None
    stream = Stream(seed=n, dense=generator == "dense")
    return stream.build(n), stream.truth


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--generators", nargs="+", choices=GENERATORS, default=["realistic", "dense"]
    )
    parser.add_argument("--against", help="another checkout's interpreter, timed in turn")
    args = parser.parse_args()
    for generator in args.generators:
        print(f"{generator}:")
        if args.against:
            for size in args.sizes:
                run_against(generator, size, args.runs, args.against)
        else:
            run_generator(generator, args.sizes, args.runs)
    return 0


CHILD = """
import json, pickle, sys, time
from heraldtui.core.models import Article
from heraldtui.core.stories.grouper import group_articles
with open(sys.argv[1], "rb") as rows:
    articles = [Article(**row) for row in pickle.load(rows)]
wall, cpu = time.perf_counter(), time.process_time()
stories = group_articles(articles)
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
print(json.dumps({"wall": wall, "cpu": cpu, "stories": len(stories)}))
"""
"""One full grouping of the pickled articles, in the interpreter's own heraldtui."""


def run_against(generator: str, size: int, runs: int, against: str) -> None:
    """`runs` rounds of a full grouping of `size` articles by this checkout and by
    `against`, each in a fresh process, alternating which goes first (see the docstring)."""
    articles, _ = generate(generator, size)
    here = str(Path(__file__).resolve().parents[1])
    sides = {"this checkout": (sys.executable, here), against: (against, None)}
    times: dict[str, list[dict[str, float]]] = {name: [] for name in sides}
    with tempfile.TemporaryDirectory(prefix="herald-grouping-") as tmp:
        rows = Path(tmp) / "articles.pickle"
        with rows.open("wb") as out:
            fields = [f.name for f in dataclasses.fields(Article) if f.init]
            pickle.dump([{name: getattr(a, name) for name in fields} for a in articles], out)
        for round_ in range(runs):
            order = list(sides) if round_ % 2 == 0 else list(reversed(sides))
            for name in order:
                python, path = sides[name]
                env = dict(os.environ)
                if path is not None:  # this checkout's heraldtui, whatever is installed
                    env["PYTHONPATH"] = path
                done = subprocess.run(
                    [python, "-c", CHILD, str(rows)],
                    capture_output=True,
                    text=True,
                    check=True,
                    env=env,
                    cwd=tmp,  # `-c` reads modules from the working folder first
                    timeout=3600,
                )
                times[name].append(json.loads(done.stdout))
    for name, rounds in times.items():
        stories = sorted({int(r["stories"]) for r in rounds})
        print(
            f"{size:>6} articles [{name}]: full grouping median "
            f"{statistics.median(r['wall'] for r in rounds):.2f} s "
            f"(CPU {statistics.median(r['cpu'] for r in rounds):.2f} s; "
            f"{', '.join(map(str, stories))} stories)"
        )
    ours, theirs = times.values()
    ratios = [a["cpu"] / b["cpu"] for a, b in zip(ours, theirs, strict=True)]
    print(
        f"{size:>6} articles: this checkout / {against}: CPU median "
        f"{statistics.median(ratios):.3f} (rounds: {', '.join(f'{r:.3f}' for r in ratios)})"
    )


def run_generator(generator: str, sizes: list[int], runs: int) -> None:
    largest: list[Article] = []
    for size in sizes:
        articles, truth = generate(generator, size + 100)
        base, extra = articles[:-100], articles[-100:]
        times = []
        cpu = []
        stories = []
        for _ in range(runs):
            t0, c0 = time.perf_counter(), time.process_time()
            stories = group_articles(base)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        quality = ""
        if truth is not None:
            f1 = bcubed_f1([[a.id for a in s.articles] for s in stories], truth)
            quality = f", B-cubed F1 {f1:.3f} against the generated truth"
        print(
            f"{size:>6} articles: full grouping median {statistics.median(times):.2f} s "
            f"(CPU {statistics.median(cpu):.2f} s; {len(stories)} stories{quality})"
        )
        if size == max(sizes):
            largest = articles
            inc = []
            for _ in range(runs):
                grouper = StoryGrouper()
                grouper.add(base)
                t0 = time.perf_counter()
                grouper.add(extra)
                inc.append(time.perf_counter() - t0)
            print(f"{size:>6} + 100 new articles: median {statistics.median(inc) * 1000:.0f} ms")
            # Start-up: restore only the stories still inside the linking window, then add.
            saved = grouper.assignments()
            since = min(article_day(a) for a in extra) - WINDOW_DAYS
            recent = {saved[a.id] for a in base if article_day(a) >= since}
            window = [a for a in base if saved[a.id] in recent]
            restore = []
            for _ in range(runs):
                t0 = time.perf_counter()
                StoryGrouper.restore(window, {a.id: saved[a.id] for a in window}).add(extra)
                restore.append(time.perf_counter() - t0)
            print(
                f"{size:>6} restore of the {len(window)} articles in the window + 100 new: "
                f"median {statistics.median(restore) * 1000:.0f} ms"
            )
    if largest:
        tracemalloc.start()
        group_articles(largest[:-100])
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"peak memory of grouping {len(largest) - 100} articles: {peak / 2**20:.0f} MB")


if __name__ == "__main__":
    raise SystemExit(main())
