"""Press officers writing through the API: the admin's permission rule, validation and version
check, answered as JSON."""

import itertools

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cities.models import City, CityName, Organisation, Person
from events.models import Delegation, JointEvent
from tests.factories import (
    make_agreement,
    make_city,
    make_delegation,
    make_event,
    make_organisation,
    make_person,
    make_press_officer,
    make_source,
    make_twinning,
)
from twinning.models import Agreement, AgreementParty, Confirmation, Source, Twinning
from twinning.permissions import REGISTRY_EDITORS_GROUP
from twinning.records import Publication

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


@pytest.fixture
def azov():
    return make_city("Азов", slug="azov")


@pytest.fixture
def kuznetsk():
    return make_city("Кузнецк", slug="kuznetsk")


@pytest.fixture
def courbevoie():
    return make_city("Courbevoie", country="FR", slug="courbevoie")


def token_client(api_client, user):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return api_client


@pytest.fixture
def users(azov, kuznetsk, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="editor-password-1", is_staff=True)
    editor.groups.add(Group.objects.get_or_create(name=REGISTRY_EDITORS_GROUP)[0])
    return {
        "officer_a": make_press_officer(azov, username="officer_a"),
        "officer_b": make_press_officer(kuznetsk, username="officer_b"),
        "editor": editor,
        "anonymous": None,
    }


def client_for(api_client, users, who):
    return api_client if users[who] is None else token_client(api_client, users[who])


# ---------------------------------------------------------------- records of city A
def _record_of_azov(model, azov, courbevoie, *, published=True):
    """A record of `model` in which Azov takes part (Courbevoie has no press office)."""
    if model == "cities":
        return azov
    if model == "organisations":
        return make_organisation(azov, name=f"Школа {next(_numbers)}", published=published)
    if model == "persons":
        return make_person(azov, full_name=f"Пресс-секретарь {next(_numbers)}", published=published)
    if model == "twinnings":
        return make_twinning(azov, make_city(f"Partner {next(_numbers)}", country="FR"), published=published)
    if model == "agreements":
        return make_agreement(azov, courbevoie, title=f"Соглашение {next(_numbers)}", published=published)
    if model == "delegations":
        return make_delegation(azov, courbevoie, start_on="2024", published=published)
    if model == "events":
        return make_event(azov, title=f"Выставка {next(_numbers)}", host_city=azov, published=published)
    if model == "sources":
        source = make_source(title=f"Пресс-релиз {next(_numbers)}")
        make_twinning(azov, make_city(f"Cited {next(_numbers)}", country="FR")).sources.add(source)
        return source
    raise AssertionError(model)


def _new_record_data(model, azov, courbevoie):
    number = next(_numbers)
    return {
        "cities": {"local_name": f"Новый город {number}", "country": "RU"},
        "organisations": {"name": f"Библиотека {number}", "city_id": azov.pk, "kind": "library"},
        "persons": {"full_name": f"Иван Иванов {number}", "city_id": azov.pk},
        "twinnings": {
            "city_a_id": azov.pk,
            "city_b_id": make_city(f"Partner {number}", country="FR").pk,
            "kind": "twin_city",
            "established_on": "2015",
        },
        "agreements": {"title": f"Соглашение {number}", "parties": [{"city_id": azov.pk}, {"city_id": courbevoie.pk}]},
        "delegations": {"from_city_id": azov.pk, "to_city_id": courbevoie.pk, "start_on": "2025-09"},
        "events": {"title": f"Форум {number}", "host_city_id": azov.pk, "participant_ids": [courbevoie.pk]},
        "sources": {"title": f"Пресс-релиз {number}", "link": "https://azov.example/news/1"},
    }[model]


def _change(model):
    return {
        "cities": {"region": "Ростовская область"},
        "organisations": {"website": "https://school.example"},
        "persons": {"full_name_en": "Press Secretary"},
        "twinnings": {"description": "Обновлено"},
        "agreements": {"summary": "Обновлено"},
        "delegations": {"purpose": "Обновлено"},
        "events": {"description": "Обновлено"},
        "sources": {"publisher": "Администрация"},
    }[model]


MODELS = ["cities", "organisations", "persons", "twinnings", "agreements", "delegations", "events", "sources"]
ALLOWED = {"officer_a": True, "officer_b": False, "editor": True, "anonymous": False}
# Any press officer may add a city, or a source (which then belongs to the records citing it).
ANYONE_STAFF_MAY_ADD = {"cities", "sources"}


