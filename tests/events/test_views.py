import pytest
from django.urls import reverse

from events.models import ProgrammeItem
from tests.factories import make_agreement, make_city, make_delegation, make_event, make_organisation, make_person, make_source, make_twinning

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="ru")
    return response, response.content.decode()


def test_delegation_page_shows_visit_with_programme_and_sources(client):
    baranovichi, kuznetsk = make_city("Барановичи", country="BY"), make_city("Кузнецк")
    twinning = make_twinning(baranovichi, kuznetsk)
    head = make_person(baranovichi, full_name="Вадим Щербаков")
    delegation = make_delegation(baranovichi, kuznetsk, start_on="2025-09-18", end_on="2025-09-21", head=head,
                                 head_position="заместитель председателя горисполкома", members_count=7,
                                 purpose="Рабочий визит", twinning=twinning)
    delegation.sources.add(make_source(title="Пресс-релиз Кузнецка"))
    library = make_organisation(kuznetsk, name="Центральная библиотека")
    ProgrammeItem.objects.create(delegation=delegation, description="Посещение библиотеки", organisation=library)
    make_agreement(baranovichi, kuznetsk, title="Договор библиотек", delegation=delegation)

    response, html = page(client, delegation.get_absolute_url())

    assert response.status_code == 200
    for text in ["Вадим Щербаков", "18.09.2025", "21.09.2025", "Посещение библиотеки", "Центральная библиотека",
                 "Договор библиотек", "Пресс-релиз Кузнецка", twinning.get_absolute_url()]:
        assert text in html


def test_delegation_page_hides_draft_head_and_404s_drafts(client):
    azov = make_city("Азов")
    delegation = make_delegation(azov, head=make_person(azov, full_name="Черновой Глава", published=False))
    draft = make_delegation(published=False)
    to_draft_city = make_delegation(azov, make_city("Секретный", published=False))

    _response, html = page(client, delegation.get_absolute_url())

    assert "Черновой Глава" not in html
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(to_draft_city.get_absolute_url()).status_code == 404
    assert client.get(reverse("events:delegation_detail", args=[999999])).status_code == 404


def test_event_page_shows_host_participants_and_sources(client):
    azov, courbevoie = make_city("Азов"), make_city("Courbevoie", country="FR")
    event = make_event(azov, courbevoie, make_city("Черновой участник", published=False), title="Фотовыставка",
                       host_city=azov, start_on="2019-09", description="Виды города")
    event.sources.add(make_source(title="Новость"))

    response, html = page(client, event.get_absolute_url())

    assert response.status_code == 200
    assert "Фотовыставка" in html and "Виды города" in html and "Новость" in html and "Courbevoie" in html
    assert "Черновой участник" not in html


def test_event_page_draft_and_unknown_are_404(client):
    assert client.get(make_event(title="Черновик", published=False).get_absolute_url()).status_code == 404
    assert client.get(make_event(host_city=make_city(published=False)).get_absolute_url()).status_code == 404
    assert client.get(reverse("events:event_detail", args=[999999])).status_code == 404
