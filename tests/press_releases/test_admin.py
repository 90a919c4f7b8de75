import datetime

import pytest
from django import forms
from django.urls import reverse

from events.models import Delegation
from press_releases.forms import sign_payload
from tests.factories import make_press_officer
from twinning.models import Agreement, Source, Twinning
from twinning.records import Publication

pytestmark = pytest.mark.django_db

URL = reverse("admin:press_releases_new")
TEXT = (
    "Вчера в Барановичах побывала делегация города-побратима Кузнецка во главе с главой города "
    "Сергеем Златогорским. В ходе визита стороны подписали соглашение о сотрудничестве в сфере "
    "культуры и спорта."
)


def _answers(review, token):
    """The POST a browser sends when the officer accepts every proposal as shown."""
    data = {"step": "confirm", "payload": token}
    for rows in review.sections.values():
        for row in rows:
            for bound in row.form:
                value = bound.value()
                if isinstance(bound.field, forms.BooleanField):
                    if value:
                        data[bound.html_name] = "on"
                elif isinstance(bound.field, forms.MultipleChoiceField):
                    data[bound.html_name] = list(value or [])
                elif value is not None:
                    data[bound.html_name] = value
    return data


@pytest.fixture
def officer_client(client, registry):
    client.force_login(make_press_officer(registry["Барановичи"]))
    return client


def test_admin_index_links_to_the_assistant_for_press_officers(officer_client):
    response = officer_client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert URL in response.content.decode()


def test_staff_without_a_press_office_may_not_use_it(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("clerk", password="clerk-password-1", is_staff=True))

    assert client.get(URL).status_code == 403
    assert URL not in client.get(reverse("admin:index")).content.decode()


def test_paste_review_and_confirm_creates_drafts(officer_client, registry, nlp):
    baranovichi, kuznetsk = registry["Барановичи"], registry["Кузнецк"]

    review_page = officer_client.post(
        URL, {"step": "extract", "text": TEXT, "url": "https://baranovichi.example/news/1", "publisher": "Горисполком", "published_on": "2024-06-02"}
    )

    assert review_page.status_code == 200
    html = review_page.content.decode()
    assert '<mark class="pr-sentence" id="pr-sentence-0">' in html
    assert '<span class="pr-city">Барановичах</span>' in html
    review = review_page.context["review"]
    assert [row.form.initial["keep"] for row in review.sections["persons"]] == [False]  # Кузнецк's official

    done = officer_client.post(URL, _answers(review, review_page.context["token"]))

    assert done.status_code == 200, done.context.get("error")
    source = Source.objects.get()
    assert (source.url, source.publisher, str(source.published_on)) == ("https://baranovichi.example/news/1", "Горисполком", "2024-06-02")
    delegation = Delegation.objects.get()
    assert (delegation.from_city, delegation.to_city, str(delegation.start_on), delegation.publication) == (
        kuznetsk, baranovichi, "2024-06-01", Publication.DRAFT
    )
    agreement = Agreement.objects.get()
    assert (agreement.kind, agreement.spheres, agreement.delegation, agreement.twinning) == (
        "cooperation", ["culture", "sport"], delegation, Twinning.objects.get()
    )
    assert list(agreement.sources.all()) == [source]


def test_confirm_with_an_altered_payload_is_refused(officer_client):
    response = officer_client.post(URL, {"step": "confirm", "payload": sign_payload({"x": 1}) + "tampered"})

    assert response.status_code == 400
    assert Source.objects.count() == 0


def test_confirm_by_an_officer_of_another_city_shows_the_refusal(client, registry, nlp):
    client.force_login(make_press_officer(registry["Москва"]))
    review_page = client.post(URL, {"step": "extract", "text": TEXT, "published_on": datetime.date(2024, 6, 2).isoformat()})

    response = client.post(URL, _answers(review_page.context["review"], review_page.context["token"]))

    assert response.status_code == 200
    assert response.context["error"]
    assert (Source.objects.count(), Delegation.objects.count()) == (0, 0)


def test_empty_text_is_a_form_error(officer_client):
    response = officer_client.post(URL, {"step": "extract", "text": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["text"]
