import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    make_agreement,
    make_city,
    make_delegation,
    make_event,
    make_organisation,
    make_person,
    make_twinning,
)
from twinning.search import autocomplete, find_cities, search, transliterate

pytestmark = pytest.mark.django_db


@pytest.fixture
def azov():
    return make_city("Азов", names=[("Азов", "ru", True), ("Azov", "en", True)], population=80000)


@pytest.fixture
def courbevoie():
    return make_city("Courbevoie", country="FR", names=[("Курбевуа", "ru", True), ("Courbevoie", "en", True)])


@pytest.fixture
def baranovichi():
    return make_city("Барановичи", country="BY", names=[("Барановичи", "ru", True), ("Baranovichi", "en", True)])


def names(cities):
    return [city.name for city in cities]


def test_search_russian_genitive_finds_city(azov, courbevoie):
    make_city("Азнакаево")

    results = search("побратимы Азова")

    assert names(results.cities)[0] == "Азов"
    assert "Courbevoie" not in names(results.cities)


def test_search_genitive_plural_finds_delegation_of_city(baranovichi):
    ivanovo = make_city("Иваново")
    delegation = make_delegation(baranovichi, ivanovo, start_on="2025-09-18")
    make_delegation(make_city("Минск", country="BY"), ivanovo)  # not Baranovichi's

    results = search("делегация Барановичей")

    assert names(results.cities) == ["Барановичи"]
    assert results.delegations == [delegation]


def test_search_alias_in_other_script_finds_city(courbevoie):
    results = search("Курбевуа")

    assert names(results.cities) == ["Courbevoie"]


def test_search_transliterated_spelling_finds_cyrillic_only_city():
    baranovichi = make_city("Барановичи", country="BY")  # no Latin name recorded

    results = search("Baranavichy")

    assert results.cities == [baranovichi]


def test_search_typo_finds_city():
    kuznetsk = make_city("Kuznetsk")
    make_city("Oxford", country="GB")

    assert find_cities("Kuznetk") == [kuznetsk]


def test_search_excludes_drafts(azov):
    make_city("Азовск", published=False)
    draft_twinning = make_twinning(azov, make_city("Bergen", country="NO"), published=False)
    make_delegation(azov, make_city("Ейск"), published=False)
    make_event(azov, title="Черновик", published=False)
    make_organisation(azov, name="Азовский музей", published=False)

    results = search("Азов")

    assert names(results.cities) == ["Азов"]
    assert draft_twinning not in results.twinnings
    assert results.delegations == results.events == results.organisations == []


def test_search_groups_records_of_the_matched_city(azov, courbevoie):
    twinning = make_twinning(azov, courbevoie, established_on="1990")
    agreement = make_agreement(azov, courbevoie, title="Соглашение о сотрудничестве", signed_on="2019-09-18")
    event = make_event(azov, courbevoie, title="Выставка детского рисунка", start_on="2020")
    museum = make_organisation(azov, name="Азовский историко-археологический музей")

    results = search("Азов")

    assert results.twinnings == [twinning]
    assert results.agreements == [agreement]
    assert results.events == [event]
    assert results.organisations == [museum]


def test_search_text_match_in_event_title():
    event = make_event(make_city(), title="Фестиваль народного творчества")
    make_event(make_city(), title="Выставка")

    results = search("фестивали")

    assert results.events == [event]


def test_search_person_by_inflected_name():
    person = make_person(full_name="Наталья Пяткова")

    assert search("Пятковой").persons == [person]


def test_search_empty_and_hostile_queries_return_nothing_without_errors():
    assert search("").total == 0
    assert search("   ").total == 0
    assert search("'\\:*&|!()<>").total == 0
    assert search("x" * 5000).query == "x" * 200


def test_search_query_count_does_not_grow_with_results(django_assert_max_num_queries, azov):
    for number in range(30):
        partner = make_city(f"Partner {number}")
        make_twinning(azov, partner)
        make_delegation(azov, partner)
        make_event(azov, partner)

    with django_assert_max_num_queries(34):
        results = search("Азов")

    assert len(results.twinnings) == 20


def test_transliterate_both_ways():
    assert transliterate("Baranavichy") == "баранавичы"
    assert transliterate("Курбевуа") == "kurbevua"


def test_autocomplete_prefix_and_alias(azov, courbevoie):
    make_city("Азнакаево", population=30000)

    labels = [item["label"] for item in autocomplete("аз")]
    kurb = autocomplete("Курб")

    assert labels == ["Азов", "Азнакаево"]
    assert [(item["type"], item["url"]) for item in kurb] == [("city", courbevoie.get_absolute_url())]


def test_autocomplete_too_short_returns_nothing(azov):
    assert autocomplete("а") == []


def _bulk_cities(count):
    """`count` published cities with one alias each, inserted by PostgreSQL itself (seconds, not minutes)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO cities_city (name, slug, country, region, publication, version, created_at, updated_at)"
            " SELECT 'Town ' || md5(n::text), 'bulk-' || n, 'DE', '', 'published', 1, now(), now()"
            " FROM generate_series(1, %s) AS n",
            [count],
        )
        cursor.execute(
            "INSERT INTO cities_cityname (city_id, name, language, is_primary)"
            " SELECT id, 'Ort ' || md5(slug), '', false FROM cities_city WHERE slug LIKE 'bulk-%%'"
        )
        cursor.execute("ANALYZE cities_city; ANALYZE cities_cityname")


def _plan(sql):
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # as twinning.search._index_scans_only() does
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
        return plan


def test_city_name_search_uses_gin_indexes_on_a_large_table(azov):
    _bulk_cities(30000)
    with CaptureQueriesContext(connection) as queries:
        found = find_cities("побратимы Азова")
    # The candidate queries (ids only) carry the match conditions; the scoring ones read those ids.
    candidates = [q["sql"] for q in queries.captured_queries if '"id" AS "pk" FROM' in q["sql"] and " % " in q["sql"]]
    plans = {sql.split('FROM "')[1].split('"')[0]: _plan(sql) for sql in candidates}

    assert names(found) == ["Азов"]
    assert set(plans) == {"cities_cityname", "cities_city"}
    assert "cityname_name_fts" in plans["cities_cityname"] and "cityname_name_trgm" in plans["cities_cityname"]
    assert "city_name_fts" in plans["cities_city"] and "city_name_trgm" in plans["cities_city"]
    assert "Seq Scan" not in plans["cities_cityname"] + plans["cities_city"]


def test_search_leaves_sequential_scans_switched_back_on(azov):
    search("побратимы Азова")

    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"
