import datetime
import gzip
import json

import pytest
from django.urls import reverse
from django.utils import timezone

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
from twinning.models import AgreementSignatory, StatusChange, TwinningState
from twinning.public import pair_activity, pair_agreements, pair_delegations, pair_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def azov():
    return make_city("Азов", names=[("Азов", "ru", True), ("Azov", "en", True)], region="Ростовская область")


@pytest.fixture
def courbevoie():
    return make_city("Courbevoie", country="FR", names=[("Курбевуа", "ru", True), ("Courbevoie", "en", True)])


@pytest.fixture
def twinning(azov, courbevoie):
    return make_twinning(azov, courbevoie, established_on="2018-10-24", kind="twin_city")


def page(client, url, language="ru"):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    return response, response.content.decode()


# ---------------------------------------------------------------- home


def test_home_shows_counts_latest_records_and_anniversaries(client, twinning, azov, courbevoie):
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=10)
    make_twinning(make_city("Bergen", country="NO"), make_city("Oslo", country="NO"),
                  established_on=soon.replace(year=soon.year - 10).isoformat())
    make_delegation(courbevoie, azov, purpose="Визит на День города")
    make_event(azov, courbevoie, title="Выставка детского рисунка", start_on=str(today.year))
    make_event(azov, title="Черновик события", published=False)

    response, html = page(client, "/")

    assert response.status_code == 200
    assert response.context["counts"] == {"cities": 4, "twinnings": 2, "countries": 3, "events_this_year": 1}
    assert [d.purpose for d in response.context["delegations"]] == ["Визит на День города"]
    assert [e.title for e in response.context["events"]] == ["Выставка детского рисунка"]
    assert [(a.years, a.date) for a in response.context["anniversaries"]] == [(10, soon)]
    assert "Черновик события" not in html
    assert 'role="search"' in html


def test_every_page_has_landmarks_skip_link_and_language_switch(client, twinning):
    for url in ["/", twinning.get_absolute_url(), "/search/?q=x", "/map/", "/cities/countries/"]:
        _response, html = page(client, url)
        assert 'href="#main"' in html and '<main id="main"' in html and "<header" in html and "<footer" in html
        assert f'action="{reverse("set_language")}"' in html and 'value="en"' in html


def test_language_switch_turns_interface_and_city_names_to_english(client, twinning):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    _response, html = page(client, twinning.get_absolute_url(), language=None)

    assert '<html lang="en">' in html
    assert "Courbevoie" in html and "Курбевуа" not in html


# ---------------------------------------------------------------- twinning page


def test_twinning_page_tells_the_pair_story_with_sources(client, twinning, azov, courbevoie):
    source = make_source(title="Поздравление городу Курбевуа")
    twinning.sources.add(source)
    StatusChange.objects.create(twinning=twinning, state=TwinningState.TREATY, date="2018-10-24", act_title="Соглашение")
    mayor = make_person(azov, full_name="Наталья Пяткова")
    draft_person = make_person(azov, full_name="Черновой Подписант", published=False)
    agreement = make_agreement(azov, courbevoie, title="Соглашение о побратимстве", signed_on="2018-10-24",
                               spheres=["culture", "trade"], signed_in=azov)
    agreement.sources.add(source)
    AgreementSignatory.objects.create(agreement=agreement, person=mayor, position_title="Глава города")
    AgreementSignatory.objects.create(agreement=agreement, person=draft_person)
    make_delegation(courbevoie, azov, start_on="2017", purpose="950-летие Азова")
    make_delegation(azov, courbevoie, start_on="2019", purpose="Ответный визит")
    make_event(azov, courbevoie, title="Перекрёстные фотовыставки")
    make_event(azov, make_city("Bergen", country="NO"), title="Чужое событие")
    make_agreement(azov, courbevoie, title="Черновик соглашения", published=False)

    response, html = page(client, twinning.get_absolute_url(), language="en")

    assert response.status_code == 200
    assert [a.title for a in response.context["agreements"]] == ["Соглашение о побратимстве"]
    assert [d.purpose for d in response.context["delegations"]] == ["Ответный визит", "950-летие Азова"]
    assert [e.title for e in response.context["events"]] == ["Перекрёстные фотовыставки"]
    assert [c.state for c in response.context["history"]] == ["treaty"]
    assert "Наталья Пяткова" in html and "Глава города" in html
    assert "Черновой Подписант" not in html and "Черновик соглашения" not in html and "Чужое событие" not in html
    assert "Culture" in html and "Trade" in html
    assert "Поздравление городу Курбевуа" in html
    assert html.count("badge--unsourced") == 4  # the two visits, the event and the status change cite nothing


