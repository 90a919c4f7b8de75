import pytest
from django.urls import reverse

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
from twinning.models import StatusChange, TwinningState

pytestmark = pytest.mark.django_db


def page(client, url, language="ru"):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    return response, response.content.decode()


def make_busy_city(partners):
    """A city with `partners` partner cities, each with an agreement, a visit each way and an event."""
    city = make_city("Азов", names=[("Азов", "ru", True), ("Azov", "en", True)])
    for number in range(partners):
        partner = make_city(f"Partner {number}", names=[(f"Партнёр {number}", "ru", True)])
        twinning = make_twinning(city, partner, established_on=f"{1960 + number % 60}")
        make_agreement(city, partner, twinning=twinning).sources.add(make_source())
        make_delegation(city, partner, start_on="2020")
        make_delegation(partner, city, start_on="2021")
        make_event(city, partner, host_city=city, start_on="2022")
    return city


# ---------------------------------------------------------------- city page


def test_city_page_shows_names_place_population_and_partners(client):
    azov = make_city("Азов", names=[("Азов", "ru", True), ("Azov", "en", True), ("Azof", "", False)],
                     region="Ростовская область", population=82000)
    courbevoie = make_city("Courbevoie", country="FR", names=[("Курбевуа", "ru", True)])
    bergen = make_city("Bergen", country="NO")
    twinning = make_twinning(azov, courbevoie, established_on="2018-10-24", kind="twin_city")
    ended = make_twinning(bergen, azov, established_on="1990")
    StatusChange.objects.create(twinning=ended, state=TwinningState.ENDED, date="2022-03-03")
    make_agreement(azov, courbevoie, twinning=twinning)
    make_delegation(courbevoie, azov)
    make_delegation(azov, courbevoie)
    make_event(azov, courbevoie)

    response, html = page(client, azov.get_absolute_url())

    assert response.status_code == 200
    rows = [
        (t.partner.name, t.status, t.activity.agreements, t.activity.visits, t.activity.events)
        for t in response.context["partners"]
    ]
    assert rows == [("Courbevoie", "active", 1, 2, 1), ("Bergen", "ended", 0, 0, 0)]
    assert "Azov" in html and "Azof" in html and "Ростовская область" in html and "82" in html
    assert "24.10.2018" in html and "badge--ended" in html
    assert twinning.get_absolute_url() in html
    assert response.context["mini_map"]["partners"][0][2] == "Курбевуа"


def test_city_page_hides_drafts(client):
    azov = make_city("Азов")
    make_twinning(azov, make_city("Draft partner"), published=False)
    make_twinning(azov, make_city("Draft city", published=False))
    make_delegation(azov, make_city("Visited"), purpose="Черновой визит", published=False)
    make_event(azov, title="Черновое событие", published=False)
    make_agreement(azov, title="Черновое соглашение", published=False)

    response, html = page(client, azov.get_absolute_url())

    assert response.context["partners"] == []
    assert response.context["timeline"].paginator.count == 0
    for secret in ["Draft partner", "Draft city", "Черновой визит", "Черновое событие", "Черновое соглашение"]:
        assert secret not in html


def test_city_page_draft_and_unknown_city_are_404(client):
    draft = make_city("Секретный", published=False)

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("cities:city_detail", args=["no-such-city"])).status_code == 404


def test_city_timeline_is_newest_first_paginated_with_undated_last(client):
    azov = make_city("Азов")
    partner = make_city("Partner")
    make_agreement(azov, partner, title="Договор 2019", signed_on="2019-09-18")
    make_delegation(azov, partner, start_on="2020-05", purpose="Визит туда")
    make_delegation(partner, azov, start_on="2021", purpose="Визит сюда")
    make_event(azov, title="Событие без даты")
    for year in range(2000, 2020):
        make_event(partner, host_city=azov, title=f"Праздник {year}", start_on=str(year))

    first, _ = page(client, azov.get_absolute_url())
    last, _ = page(client, azov.get_absolute_url() + "?page=2")
    beyond, _ = page(client, azov.get_absolute_url() + "?page=99")
    garbage, _ = page(client, azov.get_absolute_url() + "?page=abc")

    def labels(response):
        return [getattr(item.record, "title", None) or item.record.purpose for item in response.context["timeline_items"]]

    assert labels(first)[:5] == ["Визит сюда", "Визит туда", "Договор 2019", "Праздник 2019", "Праздник 2018"]
    assert len(labels(first)) == 20
    assert labels(last)[-1] == "Событие без даты" and len(labels(last)) == 4
    assert labels(beyond) == labels(last)
    assert labels(garbage) == labels(first)


@pytest.mark.parametrize("partners", [3, 150])
def test_city_page_query_count_does_not_grow_with_partners(client, django_assert_max_num_queries, partners):
    city = make_busy_city(partners)

    # city + names + sources; partners + both sides' names; five activity queries; timeline count and page;
    # the page's agreements, delegations and events with their prefetches; session and middleware.
    with django_assert_max_num_queries(35):  # 29 measured
        response = client.get(city.get_absolute_url())

    assert len(response.context["partners"]) == partners
    assert {t.activity.visits for t in response.context["partners"]} == {2}


