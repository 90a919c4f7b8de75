import pytest
from django.urls import reverse

from events.models import Delegation, EventKind, JointEvent
from tests.factories import make_city, make_delegation, make_event, make_person

pytestmark = pytest.mark.django_db


def _changelist_rows(admin_client, model, **params):
    response = admin_client.get(reverse(f"admin:events_{model._meta.model_name}_changelist"), params)
    assert response.status_code == 200
    return [str(row) for row in response.context["cl"].result_list]


def test_admin_delegation_change_page_shows_programme_and_outcomes(admin_client, demo):
    delegation = Delegation.objects.get(from_city__slug="baranovichi")

    response = admin_client.get(reverse("admin:events_delegation_change", args=[delegation.pk]))

    inlines = {f.formset.prefix: len(f.formset.initial_forms) for f in response.context["inline_admin_formsets"]}
    assert inlines == {"programme": 5, "agreements": 2}


def test_admin_delegation_year_filter(admin_client):
    visit = make_delegation(make_city("Барановичи", country="BY"), make_city("Кузнецк"), start_on="2025-09-18")
    make_delegation(start_on="2024")

    assert _changelist_rows(admin_client, Delegation, start_on_year="2025") == [str(visit)]


def test_admin_event_country_filter_lists_each_event_once(admin_client):
    azov, courbevoie, paris = make_city("Азов"), make_city("Courbevoie", country="FR"), make_city("Paris", country="FR")
    exhibition = make_event(azov, courbevoie, paris, title="Фотовыставка", kind=EventKind.EXHIBITION)
    make_event(azov, make_city("Таганрог"), title="Форум")

    assert _changelist_rows(admin_client, JointEvent, country="FR") == [str(exhibition)]


def test_admin_event_search_by_participant_alias(admin_client):
    courbevoie = make_city("Courbevoie", country="FR", names=[("Курбевуа", "ru", True)])
    event = make_event(make_city("Азов"), courbevoie, title="Видеоконференция")

    assert _changelist_rows(admin_client, JointEvent, q="Курбевуа") == [str(event)]


@pytest.mark.parametrize("rows", [1, 3])
def test_admin_delegation_changelist_query_count(admin_client, django_assert_num_queries, rows):
    baranovichi, kuznetsk = make_city("Барановичи", country="BY"), make_city("Кузнецк")
    head = make_person(baranovichi, full_name="Вадим Щербаков")
    for day in range(rows):
        make_delegation(baranovichi, kuznetsk, start_on=f"2025-09-{18 + day}", head=head)

    # session, user, country and year lookups, filtered and full count, the page joined with
    # both cities and the head, the names of the sending cities, of the receiving cities
    with django_assert_num_queries(9):
        assert admin_client.get(reverse("admin:events_delegation_changelist")).status_code == 200


@pytest.mark.parametrize("rows", [1, 3])
def test_admin_event_changelist_query_count(admin_client, django_assert_num_queries, rows):
    azov = make_city("Азов")
    for number in range(rows):
        make_event(azov, make_city(), title=f"Event {number}", host_city=azov, start_on="2020")

    # session, user, country and year lookups, filtered and full count, the page joined with
    # host cities, their names
    with django_assert_num_queries(8):
        assert admin_client.get(reverse("admin:events_jointevent_changelist")).status_code == 200
