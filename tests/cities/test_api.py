import pytest

from tests.api_helpers import csv_rows, results
from tests.factories import make_city, make_organisation, make_person, make_source, make_twinning

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- cities
def test_city_list_shows_names_counts_and_links(api_client):
    azov = make_city(
        "Азов", slug="azov", region="Ростовская область", population=80000,
        names=[("Азов", "ru", True), ("Azov", "en", True), ("Азак", "", False)],
    )
    make_twinning(azov, make_city("Courbevoie", country="FR"))
    make_twinning(make_city("Kiryat Bialik", country="IL"), azov)
    make_twinning(azov, make_city("Draft partner", published=False))

    row = api_client.get("/api/v1/cities/", {"slug": "azov"}).json()["results"][0]

    assert (row["name"], row["local_name"], row["country"], row["country_name"]) == ("Азов", "Азов", "RU", "Россия")
    assert sorted((n["name"], n["language"], n["is_primary"]) for n in row["names"]) == [
        ("Azov", "en", True),
        ("Азак", "", False),
        ("Азов", "ru", True),
    ]
    assert row["partners_count"] == 2
    assert row["partners"] == f"http://testserver/api/v1/cities/{azov.pk}/partners/"
    assert row["twinnings"] == f"http://testserver/api/v1/twinnings/?city={azov.pk}"
    assert row["web_url"] == "http://testserver/cities/azov/"


def test_city_detail_by_id_or_slug_and_drafts_hidden(api_client):
    azov = make_city("Азов", slug="azov")
    draft = make_city("Черновик", slug="draft-city", published=False)

    assert api_client.get(f"/api/v1/cities/{azov.pk}/").json()["slug"] == "azov"
    assert api_client.get("/api/v1/cities/azov/").json()["id"] == azov.pk
    assert api_client.get("/api/v1/cities/draft-city/").status_code == 404
    assert api_client.get(f"/api/v1/cities/{draft.pk}/").status_code == 404
    assert results(api_client.get("/api/v1/cities/")) == [azov.pk]


@pytest.mark.parametrize("query", ["Кузн", "Кузнецк", "кузнецка", "Kuznetsk", "Kuznetk", "Kuzn"])
def test_city_filter_name_finds_prefixes_forms_typos_and_other_scripts(api_client, query):
    kuznetsk = make_city("Кузнецк", names=[("Кузнецк", "ru", True), ("Kuznetsk", "en", True)])
    make_city("Курбевуа", country="FR", names=[("Courbevoie", "fr", True)])
    make_city("Азов")

    assert results(api_client.get("/api/v1/cities/", {"name": query})) == [kuznetsk.pk]


def test_city_filter_name_finds_alias(api_client):
    courbevoie = make_city("Courbevoie", country="FR", names=[("Курбевуа", "ru", True), ("Corbevoie", "", False)])

    assert results(api_client.get("/api/v1/cities/", {"name": "Corbevoie"})) == [courbevoie.pk]


def test_city_filter_name_without_match_is_empty(api_client):
    make_city("Азов")

    assert results(api_client.get("/api/v1/cities/", {"name": "Щщщщщщ"})) == []


def test_city_filter_country_and_has_partners(api_client):
    azov, kuznetsk = make_city("Азов"), make_city("Кузнецк")
    courbevoie = make_city("Courbevoie", country="FR")
    make_twinning(azov, courbevoie)

    russian = results(api_client.get("/api/v1/cities/", {"country": "RU"}), key="name")
    twinned = results(api_client.get("/api/v1/cities/", {"has_partners": "true"}), key="name")
    lonely = results(api_client.get("/api/v1/cities/", {"has_partners": "false"}), key="name")
    french_twinned = results(api_client.get("/api/v1/cities/", {"country": "Франция", "has_partners": "true"}), key="name")

    assert russian == ["Азов", "Кузнецк"]
    assert twinned == ["Courbevoie", "Азов"]
    assert lonely == ["Кузнецк"]
    assert french_twinned == ["Courbevoie"]
    assert kuznetsk.pk