# ---------------------------------------------------------------- countries


def test_country_page_lists_cities_with_partner_counts_and_partner_countries(client):
    azov, moscow = make_city("Азов"), make_city("Москва")
    courbevoie, paris = make_city("Courbevoie", country="FR"), make_city("Paris", country="FR")
    make_twinning(azov, courbevoie)
    make_twinning(moscow, paris)
    make_twinning(make_city("Berlin", country="DE"), moscow)
    make_twinning(moscow, azov)  # domestic: counted once, under Russia
    make_city("Без партнёров")
    make_twinning(moscow, make_city("Draft", country="NO"), published=False)

    response, html = page(client, "/cities/countries/ru/")

    assert response.status_code == 200
    assert [(c.name, c.partner_count) for c in response.context["cities"]] == [("Москва", 3), ("Азов", 2)]
    assert [(country.code, n) for country, n in response.context["partner_countries"]] == [
        ("FR", 2), ("DE", 1), ("RU", 1),
    ]
    assert "Без партнёров" not in html and "Draft" not in html


def test_country_page_unknown_code_is_404_and_case_does_not_matter(client):
    make_twinning(make_city("Азов"), make_city("Courbevoie", country="FR"))

    assert client.get("/cities/countries/xx/").status_code == 404
    assert client.get("/cities/countries/russia/").status_code == 404
    assert client.get("/cities/countries/RU/").status_code == 200


def test_country_list_counts_cities_and_twinnings(client):
    azov = make_city("Азов")
    make_twinning(azov, make_city("Courbevoie", country="FR"))
    make_twinning(azov, make_city("Ейск"))

    response, _ = page(client, "/cities/countries/", language="en")

    assert [(c.code, cities, twinnings) for c, cities, twinnings in response.context["countries"]] == [
        ("FR", 1, 1), ("RU", 2, 2),
    ]


@pytest.mark.parametrize("cities", [3, 60])
def test_country_page_query_count_does_not_grow(client, django_assert_max_num_queries, cities):
    partner = make_city("Courbevoie", country="FR")
    for number in range(cities):
        make_twinning(make_city(f"Город {number}"), partner)

    with django_assert_max_num_queries(15):
        response = client.get("/cities/countries/ru/")

    assert response.context["cities"].paginator.count == cities


# ---------------------------------------------------------------- organisations and persons


def test_organisation_page_shows_people_agreements_visits_events_and_sources(client):
    azov = make_city("Азов")
    museum = make_organisation(azov, name="Азовский музей-заповедник", website="https://example.org")
    museum.sources.add(make_source(title="Сайт музея"))
    make_person(azov, full_name="Директор Музея", position="директор", organisation=museum)
    make_person(azov, full_name="Черновой Сотрудник", position="хранитель", organisation=museum, published=False)
    make_agreement(museum, make_city("Courbevoie", country="FR"), title="Договор музеев")
    delegation = make_delegation(azov, make_city("Ейск"), purpose="Музейный обмен")
    delegation.organisations.add(museum)
    make_event(azov, title="Выставка в музее").organisations.add(museum)

    response, html = page(client, museum.get_absolute_url())

    assert response.status_code == 200
    for text in ["Азовский музей-заповедник", "Директор Музея", "Договор музеев", "Музейный обмен", "Выставка в музее",
                 "Сайт музея"]:
        assert text in html
    assert "Черновой Сотрудник" not in html


def test_organisation_page_draft_or_of_draft_city_is_404(client):
    draft = make_organisation(name="Черновик", published=False)
    of_draft_city = make_organisation(make_city("Секретный", published=False))

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(of_draft_city.get_absolute_url()).status_code == 404
    assert client.get("/cities/organisations/nothing-here/").status_code == 404


def test_person_page_shows_positions_delegations_and_signatures(client):
    from twinning.models import AgreementSignatory

    azov = make_city("Азов")
    mayor = make_person(azov, full_name="Наталья Пяткова", position="глава города")
    make_delegation(azov, make_city("Ейск"), head=mayor, purpose="Визит главы")
    agreement = make_agreement(azov, title="Соглашение о дружбе")
    AgreementSignatory.objects.create(agreement=agreement, person=mayor)
    draft_agreement = make_agreement(azov, title="Черновое соглашение", published=False)
    AgreementSignatory.objects.create(agreement=draft_agreement, person=mayor)

    response, html = page(client, mayor.get_absolute_url())

    assert response.status_code == 200
    assert "глава города" in html and "Визит главы" in html and "Соглашение о дружбе" in html
    assert "Черновое соглашение" not in html


def test_person_page_draft_is_404(client):
    assert client.get(make_person(published=False).get_absolute_url()).status_code == 404