def _assert_outcome(response, allowed, who, ok):
    if allowed:
        assert response.status_code in ok, (who, response.status_code, response.content)
    elif who == "anonymous":
        assert response.status_code == 401, response.content
        assert response.json()["code"] == "not_authenticated"
    else:
        # 403 for a record they can see; 404 for another office's draft, which they cannot.
        assert response.status_code in (403, 404), (who, response.status_code, response.content)
        assert set(response.json()) >= {"status", "code", "message", "errors"}


@pytest.mark.parametrize("who", list(ALLOWED))
@pytest.mark.parametrize("model", MODELS)
def test_permission_matrix_add(api_client, users, azov, courbevoie, model, who):
    client = client_for(api_client, users, who)

    response = client.post(f"/api/v1/{model}/", _new_record_data(model, azov, courbevoie), format="json")

    allowed = ALLOWED[who] or (model in ANYONE_STAFF_MAY_ADD and who != "anonymous")
    _assert_outcome(response, allowed, who, ok=(201,))
    if allowed:
        body = response.json()
        if model != "sources":
            assert (body["publication"], body["version"]) == ("draft", 1)


@pytest.mark.parametrize("who", list(ALLOWED))
@pytest.mark.parametrize("model", MODELS)
def test_permission_matrix_change(api_client, users, azov, courbevoie, model, who):
    record = _record_of_azov(model, azov, courbevoie)
    client = client_for(api_client, users, who)
    data = _change(model) | ({"version": record.version} if hasattr(record, "version") else {"version": 1})

    response = client.patch(f"/api/v1/{model}/{record.pk}/", data, format="json")

    _assert_outcome(response, ALLOWED[who], who, ok=(200,))
    record.refresh_from_db()
    field, value = next(iter(_change(model).items()))
    changed = getattr(record, "url" if field == "link" else field) == value
    assert changed == ALLOWED[who]


@pytest.mark.parametrize("who", list(ALLOWED))
@pytest.mark.parametrize("model", [model for model in MODELS if model != "cities"])
def test_permission_matrix_delete(api_client, users, azov, courbevoie, model, who):
    record = _record_of_azov(model, azov, courbevoie)
    client = client_for(api_client, users, who)

    response = client.delete(f"/api/v1/{model}/{record.pk}/")

    _assert_outcome(response, ALLOWED[who], who, ok=(204,))
    assert type(record).objects.filter(pk=record.pk).exists() != ALLOWED[who]


@pytest.mark.parametrize("who", list(ALLOWED))
@pytest.mark.parametrize("model", [model for model in MODELS if model != "sources"])
def test_permission_matrix_publish(api_client, users, azov, courbevoie, model, who):
    record = _record_of_azov(model, azov, courbevoie, published=False)
    if model == "cities":
        record.publication = Publication.DRAFT
        record.save()
    client = client_for(api_client, users, who)

    response = client.post(f"/api/v1/{model}/{record.pk}/publish/")

    _assert_outcome(response, ALLOWED[who], who, ok=(200,))
    record.refresh_from_db()
    assert record.is_published() == ALLOWED[who]


@pytest.mark.parametrize("who", list(ALLOWED))
@pytest.mark.parametrize("model", [model for model in MODELS if model not in ("cities", "sources")])
def test_permission_matrix_view_draft(api_client, users, azov, courbevoie, model, who):
    record = _record_of_azov(model, azov, courbevoie, published=False)
    client = client_for(api_client, users, who)

    detail = client.get(f"/api/v1/{model}/{record.pk}/")
    listed = [row["id"] for row in client.get(f"/api/v1/{model}/", {"page_size": 500}).json()["results"]]

    assert (detail.status_code == 200) == ALLOWED[who]
    assert (record.pk in listed) == ALLOWED[who]


# ---------------------------------------------------------------- the write path
def test_created_record_is_a_draft_with_history_and_own_confirmation(api_client, users, azov, courbevoie):
    client = token_client(api_client, users["officer_a"])

    response = client.post(
        "/api/v1/twinnings/",
        {"city_a_id": azov.pk, "city_b_id": courbevoie.pk, "kind": "twin_city", "established_on": "2018-10-24"},
        format="json",
    )

    assert response.status_code == 201, response.content
    twinning = Twinning.objects.get(pk=response.json()["id"])
    assert twinning.publication == Publication.DRAFT
    assert [(entry.history_type, entry.history_user) for entry in twinning.history.all()] == [("+", users["officer_a"])]
    assert list(Confirmation.objects.values_list("city__slug", "state")) == [("azov", "confirmed")]
    assert APIClient().get(f"/api/v1/twinnings/{twinning.pk}/").status_code == 404


