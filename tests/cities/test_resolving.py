import pytest

from cities.gazetteer import name_key
from cities.resolving import PlaceName, parse_place_name


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Azov", PlaceName("Azov", "Azov", searchable=("Azov",))),
        (
            "Solntsevo (Moscow)",
            PlaceName("Solntsevo (Moscow)", "Solntsevo", region="Moscow", parent="Moscow", searchable=("Solntsevo",), qualified=True),
        ),
        (
            "Berlin – Spandau",
            PlaceName("Berlin – Spandau", "Spandau", region="Berlin", parent="Berlin", searchable=("Spandau",), qualified=True),
        ),
        (
            "Córdoba, Bolívar",
            PlaceName("Córdoba, Bolívar", "Córdoba", region="Bolívar", searchable=("Córdoba, Bolívar", "Córdoba"), qualified=True),
        ),
        ("Biel/Bienne", PlaceName("Biel/Bienne", "Biel/Bienne", searchable=("Biel/Bienne", "Biel", "Bienne"))),
        ("Bergstraße (district)", PlaceName("Bergstraße (district)", "Bergstraße (district)", qualified=True)),
        ("Yeysky District", PlaceName("Yeysky District", "Yeysky District")),
        ("Bonn (Bonn)", PlaceName("Bonn (Bonn)", "Bonn", searchable=("Bonn",), qualified=True)),
        ("  Saint-Lô  ", PlaceName("Saint-Lô", "Saint-Lô", searchable=("Saint-Lô",))),
    ],
)
def test_parse_place_name_takes_districts_regions_and_areas_apart(written, expected):
    assert parse_place_name(written) == expected


@pytest.mark.parametrize(
    ("one", "other"),
    [("Saint-Lô", "saint lo"), ("St. Cloud", "Saint Cloud"), ("Bağcılar", "Bagcilar"), ("Łódź", "Lodz"), ("Jing'an", "Jingan")],
)
def test_name_key_ignores_case_accents_and_punctuation(one, other):
    assert name_key(one) == name_key(other)


def test_name_key_keeps_other_scripts():
    assert name_key("Москва") == "москва"
