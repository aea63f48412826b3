"""Grouping articles into stories: one story per real-world event.

Local news is small, so two articles from two outlets are enough to make a story, and a
wrong merge is as visible as a missed one. The method is deliberately rule-based and
explainable; every decision is a pure function of two articles, which is what makes
incremental grouping give exactly the same result as grouping everything at once.

Per article (`_featurize`, linear in its length) we read:

- its **force**: every force and force-area mention (`forces.scan_mentions`), weighted 3 in
  the headline, 2 in the lead (first paragraph, two if it is short), 1 in the body and
  in the feed's own name; the heaviest key is the article's force. A PCC's notice that
  names no force still has an area ("Office of the Wolds PCC").
- its **topic**, from the headline and lead only, so that a passing mention further down
  ("in June the force was rated adequate...") does not make an article about a new
  building an inspection article: `inspection` (inspection words in the lead and
  inspectorate or grade words in the text), else `meeting`, else `other`. Inspection
  articles also get a **type** (PEEL, crime data integrity, custody, ...) and a PEEL
  **period** ("2021/22") when the lead states them.
- the **dates** it mentions, as `dates.find_dates` reads them against the publication
  day in UK time: written out ("3 December"), day-first numeric ("3/12/2024", UK order),
  ISO, relative ("next Wednesday", "last night", "tomorrow"), a bare "on Thursday night"
  by the tense of its sentence, and a year left out chosen by that tense (a write-up in
  January of "the meeting on 2 December" is last December, as the meetings list reads
  it). Dates of sentences about another meeting ("the next forum will be on 8 April")
  do not count unless they are all it has. Also its **links**, its **entities**
  (capitalised words that are not common words, not the force's place and not the
  outlet's name: people, villages, venues), the **kinds of meeting** it names and its
  feed's **home** (the distinctive words of the feed's name: "Kingsmere Town Council"
  -> kingsmere), its **content words**, and, lazily, its 5-word **shingles** (only for
  the few pairs whose content words already agree, cosine >= 0.5).
- Boilerplate never counts: paragraphs that look like sign-up, share, copyright or credit
  lines are dropped, and for two articles of the same outlet the paragraphs they share
  word for word (that outlet's recurring lines) are removed before they are compared.

Two articles are **linked** (`_link_score`) when they do not name two different forces
(areas and descriptive forms such as "Brindle police" never keep articles apart: a town
looks the same) and one of:

1. near copy: >= 50 % of the smaller article's shingles are in the other and it names no
   person or place the other lacks (short forms and one-letter typos allowed), within 30
   days: syndicated and lightly edited copies, not a template reused for another town;
2. same inspection: both are inspection articles about the same force, of compatible type
   and period, within 45 days (so a scrutiny meeting weeks later that restates the
   findings joins, and next year's inspection does not);
3. same meeting: both talk about a meeting (one mainly), mention the same date, and share
   a link, two entities, or a place or person (a feed's home counts, not two feeds'
   shared home) together with the force or the kind of meeting, or the force when one
   names no place or person (a PCC's bare notice), within 45 days: notice,
   listing, preview, reminder and write-up, whoever organises it. The same force's
   meetings on one day in two villages, and one body's meetings on two dates, stay apart;
4. same event otherwise: within 10 days, at least two shared entities and a content-word
   cosine >= 0.3 (a court case reported by two outlets; two burglary arrests share words
   but not people and places).

Candidates come from an inverted index over force+topic keys, links and entities,
bucketed by 45-day windows: no all-pairs comparison. Links are merged greedily,
strongest first (ties by article ids), into clusters that must keep **one named force, one
inspection type and period, and a span of at most 75 days**; that is what keeps apart two
forces reported the same day by one outlet with near-identical wording, the same force's
two inspections, and chains of routine stories. Since only linked articles can end up
together, each connected component of the link graph is clustered on its own; adding
articles re-clusters only the components they touch.

Restoring at start-up: `StoryGrouper.restore` reads (featurizes) every article it is given,
so a caller gives it only the stories that can change. No rule links articles further apart
than `WINDOW_DAYS`, but re-clustering a component can split a story that reaches further
back through links between old articles; `storyindex.py` says which stories to restore and
when to widen the window so the result equals a full regroup.

Speed: regexes whose branches share no first character try
every position of the text, so each is either written to start with a literal or a
character class (the word boundary checked behind it) or skipped when a few fast
substring scans show it cannot match; each paragraph is tokenised once; force-name
lookups are cached by the words read; each candidate pair is judged once.

A story's id derives from its earliest article's id; its kind is `inspection` if any
article is an inspection article, else `meeting` if any is about a meeting, else
`other`; its force is the heaviest key over its articles, named by the official table
name or the fullest name written; its title is the most informative headline.
"""

from __future__ import annotations

import gc
import hashlib
import math
import re
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache
from heapq import heappop, heappush

from heraldtui.core.models import Article, Story, StoryKind
from heraldtui.core.read.dates import contains_any, find_dates, uk_date
from heraldtui.core.read.forces import ForceMention, place_of, scan_mentions
from heraldtui.core.text.prose import sentences

WINDOW_DAYS = 45.0
"""Longest gap between two linked articles (inspection or meeting follow-ups)."""
COPY_DAYS = 30.0
OTHER_DAYS = 10.0
SPAN_DAYS = 75.0
"""Longest span of one story, so chains of links cannot grow across months."""
COPY_CONTAINMENT = 0.5
OTHER_COSINE = 0.3
OTHER_ENTITIES = 2
LEAD_WORDS = 25
SHINGLE = 5
COPY_PREFILTER = 0.5
"""Content-word cosine a pair needs before its shingles are compared."""

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# ---------------------------------------------------------------- word lists


