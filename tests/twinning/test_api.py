import datetime

import pytest
from django.utils import timezone

from tests.api_helpers import csv_rows, results
from tests.factories import (
    make_agreement,
    make_city,
    make_delegation,
    make_event,
    make_organisation,
    make_person,
    make_source,
    make_twinning,
)
from twinning.models import AgreementSignatory, StatusChange, TwinningState

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- twinnings
def test_twinning_list_carries_both_cities_and_derived_status(api_client):
    azov = make_city("Азов", latitude=47.1, longitude=39.4, names=[("Азов", "ru", True), ("Azov", "en", True)])
    courbevoie = make_city("Courbevoie", country="FR", latitude=48.9, longitude=2.25)
    twinning = make_twinning(azov, courbevoie, kind="twin_city", established_on="2018-10-24")
    StatusChange.objects.create(twinning=twinning, state=TwinningState.SUSPENDED, date="2022-03")

    response = api_client.get("/api/v1/twinnings/")

    [row] = response.json()["results"]
    assert row["id"] == twinning.pk
    assert row["city_a"] == {
        "id": azov.pk,
        "url": f"http://testserver/api/v1/cities/{azov.pk}/",
        "slug": azov.slug,
        "name": "Азов",
        "country": "RU",
        "country_name": "Россия",
        "latitude": 47.1,
        "longitude": 39.4,
    }
    assert (row["city_b"]["name"], row["city_b"]["country"]) == ("Courbevoie", "FR")
    assert (row["established_on"], row["status"], row["current_state"]) == ("2018-10-24", "suspended", "suspended")
    assert row["status_history"] == [
        {"state": "suspended", "date": "2022-03", "act": "", "act_title": "", "source": None}
    ]
    assert row["url"] == f"http://testserver/api/v1/twinnings/{twinning.pk}/"
    assert row["agreements"] == f"http://testserver/api/v1/agreements/?twinning={twinning.pk}"


def test_twinning_names_follow_accept_language(api_client):
    azov = make_city("Азов", names=[("Азов", "ru", True), ("Azov", "en", True)])
    make_twinning(azov, make_city("Courbevoie", country="FR"))

    response = api_client.get("/api/v1/twinnings/", HTTP_ACCEPT_LANGUAGE="en")

    [row] = response.json()["results"]
    assert (row["city_a"]["name"], row["city_b"]["country_name"]) == ("Azov", "France")


def test_twinning_drafts_and_twinnings_of_draft_cities_do_not_leak(api_client):
    public = make_twinning(make_city("Азов"), make_city("Courbevoie", country="FR"))
    draft = make_twinning(make_city("Кузнецк"), make_city("Baranovichi", country="BY"), published=False)
    with_draft_city = make_twinning(make_city("Алчевск", country="UA"), make_city("Draft city", published=False))

    listed = results(api_client.get("/api/v1/twinnings/"))

    assert listed == [public.pk]
    assert api_client.get(f"/api/v1/twinnings/{draft.pk}/").status_code == 404
    assert api_client.get(f"/api/v1/twinnings/{with_draft_city.pk}/").status_code == 404


@pytest.mark.parametrize("reference", ["slug", "id", "Азов", "azov", "АЗОВ"])
def test_twinning_filter_city_matches_either_side_by_id_slug_or_name(api_client, reference):
    azov = make_city("Азов", names=[("Азов", "ru", True), ("Azov", "en", True)], slug="azov")
    as_a = make_twinning(azov, make_city("Courbevoie", country="FR"), established_on="2018")
    as_b = make_twinning(make_city("Kiryat Bialik", country="IL"), azov, established_on="2011")
    make_twinning(make_city("Кузнецк"), make_city("Baranovichi", country="BY"))
    value = {"slug": azov.slug, "id": azov.pk}.get(reference, reference)

    listed = results(api_client.get("/api/v1/twinnings/", {"city": value}))

    assert listed == [as_a.pk, as_b.pk]


