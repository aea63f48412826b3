"""A story from its articles: its kind, its inspection type, its force and its headline.

Its kind is `inspection` if any article is an inspection article, else `meeting` if any
is about a meeting, else `other`. An inspection story's type is the one its articles
name (a story holds at most one, see `rules`), else `thematic` when it has no force (a
national report) and `peel` when it has one. Its force is the heaviest key over its
articles, named by the official table name or the fullest name written (a force named
only through its commissioner or chief constable, "the Commissioner for Cleveland", by
the table's name); a fire and rescue service's inspection has none. Its title is the most
informative headline.
"""

from __future__ import annotations

from collections.abc import Sequence

from heraldtui.core.models import Story, StoryKind
from heraldtui.core.read.forces import is_official, place_of
from heraldtui.core.stories.features import Features, primary_key
from heraldtui.core.stories.reading import WORD
from heraldtui.core.stories.vocabulary import GENERIC_TITLE, GRADE_WORD, MEETING, STOP


def build_story(sid: str, feats: list[Features]) -> Story:
    """The story `sid` of these articles' features, oldest first."""
    topics = {f.topic for f in feats}
    kind: StoryKind = (
        "inspection" if "inspection" in topics else "meeting" if "meeting" in topics else "other"
    )
    inspection_type = None
    if kind == "inspection":
        # A story holds one type at most (`grouper`): the first typed article's.
        inspection_type = next((f.subtype for f in feats if f.subtype), None)
    force = None if inspection_type == "fire" else _story_force(feats)
    if kind == "inspection" and inspection_type in (None, "peel"):
        inspection_type = "peel" if force else "thematic"
    return Story(
        id=sid,
        title=_story_title(feats, kind, force),
        kind=kind,
        force=force,
        articles=tuple(f.article for f in feats),
        inspection_type=inspection_type,
    )


def _story_force(feats: Sequence[Features]) -> str | None:
    """The heaviest force over the story, by its official or fullest written name."""
    mentions = [m for f in feats for m in f.mentions]
    key = feats[0].key if len(feats) == 1 else primary_key(mentions)
    if key is None:
        return None
    names: dict[str, int] = {}
    for m in mentions:
        if m.key == key and m.name:
            names[m.name] = names.get(m.name, 0) + 1
    if not names:
        # Named only through its commissioner, panel or chief constable ("Norfolk's chief
        # constable"): the table's name, which no article needs to write.
        return key if is_official(key) else None
    return max(sorted(names), key=lambda n: (names[n], len(n)))


def _story_title(feats: Sequence[Features], kind: StoryKind, force: str | None) -> str:
    """The most informative headline: names the force, says what happened, is specific."""
    place = place_of(force).lower() if force else None

    def score(f: Features) -> float:
        title = f.article.title
        lowered = title.lower()
        words = {w for w in WORD.findall(lowered) if w not in STOP}
        value = min(len(words), 10) * 0.5
        if place and place in lowered:
            value += 3
        if kind == "inspection" and GRADE_WORD.search(title):
            value += 2
        if kind == "meeting" and MEETING.search(lowered):
            value += 1
        if GENERIC_TITLE.search(title):
            value -= 3
        if title.isupper():
            value -= 2
        return value

    if len(feats) == 1:
        return feats[0].article.title
    best = max(feats, key=lambda f: (score(f), -f.day))
    return best.article.title
