"""Recognising police forces: the bundled table, unknown forces, false forces, areas."""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest

from heraldtui.core.forces import (
    canonical_force,
    find_areas,
    find_forces,
    force_key,
    place_of,
    scan_mentions,
)


def _table() -> list[dict[str, object]]:
    raw = resources.files("heraldtui.core.data").joinpath("forces.toml").read_text("utf-8")
    forces: list[dict[str, object]] = tomllib.loads(raw)["force"]
    return forces


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
        ("Kestrel Bay police", "Kestrel Bay Police"),
        ("Kestrel Bay Constabulary", "Kestrel Bay Constabulary"),
    ],
)
def test_canonical_force(written: str, official: str) -> None:
    assert canonical_force(written) == official


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
def test_canonical_force_rejects_what_is_not_a_force(not_a_force: str) -> None:
    assert canonical_force(not_a_force) is None


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
    assert find_forces(text) == []


def test_unknown_force_names_and_spans() -> None:
    text = (
        "Yesterday, Kestrel Bay Constabulary said the force would appeal. "
        "Chief Constable of Fenmoor Police Oskar Brandt agreed with (Eastholm Police) chiefs."
    )
    found = find_forces(text)
    assert [(m.name, m.role) for m in found] == [
        ("Kestrel Bay Constabulary", "force"),
        ("Kestrel Bay Constabulary", "short"),
        ("Fenmoor Police", "force"),
        ("Eastholm Police", "force"),
    ]
    for m in found:
        assert text[m.start : m.end] == m.text
        assert m.span == (m.start, m.end)
    assert not any(m.known for m in found)


def test_descriptive_forms_resolve_to_the_fullest_name_in_the_text() -> None:
    text = "Wolds police were praised. Later, Wolds Constabulary said the constabulary agreed."
    found = find_forces(text)
    assert {m.name for m in found} == {"Wolds Constabulary"}
    assert {m.key for m in found} == {"wolds"}


def test_descriptive_form_alone_is_a_force_only_in_a_headline_or_possessive() -> None:
    assert find_forces("Report says Harrowdale police must improve") == []
    headline = find_forces("Harrowdale police must improve", headline=True)
    assert [(m.text, m.name, m.key) for m in headline] == [
        ("Harrowdale police", None, "harrowdale")
    ]
    possessive = find_forces("Harrowdale's police force was told to improve.")
    assert [m.key for m in possessive] == ["harrowdale"]


def test_person_of_force_is_not_part_of_the_name() -> None:
    found = find_forces("Superintendent Joanne Bewick of Tyne Borders Police spoke.")
    assert [m.name for m in found] == ["Tyne Borders Police"]


def test_markdown_emphasis_does_not_cut_a_name() -> None:
    found = find_forces("**Humber Estuary Police – grades**")
    assert [m.name for m in found] == ["Humber Estuary Police"]


def test_areas_are_not_forces() -> None:
    text = (
        "Herts Police and Crime Commissioner Jo Blake and the Office of the Wolds PCC "
        "joined Broadland Police Federation members."
    )
    assert find_forces(text) == []
    areas = find_areas(text)
    assert [(m.key, m.role) for m in areas] == [
        ("Hertfordshire Constabulary", "area"),
        ("wolds", "area"),
        ("broadland", "area"),
    ]
    assert len(scan_mentions(text)) == 3


def test_two_names_for_one_force_share_a_key() -> None:
    assert force_key("Herts Police") == force_key("Hertfordshire Constabulary")
    assert force_key("Wolds police") == force_key("Wolds Constabulary") == "wolds"
    assert force_key("Fenmoor Police") != force_key("Eastholm Police")


def test_place_of() -> None:
    assert place_of("Wolds Constabulary") == "Wolds"
    assert place_of("Metropolitan Police Service") == "Metropolitan"


def test_forces_module_does_not_import_textual() -> None:
    import subprocess
    import sys

    code = "import sys, heraldtui.core.grouping; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