def test_twinning_filter_city_and_partner_finds_the_pair(api_client):
    azov, courbevoie = make_city("Азов", slug="azov"), make_city("Courbevoie", country="FR", slug="courbevoie")
    pair = make_twinning(courbevoie, azov)
    make_twinning(azov, make_city("Kiryat Bialik", country="IL"))

    listed = results(api_client.get("/api/v1/twinnings/", {"city": "azov", "partner": "courbevoie"}))

    assert listed == [pair.pk]


def test_twinning_filter_unknown_city_gives_empty_list_not_error(api_client):
    make_twinning(make_city("Азов"), make_city("Courbevoie", country="FR"))

    response = api_client.get("/api/v1/twinnings/", {"city": "Нигдеград"})

    assert response.status_code == 200
    assert response.json()["results"] == []


def test_twinning_filter_ambiguous_city_name_is_400_listing_slugs(api_client):
    make_twinning(make_city("Троицк", slug="troitsk"), make_city("Courbevoie", country="FR"))
    make_city("Троицк", slug="troitsk-moscow")

    response = api_client.get("/api/v1/twinnings/", {"city": "Троицк"})

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "troitsk (RU)" in body["errors"]["city"][0]
    assert "troitsk-moscow (RU)" in body["errors"]["city"][0]


def test_twinning_filter_pair_of_countries_in_either_orientation(api_client):
    moscow, beijing = make_city("Москва"), make_city("Пекин", country="CN")
    kazan, harbin = make_city("Казань"), make_city("Харбин", country="CN")
    russian_chinese = make_twinning(moscow, beijing, established_on="1995")
    chinese_russian = make_twinning(harbin, kazan, established_on="2010")
    make_twinning(moscow, make_city("Paris", country="FR"))
    make_twinning(beijing, make_city("Paris2", country="FR"))

    listed = results(
        api_client.get("/api/v1/twinnings/", {"country": "RU", "partner_country": "CN", "ordering": "established_on"})
    )

    assert listed == [russian_chinese.pk, chinese_russian.pk]


@pytest.mark.parametrize("country", ["RU", "ru", "RUS", "643", "Russia", "Россия"])
def test_twinning_filter_country_accepts_codes_and_names(api_client, country):
    russian = make_twinning(make_city("Азов"), make_city("Courbevoie", country="FR"))
    make_twinning(make_city("Minsk", country="BY"), make_city("Paris", country="FR"))

    assert results(api_client.get("/api/v1/twinnings/", {"country": country})) == [russian.pk]


def test_twinning_filter_partner_country_alone_means_either_side(api_client):
    chinese = make_twinning(make_city("Пекин", country="CN"), make_city("Москва"))
    make_twinning(make_city("Азов"), make_city("Courbevoie", country="FR"))

    assert results(api_client.get("/api/v1/twinnings/", {"partner_country": "CN"})) == [chinese.pk]


def test_twinning_filter_unknown_country_is_400_with_message(api_client):
    response = api_client.get("/api/v1/twinnings/", {"country": "Атлантида"})

    assert response.status_code == 400
    [message] = response.json()["errors"]["country"]
    assert "Атлантида" in message


def test_twinning_filter_kind_status_and_year(api_client):
    active = make_twinning(kind="twin_city", established_on="2016-05-01")
    ended = make_twinning(kind="twin_city", established_on="2016")
    StatusChange.objects.create(twinning=ended, state=TwinningState.ENDED, date="2022")
    make_twinning(kind="friendship", established_on="2016")
    make_twinning(kind="twin_city", established_on="2017")

    twin_city_2016 = results(api_client.get("/api/v1/twinnings/", {"kind": "twin_city", "established_year": 2016}))
    ended_only = results(api_client.get("/api/v1/twinnings/", {"status": "ended"}))
    active_twin = results(api_client.get("/api/v1/twinnings/", {"status": "active", "kind": "twin_city"}))

    assert sorted(twin_city_2016) == sorted([active.pk, ended.pk])
    assert ended_only == [ended.pk]
    assert ended.pk not in active_twin and active.pk in active_twin


