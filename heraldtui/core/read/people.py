"""People named in an article, and one entry per person across a story.

An article introduces people in a few set ways, and only those are read as names (a run
of capitalised words is otherwise a place, a force or an organisation):

- a role before the name: "Police and Crime Commissioner Jane Roe", "the Chief
  Constable, John Doe", "residents' association chair Ann Poe";
- a title before a surname: "Mr Doe", "Mrs Roe", "Supt Poe", also glued ("Mr.Doe");
- a name next to a speech verb or a relative clause: "John Doe said", "said John Doe",
  "John Doe, who chairs ...", "according to John Doe".

Any later occurrence of a full name already found counts too (captions repeat names,
sometimes glued to the sentence before: "Jane Roe.Police and Crime Commissioner Jane Roe").
A candidate name is two or three capitalised words, none of them a role, organisation,
place-type, day or month word.

Across a story (`merge_people`), spellings are one person when the surnames match and the
first names are close (same initial and an edit distance of at most two, one a prefix of
the other: "Alex"/"Alexander", or a common short form: "Tom"/"Thomas"), or when the first
names match and the surnames differ by one letter ("Lindqvist"/"Lindquist"). The
canonical spelling is the one most articles use in their body text (a photo caption - a
line with a credit such as "(Image: ...)", or a name glued to the sentence next to it - is
a short fragment that repeats a name and does not outvote the body); a tie goes to the
spelling of the earliest article that introduces the person with a role, then to the
earliest. Every
other spelling, including "Mr X" forms, is a variant.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass

from heraldtui.core.text.prose import SPEECH_VERB_WORDS, edit_distance, fold

# Role phrases as written -> the label shown; longest first when matching.
ROLES: dict[str, str] = {
    "his majesty's chief inspector of constabulary": "HM Chief Inspector of Constabulary",
    "her majesty's chief inspector of constabulary": "HM Chief Inspector of Constabulary",
    "hm chief inspector of constabulary": "HM Chief Inspector of Constabulary",
    "his majesty's inspector of constabulary": "HM Inspector of Constabulary",
    "her majesty's inspector of constabulary": "HM Inspector of Constabulary",
    "hm inspector of constabulary": "HM Inspector of Constabulary",
    "hm inspector": "HM Inspector",
    "inspector of constabulary": "HM Inspector of Constabulary",
    "deputy police, fire and crime commissioner": "Deputy Police, Fire and Crime Commissioner",
    "police, fire and crime commissioner": "Police, Fire and Crime Commissioner",
    "deputy police and crime commissioner": "Deputy Police and Crime Commissioner",
    "police and crime commissioner": "Police and Crime Commissioner",
    "police & crime commissioner": "Police and Crime Commissioner",
    "pcc": "Police and Crime Commissioner",
    "deputy commissioner": "Deputy Commissioner",
    "commissioner": "Commissioner",
    "deputy chief constable": "Deputy Chief Constable",
    "assistant chief constable": "Assistant Chief Constable",
    "temporary chief constable": "Temporary Chief Constable",
    "acting chief constable": "Acting Chief Constable",
    "chief constable": "Chief Constable",
    "chief superintendent": "Chief Superintendent",
    "ch supt": "Chief Superintendent",
    "detective chief superintendent": "Detective Chief Superintendent",
    "detective superintendent": "Detective Superintendent",
    "superintendent": "Superintendent",
    "supt": "Superintendent",
    "detective chief inspector": "Detective Chief Inspector",
    "detective inspector": "Detective Inspector",
    "chief inspector": "Chief Inspector",
    "inspector": "Inspector",
    "detective sergeant": "Detective Sergeant",
    "police sergeant": "Sergeant",
    "sergeant": "Sergeant",
    "sgt": "Sergeant",
    "detective constable": "Detective Constable",
    "police constable": "Police Constable",
    "pcso": "PCSO",
    "chief executive": "Chief Executive",
    "chief fire officer": "Chief Fire Officer",
    "vice chair": "Vice Chair",
    "chairwoman": "Chair",
    "chairman": "Chair",
    "chairperson": "Chair",
    "chair": "Chair",
    "councillor": "Councillor",
    "cllr": "Councillor",
    "deputy mayor": "Deputy Mayor",
    "mayor": "Mayor",
    "policing minister": "Policing Minister",
    "home secretary": "Home Secretary",
    "minister": "Minister",
    "lead inspector": "Lead Inspector",
}
# Abbreviations that only count in capitals ("PC Smith", not "pc").
_CASED_ROLES = {"PC": "Police Constable", "DC": "Detective Constable", "DS": "Detective Sergeant",
                "DI": "Detective Inspector", "DCI": "Detective Chief Inspector",
                "DCS": "Detective Chief Superintendent"}  # fmt: skip
_TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Sir", "Dame", "Lord", "Lady",
           "Supt", "Sgt", "Insp", "Cllr", "Det", "PC", "DC", "DS", "DI", "DCI", "Rev")  # fmt: skip

_STOP_TEXT = """
    police constabulary crime commissioner chief constable inspector inspectorate
    council county borough city office service services federation association court
    panel meeting board team centre center road street lane avenue university college
    school hospital trust group unit department home government parliament fire rescue
    his her the a an this that these those he she they it we i you our their its my mr
    mrs ms dr report peel hmicfrs hm majesty superintendent sergeant detective deputy
    assistant acting temporary chair councillor mayor minister secretary residents
    community public accountability performance safety strategic operation monday
    tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december today yesterday tonight news
    local north south east west new image photo picture credit read more click watch
    live and of for in on at to by with from but or if when while after before as so all
    every some most many no not also however now then there here what which who whom
    whose where why how yes staff officers officer people force forces pcc pcso supt sgt
    cllr insp commissioners constables lead
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
_TOKEN = r"(?:Mc|Mac|O['’]|D['’])?[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?"
_NAME = rf"{_TOKEN}(?:[ \t]+{_TOKEN}){{1,2}}"
# The same verbs the quote finder accepts as an attribution, longest first for the regex.
_SPEECH = "|".join(sorted(SPEECH_VERB_WORDS, key=lambda w: (-len(w), w)))


