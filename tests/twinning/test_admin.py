import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cities.models import City, Person
from events.models import ProgrammeItem
from tests.factories import (
    make_agreement,
    make_city,
    make_delegation,
    make_event,
    make_organisation,
    make_person,
    make_source,
    make_twinning,
)
from twinning.models import Agreement, AgreementSignatory, StatusChange, Twinning, TwinningState

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def _url(model, page, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{page}", args=args)


def _changelist_rows(admin_client, model, **params):
    response = admin_client.get(_url(model, "changelist"), params)
    assert response.status_code == 200
    return [str(row) for row in response.context["cl"].result_list]


# One demo load for all registered admins: loading it per model would cost a minute on a shared box.
def test_admin_every_changelist_and_add_page_answers_200(admin_client, demo):
    answers = {}
    for model in REGISTERED:
        changelist = admin_client.get(_url(model, "changelist"))
        may_add = admin.site._registry[model].has_add_permission(changelist.wsgi_request)
        answers[model._meta.label] = (changelist.status_code, admin_client.get(_url(model, "add")).status_code)
        assert answers[model._meta.label] == (200, 200 if may_add else 403), model._meta.label

    assert {"cities.City", "twinning.Twinning", "events.Delegation"} <= answers.keys()


def test_admin_every_change_page_of_a_demo_record_answers_200(admin_client, demo):
    for model in REGISTERED:
        record = model._default_manager.order_by("pk").first()
        if record is not None:
            assert admin_client.get(_url(model, "change", record.pk)).status_code == 200, model._meta.label


def test_admin_twinning_search_finds_courbevoie_by_russian_name(admin_client, demo):
    assert _changelist_rows(admin_client, Twinning, q="Курбевуа") == ["Азов — Курбевуа"]


def test_admin_twinning_status_filter_uses_latest_status_change(admin_client):
    active, ended = make_twinning(), make_twinning()
    StatusChange.objects.create(twinning=ended, state=TwinningState.TREATY, date="2001")
    StatusChange.objects.create(twinning=ended, state=TwinningState.ENDED, date="2022-03")

    assert _changelist_rows(admin_client, Twinning, status="ended") == [str(ended)]
    assert _changelist_rows(admin_client, Twinning, status="active") == [str(active)]


def test_admin_twinning_year_filter_matches_every_precision(admin_client):
    by_year = make_twinning(established_on="2018")
    by_day = make_twinning(established_on="2018-10-24")
    make_twinning(established_on="2019-10-29")

    rows = _changelist_rows(admin_client, Twinning, established_on_year="2018")

    assert sorted(rows) == sorted([str(by_year), str(by_day)])


def test_admin_twinning_country_filter_matches_either_side(admin_client):
    courbevoie = make_city("Courbevoie", country="FR")
    as_a = make_twinning(courbevoie, make_city("Азов"))
    as_b = make_twinning(make_city("Bonn", country="DE"), make_city("Paris", country="FR"))
    make_twinning(make_city("Bonn", country="DE"), make_city("Oxford", country="GB"))

    rows = _changelist_rows(admin_client, Twinning, country="fr")

    assert sorted(rows) == sorted([str(as_a), str(as_b)])


def test_admin_bad_filter_values_are_ignored_not_500(admin_client):
    make_twinning(established_on="2018")

    rows = _changelist_rows(admin_client, Twinning, established_on_year="20x8", status="nonsense", country="ZZ")

    assert len(rows) == 1


def test_admin_agreement_search_finds_by_party_organisation(admin_client, demo):
    rows = _changelist_rows(admin_client, Agreement, q="лицей")

    assert rows == ["Договор о партнёрском сотрудничестве между гимназией № 5 г. Барановичи и Кузнецким лицеем № 21"]


def test_admin_twinning_change_page_shows_status_and_agreement_inlines(admin_client, demo):
    twinning = Twinning.objects.between(City.objects.get(slug="azov"), City.objects.get(slug="courbevoie")).get()

    response = admin_client.get(_url(Twinning, "change", twinning.pk))

    formsets = {formset.formset.prefix: formset.formset.total_form_count() for formset in response.context["inline_admin_formsets"]}
    assert formsets == {"status_changes": 1, "claims": 0, "agreements": 2}


@pytest.mark.parametrize("rows", [1, 3])
def test_admin_twinning_changelist_query_count(admin_client, django_assert_num_queries, rows):
    for _ in range(rows):
        make_twinning(established_on="2018")
    url = _url(Twinning, "changelist")

    # session, user; filter lookups: countries, years; row estimate (pg_class), exact count
    # (table below the estimate threshold); the page of twinnings joined with both cities and
    # their derived status; the names of city_a, then of city_b.
    with django_assert_num_queries(9):
        assert admin_client.get(url).status_code == 200


def test_admin_changelist_queries_do_not_grow_with_rows(admin_client, demo):
    urls = [_url(model, "changelist") for model in REGISTERED]
    for url in urls:
        admin_client.get(url)  # warm per-process caches (content types, site) before counting
    before = {url: _count_queries(admin_client, url) for url in urls}

    _add_rows_to_every_demo_table()

    assert {url: _count_queries(admin_client, url) for url in urls} == before


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _add_rows_to_every_demo_table():
    """More rows of each kind the demo has, in new cities, so every changelist page grows."""
    for number, twinning in enumerate(Twinning.objects.all()):
        city, partner = make_city(f"Город {number}", names=[(f"Town {number}", "en", True)]), make_city()
        copy = make_twinning(city, partner, established_on=twinning.established_on)
        StatusChange.objects.create(twinning=copy, state=TwinningState.TREATY, date="2001")
        organisation = make_organisation(city)
        make_person(city, position="Глава", organisation=organisation)
        agreement = make_agreement(city, partner, organisation, title=f"Соглашение {number}", twinning=copy)
        AgreementSignatory.objects.create(agreement=agreement, person=Person.objects.filter(city=city).get())
        delegation = make_delegation(city, partner, start_on="2020", head=Person.objects.filter(city=city).get())
        ProgrammeItem.objects.create(delegation=delegation, description="Визит", organisation=organisation)
        make_event(city, partner, host_city=city, start_on="2021").organisations.add(organisation)
        make_source(title=f"Пресс-релиз {number}")


def test_admin_is_branded_and_offers_russian_and_english(admin_client):
    response = admin_client.get(reverse("admin:index"))

    page = response.content.decode()
    assert response.context["site_header"] == "Реестр побратимских связей"  # Russian by default
    assert 'action="/i18n/setlang/"' in page
    assert [code for code, _name in response.context["LANGUAGES"]] == ["ru", "en"]
    assert response.context["LANGUAGE_CODE"] == "ru"


def test_admin_language_switch_serves_english(admin_client):
    response = admin_client.post(reverse("set_language"), {"language": "en", "next": reverse("admin:index")}, follow=True)

    assert response.context["LANGUAGE_CODE"] == "en"
    assert "Log out" in response.content.decode()
