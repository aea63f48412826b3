"""Which `[[watch]]` rules a story matches: the stories a reader asked to hear about.

A rule matches when any one of its entries does:

- `forces`: the story's force, compared through `read.forces.force_key`, so "Herts",
  "Herts Police" and "Hertfordshire Constabulary" are one force;
- `kinds`: the story's kind (`inspection`, `meeting`, `other`) or its kind of inspection
  (`peel`, `crime-data-integrity`, ...);
- `people`: a person of the merged story (`facts/people.py`) whose name, or one of its
  variants, holds every word of the entry as a whole word, any case: "Ash-Edwards"
  finds "Jonathan Ash-Edwards" and "Mr Ash-Edwards";
- `words`: the phrase in the headline, an article's title or its text, as whole words,
  any case ("stop and search" is not found in "nonstop and searching").

Force and kind are on the story's header, so `header_rule` needs no text; people need
the merge, words the text: `WatchMatcher.needs_merge` tells a caller which stories are
worth merging (a person's last word must appear in their text), so a listing of
thousands is checked by merging a handful.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from heraldtui.core.models import Article, MergedStory, PersonFact, Story, WatchAlert, WatchRule
from heraldtui.core.read.forces import force_key

_WORD = re.compile(r"[\w'’-]+")


def _phrase(words: str) -> re.Pattern[str]:
    """A phrase as whole words, any case, any blanks between its words."""
    parts = [re.escape(w) for w in words.split()]
    return re.compile(r"(?<![\w-])" + r"\s+".join(parts) + r"(?![\w-])", re.IGNORECASE)


def _name_words(name: str) -> frozenset[str]:
    return frozenset(w.casefold().replace("’", "'") for w in _WORD.findall(name))


@dataclass(frozen=True, slots=True)
class _Compiled:
    rule: WatchRule
    forces: frozenset[str]
    kinds: frozenset[str]
    people: tuple[frozenset[str], ...]
    surnames: tuple[re.Pattern[str], ...]
    """Each person's last word: a story whose text lacks all of them names none of them."""
    words: tuple[re.Pattern[str], ...]


def _compile(rule: WatchRule) -> _Compiled:
    people = tuple(_name_words(p) for p in rule.people)
    return _Compiled(
        rule=rule,
        forces=frozenset(force_key(f) for f in rule.forces),
        kinds=frozenset(rule.kinds),
        people=tuple(p for p in people if p),
        surnames=tuple(_phrase(p.split()[-1]) for p in rule.people if p.split()),
        words=tuple(_phrase(w) for w in rule.words),
    )


class WatchMatcher:
    """The rules of a feeds file, compiled once and asked about many stories."""

    def __init__(self, rules: Iterable[WatchRule]) -> None:
        self.rules = tuple(_compile(r) for r in rules)
        self._force_keys: dict[str, str] = {}

    def __bool__(self) -> bool:
        return bool(self.rules)

    def _force(self, story: Story) -> str | None:
        if story.force is None:
            return None
        key = self._force_keys.get(story.force)
        if key is None:
            key = self._force_keys[story.force] = force_key(story.force)
        return key

    def header_rule(self, story: Story) -> WatchRule | None:
        """The first rule the story's force or kind matches, reading no text."""
        force = self._force(story)
        for c in self.rules:
            if force is not None and force in c.forces:
                return c.rule
            if story.kind in c.kinds or (story.inspection_type or "") in c.kinds:
                return c.rule
        return None

    def text_rule(self, story: Story, text: str) -> WatchRule | None:
        """The first rule whose words `text` (the story's headline and texts) holds."""
        for c in self.rules:
            if any(p.search(text) for p in c.words):
                return c.rule
        return None

    def needs_merge(self, text: str) -> bool:
        """Whether a people rule could match a story with this text (see the docstring)."""
        return any(p.search(text) for c in self.rules for p in c.surnames)

    def people_rule(self, people: Sequence[PersonFact]) -> WatchRule | None:
        """The first rule naming one of `people` (a merged story's)."""
        if not people:
            return None
        names = [_name_words(n) for p in people for n in (p.name, *p.variants)]
        for c in self.rules:
            if any(wanted <= name for wanted in c.people for name in names):
                return c.rule
        return None

    def rule_for(self, merged: MergedStory, text: str) -> WatchRule | None:
        """The first rule, in file order, that `merged` (with its people) and `text`
        (`story_text`) match, or None."""
        force = self._force(merged.story)
        names = [_name_words(n) for p in merged.people for n in (p.name, *p.variants)]
        kind, kind_of = merged.story.kind, merged.story.inspection_type or ""
        for c in self.rules:
            if (
                (force is not None and force in c.forces)
                or kind in c.kinds
                or kind_of in c.kinds
                or any(p.search(text) for p in c.words)
                or any(wanted <= name for wanted in c.people for name in names)
            ):
                return c.rule
        return None


def story_text(story: Story, texts: Iterable[str]) -> str:
    """What `words` are looked for in: the headline, each article's title, the texts."""
    return "\n".join([story.title, *(a.title for a in story.articles), *texts])


Rules = Callable[[Sequence[Story]], list[WatchRule | None]]
"""Each story's first matching rule, or None (`Newsroom._watched`)."""


def watched_rules(
    stories: Sequence[Story],
    matcher: WatchMatcher,
    texts: Callable[[Iterable[str]], Iterable[tuple[str, str]]],
    merge: Callable[[Sequence[Story]], list[MergedStory]],
) -> list[WatchRule | None]:
    """Each story's first matching rule: `texts` reads the stored texts by article id,
    `merge` merges the stories whose text could name a watched person."""
    found: dict[str, list[str]] = {}
    for article_id, text in texts([a.id for s in stories for a in s.articles]):
        found.setdefault(article_id, []).append(text)
    joined = [story_text(s, (t for a in s.articles for t in found.get(a.id, ()))) for s in stories]
    wanted = [i for i, text in enumerate(joined) if matcher.needs_merge(text)]
    merged = dict(zip(wanted, merge([stories[i] for i in wanted]), strict=True))
    return [
        matcher.rule_for(merged.get(i) or MergedStory(story), joined[i])
        for i, story in enumerate(stories)
    ]


def new_alerts(listing: Sequence[MergedStory], new: set[str], rules: Rules) -> list[WatchAlert]:
    """The stories of `listing` that articles `new` (a refresh's) made match a rule: they
    match now, and without their new articles (under the same force and kind) they
    matched none. Oldest story first; each names its newest new article's link."""
    touched = [m.story for m in listing if any(a.id in new for a in m.story.articles)]
    hits = [(s, r) for s, r in zip(touched, rules(touched), strict=True) if r is not None]
    before = [
        dataclasses.replace(s, articles=tuple(a for a in s.articles if a.id not in new))
        for s, _ in hits
    ]
    older = [b for b in before if b.articles]
    matched_before = {id(b) for b, r in zip(older, rules(older), strict=True) if r is not None}
    alerts: list[WatchAlert] = []
    for (story, rule), old in zip(hits, before, strict=True):
        if id(old) not in matched_before:
            newest = max((a for a in story.articles if a.id in new), key=_published)
            alerts.append(WatchAlert(story, rule, newest.link, newest.feed))
    alerts.sort(key=lambda alert: _published(alert.story.articles[0]))
    return alerts


def _published(article: Article) -> datetime:
    return article.published or datetime.min.replace(tzinfo=UTC)
