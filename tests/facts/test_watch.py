"""Matching stories against `[[watch]]` rules: force spellings, kinds, people, words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from heraldtui.core.facts.watch import WatchMatcher, new_alerts, story_text, watched_rules
from heraldtui.core.models import Article, MergedStory, PersonFact, Story, WatchRule


def article(slug: str, day: int, text: str = "") -> Article:
    return Article(
        feed="Outlet",
        guid=slug,
        link=f"https://outlet.example/{slug}",
        title=slug.replace("-", " "),
        author=None,
        published=datetime(2024, 11, day, 9, tzinfo=UTC),
        summary="",
        content=text,
    )


def story(
    title: str,
    *articles: Article,
    kind: str = "other",
    force: str | None = None,
    inspection_type: str | None = None,
) -> Story:
    return Story(f"id-{title}", title, kind, force, articles, inspection_type)  # type: ignore[arg-type]


@pytest.mark.parametrize("written", ["Herts", "herts police", "Hertfordshire Constabulary"])
def test_a_force_matches_however_the_rule_spells_it(written: str) -> None:
    matcher = WatchMatcher([WatchRule(forces=(written,))])
    herts = story("x", article("a", 1), force="Hertfordshire Constabulary")
    essex = story("y", article("b", 1), force="Essex Police")
    assert matcher.header_rule(herts) is not None
    assert matcher.header_rule(essex) is None


def test_an_unknown_force_matches_its_own_place() -> None:
    matcher = WatchMatcher([WatchRule(forces=("Wolds",))])
    assert matcher.header_rule(story("x", article("a", 1), force="Wolds Police")) is not None


def test_kinds_match_the_story_kind_or_its_kind_of_inspection() -> None:
    peel = story("p", article("a", 1), kind="inspection", inspection_type="peel")
    meeting = story("m", article("b", 1), kind="meeting")
    assert WatchMatcher([WatchRule(kinds=("peel",))]).header_rule(peel) is not None
    assert WatchMatcher([WatchRule(kinds=("peel",))]).header_rule(meeting) is None
    assert WatchMatcher([WatchRule(kinds=("meeting",))]).header_rule(meeting) is not None


def test_words_are_whole_words_in_any_case() -> None:
    matcher = WatchMatcher([WatchRule(words=("stop and search",))])
    plain = story("t", article("a", 1))
    assert matcher.text_rule(plain, "Figures on Stop  and\nSearch rose") is not None
    assert matcher.text_rule(plain, "nonstop and searching") is None
    assert matcher.text_rule(plain, "stop-and-search") is None


def test_people_match_every_word_of_the_entry_in_a_name_or_variant() -> None:
    person = PersonFact("Jonathan Ash-Edwards", "Commissioner", ("Mr Ash-Edwards",))
    merged = MergedStory(story("p", article("a", 1)), people=(person,))
    for entry in ("Ash-Edwards", "jonathan ash-edwards", "Mr Ash-Edwards"):
        assert WatchMatcher([WatchRule(people=(entry,))]).rule_for(merged, "") is not None
    for entry in ("Ash", "Edwards", "Jonathan Smith"):  # a hyphenated name is one word
        assert WatchMatcher([WatchRule(people=(entry,))]).rule_for(merged, "") is None


def test_the_first_rule_in_file_order_names_the_match() -> None:
    first = WatchRule(name="first", words=("budget",))
    second = WatchRule(name="second", kinds=("meeting",))
    merged = MergedStory(story("m", article("a", 1), kind="meeting"))
    assert WatchMatcher([first, second]).rule_for(merged, "the budget") is first
    assert WatchMatcher([second, first]).rule_for(merged, "the budget") is second
    assert WatchMatcher([first, second]).rule_for(merged, "nothing") is second


def test_only_stories_that_could_name_a_person_are_merged() -> None:
    matcher = WatchMatcher([WatchRule(people=("Jane Marlow",))])
    named = story("a", article("a", 1, "Commissioner Jane Marlow spoke."))
    other = story("b", article("b", 2, "Nobody of note."))
    asked: list[list[str]] = []

    def texts(ids: object) -> list[tuple[str, str]]:
        return [(a.id, a.content) for s in (named, other) for a in s.articles]

    def merge(stories: object) -> list[MergedStory]:
        found = list(stories)  # type: ignore[call-overload]
        asked.append([s.id for s in found])
        return [MergedStory(s, people=(PersonFact("Jane Marlow", None, ()),)) for s in found]

    rules = watched_rules([named, other], matcher, texts, merge)
    assert asked == [["id-a"]]
    assert rules == [matcher.rules[0].rule, None]


def test_a_story_is_new_when_it_appears_or_gains_its_first_matching_article() -> None:
    rule = WatchRule(words=("curfew",))
    matcher = WatchMatcher([rule])
    old, newer = article("old", 1, "a quiet week"), article("new", 2, "a curfew is set")
    grown = story("grown", old, newer)
    already = story("already", article("o2", 1, "curfew talk"), article("n2", 2, "curfew again"))
    fresh = story("fresh", article("n3", 3, "curfew"))
    listing = [MergedStory(s) for s in (grown, already, fresh)]

    def rules(stories: object) -> list[WatchRule | None]:
        return [
            matcher.rule_for(MergedStory(s), story_text(s, (a.content for a in s.articles)))
            for s in stories  # type: ignore[attr-defined]
        ]

    alerts = new_alerts(listing, {newer.id, already.articles[1].id, fresh.articles[0].id}, rules)
    assert [a.story.id for a in alerts] == ["id-grown", "id-fresh"]
    assert alerts[0].link == newer.link and alerts[0].rule is rule