def _words(text: str) -> frozenset[str]:
    """A word list written as text (easier to read and extend than a literal)."""
    return frozenset(text.split())


_STOP = _words(
    """
    a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours out over own same she should so some such than that the
    their theirs them then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours
    said says say told tell asked added one two three four five six seven eight nine ten
    first last next new year years week weeks month months day days today yesterday time
    mr mrs ms dr per cent also would could should may might must us it's its there's
    """
)
# Words every policing article uses: they say nothing about which event it is.
_DOMAIN = _words(
    """
    police force forces officer officers constabulary crime crimes chief constable
    commissioner pcc public people area areas report reports local county community
    residents said inspection inspectors inspectorate rated good adequate inadequate
    requires improvement improve outstanding work team teams service services
    """
)
_STOP_DOMAIN = _STOP | _DOMAIN
_COMMON_CAPS = (
    _STOP
    | _DOMAIN
    | _words(
        """
        monday tuesday wednesday thursday friday saturday sunday january february march
        april may june july august september october november december his her majesty's
        hm hmicfrs peel police superintendent supt sergeant sgt detective inspector
        constable deputy assistant chief commissioner commissioner's office image photo
        credit pictured picture video watch read more share follow facebook twitter
        instagram linkedin whatsapp email council government home secretary minister mp
        court crown magistrates judge jury the a an in on at he she they we it this that
        date when where venue entry tickets cost address location booking town village
        parish hall halls room rooms
        but and or if as after before when while there here however meanwhile residents
        officers people members questions places register recording data preventing
        responding investigating protecting managing developing leadership powers
        treatment vulnerable offenders positive workplace crime inspection grades grade
        accountability performance meeting meetings panel board strategic public safety
        community centre street road lane avenue news mr mrs ms dr cllr councillor
        federation chair chairman chairwoman his majesty majesty's service services fire
        rescue inspectorate constabulary national local county north south east west
        """
    )
)

_INSPECTION_LEAD = re.compile(
    r"\bPEEL\b|\bHMICF?R?S?\b|[Ii]nspectorate|[Ii]nspection|\binspectors?\b|"
    r"\bHM Inspector|\bwatchdog|\bgraded\b|\bgrades\b|requir\w*\s+improvement|"
    r"\brated\s+(?:as\s+)?['‘“\"]?(?:outstanding|good|adequate|inadequate)"
)
_INSPECTION_BODY = re.compile(
    r"\bPEEL\b|\bHMICF?R?S?\b|[Ii]nspectorate|\b[Ii]nspectors\b|\bHM Inspector|"
    r"\b(?:rated|graded|judged)\b[^.]{0,60}\b(?:outstanding|good|adequate|inadequate|"
    r"requir\w*\s+improvement)"
)
_MEETING = re.compile(r"\b(?:meeting|panel|forum|surgery|webinar|drop-in|q&a|question time)s?\b")
"""Matched on lowercased text."""
_MEETING_WORDS = (
    "meeting",
    "panel",
    "forum",
    "surgery",
    "webinar",
    "drop-in",
    "q&a",
    "question time",
)
"""`_MEETING` cannot match without one of these: a few fast substring scans skip it."""


def _meeting_cue(lowered: str) -> bool:
    return contains_any(lowered, _MEETING_WORDS) and _MEETING.search(lowered) is not None


_INSPECTION_HINTS = ("nspect", "peel", "hmic", "grade", "rated", "improvement", "watchdog")
# Inspection types (data): a story never holds two types.
_INSPECTION_TYPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("crime-data-integrity", re.compile(r"crime data integrity|crime recording inspection", re.I)),
    (
        "custody",
        re.compile(r"custody (?:suite )?inspection|inspection of (?:police )?custody", re.I),
    ),
    ("vetting", re.compile(r"vetting|misconduct and counter-corruption", re.I)),
    ("child-protection", re.compile(r"child protection|joint targeted area|\bJTAI\b", re.I)),
    ("super-complaint", re.compile(r"super-complaint", re.I)),
    ("fraud", re.compile(r"fraud inspection|inspection of fraud", re.I)),
    ("peel", re.compile(r"\bPEEL\b")),
)
_PERIOD = re.compile(r"\bPEEL\s*(20\d\d)\s*[/–—-]\s*(?:20)?(\d\d)\b")

