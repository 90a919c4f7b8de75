"""The permission matrix through the admin: officer of city A, officer of city B, registry
editor and anonymous × view, add, change, delete and publish × every record model."""

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from cities.models import City, Organisation, Person
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
from twinning.models import Agreement, Source, Twinning
from twinning.permissions import REGISTRY_EDITORS_GROUP

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]  # messages asserted in English


OFFICER_A, OFFICER_B, EDITOR, ANONYMOUS = "officer of A", "officer of B", "registry editor", "anonymous"
USERS = [OFFICER_A, OFFICER_B, EDITOR, ANONYMOUS]
ACTIONS = ["view", "add", "change", "delete", "publish"]


class World:
    """City A and city B with press offices, city C (a partner without one), the users."""

    def __init__(self):
        self.a = make_city("Азов", slug="azov")
        self.b = make_city("Батайск", slug="bataysk")
        self.c = make_city("Courbevoie", country="FR", slug="courbevoie")
        self.d = make_city("Dinan", country="FR", slug="dinan")
        editor = User.objects.create_user("editor", is_staff=True)
        editor.groups.add(Group.objects.get(name=REGISTRY_EDITORS_GROUP))
        self.users = {
            OFFICER_A: make_press_officer(self.a, username="officer_a"),
            OFFICER_B: make_press_officer(self.b, username="officer_b"),
            EDITOR: editor,
            ANONYMOUS: None,
        }


# For each model: the record of city A under test (draft), the add form's values (a record of
# city A), and a change to one text field.
SPECS = {
    "city": dict(
        model=City,
        record=lambda w: City.objects.filter(pk=w.a.pk).update(publication="draft") and City.objects.get(pk=w.a.pk),
        add=lambda w: {"name": "Новочеркасск", "slug": "novocherkassk", "country": "RU"},
        change=("region", "Ростовская область"),
    ),
    "organisation": dict(
        model=Organisation,
        record=lambda w: make_organisation(w.a, name="Администрация Азова", published=False),
        add=lambda w: {"city": w.a.pk, "name": "Библиотека", "slug": "biblioteka", "kind": "library"},
        change=("name_en", "Azov administration"),
    ),
    "person": dict(
        model=Person,
        record=lambda w: make_person(w.a, full_name="Наталья Пяткова", published=False),
        add=lambda w: {"city": w.a.pk, "full_name": "Иван Петров", "slug": "ivan-petrov"},
        change=("full_name_en", "Natalya Pyatkova"),
    ),
    "twinning": dict(
        model=Twinning,
        record=lambda w: make_twinning(w.a, w.c, published=False),
        add=lambda w: {"city_a": w.a.pk, "city_b": w.d.pk, "kind": "twin_city"},
        change=("description", "Побратимы с 2016 года"),
    ),
    "agreement": dict(
        model=Agreement,
        record=lambda w: make_agreement(w.a, w.c, title="Соглашение о сотрудничестве", published=False),
        add=lambda w: {
            "title": "Меморандум",
            "kind": "memorandum",
            "parties-0-city": w.a.pk,
            "parties-1-city": w.c.pk,
        },
        change=("summary", "Культура и спорт"),
    ),
    "delegation": dict(
        model=Delegation,
        record=lambda w: make_delegation(w.a, w.c, published=False),
        add=lambda w: {"from_city": w.a.pk, "to_city": w.d.pk, "start_on": "2025-09-18"},
        change=("purpose", "Обмен опытом"),
    ),
    "jointevent": dict(
        model=JointEvent,
        record=lambda w: make_event(w.c, title="Выставка", host_city=w.a, published=False),
        add=lambda w: {"title": "Фестиваль", "kind": "festival", "format": "in_person", "host_city": w.a.pk},
        change=("description", "Выставка рисунков"),
    ),
    "source": dict(
        model=Source,
        record=lambda w: _source_of_a(w),
        add=lambda w: {"title": "Пресс-релиз", "url": "https://azov.example/news/1"},
        change=("publisher", "Пресс-служба"),
    ),
}


def _source_of_a(world):
    source = make_source(title="Азов и Курбевуа")
    make_twinning(world.a, world.c).sources.add(source)
    return source


def expected(model_name, user, action):
    """Allowed or not: A's officer and the editor may do everything to A's records, B's officer
    only views them (and may add a city or a source of their own), anonymous users nothing."""
    if user == ANONYMOUS:
        return False
    if action == "view" or user in (OFFICER_A, EDITOR):
        return True
    return action == "add" and model_name in ("city", "source")