def test_twinning_filter_established_before_and_after_use_partial_date_periods(api_client):
    may_2016 = make_twinning(established_on="2016-05-24")
    year_2016 = make_twinning(established_on="2016")
    make_twinning(established_on="2015-12-31")
    make_twinning(established_on="2017-01")

    within_2016 = results(
        api_client.get("/api/v1/twinnings/", {"established_after": "2016", "established_before": "2016", "ordering": "id"})
    )
    from_june = results(api_client.get("/api/v1/twinnings/", {"established_after": "2016-06", "established_before": "2016-12-31"}))

    assert within_2016 == [may_2016.pk, year_2016.pk]
    # "2016" reaches into June; a known day in May does not.
    assert from_june == [year_2016.pk]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"established_year": "двадцать"}, "established_year"),
        ({"established_year": "0"}, "established_year"),
        ({"established_after": "2016-13"}, "established_after"),
        ({"established_before": "вчера"}, "established_before"),
        ({"kind": "sister"}, "kind"),
        ({"status": "frozen"}, "status"),
        ({"ordering": "secret_field"}, None),
        ({"page_size": "много"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
        ({"city": "a\x00b"}, "city"),
    ],
)
def test_twinning_list_invalid_values_are_400_with_field_message(api_client, params, field):
    make_twinning()

    response = api_client.get("/api/v1/twinnings/", params)

    if field is None:  # DRF ignores an unknown ordering field rather than failing
        assert response.status_code == 200
        return
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"status", "code", "message", "errors"}
    assert body["status"] == 400 and body["code"] == "invalid"
    assert body["errors"][field][0]
    assert body["message"].startswith(field)


def test_twinning_list_invalid_page_is_404_json(api_client):
    response = api_client.get("/api/v1/twinnings/", {"page": 99})

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_twinning_list_page_size_is_capped(api_client, settings):
    from twinning.api.pagination import RegistryPagination

    for _ in range(3):
        make_twinning()
    RegistryPagination.max_page_size, old = 2, RegistryPagination.max_page_size
    try:
        response = api_client.get("/api/v1/twinnings/", {"page_size": 1000})
    finally:
        RegistryPagination.max_page_size = old

    assert response.json()["count"] == 3
    assert len(response.json()["results"]) == 2


def test_twinning_full_text_q_finds_description_and_city_names(api_client):
    azov = make_city("Азов", names=[("Азов", "ru", True)])
    of_azov = make_twinning(azov, make_city("Courbevoie", country="FR"))
    about_schools = make_twinning(description="Обмен школьниками и учителями")
    make_twinning(description="Торговля")

    assert results(api_client.get("/api/v1/twinnings/", {"q": "школьников"})) == [about_schools.pk]
    assert results(api_client.get("/api/v1/twinnings/", {"q": "Азов"})) == [of_azov.pk]
    assert results(api_client.get("/api/v1/twinnings/", {"q": "Цюрупинск"})) == []


def test_twinning_csv_has_all_rows_and_flattened_cities(api_client):
    azov = make_city("Азов", slug="azov")
    make_twinning(azov, make_city("Courbevoie", country="FR"), established_on="2018-10-24")
    make_twinning(make_city("Kiryat Bialik", country="IL"), azov, established_on="2011")
    make_twinning()  # not Azov's

    response = api_client.get("/api/v1/twinnings/", {"city": "Азов", "format": "csv", "page_size": 1})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="twinnings.csv"'
    rows = csv_rows(response)
    assert [(row["city_a.name"], row["city_b.name"], row["established_on"]) for row in rows] == [
        ("Азов", "Courbevoie", "2018-10-24"),
        ("Kiryat Bialik", "Азов", "2011"),
    ]


def test_twinning_detail_with_csv_format_and_error_as_json(api_client):
    twinning = make_twinning()

    single = csv_rows(api_client.get(f"/api/v1/twinnings/{twinning.pk}/", {"format": "csv"}))
    error = api_client.get("/api/v1/twinnings/", {"format": "csv", "established_year": "x"})

    assert [row["id"] for row in single] == [str(twinning.pk)]
    assert error.status_code == 400
    assert error["Content-Type"] == "application/json"
    assert error.json()["errors"]["established_year"]


