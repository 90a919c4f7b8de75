import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.factories import make_press_officer

pytestmark = pytest.mark.django_db

URL = reverse("press_releases:extract")
TEXT = "С 2 по 4 октября делегация Азова посетила город-побратим Курбевуа."


@pytest.fixture
def api():
    return APIClient()


def test_extract_returns_proposals_for_a_press_officer(api, registry, nlp):
    api.force_authenticate(make_press_officer(registry["Азов"]))

    response = api.post(URL, {"text": TEXT, "published_on": "2024-10-05"}, format="json")

    assert response.status_code == 200
    data = response.json()
    assert [city["name"] for city in data["cities"]] == ["Азов", "Курбевуа"]
    assert [(d["value"], d["end"]) for d in data["dates"]] == [("2024-10-02", "2024-10-04")]
    [delegation] = data["delegations"]
    assert (delegation["from_city"], delegation["to_city"], delegation["start_on"]) == (
        f"city:{registry['Азов'].pk}", f"city:{registry['Курбевуа'].pk}", "2024-10-02"
    )
    assert data["twinning"]["kind"] == "twin_city"


def test_extract_needs_authentication(api):
    response = api.post(URL, {"text": TEXT}, format="json")

    assert response.status_code == 401


def test_extract_refused_for_a_user_without_a_press_office(api, django_user_model):
    api.force_authenticate(django_user_model.objects.create_user("reader", password="reader-password-1"))

    response = api.post(URL, {"text": TEXT}, format="json")

    assert response.status_code == 403


@pytest.mark.parametrize("payload", [{}, {"text": ""}, {"text": TEXT, "published_on": "yesterday"}])
def test_extract_bad_input_is_a_400(api, registry, payload):
    api.force_authenticate(make_press_officer(registry["Азов"]))

    response = api.post(URL, payload, format="json")

    assert response.status_code == 400