def _phrase_pattern(phrase: str) -> str:
    parts = []
    for word in phrase.split():
        if word == "&":
            parts.append("(?:&|and)")
        else:
            parts.append(re.escape(word).replace("'", "['’]"))
    return r"\s+".join(parts)


def _role_regex() -> re.Pattern[str]:
    phrases = sorted(ROLES, key=len, reverse=True)
    body = "|".join(_phrase_pattern(p) for p in phrases)
    cased = "|".join(sorted(_CASED_ROLES, key=len, reverse=True))
    return re.compile(
        rf"(?:\b(?i:{body})\b|\b(?:{cased})\b)(?:,[ \t]*|[ \t]+)"
        rf"(?P<name>{_TOKEN}(?:[ \t]+{_TOKEN}){{0,2}})"
    )


_ROLE_NAME = _role_regex()


def _appositive_regex() -> re.Pattern[str]:
    phrases = sorted(ROLES, key=len, reverse=True)
    body = "|".join(_phrase_pattern(p) for p in phrases)
    return re.compile(
        rf"(?<![\w-])(?P<name>{_NAME}),[ \t]+(?:(?i:the|a|an)[ \t]+)?"
        r"(?:(?i:[a-z]+['’]s|new|current|interim|former|county|force|district|area|local)"
        r"[ \t]+){0,2}"
        rf"(?P<role>\b(?i:{body}))\b"
    )


_APPOSITIVE = _appositive_regex()
"""A role written after the name: "Jane Roe, the force's chief constable", "Jane Roe,
Police and Crime Commissioner for the county, said"."""
_TITLE_NAME = re.compile(
    rf"\b(?P<title>{'|'.join(_TITLES)})(?:\.[ \t]*|[ \t]+)(?P<name>{_TOKEN}(?:[ \t]+{_TOKEN})?)"
)
_SPEECH_NAME = re.compile(
    rf"\b(?:{_SPEECH}|according[ \t]+to)[ \t]+(?P<name>{_NAME})\b"
    rf"|(?P<name2>{_NAME})(?:[ \t]+(?:{_SPEECH})\b|,[ \t]+(?:who|the|a|an|head|chair|director|"
    r"leader|spokesman|spokeswoman|spokesperson)\b)"
)


@dataclass(frozen=True, slots=True)
class PersonMention:
    """One way a person is named at one place in a text.

    `name` is as written ("Jane Roe", "Mrs Roe", "Mr.Roe"); `first` is None for a
    title-and-surname form. `role` is the label of the role that introduced the name.
    """

    name: str
    first: str | None
    surname: str
    role: str | None
    start: int
    caption: bool = False
    """Named in a photo caption or credit, not in the body: a weaker spelling witness."""

    @property
    def full(self) -> bool:
        return self.first is not None