# Lines that are the outlet's furniture, not the story (checked on short paragraphs).
_BOILERPLATE = (
    "sign up",
    "newsletter",
    "follow us",
    "share this",
    "share on",
    "click here",
    "subscribe",
    "all rights reserved",
    "copyright",
    "©",
    "advertisement",
    "download our app",
    "download the app",
    "read more:",
    "related:",
    "(image:",
    "cookies",
    "this article was written by",
    "this story was written by",
    "this article was produced by",
    " on facebook",
    " on twitter",
)
_BOILERPLATE_START = ("image:", "photo:", "picture:", "more news", "see also")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)[^)]*\)")
_BARE_URL = re.compile(r"<?(https?://[^\s<>()\]]+)>?")
_MARKUP = re.compile(r"[*_#|>`]+|^\s*[-+]\s+|-{3,}", re.MULTILINE)
# `_MARKUP` tries every position (its branches share no first character); these find in
# one fast scan whether it can match at all, which plain news text usually cannot.
_MARKUP_CHAR = re.compile(r"[*_#|>`]")
_LIST_ITEM = re.compile(r"\n\s*[-+]\s")
_LIST_ITEM_AT_START = re.compile(r"\s*[-+]\s")
_PARA_SPLIT = re.compile(r"\n\s*\n")
_WORD = re.compile(r"[a-z0-9][a-z0-9'’-]*")
# "\b[A-Z]..." with the word boundary checked after the capital, so that the regex engine
# skips to capitals instead of trying the whole pattern at every position.
_CAP_RUN = re.compile(
    r"[A-Z](?<!\w[A-Z])[a-z]+(?:['’-][A-Za-z]+)*(?:\s+[A-Z][a-z]+(?:['’-][A-Za-z]+)*)*"
)
_SOCIAL = (
    "facebook.com",
    "twitter.com",
    "x.com",
    "instagram.com",
    "linkedin.com",
    "whatsapp.com",
    "youtube.com",
)

# "the next meeting", "a further forum", "the previous panel": another meeting than the
# one an article is about ("next week's meeting", "last night's forum" are that one).
_OTHER_MEETING = re.compile(
    r"\b(?:next|following|further|another|previous|earlier|last|future)\s+"
    r"(?!(?:week|weekend|night|month|year|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|morning|evening|afternoon)\b)"
    r"(?:(?!(?:the|a|an|at|of|to|in|on|for|and|is|was|will)\b)[a-z'’-]+\s+){0,3}?"
    r"(?:meeting|panel|forum|surgery|webinar|drop-in|q&a|"
    r"question time|session)s?\b"
)


# ---------------------------------------------------------------- features


@dataclass(slots=True)
class _Mention:
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
class _Features:
    article: Article
    id: str
    day: float
    key: str | None
    """The force the article is about, from names, areas or descriptive forms."""
    named: str | None
    """The same from named forces only: only two *named* forces keep articles apart."""
    mentions: tuple[_Mention, ...]
    topic: StoryKind
    subtype: str | None
    period: str | None
    meeting_cue: bool
    dates: frozenset[int]
    urls: frozenset[str]
    entities: frozenset[str]
    words: frozenset[str]
    norms: float
    paras: frozenset[int]
    kinds: frozenset[str]
    """The kinds of meeting it names ("forum", "question time"), for rule 3."""
    home: frozenset[str]
    """Distinctive words of its feed's name ("Kingsmere Town Council" -> kingsmere): a
    place the article need not write, compared only for meetings (rule 3)."""


def _day(published: datetime | None) -> float:
    if published is None:
        return 0.0
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return (published - _EPOCH).total_seconds() / 86400.0


def _clean(markdown: str) -> tuple[list[str], list[str]]:
    """Paragraphs of plain text (boilerplate dropped) and the links found."""
    urls: list[str] = []
    text = markdown
    if "](" in text:
        text = _IMAGE.sub(" ", text)

    def _link(m: re.Match[str]) -> str:
        urls.append(m.group(2))
        return m.group(1)

    if "](" in text:
        text = _LINK.sub(_link, text)

    def _bare(m: re.Match[str]) -> str:
        urls.append(m.group(1))
        return " "

    if "://" in text:
        text = _BARE_URL.sub(_bare, text)
    if (
        _MARKUP_CHAR.search(text)
        or "---" in text
        or _LIST_ITEM.search(text)
        or _LIST_ITEM_AT_START.match(text)
    ):
        text = _MARKUP.sub(" ", text)
    paras = []
    for raw in _PARA_SPLIT.split(text):
        para = " ".join(raw.split())
        # Boilerplate lines are short; long paragraphs are never dropped for a phrase.
        if para and (para.count(" ") > 60 or not _is_boilerplate(para.lower())):
            paras.append(para)
    return paras, urls


def _is_boilerplate(lowered: str) -> bool:
    return lowered.startswith(_BOILERPLATE_START) or contains_any(lowered, _BOILERPLATE)


_SCHEME = re.compile(r"^https?://(?:www\.)?", re.I)


def _norm_url(url: str) -> str | None:
    url = url.strip().rstrip(".,;:)")
    if url.lower().startswith("mailto:"):
        return None
    url = _SCHEME.sub("", url)
    host, _, rest = url.partition("/")
    host = host.lower()
    if not host or any(host == s or host.endswith("." + s) for s in _SOCIAL):
        return None
    return f"{host}/{rest}".rstrip("/")


def _dates(text: str, lowered: str, pub: date | None) -> frozenset[int]:
    """Ordinal days of the dates `text` mentions (`lowered` is it lowercased), absolute and
    relative, leaving out those of sentences about another meeting ("the next forum will be
    on 8 April") unless they are all it has (a notice of "our next forum" is about that
    one). The text keeps its case: the date reader splits sentences as the meetings list
    does (which needs capitals) and does not read a lowercase "may" as a month."""
    if "next" in lowered or "last" in lowered or "previous" in lowered or "following" in lowered:
        other = _OTHER_MEETING.search(lowered)
        if other is not None:
            kept: list[str] = []
            aside: list[str] = []
            for _, sentence in sentences(text):
                (aside if _OTHER_MEETING.search(sentence.lower()) else kept).append(sentence)
            found = _all_dates("\n".join(kept), pub)
            return found or _all_dates("\n".join(aside), pub)
    return _all_dates(text, pub)