def test_publish_makes_it_public(api_client, users, azov, courbevoie):
    twinning = make_twinning(azov, courbevoie, published=False)
    client = token_client(api_client, users["officer_a"])

    response = client.post(f"/api/v1/twinnings/{twinning.pk}/publish/")

    assert response.status_code == 200
    assert (response.json()["publication"], response.json()["version"]) == ("published", 2)
    assert APIClient().get(f"/api/v1/twinnings/{twinning.pk}/").status_code == 200


def test_stale_version_is_refused_with_409(api_client, users, azov, courbevoie):
    twinning = make_twinning(azov, courbevoie, description="Первая версия")
    client = token_client(api_client, users["officer_a"])
    first = client.patch(f"/api/v1/twinnings/{twinning.pk}/", {"description": "Правка 1", "version": 1}, format="json")

    second = client.patch(f"/api/v1/twinnings/{twinning.pk}/", {"description": "Правка 2", "version": 1}, format="json")

    assert first.status_code == 200 and first.json()["version"] == 2
    assert second.status_code == 409
    body = second.json()
    assert (body["code"], body["current_version"]) == ("stale_version", 2)
    assert body["errors"]["version"] == [body["message"]]
    twinning.refresh_from_db()
    assert twinning.description == "Правка 1"


def test_update_without_version_is_400(api_client, users, azov, courbevoie):
    twinning = make_twinning(azov, courbevoie)
    client = token_client(api_client, users["officer_a"])

    response = client.patch(f"/api/v1/twinnings/{twinning.pk}/", {"description": "x"}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"]["version"]


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"city_b_id": "self"}, "city_b"),
        ({"established_on": "2999"}, "established_on"),
        ({"established_on": "2015-13"}, "established_on"),
        ({"city_b_id": 999999}, "city_b_id"),
        ({"kind": "sister"}, "kind"),
    ],
)
def test_twinning_validation_errors_name_the_field(api_client, users, azov, courbevoie, payload, field):
    client = token_client(api_client, users["officer_a"])
    data = {"city_a_id": azov.pk, "city_b_id": courbevoie.pk, "kind": "twin_city", **payload}
    if data["city_b_id"] == "self":
        data["city_b_id"] = azov.pk

    response = client.post("/api/v1/twinnings/", data, format="json")

    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [field]
    assert not Twinning.objects.exists()


def test_duplicate_twinning_in_other_order_links_to_the_existing_one(api_client, users, azov, courbevoie):
    existing = make_twinning(courbevoie, azov)
    client = token_client(api_client, users["officer_a"])

    response = client.post("/api/v1/twinnings/", {"city_a_id": azov.pk, "city_b_id": courbevoie.pk}, format="json")

    assert response.status_code == 400
    url = f"http://testserver/api/v1/twinnings/{existing.pk}/"
    assert response.json()["existing"] == url
    assert url in response.json()["errors"]["city_b"][0]


def test_delegation_to_itself_and_end_before_start_are_refused(api_client, users, azov, courbevoie):
    client = token_client(api_client, users["officer_a"])

    itself = client.post("/api/v1/delegations/", {"from_city_id": azov.pk, "to_city_id": azov.pk}, format="json")
    backwards = client.post(
        "/api/v1/delegations/",
        {"from_city_id": azov.pk, "to_city_id": courbevoie.pk, "start_on": "2025-09-18", "end_on": "2025-09-01"},
        format="json",
    )

    assert itself.status_code == 400 and list(itself.json()["errors"]) == ["to_city"]
    assert backwards.status_code == 400 and list(backwards.json()["errors"]) == ["end_on"]


def test_agreement_attached_to_twinning_must_have_both_cities_as_parties(api_client, users, azov, courbevoie):
    twinning = make_twinning(azov, courbevoie)
    client = token_client(api_client, users["officer_a"])
    data = {"title": "Соглашение", "twinning_id": twinning.pk, "parties": [{"city_id": azov.pk}]}

    refused = client.post("/api/v1/agreements/", data, format="json")
    school = make_organisation(courbevoie, name="École")
    accepted = client.post(
        "/api/v1/agreements/", {**data, "parties": [{"city_id": azov.pk}, {"organisation_id": school.pk}]}, format="json"
    )

    assert refused.status_code == 400 and refused.json()["errors"]["parties"]
    assert accepted.status_code == 201, accepted.content
    assert sorted(AgreementParty.objects.values_list("city__name", "organisation__name"), key=str) == [
        ("Азов", None),
        (None, "École"),
    ]


