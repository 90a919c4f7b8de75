"""Versioned saves, history and inline rules through the admin (twinning/admin_permissions.py)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import make_agreement, make_city, make_press_officer, make_twinning
from tests.test_press_offices import admin_form_data
from twinning import services
from twinning.models import Agreement, AgreementParty, StatusChange, Twinning

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]  # messages asserted in English



@pytest.fixture
def azov():
    return make_city("Азов", slug="azov")


@pytest.fixture
def officer(azov, client):
    user = make_press_officer(azov, username="officer_azov")
    client.force_login(user)
    return user


def _change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def test_second_save_from_the_same_version_is_refused_with_an_explanation(azov, officer, client, english):
    twinning = make_twinning(azov, make_city("Courbevoie", country="FR"), published=False)
    loaded = admin_form_data(client.get(_change_url(twinning)), description="second officer's text")
    colleague = Client()
    colleague.force_login(make_press_officer(azov))
    colleague.post(_change_url(twinning), admin_form_data(colleague.get(_change_url(twinning)), description="first"))

    response = client.post(_change_url(twinning), loaded)

    twinning.refresh_from_db()
    assert (twinning.description, twinning.version) == ("first", 2)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["__all__"] == [
        "Someone else saved this record while you were editing it (you started from version 1, it is now "
        "version 2). Your changes were not saved: reload the record, check what changed, and make your changes again."
    ]


def test_a_lost_race_after_validation_is_reported_not_a_500(azov, officer, client, monkeypatch, english):
    twinning = make_twinning(azov, make_city(), published=False)
    data = admin_form_data(client.get(_change_url(twinning)), description="late")

    def lose_the_race(obj, *, expected_version, user=None):
        raise services.StaleVersion(obj, expected_version=expected_version, current_version=expected_version + 1)

    monkeypatch.setattr(services, "save_record", lose_the_race)
    response = client.post(_change_url(twinning), data, follow=True)

    twinning.refresh_from_db()
    assert twinning.description == ""
    assert [str(m) for m in response.context["messages"]][0].startswith("Someone else saved this record")


def test_every_admin_operation_is_in_the_history_with_its_user(azov, officer, client):
    add_url = reverse("admin:twinning_twinning_add")
    partner = make_city("Courbevoie", country="FR")
    data = admin_form_data(client.get(add_url), city_a=azov.pk, city_b=partner.pk, kind="twin_city")
    data.update({"status_changes-TOTAL_FORMS": "1", "status_changes-0-state": "treaty", "status_changes-0-date": "2016"})

    client.post(add_url, data)
    twinning = Twinning.objects.get()
    client.post(_change_url(twinning), admin_form_data(client.get(_change_url(twinning)), description="Побратимы"))
    client.post(reverse("admin:twinning_twinning_delete", args=[twinning.pk]), {"post": "yes"})

    rows = Twinning.history.filter(id=twinning.pk).order_by("history_date")
    assert [(row.history_type, row.history_user) for row in rows] == [("+", officer), ("~", officer), ("-", officer)]
    assert rows[1].diff_against(rows[0], excluded_fields=["version", "updated_at"]).changed_fields == ["description"]
    status_rows = StatusChange.history.filter(twinning_id=twinning.pk).order_by("history_date")
    assert [(row.history_type, row.history_user, row.state) for row in status_rows] == [
        ("+", officer, "treaty"),
        ("-", officer, "treaty"),
    ]


def test_admin_history_page_lists_changes_to_officers_of_other_cities(azov, client):
    twinning = make_twinning(azov, make_city())
    client.force_login(make_press_officer(make_city("Батайск")))

    response = client.get(reverse("admin:twinning_twinning_history", args=[twinning.pk]))

    assert response.status_code == 200
    assert len(response.context["page_obj"].object_list) == 1


def test_revert_from_history_by_another_citys_officer_is_forbidden(azov, client):
    twinning = make_twinning(azov, make_city(), description="original")
    old = twinning.history.latest()
    twinning.description = "changed"
    services.save_record(twinning, expected_version=1)
    outsider = make_press_officer(make_city("Батайск"))
    url = reverse("admin:twinning_twinning_simple_history", args=[twinning.pk, old.history_id])
    superuser_view = Client()
    superuser_view.force_login(make_press_officer(azov))
    data = admin_form_data(superuser_view.get(url))
    client.force_login(outsider)

    response = client.post(url, data)

    twinning.refresh_from_db()
    assert response.status_code == 403
    assert twinning.description == "changed"


def test_revert_from_history_by_the_citys_officer_works(azov, officer, client):
    twinning = make_twinning(azov, make_city(), description="original")
    old = twinning.history.latest()
    twinning.description = "changed"
    services.save_record(twinning, expected_version=1)
    url = reverse("admin:twinning_twinning_simple_history", args=[twinning.pk, old.history_id])

    response = client.post(url, admin_form_data(client.get(url)))

    twinning.refresh_from_db()
    assert response.status_code == 302
    assert (twinning.description, twinning.version) == ("original", 3)


def test_agreement_parties_must_include_both_cities_of_its_twinning(azov, officer, client, english):
    partner = make_city("Courbevoie", country="FR")
    twinning = make_twinning(azov, partner)
    add_url = reverse("admin:twinning_agreement_add")
    data = admin_form_data(client.get(add_url), title="Договор", kind="cooperation", twinning=twinning.pk)
    data["parties-0-city"] = str(azov.pk)

    response = client.post(add_url, data)

    assert response.status_code == 200
    assert Agreement.objects.count() == 0
    [formset] = [f for f in response.context["inline_admin_formsets"] if f.formset.prefix == "parties"]
    assert formset.formset.non_form_errors() == [
        "An agreement attached to the twinning Азов — Courbevoie must include both of its cities "
        "(or their organisations) among its parties. Missing: Courbevoie."
    ]


def test_officer_cannot_remove_their_city_from_an_agreements_parties(azov, officer, client):
    partner, other = make_city("Courbevoie", country="FR"), make_city("Dinan", country="FR")
    agreement = make_agreement(azov, partner)
    data = admin_form_data(client.get(_change_url(agreement)))
    azov_party = agreement.parties.get(city=azov)
    index = next(k for k, v in data.items() if k.endswith("-id") and v == str(azov_party.pk)).split("-")[1]
    data[f"parties-{index}-city"] = str(other.pk)

    response = client.post(_change_url(agreement), data)

    assert response.status_code == 200
    assert sorted(AgreementParty.objects.filter(agreement=agreement).values_list("city__name", flat=True)) == [
        "Courbevoie",
        "Азов",
    ]


def test_agreement_added_on_a_twinning_page_gets_the_two_cities_as_parties(azov, officer, client):
    partner = make_city("Courbevoie", country="FR")
    twinning = make_twinning(azov, partner)
    data = admin_form_data(client.get(_change_url(twinning)))
    data.update({"agreements-TOTAL_FORMS": "1", "agreements-0-title": "Договор о побратимстве", "agreements-0-kind": "twinning_treaty", "agreements-0-publication": "draft"})

    response = client.post(_change_url(twinning), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    agreement = Agreement.objects.get()
    assert (agreement.twinning, sorted(p.city.name for p in agreement.parties.all())) == (twinning, ["Courbevoie", "Азов"])


def test_publish_action_reports_records_left_alone(azov, officer, client):
    mine = make_twinning(azov, make_city(), published=False)
    other = make_twinning(make_city(), make_city(), published=False)

    response = client.post(
        reverse("admin:twinning_twinning_changelist"),
        {"action": "publish_selected", "_selected_action": [mine.pk, other.pk]},
        follow=True,
    )

    mine.refresh_from_db(), other.refresh_from_db()
    assert (mine.publication, other.publication) == ("published", "draft")
    assert len(list(response.context["messages"])) == 2



@pytest.mark.parametrize("rows", [1, 3])
def test_officers_own_twinnings_list_costs_the_same_for_any_length(rows, azov, officer, client, django_assert_num_queries):
    for _ in range(rows):
        make_twinning(azov, make_city())
    make_twinning(make_city(), make_city())  # another city's, filtered out
    url = reverse("admin:twinning_twinning_changelist") + "?mine=1"
    client.get(url)  # warm the content-type cache

    # Session, user, permissions (2), the officer's cities, the estimated-count check, the
    # filtered count, the page of twinnings (status annotated), their cities' names, and the
    # country filter's choices.
    with django_assert_num_queries(12):
        response = client.get(url)

    assert len(response.context["cl"].result_list) == rows
