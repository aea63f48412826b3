"""The main screen's state without an app: loads, the filter, marks and merged facts."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from heraldtui.core.models import MergedStory
from heraldtui.tui.state import (
    FeedFailure,
    MainState,
    is_starred,
    is_unread,
    matches,
    next_unread,
    search_key,
    search_keys,
    short_time,
    text_words,
    with_flags,
)
from tests.tui.fixtures import GAZETTE, NOW, merged_stories


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


# -- the first page ----------------------------------------------------------------------


def test_the_first_page_says_the_rest_is_loading_then_counts_all() -> None:
    state = MainState()
    generation = state.begin_load()
    assert generation is not None
    page = listed()[:2]
    assert state.accept(page, search_keys(page), generation, complete=False)
    assert state.loaded and not state.complete and state.loading
    assert state.status(2, NOW) == "the newest 2 stories · loading the rest… · not refreshed yet"
    state.toggle_unread_only()
    assert state.status(1, NOW).startswith("1 of the newest 2 stories · loading the rest…")
    assert state.empty_text() == "None of the newest 2 stories here: loading the rest…"
    assert not state.end_load()
    everything = listed()
    assert state.accept(everything, search_keys(everything), generation)
    assert state.complete
    assert state.status(4, NOW).startswith("4 stories · 4 unread · unread only")


def test_the_rest_not_read_is_said_so() -> None:
    state = MainState()
    generation = state.begin_load()
    assert generation is not None
    page = listed()[:2]
    state.accept(page, search_keys(page), generation, complete=False)
    assert not state.end_load()
    state.load_failed()
    assert "the rest not read (see the error)" in state.status(2, NOW)
    assert "loading" not in state.status(2, NOW)


def test_the_rest_keeps_the_facts_merged_on_the_first_page() -> None:
    state = MainState()
    generation = state.begin_load()
    assert generation is not None
    page = listed()[:2]
    state.accept(page, search_keys(page), generation, complete=False)
    assert state.add_merged(facts_of("story-inspection")) is not None
    everything = listed()
    assert state.accept(everything, search_keys(everything), generation)
    known = state.known_facts(everything[1])
    assert known is not None and known.grades, "the same articles: no merge again"
    assert "fielding" in state.keys["story-inspection"], "people found by the merge"
    # a story whose articles changed meanwhile is merged again
    state2 = MainState()
    generation = state2.begin_load()
    assert generation is not None
    state2.accept(page, search_keys(page), generation, complete=False)
    state2.add_merged(facts_of("story-inspection"))
    grown = [
        dataclasses.replace(s, story=dataclasses.replace(s.story, articles=s.story.articles[:1]))
        if s.story.id == "story-inspection"
        else s
        for s in listed()
    ]
    state2.accept(grown, search_keys(grown), generation)
    assert state2.known_facts(grown[1]) is None


def test_marks_written_while_a_load_reads_are_applied_to_what_it_read() -> None:
    """A load that read the store before a mark was written shows the mark all the same;
    a load that began after it needs no journal and gets none."""
    state = loaded_state()
    generation = state.begin_load()  # the load reads the store: every story unread
    assert generation is not None
    before_the_mark = listed()
    story = state.stories[1]
    ids_ = [a.id for a in story.story.articles]
    state.note_marks(ids_, read=True)
    state.note_marks(ids_[:1], starred=True)
    assert not state.end_load()
    assert state.accept(before_the_mark, search_keys(before_the_mark), generation)
    marked = state.find(story.story.id)
    assert marked is not None and not is_unread(marked)
    assert [a.starred for a in marked.story.articles] == [True, False]
    later = state.begin_load()
    assert later is not None and not state.end_load()
    assert state.accept(listed(), search_keys(listed()), later)
    assert state.journal == [], "that load began after the marks: they are in the store"
    unmarked = state.find(story.story.id)
    assert unmarked is not None and is_unread(unmarked)


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
    state.set_marks([with_flags(meeting, [a.id for a in meeting.story.articles], read=True)])
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
    assert state.status(0, NOW) == "Loading stories…"
    state = loaded_state()
    assert state.status(4, NOW) == "4 stories · 4 unread · not refreshed yet"
    state.toggle_unread_only()
    state.toggle_starred_only()
    state.set_filter(" [b]fielding ")
    state.start_refresh()
    assert state.status(1, NOW) == (
        "1 of 4 stories · 4 unread · unread only · starred only · filter: [b]fielding · refreshing…"
    )
    state.refresh_progressed(12, 20)
    assert state.status(1, NOW).endswith("· refreshing 12/20 feeds")


def test_the_status_line_keeps_the_last_refresh_and_the_failing_feeds() -> None:
    state = loaded_state()
    earlier = NOW - timedelta(days=2, hours=3)
    state.feeds_seen(["Gone Away Times", "Dead Link Herald", "Gone Away Times"], earlier)
    assert state.status(4, NOW) == (
        "4 stories · 4 unread · refreshed 4 Nov 06:00 · 2 feeds failing: f for details"
    )
    state.start_refresh()
    state.feed_failed("Gone Away Times", "HTTP 503")
    state.end_refresh(NOW)
    assert state.status(4, NOW) == (
        "4 stories · 4 unread · refreshed 09:00 · 1 feed failing: f for details"
    )
    state.feeds_seen([], None)  # the next load: the store says nothing fails now
    state.start_refresh()
    state.end_refresh(NOW)
    assert state.status(4, NOW) == "4 stories · 4 unread · refreshed 09:00"


def test_times_are_uk_local_and_short() -> None:
    summer_now = datetime(2024, 7, 1, 12, 0, tzinfo=UTC)
    assert short_time(datetime(2024, 7, 1, 8, 14, tzinfo=UTC), summer_now) == "09:14"
    assert short_time(datetime(2024, 6, 30, 23, 30, tzinfo=UTC), summer_now) == "00:30"
    assert short_time(datetime(2024, 6, 29, 8, 0, tzinfo=UTC), summer_now) == "29 Jun 09:00"


def test_the_empty_list_says_why() -> None:
    assert MainState().empty_text() == "Loading stories…"
    empty = loaded_state([])
    assert empty.empty_text() == "No stories yet: press r to refresh, f to see the feeds"
    empty.start_refresh()
    assert empty.empty_text() == "No stories stored yet: fetching the feeds…"
    state = loaded_state()
    state.set_filter("  no   such ")
    assert state.visible() == []
    assert state.empty_text() == "No stories match 'no such' (esc clears)"
    state.set_filter("")
    state.toggle_unread_only()
    assert state.empty_text() == "No unread stories (u shows all)"
    state.toggle_unread_only()
    state.toggle_starred_only()
    assert state.visible() == [] and state.empty_text() == "No starred stories (S shows all)"


def test_starred_only() -> None:
    state = loaded_state()
    other = state.stories[3]
    state.set_marks([with_flags(other, [other.story.articles[0].id], starred=True)])
    state.toggle_starred_only()
    assert ids(state.visible()) == ["story-other"]
    state.toggle_starred_only()
    assert len(state.visible()) == 4


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
    state.set_marks([with_flags(story, article_ids, read=True, starred=True)])
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
    state.set_marks([flagged])
    kept = state.find("story-inspection")
    assert kept is not None and kept.grades and kept.meetings
    assert [a.starred for a in kept.story.articles] == [True, False]
    plain = listed()[3]
    state.set_marks([with_flags(plain, [plain.story.articles[0].id], read=True)])
    other = state.find("story-other")
    assert other is not None and not is_unread(other)


def test_marks_of_a_story_not_listed_change_nothing() -> None:
    state = loaded_state(listed()[:2])
    before = list(state.stories)
    gone = listed()[3]
    state.set_marks([with_flags(gone, [gone.story.articles[0].id], read=True)])
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
    assert not state.refreshing and len(state.failures) == 1, "kept for the status line"
    assert state.failing_feeds() == (GAZETTE,)
    state.start_refresh()
    assert state.failures == []


# -- search ------------------------------------------------------------------------------


def test_text_words_keep_each_word_once() -> None:
    words = text_words(["The force MUST put this right.", "Ash-Edwards said: “put it right”"])
    assert words == "the force must put this right ash-edwards said it"


def test_the_text_index_lets_the_filter_find_any_word_of_any_story() -> None:
    state = loaded_state()
    state.set_filter("report online")
    assert state.visible() == [], "the teaser stops before these words"
    generation = state.generation
    texts = [a.text for a in state.stories[1].story.articles]
    words = {"story-inspection": text_words(texts)}
    assert not state.accept_index(words, generation - 1), "an index of an older load"
    assert state.accept_index(words, generation)
    assert ids(state.visible()) == ["story-inspection"]
    assert state.key_of("story-inspection").startswith(state.keys["story-inspection"])


# -- reading -----------------------------------------------------------------------------


def test_a_story_is_marked_read_when_left_unless_marked_by_hand() -> None:
    state = loaded_state()
    assert state.leave_story() is None, "nothing open"
    state.open_story("story-inspection")
    assert state.reading == "story-inspection"
    assert state.leave_story() == "story-inspection"
    assert state.reading is None
    state.open_story("story-other")
    state.marked_by_hand("story-meeting")  # another story: no matter
    state.marked_by_hand("story-other")
    assert state.leave_story() is None, "the reader's own mark stands"


def test_next_unread_skips_read_stories() -> None:
    stories = listed()
    stories[1] = with_flags(stories[1], [a.id for a in stories[1].story.articles], read=True)
    assert next_unread(stories, 0, 1) == 2
    assert next_unread(stories, 2, -1) == 0
    assert next_unread(stories, 3, 1) is None
    assert next_unread(stories, -1, 1) == 0
