"""Dates in article text: the one reader that grouping, meetings and grades share.

Local news writes dates loosely, and the same words must mean the same day whichever
module reads them: grouping compares the days two articles mention, meetings lists them,
grades tells an earlier report from this one. This module knows the month and weekday
names, the written forms, the tense cues and how a date without a year gets one.

**Forms** (`find_dates`, matched on a lowercased copy, offsets kept):

- day-month: "3 December", "3rd of Dec.", "the 3rd of December, 2024";
- month-day: "December 3", "Dec 3rd, 2024";
- numeric, day first (UK order): "3/12/2024", "03.12.24", "3-12-2024"; the separator
  must repeat, so a time ("7.30") or a period ("2023/24") is not a date;
- ISO: "2024-12-03";
- "may" and "march" are months only when written with a capital ("20 May", not "up to
  20 may attend" or "some 40 march"), here and in `find_months`; the case is read in the
  text given, so callers pass it with its case;
- relative words, against the publication day: "yesterday" and "last night" (the day
  before), "today", "tonight", "this evening", "this afternoon", "tomorrow";
- "next / coming / last / this <weekday>": next and coming are the first such day after
  publication (a week on when it is that day), last the latest before it, this the
  first on or after it, or in a past sentence the latest on or before it ("the meeting
  held this Monday heard");
- a bare weekday, "on Thursday" or "Thursday evening" (not followed by a date): the
  tense of its sentence says which way to look, the publication day included both ways
  (a write-up posted late on the day, a notice posted that morning); no tense, no date.

A weekday written before an absolute date ("Monday 3 March", "Tue, March 4") is kept
in `DateMention.weekday`, so a caller can flag one that contradicts the date. When two
forms overlap, the first in the order above wins, and a relative form never overlaps an
absolute one ("on Monday 3 March" is one date).

**Tense** (`tense`): a sentence looks ahead when it has a future cue ("will", "is due",
"invited", "can", "book", "takes place", "scheduled", ...), back when it has a past one
("was", "held", "met", "told", "raised", or any regular past tense: "packed", but not a
participle after "be": "will be held"), "mixed" when it has both ("the meeting heard
that the focus is on knife crime", "he said he will recruit"), else neither. Words in
quotation marks are left out when the words around them have a cue: 'At the meeting
Insp. Jones said: "We will keep listening."' is about a past meeting. Sentences are
`text.prose.sentences`', the meetings list's (closing quotes, abbreviations, initials).

**Year resolution** (`resolve_year`): a day and month written without a year get one
from the publication day (UK local time, `uk_date`) and the tense of their sentence.

- past: the latest such day on or before publication plus `GRACE_DAYS` (a write-up in
  January of "the meeting on 2 December" means last December), unless that is more than
  `PAST_HORIZON_DAYS` back: then it is read forward as below. Past wording often
  announces what is to come ("the commissioner announced a meeting on 5 March"), and a
  date half a year back is nearly always written with its year.
- future, and no tense: the first such day on or after publication minus `GRACE_DAYS`
  (a notice published a few days late still means this year's date).
- mixed: whichever of those two readings is nearer publication. Reported speech ("said
  he will") and notices that look back ("those who attended are invited") both mix
  cues, and the date they mean is nearly always within half a year either way.

A weekday has no such margin (both readings are within a week, and the nearer one says
nothing), so in a mixed sentence a bare weekday follows the future cue.

A written year is never changed, and an impossible date ("31 June", "29/02/2023") is not
a date. Without a publication day, only dates that carry their year are read.

**Months** (`find_months`, `month_year`): "in March", "since June 2024" name a month as
a time; a month without its year is the latest one on or before publication (for the
past), the next one on or after it (for the future), or the nearer of the two (mixed).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from heraldtui.core.text.prose import sentences

Tense = Literal["future", "past", "mixed"]
"""What a sentence's wording says about its dates ("mixed": both kinds of cue); None where
it says neither."""
Relation = Literal["next", "last", "this"]
"""How a weekday is tied to the publication day: "next Tuesday", "last Tuesday"."""
Form = Literal["iso", "day-month", "month-day", "numeric", "relative", "weekday"]

GRACE_DAYS = 7
"""Slack around the publication day when a year is chosen: notices posted late, write-ups
posted early, and publication times that are the feed's update time."""
PAST_HORIZON_DAYS = 183
"""How far back a past-tense date without a year may be read (see the module docstring)."""


