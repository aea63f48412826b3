"""What makes two articles one story: the pair rules and the thresholds they use.

Two articles are **linked** (`link_score`) when they do not name two different forces
(areas and descriptive forms such as "Brindle police" never keep articles apart: a town
looks the same) and one of:

1. near copy: >= 50 % of the smaller article's shingles are in the other and it names no
   person or place the other lacks (short forms and one-letter typos allowed; names
   either gives only in a list are not compared), within 30 days: syndicated and lightly
   edited copies, not a template reused for another town (the shingles are compared only
   when the content words agree, cosine >= 0.5);
2. same inspection: both are inspection articles about the same force, of compatible type
   and period, within 45 days (so a scrutiny meeting weeks later that restates the
   findings joins, and next year's inspection does not). A fire and rescue service's
   inspection is keyed by the service ("fire:essex"), so it never joins a force's;
3. same meeting: both talk about a meeting (one mainly), mention the same date, and share
   a link, two entities, or a place or person (a feed's home counts, not two feeds'
   shared home) together with the force or the kind of meeting, or the force when one
   names no place or person (a PCC's bare notice) or both name one force-wide body (its
   police and crime panel, its commissioner's accountability meeting), within 45 days:
   notice, listing, preview, reminder and write-up, whoever organises it. A write-up that
   names no date is dated by its publication day ("today (Monday)" counts as a date). The
   same force's meetings on one day in two villages, and one body's meetings on two
   dates, stay apart;
4. same event otherwise: within 10 days, at least two shared entities and a content-word
   cosine >= 0.3 (a court case reported by two outlets; two burglary arrests share words
   but not people and places). Entities either names only in a list ("teams cover
   Ashby, Brill, Cotham and Dunmere", see `features.LIST_NAMES`) do not count: a roll
   of an area's towns says nothing of where either happened (nor for rule 1).

Two articles of the same outlet are judged without the paragraphs they share word for
word (that outlet's recurring lines). The score is a pure function of the pair, which is
what lets incremental grouping give exactly what grouping everything at once gives.

Linked articles end up in one story only while it keeps **one named force, one
inspection type and period, and a span of at most `SPAN_DAYS`** (`grouper` merges them):
that keeps apart two forces reported the same day by one outlet with near-identical
wording, the same force's two inspections, and chains of routine stories.
Only articles that share one of their `index_keys` are ever judged; an article that names
no person, place or link (a statement copied from outlet to outlet) is indexed by its
opening words, so its near copies are still judged. A key shared by a crowd (every item
of a force's feed naming the same towns) joins only articles with fewer than `BLOCK_CAP`
others of that key between them, and only the `CROWD_MIN` nearest where the key comes
faster than `CROWD_RATE` a day; a pair it no longer joins is still judged when it shares
one of its `fallback_keys` with fewer than `CROWD_MIN` of that key between them (see
`blocks`).
"""

from __future__ import annotations

from heraldtui.core.stories.copies import (
    COPY_CONTAINMENT,
    Rereads,
    containment,
    may_be_copies,
)
from heraldtui.core.stories.features import Features, featurize

Key = tuple[str, str]
"""An index key: a kind ("e" entity, "u" link, "c" opening words, ...) and a value."""

WINDOW_DAYS = 45.0
"""Longest gap between two linked articles (inspection or meeting follow-ups)."""
COPY_DAYS = 30.0
"""Longest gap between a near copy and its original (rule 1)."""
OTHER_DAYS = 10.0
"""Longest gap between two reports of the same other event (rule 4)."""
SPAN_DAYS = 75.0
"""Longest span of one story, so chains of links cannot grow across months."""
OTHER_COSINE = 0.3
"""Content-word cosine two reports of the same other event need (rule 4)."""
OTHER_ENTITIES = 2
"""Shared entities (people, places) that make the same event (rule 4) or anchor the
same meeting (rule 3)."""
COPY_PREFILTER = 0.5
"""Content-word cosine a pair needs before its shingles are compared."""
BLOCK_CAP = 32
"""A key joins two articles only while fewer than this many others with that key lie
between them in time (`blocks`): the 32 nearest on each side. On the realistic benchmark
(50,000 articles, sixty forces) no key comes near it; a force's own feed naming the same
towns in every item reaches it within days."""
CROWD_MIN = 4
"""Articles of a key between two that make it a crowd when they come faster than
`CROWD_RATE` (`blocks`): fewer never do, so a burst of one event's reports (a few
outlets' copies within hours) always meets."""
CROWD_RATE = 16.0
"""Articles a day of one key (between two articles) past which that key says nothing
about which event either reports: a force's own feed naming its eight towns in every item
(45 a day on the dense benchmark). Such a key joins only the `CROWD_MIN` nearest on each
side; on the realistic benchmark (50,000 articles) no key comes near it (its busiest
town: about one article a day)."""