def test_city_ordering_by_partners_count(api_client):
    hub, small = make_city("Hub"), make_city("Small")
    for _ in range(3):
        make_twinning(hub, make_city())
    make_twinning(small, make_city())

    ordered = results(api_client.get("/api/v1/cities/", {"ordering": "-partners_count", "page_size": 2}), key="name")

    assert ordered == ["Hub", "Small"]


def test_city_invalid_filters_are_400(api_client):
    assert api_client.get("/api/v1/cities/", {"has_partners": "maybe"}).status_code == 400
    assert api_client.get("/api/v1/cities/", {"country": "ZZZZ"}).status_code == 400
    assert api_client.get("/api/v1/cities/", {"geonames_id": "abc"}).status_code == 400


def test_city_partners_lists_partner_and_twinning_newest_first(api_client):
    azov = make_city("Азов", slug="azov")
    courbevoie = make_city("Courbevoie", country="FR")
    bialik = make_city("Kiryat Bialik", country="IL")
    older = make_twinning(bialik, azov, established_on="2011", kind="friendship")
    newer = make_twinning(azov, courbevoie, established_on="2018-10-24", kind="twin_city")
    make_twinning(azov, make_city("Draft", published=False))
    make_twinning(azov, make_city("Unpublished pair"), published=False)

    rows = api_client.get("/api/v1/cities/azov/partners/").json()

    assert [(row["city"]["name"], row["twinning"]["id"], row["twinning"]["established_on"]) for row in rows] == [
        ("Courbevoie", newer.pk, "2018-10-24"),
        ("Kiryat Bialik", older.pk, "2011"),
    ]
    assert rows[0]["twinning"]["status"] == "active"


def test_city_partners_of_unknown_city_is_404(api_client):
    assert api_client.get("/api/v1/cities/999999/partners/").status_code == 404
    assert api_client.get("/api/v1/cities/нет-такого/partners/").status_code == 404


def test_city_csv_lists_every_filtered_city(api_client):
    make_city("Азов", names=[("Азов", "ru", True)])
    make_city("Кузнецк")
    make_city("Courbevoie", country="FR")

    rows = csv_rows(api_client.get("/api/v1/cities/", {"country": "RU", "format": "csv"}))

    assert [row["name"] for row in rows] == ["Азов", "Кузнецк"]
    assert rows[0]["names"] == "Азов"


@pytest.mark.parametrize("rows", [1, 3])
def test_city_list_query_count_does_not_grow_with_rows(api_client, api_overhead, django_assert_num_queries, rows):
    for _ in range(rows):
        city = make_city(names=[("Имя", "ru", True)])
        make_twinning(city, make_city())
        city.sources.add(make_source())

    # count, page (partner counts as subqueries), names, sources.
    with django_assert_num_queries(api_overhead + 4):
        response = api_client.get("/api/v1/cities/", {"has_partners": "true", "country": "RU"})

    assert response.json()["count"] == rows * 2


# ---------------------------------------------------------------- countries
def test_countries_list_counts_twinned_cities_and_twinnings(api_client):
    azov, kuznetsk = make_city("Азов"), make_city("Кузнецк")
    make_twinning(azov, make_city("Courbevoie", country="FR"))
    make_twinning(kuznetsk, make_city("Барановичи", country="BY"))
    make_twinning(azov, kuznetsk)

    rows = {row["code"]: row for row in api_client.get("/api/v1/countries/").json()}

    assert sorted(rows) == ["BY", "FR", "RU"]
    assert (rows["RU"]["cities_count"], rows["RU"]["twinnings_count"]) == (2, 3)
    assert rows["RU"]["name"] == "Россия"
    assert rows["FR"]["twinnings"] == "http://testserver/api/v1/twinnings/?country=FR"