def test_twinning_page_reversed_slugs_redirect_to_canonical_url(client, twinning, azov, courbevoie):
    response = client.get(reverse("twinning:twinning_detail", args=[courbevoie.slug, azov.slug]))

    assert response.status_code == 301
    assert response["Location"] == twinning.get_absolute_url() == f"/twinnings/{azov.slug}/{courbevoie.slug}/"


@pytest.mark.parametrize("slugs", [("azov", "nowhere"), ("nowhere", "elsewhere"), ("azov", "azov")])
def test_twinning_page_unknown_pair_is_404(client, twinning, slugs):
    assert client.get(reverse("twinning:twinning_detail", args=slugs)).status_code == 404


def test_twinning_page_draft_twinning_or_draft_city_is_404(client, azov):
    draft = make_twinning(azov, make_city("Bergen", country="NO"), published=False)
    with_draft_city = make_twinning(azov, make_city("Oslo", country="NO", published=False))

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(with_draft_city.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("state", "marker"), [(TwinningState.SUSPENDED, "badge--suspended"), (TwinningState.ENDED, "badge--ended")]
)
def test_twinning_page_marks_suspended_and_ended(client, twinning, state, marker):
    StatusChange.objects.create(twinning=twinning, state=state, date="2022-03-03")

    _response, html = page(client, twinning.get_absolute_url())

    assert marker in html and f"notice--{state.value}" in html


def test_twinning_page_query_count_does_not_grow(client, django_assert_max_num_queries, twinning, azov, courbevoie):
    for number in range(15):
        agreement = make_agreement(azov, courbevoie, title=f"Соглашение {number}", twinning=twinning)
        agreement.sources.add(make_source())
        make_delegation(azov, courbevoie, head=make_person(azov))
        make_event(azov, courbevoie, host_city=azov)

    # twinning + names x2 + sources, history, agreements (+ parties, names, signatories, sources, places),
    # delegations (+ names, organisations, sources), events (+ participants, names, organisations, sources),
    # confirmations and change log of the press offices, session/middleware overhead.
    with django_assert_max_num_queries(30):  # 24 measured
        response = client.get(twinning.get_absolute_url())

    assert len(response.context["agreements"]) == 15


def test_pair_activity_counts_what_the_twinning_page_lists(twinning, azov, courbevoie):
    museum = make_organisation(courbevoie, name="Musée")
    make_agreement(azov, courbevoie)
    make_agreement(azov, museum)  # an organisation of the partner
    make_agreement(make_city(), make_city(), twinning=twinning)  # linked explicitly
    make_delegation(azov, courbevoie)
    make_delegation(courbevoie, azov)
    make_event(azov, courbevoie)
    make_event(courbevoie, host_city=azov)
    make_event(twinning=twinning)

    activity = pair_activity(azov, [twinning])[twinning.pk]

    assert (activity.agreements, activity.visits, activity.events) == (3, 2, 3)
    assert (pair_agreements(twinning).count(), pair_delegations(twinning).count(), pair_events(twinning).count()) == (
        3, 2, 3,
    )


# ---------------------------------------------------------------- agreement page


def test_agreement_page_shows_parties_signatories_and_sources(client, twinning, azov, courbevoie):
    agreement = make_agreement(azov, courbevoie, title="Соглашение о сотрудничестве", signed_on="2019-09-18",
                               twinning=twinning, term_years=5, summary="Культура и образование")
    agreement.sources.add(make_source(title="Пресс-релиз администрации"))

    response, html = page(client, agreement.get_absolute_url())

    assert response.status_code == 200
    assert "Соглашение о сотрудничестве" in html and "18.09.2019" in html and "Пресс-релиз администрации" in html
    assert twinning.get_absolute_url() in html
    assert azov.get_absolute_url() in html and courbevoie.get_absolute_url() in html


def test_agreement_page_draft_and_unknown_are_404(client):
    draft = make_agreement(make_city(), title="Черновик", published=False)

    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("twinning:agreement_detail", args=[999999])).status_code == 404


def test_agreement_page_hides_draft_party(client):
    agreement = make_agreement(make_city("Азов"), make_city("Секретный город", published=False))

    _response, html = page(client, agreement.get_absolute_url())

    assert "Азов" in html and "Секретный город" not in html