def admin_form_data(response, **overrides):
    """The POST data an admin change or add page would send back, with `overrides`."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):  # none on a history page
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form[name].html_name] = [str(v) for v in value] if isinstance(value, (list, tuple)) else (
                "on" if value is True else str(value)
            )
    for key, value in overrides.items():
        data[key] = str(value)
    return data


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def world():
    return World()


@pytest.fixture
def superuser_browser(superuser):
    """A second browser, logged in as a superuser, to read the forms the tested user posts back."""
    browser = Client()
    browser.force_login(superuser)
    return browser


def _client_for(client, world, user):
    if world.users[user] is not None:
        client.force_login(world.users[user])
    return client


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("model_name", SPECS)
def test_view(model_name, user, world, client, superuser_browser):
    spec = SPECS[model_name]
    record = spec["record"](world)
    client = _client_for(client, world, user)

    response = client.get(_url(spec["model"], "change", record.pk))

    assert (response.status_code == 200) == expected(model_name, user, "view")
    if user == OFFICER_B:  # read-only: no save button
        assert b'name="_save"' not in response.content


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("model_name", SPECS)
def test_add(model_name, user, world, client, superuser_browser):
    spec = SPECS[model_name]
    data = admin_form_data(superuser_browser.get(_url(spec["model"], "add")), **spec["add"](world))
    before = spec["model"].objects.count()
    client = _client_for(client, world, user)

    response = client.post(_url(spec["model"], "add"), data)

    created = spec["model"].objects.count() - before
    assert created == (1 if expected(model_name, user, "add") else 0), response.content.decode()[:3000]
    if created:
        assert response.status_code == 302
        new = spec["model"].objects.order_by("-pk").first()
        assert getattr(new, "publication", "draft") == "draft"


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("model_name", SPECS)
def test_change(model_name, user, world, client, superuser_browser):
    spec = SPECS[model_name]
    record = spec["record"](world)
    field, value = spec["change"]
    data = admin_form_data(superuser_browser.get(_url(spec["model"], "change", record.pk)), **{field: value})
    client = _client_for(client, world, user)

    response = client.post(_url(spec["model"], "change", record.pk), data)

    record.refresh_from_db()
    allowed = expected(model_name, user, "change")
    assert (getattr(record, field) == value) == allowed, response.content.decode()[:3000]
    if user == OFFICER_B:
        assert response.status_code == 403


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("model_name", SPECS)
def test_delete(model_name, user, world, client):
    spec = SPECS[model_name]
    record = spec["record"](world)
    if model_name == "city":
        record = make_city("Ейск", slug="eysk", published=False)  # A itself is held by its press office
        make_press_officer(record, username="officer_eysk")
        record.press_offices.get().members.add(world.users[OFFICER_A])
    client = _client_for(client, world, user)

    response = client.post(_url(spec["model"], "delete", record.pk), {"post": "yes"})

    gone = not spec["model"].objects.filter(pk=record.pk).exists()
    if model_name == "city" and user in (OFFICER_A, EDITOR):
        # Allowed, but the city's press office protects it: the admin lists it instead of deleting.
        assert (response.status_code, gone, len(response.context["protected"])) == (200, False, 1)
        return
    assert gone == expected(model_name, user, "delete")
    if user == OFFICER_B:
        assert response.status_code == 403


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("model_name", SPECS)
def test_publish(model_name, user, world, client):
    spec = SPECS[model_name]
    record = spec["record"](world)
    if model_name == "source":
        pytest.skip("sources have no publication state; they show with the records citing them")
    client = _client_for(client, world, user)

    client.post(_url(spec["model"], "changelist"), {"action": "publish_selected", "_selected_action": [record.pk]})

    record.refresh_from_db()
    assert (record.publication == "published") == expected(model_name, user, "publish")


def test_officer_adding_another_citys_twinning_gets_a_form_error(world, client, superuser_browser, english):
    data = admin_form_data(superuser_browser.get(_url(Twinning, "add")), city_a=world.a.pk, city_b=world.c.pk)
    client.force_login(world.users[OFFICER_B])

    response = client.post(_url(Twinning, "add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors.get("__all__") == [
        "You can only save records in which a city of your press office takes part; "
        "this one would belong to other cities' press offices."
    ]
    assert Twinning.objects.count() == 0


def test_officer_sees_every_record_but_can_narrow_to_their_own(world, client):
    mine, other = make_twinning(world.a, world.c), make_twinning(world.b, world.d)
    client.force_login(world.users[OFFICER_A])

    everything = client.get(_url(Twinning, "changelist"))
    only_mine = client.get(_url(Twinning, "changelist"), {"mine": "1"})

    assert {row.pk for row in everything.context["cl"].result_list} == {mine.pk, other.pk}
    assert [row.pk for row in only_mine.context["cl"].result_list] == [mine.pk]


def test_press_offices_admin_is_for_superusers_only(world, client, superuser_browser):
    client.force_login(world.users[OFFICER_A])

    assert client.get(reverse("admin:twinning_pressoffice_changelist")).status_code == 403
    assert superuser_browser.get(reverse("admin:twinning_pressoffice_changelist")).status_code == 200


@pytest.mark.parametrize("user", USERS)
def test_admin_and_api_give_the_same_answer(user, world, client, superuser_browser):
    """One rule in one place: a change the admin refuses, the API refuses too (and vice versa).
    The API's own full matrix is in tests/twinning/test_api_writing.py."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    by_admin, by_api = make_twinning(world.a, world.c, published=False), make_twinning(world.a, world.d, published=False)
    data = admin_form_data(superuser_browser.get(_url(Twinning, "change", by_admin.pk)), description="admin")
    _client_for(client, world, user).post(_url(Twinning, "change", by_admin.pk), data)
    api = APIClient()
    if world.users[user] is not None:
        api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world.users[user]).key}")
    api.patch(f"/api/v1/twinnings/{by_api.pk}/", {"description": "api", "version": 1}, format="json")

    by_admin.refresh_from_db(), by_api.refresh_from_db()
    assert (by_admin.description == "admin") == (by_api.description == "api") == expected("twinning", user, "change")
