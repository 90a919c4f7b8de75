import pytest
from django.contrib import admin
from django.urls import reverse

from cities.models import City, Organisation, Person
from tests.factories import make_city, make_organisation, make_person

pytestmark = pytest.mark.django_db


def _changelist_rows(admin_client, model, **params):
    response = admin_client.get(reverse(f"admin:cities_{model._meta.model_name}_changelist"), params)
    assert response.status_code == 200
    return [str(row) for row in response.context["cl"].result_list]


def test_admin_city_search_finds_alias_in_another_script(admin_client):
    make_city(
        "Барановичи",
        country="BY",
        names=[("Барановичи", "ru", True), ("Baranovichi", "en", True), ("Baranavichy", "be", False)],
    )
    make_city("Brest", country="BY", names=[("Брест", "ru", True)])

    assert _changelist_rows(admin_client, City, q="Baranavichy") == ["Барановичи"]


def test_admin_city_search_finds_chinese_name(admin_client):
    make_city("Heihe", country="CN", names=[("Хэйхэ", "ru", True), ("黑河", "zh", True)])

    assert _changelist_rows(admin_client, City, q="黑河") == ["Хэйхэ"]


def test_admin_city_changelist_lists_other_names(admin_client):
    make_city("Барановичи", country="BY", names=[("Baranovichi", "en", True), ("Baranavichy", "be", False)])

    response = admin_client.get(reverse("admin:cities_city_changelist"))

    assert "Baranavichy, Baranovichi" in response.content.decode()


def test_admin_city_country_filter_offers_only_countries_with_cities(admin_client):
    make_city("Азов", country="RU")
    courbevoie = make_city("Courbevoie", country="FR")

    response = admin_client.get(reverse("admin:cities_city_changelist"), {"country": "FR"})

    country_filter = next(spec for spec in response.context["cl"].filter_specs if getattr(spec, "parameter_name", "") == "country")
    assert [code for code, _name in country_filter.lookup_choices] == ["RU", "FR"]  # Россия, Франция
    assert list(response.context["cl"].result_list) == [courbevoie]


def test_admin_city_autocomplete_finds_alias(admin_client):
    baranovichi = make_city("Барановичи", country="BY", names=[("Baranavichy", "be", False)])

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "twinning", "model_name": "twinning", "field_name": "city_a", "term": "Baranav"},
    )

    assert [result["id"] for result in response.json()["results"]] == [str(baranovichi.pk)]


def test_admin_person_change_page_has_positions_inline(admin_client):
    person = make_person(full_name="Вадим Щербаков", position="заместитель председателя горисполкома")

    response = admin_client.get(reverse("admin:cities_person_change", args=[person.pk]))

    [positions] = [f.formset for f in response.context["inline_admin_formsets"] if f.formset.prefix == "positions"]
    assert [form.instance.title for form in positions.initial_forms] == ["заместитель председателя горисполкома"]


def test_admin_every_city_person_and_organisation_choice_is_an_autocomplete():
    chosen = (City, Person, Organisation)
    plain_selects = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in {"cities", "twinning", "events"}:
            continue
        for form_admin in [model_admin] + [inline(model, admin.site) for inline in model_admin.inlines]:
            form_model = form_admin.model
            parent_link = getattr(form_admin, "fk_name", None)
            for field in form_model._meta.get_fields():
                if form_admin.fields is not None and field.name not in form_admin.fields:
                    continue
                if field.name in form_admin.readonly_fields:
                    continue
                if not (field.many_to_one or field.many_to_many) or not field.concrete or not field.editable:
                    continue
                if field.related_model not in chosen or field.name == parent_link:
                    continue
                if form_model is not model and field.related_model is model:
                    continue  # the inline's link to its parent page
                if field.name not in form_admin.autocomplete_fields:
                    plain_selects.append(f"{type(form_admin).__name__}.{field.name}")

    assert plain_selects == []


@pytest.mark.parametrize("rows", [1, 3])
def test_admin_organisation_changelist_query_count(admin_client, django_assert_num_queries, rows):
    city = make_city("Барановичи", country="BY", names=[("Барановичи", "ru", True)])
    for number in range(rows):
        make_organisation(city, name=f"Гимназия № {number}")

    # session, user, country lookups, filtered and full count, the page joined with cities, the cities' names
    with django_assert_num_queries(7):
        assert admin_client.get(reverse("admin:cities_organisation_changelist")).status_code == 200


@pytest.mark.parametrize("rows", [1, 3])
def test_admin_person_changelist_query_count(admin_client, django_assert_num_queries, rows):
    city = make_city("Барановичи", country="BY")
    for number in range(rows):
        make_person(city, full_name=f"Person {number}", position="Глава")

    # session, user, country lookups, filtered and full count, the page joined with cities, the
    # cities' names, positions
    with django_assert_num_queries(8):
        assert admin_client.get(reverse("admin:cities_person_changelist")).status_code == 200