def _all_dates(text: str, pub: date | None) -> frozenset[int]:
    """Ordinal days of every date `text` mentions (`dates.find_dates`) but a bare "today":
    in news copy it is mostly the publication idiom ("said today", "published today"),
    and the publication day would link two notices of one body posted the same day."""
    return frozenset(
        d.value.toordinal()
        for d in find_dates(text, pub)
        if text[d.start : d.end].lower() != "today"
    )


_TOKEN_HASH: dict[str, int] = {}


def _token_hash(token: str) -> int:
    value = _TOKEN_HASH.get(token)
    if value is None:
        value = zlib.crc32(token.encode())
        if len(_TOKEN_HASH) < 500_000:
            _TOKEN_HASH[token] = value
    return value


def _shingles(tokens: list[str]) -> set[int]:
    """Stable hashes of every 5-word window (stable across runs, unlike `hash`)."""
    hashes = [_token_hash(t) for t in tokens]
    out: set[int] = set()
    mask = (1 << 61) - 1
    for i in range(len(hashes) - SHINGLE + 1):
        h = 0
        for value in hashes[i : i + SHINGLE]:
            h = (h * 1_000_003 + value) & mask
        out.add(h)
    return out


def _para_hash(para: str) -> int:
    return _tokens_hash(_WORD.findall(para.lower()))


def _tokens_hash(tokens: list[str]) -> int:
    return zlib.crc32(" ".join(tokens).encode())


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


def _first_type(text: str) -> str | None:
    best: tuple[int, str] | None = None
    for name, pattern in _INSPECTION_TYPES:
        m = pattern.search(text)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), name)
    return best[1] if best else None


def _entities(body: str, excluded: set[str]) -> frozenset[str]:
    """The distinctive word of each run of capitalised words: a surname ("Louise Darby"
    -> "darby"), a place ("Haltonburn Community Centre" -> "haltonburn"). First names
    are left out (they are shared by strangers), and so are a sentence's first word when it
    stands alone (it is capitalised whatever it is), common words and `excluded`."""
    out: set[str] = set()
    for m in _CAP_RUN.finditer(body):
        single, candidates = _run_candidates(m.group())
        if single:
            start = m.start()
            before = body[max(0, start - 2) : start].rstrip()
            if not before or before[-1] in ".!?:;\"“‘'(–—-\n":
                continue
        for word in candidates:
            if word not in excluded:
                out.add(word)
                break
    return frozenset(out)


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
            if word not in _COMMON_CAPS and len(word) > 2:
                found.append(word)
        cached = (len(words) == 1, tuple(found))
        if len(_RUN_CANDIDATES) < 100_000:
            _RUN_CANDIDATES[run] = cached
    return cached


def _featurize(article: Article, exclude: frozenset[int] = frozenset()) -> _Features:
    paras, raw_urls = _clean(article.content or article.summary)
    if exclude:
        paras = [p for p in paras if _para_hash(p) not in exclude]
    # A heading that repeats the title is not part of the body.
    if paras and paras[0].lower() == article.title.strip().lower():
        paras = paras[1:]
    title = " ".join(article.title.split())
    lead = _lead(paras)
    body = "\n\n".join(paras)
    pub = uk_date(article.published) if article.published else None

    mentions: list[_Mention] = []
    for m in scan_mentions(title, headline=True):
        mentions.append(_mention(m, 3.0))
    lead_end = len(lead)
    for m in scan_mentions(body):
        mentions.append(_mention(m, 2.0 if m.start < lead_end else 1.0))
    mentions.extend(_feed_mentions(article.feed))
    key = _primary_key(mentions)
    named = _primary_key([m for m in mentions if not m.area])

    head = f"{title}\n{lead}"
    head_lower = head.lower()
    full = f"{title}\n\n{body}"
    lowered = full.lower()
    if (
        contains_any(head_lower, _INSPECTION_HINTS)
        and _INSPECTION_LEAD.search(head)
        and _INSPECTION_BODY.search(full)
    ):
        topic: StoryKind = "inspection"
    elif _meeting_cue(head_lower):
        topic = "meeting"
    else:
        topic = "other"
    subtype = period = None
    if topic == "inspection":
        subtype = _first_type(title) or _first_type(lead)
        pm = _PERIOD.search(head)
        if pm:
            period = f"{pm.group(1)}-{pm.group(2)}"

    # One tokenising pass per paragraph gives both the paragraph hashes and the words
    # (the separators between title and paragraphs are whitespace, which no token spans).
    para_tokens = [_WORD.findall(p.lower()) for p in paras]
    tokens = set(_WORD.findall(title.lower()))
    for toks in para_tokens:
        tokens.update(toks)
    words = frozenset(t for t in tokens - _STOP_DOMAIN if len(t) > 2)
    excluded_caps = {w.lower() for w in article.feed.split()}
    for mention in mentions:
        if mention.weak:
            continue  # "Brindle police station": Brindle is still a place to compare
        excluded_caps.update(place_of(mention.key).lower().split())
        if mention.name:
            excluded_caps.update(mention.name.lower().split())
        excluded_caps.update(mention.text.lower().split())
    entities = _entities(body, excluded_caps)
    # The title and lead are in the text: a meeting topic implies the cue.
    meeting_cue = topic == "meeting" or _meeting_cue(lowered)
    urls = frozenset(u for u in (_norm_url(x) for x in raw_urls) if u)
    return _Features(
        article=article,
        id=article.id,
        day=_day(article.published),
        key=key,
        named=named,
        mentions=tuple(mentions),
        topic=topic,
        subtype=subtype,
        period=period,
        meeting_cue=meeting_cue,
        # Only rule 3 compares dates, and only for articles that talk about a meeting.
        dates=_dates(full, lowered, pub) if meeting_cue else frozenset(),
        urls=urls,
        entities=entities,
        words=words,
        norms=math.sqrt(len(words)) or 1.0,
        paras=frozenset(_tokens_hash(toks) for toks in para_tokens),
        kinds=_meeting_kinds(lowered) if meeting_cue else frozenset(),
        home=_feed_home(article.feed) if meeting_cue else frozenset(),
    )


