"""What grouping reads of each article, once: its `Features`.

Per article (`featurize`, linear in its length) we read:

- its **force**: every force and force-area mention (`forces.scan_mentions`), weighted 3 in
  the headline, 2 in the lead (first paragraph, two if it is short), 1 in the body and
  in the feed's own name; the heaviest key is the article's force. A PCC's notice that
  names no force still has an area ("Office of the Wolds PCC").
- its **topic**, from the headline and lead only, so that a passing mention further down
  ("in June the force was rated adequate...") does not make an article about a new
  building an inspection article: `inspection` (inspection words in the lead, such as
  "judged as inadequate", "told it needs to improve", "special measures", and
  inspectorate or grade words in the text), else `meeting`, else `other`. Inspection
  articles also get a **type** (PEEL, crime data integrity, Engage, fire, thematic, ...)
  and a PEEL **period** ("2021/22") when the lead states them; a fire and rescue
  service's inspection is keyed by the service, not by a force.
- the **dates** it mentions, as `dates.find_dates` reads them against the publication
  day in UK time: written out ("3 December"), day-first numeric ("3/12/2024", UK order),
  ISO, relative ("next Wednesday", "last night", "tomorrow"), a bare "on Thursday night"
  by the tense of its sentence, and a year left out chosen by that tense (a write-up in
  January of "the meeting on 2 December" is last December, as the meetings list reads
  it). Dates of sentences about another meeting ("the next forum will be on 8 April")
  do not count unless they are all it has; a "today" counts only with its weekday
  ("today (Monday)"), and an article headlined by a meeting that names no date is dated
  by its publication day. Also its **links**, its **entities** (capitalised words that
  are not common words, not the force's place and not the outlet's name: people,
  villages, venues; and which of them it names only in lists), the **kinds of meeting**
  it names, the **force-wide bodies** its headline or lead names (the police and crime
  panel) and its feed's **home** (the distinctive words of the feed's name: "Kingsmere
  Town Council" -> kingsmere), its **content words**, its first long paragraph as a
  fingerprint (the key a near copy is found by when its other keys are crowded, see
  `blocks`), and, lazily (`copies`), a signature of its 5-word **shingles** (only for
  the pairs whose content words already agree).
- Boilerplate never counts: paragraphs that look like sign-up, share, copyright or credit
  lines are dropped, and for two articles of the same outlet the paragraphs they share
  word for word (that outlet's recurring lines) are removed before they are compared
  (`featurize(article, exclude)`).

The word lists are in `vocabulary`. Speed: regexes whose branches share no first
character try every position of the text, so each is either written to start with a
literal or a character class (the word boundary checked behind it) or skipped when a few
fast substring scans show it cannot match; each paragraph is tokenised once; force-name
lookups are cached by the words read. A paragraph's words, force mentions and entity
candidates are read once however many articles print it (`text.memo`): outlets repeat
standing lines and each other's copy.
"""

from __future__ import annotations

import math
import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from heraldtui.core.models import Article, StoryKind
from heraldtui.core.read.dates import contains_any, find_dates
from heraldtui.core.read.forces import (
    ForceMention,
    force_bodies,
    joined_where_open,
    place_of,
    scan_fire_services,
    scan_mentions,
    scan_paragraphs,
)
from heraldtui.core.stories.listing import epoch_day
from heraldtui.core.stories.reading import WORD, Reading, read, tokens_hash
from heraldtui.core.stories.vocabulary import (
    COMMON_CAPS,
    FEED_WORDS,
    GRADE_IN_LEAD,
    INSPECTION_BODY,
    INSPECTION_BODY_HINTS,
    INSPECTION_HINTS,
    INSPECTION_LEAD,
    INSPECTION_TYPE,
    MEETING,
    MEETING_EACH,
    MEETING_WORDS,
    OTHER_MEETING,
    PERIOD,
    RECALLED,
    STOP_DOMAIN,
    TODAY_NAMED,
    TYPE_NAMES,
)
from heraldtui.core.text.memo import kept_when_short
from heraldtui.core.text.prose import sentences