@pytest.mark.parametrize("rows", [1, 3])
def test_twinning_list_query_count_does_not_grow_with_rows(api_client, api_overhead, django_assert_num_queries, rows):
    for _ in range(rows):
        twinning = make_twinning(make_city(names=[("Имя", "ru", True)]), make_city(), established_on="2015")
        twinning.sources.add(make_source())
        StatusChange.objects.create(twinning=twinning, state=TwinningState.TREATY, date="2015")

    # count, page (with the status subquery and both cities joined), names of city_a, of city_b,
    # status changes, sources.
    with django_assert_num_queries(api_overhead + 6):
        response = api_client.get("/api/v1/twinnings/")

    assert len(response.json()["results"]) == rows


# ---------------------------------------------------------------- agreements
def test_agreement_filters_sphere_and_year_answer_education_2016(api_client):
    kuznetsk, baranovichi = make_city("Кузнецк"), make_city("Барановичи", country="BY")
    education_2016 = make_agreement(kuznetsk, baranovichi, spheres=["education", "culture"], signed_on="2016-05-24")
    make_agreement(kuznetsk, baranovichi, spheres=["education"], signed_on="2017")
    make_agreement(kuznetsk, baranovichi, spheres=["sport"], signed_on="2016")
    make_agreement(kuznetsk, baranovichi, spheres=["education"], signed_on="2016", published=False)

    listed = results(api_client.get("/api/v1/agreements/", {"sphere": "education", "year": 2016}))

    assert listed == [education_2016.pk]


def test_agreement_detail_lists_parties_and_signatories(api_client):
    alchevsk = make_city("Алчевск", country="UA")
    gymnasium = make_organisation(alchevsk, name="Гимназия №1", kind="gymnasium")
    azov = make_city("Азов")
    person = make_person(alchevsk, full_name="Иван Петров")
    agreement = make_agreement(azov, gymnasium, title="Договор о партнёрстве", spheres=["education"], signed_on="2019")
    AgreementSignatory.objects.create(agreement=agreement, person=person, position_title="Директор")

    row = api_client.get(f"/api/v1/agreements/{agreement.pk}/").json()

    parties = sorted((p["city"]["name"], p["organisation"] and p["organisation"]["name"]) for p in row["parties"])
    assert parties == [("Азов", None), ("Алчевск", "Гимназия №1")]
    assert [(s["person"]["full_name"], s["position_title"]) for s in row["signatories"]] == [("Иван Петров", "Директор")]
    assert row["spheres"] == ["education"]


def test_agreement_filters_city_signatory_kind_and_country(api_client):
    azov, alchevsk = make_city("Азов", slug="azov"), make_city("Алчевск", country="UA")
    school = make_organisation(alchevsk, name="Школа")
    pyatkova = make_person(azov, full_name="Наталья Пяткова")
    of_azov = make_agreement(azov, school, kind="cooperation", signed_on="2020")
    AgreementSignatory.objects.create(agreement=of_azov, person=pyatkova)
    other = make_agreement(make_city("Кузнецк"), make_city("Барановичи", country="BY"), kind="memorandum")

    assert results(api_client.get("/api/v1/agreements/", {"city": "azov"})) == [of_azov.pk]
    assert results(api_client.get("/api/v1/agreements/", {"city": "Алчевск"})) == [of_azov.pk]
    assert results(api_client.get("/api/v1/agreements/", {"signatory": "Пяткова"})) == [of_azov.pk]
    assert results(api_client.get("/api/v1/agreements/", {"kind": "memorandum"})) == [other.pk]
    assert results(api_client.get("/api/v1/agreements/", {"country": "UA"})) == [of_azov.pk]
    assert results(api_client.get("/api/v1/agreements/", {"signatory": "Никто"})) == []


