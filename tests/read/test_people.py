"""People found in texts: roles, titles, speech verbs, captions (merging: tests/facts)."""

from __future__ import annotations

from heraldtui.core.facts.people import merge_people
from heraldtui.core.read.people import find_people
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


# --- how real coverage introduces people (phrasing catalogue: issue 13) -----------------


def people(text: str) -> list[tuple[str, str | None, str | None, str]]:
    """(name as written, first, role, surname) of each mention."""
    return [(p.name, p.first, p.role, p.surname) for p in find_people(plain_text(text))]


def test_role_with_its_acronym_in_brackets_before_the_name() -> None:
    text = "Police and Crime Commissioner (PCC) Morwenna Tregear will chair the session."
    assert names(text) == [("Morwenna Tregear", "Police and Crime Commissioner")]


def test_role_for_a_place_then_the_name_with_or_without_a_comma() -> None:
    comma = "The Police and Crime Commissioner for Wessex, Hal Burrage, said the plan works."
    glued = "Police and Crime Commissioner for North Wessex Ffion Yardley said it was a start."
    assert names(comma) == [("Hal Burrage", "Police and Crime Commissioner")]
    assert names(glued) == [("Ffion Yardley", "Police and Crime Commissioner")]


def test_a_place_after_a_role_never_becomes_a_person() -> None:
    for text in (
        "The Police and Crime Commissioner for North Wessex said the plan works.",
        "The Chief Constable of Wessex Police said the plan works.",
        "Alma Reyes, Police and Crime Commissioner for Avon, Dene and the Isle of Sark, said so.",
        "The Commissioner for East Wessexshire welcomed it.",
    ):
        assert all(n in ("Alma Reyes",) for n, _ in names(text)), text


def test_initials_for_a_first_name_and_letters_after_the_name() -> None:
    text = (
        "Chief Constable TJ Varga QPM said: the force is ready. Cadi Moss OBE, the chair, agreed."
    )
    assert names(text) == [("TJ Varga", "Chief Constable"), ("Cadi Moss", "Chair")]


def test_name_then_capitalised_role_confirmed_by_a_title_later() -> None:
    text = (
        "Ysolde Carrow Police, Fire and Crime Commissioner for Wessex was reacting to the report."
        "\n\nMs Carrow said the findings were a warning."
    )
    assert names(text)[0] == ("Ysolde Carrow", "Police, Fire and Crime Commissioner")
    place = "North Wessex Police and Crime Commissioner said the findings were a warning."
    assert names(place) == []


def test_name_introduced_by_what_the_person_is() -> None:
    text = "Ines Albright is currently Acting Chief Constable of the force after a retirement."
    assert names(text) == [("Ines Albright", "Acting Chief Constable")]
    assert names("Road Safety is the commissioner's first priority this year.") == []


def test_honorific_is_not_part_of_the_name_and_sir_with_a_first_name() -> None:
    text = (
        "The retiring Chief Constable, Sir Caspian Vell, was thanked. "
        "Sir Caspian’s last day is Friday."
    )
    found = find_people(plain_text(text))
    assert [(p.name, p.honorific) for p in found if p.full] == [("Caspian Vell", "Sir")]
    [alone] = [p for p in found if not p.full]
    assert (alone.name, alone.surname) == ("Sir Caspian", "Vell")


def test_first_name_or_surname_alone_refers_to_the_one_person_named_in_full() -> None:
    text = (
        "Police and Crime Commissioner Gideon Marsh-Rowe met Chief Constable Ada Vell.\n\n"
        "Gideon said the meeting went well. Later, said Ada, the plan was agreed. Vell said "
        "more would follow."
    )
    singles = [(n, s) for n, f, _, s in people(text) if f is None]
    assert singles == [("Gideon", "Marsh-Rowe"), ("Ada", "Vell"), ("Vell", "Vell")]


def test_first_name_shared_by_two_people_refers_to_nobody() -> None:
    text = (
        "Federation chair Lee Orme and Chief Constable Lee Brandt both spoke.\n\n"
        "Lee said the officers had earned it."
    )
    assert [n for n, f, _, _ in people(text) if f is None] == []


def test_a_surname_given_with_a_title_confirms_the_full_name() -> None:
    text = "Ottilie Brack saw off two other candidates.\n\nMs Brack joined the force in 2001."
    assert [n for n, _ in names(text)] == ["Ottilie Brack", "Ms Brack"]
    rank = "Ottilie Brack saw off two rivals.\n\nCh Con Brack said she was honoured."
    assert people(rank)[0][0] == "Ottilie Brack"
    assert people(rank)[1][1:] == (None, "Chief Constable", "Brack")


def test_outlets_and_bodies_next_to_a_speech_verb_are_not_people() -> None:
    text = (
        "He told Greatest Hits Radio the force had improved. Wessex Combined Authority say "
        "the meeting is off. Dale Valley Times reported it."
    )
    assert names(text) == []


def test_name_comma_said_and_apostrophe_less_o_names() -> None:
    text = "Hal Burrage, said: the plan works. Miriam ODonnell said it too."
    assert [n for n, _ in names(text)] == ["Hal Burrage", "Miriam ODonnell"]


def test_place_type_word_as_a_surname_after_a_first_name() -> None:
    text = "Rhys Lane, Police and Crime Commissioner, invited questions. Rhys Lane said so."
    assert names(text) == [("Rhys Lane", "Police and Crime Commissioner"), ("Rhys Lane", None)]