LEAD_WORDS = 25
"""An article's lead runs to this many words (or two paragraphs of six words or more)."""
LONG_PARAGRAPH = 12
"""Words a paragraph needs to be a fingerprint of its article (`Features.lead_para`)."""

_NONE: frozenset[str] = frozenset()
_NO_DAYS: frozenset[int] = frozenset()
"""Shared empty sets for what most articles leave empty (each `frozenset()` is a new
216-byte object: three of them per article were a tenth of grouping's memory)."""

_SHORT = (a + b for a in string.printable for b in ("", *string.printable, "’"))
_NOT_CONTENT = STOP_DOMAIN | {t for t in _SHORT if WORD.fullmatch(t)}
"""What a content word is not: a stop or domain word, or a token under three characters
(every one `WORD` can read: a set difference, not a test per token)."""
# "\b[A-Z]..." with the word boundary checked after the capital, so that the regex engine
# skips to capitals instead of trying the whole pattern at every position.
_CAP_RUN = re.compile(
    r"[A-Z](?<!\w[A-Z])[a-z]+(?:['’-][A-Za-z]+)*(?:\s+[A-Z][a-z]+(?:['’-][A-Za-z]+)*)*"
)


def _meeting_cue(lowered: str) -> bool:
    return contains_any(lowered, MEETING_WORDS) and MEETING.search(lowered) is not None


@dataclass(slots=True)
class Mention:
    """One mention of a force or area, weighted by where it stands."""

    key: str
    name: str | None
    """A properly written full name (official or capitalised), None for weak forms."""
    weight: float
    area: bool
    """An area (PCC, Federation) or an unresolved descriptive form ("Brindle police"):
    weaker than a name, and never enough to keep two articles apart."""
    text: str
    weak: bool


@dataclass(slots=True)
class Features:
    """What the rules compare of one article (see the module docstring)."""

    article: Article
    id: str
    day: float
    key: str | None
    """The force the article is about, from names, areas or descriptive forms."""
    named: str | None
    """The same from named forces only: only two *named* forces keep articles apart."""
    mentions: tuple[Mention, ...]
    topic: StoryKind
    subtype: str | None
    period: str | None
    meeting_cue: bool
    dates: frozenset[int]
    """The days it mentions (see `_dates`), for articles that talk about a meeting."""
    days: frozenset[int]
    """The days rule 3 compares: `dates`, or for an article headlined by a meeting that
    names none (a write-up: "Panel approves the budget") its publication day."""
    urls: frozenset[str]
    entities: frozenset[str]
    reported: frozenset[str]
    """Its entities but those it names only in lists (`LIST_NAMES`): who and where it
    reports on, which rules 1 and 4 compare (`entities` itself when it names no list)."""
    words: frozenset[str]
    norms: float
    paras: frozenset[int]
    kinds: frozenset[str]
    """The kinds of meeting it names ("forum", "question time"), for rule 3."""
    bodies: frozenset[str]
    """The force-wide bodies whose meeting its headline or lead names ("panel" for the
    police and crime panel): with the force and the date, one meeting (rule 3)."""
    lead_key: str | None
    """For an article naming nobody and no link, a fingerprint of its opening words: its
    near copies are found by it (they have no other key to meet under), None otherwise."""
    home: frozenset[str]
    """Distinctive words of its feed's name ("Kingsmere Town Council" -> kingsmere): a
    place the article need not write, compared only for meetings (rule 3)."""
    lead_para: int | None
    """The hash (as in `paras`) of its first paragraph of `LONG_PARAGRAPH` words or more:
    the paragraph a copy keeps word for word. None when it has none."""
    shingle_count: int = -1
    """How many 5-word shingles it has; -1 until `copies.signature` reads them."""
    shingle_bits: int = 0
    """Which of 4,096 buckets its shingles fall in (`copies.signature`)."""
    entity_ends: tuple[dict[str, list[str]], dict[str, list[str]]] | None = None
    """Its entities by first letter and by last, built when a near-copy check first
    needs them (`rules._same_entities`)."""