def test_agreement_filter_twinning_lists_the_pairs_story(api_client):
    azov, courbevoie = make_city("Азов"), make_city("Courbevoie", country="FR")
    twinning = make_twinning(azov, courbevoie)
    linked = make_agreement(title="linked", twinning=twinning)
    both_parties = make_agreement(azov, courbevoie, title="both parties")
    make_agreement(azov, make_city("Другой"), title="other pair")

    listed = results(api_client.get("/api/v1/agreements/", {"twinning": twinning.pk, "ordering": "title"}))

    assert listed == [both_parties.pk, linked.pk]


@pytest.mark.parametrize("rows", [1, 3])
def test_agreement_list_query_count_does_not_grow_with_rows(api_client, api_overhead, django_assert_num_queries, rows):
    for _ in range(rows):
        city = make_city()
        agreement = make_agreement(city, make_organisation(make_city()), spheres=["culture"], signed_on="2016")
        AgreementSignatory.objects.create(agreement=agreement, person=make_person(city))
        agreement.sources.add(make_source())

    # count, page, parties (with their city or organisation and its city), names of party cities,
    # names of party organisations' cities, signatories, sources.
    with django_assert_num_queries(api_overhead + 7):
        response = api_client.get("/api/v1/agreements/")

    assert len(response.json()["results"]) == rows


# ---------------------------------------------------------------- sources
def test_sources_lists_only_sources_cited_by_public_records(api_client):
    cited = make_source(title="Пресс-релиз об открытии выставки")
    by_status = make_source(title="Решение совета")
    make_source(title="Not cited")
    draft_only = make_source(title="Draft citation")
    public = make_twinning()
    public.sources.add(cited)
    StatusChange.objects.create(twinning=public, state=TwinningState.TREATY, source=by_status)
    make_twinning(published=False).sources.add(draft_only)

    listed = results(api_client.get("/api/v1/sources/", {"ordering": "title"}), key="title")
    searched = results(api_client.get("/api/v1/sources/", {"q": "выставки"}), key="title")

    assert listed == ["Пресс-релиз об открытии выставки", "Решение совета"]
    assert searched == ["Пресс-релиз об открытии выставки"]


# ---------------------------------------------------------------- anniversaries
def _years_ago(years, *, plus_days):
    day = timezone.localdate() + datetime.timedelta(days=plus_days)
    return day.replace(year=day.year - years) if not (day.month == 2 and day.day == 29) else day.replace(
        year=day.year - years, day=28
    )


def test_anniversaries_within_window_json(api_client):
    azov, courbevoie = make_city("Азов", slug="azov"), make_city("Courbevoie", country="FR")
    soon = make_twinning(azov, courbevoie, established_on=_years_ago(10, plus_days=5).isoformat())
    make_twinning(established_on=_years_ago(10, plus_days=120).isoformat())

    rows = api_client.get("/api/v1/anniversaries/", {"within": 90}).json()["results"]

    assert [(row["kind"], row["years"], row["days_left"], row["url"]) for row in rows] == [
        ("twinning", 10, 5, f"http://testserver/api/v1/twinnings/{soon.pk}/")
    ]
    assert [city["name"] for city in rows[0]["cities"]] == ["Азов", "Courbevoie"]


def test_anniversaries_filter_city_and_invalid_within(api_client):
    azov = make_city("Азов", slug="azov")
    make_twinning(azov, make_city(), established_on=_years_ago(5, plus_days=1).isoformat())
    make_twinning(established_on=_years_ago(5, plus_days=1).isoformat())

    of_azov = api_client.get("/api/v1/anniversaries/", {"city": "azov"})
    too_far = api_client.get("/api/v1/anniversaries/", {"within": 1000})
    not_a_number = api_client.get("/api/v1/anniversaries/", {"within": "девяносто"})

    assert of_azov.json()["count"] == 1
    assert too_far.status_code == 400 and too_far.json()["errors"]["within"]
    assert not_a_number.status_code == 400 and not_a_number.json()["errors"]["within"]