def _meeting_kinds(lowered: str) -> frozenset[str]:
    return frozenset(m.group().rstrip("s") for m in _MEETING.finditer(lowered))


# Words of outlets' and organisations' names that are not places.
_FEED_WORDS = _words(
    """
    echo post times news gazette herald chronicle advertiser mercury star standard observer
    journal courier mail express telegraph bulletin ledger press voice radio tv live online
    weekly daily evening morning sunday council town parish borough district city county
    office newsroom media group the of and for pcc police crime commissioner constabulary
    force service press-office newsdesk nub mirror argus recorder guardian sentinel leader
    reporter review record free observer citizen messenger packet examiner wire
    """
)


@lru_cache(maxsize=4096)
def _feed_home(feed: str) -> frozenset[str]:
    """A feed name's distinctive words: usually the town or area it serves."""
    out = set()
    for word in _WORD.findall(feed.lower()):
        if word.endswith(("'s", "’s")):
            word = word[:-2]
        if len(word) > 2 and word not in _COMMON_CAPS and word not in _FEED_WORDS:
            out.add(word)
    return frozenset(out)


@lru_cache(maxsize=4096)
def _feed_mentions(feed: str) -> tuple[_Mention, ...]:
    """A feed's own name often names the force ("Wolds Constabulary News") or its area
    ("Office of the Wolds PCC"); feeds repeat, so this is cached."""
    return tuple(_mention(m, 1.0) for m in scan_mentions(feed))


def _mention(m: ForceMention, weight: float) -> _Mention:
    weak = m.role == "force" and m.name is None
    area = m.role == "area" or weak
    name = None if area else m.name
    return _Mention(m.key, name, weight * (0.5 if area else 1.0), area, m.text, weak)


def _primary_key(mentions: Sequence[_Mention]) -> str | None:
    """The force an article is about: heaviest named force, else heaviest area."""
    for areas in (False, True):
        weights: dict[str, float] = {}
        for m in mentions:
            if m.area == areas:
                weights[m.key] = weights.get(m.key, 0.0) + m.weight
        if weights:
            return max(sorted(weights), key=lambda k: weights[k])
    return None


# ---------------------------------------------------------------- pairs


_FULL_SHINGLES: dict[tuple[str, frozenset[int]], set[int]] = {}
"""Text and excluded paragraph hashes -> shingles; cleared when it grows past 2,048."""


def _full_shingles(article: Article, exclude: frozenset[int]) -> set[int]:
    """All shingles of an article (the index keeps a sample); a small cache, because a
    near-copy check is needed for few pairs but an article may be in several. Keyed by
    the text, not the article id: an edited article must not reuse its old shingles."""
    key = (article.text, exclude)
    cached = _FULL_SHINGLES.get(key)
    if cached is None:
        paras, _ = _clean(article.text)
        text = " ".join(p for p in paras if _para_hash(p) not in exclude)
        cached = _shingles(_WORD.findall(text.lower()))
        if len(_FULL_SHINGLES) > 2048:
            _FULL_SHINGLES.clear()
        _FULL_SHINGLES[key] = cached
    return cached


def _containment(a: Article, b: Article, exclude: frozenset[int]) -> float:
    sa, sb = _full_shingles(a, exclude), _full_shingles(b, exclude)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / min(len(sa), len(sb))


def _link_score(a: _Features, b: _Features) -> float | None:
    """Link strength between two articles, or None; a pure function of the pair."""
    if a.named is not None and b.named is not None and a.named != b.named:
        return None
    dt = abs(a.day - b.day)
    if dt > WINDOW_DAYS:
        return None
    if (
        dt > max(COPY_DAYS, OTHER_DAYS)
        and not (a.topic == "inspection" and b.topic == "inspection")
        and not (a.meeting_cue and b.meeting_cue)
    ):
        return None  # past rules 1 and 4's windows, and neither rule 2 nor 3 can apply
    shared = a.paras & b.paras if a.article.feed == b.article.feed else frozenset()
    # 1. near copy: the same wording *and* the same people and places (police appeals
    # share a template: "officers are keen to hear from anyone with information")
    cosine = len(a.words & b.words) / (a.norms * b.norms)
    if dt <= COPY_DAYS and cosine >= COPY_PREFILTER and _same_entities(a, b):
        containment = _containment(a.article, b.article, shared)
        if containment >= COPY_CONTAINMENT:
            return 3.0 + containment
    score = _event_score(a, b, dt, cosine)
    if score is not None and shared:
        # Same outlet: judge again without the lines they share word for word (its
        # recurring lines), which must not make two of its articles one story.
        score = _event_score(_featurize(a.article, shared), _featurize(b.article, shared), dt)
    return score


