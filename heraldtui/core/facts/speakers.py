"""Who an attribution names: the people of one article, and what "he", "she" and "the
commissioner" point back to.

The quote finder (`facts/quotes.py`) decides *where* a quote's attribution is; this module
says *who* it names, inside one article:

- a name as written is resolved to the fullest form the article gives ("Mr Roe", "Jane"
  -> "Jane Roe"), with the role it was introduced by;
- the speaker of an attribution clause is the subject of its first speech verb: the
  person opening the sentence ("Jane Roe, who met John Doe, told him: ..." is Jane Roe's)
  or else the one named right before the verb ("Speaking to John Doe, Jane Roe said"),
  nobody when two are joined by "and"; else a pronoun or a role there ("She added", "The
  commissioner acknowledged ..."), else a name right after the verb ("said Jane Roe:"). A
  participle ("..., adding: ...") continues the subject of its sentence;
- "he" or "she" is the subject of the sentence before, read back sentence by sentence:
  the first sentence that names a person (or carries an attributed quote) decides. A
  person the text shows to be of the other gender (a title such as "Mr" or "Ms", an
  earlier "he"/"she" about them) is passed over; if the deciding sentence still names
  two people, the one in subject position (opening the sentence, or after an opening
  phrase and its comma) is taken, and otherwise nobody: an unattributed quote is better
  than a wrong name. "They" is never resolved (it is mostly a force or its inspectors);
- a description in place of a name ("The former Assembly Member for the valley said:")
  is read like a pronoun of unknown gender.

Organisations are never speakers: only people the name finder (`read/people.py`) found
are, and it does not read outlets or bodies as people.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from heraldtui.core.facts.people import surname_matches
from heraldtui.core.read.article_text import ArticleText
from heraldtui.core.read.lexicon import (
    FEMALE_TITLES,
    MALE_TITLES,
    PERSON_NOUNS,
    ROLE_PATTERN,
    ROLES,
    SPEECH_VERBS,
)
from heraldtui.core.read.people import PersonMention
from heraldtui.core.read.quotespans import QuoteSpan
from heraldtui.core.text.prose import sentences

Speaker = tuple[str, str | None]
"""A speaker as the article gives them: the fullest name, and the role it was given."""

_WORD = re.compile(r"[A-Za-z]+(?:['’][a-z]+)?")
_PRONOUN_WORDS = {"he": "m", "she": "f", "they": None}
_LEAD_PRONOUN = re.compile(
    r"^\W*(?:(?:and|but|then|so|later|now|also|meanwhile)\W+)?(he|she|they)\b", re.IGNORECASE
)
ROLE_REF = re.compile(rf"\bthe\s+(?:[a-z]+['’]s\s+)?(?P<role>{ROLE_PATTERN})\b", re.IGNORECASE)
"""A speaker named by role only ("..., the chief constable said")."""
_DESCRIPTION = re.compile(
    rf"^\W*the\s+(?:[\w'’-]+\s+){{0,6}}?(?:{'|'.join(sorted(PERSON_NOUNS))})\b", re.IGNORECASE
)
"""A person described instead of named: "The former Assembly Member for the valley"."""
_INTRO = re.compile(r"^(?:[^,]{0,80},\s*)?(?:(?:the|a|an)\s+)?(?:[A-Z][\w'’&-]*(?:[\s,]+|$))*$")
"""What may come before a sentence's subject: an opening phrase and its comma, then the
capitalised words of a role ("Meanwhile, Chief Constable ...")."""
ROLE_WORDS = re.compile(rf"\b(?:{ROLE_PATTERN})\b", re.IGNORECASE)
"""Any role phrase, anywhere."""
_HE = re.compile(r"\b(?:he|himself)\b", re.IGNORECASE)
_SHE = re.compile(r"\b(?:she|herself)\b", re.IGNORECASE)
"""Pronouns that show a person's gender when they follow the only person a sentence
names ("Jane Roe said she ..."); possessives are left out ("His Majesty's Inspector")."""
_TITLE_OF = re.compile(r"^(?P<title>[A-Z][a-z]*)\.?\s")


_REACH = 400
"""How far back from a quote an attribution clause is read (characters): the work per
quote stays bounded whatever the article's length."""
_PARTICIPLES = frozenset(w for w in SPEECH_VERBS if w.endswith("ing"))
"""Speech verbs that continue a sentence's subject ("..., adding: ...")."""


