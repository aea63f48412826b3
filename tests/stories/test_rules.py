"""The pair rules (`stories.rules`) on our own fixtures: each rule joins what it should
and keeps apart what it should, dates are resolved before they are compared, and caches
never outlive an article's text."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import combinations

import pytest

from heraldtui.core.models import Article, Story
from heraldtui.core.stories.features import featurize
from heraldtui.core.stories.grouper import group_articles
from heraldtui.core.stories.rules import COPY_DAYS, judge, link_score
from tests.stories.grouping_set import ARTICLES, EXPECTED, partition, story_of
from tests.stories.test_blocks import dense


def test_fixture_stories_are_exactly_the_expected_ones(stories: list[Story]) -> None:
    wanted: dict[str, set[str]] = {}
    for aid, label in EXPECTED.items():
        wanted.setdefault(label, set()).add(aid)
    assert partition(stories) == {frozenset(v) for v in wanted.values()}


@pytest.mark.parametrize(
    ("a", "b", "why"),
    [
        ("kb-1", "kb-2", "same inspection, two outlets, short form 'Kestrel Bay police'"),
        ("kb-1", "kb-3", "scrutiny meeting weeks later that restates the findings"),
        ("fm-1", "fm-2", "same force's report from two outlets"),
        ("ldrs-1", "ldrs-2", "syndicated near copy with a trimmed ending and 'Rob' for 'Robert'"),
        ("mt-1", "mt-2", "meeting notice and preview ('next Tuesday')"),
        ("mt-2", "mt-3", "meeting preview and write-up ('last night')"),
        ("ct-1", "ct-2", "one court case reported by two outlets"),
        ("hp-1", "hp-2", "'Herts Police' and 'Hertfordshire Constabulary' are one force"),
        ("wb-1", "wb-2", "a town council's notice naming no force, a listing dated 11/03/2025"),
        ("wb-2", "wb-3", "listing and write-up dated 'on Tuesday night' (past tense)"),
        ("wb-1", "wb-3", "notice and write-up: the town is only in the council's feed name"),
    ],
)
def test_joined(stories: list[Story], a: str, b: str, why: str) -> None:
    assert story_of(stories, a) is story_of(stories, b), why


@pytest.mark.parametrize(
    ("a", "b", "why"),
    [
        ("kb-1", "kb-4", "the same force's next inspection, of another type, a year later"),
        ("kb-1", "kb-5", "an article about a building that mentions the inspection in passing"),
        ("fm-1", "em-1", "two forces, same outlet, same day, near-identical wording"),
        ("br-1", "br-2", "two burglary arrests by one force on one day"),
        ("bp-1", "bp-2", "one outlet's recurring footer lines"),
        ("wb-3", "wb-4", "the same body's next meeting, which the write-up mentions"),
        ("wb-1", "wb-4", "two meetings of one body, same hall and people, different dates"),
        ("wb-2", "mk-1", "the same force's meeting in another village on the same date"),
    ],
)
def test_kept_apart(stories: list[Story], a: str, b: str, why: str) -> None:
    assert story_of(stories, a) is not story_of(stories, b), why


def _surgery_pair(when: str, published: str) -> list[Article]:
    """A PCC's notice of a surgery on Thursday 13 June 2024 and a paper's write-up (or,
    when `when` is a whole sentence, a paper's article of that text)."""
    notice = Article(
        feed="Office of the Quarrenden PCC",
        guid="https://quarrenden-pcc.example/surgery",
        link="https://quarrenden-pcc.example/surgery",
        title="Drop-in surgery in Elmsley",
        author=None,
        published=datetime(2024, 6, 3, 9, tzinfo=UTC),
        summary="",
        content="Commissioner Maeve Culshaw will hold a drop-in surgery at Elmsley library "
        "on Thursday 13 June from 6pm.",
    )
    write_up = Article(
        feed="Hollins Mercury",
        guid="https://hollins.example/elmsley",
        link="https://hollins.example/elmsley",
        title="Lorries top the complaints in Elmsley",
        author=None,
        published=datetime.fromisoformat(published).astimezone(UTC),
        summary="",
        content=when
        if when.endswith(".")
        else f"Residents told commissioner Maeve Culshaw about speeding lorries at a "
        f"drop-in surgery in Elmsley {when}.",
    )
    return [notice, write_up]


@pytest.mark.parametrize(
    ("when", "published", "together"),
    [
        ("on Thursday night", "2024-06-14T08:00:00+01:00", True),
        ("on Thursday evening", "2024-06-13T22:00:00+01:00", True),  # the same day
        ("last night", "2024-06-14T00:30:00+01:00", True),  # 23:30 UTC on the 13th
        ("on 13/06/2024", "2024-06-17T10:00:00+01:00", True),
        ("on 13.6.24", "2024-06-17T10:00:00+01:00", True),
        ("on 6/13/2024", "2024-06-17T10:00:00+01:00", False),  # not a UK date
        ("on Thursday night", "2024-06-21T08:00:00+01:00", False),  # the week after
        ("last night", "2024-06-13T08:00:00+01:00", False),  # the day before
        (
            "The drop-in surgery in Elmsley is on Thursday evening, and Maeve Culshaw wants "
            "to hear about speed limits.",
            "2024-06-10T09:00:00+01:00",
            True,  # present tense looks ahead; "speed" is not a past tense
        ),
        (
            "Maeve Culshaw heard about lorries last night, and the next step at the "
            "drop-in surgery in Elmsley was a petition. The petition closes on 30 June. "
            "Her next surgery in Elmsley is on 11 July.",
            "2024-06-14T09:00:00+01:00",
            True,  # the next surgery's date is aside; "the next step at" is not one
        ),
        (
            "Maeve Culshaw will hold her next drop-in surgery in Elmsley on 11 July.",
            "2024-06-14T09:00:00+01:00",
            False,  # another surgery: its date is all it has
        ),
    ],
)
def test_relative_and_numeric_dates_resolve_before_comparing(
    when: str, published: str, together: bool
) -> None:
    stories = group_articles(_surgery_pair(when, published))
    assert (len(stories) == 1) is together
    assert stories[0].kind == "meeting"


def test_a_placeless_notice_joins_the_forces_meeting_of_its_date() -> None:
    notice = Article(
        feed="Office of the Quarrenden PCC",
        guid="https://quarrenden-pcc.example/q",
        link="https://quarrenden-pcc.example/q",
        title="Commissioner's public meeting",
        author=None,
        published=datetime(2024, 6, 3, 9, tzinfo=UTC),
        summary="",
        content="The commissioner will take questions about Quarrenden Police at a public "
        "meeting on Thursday 13 June.",
    )
    preview, elsewhere = (
        Article(
            feed="Hollins Mercury",
            guid=f"https://hollins.example/{town}",
            link=f"https://hollins.example/{town}",
            title=f"Police meeting in {town}",
            author=None,
            published=datetime(2024, 6, 10, 9, tzinfo=UTC),
            summary="",
            content=f"Quarrenden Police will answer questions at a public meeting in {town} "
            f"on {day}, with Inspector Rhys Athey.",
        )
        for town, day in (("Elmsley", "Thursday 13 June"), ("Pollard", "Friday 14 June"))
    )
    stories = group_articles([notice, preview, elsewhere])
    assert partition(stories) == {
        frozenset({notice.id, preview.id}),
        frozenset({elsewhere.id}),
    }


def test_an_edited_article_is_judged_on_its_new_text() -> None:
    """Caches key on text, not on the article id: a copy rewritten beyond recognition and
    grouped again (a later run) is no longer a near-copy."""
    words = (
        "Gardeners in Ashcombe found a stolen tractor near the allotments on Sunday morning "
        "and the owner Peter Quill thanked neighbours for their quick help with the search "
        "across fields"
    ).split()
    when = datetime(2024, 5, 1, 9, tzinfo=UTC)
    a = Article("Ashcombe Echo", "a", "https://a.example/", "Stolen tractor found in Ashcombe",
                None, when, "", " ".join(words) + ".")  # fmt: skip
    b = replace(a, feed="Vale Herald", guid="b", link="https://b.example/",
                            title="Tractor found at Ashcombe allotments",
                            published=when + timedelta(days=20, hours=3))  # fmt: skip
    shuffled = words[:]
    random.Random(1).shuffle(shuffled)
    edited = replace(b, content=" ".join(shuffled) + ".")
    assert len(group_articles([a, b])) == 1  # a syndicated copy
    assert len(group_articles([a, edited])) == 2


def test_today_as_in_said_today_is_no_meeting_date() -> None:
    """Two notices of one office posted the same day, each "today", with the same people:
    two meetings on two dates, not one story by the publication day."""
    notices = [
        Article(
            feed="Office of the Quarrenden PCC",
            guid=f"https://quarrenden-pcc.example/{town}",
            link=f"https://quarrenden-pcc.example/{town}",
            title=f"Public meeting in {town}",
            author=None,
            published=datetime(2024, 6, 3, 9, tzinfo=UTC),
            summary="",
            content=f"Commissioner Maeve Culshaw today announced a public meeting in {town} "
            f"on {day}, with Inspector Rhys Athey.",
        )
        for town, day in (("Elmsley", "13 June"), ("Pollard", "20 June"))
    ]
    assert len(group_articles(notices)) == 2


def test_judge_is_link_score_then_the_copy_rule_the_other_way() -> None:
    """`rules.judge` reads a pair once for both ways round: what `link_score` gives the
    earlier article first and, where that is None, the later first for a near copy
    naming as many entities (the one rule whose answer the order can change)."""
    feats = sorted((featurize(a) for a in [*ARTICLES, *dense(120)]), key=lambda f: (f.day, f.id))
    linked = 0
    for a, b in combinations(feats, 2):
        want = link_score(a, b)
        if want is None and len(a.entities) == len(b.entities) and b.day - a.day <= COPY_DAYS:
            want = link_score(b, a)
        assert judge(a, b) == want, (a.id, b.id)
        linked += want is not None
    assert linked


_AREA = "Our neighbourhood teams cover {}."
_TOWNS = ["Ashcombe", "Brillford", "Cotterby", "Dunmere", "Elsworth"]


def _local_report(feed: str, town: str, officer: str, order: list[str], hours: int) -> Article:
    """A short report of one incident in `town`, ending with the outlet's line on the area
    its police cover (the same towns, in `order`)."""
    area = ", ".join(order[:-1]) + " and " + order[-1]
    return Article(
        feed=feed,
        guid=f"https://{feed.split()[0].lower()}.example/{town}",
        link=f"https://{feed.split()[0].lower()}.example/{town}",
        title=f"{town}: shed broken into overnight",
        author=None,
        published=datetime(2024, 3, 4, 8, tzinfo=UTC) + timedelta(hours=hours),
        summary="",
        content=(
            f"A garden shed was broken into in {town} overnight and power tools were taken.\n\n"
            f"Police Constable {officer} said officers were keen to hear from anyone who saw "
            "anything suspicious.\n\n" + _AREA.format(area)
        ),
    )


def test_places_named_only_in_a_list_make_no_event_of_two_reports() -> None:  # rule 4
    """Two outlets' reports of sheds broken into in two towns share their wording and the
    towns of their area lines: a list of the area's towns says nothing of where either
    happened, so rule 4 does not count them (each outlet lists them in its own order)."""
    a = _local_report("Vale Herald", "Ashcombe", "Rowan Pike", _TOWNS, 0)
    b = _local_report("Fenland Echo", "Cotterby", "Mina Shah", _TOWNS[::-1], 5)
    fa, fb = featurize(a), featurize(b)
    assert {"ashcombe", "cotterby"} <= fa.entities & fb.entities
    assert fa.entities - fa.reported == {"brillford", "cotterby", "dunmere", "elsworth"}
    assert judge(fa, fb) is None
    assert len(group_articles([a, b])) == 2


def test_two_reports_of_one_event_stay_one_with_their_area_lists() -> None:
    """The same incident in another outlet's words: the town and the officer, named outside
    the lists, are two shared entities, so rule 4 still links them."""
    a = _local_report("Vale Herald", "Ashcombe", "Rowan Pike", _TOWNS, 0)
    b = replace(
        _local_report("Fenland Echo", "Ashcombe", "Rowan Pike", _TOWNS[::-1], 5),
        content=(
            "Power tools were taken when thieves broke into a garden shed in Ashcombe.\n\n"
            "Anyone who saw anything suspicious is asked to call Police Constable Rowan Pike."
            "\n\n" + _AREA.format("Elsworth, Dunmere, Cotterby, Brillford and Ashcombe")
        ),
    )
    score = judge(featurize(a), featurize(b))
    assert score is not None and score < 2.0  # rule 4, not a near copy
    assert len(group_articles([a, b])) == 1


@pytest.mark.parametrize(
    ("text", "listed"),
    [
        ("Teams cover Ashcombe, Brillford, Cotterby and Dunmere.", {"ashcombe", "brillford",
                                                                   "cotterby", "dunmere"}),
        ("Teams cover Ashcombe, Brillford, Cotterby, and Dunmere.", {"ashcombe", "brillford",
                                                                    "cotterby", "dunmere"}),
        ("Teams cover Ashcombe, Brillford and Cotterby.", set()),  # three: not yet a list
        ("Teams cover Ashcombe and Brillford and Cotterby and Dunmere.", set()),  # no commas
        ("Police, Fire and Crime Commissioner Jo Tarrant spoke in Ashcombe, Brillford.", set()),
        # named in the list and again outside it: still where something happened
        ("Teams cover Ashcombe, Brillford, Cotterby and Dunmere. A van was stolen in "
         "Dunmere.", {"ashcombe", "brillford", "cotterby"}),
    ],
)  # fmt: skip
def test_what_a_list_is(text: str, listed: set[str]) -> None:
    article = Article("Vale Herald", "g", "https://v.example/g", "Update", None,
                      datetime(2024, 3, 4, tzinfo=UTC), "", text)  # fmt: skip
    features = featurize(article)
    assert features.entities - features.reported == listed


def test_another_towns_copy_of_a_template_is_no_near_copy_for_its_area_list() -> None:
    """A release written once and sent out for each town, closing with the area's towns:
    a shortened copy of one town's names nothing the other town's lacks once the list is
    counted (every town is in it), but its town is in the other only in that list (rule 1
    compares what each reports on). The same copy of its own town's release still joins."""
    template = (
        "The front counter at {town} police station will close next month after a review "
        "found that fewer than ten people a day used it.\n\n"
        "Residents of {town} can still report crime online or by calling 101.\n\n"
    )
    area = _AREA.format("Ashcombe, Brillford, Cotterby and Dunmere")

    def release(feed: str, town: str, extra: str, hours: int) -> Article:
        return Article(feed, f"{feed}/{town}/{hours}", f"https://{hours}.example/{town}",
                       f"{town} police counter to close", None,
                       datetime(2024, 3, 4, 8, tzinfo=UTC) + timedelta(hours=hours), "",
                       template.format(town=town) + extra + area)  # fmt: skip

    quote = "Councillor Imogen Vale said the town would be poorer for it.\n\n"
    ashcombe = release("Vale Herald", "Ashcombe", quote, 0)
    cotterby = release("Vale Herald", "Cotterby", quote.replace("Vale", "Rudd"), 1)
    copy = release("Fenland Echo", "Ashcombe", "", 3)  # the quote left out
    fa, fc, fcopy = featurize(ashcombe), featurize(cotterby), featurize(copy)
    assert "ashcombe" in fc.entities and "ashcombe" not in fc.reported
    own = judge(fa, fcopy)
    assert own is not None and own > 3.0  # its own town's release: a near copy
    assert judge(fc, fcopy) is None
    assert partition(group_articles([ashcombe, cotterby, copy])) == {
        frozenset({ashcombe.id, copy.id}),
        frozenset({cotterby.id}),
    }