def test_anniversaries_agreement_shows_party_cities(api_client):
    kuznetsk = make_city("Кузнецк")
    school = make_organisation(make_city("Барановичи", country="BY"), name="Школа")
    make_agreement(kuznetsk, school, title="Договор", signed_on=_years_ago(15, plus_days=3).isoformat())

    [row] = api_client.get("/api/v1/anniversaries/").json()["results"]

    assert (row["kind"], row["years"]) == ("agreement", 15)
    assert [city["name"] for city in row["cities"]] == ["Кузнецк", "Барановичи"]


# ---------------------------------------------------------------- errors, throttling
def test_anonymous_write_is_refused_with_json_error(api_client):
    response = api_client.post("/api/v1/twinnings/", {"kind": "twin_city"}, format="json")

    assert response.status_code in (401, 403, 405)
    assert set(response.json()) == {"status", "code", "message", "errors"}


def test_anonymous_clients_are_throttled_with_429_and_retry_after(api_client, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": "2/min"}}

    statuses = [api_client.get("/api/v1/countries/").status_code for _ in range(3)]
    response = api_client.get("/api/v1/countries/")

    assert statuses == [200, 200, 429]
    body = response.json()
    assert (body["status"], body["code"]) == (429, "throttled")
    assert body["retry_after"] > 0
    assert response["Retry-After"] == str(body["retry_after"])


# ---------------------------------------------------------------- token
def test_token_endpoint_returns_token_for_valid_credentials(api_client, django_user_model):
    django_user_model.objects.create_user("officer", password="officer-password-1", is_staff=True)

    response = api_client.post("/api/v1/auth/token/", {"username": "officer", "password": "officer-password-1"})

    assert response.status_code == 200
    token = response.json()["token"]
    assert api_client.get("/api/v1/twinnings/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200


def test_token_endpoint_wrong_password_is_400_json(api_client, django_user_model):
    django_user_model.objects.create_user("officer", password="officer-password-1")

    response = api_client.post("/api/v1/auth/token/", {"username": "officer", "password": "wrong"})

    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"]


def test_token_endpoint_locks_out_after_repeated_failures(api_client, django_user_model, settings):
    settings.AXES_FAILURE_LIMIT = 3
    django_user_model.objects.create_user("officer", password="officer-password-1")

    failures = [
        api_client.post("/api/v1/auth/token/", {"username": "officer", "password": "wrong"}).status_code
        for _ in range(3)
    ]
    locked = api_client.post("/api/v1/auth/token/", {"username": "officer", "password": "officer-password-1"})

    assert failures[:2] == [400, 400]
    assert failures[2] == 429
    assert locked.status_code == 429
    assert locked.json()["code"] == "locked_out"
    assert "token" not in locked.json()


def test_bad_token_is_401_json_even_for_reading(api_client):
    response = api_client.get("/api/v1/twinnings/", HTTP_AUTHORIZATION="Token nonsense")

    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"


@pytest.mark.parametrize("rows", [1, 3])
def test_anniversaries_query_count_does_not_grow_with_rows(api_client, api_overhead, django_assert_num_queries, rows):
    for _ in range(rows):
        school = make_organisation(make_city(names=[("Имя", "ru", True)]))
        make_agreement(make_city(), school, signed_on=_years_ago(10, plus_days=2).isoformat())
        make_twinning(established_on=_years_ago(5, plus_days=3).isoformat())

    # twinnings (cities joined), their cities' names (two), agreements, their parties with cities,
    # then for the page: party cities' names, party organisations with cities, their names.
    with django_assert_num_queries(api_overhead + 10):
        response = api_client.get("/api/v1/anniversaries/")

    assert response.json()["count"] == rows * 2


@pytest.mark.parametrize("rows", [1, 3])
def test_source_list_query_count_does_not_grow_with_rows(api_client, api_overhead, django_assert_num_queries, rows):
    for _ in range(rows):
        make_twinning().sources.add(make_source())

    # count, page (the "cited by a public record" rule is subqueries of both).
    with django_assert_num_queries(api_overhead + 2):
        response = api_client.get("/api/v1/sources/")

    assert response.json()["count"] == rows