def _clean_name(raw: str) -> list[str]:
    """Name tokens up to the first word that cannot be part of a name."""
    tokens: list[str] = []
    for token in raw.split():
        if token.lower().strip("'’") in STOP_WORDS:
            break
        tokens.append(token)
    return tokens


def _role_label(phrase: str) -> str | None:
    key = " ".join(fold(phrase).replace("&", "and").split())
    if phrase.strip() in _CASED_ROLES:
        return _CASED_ROLES[phrase.strip()]
    return ROLES.get(key) or ROLES.get(key.replace(" and ", " & "))


def find_people(text: str) -> list[PersonMention]:
    """People named in a plain text (see the module docstring), in order of appearance.

    `text` is plain text (`textutil.plain_text`); offsets refer to it.
    """
    found: dict[int, PersonMention] = {}
    covered: set[int] = set()

    def add(at: int, mention: PersonMention, replace: bool = False) -> None:
        if at in found and not replace:
            return
        found[at] = mention
        covered.update(range(at, at + len(mention.name)))

    for m in _ROLE_NAME.finditer(text):
        tokens = _clean_name(m.group("name"))
        role_phrase = text[m.start() : m.start("name")].rstrip(", \t\n")
        role = _role_label(role_phrase)
        if not tokens:
            continue
        at = m.start("name")
        if len(tokens) == 1:
            add(at, PersonMention(tokens[0], None, tokens[0], role, at))
        else:
            name = " ".join(tokens)
            add(at, PersonMention(name, tokens[0], tokens[-1], role, at), replace=True)
    for m in _APPOSITIVE.finditer(text):
        tokens = _clean_name(m.group("name"))
        at = m.start("name")
        if len(tokens) < 2 or at in covered:
            continue
        name = " ".join(tokens)
        add(at, PersonMention(name, tokens[0], tokens[-1], _role_label(m.group("role")), at))
    for m in _TITLE_NAME.finditer(text):
        tokens = _clean_name(m.group("name"))
        at = m.start()
        if not tokens or m.start("name") in covered:
            continue
        if len(tokens) == 2:
            add(at, PersonMention(" ".join(tokens), tokens[0], tokens[1], None, at))
        else:
            written = text[m.start() : m.start("name")] + tokens[0]
            add(at, PersonMention(written, None, tokens[0], None, at))
    for m in _SPEECH_NAME.finditer(text):
        group = "name" if m.group("name") else "name2"
        raw = m.group(group)
        tokens = raw.split()
        if any(t.lower() in STOP_WORDS for t in tokens):
            continue
        at = m.start(group)
        if at in covered or at - 1 in covered:
            continue
        add(at, PersonMention(raw, tokens[0], tokens[-1], None, at))
    known = {p.name for p in found.values() if p.full}
    for name in sorted(known):
        for m in re.finditer(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text):
            if m.start() not in covered:
                tokens = name.split()
                add(m.start(), PersonMention(name, tokens[0], tokens[-1], None, m.start()))
    credited = _credited_lines(text)
    return [_mark_caption(text, found[k], credited) for k in sorted(found)]


_CREDIT = re.compile(
    r"\((?:image|photo|picture|pic|credit|source)s?\b[^)\n]{0,80}\)|"
    r"^\W{0,3}(?:image|photo|picture|pictured|pic|credit|above|below|left|right|top|inset)\b"
    r"\s*[:,–—-]",
    re.IGNORECASE | re.MULTILINE,
)
"""A photo credit or caption label: "(Image: The Post)", "Pictured: ..."."""


