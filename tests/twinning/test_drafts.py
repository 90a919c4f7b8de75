import pytest
from django.urls import reverse

from tests.factories import make_agreement, make_city, make_delegation, make_event, make_twinning

pytestmark = pytest.mark.django_db


@pytest.fixture
def azov():
    return make_city("Азов", slug="azov")


def test_draft_twinning_page_is_not_found(azov, client):
    partner = make_city("Courbevoie", country="FR", slug="courbevoie")
    make_twinning(azov, partner, published=False)

    response = client.get(reverse("twinning:twinning_detail", args=["azov", "courbevoie"]))

    assert response.status_code == 404


@pytest.mark.parametrize(
    "endpoint, make_pair",
    [
        ("twinnings", lambda a: (make_twinning(a, make_city()), make_twinning(a, make_city(), published=False))),
        ("agreements", lambda a: (make_agreement(a, title="Опубликовано"), make_agreement(a, published=False))),
        ("delegations", lambda a: (make_delegation(a, make_city()), make_delegation(a, make_city(), published=False))),
        ("events", lambda a: (make_event(a, title="Опубликовано"), make_event(a, published=False))),
    ],
)
def test_drafts_are_not_in_the_api(endpoint, make_pair, azov, client):
    published, draft = make_pair(azov)

    listed = client.get(f"/api/v1/{endpoint}/").json()
    detail = client.get(f"/api/v1/{endpoint}/{draft.pk}/")

    assert [row["id"] for row in listed["results"]] == [published.pk]
    assert detail.status_code == 404