TYPO_MIN_LETTERS = 5
"""Names this long or longer may differ by a typo (one letter) and still be one name in a
near copy (rule 1); shorter ones one letter apart are other names ("Hale", "Hall")."""

_RULES_1_4_DAYS = max(COPY_DAYS, OTHER_DAYS)
"""Past this, only rules 2 and 3 can link two articles."""
_NO_PARAS: frozenset[int] = frozenset()
"""No paragraph left out (two outlets' articles share none)."""


def link_score(a: Features, b: Features, rereads: Rereads | None = None) -> float | None:
    """Link strength between two articles, or None; a pure function of the pair
    (`rereads` only saves reading an article again, see `copies`)."""
    return _score(a, b, rereads, both_ways=False)


def judge(a: Features, b: Features, rereads: Rereads | None = None) -> float | None:
    """`link_score(a, b)` for `a` the earlier (by day, then id), and where no rule links
    them that way round, rule 1 the other way (`link_score(b, a)` for a near copy): the
    grouper's one judgment of a pair, whichever article it holds first. Only rule 1's
    entity check depends on the order (two articles reporting as many entities, see
    `_same_entities`), so the other way is tried only where that check failed, from the
    pair's cosine and shared paragraphs read once."""
    return _score(a, b, rereads, both_ways=True)


def _score(a: Features, b: Features, rereads: Rereads | None, both_ways: bool) -> float | None:
    if a.named is not None and b.named is not None and a.named != b.named:
        return None
    dt = abs(a.day - b.day)
    if dt > WINDOW_DAYS:
        return None
    if (
        dt > _RULES_1_4_DAYS
        and not (a.topic == "inspection" and b.topic == "inspection")
        and not (a.meeting_cue and b.meeting_cue)
    ):
        return None  # past rules 1 and 4's windows, and neither rule 2 nor 3 can apply
    shared = a.paras & b.paras if a.article.feed == b.article.feed else _NO_PARAS
    cosine = len(a.words & b.words) / (a.norms * b.norms)
    other_way = False
    if dt <= COPY_DAYS and cosine >= COPY_PREFILTER:
        # Rule 1 (near copy): the same wording *and* the same people and places (police
        # appeals share a template: "officers are keen to hear from anyone with
        # information"). Its other tests do not depend on the order.
        if _same_entities(a, b):
            score = _copy_score(a, b, shared, rereads)
            if score is not None:
                return score
        else:
            other_way = both_ways and len(a.reported) == len(b.reported)
    score = _event_score(a, b, dt, cosine)
    if score is not None and shared:
        # Same outlet: judge again without the lines they share word for word (its
        # recurring lines), which must not make two of its articles one story.
        if rereads is None:
            a_own, b_own = featurize(a.article, shared), featurize(b.article, shared)
        else:
            a_own, b_own = rereads.features(a, shared), rereads.features(b, shared)
        score = _event_score(a_own, b_own, dt)
    if score is None and other_way and _same_entities(b, a):
        score = _copy_score(b, a, shared, rereads)
    return score


def _copy_score(
    a: Features, b: Features, shared: frozenset[int], rereads: Rereads | None
) -> float | None:
    """Rule 1 on articles within `COPY_DAYS` whose content words agree and whose entities
    do: whether the shingles agree (the signatures first, where both are read)."""
    read = not shared and a.shingle_count >= 0 and b.shingle_count >= 0
    if not read or may_be_copies(a, b):
        held = containment(a, b, shared, rereads, checked=read)
        if held >= COPY_CONTAINMENT:
            return 3.0 + held
    return None


def _same_entities(a: Features, b: Features) -> bool:
    """True when every entity of the article with fewer is in the other, allowing short
    forms and one-letter typos ("Rob" for "Robert"): a copy drops names but adds none,
    while a templated release for another town differs exactly in its names. Names given
    only in a list are left out on both sides (`Features.reported`): another town's
    release that lists this town among its area's names it no less."""
    if len(a.reported) <= len(b.reported):
        missing = a.reported - b.reported
        large = b
    else:
        missing = b.reported - a.reported
        large = a
    if not missing:
        return True
    firsts, lasts = large.entity_ends or _entity_ends(large)
    for e in missing:
        # A short form shares the first letter; one edit keeps the first letter or the
        # last: only those entities of the other are compared.
        typo = len(e) >= TYPO_MIN_LETTERS
        for f in firsts.get(e[0], ()):
            if f.startswith(e) or e.startswith(f) or (typo and _one_edit(e, f)):
                break
        else:
            if not typo:
                return False
            for f in lasts.get(e[-1], ()):
                if _one_edit(e, f):
                    break
            else:
                return False
    return True


