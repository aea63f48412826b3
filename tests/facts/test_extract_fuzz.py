"""Every extractor survives arbitrary and hostile text: no exception, work linear in size."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
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
def test_extractors_never_fail(text: str) -> None:
    prepared = ArticleText(text)
    find_grades(prepared, PUBLISHED)
    find_quotes(prepared)
    find_people(text)
    find_meetings(prepared, PUBLISHED)
    find_meetings(prepared, None)


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


# Hostile shapes as (before, unit, after, count): the text is before + unit * count + after.
HOSTILE = [
    ("", "A ", "", 20000),
    ("", "Aa ", "said", 20000),
    ("", '"', "", 30000),
    ("", "“x ", "", 10000),
    ("", "rated good for ", "", 3000),
    ("", "- Investigating crime - ", "", 3000),
    ("", "Chief Constable ", "", 5000),
    ("", "1/", "", 20000),
    ("", "[", "](" * 100, 20000),
    ("", "Mr.", "", 20000),
    ("", "investigating crime, ", "were judged adequate", 4000),
    ("", "A public meeting on 4 December.\n\n", "", 12000),
    ("", "- Date: 4 December\n", "", 4000),
    ("| Area | 2022 | 2024 |\n| --- | --- | --- |\n", "| Leadership | Good | Good |\n", "", 3000),
    ("requires improvement in ", "and that its ", "leadership is inadequate.", 4000),
    ("", "the chief constable said ", "", 4000),
    ("", "Ab Cd, ", "the chief constable", 6000),
    ("", "Public Meeting\n", "When: 4 December", 5000),
    ("", "Residents Forum\nVenue: Hall\n", "", 3000),
    ("", "**Good**\n", "Investigating crime\n" * 100, 3000),
    ("", "Jane Roe (Photo: X)\n", "", 3000),
    ("", "according to ", "Jane Roe", 5000),
]  # fmt: skip


def _extract_all(text: str) -> None:
    prepared = ArticleText(text)
    find_grades(prepared, PUBLISHED)
    find_quotes(prepared)
    find_meetings(prepared, PUBLISHED)


def _cpu_seconds(text: str) -> float:
    """The least CPU time of three runs: this process's own work, whatever else the
    machine is doing."""
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        _extract_all(text)
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.slow
@pytest.mark.parametrize(("before", "unit", "after", "count"), HOSTILE, ids=lambda v: repr(v)[:20])
def test_hostile_long_inputs_stay_linear(before: str, unit: str, after: str, count: int) -> None:
    """Four times the input costs about four times the work, never sixteen (quadratic).

    A ratio of CPU times measured in one test, not a time bound: it holds on a slow or
    loaded machine. The floor keeps timer granularity out of small inputs.
    """
    small = _cpu_seconds(before + unit * (count // 4) + after)
    large = _cpu_seconds(before + unit * count + after)
    assert large <= 8 * max(small, 0.005), (unit, small, large)
