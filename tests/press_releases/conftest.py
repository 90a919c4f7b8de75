import pytest

from press_releases.extraction import pipeline
from tests.factories import make_city

# Cities of the shared releases, the cities the written-here texts use, and decoys an over-eager
# matcher would pick up ("Луганский край" is a region, "Новокузнецк" is not "Кузнецк").
REGISTRY = [
    ("Алчевск", "UA", [("Alchevsk", "en")]),
    ("Торез", "UA", [("Torez", "en")]),
    ("Донецк", "UA", [("Donetsk", "en")]),
    ("Луганск", "UA", [("Luhansk", "en")]),
    ("Азов", "RU", [("Azov", "en")]),
    ("Курбевуа", "FR", [("Courbevoie", "fr")]),
    ("Барановичи", "BY", [("Baranovichi", "en")]),
    ("Кузнецк", "RU", [("Kuznetsk", "en")]),
    ("Новокузнецк", "RU", []),
    ("Москва", "RU", [("Moscow", "en")]),
    ("Новополоцк", "BY", [("Novopolotsk", "en")]),
    ("Великий Новгород", "RU", [("Veliky Novgorod", "en"), ("Новгород", "")]),
    ("Ростов-на-Дону", "RU", [("Rostov-on-Don", "en")]),
]


@pytest.fixture(scope="session")
def nlp():
    """natasha's models, loaded once for the whole test session (about 2 s)."""
    return pipeline()


@pytest.fixture
def registry(db):
    """{name: City} for the cities above, each with its Russian primary name and aliases."""
    cities = {}
    for name, country, aliases in REGISTRY:
        names = [(name, "ru", True)] + [(alias, language, False) for alias, language in aliases]
        cities[name] = make_city(name, country=country, names=names)
    return cities