def _credited_lines(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of the lines that carry a photo credit, in order."""
    out: list[tuple[int, int]] = []
    at = 0
    for line in text.split("\n"):
        if _CREDIT.search(line):
            out.append((at, at + len(line)))
        at += len(line) + 1
    return out


def _mark_caption(
    text: str, mention: PersonMention, credited: list[tuple[int, int]]
) -> PersonMention:
    """The mention flagged when it sits in a photo caption: a line that carries a credit,
    or a name glued to the text around it with no space ("Jane Roe.Police and ...",
    "Jane RoeThe Commissioner"), the mark of a caption run into the body."""
    a, b = mention.start, mention.start + len(mention.name)
    index = bisect_right(credited, (a, len(text) + 1)) - 1
    in_credited = index >= 0 and credited[index][0] <= a < credited[index][1]
    after = text[b : b + 2]
    glued = (
        (a > 0 and text[a - 1] in ".!?:")
        or after[:1].isalpha()
        or (len(after) == 2 and after[0] in ".!?" and after[1].isupper())
    )
    if glued or in_credited:
        return PersonMention(
            mention.name, mention.first, mention.surname, mention.role, mention.start, True
        )
    return mention


_SHORT_FORMS_TEXT = """
    tom:thomas bill:william will:william billy:william bob:robert rob:robert bobby:robert
    jim:james jimmy:james jamie:james dick:richard rick:richard rich:richard ted:edward
    ed:edward eddie:edward ned:edward liz:elizabeth beth:elizabeth betty:elizabeth
    kate:katherine kate:catherine kath:katherine cathy:catherine kathy:katherine
    peggy:margaret maggie:margaret meg:margaret sandy:alexander alex:alexander
    andy:andrew drew:andrew mike:michael mick:michael dave:david tony:anthony
    steve:stephen steve:steven nick:nicholas chris:christopher chris:christine
    pat:patrick pat:patricia sam:samuel sam:samantha ben:benjamin dan:daniel
    danny:daniel matt:matthew jon:jonathan jonny:jonathan nat:nathan harry:henry
    jack:john johnny:john jenny:jennifer jen:jennifer sue:susan suzy:susan
    tricia:patricia vicky:victoria debbie:deborah becky:rebecca bex:rebecca
    mandy:amanda gerry:gerald gerry:gerard greg:gregory jo:joanne jo:josephine
    jo:joanna joe:joseph pete:peter phil:philip phil:phillip ron:ronald
    ray:raymond charlie:charles chuck:charles fred:frederick freddie:frederick
    nicky:nicola nikki:nicola ali:alison lou:louise di:diana di:diane
"""
SHORT_FORMS: frozenset[tuple[str, str]] = frozenset(
    (short, full) for short, _, full in (pair.partition(":") for pair in _SHORT_FORMS_TEXT.split())
)
"""Common short forms of English first names, as data: "Tom" and "Thomas" with the same
surname in one story are one person, though no spelling rule links them."""


def same_person(a: str, b: str) -> bool:
    """Whether two full-name spellings are one person (see the module docstring)."""
    ta, tb = a.split(), b.split()
    if len(ta) < 2 or len(tb) < 2:
        return False
    fa, fb = ta[0].casefold(), tb[0].casefold()
    sa, sb = ta[-1].casefold(), tb[-1].casefold()
    if sa == sb:
        if fa == fb:
            return True
        if (fa, fb) in SHORT_FORMS or (fb, fa) in SHORT_FORMS:
            return True
        if fa[0] != fb[0]:
            return False
        if (fa.startswith(fb) or fb.startswith(fa)) and min(len(fa), len(fb)) >= 3:
            return True
        return edit_distance(fa, fb, 2) <= 2 and min(len(fa), len(fb)) >= 4
    return fa == fb and min(len(sa), len(sb)) >= 4 and edit_distance(sa, sb, 1) <= 1


def surname_matches(surname: str, full_name: str) -> bool:
    """Whether "Mr <surname>" can refer to the full name (exact, or one letter off)."""
    last = full_name.split()[-1].casefold()
    given = surname.casefold()
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
            tokens[-1].casefold() in self.surnames
        )


_TITLE_PREFIX = re.compile(rf"^(?:{'|'.join(_TITLES)})(?:\.\s*|\s+)")


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
    for n, (_, mentions) in enumerate(per_article):
        for p in mentions:
            if not p.full:
                continue
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
            if same_person(a, b):
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
        for _, written in sorted(extra.get(key, [])):
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
                    frozenset(s.split()[-1].casefold() for s in members),
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
                    frozenset({_strip_title(written).split()[-1].casefold()}),
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

    def rank(s: str) -> tuple[int, int, int, tuple[int, int]]:
        articles, first, with_role = seen[s]
        role_first = min(with_role) if with_role else 10**9
        return (-len(in_body.get(s, ())), -len(articles), role_first, first)

    return min(members, key=rank)


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
