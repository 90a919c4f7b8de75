import pytest
from django.contrib.contenttypes.models import ContentType
from django.template import Context, Template
from django.urls import reverse

from tests.factories import make_agreement, make_city, make_press_officer, make_twinning
from twinning.confirmations import partner_confirmations, records_mentioning
from twinning.models import Confirmation, Twinning
from twinning.services import confirm_own_side, save_record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]  # messages asserted in English



@pytest.fixture
def azov():
    return make_city("Азов", slug="azov")


@pytest.fixture
def courbevoie():
    return make_city("Courbevoie", country="FR", slug="courbevoie")


@pytest.fixture
def officers(azov, courbevoie):
    return make_press_officer(azov, username="azov_press"), make_press_officer(courbevoie, username="courbevoie_press")


def _states(record):
    return [(item.city.name, item.state) for item in partner_confirmations(record)]


def test_partner_sees_the_record_entered_by_the_other_office(azov, courbevoie, officers):
    twinning = make_twinning(azov, courbevoie)
    confirm_own_side(twinning, user=officers[0])

    assert [r.pk for r in records_mentioning({courbevoie.pk})] == [twinning.pk]
    assert records_mentioning({azov.pk}) == []  # Azov's own save confirmed its side
    assert _states(twinning) == [("Courbevoie", "pending"), ("Азов", "confirmed")]


def test_confirmation_goes_out_of_date_when_the_record_changes(azov, courbevoie, officers):
    twinning = make_twinning(azov, courbevoie)
    confirm_own_side(twinning, user=officers[1])

    twinning.description = "changed by Azov"
    save_record(twinning, expected_version=1, user=officers[0])
    confirm_own_side(twinning, user=officers[0])

    assert _states(twinning) == [("Courbevoie", "outdated"), ("Азов", "confirmed")]


def test_partner_confirms_and_asks_for_correction_in_the_admin(azov, courbevoie, officers, client):
    twinning = make_twinning(azov, courbevoie)
    agreement = make_agreement(azov, courbevoie, title="Договор о дружбе")
    client.force_login(officers[1])
    url = reverse("admin:twinning_confirmation_mentions")

    page = client.get(url)
    client.post(url, {"content_type": ContentType.objects.get_for_model(Twinning).pk, "object_id": twinning.pk, "state": "confirmed"})
    client.post(
        url,
        {
            "content_type": ContentType.objects.get_for_model(agreement).pk,
            "object_id": agreement.pk,
            "state": "correction_requested",
            "comment": "Подписано в 2016, не в 2015",
        },
    )
    after = client.get(url)

    assert [r.pk for r in page.context["records"]] == [agreement.pk, twinning.pk]
    assert [r.pk for r in after.context["records"]] == [agreement.pk]  # still not confirmed: a correction is asked
    assert _states(twinning) == [("Courbevoie", "confirmed"), ("Азов", "pending")]
    correction = Confirmation.objects.get(object_id=agreement.pk)
    assert (correction.state, correction.comment, correction.by) == ("correction_requested", "Подписано в 2016, не в 2015", officers[1])


def test_mentions_page_refuses_records_of_other_cities(azov, courbevoie, officers, client):
    other = make_twinning(make_city(), make_city())
    client.force_login(officers[1])

    response = client.post(
        reverse("admin:twinning_confirmation_mentions"),
        {"content_type": ContentType.objects.get_for_model(Twinning).pk, "object_id": other.pk, "state": "confirmed"},
    )

    assert response.status_code == 302
    assert Confirmation.objects.count() == 0


def test_mentions_page_with_garbage_is_a_message_not_a_500(officers, client):
    client.force_login(officers[1])

    response = client.post(reverse("admin:twinning_confirmation_mentions"), {"content_type": "x", "state": "y"}, follow=True)

    assert response.status_code == 200
    assert Confirmation.objects.count() == 0


def test_mentions_page_is_for_press_officers(client, superuser):
    client.force_login(superuser)  # no press office: nothing mentions "their" city

    assert client.get(reverse("admin:twinning_confirmation_mentions")).status_code == 403


def test_admin_save_by_an_officer_confirms_their_side(azov, courbevoie, officers, client):
    from tests.test_press_offices import admin_form_data

    twinning = make_twinning(azov, courbevoie)
    url = reverse("admin:twinning_twinning_change", args=[twinning.pk])
    client.force_login(officers[0])

    client.post(url, admin_form_data(client.get(url), description="Дружба"))

    assert _states(twinning) == [("Courbevoie", "pending"), ("Азов", "confirmed")]


def test_confirmation_include_shows_each_office_without_comments(azov, courbevoie, officers):
    twinning = make_twinning(azov, courbevoie)
    confirm_own_side(twinning, user=officers[1])

    html = Template('{% include "twinning/includes/_confirmation.html" with record=twinning %}').render(
        Context({"twinning": twinning})
    )

    assert "confirmation--confirmed" in html and "confirmation--pending" in html
    assert "Courbevoie" in html and "Азов" in html


def test_confirmation_include_is_empty_without_press_offices():
    twinning = make_twinning()

    html = Template('{% include "twinning/includes/_confirmation.html" with record=twinning %}').render(
        Context({"twinning": twinning})
    )

    assert html.strip() == ""


def test_confirmations_list_links_to_records_mentioning_your_city(officers, client):
    client.force_login(officers[1])

    response = client.get(reverse("admin:twinning_confirmation_changelist"))

    assert response.status_code == 200
    assert reverse("admin:twinning_confirmation_mentions") in response.content.decode()