def _entity_ends(f: Features) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """An article's `reported` entities by first letter and by last (entities have three
    letters or more, see `features._entities`), read once and kept on it."""
    if f.entity_ends is None:
        firsts: dict[str, list[str]] = {}
        lasts: dict[str, list[str]] = {}
        for e in sorted(f.reported):
            firsts.setdefault(e[0], []).append(e)
            lasts.setdefault(e[-1], []).append(e)
        f.entity_ends = (firsts, lasts)
    return f.entity_ends


def _one_edit(a: str, b: str) -> bool:
    """Whether two names of `TYPO_MIN_LETTERS` or more are one letter apart (one added,
    dropped or changed): a typo, where shorter names are other names."""
    if abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < TYPO_MIN_LETTERS:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def _event_score(a: Features, b: Features, dt: float, cosine: float | None = None) -> float | None:
    """Rules 2-4 of the module docstring, on articles `dt` days apart."""
    if a.named is not None and b.named is not None and a.named != b.named:
        return None
    if cosine is None:
        cosine = len(a.words & b.words) / (a.norms * b.norms)
    # 2. same inspection
    if (
        a.topic == "inspection"
        and b.topic == "inspection"
        and a.key is not None
        and a.key == b.key
        and (a.subtype is None or b.subtype is None or a.subtype == b.subtype)
        and (a.period is None or b.period is None or a.period == b.period)
    ):
        return 2.0 + cosine
    # 3. same meeting
    if (
        a.meeting_cue
        and b.meeting_cue
        and (a.topic != "other" or b.topic != "other")
        and a.days & b.days
        and _same_meeting(a, b)
    ):
        return 2.0 + cosine
    # 4. same event, by people, places and words (inspections and meetings have their
    # own rules: a PCC's notices of two meetings share a template and their names)
    if (
        dt <= OTHER_DAYS
        and a.topic == "other"
        and b.topic == "other"
        and cosine >= OTHER_COSINE
        and len(a.reported & b.reported) >= OTHER_ENTITIES
    ):
        return 1.0 + cosine
    return None


def _same_meeting(a: Features, b: Features) -> bool:
    """Rule 3's anchor, for two articles about a meeting on the same date."""
    same_force = a.key is not None and a.key == b.key
    return bool(
        a.urls & b.urls
        or len(a.entities & b.entities) >= OTHER_ENTITIES
        or ((a.kinds & b.kinds or same_force) and _same_place(a, b))
        # the force's own notice naming no place or person has nothing to differ by
        or (same_force and not (a.entities and b.entities))
        # a force-wide body (the police and crime panel) holds one meeting on a date
        or (same_force and a.bodies & b.bodies)
    )


def _same_place(a: Features, b: Features) -> bool:
    """Whether they share a place or a person, a feed's own town included ("Kingsmere
    Town Council"'s notice and a paper's preview in Kingsmere); two articles of outlets
    named after one town do not share it merely by their names."""
    shared = (a.entities | a.home) & (b.entities | b.home)
    return bool(shared - (a.home & b.home))


def index_keys(f: Features) -> list[Key]:
    """The keys an article is indexed under (force and topic, links, entities, a meeting's
    feed town, and the opening words of one that names nobody): only two articles that
    share one are ever judged (`grouper`)."""
    keys: list[Key] = []
    if f.key is not None and f.topic == "inspection":
        keys.append(("i", f.key))
    if f.meeting_cue and f.days:
        if f.key is not None:
            keys.append(("m", f.key))
        # Its feed's town, as an entity: `_same_place` compares it with the others'.
        keys.extend(("e", h) for h in f.home if h not in f.entities)
    keys.extend(("u", u) for u in f.urls)
    keys.extend(("e", e) for e in f.entities)
    if f.lead_key is not None:
        # Naming nobody and no link: its near copies meet it by its opening words.
        keys.append(("c", f.lead_key))
    return keys


def fallback_keys(f: Features) -> list[Key]:
    """What joins two articles that share only crowded keys (see `blocks`): what a near
    copy keeps (its first long paragraph, word for word) and a force's meeting on a day
    (rule 3's anchor when the force is all two notices share)."""
    keys: list[Key] = []
    if f.lead_para is not None:
        keys.append(("p", f"{f.lead_para:x}"))
    if f.meeting_cue and f.key is not None:
        keys.extend(("d", f"{f.key} {day}") for day in sorted(f.days))
    return keys