def _same_entities(a: _Features, b: _Features) -> bool:
    """True when every entity of the article with fewer is in the other, allowing short
    forms and one-letter typos ("Rob" for "Robert"): a copy drops names but adds none,
    while a templated release for another town differs exactly in its names."""
    small, large = (
        (a.entities, b.entities) if len(a.entities) <= len(b.entities) else (b.entities, a.entities)
    )
    for e in small - large:
        for f in large:
            # `_variant` inlined for its common cases (this runs for many candidate pairs)
            if f.startswith(e) or e.startswith(f):
                break  # entities have three letters or more (see `_entities`)
            if abs(len(e) - len(f)) <= 1 and _variant(e, f):
                break
        else:
            return False
    return True


def _variant(a: str, b: str) -> bool:
    # Entities have three letters or more (see `_entities`).
    if a.startswith(b) or b.startswith(a):
        return len(a) >= 3 and len(b) >= 3
    if abs(len(a) - len(b)) > 1 or min(len(a), len(b)) < 5:
        return False
    # one edit apart
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)) :] == b[i + 1 :]


def _event_score(
    a: _Features, b: _Features, dt: float, cosine: float | None = None
) -> float | None:
    """Rules 2-4 of the module docstring."""
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
        and a.dates & b.dates
        and _same_meeting(a, b)
    ):
        return 2.0 + cosine
    # 4. same event, by people, places and words (inspections and meetings have their
    # own rules: a PCC's notices of two meetings share a template and their names)
    if (
        dt <= OTHER_DAYS
        and a.topic == "other"
        and b.topic == "other"
        and len(a.entities & b.entities) >= OTHER_ENTITIES
        and cosine >= OTHER_COSINE
    ):
        return 1.0 + cosine
    return None


def _same_meeting(a: _Features, b: _Features) -> bool:
    """Rule 3's anchor, for two articles about a meeting on the same date."""
    same_force = a.key is not None and a.key == b.key
    return bool(
        a.urls & b.urls
        or len(a.entities & b.entities) >= OTHER_ENTITIES
        or ((a.kinds & b.kinds or same_force) and _same_place(a, b))
        # the force's own notice naming no place or person has nothing to differ by
        or (same_force and not (a.entities and b.entities))
    )


def _same_place(a: _Features, b: _Features) -> bool:
    """Whether they share a place or a person, a feed's own town included ("Kingsmere
    Town Council"'s notice and a paper's preview in Kingsmere); two articles of outlets
    named after one town do not share it merely by their names."""
    shared = (a.entities | a.home) & (b.entities | b.home)
    return bool(shared - (a.home & b.home))


def _index_keys(f: _Features) -> list[tuple[str, str]]:
    keys: list[tuple[str, str]] = []
    if f.key is not None and f.topic == "inspection":
        keys.append(("i", f.key))
    if f.meeting_cue and f.dates:
        if f.key is not None:
            keys.append(("m", f.key))
        # Its feed's town, as an entity: `_same_place` compares it with the others'.
        keys.extend(("e", h) for h in f.home if h not in f.entities)
    keys.extend(("u", u) for u in f.urls)
    keys.extend(("e", e) for e in f.entities)
    return keys


# ---------------------------------------------------------------- clusters


@dataclass(slots=True)
class _Cluster:
    members: list[int]
    keys: set[str]
    subtypes: set[str]
    periods: set[str]
    first: float
    last: float

    def can_merge(self, other: _Cluster) -> bool:
        return (
            len(self.keys | other.keys) <= 1
            and len(self.subtypes | other.subtypes) <= 1
            and len(self.periods | other.periods) <= 1
            and max(self.last, other.last) - min(self.first, other.first) <= SPAN_DAYS
        )

    def merge(self, other: _Cluster) -> None:
        self.members.extend(other.members)
        self.keys |= other.keys
        self.subtypes |= other.subtypes
        self.periods |= other.periods
        self.first = min(self.first, other.first)
        self.last = max(self.last, other.last)


def story_id(article_id: str) -> str:
    """A story's id: derived from its earliest article's id, so it survives refreshes."""
    return hashlib.blake2b(f"story\x1f{article_id}".encode(), digest_size=8).hexdigest()


def article_day(article: Article) -> float:
    """An article's time in days since 1970 (UTC), 0 when undated: the time axis of every
    window here. A caller restoring a grouper picks the stories with an article within
    `WINDOW_DAYS` before the earliest new article's day."""
    return _day(article.published)


def _sort_key(f: _Features) -> tuple[float, str]:
    # Article.id hashes on every access: the features keep it.
    return (f.day, f.id)


