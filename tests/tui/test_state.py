"""The main screen's state without an app: loads, the filter, marks and merged facts."""

from __future__ import annotations

import subprocess
import sys

from heraldtui.core.models import MergedStory
from heraldtui.tui.state import (
    FeedFailure,
    MainState,
    is_starred,
    is_unread,
    matches,
    search_key,
    search_keys,
    with_flags,
)
from tests.tui.fixtures import GAZETTE, merged_stories


def listed() -> list[MergedStory]:
    """The fixture stories as a load lists them: no facts yet."""
    return [MergedStory(s.story) for s in merged_stories()]


def loaded_state(stories: list[MergedStory] | None = None) -> MainState:
    state = MainState()
    stories = listed() if stories is None else stories
    generation = state.begin_load()
    assert generation is not None
    assert not state.end_load()
    assert state.accept(stories, search_keys(stories), generation)
    return state


def ids(stories: list[MergedStory]) -> list[str]:
    return [s.story.id for s in stories]


def facts_of(story_id: str) -> MergedStory:
    return next(s for s in merged_stories() if s.story.id == story_id)


def test_the_state_module_does_not_load_textual() -> None:
    code = "import sys\nimport heraldtui.tui.state\nprint('textual' in sys.modules)\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


# -- loads -------------------------------------------------------------------------------


def test_loads_are_numbered_and_coalesced() -> None:
    state = MainState()
    assert state.begin_load() == 1
    assert state.loading
    assert state.begin_load() is None, "a load runs: the request waits for it"
    assert state.begin_load() is None, "and two requests make one more load, not two"
    assert state.end_load(), "a request came meanwhile: one more load"
    assert state.begin_load() == 2
    assert not state.end_load()
    assert not state.loading and state.begin_load() == 3


def test_a_stale_load_is_dropped_and_the_newer_one_taken() -> None:
    state = MainState()
    first = state.begin_load()
    assert first == 1 and state.begin_load() is None  # new articles arrived meanwhile
    # The screen ends a load before looking at its result, so the pending one starts first.
    assert state.end_load()
    second = state.begin_load()
    old = listed()[:1]
    assert not state.accept(old, search_keys(old), first)
    assert state.stories == [] and not state.loaded
    assert second is not None and not state.end_load()
    new = listed()
    assert state.accept(new, search_keys(new), second)
    assert state.loaded and ids(state.stories) == ids(new)


def test_a_load_forgets_the_facts_merged_for_the_old_list() -> None:
    state = loaded_state()
    merged = state.add_merged(facts_of("story-inspection"))
    assert merged is not None and merged.grades
    assert state.known_facts(state.stories[1]) is not None
    generation = state.begin_load()  # a refresh brought new articles: the list reloads
    assert generation is not None and not state.end_load()
    again = listed()
    assert state.accept(again, search_keys(again), generation)
    assert state.known_facts(state.stories[1]) is None, "merged again, from the new text"
    assert not state.stories[1].grades


# -- the filter --------------------------------------------------------------------------


def test_the_filter_needs_every_word_in_any_field() -> None:
    state = loaded_state()
    assert ids(state.visible()) == ids(listed())
    assert state.set_filter("Wiltshire")
    assert ids(state.visible()) == ["story-meeting", "story-inspection"]
    assert not state.set_filter("Wiltshire"), "the same words: nothing changed"
    assert state.set_filter("  avon   SOMERSET ")
    assert ids(state.visible()) == ["story-other"]
    assert state.set_filter(GAZETTE.lower())  # a feed's name
    assert ids(state.visible()) == ["story-inspection", "story-unsafe"]
    assert state.set_filter("wiltshire bikes")
    assert state.visible() == []
    assert state.set_filter("   ")
    assert ids(state.visible()) == ids(listed()), "blank is no filter"


def test_a_person_is_found_once_the_story_is_merged() -> None:
    state = loaded_state()
    state.set_filter("fielding")
    assert state.visible() == [], "listed stories carry no people yet"
    state.add_merged(facts_of("story-inspection"))
    assert ids(state.visible()) == ["story-inspection"]


def test_unread_only_composes_with_the_words() -> None:
    state = loaded_state()
    meeting = state.stories[0]
    state.set_marks(with_flags(meeting, [a.id for a in meeting.story.articles], read=True))
    state.toggle_unread_only()
    assert state.unread_only
    assert "story-meeting" not in ids(state.visible())
    state.set_filter("wiltshire")
    assert ids(state.visible()) == ["story-inspection"]
    state.toggle_unread_only()
    assert ids(state.visible()) == ["story-meeting", "story-inspection"]