def _dates(text: str, lowered: str, pub: date | None) -> frozenset[int]:
    """Ordinal days of the dates `text` mentions (`lowered` is it lowercased), absolute and
    relative, leaving out those of sentences about another meeting ("the next forum will be
    on 8 April") unless they are all it has (a notice of "our next forum" is about that
    one). The text keeps its case: the date reader splits sentences as the meetings list
    does (which needs capitals) and does not read a lowercase "may" as a month."""
    if "next" in lowered or "last" in lowered or "previous" in lowered or "following" in lowered:
        other = OTHER_MEETING.search(lowered)
        if other is not None:
            kept: list[str] = []
            aside: list[str] = []
            for _, sentence in sentences(text):
                (aside if OTHER_MEETING.search(sentence.lower()) else kept).append(sentence)
            found = _all_dates("\n".join(kept), pub)
            return found or _all_dates("\n".join(aside), pub)
    return _all_dates(text, pub)


def _all_dates(text: str, pub: date | None) -> frozenset[int]:
    """Ordinal days of every date `text` mentions (`dates.find_dates`) but a bare "today":
    in news copy it is mostly the publication idiom ("said today", "published today"),
    and the publication day would link two notices of one body posted the same day. A
    "today" with its weekday ("at County Hall today (Monday)") is a write-up's date."""
    return frozenset(
        d.value.toordinal()
        for d in find_dates(text, pub)
        if text[d.start : d.end].lower() != "today" or TODAY_NAMED.match(text, d.end)
    )


def _lead(paras: list[str]) -> str:
    """The opening: one paragraph, or two when the first is short; a dateline or a
    byline (under six words) does not count."""
    lead: list[str] = []
    words = counted = 0
    for para in paras[:4]:
        lead.append(para)
        size = para.count(" ") + 1
        words += size
        counted += size >= 6
        if words >= LEAD_WORDS or counted == 2:
            break
    return "\n".join(lead)


def _first_type(text: str, graded: bool) -> str | None:
    """The kind of inspection `text` names first. A monitoring decision (`engage`) only
    when it is reported, not recalled ("four years after coming out of special
    measures"), and never in a graded report's lead (`graded`)."""
    pos = 0
    while (m := INSPECTION_TYPE.search(text, pos)) is not None:
        kind = TYPE_NAMES[int(m.lastgroup[1:])] if m.lastgroup else None
        if kind == "engage" and (
            graded or RECALLED.search(text[max(0, m.start() - 40) : m.start()].lower())
        ):
            pos = m.start() + 1
            continue
        return kind
    return None


def _fire_key(title: str, body: str, lead_end: int, key: str | None) -> str:
    """The fire and rescue service an article is about: the heaviest one named (headline
    3, lead 2, body 1), else the one of its force's area ("fire:essex"), so that a fire
    service's inspection never shares a key with a police force's."""
    weights: dict[str, float] = {}
    for found, weight in ((scan_fire_services(title), 3.0), (scan_fire_services(body), 0.0)):
        for fire, start in found:
            w = weight or (2.0 if start < lead_end else 1.0)
            weights[fire] = weights.get(fire, 0.0) + w
    if weights:
        return max(sorted(weights), key=lambda k: weights[k])
    return "fire:" + (place_of(key).lower() if key else "")


