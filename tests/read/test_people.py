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
