import pytest
from django.urls import reverse

from tests.factories import make_city, make_twinning
from twinning.models import StatusChange, TwinningKind, TwinningState
from twinning.statistics import registry_statistics

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry():
    """Six published twinnings and a draft that must not be counted."""
    azov, gomel, rostov = make_city("Азов"), make_city("Гомель", country="BY"), make_city("Ростов")
    courbevoie, glasgow, bukhara = (
        make_city("Courbevoie", country="FR"), make_city("Glasgow", country="GB"), make_city("Бухара", country="UZ")
    )
    make_twinning(azov, courbevoie, kind=TwinningKind.TWIN_CITY, established_on="1998-05-10")
    suspended = make_twinning(rostov, glasgow, kind=TwinningKind.TWIN_CITY, established_on="1986")
    ended = make_twinning(azov, glasgow, kind=TwinningKind.PARTNER_CITY, established_on="1998")
    make_twinning(azov, gomel, kind=TwinningKind.FRIENDSHIP, established_on="2001-03")
    make_twinning(azov, rostov, kind=TwinningKind.COOPERATION)  # a domestic pair counts once for Russia
    make_twinning(gomel, bukhara, kind=TwinningKind.UNKNOWN, established_on="2001")
    draft = make_twinning(rostov, courbevoie, established_on="1998", published=False)
    StatusChange.objects.create(twinning=suspended, state=TwinningState.SUSPENDED, date="2022-03-03")
    StatusChange.objects.create(twinning=ended, state=TwinningState.SUSPENDED, date="2022")
    StatusChange.objects.create(twinning=ended, state=TwinningState.ENDED, date="2023-01")
    StatusChange.objects.create(twinning=draft, state=TwinningState.ENDED, date="2022")


def test_statistics_count_by_country_kind_and_status(registry):
    numbers = registry_statistics()

    assert numbers["total"] == 6
    assert [(row["country"], row["count"]) for row in numbers["by_country"]] == [
        ("RU", 5), ("BY", 2), ("GB", 2), ("FR", 1), ("UZ", 1)
    ]
    # The earlier kinds count under the German database's four: twin and partner cities are
    # partnerships, a cooperation a project partnership.
    assert [(row["kind"], row["count"]) for row in numbers["by_kind"]] == [
        ("partnership", 3), ("friendship", 1), ("contact", 0), ("project_partnership", 1), ("unknown", 1)
    ]
    assert {row["status"]: row["count"] for row in numbers["by_status"]} == {"active": 4, "suspended": 1, "ended": 1}


def test_statistics_by_year_fills_the_range_and_counts_suspensions(registry):
    by_year = {row["year"]: row for row in registry_statistics()["by_year"]}

    assert (min(by_year), max(by_year)) == (1986, 2023)
    assert len(by_year) == 2023 - 1986 + 1
    assert {year: row for year, row in by_year.items() if any(row[k] for k in ("established", "suspended", "ended"))} == {
        1986: {"year": 1986, "established": 1, "suspended": 0, "ended": 0},
        1998: {"year": 1998, "established": 2, "suspended": 0, "ended": 0},
        2001: {"year": 2001, "established": 2, "suspended": 0, "ended": 0},
        2022: {"year": 2022, "established": 0, "suspended": 2, "ended": 0},
        2023: {"year": 2023, "established": 0, "suspended": 0, "ended": 1},
    }


def test_statistics_of_an_empty_registry():
    numbers = registry_statistics()

    assert (numbers["total"], numbers["by_country"], numbers["by_year"]) == (0, [], [])


def test_statistics_api_returns_the_same_numbers(client, registry):
    response = client.get(reverse("lifecycle_api:statistics"))

    assert response.status_code == 200
    assert response.json() == registry_statistics()


def test_statistics_page_shows_counts_and_charts(client, registry):
    response = client.get(reverse("lifecycle:statistics"))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<svg") == 5  # status, kind, country, established per year, suspensions per year
    assert '<tr data-country="RU"><th scope="row"><img src="/static/flags/ru.gif"' in html
    assert '<tr data-status="suspended"><th scope="row">' in html
    assert '<tr data-year="2022"><th scope="row">2022</th><td>0</td><td>2</td><td>0</td></tr>' in html
    assert "/static/stats/stats.css" in html


@pytest.mark.parametrize("rows", [1, 3])
def test_statistics_page_query_count(admin_client, django_assert_num_queries, rows):
    for _ in range(rows):
        make_twinning(established_on="2000")

    # session, user; then kinds, statuses, two for countries, three for years, dormant count
    with django_assert_num_queries(10):
        admin_client.get(reverse("lifecycle:statistics"))
