"""Recognising police forces: the bundled table, unknown forces, false forces, areas."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from heraldtui.core.read.forces import (
    ForceMention,
    force_key,
    is_official,
    place_of,
    scan_fire_services,
    scan_mentions,
)


def _table() -> list[dict[str, object]]:
    raw = resources.files("heraldtui.core.data").joinpath("forces.toml").read_text("utf-8")
    forces: list[dict[str, object]] = tomllib.loads(raw)["force"]
    return forces


def forces(text: str, *, headline: bool = False) -> list[ForceMention]:
    return [m for m in scan_mentions(text, headline=headline) if m.role == "force"]


def areas(text: str) -> list[ForceMention]:
    return [m for m in scan_mentions(text) if m.role == "area"]


def test_table_holds_every_uk_force() -> None:
    names = {str(f["name"]) for f in _table()}
    # 43 territorial forces of England and Wales, Scotland, Northern Ireland, national ones.
    assert len(names) >= 48
    for name in (
        "Hertfordshire Constabulary",
        "Metropolitan Police Service",
        "Police Scotland",
        "Police Service of Northern Ireland",
        "British Transport Police",
        "Ministry of Defence Police",
        "Civil Nuclear Constabulary",
        "Dyfed-Powys Police",
    ):
        assert name in names


@pytest.mark.parametrize(
    ("written", "official"),
    [
        ("Herts Police", "Hertfordshire Constabulary"),
        ("Hertfordshire Police", "Hertfordshire Constabulary"),
        ("Hertfordshire Constabulary", "Hertfordshire Constabulary"),
        ("Herts police", "Hertfordshire Constabulary"),
        ("the Met", "Metropolitan Police Service"),
        ("Met Police", "Metropolitan Police Service"),
        ("Metropolitan Police", "Metropolitan Police Service"),
        ("GMP", "Greater Manchester Police"),
        ("Avon & Somerset Police", "Avon and Somerset Constabulary"),
        ("Dyfed Powys Police", "Dyfed-Powys Police"),
        ("PSNI", "Police Service of Northern Ireland"),
        ("Police Scotland", "Police Scotland"),
        ("BTP", "British Transport Police"),
        ("Lancs Police", "Lancashire Constabulary"),
    ],
)
def test_the_table_names_a_known_force_however_it_is_written(written: str, official: str) -> None:
    """Place spellings, aliases and suffixes all come from the bundled table."""
    (mention,) = scan_mentions(f"{written} said the road would reopen.")
    assert (mention.text, mention.name, mention.key, mention.role) == (
        written,
        official,
        official,
        "force",
    )


@pytest.mark.parametrize(
    "not_a_force",
    [
        "Police and Crime Commissioner",
        "Police Federation",
        "Broadland Police Federation",
        "Kent",
        "the police",
        "His Majesty's Inspectorate of Constabulary",
    ],
)
def test_what_is_not_a_force_names_none(not_a_force: str) -> None:
    assert forces(not_a_force, headline=True) == []


@pytest.mark.parametrize(
    "text",
    [
        "HM Inspector of Constabulary Ruth Amble said the report was fair.",
        "His Majesty's Inspectorate of Constabulary published it.",
        "The Police and Crime Commissioner welcomed it.",
        "The Police Federation said officers were tired.",
        "The Met Office has issued a warning for rain.",
        "Mr Hollis told police he had seen nothing.",
        "Residents called police after the crash.",
        "He went to Saltings Police Station to report it.",
        "The National Police Chiefs' Council issued guidance.",
    ],
)
def test_no_false_forces(text: str) -> None:
    assert forces(text) == []


def test_unknown_force_names_and_spans() -> None:
    text = (
        "Yesterday, Kestrel Bay Constabulary said the force would appeal. "
        "Chief Constable of Fenmoor Police Oskar Brandt agreed with (Eastholm Police) chiefs."
    )
    found = scan_mentions(text)
    assert [(m.name, m.key, m.role) for m in found] == [
        ("Kestrel Bay Constabulary", "kestrel bay", "force"),
        ("Fenmoor Police", "fenmoor", "force"),
        ("Eastholm Police", "eastholm", "force"),
    ]
    for m in found:
        assert text[m.start : m.end] == m.text


def test_descriptive_forms_resolve_to_the_fullest_name_in_the_text() -> None:
    text = "Wolds police were praised. Later, Wolds Constabulary said the constabulary agreed."
    found = scan_mentions(text)
    assert len(found) == 2
    assert {m.name for m in found} == {"Wolds Constabulary"}
    assert {m.key for m in found} == {"wolds"}


def test_descriptive_form_alone_is_a_force_only_in_a_headline_or_possessive() -> None:
    assert scan_mentions("Report says Harrowdale police must improve") == []
    headline = scan_mentions("Harrowdale police must improve", headline=True)
    assert [(m.text, m.name, m.key) for m in headline] == [
        ("Harrowdale police", None, "harrowdale")
    ]
    possessive = scan_mentions("Harrowdale's police force was told to improve.")
    assert [m.key for m in possessive] == ["harrowdale"]


def test_person_of_force_is_not_part_of_the_name() -> None:
    found = scan_mentions("Superintendent Joanne Bewick of Tyne Borders Police spoke.")
    assert [m.name for m in found] == ["Tyne Borders Police"]


def test_markdown_emphasis_does_not_cut_a_name() -> None:
    found = scan_mentions("**Humber Estuary Police – grades**")
    assert [m.name for m in found] == ["Humber Estuary Police"]


def test_areas_are_not_forces() -> None:
    text = (
        "Herts Police and Crime Commissioner Jo Blake and the Office of the Wolds PCC "
        "joined Broadland Police Federation members."
    )
    assert [(m.key, m.role) for m in scan_mentions(text)] == [
        ("Hertfordshire Constabulary", "area"),
        ("wolds", "area"),
        ("broadland", "area"),
    ]
    assert areas("Kestrel Bay Police said so.") == []


@pytest.mark.parametrize(
    ("text", "official"),
    [
        # the place after the commissioner, the panel or the chief constable
        ("The Police and Crime Commissioner for Suffolk has welcomed it.", "Suffolk Constabulary"),
        ("A statement from the Commissioner for Cleveland followed.", "Cleveland Police"),
        ("The Police and Crime Panel for Gwent meets in May.", "Gwent Police"),
        ("The PCC for Gwent, Ann Doe, said so.", "Gwent Police"),
        ("It was the Chief Constable of Norfolk, Ann Doe, who spoke.", "Norfolk Constabulary"),
        (
            "The Commissioner for Hampshire and Isle of Wight, Ann Doe, replied.",
            "Hampshire and Isle of Wight Constabulary",
        ),
        # the place before, possessive or not
        ("Your chance to question Suffolk's chief constable", "Suffolk Constabulary"),
        ("Questions for North Yorkshire’s Chief Constable", "North Yorkshire Police"),
        ("Cleveland Commissioner Ann Doe said the force had improved.", "Cleveland Police"),
    ],
)
def test_a_force_named_only_through_its_head_is_an_area(text: str, official: str) -> None:
    assert [(m.key, m.role) for m in scan_mentions(text)] == [(official, "area")]
    assert is_official(official)


@pytest.mark.parametrize(
    "text",
    [
        "The Commissioner for Victims, Ann Doe, said so.",  # no force's place
        "Deputy Chief Constable Ann Doe said so.",  # a rank, no place
        "The Chief Constable of the Year award went to Ann Doe.",
        "Kestrel Bay's chief constable said so.",  # a place the table does not know
    ],
)
def test_heads_without_a_known_place_name_no_force(text: str) -> None:
    assert scan_mentions(text) == []


def test_a_head_adds_nothing_to_a_text_that_names_its_force() -> None:
    text = "Suffolk Constabulary said Norfolk's chief constable had agreed."
    assert [(m.key, m.role) for m in scan_mentions(text)] == [("Suffolk Constabulary", "force")]
    assert not is_official("wolds")


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("Fenmoor County Fire and Rescue Service was rated good.", ["fire:fenmoor"]),
        ("Inspectors praised Fenmoor Fire & Rescue Service.", ["fire:fenmoor"]),
        ("The Royal Fenmoor Fire and Rescue Service", ["fire:fenmoor"]),
        ("Saltings Fire Brigade and Wolds FRS attended.", ["fire:saltings", "fire:wolds"]),
        # the inspectorate's own name and a fire service named by no place are none
        ("His Majesty's Inspectorate of Constabulary and Fire & Rescue Services", []),
        ("The county's fire service was praised.", []),
    ],
)
def test_fire_and_rescue_services_are_read_apart_from_forces(text: str, keys: list[str]) -> None:
    assert [key for key, _ in scan_fire_services(text)] == keys
    assert all(m.role == "area" or "Fire" not in m.text for m in scan_mentions(text))


def test_two_names_for_one_force_share_a_key() -> None:
    def key(name: str) -> str:
        (mention,) = scan_mentions(name, headline=True)
        return mention.key

    assert key("Herts Police") == key("Hertfordshire Constabulary")
    assert key("Wolds police") == key("Wolds Constabulary") == "wolds"
    assert key("Fenmoor Police") != key("Eastholm Police")


def test_place_of() -> None:
    assert place_of("Wolds Constabulary") == "Wolds"
    assert place_of("Metropolitan Police Service") == "Metropolitan"


def test_forces_module_does_not_import_textual() -> None:
    import subprocess
    import sys

    code = "import sys, heraldtui.core.stories.grouper; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Herts", "Hertfordshire Constabulary"),
        ("herts police", "Hertfordshire Constabulary"),
        ("HERTFORDSHIRE CONSTABULARY", "Hertfordshire Constabulary"),
        ("the Met", "Metropolitan Police Service"),
        ("Wolds Police", "wolds"),
        ("wolds", "wolds"),
    ],
)
def test_force_key_is_one_key_however_a_user_types_the_force(typed: str, key: str) -> None:
    assert force_key(typed) == key
