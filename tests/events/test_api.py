import pytest

from events.models import ProgrammeItem
from tests.api_helpers import csv_rows, results
from tests.factories import (
    make_city,
    make_delegation,
    make_event,
    make_organisation,
    make_person,
    make_source,
    make_twinning,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def kuznetsk():
    return make_city("Кузнецк", slug="kuznetsk", names=[("Кузнецк", "ru", True), ("Kuznetsk", "en", True)])


@pytest.fixture
def baranovichi():
    return make_city("Барановичи", country="BY", slug="baranovichi")


# ---------------------------------------------------------------- delegations
def test_delegations_to_kuznetsk_in_2025(api_client, kuznetsk, baranovichi):
    visit = make_delegation(baranovichi, kuznetsk, start_on="2025-09-18", end_on="2025-09-21")
    make_delegation(baranovichi, kuznetsk, start_on="2024-09")
    make_delegation(kuznetsk, baranovichi, start_on="2025-05")
    make_delegation(baranovichi, kuznetsk, start_on="2025-10", published=False)

    for name in ("Кузнецк", "kuznetsk", "Kuznetsk", str(kuznetsk.pk)):
        assert results(api_client.get("/api/v1/delegations/", {"to_city": name, "year": 2025})) == [visit.pk]


def test_delegation_detail_shows_head_programme_and_published_organisations(api_client, kuznetsk, baranovichi):
    head = make_person(baranovichi, full_name="Юрий Громаков")
    museum = make_organisation(kuznetsk, name="Краеведческий музей")
    hidden = make_organisation(baranovichi, name="Черновик", published=False)
    committee = make_organisation(baranovichi, name="Горисполком")
    visit = make_delegation(baranovichi, kuznetsk, start_on="2025-09-18", head=head, head_position="заместитель")
    visit.organisations.set([committee, hidden])
    ProgrammeItem.objects.create(delegation=visit, order=2, description="Концерт")
    ProgrammeItem.objects.create(delegation=visit, order=1, description="Музей", organisation=museum)

    body = api_client.get(f"/api/v1/delegations/{visit.pk}/").json()

    assert (body["from_city"]["name"], body["to_city"]["name"]) == ("Барановичи", "Кузнецк")
    assert (body["head"]["full_name"], body["head_position"]) == ("Юрий Громаков", "заместитель")
    assert [org["name"] for org in body["organisations"]] == ["Горисполком"]
    assert [(item["description"], item["organisation"] and item["organisation"]["name"]) for item in body["programme"]] == [
        ("Музей", "Краеведческий музей"),
        ("Концерт", None),
    ]


def test_delegation_filters_from_city_country_head_and_dates(api_client, kuznetsk, baranovichi):
    head = make_person(baranovichi, full_name="Юрий Громаков")
    september = make_delegation(baranovichi, kuznetsk, start_on="2025-09-18", head=head)
    may = make_delegation(kuznetsk, baranovichi, start_on="2025-05")
    older = make_delegation(make_city("Азов"), make_city("Courbevoie", country="FR"), start_on="2019")

    assert results(api_client.get("/api/v1/delegations/", {"from_city": "baranovichi"})) == [september.pk]
    assert results(api_client.get("/api/v1/delegations/", {"city": "Кузнецк"})) == [september.pk, may.pk]
    assert results(api_client.get("/api/v1/delegations/", {"country": "BY"})) == [september.pk, may.pk]
    assert results(api_client.get("/api/v1/delegations/", {"from_country": "BY"})) == [september.pk]
    assert results(api_client.get("/api/v1/delegations/", {"head": "Громаков"})) == [september.pk]
    assert results(api_client.get("/api/v1/delegations/", {"date_after": "2025-06", "date_before": "2025-12-31"})) == [
        september.pk
    ]
    assert results(api_client.get("/api/v1/delegations/", {"date_before": "2020"})) == [older.pk]


def test_delegation_full_text_in_purpose_and_city_names(api_client, kuznetsk, baranovichi):
    sport = make_delegation(baranovichi, kuznetsk, purpose="Участие в спортивных соревнованиях")
    make_delegation(make_city("Азов"), make_city("Courbevoie", country="FR"), purpose="Обмен опытом")

    assert results(api_client.get("/api/v1/delegations/", {"q": "соревнования"})) == [sport.pk]
    assert results(api_client.get("/api/v1/delegations/", {"q": "Барановичи"})) == [sport.pk]
    assert results(api_client.get("/api/v1/delegations/", {"q": "космонавтика"})) == []


def test_delegations_of_draft_cities_do_not_leak(api_client, kuznetsk):
    make_delegation(make_city("Черновик", published=False), kuznetsk)

    assert results(api_client.get("/api/v1/delegations/")) == []


def test_delegation_invalid_values_are_400(api_client):
    for params in ({"year": "2025г"}, {"date_after": "18.13.2025"}, {"to_country": "Нарния"}):
        response = api_client.get("/api/v1/delegations/", params)
        assert response.status_code == 400, params
        assert list(response.json()["errors"]) == list(params)


def test_delegations_csv(api_client, kuznetsk, baranovichi):
    make_delegation(baranovichi, kuznetsk, start_on="2025-09-18", purpose="Визит")

    [row] = csv_rows(api_client.get("/api/v1/delegations/", {"to_city": "kuznetsk", "format": "csv"}))

    assert (row["from_city.name"], row["to_city.name"], row["start_on"], row["purpose"]) == (
        "Барановичи", "Кузнецк", "2025-09-18", "Визит"
    )


@pytest.mark.parametrize("rows", [1, 3])
def test_delegation_list_query_count_does_not_grow_with_rows(api_client, api_overhead, django_assert_num_queries, rows):
    for _ in range(rows):
        from_city = make_city(names=[("Имя", "ru", True)])
        visit = make_delegation(from_city, make_city(), head=make_person(from_city))
        visit.organisations.add(make_organisation(from_city))
        visit.sources.add(make_source())
        ProgrammeItem.objects.create(delegation=visit, description="Экскурсия")

    # count, page (cities, head, twinning joined), names of from_city, of to_city,
    # organisations, sources, programme.
    with django_assert_num_queries(api_overhead + 7):
        response = api_client.get("/api/v1/delegations/")

    assert response.json()["count"] == rows


# ---------------------------------------------------------------- events
def test_events_filter_city_kind_format_and_dates(api_client, kuznetsk, baranovichi):
    exhibition = make_event(kuznetsk, baranovichi, title="Выставка картин", kind="exhibition", start_on="2019-09-18")
    online = make_event(baranovichi, title="Видеомост", kind="video_conference", format="online", start_on="2021-04")
    hosted = make_event(title="Праздник города", kind="city_day", host_city=kuznetsk, start_on="2024-09")
    make_event(kuznetsk, title="Черновик", published=False)

    assert results(api_client.get("/api/v1/events/", {"city": "Кузнецк"})) == [hosted.pk, exhibition.pk]
    assert results(api_client.get("/api/v1/events/", {"host_city": "kuznetsk"})) == [hosted.pk]
    assert results(api_client.get("/api/v1/events/", {"kind": "exhibition"})) == [exhibition.pk]
    assert results(api_client.get("/api/v1/events/", {"event_format": "online"})) == [online.pk]
    assert results(api_client.get("/api/v1/events/", {"date_after": "2020", "date_before": "2022"})) == [online.pk]
    assert results(api_client.get("/api/v1/events/", {"year": 2024})) == [hosted.pk]
    assert results(api_client.get("/api/v1/events/", {"country": "BY"})) == [online.pk, exhibition.pk]
    assert results(api_client.get("/api/v1/events/", {"q": "выставки"})) == [exhibition.pk]


def test_event_detail_hides_draft_participants(api_client, kuznetsk):
    event = make_event(kuznetsk, make_city("Черновик", published=False), title="Форум", host_city=kuznetsk)

    body = api_client.get(f"/api/v1/events/{event.pk}/").json()

    assert [city["name"] for city in body["participants"]] == ["Кузнецк"]
    assert body["host_city"]["name"] == "Кузнецк"


def test_event_filter_twinning_lists_pair_events(api_client, kuznetsk, baranovichi):
    twinning = make_twinning(kuznetsk, baranovichi)
    joint = make_event(kuznetsk, baranovichi, title="Совместная")
    linked = make_event(title="Связанная", twinning=twinning)
    make_event(kuznetsk, title="Только Кузнецк")

    listed = results(api_client.get("/api/v1/events/", {"twinning": twinning.pk, "ordering": "title"}))

    assert listed == [linked.pk, joint.pk]
    assert api_client.get("/api/v1/events/", {"twinning": "x"}).status_code == 400
    assert results(api_client.get("/api/v1/events/", {"twinning": 99999999})) == []


@pytest.mark.parametrize("rows", [1, 3])
def test_event_list_query_count_does_not_grow_with_rows(api_client, api_overhead, django_assert_num_queries, rows):
    for _ in range(rows):
        host = make_city(names=[("Имя", "ru", True)])
        event = make_event(host, make_city(), host_city=host)
        event.organisations.add(make_organisation(host))
        event.sources.add(make_source())

    # count, page (host and twinning joined), host names, participants, their names,
    # organisations, sources.
    with django_assert_num_queries(api_overhead + 7):
        response = api_client.get("/api/v1/events/")

    assert response.json()["count"] == rows
