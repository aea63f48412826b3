"""A story's fields (`stories.headlines`): kind, force, id and the most informative title."""

from __future__ import annotations

from heraldtui.core.models import Story
from heraldtui.core.stories.grouper import story_id
from tests.stories.grouping_set import REFS, story_of


def test_story_fields(stories: list[Story]) -> None:
    kestrel = story_of(stories, "kb-1")
    assert kestrel.kind == "inspection"
    assert kestrel.force == "Kestrel Bay Constabulary"
    assert kestrel.id == story_id(REFS["kb-1"])  # the earliest article's
    published = [a.published for a in kestrel.articles]
    assert published == sorted(p for p in published if p is not None)
    # The most informative headline, not the first: it names the force and the grade.
    assert kestrel.title == "Kestrel Bay police too slow to answer 999 calls, inspectors find"

    meeting = story_of(stories, "mt-1")
    assert meeting.kind == "meeting"
    assert meeting.force == "Harrowdale Police"
    assert story_of(stories, "hp-1").force == "Hertfordshire Constabulary"
    council = story_of(stories, "wb-1")
    assert council.kind == "meeting"
    assert council.force == "Corrieford Police"  # named by the paper, not the council
    assert story_of(stories, "br-1").kind == "other"
    assert story_of(stories, "kb-5").kind == "other"
