"""Every extractor survives arbitrary and hostile text: no exception, bounded time."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from heraldtui.core.facts.grades import find_grades
from heraldtui.core.facts.meetings import find_meetings
from heraldtui.core.facts.merge import merge_story
from heraldtui.core.facts.quotes import find_quotes
from heraldtui.core.models import Article, Story
from heraldtui.core.read.article_text import ArticleText
from heraldtui.core.read.people import find_people

PUBLISHED = datetime(2024, 11, 6, 12, 0, tzinfo=UTC)

# Pieces that steer the extractors into their deepest paths, mixed with anything at all.
PIECES = [
    '"', "“", "”", "‘", "’", "'", "\n\n", "\n", " - ", ": ", "| ", " |", "**", "[", "](",
    ")", "<https://x.example/a>", "https://bit.ly/X.", "said", " said: ", "Mr.", "Mr ",
    "Chief Constable ", "Police and Crime Commissioner ", "Jane Roe", "Ann", "He ",
    "rated ", "good", "Requirse improvement", "inadequate", " for ", " at ", "investigating crime",
    "leadership and force management", ", and ", " were judged ", "meeting", " on ",
    "14th November 2024", "Thursday, November 14", "14/11/2024", "next Tuesday", "last night",
    "10.30am", "14:00", "Roads & Rural Crime Meeting", "In June ", "Last year's ",
    "- ", "# ", "<br>", "\\", ".",
]  # fmt: skip
TEXT = st.one_of(
    st.text(max_size=3000),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=400).map("".join),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_extractors_never_fail_and_stay_fast(text: str) -> None:
    started = time.perf_counter()
    find_grades(ArticleText(text), PUBLISHED)
    find_quotes(ArticleText(text))
    find_people(text)
    find_meetings(ArticleText(text), PUBLISHED)
    find_meetings(ArticleText(text), None)
    assert time.perf_counter() - started < 2.0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXT, min_size=1, max_size=3))
def test_merge_never_fails_on_arbitrary_articles(texts: list[str]) -> None:
    articles = tuple(
        Article(f"feed {n}", f"g{n}", f"https://x.example/{n}", "t", None, PUBLISHED, "", text)
        for n, text in enumerate(texts)
    )
    merged = merge_story(Story("s", "t", "other", None, articles))
    links = {a.link for a in articles}
    sources = [f.sources for f in merged.grades] + [f.sources for f in merged.quotes]
    sources += [f.sources for f in merged.meetings]
    for stated_by in sources:
        assert stated_by and set(stated_by) <= links


def test_hostile_long_inputs_stay_linear() -> None:
    hostile = [
        "A " * 20000,
        "Aa " * 20000 + "said",
        '"' * 30000,
        "“x " * 10000,
        "rated good for " * 3000,
        "- Investigating crime - " * 3000,
        "Chief Constable " * 5000,
        "1/" * 20000,
        "[" * 20000 + "](" * 10000,
        "Mr." * 20000,
        "investigating crime, " * 4000 + "were judged adequate",
        "A public meeting on 4 December.\n\n" * 12000,
        "- Date: 4 December\n" * 4000,
        "| Area | 2022 | 2024 |\n| --- | --- | --- |\n" + "| Leadership | Good | Good |\n" * 3000,
        "requires improvement in " + "and that its " * 4000 + "leadership is inadequate.",
        "the chief constable said " * 4000,
        "Ab Cd, " * 6000 + "the chief constable",
        "Public Meeting\n" * 5000 + "When: 4 December",
        "Residents Forum\nVenue: Hall\n" * 3000,
        "**Good**\n" * 3000 + "Investigating crime\n" * 3000,
        "Jane Roe (Photo: X)\n" * 3000,
        "according to " * 5000 + "Jane Roe",
    ]
    for text in hostile:
        started = time.perf_counter()
        find_grades(ArticleText(text), PUBLISHED)
        find_quotes(ArticleText(text))
        find_people(text)
        find_meetings(ArticleText(text), PUBLISHED)
        assert time.perf_counter() - started < 5.0, text[:40]