def test_country_detail_lists_partner_countries(api_client):
    azov = make_city("Азов")
    make_twinning(azov, make_city("Courbevoie", country="FR"))
    make_twinning(make_city("Lyon", country="FR"), make_city("Казань"))
    make_twinning(azov, make_city("Minsk", country="BY"))

    body = api_client.get("/api/v1/countries/ru/").json()

    assert (body["code"], body["twinnings_count"]) == ("RU", 3)
    assert [(row["code"], row["twinnings_count"]) for row in body["partner_countries"]] == [("FR", 2), ("BY", 1)]
    assert body["partner_countries"][0]["twinnings"].endswith("/api/v1/twinnings/?country=RU&partner_country=FR")


def test_country_detail_unknown_code_is_404(api_client):
    assert api_client.get("/api/v1/countries/XX/").status_code == 404
    assert api_client.get("/api/v1/countries/Россия/").status_code == 404


def test_countries_csv(api_client):
    make_twinning(make_city("Азов"), make_city("Courbevoie", country="FR"))

    rows = csv_rows(api_client.get("/api/v1/countries/", {"format": "csv"}))

    assert sorted(row["code"] for row in rows) == ["FR", "RU"]


# ---------------------------------------------------------------- organisations and persons
def test_organisations_filter_city_kind_and_q(api_client):
    alchevsk = make_city("Алчевск", country="UA", slug="alchevsk")
    gymnasium = make_organisation(alchevsk, name="Гимназия №1 имени Ивана Франко", kind="gymnasium")
    administration = make_organisation(alchevsk, name="Администрация города Алчевска")
    make_organisation(make_city("Азов"), name="Администрация города Азова")
    make_organisation(alchevsk, name="Черновик", published=False)

    of_city = results(api_client.get("/api/v1/organisations/", {"city": "alchevsk"}))
    gymnasiums = results(api_client.get("/api/v1/organisations/", {"kind": "gymnasium"}))
    searched = results(api_client.get("/api/v1/organisations/", {"q": "гимназии"}))

    assert of_city == [administration.pk, gymnasium.pk]
    assert gymnasiums == [gymnasium.pk]
    assert searched == [gymnasium.pk]


def test_organisation_detail_by_slug_links_parent_only_when_published(api_client):
    city = make_city("Алчевск", country="UA")
    hidden_parent = make_organisation(city, name="Система", published=False)
    library = make_organisation(city, name="Библиотека", slug="library", parent=hidden_parent)

    body = api_client.get("/api/v1/organisations/library/").json()

    assert (body["id"], body["parent"], body["city"]["name"]) == (library.pk, None, "Алчевск")


def test_persons_filter_and_positions(api_client):
    azov = make_city("Азов", slug="azov")
    pyatkova = make_person(azov, full_name="Наталья Пяткова", full_name_en="Natalya Pyatkova", position="Глава города")
    make_person(make_city("Кузнецк"), full_name="Сергей Златогорский")

    assert results(api_client.get("/api/v1/persons/", {"city": "azov"})) == [pyatkova.pk]
    assert results(api_client.get("/api/v1/persons/", {"q": "Пяткова"})) == [pyatkova.pk]
    body = api_client.get(f"/api/v1/persons/{pyatkova.slug}/").json()
    assert [position["title"] for position in body["positions"]] == ["Глава города"]


@pytest.mark.parametrize("rows", [1, 3])
def test_person_list_query_count_does_not_grow_with_rows(api_client, api_overhead, django_assert_num_queries, rows):
    for _ in range(rows):
        make_person(make_city(names=[("Имя", "ru", True)]), position="Мэр").sources.add(make_source())

    # count, page (with city), city names, positions with organisations, sources.
    with django_assert_num_queries(api_overhead + 5):
        response = api_client.get("/api/v1/persons/")

    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [1, 3])
def test_organisation_list_query_count_does_not_grow_with_rows(api_client, api_overhead, django_assert_num_queries, rows):
    for _ in range(rows):
        make_organisation(make_city(names=[("Имя", "ru", True)])).sources.add(make_source())

    # count, page (with city and parent), city names, sources.
    with django_assert_num_queries(api_overhead + 4):
        response = api_client.get("/api/v1/organisations/")

    assert response.json()["count"] == rows
