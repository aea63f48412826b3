"""Copies within a story: a syndicated story or a reprinted release counts once.

Fixtures are invented; the devset's syndicated story (Broads Mercury, copied by the Yare
Valley Post) must count as one independent source, and its other groups as they are.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from heraldtui.core.facts.copies import find_copies, prose_lines
from heraldtui.core.facts.extract import extract_facts
from heraldtui.core.facts.merge import merge_story
from heraldtui.core.models import Article, Story
from tests.support.paths import SHARED

AGENCY_STORY = (
    "Fenland Police has been told to answer emergency calls faster after inspectors found "
    "that one in five callers waited more than ten seconds.\n\n"
    "The inspectorate said the force control room had lost experienced call handlers "
    "over the past two years and had not yet trained enough replacements.\n\n"
    "Chief Constable Mara Quill said: “We have recruited forty new call handlers and the "
    "first of them will be answering calls before the summer.”\n\n"
    "The force was rated adequate at investigating crime and good at preventing crime, "
    "while its leadership was judged to require improvement."
)
EDITED_COPY = (
    AGENCY_STORY.replace("Chief Constable Mara Quill", "Ch Con Quill")
    + "\n\nThis story was supplied by a news agency."
)
OWN_WRITE_UP = (
    "Callers to Fenland Police are waiting too long, according to a report out this week, "
    "and the chief constable accepts the criticism in full.\n\n"
    "Our reporter spent a night in the control room, where six handlers covered a county of "
    "three hundred thousand people during the busiest hours.\n\n"
    "Chief Constable Mara Quill said: “We have recruited forty new call handlers and the "
    "first of them will be answering calls before the summer.”"
)
GRADE_LIST = "\n".join(
    f"- {area}: {grade}"
    for area, grade in [
        ("Recording data about crime", "Good"),
        ("Police powers and public treatment", "Adequate"),
        ("Preventing crime", "Good"),
        ("Responding to the public", "Requires improvement"),
        ("Investigating crime", "Adequate"),
        ("Protecting vulnerable people", "Adequate"),
        ("Managing offenders", "Good"),
        ("Developing a positive workplace", "Adequate"),
        ("Leadership and force management", "Requires improvement"),
    ]
)


def article(feed: str, slug: str, content: str, hour: int) -> Article:
    return Article(
        feed=feed,
        guid=slug,
        link=f"https://{feed.split()[0].lower()}.example/{slug}",
        title="Fenland 999 calls",
        author=None,
        published=datetime(2025, 2, 4, hour, 0, tzinfo=UTC),
        summary="",
        content=content,
    )


def merged(*articles: Article) -> tuple[dict[str, str | None], int]:
    m = merge_story(Story("s", "t", "inspection", "Fenland Police", articles))
    return {a.feed: m.copy_of(a.link) for a in articles}, m.independent_sources


def test_an_edited_copy_names_the_earlier_original() -> None:
    original = article("Fen Agency", "a", AGENCY_STORY, 7)
    copy = article("Marsh Times", "b", EDITED_COPY, 9)
    own = article("Dales Gazette", "c", OWN_WRITE_UP, 8)
    copies, independent = merged(original, own, copy)
    assert copies == {"Fen Agency": None, "Dales Gazette": None, "Marsh Times": original.link}
    assert independent == 2


def test_the_earliest_is_the_original_whatever_the_story_order() -> None:
    late = article("Fen Agency", "a", AGENCY_STORY, 11)
    early = article("Marsh Times", "b", EDITED_COPY, 6)
    copies, _ = merged(late, early)
    assert copies == {"Fen Agency": early.link, "Marsh Times": None}


def test_at_the_same_moment_the_forces_own_release_is_the_original() -> None:
    outlet = article("Marsh Times", "b", EDITED_COPY, 9)
    release = article("Fenland Police News", "r", AGENCY_STORY, 9)
    copies, independent = merged(outlet, release)
    assert copies == {"Marsh Times": release.link, "Fenland Police News": None}
    assert independent == 1
    commissioner = article("Office of the Fenland PCC", "p", AGENCY_STORY, 9)
    assert merged(outlet, commissioner)[0]["Marsh Times"] == commissioner.link
    federation = article("Fenland Police Federation", "f", AGENCY_STORY, 9)
    assert merged(outlet, federation)[0] == {  # not the force: the first in the story
        "Marsh Times": None,
        "Fenland Police Federation": outlet.link,
    }


def test_copies_of_copies_are_one_family_with_one_original() -> None:
    a = article("Fen Agency", "a", AGENCY_STORY, 7)
    b = article("Marsh Times", "b", EDITED_COPY, 8)
    c = article("Wash Echo", "c", EDITED_COPY + "\n\nMore on page four of the print edition.", 9)
    copies, independent = merged(c, b, a)
    assert copies == {"Fen Agency": None, "Marsh Times": a.link, "Wash Echo": a.link}
    assert independent == 1


def test_one_outlet_with_an_original_and_a_copy_still_counts() -> None:
    a = article("Fen Agency", "a", AGENCY_STORY, 7)
    b = article("Marsh Times", "b", EDITED_COPY, 8)
    b2 = article("Marsh Times", "b2", OWN_WRITE_UP, 10)
    assert merged(a, b, b2)[1] == 2


def test_write_ups_sharing_a_quote_and_a_grade_list_are_independent() -> None:
    a = article("Fen Agency", "a", f"{OWN_WRITE_UP}\n\n{GRADE_LIST}", 7)
    b = article("Marsh Times", "b", f"{AGENCY_STORY}\n\n{GRADE_LIST}", 8)
    copies, independent = merged(a, b)
    assert copies == {"Fen Agency": None, "Marsh Times": None}
    assert independent == 2
    assert prose_lines(GRADE_LIST.split("\n")) == []


def test_short_teasers_prove_nothing() -> None:
    teaser = "Fenland Police must answer 999 calls faster, inspectors say."
    a, b = article("Fen Agency", "a", teaser, 7), article("Marsh Times", "b", teaser, 8)
    assert merged(a, b)[0] == {"Fen Agency": None, "Marsh Times": None}


def test_copies_are_found_from_the_stored_sketches_alone() -> None:
    a = article("Fen Agency", "a", AGENCY_STORY, 7)
    b = article("Marsh Times", "b", EDITED_COPY, 8)
    facts = [extract_facts(a), extract_facts(b)]
    blank = [Article(x.feed, x.guid, x.link, x.title, None, x.published, "", "") for x in (a, b)]
    [copy] = find_copies(blank, facts)  # no text: only what extraction kept
    assert (copy.link, copy.original) == (b.link, a.link)


def test_a_copy_does_not_make_a_grade_the_majority() -> None:
    """Two outlets say adequate, a third good and a fourth copies the third: 2 against 1
    (counting articles, good would have won: two against two, and listed first)."""
    a = article("Fen Agency", "a", f"{AGENCY_STORY}\n\n- Managing offenders: Good", 7)
    b = article("Marsh Times", "b", f"{EDITED_COPY}\n\n- Managing offenders: Good", 8)
    c = article("Dales Gazette", "c", "- Managing offenders: Adequate", 9)
    d = article("Wash Echo", "d", "- Managing offenders: Adequate", 10)
    grades = merge_story(Story("s", "t", "inspection", None, (a, b, c, d))).grades
    [grade] = [g for g in grades if g.area == "managing-offenders"]
    assert grade.grade == "adequate"  # 2 independent against 1 (and its copy)
    assert grade.conflicts[0].sources == (a.link, b.link)


# ---------------------------------------------------------------- the devset


def _devset() -> tuple[dict[str, Article], dict[str, object]]:
    if not (SHARED / "devset" / "truth.json").exists():
        pytest.skip(f"the devset is not available at {SHARED}")
    from tests.support.sets import load_set, set_ids

    ids = set_ids(SHARED / "devset")
    articles = {ids[a.link]: a for a in load_set(SHARED / "devset")}
    return articles, json.loads((SHARED / "devset" / "truth.json").read_text("utf-8"))


def test_devset_syndicated_story_counts_once_and_nothing_else_is_a_copy() -> None:
    articles, truth = _devset()
    groups = truth["groups"]
    assert isinstance(groups, list)
    for group in groups:
        story = Story(
            group["id"], "t", group["kind"], None, tuple(articles[i] for i in group["articles"])
        )
        m = merge_story(story)
        copies = {c.link: c.original for c in m.copies}
        if group["id"] == "g03":  # Broads Mercury, the Yare Valley Post copy, the Federation
            mercury, yare, _ = (articles[i] for i in group["articles"])
            assert (mercury.feed, yare.feed) == ("Broads Mercury", "Yare Valley Post")
            assert copies == {yare.link: mercury.link}
            assert (len(story.articles), m.independent_sources) == (3, 2)
        else:
            assert copies == {}, group["id"]
            assert m.independent_sources == len({a.feed for a in story.articles})
