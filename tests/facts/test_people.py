"""One person per person across a story: spellings, short forms, roles, the canonical name."""

from __future__ import annotations

from heraldtui.core.facts.people import _canonical, merge_people, same_person
from heraldtui.core.read.people import find_people
from heraldtui.core.text.prose import plain_text


def test_same_person_rules() -> None:
    assert same_person("Jonathan Reeve", "Jonathon Reeve")
    assert same_person("Tom Keeling", "Thomas Keeling")
    assert same_person("Alex Keeling", "Alexander Keeling")
    assert not same_person("Tom Keeling", "Tamsin Keeling")
    assert not same_person("Bill Keeling", "Robert Keeling")
    assert same_person("Nora Lindqvist", "Nora Lindquist")
    assert same_person("Tessa Arnott", "Tessa Arnot")
    assert not same_person("John Reeve", "Mary Reeve")
    assert not same_person("Tessa Arnott", "Tessa Barnes")
    assert not same_person("Jo Reeve", "Jim Reeve")


def test_merge_canonical_is_the_spelling_most_articles_use() -> None:
    a1 = find_people(plain_text("Chief Constable Marcus Oyelaran said: x."))
    a2 = find_people(plain_text("Chief Constable Markus Oyelaran was there. Mr Oyelaran left."))
    a3 = find_people(plain_text("Marcus Oyelaran said the plan works."))
    [person] = merge_people([("l1", a1), ("l2", a2), ("l3", a3)])
    assert person.name == "Marcus Oyelaran"
    assert person.variants == ("Markus Oyelaran", "Mr Oyelaran")
    assert person.role == "Chief Constable"
    assert person.sources == ("l1", "l2", "l3")


def test_merge_tie_prefers_the_spelling_introduced_with_a_role() -> None:
    a1 = find_people(plain_text("Sian Pritchard said the scheme had worked."))
    a2 = find_people(plain_text("Police and Crime Commissioner Siân Pritchard agreed."))
    [person] = merge_people([("l1", a1), ("l2", a2)])
    assert person.name == "Siân Pritchard"
    assert person.variants == ("Sian Pritchard",)


def test_merge_keeps_different_people_apart_and_specific_roles() -> None:
    a1 = find_people(plain_text("Commissioner Lee Hart met Superintendent Ana Hart."))
    a2 = find_people(plain_text("Police and Crime Commissioner Lee Hart spoke."))
    people = merge_people([("l1", a1), ("l2", a2)])
    assert [(p.name, p.role) for p in people] == [
        ("Lee Hart", "Police and Crime Commissioner"),
        ("Ana Hart", "Superintendent"),
    ]


# --- spellings real coverage mixes (issue 13) ---------------------------------------------


def _merge(*texts: str) -> list[tuple[str, tuple[str, ...]]]:
    per = [(f"l{n}", find_people(plain_text(t))) for n, t in enumerate(texts)]
    return [(p.name, p.variants) for p in merge_people(per)]


def test_the_spelling_with_its_diacritic_is_canonical() -> None:
    merged = _merge(
        "Police and Crime Commissioner Zoe Hartigan said the report was fair.",
        "Zoë Hartigan, Police, Fire and Crime Commissioner, said it was not.",
    )
    assert merged == [("Zoë Hartigan", ("Zoe Hartigan",))]


def test_a_name_written_without_its_apostrophe_is_the_same_person() -> None:
    merged = _merge(
        "Councillor Miriam O'Donnell chairs the panel.",
        "Miriam ODonnell said the panel would meet again.",
    )
    assert merged == [("Miriam O'Donnell", ("Miriam ODonnell",))]


def test_sir_before_a_full_name_is_kept_as_a_variant_not_the_name() -> None:
    merged = _merge(
        "The Chief Constable, Sir Caspian Vell, retires today. Sir Caspian said goodbye.",
        "Caspian Vell said he was proud of his officers.",
    )
    assert merged == [("Caspian Vell", ("Sir Caspian", "Sir Caspian Vell"))]


def test_nicknames_and_spellings_merge_only_with_the_same_kind_of_role() -> None:
    assert same_person("Bernie Spall", "Bernadette Spall")
    assert same_person("Katherine Spall", "Catherine Spall")
    assert same_person("Priya Spall", "Pria Spall")
    same = _merge(
        "Chief Inspector Bernadette Spall said the team was ready.",
        "Chief Inspector Bernie Spall said the team was ready.",
    )
    assert same == [("Bernadette Spall", ("Bernie Spall",))]
    different = _merge(
        "Councillor Bernie Spall asked about parking.",
        "Chief Inspector Bernadette Spall answered.",
    )
    assert [name for name, _ in different] == ["Bernie Spall", "Bernadette Spall"]


def test_a_first_name_alone_is_a_variant_of_the_person() -> None:
    merged = _merge(
        "Police and Crime Commissioner Gideon Marsh-Rowe opened the meeting. Gideon said: yes."
    )
    assert merged == [("Gideon Marsh-Rowe", ("Gideon",))]


def test_one_spelling_is_canonical_without_being_read() -> None:
    """Nearly everyone a digest names is written one way: choosing among spellings (which
    folds each, and reads how articles use it) is for people written several ways. With
    nothing known of its use, a lone spelling is still the name."""
    assert _canonical(["Louise Darby"], {}, {}) == "Louise Darby"