@dataclass(frozen=True, slots=True)
class DateMention:
    """One date a text mentions, resolved to a calendar day.

    `start`/`end` are offsets into the text given (a weekday written before the date
    included); `weekday` is that written weekday (Monday = 0), if any; `year_given` is
    True when the text wrote the year (ISO, numeric, "3 March 2024").
    """

    value: date
    start: int
    end: int
    form: Form
    weekday: int | None = None
    year_given: bool = False


@dataclass(frozen=True, slots=True)
class MonthMention:
    """A month named as a time ("in March", "since June 2024"), its year if written."""

    month: int
    year: int | None
    start: int
    end: int


# ---------------------------------------------------------------- names

MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTH_PATTERN = "|".join(MONTH_NAMES)
"""The full month names as a regex alternation (no group), for callers' own patterns."""

_MONTH_ABBREVIATIONS = {"sept": 9, "sep": 9}
_MONTHS = {
    **{name: n for n, name in enumerate(MONTH_NAMES, start=1)},
    **{name[:3]: n for n, name in enumerate(MONTH_NAMES, start=1)},
    **_MONTH_ABBREVIATIONS,
}
_MONTH_STEMS = tuple(name[:3] for name in MONTH_NAMES)
"""No month form can match without one of these: a few substring scans skip the search."""
_WEEKDAYS = {name: n for n, name in enumerate(WEEKDAY_NAMES)}
_WEEKDAYS_BY_STEM = {name[:3]: n for n, name in enumerate(WEEKDAY_NAMES)}


# ---------------------------------------------------------------- patterns

# All matched on lowercased text: no IGNORECASE, which is slow on alternations. Patterns
# that would try every position of an article are written to start with a digit (the
# word boundary checked behind it), so the engine skips to digits.
_MONTH_RE = (
    r"(january|february|march|april|may|june|july|august|september|sept|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)"
)
_YEAR_RE = r"((?:19|20)\d\d)(?!\d)"
_DAY_MONTH = re.compile(
    rf"(\d(?<!\w\d)\d?)(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_RE}\b\.?(?:,?\s+{_YEAR_RE})?"
)


class _AtWords:
    """A pattern on lowercased text that starts with a word boundary and one of `words`,
    found by a search that skips to those words at a word's start (the boundary checked
    behind the first letter) and tries the pattern only there: the pattern itself gives
    the engine no character to skip to, so it would be tried at every position. The same
    matches as `re.finditer` (a match starts at such a word, and none is empty)."""

    __slots__ = ("_finder", "pattern")

    def __init__(self, pattern: str, words: Sequence[str]) -> None:
        self.pattern = re.compile(pattern)
        self._finder = re.compile(
            "|".join(rf"{re.escape(w[0])}(?<!\w{re.escape(w[0])}){re.escape(w[1:])}" for w in words)
        )

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        end = 0
        for hit in self._finder.finditer(text):
            start = hit.start()
            if start >= end and (m := self.pattern.match(text, start)) is not None:
                end = m.end()
                yield m


