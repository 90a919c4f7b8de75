import csv
import io

import pytest
from django.urls import reverse

from tests.factories import make_city, make_source, make_twinning
from twinning.models import StatusChange, TwinningState

pytestmark = pytest.mark.django_db

URL = "/api/v1/wikidata/p190/"


@pytest.fixture
def pairs():
    azov = make_city("Азов", wikidata_id="Q193294")
    courbevoie = make_city("Courbevoie", country="FR", wikidata_id="Q212420")
    glasgow = make_city("Glasgow", country="GB", wikidata_id="Q4093")
    no_qid = make_city("Без QID")
    active = make_twinning(azov, courbevoie, established_on="1998-05-10")
    active.sources.add(make_source(url="https://azov.example/news/1998"))
    ended = make_twinning(azov, glasgow, established_on="1990")
    StatusChange.objects.create(twinning=ended, state=TwinningState.SUSPENDED, date="2022-03")
    StatusChange.objects.create(twinning=ended, state=TwinningState.ENDED, date="2023-01")
    make_twinning(azov, no_qid, established_on="2001")
    make_twinning(courbevoie, glasgow, published=False)
    return active, ended


def test_p190_json_has_pair_qids_times_and_reference(client, pairs):
    active, ended = pairs

    response = client.get(URL)

    assert response.status_code == 200
    assert response.json() == [
        {
            "twinning": active.pk,
            "city": {"qid": "Q193294", "name": "Азов"},
            "partner": {"qid": "Q212420", "name": "Courbevoie"},
            "status": "active",
            "start_time": {"value": "+1998-05-10T00:00:00Z", "precision": 11},
            "end_time": None,
            "reference_url": "https://azov.example/news/1998",
            "registry_url": f"http://testserver{active.get_absolute_url()}",
        },
        {
            "twinning": ended.pk,
            "city": {"qid": "Q193294", "name": "Азов"},
            "partner": {"qid": "Q4093", "name": "Glasgow"},
            "status": "ended",
            "start_time": {"value": "+1990-00-00T00:00:00Z", "precision": 9},
            "end_time": {"value": "+2023-01-00T00:00:00Z", "precision": 10},
            "reference_url": f"http://testserver{ended.get_absolute_url()}",
            "registry_url": f"http://testserver{ended.get_absolute_url()}",
        },
    ]


def test_p190_quickstatements_state_the_pair_on_both_items(client, pairs):
    response = client.get(URL, {"format": "quickstatements"})

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().splitlines() == [
        'Q193294\tP190\tQ212420\tP580\t+1998-05-10T00:00:00Z/11\tS854\t"https://azov.example/news/1998"',
        'Q212420\tP190\tQ193294\tP580\t+1998-05-10T00:00:00Z/11\tS854\t"https://azov.example/news/1998"',
        "Q193294\tP190\tQ4093\tP580\t+1990-00-00T00:00:00Z/9\tP582\t+2023-01-00T00:00:00Z/10"
        f'\tS854\t"http://testserver{pairs[1].get_absolute_url()}"',
        "Q4093\tP190\tQ193294\tP580\t+1990-00-00T00:00:00Z/9\tP582\t+2023-01-00T00:00:00Z/10"
        f'\tS854\t"http://testserver{pairs[1].get_absolute_url()}"',
    ]


def test_p190_csv_columns(client, pairs):
    response = client.get(URL, {"format": "csv"})

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert response["Content-Disposition"] == 'attachment; filename="wikidata-p190.csv"'
    assert [(r["city_qid"], r["partner_qid"], r["start_time"], r["start_precision"], r["end_time"]) for r in rows] == [
        ("Q193294", "Q212420", "+1998-05-10T00:00:00Z", "11", ""),
        ("Q193294", "Q4093", "+1990-00-00T00:00:00Z", "9", "+2023-01-00T00:00:00Z"),
    ]


def test_p190_unknown_format_is_refused(client, pairs):
    response = client.get(URL, {"format": "xml"})

    assert response.status_code == 404


@pytest.mark.parametrize("rows", [1, 3])
def test_p190_query_count(admin_client, django_assert_num_queries, rows):
    for number in range(rows):
        make_twinning(make_city(wikidata_id=f"Q{number + 1}"), make_city(wikidata_id=f"Q{number + 100}"))

    # session, user, twinnings with annotations, names of both cities (prefetch), X-Data-As-Of
    with django_assert_num_queries(6):
        response = admin_client.get(reverse("lifecycle_api:wikidata_p190"))

    assert len(response.json()) == rows