# ---------------------------------------------------------------- search page and autocomplete


def test_search_page_groups_results(client, twinning, azov):
    make_delegation(make_city("Барановичи", country="BY"), azov, purpose="Обмен опытом")

    response, html = page(client, "/search/?q=делегация+Барановичей")

    assert response.status_code == 200
    assert [city.name for city in response.context["results"].cities] == ["Барановичи"]
    assert [d.purpose for d in response.context["results"].delegations] == ["Обмен опытом"]
    assert 'id="found-delegations"' in html


def test_search_page_without_query_and_with_huge_query(client):
    assert client.get("/search/").status_code == 200
    assert client.get("/search/?q=" + "щ" * 10000).status_code == 200


def test_search_page_query_count_does_not_grow(client, django_assert_max_num_queries, azov):
    for number in range(25):
        partner = make_city(f"Partner {number}")
        make_twinning(azov, partner)
        make_delegation(azov, partner)
        make_event(azov, partner)
        make_agreement(azov, partner)

    with django_assert_max_num_queries(40):  # 37 measured (with SET/RESET enable_seqscan around candidates)
        response = client.get("/search/?q=Азов")

    assert len(response.context["results"].delegations) == 20


def test_autocomplete_returns_json_suggestions(client, azov, courbevoie):
    response = client.get("/search/autocomplete/?q=Курб", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 200
    assert response.json() == {
        "query": "Курб",
        "results": [
            {"type": "city", "id": courbevoie.pk, "label": "Курбевуа", "matched": "", "detail": "Франция",
             "url": courbevoie.get_absolute_url()},
        ],
    }


def test_autocomplete_hides_drafts_and_ignores_short_queries(client):
    make_city("Азовск", published=False)

    assert client.get("/search/autocomplete/?q=Азо").json()["results"] == []
    assert client.get("/search/autocomplete/?q=А").json()["results"] == []
    assert client.get("/search/autocomplete/").status_code == 200


# ---------------------------------------------------------------- map


def test_map_page_renders_with_vendored_leaflet(client):
    response, html = page(client, "/map/")

    assert response.status_code == 200
    assert "vendor/leaflet/leaflet.js" in html and "vendor/world-atlas/countries-110m.json" in html
    assert 'id="network-map"' in html and "unpkg" not in html and "cdn" not in html.lower()


def test_map_data_lists_twinned_cities_and_lines_without_drafts(client, twinning, azov, courbevoie):
    ended = make_twinning(azov, make_city("Bergen", country="NO"))
    StatusChange.objects.create(twinning=ended, state=TwinningState.ENDED, date="2022")
    make_twinning(azov, make_city("Oslo", country="NO"), published=False)
    make_twinning(azov, make_city("Secret", country="NO", published=False))
    make_twinning(azov, make_city("Nowhere", country="NO", latitude=None, longitude=None))
    make_city("Lonely")  # no twinning: no marker

    response = client.get("/map/data.json", HTTP_ACCEPT_LANGUAGE="ru")
    data = response.json()

    assert response.status_code == 200
    assert [city[0] for city in data["cities"]] == ["Азов", "Курбевуа", "Bergen"]
    assert sorted(data["links"]) == [[0, 1, 0], [0, 2, 2]]
    assert data["statuses"] == ["active", "suspended", "ended"]
    assert data["countries"]["FR"] == "Франция"


def test_map_data_is_gzipped_cached_and_revalidated(client, twinning, django_assert_max_num_queries):
    first = client.get("/map/data.json", HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip"
    assert len(json.loads(gzip.decompress(first.content))["cities"]) == 2

    with django_assert_max_num_queries(3):  # the cached fingerprint
        again = client.get("/map/data.json", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


def test_map_data_changes_when_a_twinning_is_added(client, twinning, monkeypatch):
    monkeypatch.setattr("twinning.network_map.VERSION_SECONDS", 0)  # instead of waiting a minute
    etag = client.get("/map/data.json")["ETag"]
    make_twinning(twinning.city_a, make_city("Bergen", country="NO"))

    response = client.get("/map/data.json", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200 and len(response.json()["links"]) == 2



def test_public_pages_answer_head_and_refuse_post(client, twinning):
    assert client.head(twinning.get_absolute_url()).status_code == 200
    assert client.head("/map/data.json").status_code == 200
    assert client.post("/search/", {"q": "Азов"}).status_code == 405