def test_agreement_future_signing_date_and_bad_party_are_refused(api_client, users, azov):
    client = token_client(api_client, users["officer_a"])

    future = client.post(
        "/api/v1/agreements/", {"title": "X", "signed_on": "2999-01-01", "parties": [{"city_id": azov.pk}]}, format="json"
    )
    neither = client.post("/api/v1/agreements/", {"title": "X", "parties": [{}]}, format="json")

    assert future.status_code == 400 and list(future.json()["errors"]) == ["signed_on"]
    assert neither.status_code == 400, neither.content
    assert neither.json()["errors"]["parties"]["0"]["non_field_errors"]
    assert not Agreement.objects.exists()


def test_officer_cannot_hand_a_record_to_another_city(api_client, users, azov, kuznetsk, courbevoie):
    delegation = make_delegation(azov, courbevoie)
    client = token_client(api_client, users["officer_a"])

    response = client.patch(
        f"/api/v1/delegations/{delegation.pk}/", {"from_city_id": kuznetsk.pk, "version": 1}, format="json"
    )

    assert response.status_code == 403
    delegation.refresh_from_db()
    assert delegation.from_city == azov


def test_officer_cannot_create_a_record_of_other_cities(api_client, users, kuznetsk, courbevoie):
    client = token_client(api_client, users["officer_a"])

    response = client.post(
        "/api/v1/events/", {"title": "Чужое", "host_city_id": kuznetsk.pk, "participant_ids": [courbevoie.pk]}, format="json"
    )

    assert response.status_code == 403
    assert not JointEvent.objects.exists()


def test_children_are_replaced_when_sent(api_client, users, azov):
    client = token_client(api_client, users["officer_a"])
    names = [{"name": "Азов", "language": "ru", "is_primary": True}, {"name": "Azov", "language": "en", "is_primary": True}]

    response = client.patch(f"/api/v1/cities/{azov.pk}/", {"names": names, "version": 1}, format="json")
    again = client.patch(f"/api/v1/cities/{azov.pk}/", {"names": names[:1], "version": 2}, format="json")

    assert response.status_code == 200, response.content
    assert again.status_code == 200, again.content
    assert list(CityName.objects.filter(city=azov).values_list("name", flat=True)) == ["Азов"]


def test_delete_of_a_referenced_record_is_409(api_client, users, azov, courbevoie):
    person = make_person(azov)
    make_delegation(azov, courbevoie, head=person)
    client = token_client(api_client, users["officer_a"])

    response = client.delete(f"/api/v1/persons/{person.pk}/")

    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert Person.objects.filter(pk=person.pk).exists()


def test_new_city_gets_a_slug_and_names(api_client, users):
    client = token_client(api_client, users["officer_b"])

    response = client.post(
        "/api/v1/cities/",
        {"local_name": "Барановичи", "country": "BY", "names": [{"name": "Baranavichy", "language": "be", "is_primary": True}]},
        format="json",
    )

    assert response.status_code == 201, response.content
    city = City.objects.get(pk=response.json()["id"])
    assert (city.slug, city.country.code, city.publication) == ("baranovichi", "BY", "draft")
    assert [name["name"] for name in response.json()["names"]] == ["Baranavichy"]


def test_write_counts_as_history_with_the_token_user(api_client, users, azov):
    organisation = make_organisation(azov)
    client = token_client(api_client, users["officer_a"])

    client.patch(f"/api/v1/organisations/{organisation.pk}/", {"website": "https://a.example", "version": 1}, format="json")

    latest = organisation.history.first()
    assert (latest.history_type, latest.history_user, latest.website) == ("~", users["officer_a"], "https://a.example")


def test_source_created_by_officer_is_theirs_to_edit(api_client, users):
    officer_b = token_client(api_client, users["officer_b"])
    created = officer_b.post("/api/v1/sources/", {"title": "Пресс-релиз", "link": "https://k.example/1"}, format="json")
    source_id = created.json()["id"]

    response = officer_b.patch(f"/api/v1/sources/{source_id}/", {"publisher": "Пресс-служба"}, format="json")

    assert response.status_code == 200, response.content
    assert Source.objects.get(pk=source_id).publisher == "Пресс-служба"
    assert Organisation.objects.count() == 0 and Delegation.objects.count() == 0