_MONTH_DAY = _AtWords(
    rf"\b{_MONTH_RE}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+{_YEAR_RE})?", _MONTH_STEMS
)
_NUMERIC = re.compile(r"(\d(?<![\w.,/-]\d)\d?)([/.-])(\d\d?)\2(\d{4}|\d\d)(?![\d/.-]\d)")
_ISO = re.compile(r"(2\d\d\d(?<![\w.,/-]2\d\d\d))-(\d\d)-(\d\d)(?!\d)")
_WEEKDAY_ABBR = (
    r"(monday|mon|tuesday|tues|tue|wednesday|weds|wed|thursday|thurs|thur|thu|friday|fri|"
    r"saturday|sat|sunday|sun)"
)
_BEFORE_DATE = re.compile(rf"(?:(?<![a-z]){_WEEKDAY_ABBR}\.?,?\s+)?(?:the\s+)?$")
"""What may stand before an absolute date and belongs to it: "Monday, the " (in a short
slice of text that ends where the date starts)."""
_BEFORE_DATE_SPAN = 20
_WEEKDAY_RE = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_RELATIVE = _AtWords(
    rf"\b(?:(next|coming|last|this)\s+{_WEEKDAY_RE}|"
    r"(last\s+night|yesterday|tonight|today|tomorrow|this\s+evening|this\s+afternoon))\b",
    ("next", "coming", "last", "this", "yesterday", "tonight", "today", "tomorrow"),
)
_SHIFTS = {
    "last night": -1,
    "yesterday": -1,
    "today": 0,
    "tonight": 0,
    "this evening": 0,
    "this afternoon": 0,
    "tomorrow": 1,
}
_RELATIVE_STEMS = ("day", "night", "tomorrow", "evening", "afternoon")
"""Every relative form holds one of these ("yesterday", "tonight", "next tuesday")."""
_NOT_AFTER = r"(?<!next )(?<!coming )(?<!last )(?<!this )"
_BARE_WEEKDAY = _AtWords(
    rf"\b(?:{_NOT_AFTER}on\s+{_WEEKDAY_RE}|{_NOT_AFTER}{_WEEKDAY_RE}"
    r"(?=\s+(?:morning|afternoon|evening|night)))\b"
    r"(?!,?\s+(?:the\s+)?\d)(?!,?\s+(?:morning|afternoon|evening|night)?,?\s*\d)",
    ("on", *WEEKDAY_NAMES),
)
"""A weekday on its own ("on Thursday night", "Tuesday evening's meeting"); one followed
by a day number is part of an absolute date."""
_FUTURE = re.compile(
    r"\b(?:will|won't|shall|going\s+to|is\s+to|are\s+to|set\s+to|due\s+to|is\s+due|"
    r"invited|invites|inviting|invitation|can|upcoming|forthcoming|ahead\s+of|book|booking|"
    r"booked|register|takes\s+place|take\s+place|taking\s+place|to\s+be\s+held|"
    r"is\s+being\s+held|are\s+being\s+held|is\s+on|are\s+on|starts|begins|runs\s+from|meets|"
    r"is\s+meeting|scheduled|planned)\b|['’]ll\b"
)
_PAST = re.compile(
    r"\b(?<!\bbe )(?<!\bbeing )(?:was|were|had|did|went|came|heard|told|said|gave|held|met|"
    r"spoke|took|saw|attended|drew|raised|discussed|asked|answered|questioned|agreed|voted|"
    r"has\s+been|have\s+been|[a-z]{2,}[^\We]ed)\b"
)
"""The last branch is any regular past tense ("packed the hall"), not "speed" or "need";
a participle after "be" is no past ("will be held", "it'll be streamed")."""
_QUOTED = re.compile(r'"[^"\n]*"|“[^“”\n]*”|‘[^‘\n]*?’(?!\w)')
"""A quoted passage inside one sentence; a curly closing mark before a letter is an
apostrophe ("won’t"), and an unclosed mark quotes nothing."""
_WORD_MONTHS = ("may", "march")
"""Month names that are also everyday words ("20 may attend", "aged 21 may face", "on the
march"): read as a month only when written with a capital, as a month always is. The
abbreviation "Mar" is not one: "mar" as a verb does not follow a day number."""
_IN_MONTH = re.compile(rf"\b(?:in|since)\s+({MONTH_PATTERN})\b(?:\s+((?:19|20)\d\d)\b)?")


def _is_month(text: str, m: re.Match[str], group: int) -> bool:
    """Whether the month word of a match in the lowercased copy of `text` is a month: not
    a lowercase "may" or "march" in `text` itself (the copy keeps offsets)."""
    return m.group(group) not in _WORD_MONTHS or text[m.start(group)].isupper()


def _lower(text: str) -> str:
    """The text lowercased with its offsets kept."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lowercase is longer ("İ") stays
        lowered = "".join(c if len(low := c.lower()) != 1 else low for c in text)
    return lowered


# ---------------------------------------------------------------- resolution

try:
    _LONDON: ZoneInfo | None = ZoneInfo("Europe/London")
except ZoneInfoNotFoundError:  # pragma: no cover - no tz database on this system
    _LONDON = None


def uk_date(moment: datetime) -> date:
    """The calendar day in the UK at a moment (BST from the last Sunday of March); a naive
    moment is taken as UTC. Relative words are read against this day."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if _LONDON is not None:
        return moment.astimezone(_LONDON).date()
    utc = moment.astimezone(UTC)
    year = utc.year

    def last_sunday(month: int) -> datetime:
        day = datetime(year, month + 1, 1, 1, tzinfo=UTC) - timedelta(days=1)
        return day - timedelta(days=(day.weekday() + 1) % 7)

    summer = last_sunday(3) <= utc < last_sunday(10)
    return (utc + timedelta(hours=1 if summer else 0)).date()


def tense(sentence: str) -> Tense | None:
    """Whether a sentence looks ahead ("will", "invited"), back ("was", "packed"), both
    ("mixed": "said he will recruit") or neither. Quoted words are left out when the words
    around them have a cue: in 'At the meeting Insp. Jones said: "We will act."' the
    meeting is past whatever the quote promises."""
    lowered = _lower(sentence)
    if '"' in lowered or "“" in lowered or "‘" in lowered:
        outside = _QUOTED.sub(" ", lowered)
        if outside != lowered:
            found = _cues(outside)
            if found is not None:
                return found
    return _cues(lowered)