def test_visible_is_a_new_list() -> None:
    state = loaded_state()
    shown = state.visible()
    shown.pop()
    assert len(state.stories) == 4, "the list widget may change what it shows in place"


def test_the_status_line_says_what_is_shown() -> None:
    state = MainState()
    assert state.status(0) == "0 stories · 0 unread"
    state = loaded_state()
    assert state.status(4) == "4 stories · 4 unread"
    state.toggle_unread_only()
    state.set_filter(" [b]fielding ")
    state.start_refresh()
    assert state.status(1) == (
        "1 of 4 stories · 4 unread · unread only · filter: [b]fielding · refreshing…"
    )


# -- marks and merged facts --------------------------------------------------------------


def test_a_merge_is_kept_and_shown_again_without_merging() -> None:
    state = loaded_state()
    listed_inspection = state.stories[1]
    assert state.known_facts(listed_inspection) is None, "not merged yet: merge it"
    merged = state.add_merged(facts_of("story-inspection"))
    assert merged is not None and merged.grades and merged.quotes
    known = state.known_facts(listed_inspection)
    assert known is not None and known.grades == merged.grades
    assert state.find("story-inspection") == merged


def test_a_merge_that_finishes_after_a_mark_takes_the_newer_mark() -> None:
    state = loaded_state()
    story = state.stories[1]
    started_with = facts_of("story-inspection")  # the merge read the story unread
    article_ids = [a.id for a in story.story.articles]
    state.set_marks(with_flags(story, article_ids, read=True, starred=True))
    merged = state.add_merged(started_with)
    assert merged is not None and merged.grades
    assert not is_unread(merged) and is_starred(merged)
    assert state.stories[1] == merged


def test_a_merge_of_a_story_no_longer_listed_is_dropped() -> None:
    state = loaded_state()
    generation = state.begin_load()
    assert generation is not None and not state.end_load()
    fewer = listed()[:1]
    assert state.accept(fewer, search_keys(fewer), generation)
    assert state.add_merged(facts_of("story-inspection")) is None
    assert ids(state.stories) == ["story-meeting"] and not state.merged_ids


def test_new_marks_keep_the_facts_already_merged() -> None:
    state = loaded_state()
    state.add_merged(facts_of("story-inspection"))
    listed_story = listed()[1]  # what the list widget holds: no facts
    flagged = with_flags(listed_story, [listed_story.story.articles[0].id], starred=True)
    state.set_marks(flagged)
    kept = state.find("story-inspection")
    assert kept is not None and kept.grades and kept.meetings
    assert [a.starred for a in kept.story.articles] == [True, False]
    plain = listed()[3]
    state.set_marks(with_flags(plain, [plain.story.articles[0].id], read=True))
    other = state.find("story-other")
    assert other is not None and not is_unread(other)


def test_marks_of_a_story_not_listed_change_nothing() -> None:
    state = loaded_state(listed()[:2])
    before = list(state.stories)
    gone = listed()[3]
    state.set_marks(with_flags(gone, [gone.story.articles[0].id], read=True))
    assert state.stories == before


def test_with_flags_sets_only_the_given_articles_and_flags() -> None:
    story = listed()[1]
    first, second = story.story.articles
    starred = with_flags(story, [first.id], starred=True)
    assert [(a.read, a.starred) for a in starred.story.articles] == [(False, True), (False, False)]
    read = with_flags(starred, [first.id, second.id], read=True)
    assert [(a.read, a.starred) for a in read.story.articles] == [(True, True), (True, False)]
    assert not is_unread(read) and is_starred(read)
    assert story.story.articles == (first, second), "records are frozen: a new story"


def test_search_key_and_matches() -> None:
    key = search_key(facts_of("story-inspection"))
    assert "wiltshire police" in key and "jayne fielding" in key and "sam reeve" in key
    assert "online" not in key, "article bodies are left out of the key"
    assert matches(key, "Fielding  WILTSHIRE") and not matches(key, "fielding bikes")
    assert matches(key, "")


# -- refresh -----------------------------------------------------------------------------


def test_a_refresh_starts_with_no_failures_and_collects_them() -> None:
    state = loaded_state()
    state.start_refresh()
    state.feed_failed(GAZETTE, "HTTP 503")
    assert state.refreshing and state.failures == [FeedFailure(GAZETTE, "HTTP 503")]
    state.end_refresh()
    assert not state.refreshing and len(state.failures) == 1, "kept for the notice"
    state.start_refresh()
    assert state.failures == []