def _entities(parts: Sequence[str], excluded: set[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The distinctive word of each run of capitalised words: a surname ("Louise Darby"
    -> "darby"), a place ("Haltonburn Community Centre" -> "haltonburn"). First names
    are left out (they are shared by strangers), and so are a sentence's first word when it
    stands alone (it is capitalised whatever it is), common words and `excluded`. Read
    from the body's `joined_where_open` parts, which no run spans. And the same without
    those named only in lists (`LIST_NAMES`): an area's towns are not what it reports."""
    outside: set[str] = set()
    in_lists: set[str] = set()
    for part in parts:
        runs, listed = _entity_runs(part)
        for i, words in enumerate(runs):
            for word in words:
                if word not in excluded:
                    (in_lists if listed and i in listed else outside).add(word)
                    break
    reported = frozenset(outside)
    # Named only in lists: an entity, not one it reports on.
    return (frozenset(outside | in_lists) if in_lists else reported), reported


LIST_NAMES = 4
"""Names in a row that make a list ("patrols in Ashby, Brill, Cotham and Dunmere"):
capitalised runs that may hold an entity, parted by commas, "and" or "or" (at least
`LIST_NAMES` - 2 commas), runs of common words between them counting as parts too
("Police, Fire and Crime"). The places or people of a list are an area or a roll call,
not who or where the article reports on: rules 1 and 4 do not compare them."""
_LIST_GAP = re.compile(r"(,)\s*(?:(?:and|or)\s+)?|\s+(?:and|or|&)\s+")
"""What parts two names of a list (group 1: a comma)."""
_LIST_GAP_LONGEST = 8
"""Longest `_LIST_GAP` read (", and " with some extra space): runs further apart, most of
them, are not read again."""
_LIST_COMMAS = LIST_NAMES - 2
"""Commas in a list of `LIST_NAMES` names: "A, B, C and D"."""
_NO_RUNS: frozenset[int] = frozenset()


@kept_when_short
def _entity_runs(text: str) -> tuple[tuple[tuple[str, ...], ...], frozenset[int]]:
    """The entity candidates of each capitalised run of `text` that may hold one (see
    `_run_candidates`), and the positions of those that stand in a list (`LIST_NAMES`):
    a paragraph is read once however many articles print it."""
    runs: list[tuple[str, ...]] = []
    listed: list[int] = []
    known = _RUN_CANDIDATES
    # A text with too few commas holds no list: its runs are not read as one.
    lists = text.count(",") >= _LIST_COMMAS
    listing = 0  # the first of `runs` in the current row
    commas = 0  # the commas in the current row
    last_end = -_LIST_GAP_LONGEST - 1
    for m in _CAP_RUN.finditer(text):
        if lists:
            start = m.start()
            gap = None
            if start - last_end <= _LIST_GAP_LONGEST:
                gap = _LIST_GAP.fullmatch(text, last_end, start)
            if gap is None:
                # Not parted from the run before as a list's names are: the row ends.
                if commas >= _LIST_COMMAS and len(runs) - listing >= LIST_NAMES:
                    listed.extend(range(listing, len(runs)))
                listing = len(runs)
                commas = 0
            elif gap.group(1):
                commas += 1
            last_end = m.end()
        run = m.group()
        found = known.get(run)
        if found is None:
            found = _run_candidates(run)
        if found[0]:
            # A single word after a sentence's end (the last non-space character of the
            # two before it), or at the start of a paragraph, is a sentence's first word.
            start = m.start()
            before = text[start - 2 : start].rstrip() if start > 1 else text[:start].rstrip()
            if not before or before[-1] in _SENTENCE_OPENERS:
                continue
        if found[1]:
            runs.append(found[1])
    if lists and commas >= _LIST_COMMAS and len(runs) - listing >= LIST_NAMES:
        listed.extend(range(listing, len(runs)))
    return tuple(runs), frozenset(listed) if listed else _NO_RUNS


_SENTENCE_OPENERS = ".!?:;\"“‘'(–—-\n"
"""What a sentence's first word follows (the last character before it)."""
_RUN_CANDIDATES: dict[str, tuple[bool, tuple[str, ...]]] = {}


def _run_candidates(run: str) -> tuple[bool, tuple[str, ...]]:
    """Whether a capitalised run is one word, and its words that may be its entity, last
    first (lowercased, possessive dropped, not common, three letters or more). Names and
    places recur across articles, so this is kept in a bounded table."""
    cached = _RUN_CANDIDATES.get(run)
    if cached is None:
        words = run.lower().split()
        found: list[str] = []
        for word in reversed(words):
            if word.endswith(("'s", "’s")):
                word = word[:-2]
            if word not in COMMON_CAPS and len(word) > 2:
                found.append(word)
        cached = (len(words) == 1, tuple(found))
        if len(_RUN_CANDIDATES) < 100_000:
            _RUN_CANDIDATES[run] = cached
    return cached


def featurize(
    article: Article, exclude: frozenset[int] = frozenset(), reading: Reading | None = None
) -> Features:
    """What grouping compares of `article` (the module docstring), without its paragraphs
    whose hashes are in `exclude`; `reading` is its `reading.read`, if the caller kept it."""
    if reading is None:
        reading = read(article)
    paras, para_tokens, hashes = reading.paras, reading.tokens, reading.hashes
    if exclude:
        kept = [i for i, h in enumerate(hashes) if h not in exclude]
        paras = [paras[i] for i in kept]
        para_tokens = [para_tokens[i] for i in kept]
        hashes = [hashes[i] for i in kept]
    # A heading that repeats the title is not part of the body.
    if paras and paras[0].lower() == reading.heading:
        paras, para_tokens, hashes = paras[1:], para_tokens[1:], hashes[1:]
    title = reading.title
    lead = _lead(paras)
    body = "\n\n".join(paras)
    pub = reading.pub

    mentions = [_mention(m, 3.0) for m in reading.title_mentions]
    lead_end = len(lead)
    parts = joined_where_open(paras)
    for m in scan_paragraphs(paras, parts):
        mentions.append(_mention(m, 2.0 if m.start < lead_end else 1.0))
    mentions.extend(_feed_mentions(article.feed))
    key, named = _primary_keys(mentions)

    head = f"{title}\n{lead}"
    head_lower = head.lower()
    full = f"{title}\n\n{body}"
    lowered = full.lower()
    # The headline and lead are in the text (their separators are in no meeting word): a
    # text naming no meeting word has none in its head either.
    meeting_words = contains_any(lowered, MEETING_WORDS)
    if (
        contains_any(head_lower, INSPECTION_HINTS)
        and contains_any(full, INSPECTION_BODY_HINTS)
        and INSPECTION_LEAD.search(head)
        and INSPECTION_BODY.search(full)
    ):
        topic: StoryKind = "inspection"
    elif meeting_words and _meeting_cue(head_lower):
        topic = "meeting"
    else:
        topic = "other"
    subtype = period = None
    if topic == "inspection":
        graded = GRADE_IN_LEAD.search(head) is not None
        subtype = _first_type(title, graded) or _first_type(lead, graded)
        pm = PERIOD.search(head)
        if pm:
            period = f"{pm.group(1)}-{pm.group(2)}"
        if subtype == "fire":
            # A fire and rescue service is no police force: its own key, never a force's.
            key = named = _fire_key(title, body, lead_end, key)

    tokens = set(reading.title_words)
    for toks in para_tokens:
        tokens.update(toks)
    words = frozenset(tokens - _NOT_CONTENT)
    excluded_caps = set(_feed_words(article.feed))
    for mention in mentions:
        if not mention.weak:  # "Brindle police station": Brindle is still a place to compare
            excluded_caps.update(_mention_words(mention))
    entities, reported = _entities(parts, excluded_caps)
    # The title and lead are in the text: a meeting topic implies the cue.
    meeting_cue = topic == "meeting" or (meeting_words and MEETING.search(lowered) is not None)
    urls = reading.urls
    # Only rule 3 compares dates, and only for articles that talk about a meeting.
    dates = _dates(full, lowered, pub) if meeting_cue else _NO_DAYS
    days = dates
    if meeting_cue and not dates and pub is not None and _meeting_cue(title.lower()):
        # A write-up headlined by its meeting and naming no date ("Panel approves the
        # budget") reports the meeting of its publication day.
        days = frozenset({pub.toordinal()})
    return Features(
        article=article,
        id=article.id,
        day=epoch_day(article.published),
        key=key,
        named=named,
        mentions=tuple(mentions),
        topic=topic,
        subtype=subtype,
        period=period,
        meeting_cue=meeting_cue,
        dates=dates,
        days=days,
        urls=urls,
        entities=entities,
        reported=reported,
        words=words,
        norms=math.sqrt(len(words)) or 1.0,
        paras=frozenset(hashes),
        kinds=_meeting_kinds(lowered) if meeting_cue else _NONE,
        lead_key=None if entities or urls else _lead_key(paras, para_tokens),
        bodies=force_bodies(head_lower) if meeting_cue else _NONE,
        home=_feed_home(article.feed) if meeting_cue else _NONE,
        lead_para=next(
            (h for h, toks in zip(hashes, para_tokens, strict=True) if len(toks) >= LONG_PARAGRAPH),
            None,
        ),
    )


LEAD_KEY_WORDS = 12
"""Opening words a near copy keeps, fingerprinted as its `lead_key`."""


def _lead_key(paras: list[str], para_tokens: Sequence[Sequence[str]]) -> str | None:
    """The first `LEAD_KEY_WORDS` words of the body, past a dateline or byline (a
    paragraph under six words); None for a body shorter than that."""
    words: list[str] = []
    for para, tokens in zip(paras, para_tokens, strict=True):
        if para.count(" ") < 5 and not words:
            continue
        words.extend(tokens)
        if len(words) >= LEAD_KEY_WORDS:
            return f"{tokens_hash(words[:LEAD_KEY_WORDS]):x}"
    return None


def _meeting_kinds(lowered: str) -> frozenset[str]:
    """The meeting nouns `lowered` names (what `MEETING` finds, its plural's "s" dropped)."""
    return frozenset(
        noun for noun, each in MEETING_EACH if noun in lowered and each.search(lowered)
    )


@lru_cache(maxsize=4096)
def _feed_home(feed: str) -> frozenset[str]:
    """A feed name's distinctive words: usually the town or area it serves."""
    out = set()
    for word in WORD.findall(feed.lower()):
        if word.endswith(("'s", "’s")):
            word = word[:-2]
        if len(word) > 2 and word not in COMMON_CAPS and word not in FEED_WORDS:
            out.add(word)
    return frozenset(out)


@lru_cache(maxsize=4096)
def _feed_mentions(feed: str) -> tuple[Mention, ...]:
    """A feed's own name often names the force ("Wolds Constabulary News") or its area
    ("Office of the Wolds PCC"); feeds repeat, so this is cached."""
    return tuple(_mention(m, 1.0) for m in scan_mentions(feed))


def _mention(m: ForceMention, weight: float) -> Mention:
    weak = m.role == "force" and m.name is None
    area = m.role == "area" or weak
    name = None if area else m.name
    return Mention(m.key, name, weight * (0.5 if area else 1.0), area, m.text, weak)


_MENTION_WORDS: dict[tuple[str, str | None, str], tuple[str, ...]] = {}


def _mention_words(mention: Mention) -> tuple[str, ...]:
    """The lowercased words of a mention's place, name and text: not entities of the
    article. The same few mentions recur, so this is kept in a bounded table."""
    key = (mention.key, mention.name, mention.text)
    words = _MENTION_WORDS.get(key)
    if words is None:
        found = place_of(mention.key).lower().split()
        if mention.name:
            found += mention.name.lower().split()
        found += mention.text.lower().split()
        words = tuple(found)
        if len(_MENTION_WORDS) < 100_000:
            _MENTION_WORDS[key] = words
    return words


@lru_cache(maxsize=4096)
def _feed_words(feed: str) -> tuple[str, ...]:
    """A feed's name's words, lowercased: not entities of its articles."""
    return tuple(w.lower() for w in feed.split())


def _primary_keys(mentions: Sequence[Mention]) -> tuple[str | None, str | None]:
    """`primary_key` of the mentions, and of their named forces alone, in one pass."""
    named: dict[str, float] = {}
    areas: dict[str, float] = {}
    for m in mentions:
        weights = areas if m.area else named
        weights[m.key] = weights.get(m.key, 0.0) + m.weight
    force = _heaviest(named)
    return (force if force is not None else _heaviest(areas)), force


def _heaviest(weights: dict[str, float]) -> str | None:
    """The key of most weight, the first in sorted order among equals (as
    `max(sorted(weights), key=weights.get)`)."""
    best: str | None = None
    most = 0.0
    for key, weight in weights.items():
        if best is None or weight > most or (weight == most and key < best):
            best, most = key, weight
    return best


def primary_key(mentions: Sequence[Mention]) -> str | None:
    """The force an article is about: heaviest named force, else heaviest area."""
    for areas in (False, True):
        weights: dict[str, float] = {}
        for m in mentions:
            if m.area == areas:
                weights[m.key] = weights.get(m.key, 0.0) + m.weight
        if weights:
            return max(sorted(weights), key=lambda k: weights[k])
    return None
