import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_agreement, make_city, make_twinning
from twinning.changes import changes, data_as_of
from cities.models import City
from twinning.models import StatusChange, Twinning, TwinningState
from twinning.records import Publication

pytestmark = pytest.mark.django_db

CHANGES_URL = "/api/v1/changes/"


def _feed(**kwargs):
    return [(row["record_type"], row["action"], row["label"]) for row in changes(**kwargs)]


def _publish(record):
    record.publication = Publication.PUBLISHED
    record.save()


def test_change_feed_lists_published_creations_changes_and_deletions_in_order():
    azov = make_city("Азов")
    courbevoie = make_city("Courbevoie", country="FR")
    twinning = make_twinning(azov, courbevoie)
    twinning.description = "Since 1998"
    twinning.save()
    agreement = make_agreement(azov, courbevoie, title="Соглашение", published=False)
    agreement.summary = "draft edit"
    agreement.save()
    _publish(agreement)
    twinning.delete()

    assert _feed() == [
        ("city", "created", "Азов"),
        ("city", "created", "Courbevoie"),
        ("twinning", "created", "Азов — Courbevoie"),
        ("twinning", "changed", "Азов — Courbevoie"),
        ("agreement", "created", "Соглашение"),
        ("twinning", "deleted", "Азов — Courbevoie"),
    ]


def test_change_feed_leaves_out_drafts_and_lists_unpublishing_as_deletion():
    draft = make_city("Черновик", published=False)
    draft.region = "edited"
    draft.save()
    draft.delete()
    withdrawn = make_city("Отозванный")
    withdrawn.publication = Publication.DRAFT
    withdrawn.save()
    withdrawn.region = "edited while a draft again"
    withdrawn.save()

    assert _feed() == [("city", "created", "Отозванный"), ("city", "deleted", "Отозванный")]


def test_change_feed_lists_status_changes_of_published_twinnings_only():
    published = make_twinning(make_city("Азов"), make_city("Courbevoie", country="FR"))
    draft = make_twinning(published=False)
    StatusChange.objects.create(twinning=draft, state=TwinningState.SUSPENDED, date="2022")
    StatusChange.objects.create(twinning=published, state=TwinningState.SUSPENDED, date="2022-03-03")

    assert _feed(types=("status_change",)) == [("status_change", "created", "Азов — Courbevoie: suspended")]


def test_change_feed_since_keeps_changes_strictly_after(client):
    make_city("Before")
    cut = timezone.now()
    make_city("After")

    response = client.get(CHANGES_URL, {"since": cut.isoformat()})

    assert response.status_code == 200
    assert [(e["type"], e["action"], e["title"]) for e in response.json()["results"]] == [("city", "created", "After")]


def test_change_feed_api_entry_shape(client):
    city = make_city("Азов")
    history = city.history.get()

    entry = client.get(CHANGES_URL).json()["results"][0]

    assert entry == {
        "entry": f"city:{history.history_id}",
        "at": history.history_date.astimezone(timezone.get_current_timezone()).isoformat(),
        "action": "created",
        "type": "city",
        "id": city.pk,
        "twinning": None,
        "title": "Азов",
        "url": f"http://testserver{city.get_absolute_url()}",
    }


def test_change_feed_since_without_offset_is_utc(client):
    make_city("Later")

    hour_ago_utc = (timezone.now() - datetime.timedelta(hours=1)).astimezone(datetime.timezone.utc)
    response = client.get(CHANGES_URL, {"since": hour_ago_utc.replace(tzinfo=None).isoformat()})

    assert [e["title"] for e in response.json()["results"]] == ["Later"]


@pytest.mark.parametrize("since", ["yesterday", "2025-13-01", "2025-02-30T10:00:00"])
def test_change_feed_refuses_malformed_since(client, since):
    response = client.get(CHANGES_URL, {"since": since})

    assert response.status_code == 400
    assert "ISO 8601" in str(response.json())


def test_change_feed_refuses_unknown_type(client):
    response = client.get(CHANGES_URL, {"type": "city,planet"})

    assert response.status_code == 400
    assert "planet" in str(response.json())


def test_change_feed_pages_follow_next_through_changes_saved_at_the_same_moment(client):
    twinning = make_twinning(make_city("Азов"), make_city("Гомель"))
    same_moment = timezone.now()
    for model in (City, Twinning):
        model.history.model.objects.update(history_date=same_moment)  # a bulk import saves many at once
    StatusChange.objects.create(twinning=twinning, state=TwinningState.SUSPENDED)

    seen, url, pages = [], CHANGES_URL + "?limit=2", 0
    while url:
        page = client.get(url).json()
        seen += [entry["title"] for entry in page["results"]]
        url, pages = (page["next"] if page["more"] else None), pages + 1

    assert seen == ["Азов", "Гомель", "Азов — Гомель", "Азов — Гомель: suspended"]
    assert pages == 2
    assert client.get(page["next"]).json() == {"more": False, "next": page["next"], "results": []}


@pytest.mark.parametrize(
    ("params", "field"),
    [({"limit": "0"}, "limit"), ({"limit": "abc"}, "limit"), ({"after": "city:1"}, "after"),
     ({"since": "2025-01-01", "after": "planet:3"}, "after")],
)
def test_change_feed_refuses_bad_paging(client, params, field):
    response = client.get(CHANGES_URL, params)

    assert response.status_code == 400
    assert field in str(response.json())


@pytest.mark.parametrize("rows", [1, 3])
def test_change_feed_query_count(admin_client, django_assert_num_queries, rows):
    for _ in range(rows):
        make_twinning()

    # session, user (signed in, so no throttle counter in the cache), the page of the union,
    # and X-Data-As-Of's max over the history tables
    with django_assert_num_queries(4):
        response = admin_client.get(CHANGES_URL)

    assert len(response.json()["results"]) == rows * 3


def test_api_response_carries_data_as_of(client):
    make_city("Азов")
    latest = make_city("Гомель").history.get().history_date

    response = client.get(CHANGES_URL)

    assert response["X-Data-As-Of"] == latest.astimezone(datetime.timezone.utc).isoformat()
    assert data_as_of() == latest


def test_public_pages_do_not_carry_data_as_of(client):
    response = client.get(reverse("admin:login"))

    assert "X-Data-As-Of" not in response


def test_atom_feed_lists_newest_change_first(client):
    make_city("Азов")
    make_city("Гомель")

    response = client.get(reverse("lifecycle_api:changes_atom"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    atom = {"a": "http://www.w3.org/2005/Atom"}
    entries = ET.fromstring(response.content).findall("a:entry", atom)
    titles = [entry.findtext("a:title", namespaces=atom) for entry in entries]
    assert [title.endswith(name) for title, name in zip(titles, ["Гомель", "Азов"])] == [True, True]
    assert len(titles) == 2
    assert entries[0].find("a:link", atom).get("href") == "http://testserver/cities/" + City.objects.get(name="Гомель").slug + "/"
