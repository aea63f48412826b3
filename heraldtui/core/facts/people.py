"""One entry per person across a story, however each article spells the name.

Across a story (`merge_people`), spellings are one person when the surnames match and the
first names are close (same initial and an edit distance of at most two, one a prefix of
the other: "Alex"/"Alexander", or a common short form: "Tom"/"Thomas"), or when the first
names match and the surnames differ by one letter ("Lindqvist"/"Lindquist"). Names are
compared without marks, case or apostrophes ("Zoë" = "Zoe", "ODell" = "O'Dell"), and an
initial C or K that is the only difference is a spelling ("Katherine"/"Catherine"). A
spelling rule or short form never joins two people the story gives different kinds of
role ("Councillor Bernie Roe" and "Chief Inspector Bernadette Roe"); the same written
name always merges.

The canonical spelling is the one most articles use in their body text (a photo caption -
a line with a credit such as "(Image: ...)", or a name glued to the sentence next to it -
is a short fragment that repeats a name and does not outvote the body); a tie goes to the
spelling of the earliest article that introduces the person with a role, then to the
earliest. Of spellings that differ only in marks or apostrophes the fullest is kept
("Zoë" over "Zoe", "O'Dell" over "ODell"). Every other spelling, including "Mr X" forms, a
first name used alone ("Jane") and the name with its honorific ("Sir Jane Roe"), is a
variant.

First-name short forms are data (`data/short_names.toml`, read by `read/lexicon.py`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from heraldtui.core.read.lexicon import SHORT_FORMS, TITLES
from heraldtui.core.read.people import PersonMention, fold_name
from heraldtui.core.text.prose import edit_distance


def same_person(a: str, b: str) -> bool:
    """Whether two full-name spellings are one person (see the module docstring)."""
    ta, tb = a.split(), b.split()
    if len(ta) < 2 or len(tb) < 2:
        return False
    fa, fb = fold_name(ta[0]), fold_name(tb[0])
    sa, sb = fold_name(ta[-1]), fold_name(tb[-1])
    if not (fa and fb and sa and sb):
        return False
    if sa == sb:
        if fa == fb:
            return True
        if (fa, fb) in SHORT_FORMS or (fb, fa) in SHORT_FORMS:
            return True
        if fa[0] != fb[0]:
            return {fa[0], fb[0]} in _SOUNDALIKE_INITIALS and fa[1:] == fb[1:]
        if (fa.startswith(fb) or fb.startswith(fa)) and min(len(fa), len(fb)) >= 3:
            return True
        return edit_distance(fa, fb, 2) <= 2 and min(len(fa), len(fb)) >= 4
    return fa == fb and min(len(sa), len(sb)) >= 4 and edit_distance(sa, sb, 1) <= 1


_SOUNDALIKE_INITIALS = ({"c", "k"},)
"""Initial letters that spell the same first name ("Catherine"/"Katherine", "Carl"/"Karl")."""


def surname_matches(surname: str, full_name: str) -> bool:
    """Whether "Mr <surname>" can refer to the full name (exact, or one letter off)."""
    last = fold_name(full_name.split()[-1])
    given = fold_name(surname)
    return last == given or (min(len(last), len(given)) >= 4 and edit_distance(last, given, 1) <= 1)


@dataclass(frozen=True, slots=True)
class Person:
    """One person across a story: canonical name, role, other spellings, the articles."""

    name: str
    role: str | None
    variants: tuple[str, ...]
    sources: tuple[str, ...]
    spellings: frozenset[str]
    surnames: frozenset[str]

    def matches(self, written: str) -> bool:
        """Whether a name as written in one article refers to this person."""
        tokens = _strip_title(written).split()
        if not tokens:
            return False
        if written in self.spellings:
            return True
        if len(tokens) >= 2 and not _has_title(written):
            return any(same_person(written, s) for s in self.spellings if " " in s)
        return any(surname_matches(tokens[-1], s) for s in self.spellings if " " in s) or (
            fold_name(tokens[-1]) in self.surnames
        )


_TITLE_PREFIX = re.compile(rf"^(?:{'|'.join(TITLES)})(?:\.\s*|\s+)")


def _has_title(name: str) -> bool:
    return bool(_TITLE_PREFIX.match(name))


def _strip_title(name: str) -> str:
    return _TITLE_PREFIX.sub("", name).strip()


def merge_people(per_article: list[tuple[str, list[PersonMention]]]) -> list[Person]:
    """One `Person` per person named in a story's articles (given oldest first).

    `per_article` pairs each article's link with its mentions.
    """
    # spelling -> (articles using it, first seen (article index, offset), role articles)
    seen: dict[str, tuple[set[int], tuple[int, int], set[int]]] = {}
    # spelling -> articles using it outside photo captions: the count that ranks spellings
    in_body: dict[str, set[int]] = {}
    roles: dict[str, Counter[str]] = {}
    # spelling -> the name written with its honorific ("Sir Jane Roe"), first seen first
    styled: dict[str, list[tuple[tuple[int, int], str]]] = {}
    for n, (_, mentions) in enumerate(per_article):
        for p in mentions:
            if not p.full:
                continue
            if p.honorific:
                styled.setdefault(p.name, []).append(((n, p.start), f"{p.honorific} {p.name}"))
            articles, first, with_role = seen.setdefault(p.name, (set(), (n, p.start), set()))
            articles.add(n)
            if not p.caption:
                in_body.setdefault(p.name, set()).add(n)
            if p.role:
                with_role.add(n)
                roles.setdefault(p.name, Counter())[p.role] += 1
    spellings = sorted(seen, key=lambda s: seen[s][1])
    parent = {s: s for s in spellings}

    def root(s: str) -> str:
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    for i, a in enumerate(spellings):
        for b in spellings[i + 1 :]:
            if same_person(a, b) and (
                fold_name(a) == fold_name(b) or _roles_agree(roles.get(a), roles.get(b))
            ):
                parent[root(b)] = root(a)
    clusters: dict[str, list[str]] = {}
    for s in spellings:
        clusters.setdefault(root(s), []).append(s)

    # Title-and-surname forms, and role-introduced surnames, attach to a cluster.
    extra: dict[str, list[tuple[tuple[int, int], str]]] = {}
    extra_articles: dict[str, set[int]] = {}
    orphans: dict[str, tuple[tuple[int, int], set[int], Counter[str]]] = {}
    for n, (_, mentions) in enumerate(per_article):
        for p in mentions:
            if p.full:
                continue
            owner = _owner(p.surname, clusters, {s for s in spellings if n in seen[s][0]})
            if owner is None:
                key = p.surname.casefold()
                pos, arts, rl = orphans.setdefault(key, ((n, p.start), set(), Counter()))
                arts.add(n)
                if p.role:
                    rl[p.role] += 1
                continue
            if p.name != p.surname:
                extra.setdefault(owner, []).append(((n, p.start), p.name))
            extra_articles.setdefault(owner, set()).add(n)
            if p.role:
                roles.setdefault(clusters[owner][0], Counter())[p.role] += 1

    people: list[tuple[tuple[int, int], Person]] = []
    links = [link for link, _ in per_article]
    for key, members in clusters.items():
        canonical = _canonical(members, seen, in_body)
        role_counts: Counter[str] = Counter()
        for s in members:
            role_counts.update(roles.get(s, Counter()))
        variants = [s for s in members if s != canonical]
        honoured = sorted(item for s in members for item in styled.get(s, []))
        for _, written in sorted(extra.get(key, [])) + honoured:
            if written not in variants and written != canonical:
                variants.append(written)
        articles = set().union(*(seen[s][0] for s in members)) | extra_articles.get(key, set())
        first = min(seen[s][1] for s in members)
        people.append(
            (
                first,
                Person(
                    canonical,
                    _best_role(role_counts),
                    tuple(variants),
                    tuple(links[i] for i in sorted(articles)),
                    frozenset(members) | frozenset(w for _, w in extra.get(key, [])),
                    frozenset(fold_name(s.split()[-1]) for s in members),
                ),
            )
        )
    for _, (pos, arts, rl) in orphans.items():
        written = _orphan_name(per_article, pos)
        people.append(
            (
                pos,
                Person(
                    written,
                    _best_role(rl),
                    (),
                    tuple(links[i] for i in sorted(arts)),
                    frozenset({written}),
                    frozenset({fold_name(_strip_title(written).split()[-1])}),
                ),
            )
        )
    return [p for _, p in sorted(people, key=lambda item: item[0])]


def _orphan_name(per_article: list[tuple[str, list[PersonMention]]], pos: tuple[int, int]) -> str:
    for p in per_article[pos[0]][1]:
        if p.start == pos[1]:
            return p.name
    return ""


def _owner(surname: str, clusters: dict[str, list[str]], in_article: set[str]) -> str | None:
    """The cluster a bare surname refers to: one named in the same article first."""
    candidates = [
        key
        for key, members in clusters.items()
        if any(surname_matches(surname, s) for s in members)
    ]
    if not candidates:
        return None
    local = [k for k in candidates if in_article & set(clusters[k])]
    wanted = surname.casefold()
    exact = [
        k
        for k in (local or candidates)
        if any(s.split()[-1].casefold() == wanted for s in clusters[k])
    ]
    return (exact or local or candidates)[0]


def _canonical(
    members: list[str],
    seen: dict[str, tuple[set[int], tuple[int, int], set[int]]],
    in_body: dict[str, set[int]],
) -> str:
    """The spelling most articles use in their body text (a caption's spelling only
    counts to break a tie), then the earliest introduced with a role, then the earliest."""
    if len(members) == 1:  # one spelling, as for nearly everyone in a digest
        return members[0]

    def rank(s: str) -> tuple[int, int, int, tuple[int, int]]:
        articles, first, with_role = seen[s]
        role_first = min(with_role) if with_role else 10**9
        return (-len(in_body.get(s, ())), -len(articles), role_first, first)

    best = min(members, key=rank)
    # "Zoe" and "Zoë", "ODell" and "O'Dell" are one spelling, written fully or not.
    folded = fold_name(best)
    same = [s for s in members if fold_name(s) == folded]
    return max(same, key=lambda s: (_marks(s), -members.index(s)))


def _marks(name: str) -> int:
    """How many accented letters and apostrophes a spelling writes."""
    return sum(1 for c in name if c in "'’" or (c.isalpha() and not c.isascii()))


def _roles_agree(a: Counter[str] | None, b: Counter[str] | None) -> bool:
    """Whether two spellings' roles can be one person's: unknown, or the same kind of post
    ("Chief Constable" and "Deputy Chief Constable" can; "Councillor" and "Chief Inspector"
    cannot)."""
    if not a or not b:
        return True
    return bool({r.split()[-1] for r in a} & {r.split()[-1] for r in b})


def _best_role(counts: Counter[str]) -> str | None:
    """The most used role, a general one counting for the specific ones it ends."""
    if not counts:
        return None
    merged: Counter[str] = Counter()
    labels = sorted(counts, key=len, reverse=True)
    for label in labels:
        target = next(
            (x for x in labels if x != label and x.endswith(" " + label)),
            label,
        )
        merged[target] += counts[label]
    return max(merged, key=lambda r: (merged[r], len(r)))