class StoryGrouper:
    """Articles grouped into stories, kept up to date as articles arrive.

    `add` links the new articles to their candidates and re-clusters only the connected
    components they touch, so `group_articles(all)` and `add` in batches agree exactly.
    `restore` rebuilds a grouper from persisted `article id -> story id` assignments
    without regrouping the history: old links are computed lazily, only when a new
    article reaches their component.
    """

    def __init__(self) -> None:
        self._feats: list[_Features] = []
        self._by_id: dict[str, int] = {}
        self._index: dict[tuple[str, str, int], list[int]] = {}
        self._adj: list[dict[int, float]] = []
        self._known: list[bool] = []
        self._story_of: dict[int, str] = {}
        self._members: dict[str, list[int]] = {}
        self._cache: dict[str, Story] = {}
        # Logical times of each article's insertion and of its `_link` (-1 before it):
        # `_link` skips pairs that the other article's `_link` already judged.
        self._clock = 0
        self._born: list[int] = []
        self._linked: list[int] = []

    # ---------------------------------------------------------- public

    @classmethod
    def restore(cls, articles: Iterable[Article], assignments: dict[str, str]) -> StoryGrouper:
        """A grouper holding `articles` grouped as `assignments` says (article id -> story
        id, as saved by the store); articles without an assignment are grouped anew.

        Every article given is featurized: pass whole stories, only those with an
        article within `WINDOW_DAYS` (see `article_day`) before the new articles."""
        batch = list(articles)
        with _collector_paused(len(batch)):
            return cls._restore(batch, assignments)

    @classmethod
    def _restore(cls, articles: list[Article], assignments: dict[str, str]) -> StoryGrouper:
        grouper = cls()
        fresh: list[Article] = []
        groups: dict[str, list[int]] = {}
        for article in articles:
            if article.id in grouper._by_id:
                continue
            if article.id not in assignments:
                fresh.append(article)
                continue
            idx = grouper._insert(article, known=False)
            groups.setdefault(assignments[article.id], []).append(idx)
        for members in groups.values():
            grouper._set_story(members)
        if fresh:
            grouper.add(fresh)
        return grouper

    def add(self, articles: Iterable[Article]) -> set[str]:
        """Group new articles; returns the ids of stories that changed, including ids that
        no longer exist because their stories merged or split. An article the grouper
        already holds is left as it is, even if its text changed: an article keeps its
        story (the store's policy, see `storyindex`)."""
        batch = list(articles)
        with _collector_paused(len(batch)):
            return self._add(batch)

    def _add(self, articles: list[Article]) -> set[str]:
        new: list[int] = []
        for article in articles:
            if article.id not in self._by_id:
                new.append(self._insert(article, known=True))
        for idx in new:
            self._link(idx)
        changed: set[str] = set()
        done: set[int] = set()
        for seed in new:
            if seed in done:
                continue
            component = self._component(seed)
            done.update(component)
            changed |= self._recluster(component)
        return changed

    def stories(self) -> list[Story]:
        """Every story, newest first (by latest article), ties by id."""
        out = [self._story(sid) for sid in self._members]
        out.sort(key=lambda s: (-_day(s.articles[-1].published), s.id))
        return out

    def story(self, sid: str) -> Story | None:
        return self._story(sid) if sid in self._members else None

    def assignments(self) -> dict[str, str]:
        """article id -> story id, for the store to persist."""
        feats = self._feats
        return {feats[idx].id: sid for idx, sid in self._story_of.items()}

    def __len__(self) -> int:
        return len(self._by_id)

    # ---------------------------------------------------------- internals

    def _insert(self, article: Article, known: bool) -> int:
        feats = _featurize(article)
        idx = len(self._feats)
        self._feats.append(feats)
        self._adj.append({})
        self._known.append(known)
        self._clock += 1
        self._born.append(self._clock)
        self._linked.append(-1)
        self._by_id[feats.id] = idx
        bucket = int(feats.day // WINDOW_DAYS)
        for kind, value in _index_keys(feats):
            self._index.setdefault((kind, value, bucket), []).append(idx)
        return idx

    def _f(self, idx: int) -> _Features:
        return self._feats[idx]

    def _link(self, idx: int) -> None:
        feats = self._f(idx)
        adj = self._adj[idx]
        day = feats.day
        born = self._born[idx]
        size = len(feats.entities)
        bucket = int(day // WINDOW_DAYS)
        index = self._index
        candidates: set[int] = set()
        for kind, value in _index_keys(feats):
            for b in (bucket - 1, bucket, bucket + 1):
                found = index.get((kind, value, b))
                if found:
                    candidates.update(found)
        candidates.discard(idx)
        for j in candidates:
            other = self._feats[j]
            if j in adj or abs(other.day - day) > WINDOW_DAYS:
                continue
            if self._linked[j] > born and (
                len(other.entities) != size or abs(other.day - day) > COPY_DAYS
            ):
                # `_link(j)` already judged this pair (candidates are symmetric) and found
                # no link. The score is symmetric but for the near-copy rule's entity check
                # when both have as many entities (see `_same_entities`): only then can
                # this way round differ, so only then is the pair judged again.
                continue
            score = _link_score(feats, other)
            if score is not None:
                self._adj[idx][j] = score
                self._adj[j][idx] = score
        self._clock += 1
        self._linked[idx] = self._clock

    def _component(self, seed: int) -> list[int]:
        seen = {seed}
        stack = [seed]
        while stack:
            idx = stack.pop()
            if not self._known[idx]:
                self._known[idx] = True
                self._link(idx)
            for j in self._adj[idx]:
                if j not in seen:
                    seen.add(j)
                    stack.append(j)
        return sorted(seen)

    def _recluster(self, component: list[int]) -> set[str]:
        if len(component) == 1 and component[0] not in self._story_of:
            # A new article linked to nothing (most of them): its own story, which is
            # what the general path below gives, without its bookkeeping.
            return {self._set_story(component)}
        before = {idx: self._story_of.get(idx) for idx in component}
        clusters: dict[int, _Cluster] = {}
        owner: dict[int, int] = {}
        for idx in component:
            f = self._f(idx)
            clusters[idx] = _Cluster(
                [idx],
                {f.named} if f.named else set(),
                {f.subtype} if f.subtype else set(),
                {f.period} if f.period else set(),
                f.day,
                f.day,
            )
            owner[idx] = idx
        heap: list[tuple[float, str, str, int, int]] = []
        for i in component:
            for j, score in self._adj[i].items():
                if i < j:
                    a, b = sorted((self._f(i).id, self._f(j).id))
                    heappush(heap, (-score, a, b, i, j))
        while heap:
            _, _, _, i, j = heappop(heap)
            ri, rj = owner[i], owner[j]
            if ri == rj or not clusters[ri].can_merge(clusters[rj]):
                continue
            if len(clusters[ri].members) < len(clusters[rj].members):
                ri, rj = rj, ri
            for m in clusters[rj].members:
                owner[m] = ri
            clusters[ri].merge(clusters.pop(rj))
        old_ids = {sid for sid in before.values() if sid is not None}
        old_members = {sid: list(self._members.get(sid, [])) for sid in old_ids}
        comp = set(component)
        for sid in old_ids:
            self._members.pop(sid, None)
            self._cache.pop(sid, None)
        for idx in component:
            self._story_of.pop(idx, None)
        new_ids: set[str] = set()
        for cluster in clusters.values():
            new_ids.add(self._set_story(cluster.members))
        # Members of old stories outside the component (restored groupings) stay together.
        for members in old_members.values():
            rest = [m for m in members if m not in comp]
            if rest:
                new_ids.add(self._set_story(rest))
        changed: set[str] = set()
        for sid in old_ids | new_ids:
            if sorted(old_members.get(sid, [])) != sorted(self._members.get(sid, [])):
                changed.add(sid)
        return changed

    def _set_story(self, members: list[int]) -> str:
        earliest = min(members, key=lambda m: _sort_key(self._f(m)))
        sid = story_id(self._f(earliest).id)
        existing = self._members.get(sid)
        if existing is not None:
            members = sorted(set(existing) | set(members))
        self._members[sid] = sorted(members)
        for m in members:
            self._story_of[m] = sid
        self._cache.pop(sid, None)
        return sid

    def _story(self, sid: str) -> Story:
        cached = self._cache.get(sid)
        if cached is None:
            feats = sorted((self._f(m) for m in self._members[sid]), key=_sort_key)
            cached = _build_story(sid, feats)
            self._cache[sid] = cached
        return cached


# ---------------------------------------------------------------- stories


def _build_story(sid: str, feats: list[_Features]) -> Story:
    topics = {f.topic for f in feats}
    kind: StoryKind = (
        "inspection" if "inspection" in topics else "meeting" if "meeting" in topics else "other"
    )
    force = _story_force(feats)
    return Story(
        id=sid,
        title=_story_title(feats, kind, force),
        kind=kind,
        force=force,
        articles=tuple(f.article for f in feats),
    )


def _story_force(feats: Sequence[_Features]) -> str | None:
    """The heaviest force over the story, by its official or fullest written name."""
    mentions = [m for f in feats for m in f.mentions]
    key = feats[0].key if len(feats) == 1 else _primary_key(mentions)
    if key is None:
        return None
    names: dict[str, int] = {}
    for m in mentions:
        if m.key == key and m.name:
            names[m.name] = names.get(m.name, 0) + 1
    if not names:
        return None
    return max(sorted(names), key=lambda n: (names[n], len(n)))


_GENERIC_TITLE = re.compile(
    r"^(?:statement|update|response|press release|news|notice)\b|\bresponds?\b|\bwelcomes?\b",
    re.IGNORECASE,
)
_GRADE_WORD = re.compile(
    r"\b(?:outstanding|good|adequate|inadequate|requires? improvement|improve)\b", re.I
)


def _story_title(feats: Sequence[_Features], kind: StoryKind, force: str | None) -> str:
    """The most informative headline: names the force, says what happened, is specific."""
    place = place_of(force).lower() if force else None

    def score(f: _Features) -> float:
        title = f.article.title
        lowered = title.lower()
        words = {w for w in _WORD.findall(lowered) if w not in _STOP}
        value = min(len(words), 10) * 0.5
        if place and place in lowered:
            value += 3
        if kind == "inspection" and _GRADE_WORD.search(title):
            value += 2
        if kind == "meeting" and _MEETING.search(lowered):
            value += 1
        if _GENERIC_TITLE.search(title):
            value -= 3
        if title.isupper():
            value -= 2
        return value

    if len(feats) == 1:
        return feats[0].article.title
    best = max(feats, key=lambda f: (score(f), -f.day))
    return best.article.title


def group_articles(articles: Sequence[Article]) -> list[Story]:
    """Every article in exactly one story; newest story first, articles oldest first."""
    grouper = StoryGrouper()
    grouper.add(articles)
    with _collector_paused(len(articles)):
        return grouper.stories()


GC_PAUSE_BATCH = 1000
"""Batches at least this large run with the cyclic garbage collector paused."""


@contextmanager
def _collector_paused(size: int) -> Iterator[None]:
    """Pause Python's cyclic collector during a large batch. Grouping allocates a few
    long-lived containers per article (features, sets, index lists), and each time their
    number grows the collector rescans all of them: measured, 10-15 % of a 10,000-article
    grouping. Nothing here makes reference cycles that need it, and it runs again (with
    its usual thresholds) as soon as the batch ends."""
    if size < GC_PAUSE_BATCH or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