def _cues(lowered: str) -> Tense | None:
    if _FUTURE.search(lowered) is None:
        return "past" if _PAST.search(lowered) else None
    # A future cue is not also a past one: "invited", "booked", "scheduled".
    return "mixed" if _PAST.search(_FUTURE.sub(" ", lowered)) else "future"


_YEAR_AHEAD = timedelta(days=366)


def resolve_year(month: int, day: int, published: date, when: Tense | None) -> date | None:
    """The day a year-less "`day` `month`" means in a sentence of tense `when` published
    on `published` (see the module docstring), or None when no such day exists near it."""
    candidates: list[date] = []
    for year in (published.year - 1, published.year, published.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    back: date | None = None
    if when == "past" or when == "mixed":
        latest = published + timedelta(days=GRACE_DAYS)
        before = [c for c in candidates if c <= latest]
        if before and (published - before[-1]).days <= PAST_HORIZON_DAYS:
            back = before[-1]
            if when == "past":
                return back
    earliest = published - timedelta(days=GRACE_DAYS)
    # No later than a year ahead: a 29 February can be over a year away, which is no
    # reading of a date written without its year.
    ahead = next((c for c in candidates if earliest <= c <= published + _YEAR_AHEAD), None)
    if back is not None and (ahead is None or published - back <= ahead - published):
        return back  # mixed: the nearer of the two readings
    return ahead


def resolve_weekday(
    weekday: int, published: date, relation: Relation | None, when: Tense | None = None
) -> date | None:
    """The day a weekday (Monday = 0) means: "next"/"last" skip the publication day,
    "this" and a bare weekday include it; both look back in a past sentence and ahead
    otherwise (a mixed one too), but a bare weekday without a tense is no date."""
    ahead = (weekday - published.weekday()) % 7
    back = (published.weekday() - weekday) % 7
    if relation == "next":
        return published + timedelta(days=ahead or 7)
    if relation == "last":
        return published - timedelta(days=back or 7)
    if when == "past":  # "the meeting held this Monday", "residents met on Monday"
        return published - timedelta(days=back)
    if relation == "this" or when is not None:
        return published + timedelta(days=ahead)
    return None


def month_year(month: int, published: date, when: Tense = "past") -> int:
    """The year of a month named without one: the latest such month on or before
    publication for the past, the next on or after it for the future."""
    back = published.year if month <= published.month else published.year - 1
    ahead = published.year if month >= published.month else published.year + 1
    if when == "mixed":  # the nearer of the two (the same month: this one)
        months_back = (published.month - month) % 12
        return back if months_back <= 6 else ahead
    return back if when == "past" else ahead


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


# ---------------------------------------------------------------- finding


def mentions_date(text: str) -> bool:
    """Whether a text writes an absolute date (any form but the relative ones), whatever
    its year: a cheap test for a line that gives a date."""
    lowered = _lower(text)
    if contains_any(lowered, _MONTH_STEMS):
        for pattern, group in ((_DAY_MONTH, 2), (_MONTH_DAY, 1)):
            for m in pattern.finditer(lowered):
                if _is_month(text, m, group):
                    return True
    return bool(_NUMERIC.search(lowered) or ("-" in lowered and _ISO.search(lowered)))


def find_dates(text: str, published: date | None) -> list[DateMention]:
    """Every date `text` mentions, resolved, without overlaps, in order of appearance.

    `published` is the publication day in UK local time (`uk_date`); without it only the
    dates that write their year are read.
    """
    lowered = _lower(text)
    found: list[DateMention] = []
    for mention in _candidates(text, lowered, published):
        for other in found:
            if other.start < mention.end and mention.start < other.end:
                break
        else:
            found.append(mention)
    found.sort(key=lambda d: d.start)
    return found


def _candidates(text: str, lowered: str, published: date | None) -> Iterator[DateMention]:
    """Every form's dates, in the order that wins overlaps; each form is skipped when a
    substring scan shows it cannot match (most articles name no month and no weekday)."""
    tenses = _SentenceTenses(text, lowered)
    if "-" in lowered:
        for m in _ISO.finditer(lowered):
            value = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            if value is not None:
                yield DateMention(value, m.start(), m.end(), "iso", None, True)
    if contains_any(lowered, _MONTH_STEMS):
        forms: tuple[tuple[re.Pattern[str] | _AtWords, int, int, Form], ...] = (
            (_DAY_MONTH, 1, 2, "day-month"),
            (_MONTH_DAY, 2, 1, "month-day"),
        )
        for pattern, day_group, month_group, form in forms:
            for m in pattern.finditer(lowered):
                if not _is_month(text, m, month_group):
                    continue
                day, month, year = int(m.group(day_group)), _MONTHS[m.group(month_group)], m[3]
                if year:
                    value = _safe_date(int(year), month, day)
                elif published is not None:
                    value = resolve_year(month, day, published, tenses.at(m.start()))
                else:
                    continue
                if value is not None:
                    start, weekday = _written_weekday(lowered, m.start())
                    yield DateMention(value, start, m.end(), form, weekday, bool(year))
    for m in _NUMERIC.finditer(lowered):
        short = int(m.group(4))
        value = _safe_date(short + 2000 if short < 100 else short, int(m[3]), int(m[1]))
        if value is not None:
            start, weekday = _written_weekday(lowered, m.start())
            yield DateMention(value, start, m.end(), "numeric", weekday, True)
    if published is None:
        return
    if contains_any(lowered, _RELATIVE_STEMS):
        for m in _RELATIVE.finditer(lowered):
            if m.group(3):
                value = published + timedelta(days=_SHIFTS[" ".join(m.group(3).split())])
            else:
                which = m.group(1)
                relation: Relation = (
                    "last" if which == "last" else "this" if which == "this" else "next"
                )
                when = tenses.at(m.start()) if relation == "this" else None
                value = resolve_weekday(_WEEKDAYS[m.group(2)], published, relation, when)
            if value is not None:
                yield DateMention(value, m.start(), m.end(), "relative")
    if "day" in lowered:
        for m in _BARE_WEEKDAY.finditer(lowered):
            weekday = _WEEKDAYS[m.group(1) or m.group(2)]
            value = resolve_weekday(weekday, published, None, tenses.at(m.start()))
            if value is not None:
                yield DateMention(value, m.start(), m.end(), "weekday")


class _SentenceTenses:
    """The tense of the sentence around an offset, each sentence judged once.

    Sentences are `text.prose.sentences`', the meetings list's: a stop ends one before a
    space and a capital or digit (a closing quotation mark may follow the stop), but not
    after a known abbreviation ("Insp.", "Dec.") or an initial; a line break always does.
    That rule needs the text's own case, so it reads `text`; the cues are read in `lowered`.
    """

    __slots__ = ("_lowered", "_seen", "_spans", "_starts", "_text")

    def __init__(self, text: str, lowered: str) -> None:
        self._text = text
        self._lowered = lowered
        self._starts: list[int] | None = None
        self._spans: list[tuple[int, int]] = []
        self._seen: dict[int, Tense | None] = {}

    def at(self, offset: int) -> Tense | None:
        starts = self._starts
        if starts is None:  # split once, and only for a text that has a date to judge
            self._spans = [(at, at + len(piece)) for at, piece in sentences(self._text)]
            starts = self._starts = [start for start, _ in self._spans]
        index = max(0, bisect_right(starts, offset) - 1)
        if index not in self._seen:
            start, end = self._spans[index] if self._spans else (0, len(self._lowered))
            self._seen[index] = tense(self._lowered[start:end])
        return self._seen[index]


def _written_weekday(lowered: str, start: int) -> tuple[int, int | None]:
    """Where a date starts counting a weekday (and "the") written before it, and that
    weekday: "Monday, the 3rd of March" starts at "Monday"."""
    m = _BEFORE_DATE.search(lowered, max(0, start - _BEFORE_DATE_SPAN), start)
    if m is None or m.start() == m.end():
        return start, None
    written = m.group(1)
    return m.start(), _WEEKDAYS_BY_STEM[written[:3]] if written else None


def find_months(text: str) -> list[MonthMention]:
    """Months named as a time ("in March", "since June 2024"), in order of appearance."""
    lowered = _lower(text)
    out: list[MonthMention] = []
    if not contains_any(lowered, _MONTH_STEMS):
        return out
    for m in _IN_MONTH.finditer(lowered):
        if not _is_month(text, m, 1):
            continue
        year = int(m.group(2)) if m.group(2) else None
        out.append(MonthMention(_MONTHS[m.group(1)], year, m.start(), m.end()))
    return out


def contains_any(text: str, needles: tuple[str, ...]) -> bool:
    """`any(n in text for n in needles)` without a generator: the substring scans that
    skip a regex here and in grouping run on every article (a hot path)."""
    for needle in needles:  # noqa: SIM110 (a loop: no generator on a hot path)
        if needle in text:
            return True
    return False
