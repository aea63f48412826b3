"""The reader's corrections, applied after the grouping's links: a post-pass over a listing.

The grouping stays pure: what it stores (`story_assignments`) is what the algorithm
decides, so incremental grouping, a regroup from scratch and a restore all keep their
guarantee (`index`). The reader's fixes (`models.Correction`, stored apart) are applied
to every listing after it, in the order they were made, each to the grouping as the ones
before it left it:

- `split`: the article stands alone;
- `move`: the article joins the story that holds the anchor article;
- `merge`: every article of the story that holds the article joins the anchor's story.

They are anchored on articles, never on story ids (which derive from a story's earliest
article and change as it does), so they compose with whatever the grouping decides later:
a new article the algorithm puts with a split article stays in the story it was split
from; one it puts in a merged story comes along into the merge. A correction whose
article (or anchor) is not stored, or that changes nothing now, is skipped; undoing one
(deleting it) gives back what the algorithm and the other corrections decide.

A story whose members the corrections changed gets its header (title, kind, force)
built again from its articles, as the grouping builds one (`headlines`), and its id by
the same rule (`grouper.story_id` of its earliest article); it is `corrected`. Only
those stories' articles are read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from heraldtui.core.errors import CorrectionError
from heraldtui.core.models import Article, Correction, CorrectionAction, Story
from heraldtui.core.storage.corrections import stories_holding
from heraldtui.core.storage.rows import StoryHeader
from heraldtui.core.storage.store import Store
from heraldtui.core.stories.features import featurize
from heraldtui.core.stories.grouper import story_id
from heraldtui.core.stories.headlines import build_story
from heraldtui.core.stories.listing import assemble

Listed = Sequence[tuple[Article, StoryHeader | None]]
Builder = Callable[[Sequence[Article]], Story]
"""A story of these articles, as the grouping would build it (id, title, kind, force)."""


def regroup(listed: Listed, corrections: Sequence[Correction]) -> list[list[str]]:
    """The groups (article ids) the corrections changed, after applying all of them to
    the grouping in `listed`; every other stored story is as the algorithm left it."""
    group: dict[str, str] = {}
    members: dict[str, dict[str, None]] = {}  # ordered sets of article ids
    for article, header in listed:
        if header is not None:
            group[article.id] = header.id
            members.setdefault(header.id, {})[article.id] = None
    original: dict[str, frozenset[str]] = {}

    def move(article_id: str, key: str) -> None:
        old = group[article_id]
        for k in (old, key):
            if k not in original and k in members:
                original[k] = frozenset(members[k])
        del members[old][article_id]
        members.setdefault(key, {})[article_id] = None
        group[article_id] = key

    for fix in sorted(corrections, key=lambda c: c.id):
        own = group.get(fix.article)
        if own is None:
            continue  # not stored, or not grouped yet
        if fix.action == "split":
            if len(members[own]) > 1:
                move(fix.article, f"split\x1f{fix.id}")  # not a story id: always changed
            continue
        target = group.get(fix.anchor or "")
        if target is None or target == own:
            continue
        for article_id in [fix.article] if fix.action == "move" else list(members[own]):
            move(article_id, target)
    return [
        list(ids)
        for key, ids in members.items()
        if ids and key in original and frozenset(ids) != original.get(key)
    ] + [list(ids) for key, ids in members.items() if ids and key.startswith("split\x1f")]


def apply_corrections(
    listed: Listed, corrections: Sequence[Correction], build: Builder
) -> tuple[list[tuple[Article, StoryHeader | None]], set[str]]:
    """`listed` with the corrections applied (the articles of changed stories carry the
    headers `build` gives them), and the ids of the stories they changed."""
    out = list(listed)
    if not corrections:
        return out, set()
    changed = regroup(out, corrections)
    if not changed:
        return out, set()
    by_id = {article.id: article for article, _ in out}
    header: dict[str, StoryHeader] = {}
    for ids in changed:
        story = build([by_id[i] for i in ids])
        fixed = StoryHeader(story.id, story.title, story.kind, story.force, story.inspection_type)
        header.update((i, fixed) for i in ids)
    out = [(article, header.get(article.id, h)) for article, h in out]
    return out, {h.id for h in header.values()}


def story_builder(store: Store) -> Builder:
    """Builds a corrected story's header from its articles' stored text, as the grouping
    would (`headlines.build_story`); its id is `story_id` of its earliest article."""

    def build(articles: Sequence[Article]) -> Story:
        stored = {a.id: a for a in store.articles_by_id(a.id for a in articles)}
        feats = sorted(
            (featurize(stored.get(a.id, a)) for a in articles), key=lambda f: (f.day, f.id)
        )
        return build_story(story_id(feats[0].id), feats)

    return build


def corrected_listing(
    store: Store, listed: Listed, corrections: Sequence[Correction]
) -> tuple[list[tuple[Article, StoryHeader | None]], set[str]]:
    """`apply_corrections` with headers built from the store: what every listing uses."""
    return apply_corrections(listed, corrections, story_builder(store))


def newest_corrected(
    store: Store,
    limit: int,
    keep_feed: Callable[[str], bool],
    corrections: Sequence[Correction],
) -> list[Story]:
    """The reader's first page (`listing.newest_stories`) with the corrections applied,
    exactly the start of the full listing: the stories holding a correction's articles
    are read whole wherever they are (a story that gains articles from outside the page
    is whole), and the page reads two stories more per correction, since each changes
    at most two stories, so every story the corrections leave alone that can be in the
    first `limit` is read."""
    wider = limit + 2 * len(corrections)
    listed: dict[str, tuple[Article, StoryHeader | None]] = {
        a.id: (a, h) for a, h in store.newest_listing(wider, keep_feed)
    }
    anchors = [c.article for c in corrections] + [c.anchor for c in corrections if c.anchor]
    for article, header in stories_holding(store, anchors):
        listed.setdefault(article.id, (article, header))
    fixed, corrected = corrected_listing(store, list(listed.values()), corrections)
    return assemble(fixed, lambda article: keep_feed(article.feed), corrected)[:limit]


def plan_correction(
    listing: Sequence[Story], action: CorrectionAction, subject: str, into: str | None
) -> tuple[str, str | None, str]:
    """(article, anchor, note) to store for a correction asked on `listing`: `subject` is
    an article id (split, move) or a story id (merge), `into` the story id it joins, whose
    first article anchors it. `CorrectionError` when it would change nothing."""
    if action == "merge":
        story = _find(listing, lambda s: s.id == subject, "That story is no longer listed")
        article = story.articles[0]
    else:
        story = _find(
            listing,
            lambda s: any(a.id == subject for a in s.articles),
            "That article is no longer listed",
        )
        article = next(a for a in story.articles if a.id == subject)
    if action == "split":
        if len(story.articles) < 2:
            raise CorrectionError("That article is a story of its own already")
        return article.id, None, f"{article.title} (out of: {story.title})"
    target = _find(listing, lambda s: s.id == into, "That story is no longer listed")
    if target.id == story.id:
        raise CorrectionError(
            "A story cannot be merged into itself"
            if action == "merge"
            else "The article is in that story already"
        )
    what = story.title if action == "merge" else article.title
    return article.id, target.articles[0].id, f"{what} → {target.title}"


def _find(listing: Sequence[Story], match: Callable[[Story], bool], missing: str) -> Story:
    found = next((s for s in listing if match(s)), None)
    if found is None:
        raise CorrectionError(missing)
    return found
