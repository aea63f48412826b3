"""People found in texts and merged across a story's articles."""

from __future__ import annotations

from heraldtui.core.read.people import find_people, merge_people, same_person
from heraldtui.core.text.prose import plain_text


def names(text: str) -> list[tuple[str, str | None]]:
    return [(p.name, p.role) for p in find_people(plain_text(text))]


def test_role_before_name_and_role_comma_name() -> None:
    text = (
        "Police and Crime Commissioner Nadia Castell met the Chief Constable, Owen Price, "
        "and HM Inspector of Constabulary Fay Morton."
    )
    assert names(text) == [
        ("Nadia Castell", "Police and Crime Commissioner"),
        ("Owen Price", "Chief Constable"),
        ("Fay Morton", "HM Inspector of Constabulary"),
    ]


def test_glued_caption_repeats_the_name_and_title_without_space() -> None:
    text = (
        "Police & Crime Commissioner Nadia Castell.Police & Crime Commissioner Nadia Castell. "
        "(Image: office)\n\nMrs.Castell said she was pleased."
    )
    found = find_people(plain_text(text))
    assert [p.name for p in found] == ["Nadia Castell", "Nadia Castell", "Mrs.Castell"]
    assert found[2].first is None and found[2].surname == "Castell"


def test_names_beside_speech_verbs_but_not_organisations() -> None:
    text = (
        "Harbour Town Police said the road was closed. Ivy Marsh, who runs the cafe, said "
        "it was the third crash this year, said Ivy Marsh."
    )
    assert [n for n, _ in names(text)] == ["Ivy Marsh", "Ivy Marsh"]


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


def test_role_written_after_the_name() -> None:
    text = (
        "The plan was backed by Priya Kaur, the force's chief constable, and by Ola Bakare, "
        "Police and Crime Commissioner for the county, while Ivy Marsh, a resident, objected."
    )
    assert names(text) == [
        ("Priya Kaur", "Chief Constable"),
        ("Ola Bakare", "Police and Crime Commissioner"),
        ("Ivy Marsh", None),
    ]


# --- photo captions do not outvote the body ------------------------------------------------


def test_a_credited_caption_misspelling_loses_to_the_body_in_one_article() -> None:
    text = (
        "Residents packed the hall on Friday.\n\n"
        "Superintendent Gareth Llewelin talks to shopkeepers. (Photo: Valley Gazette)\n\n"
        "Superintendent Gareth Llewelyn told the meeting patrols would double.\n\n"
        "Mr Llewelyn said the town centre was his priority."
    )
    mentions = find_people(plain_text(text))
    captioned = {p.name for p in mentions if p.caption}
    assert captioned == {"Gareth Llewelin"}
    [person] = merge_people([("l1", mentions)])
    assert person.name == "Gareth Llewelyn"
    assert "Gareth Llewelin" in person.variants


def test_a_caption_glued_to_the_first_sentence_loses_to_the_body() -> None:
    text = (
        "Councillor Priya DhillonnThe council will review the cameras, said Councillor "
        "Priya Dhillon, who chairs the committee."
    )
    mentions = find_people(plain_text(text))
    assert [p.caption for p in mentions if p.full] == [True, False]
    [person] = merge_people([("l1", mentions)])
    assert person.name == "Priya Dhillon"


def test_a_caption_spelling_still_breaks_a_tie_between_body_spellings() -> None:
    a1 = find_people(plain_text("Inspector Dawn Achterberg said the scheme worked."))
    a2 = find_people(
        plain_text(
            "Inspector Dawn Achterburg leads the team.\n\n"
            "Inspector Dawn Achterberg at the launch. (Image: Kent Weekly)"
        )
    )
    [person] = merge_people([("l1", a1), ("l2", a2)])
    assert person.name == "Dawn Achterberg"


def test_body_names_next_to_punctuation_are_not_captions() -> None:
    text = 'The chair, Amir Haddad, spoke first: "We need answers," said Amir Haddad.'
    assert not any(p.caption for p in find_people(plain_text(text)))