def pronoun_gender(word: str) -> tuple[bool, str | None]:
    """Whether a word is a subject pronoun we read, and its gender ("m", "f" or None)."""
    key = word.lower()
    return key in _PRONOUN_WORDS, _PRONOUN_WORDS.get(key)


class Speakers:
    """One article's people, quote spans and sentences, and the lookups attribution needs."""

    def __init__(self, text: ArticleText, spans: Sequence[QuoteSpan] | None = None) -> None:
        self.paras = text.paragraphs
        self.offsets = text.offsets
        self.plain = text.plain
        self.people = text.people
        self.spans = tuple(text.spans if spans is None else spans)
        # Quote spans never overlap and come in order, so lookups can bisect.
        self.inside: list[tuple[int, int]] = [
            (self.offsets[s.first] + s.start, self.offsets[s.last] + s.end) for s in self.spans
        ]
        self.inside_starts = [a for a, _ in self.inside]
        self.fulls = list({p.name: p for p in reversed(self.people) if p.full}.values())[::-1]
        self.roles = {p.name: p.role for p in reversed(self.people) if p.full and p.role}
        self.outside = [p for p in self.people if not self.quoted(p.start)]
        self.outside_starts = [p.start for p in self.outside]
        bounds: list[tuple[int, int]] = []
        for index, para in enumerate(self.paras):
            base = self.offsets[index]
            for at, sentence in sentences(para):
                bounds.append((base + at, base + at + len(sentence)))
        self.sentences = bounds
        self.sentence_starts = [a for a, _ in bounds]
        self.said: list[tuple[int, str | None, str | None]] = []
        """(offset, speaker, role) of each quote attributed so far, in order."""
        self.said_starts: list[int] = []
        self._genders: dict[str, str] | None = None

    # ------------------------------------------------------------ offsets

    def quoted(self, at: int) -> bool:
        index = bisect_right(self.inside_starts, at) - 1
        return index >= 0 and self.inside[index][0] < at < self.inside[index][1]

    def mentions_between(self, a: int, b: int) -> list[PersonMention]:
        lo, hi = bisect_left(self.outside_starts, a), bisect_left(self.outside_starts, b)
        return self.outside[lo:hi]

    def sentence_at(self, at: int) -> int:
        """The index of the sentence that holds an offset (or the last one before it)."""
        return max(0, bisect_right(self.sentence_starts, at) - 1)

    def unquoted(self, a: int, b: int) -> str:
        """The text between two offsets with quoted passages blanked out."""
        chars = list(self.plain[a:b])
        lo = max(0, bisect_right(self.inside_starts, a) - 1)
        for start, end in self.inside[lo:]:
            if start >= b:
                break
            for i in range(max(start, a), min(end, b)):
                chars[i - a] = " "
        return "".join(chars)

    # ------------------------------------------------------------ names

    def resolve(self, mention: PersonMention) -> Speaker:
        """The fullest name the article gives this mention, and the role it gave."""
        if mention.full:
            return mention.name, mention.role or self.roles.get(mention.name)
        candidates = [p for p in self.fulls if surname_matches(mention.surname, p.name)]
        if not candidates:
            return mention.name, mention.role
        chosen = candidates[0]
        return chosen.name, mention.role or self.roles.get(chosen.name)

    def by_role(self, phrase: str, at: int) -> Speaker | None:
        """The person the article introduced with a role, for "the chief constable said".

        The latest such person named before `at`, else the first one named after it; a
        general role ("the commissioner") matches a specific one ("Police and Crime
        Commissioner").
        """
        wanted = ROLES.get(" ".join(phrase.lower().split()))
        if not wanted:
            return None
        holders = [p for p in self.fulls if self.roles.get(p.name) == wanted]
        if not holders:
            holders = [
                p
                for p in self.fulls
                if (role := self.roles.get(p.name))
                and role.endswith(" " + wanted)
                and not role.startswith(("Deputy ", "Assistant ", "Vice "))
            ]
        if not holders:
            return None
        earlier = [p for p in holders if p.start < at]
        chosen = earlier[-1] if earlier else holders[0]
        return chosen.name, self.roles.get(chosen.name)

    def subject_named(self, a: int, b: int) -> bool:
        """Whether a person named between two offsets is the subject of their sentence
        ("Jane Roe welcomed the report", not "the panel will hold Jane Roe to account")."""
        for p in self.mentions_between(a, b):
            start = self.sentences[self.sentence_at(p.start)][0]
            if self._in_subject_position(max(a, start), p.start):
                return True
        return False

    def sole_person_in(self, a: int, b: int) -> Speaker | None:
        """The one person a stretch of text names (outside quotes), when it names exactly one."""
        resolved = {self.resolve(p) for p in self.mentions_between(a, b)}
        return resolved.pop() if len(resolved) == 1 else None

    # ------------------------------------------------------------ attribution clauses

    def subject(self, a: int, b: int) -> tuple[int | None, Speaker | None]:
        """Where the first speech verb between `a` and `b` (a sentence up to a quote) ends,
        or None when there is none, and the speaker it names: the subject of that verb
        (module docstring)."""
        a = max(a, b - _REACH)
        text = self.unquoted(a, b)
        verb = next((m for m in _WORD.finditer(text) if m.group(0).lower() in SPEECH_VERBS), None)
        if verb is None:
            return None, None
        end = a + verb.end()
        before = text[: verb.start()]
        found = self.mentions_between(a, a + verb.start())
        if verb.group(0).lower() in _PARTICIPLES:
            # "He thanked his predecessor Jane Roe, adding: ..." is his, not hers.
            return end, self._sentence_subject(a, before, found)
        if found:
            return end, self._verb_subject(a, found)
        words = _WORD.findall(before)
        lead = _LEAD_PRONOUN.match(before)
        pronoun = lead.group(1) if lead else (words[-1] if words else "")
        known, gender = pronoun_gender(pronoun)
        if known:
            return end, self.antecedent(a, gender) if gender else None
        if role_ref := ROLE_REF.search(before):
            return end, self.by_role(role_ref["role"], a)
        if _DESCRIPTION.match(before):
            return end, self.antecedent(a, None)
        after = self.mentions_between(end, b)
        if after and not words:
            return end, self.resolve(after[0])
        return end, None

    def _verb_subject(self, a: int, found: list[PersonMention]) -> Speaker | None:
        """Of the people named before a speech verb, its subject: the first when it opens
        the sentence ("Jane Roe, who met John Doe, said"), nobody when two are joined by
        "and" ("Jane Roe and John Doe said"), else the one right before the verb
        ("Speaking to John Doe, Jane Roe said")."""
        first = found[0]
        end = first.start + len(first.name)
        possessive = self.plain[end : end + 2] in ("'s", "’s")
        if len(found) > 1 and not possessive and self._in_subject_position(a, first.start):
            between = ROLE_WORDS.sub(" ", self.unquoted(end, found[1].start)).strip()
            return None if between in ("and", "&") else self.resolve(first)
        return self.resolve(found[-1])

    def _sentence_subject(self, a: int, before: str, found: list[PersonMention]) -> Speaker | None:
        """The subject a participle ("adding", "saying") continues: the sentence's own."""
        lead = _LEAD_PRONOUN.match(before)
        if lead:
            _, gender = pronoun_gender(lead.group(1))
            return self.antecedent(a, gender) if gender else None
        if found and self._in_subject_position(a, found[0].start):
            return self.resolve(found[0])
        role_ref = ROLE_REF.match(before.lstrip())
        return self.by_role(role_ref["role"], a) if role_ref else None

    # ------------------------------------------------------------ pronouns

    def genders(self) -> dict[str, str]:
        """The gender the text shows for each person named in full ("m" or "f"): a title
        ("Mr Roe", "Sir Jane Roe") or "he"/"she" after them in a sentence naming only them."""
        if self._genders is not None:
            return self._genders
        out: dict[str, str] = {}
        for p in self.people:
            title = p.honorific or (None if p.full else _title(p.name))
            gender = "m" if title in MALE_TITLES else "f" if title in FEMALE_TITLES else None
            if gender:
                out.setdefault(self.resolve(p)[0], gender)
        for a, b in self.sentences:
            found = self.mentions_between(a, b)
            named = {self.resolve(p)[0] for p in found}
            if len(named) != 1:
                continue
            text = self.unquoted(found[0].start, b)
            he, she = bool(_HE.search(text)), bool(_SHE.search(text))
            if he != she:
                out.setdefault(named.pop(), "m" if he else "f")
        self._genders = out
        return out

    def antecedent(self, at: int, gender: str | None, depth: int = 0) -> Speaker | None:
        """The person "he" or "she" (or a description) at `at` points back to: the subject
        of the sentence before, as the module docstring says, or None."""
        genders = self.genders()
        index = self.sentence_at(at)
        empty = 0
        for j in range(index - 1, max(-1, index - 12), -1):
            a, b = self.sentences[j]
            if self._inside_one_quote(a, b):
                continue
            candidates = self._named_in(a, b)
            if not candidates:
                lead = _LEAD_PRONOUN.match(self.unquoted(a, min(b, a + 60)))
                if lead and depth < 3:
                    known, g = pronoun_gender(lead.group(1))
                    if known and g and (gender is None or g == gender):
                        return self.antecedent(a, g, depth + 1)
                empty += 1
                if empty > 2:
                    return None
                continue
            fitting = [
                c for c in candidates if gender is None or genders.get(c[1][0], gender) == gender
            ]
            if not fitting:
                continue
            names = list(dict.fromkeys(c[1] for c in fitting))
            if len(names) == 1:
                chosen = names[0]
            elif self._in_subject_position(a, fitting[0][0]):
                chosen = fitting[0][1]
            else:
                return None
            if gender and chosen[0] not in genders:
                genders[chosen[0]] = gender
            return chosen
        return None

    def _inside_one_quote(self, a: int, b: int) -> bool:
        index = bisect_right(self.inside_starts, a) - 1
        return index >= 0 and self.inside[index][0] < a and b <= self.inside[index][1] + 1

    def _named_in(self, a: int, b: int) -> list[tuple[int, Speaker]]:
        """The people a sentence names or quotes, in order of where they appear."""
        out = [(p.start, self.resolve(p)) for p in self.mentions_between(a, b)]
        lo, hi = bisect_left(self.said_starts, a), bisect_left(self.said_starts, b)
        out += [(at, (name, role)) for at, name, role in self.said[lo:hi] if name]
        return sorted(out, key=lambda item: item[0])

    def add_said(self, at: int, name: str | None, role: str | None) -> None:
        """Record an attributed quote (quotes come in order of their offsets)."""
        self.said.append((at, name, role))
        self.said_starts.append(at)

    def _in_subject_position(self, a: int, at: int) -> bool:
        if at - a > _REACH:
            return False
        before = ROLE_WORDS.sub(" ", self.unquoted(a, at)).strip()
        return not before or bool(_INTRO.match(before))


def _title(name: str) -> str | None:
    m = _TITLE_OF.match(name)
    return m["title"] if m else None
