import csv
import datetime
import io
import json

import icalendar
import pytest
from django.utils import timezone

from tests.api_helpers import body_of, count_queries, csv_rows
from tests.factories import make_agreement, make_city, make_delegation, make_event, make_organisation, make_twinning
from twinning.api.exports import line_between
from twinning.models import StatusChange, TwinningState

pytestmark = pytest.mark.django_db


@pytest.fixture
def network():
    azov = make_city("Азов", slug="azov", latitude=47.11, longitude=39.42)
    courbevoie = make_city("Courbevoie", country="FR", latitude=48.9, longitude=2.25)
    bialik = make_city("Kiryat Bialik", country="IL", latitude=32.83, longitude=35.08)
    nowhere = make_city("Без координат", latitude=None, longitude=None)
    first = make_twinning(azov, courbevoie, kind="twin_city", established_on="2018-10-24")
    second = make_twinning(bialik, azov, kind="friendship", established_on="2011")
    third = make_twinning(nowhere, courbevoie)
    make_twinning(azov, make_city("Draft", published=False))
    make_twinning(make_city("Unpublished A"), make_city("Unpublished B"), published=False)
    return {"azov": azov, "courbevoie": courbevoie, "bialik": bialik, "nowhere": nowhere, "twinnings": [first, second, third]}


# ---------------------------------------------------------------- CSV
@pytest.mark.parametrize(
    "url, expected_rows",
    [
        ("/api/v1/cities/", 6),
        ("/api/v1/twinnings/", 3),
        ("/api/v1/countries/", 3),
        ("/api/v1/organisations/", 1),
        ("/api/v1/persons/", 0),
        ("/api/v1/agreements/", 1),
        ("/api/v1/delegations/", 1),
        ("/api/v1/events/", 1),
        ("/api/v1/sources/", 0),
        ("/api/v1/anniversaries/", 0),
        ("/api/v1/cities/azov/partners/", 2),
    ],
)
def test_every_list_endpoint_exports_csv_that_the_csv_module_reads(api_client, network, url, expected_rows):
    make_organisation(network["azov"], name="Администрация, \"город\" Азов")
    make_agreement(network["azov"], network["courbevoie"], title="Соглашение; с точкой с запятой")
    make_delegation(network["courbevoie"], network["azov"], purpose="Визит\nв две строки")
    make_event(network["azov"], title="Выставка")

    response = api_client.get(url, {"format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    body = body_of(response)
    assert body.startswith("\ufeff".encode())
    assert len(list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))) == expected_rows


def test_csv_keeps_commas_quotes_and_newlines_intact(api_client, network):
    make_organisation(network["azov"], name="Администрация, \"город\" Азов")
    make_delegation(network["courbevoie"], network["azov"], purpose="Визит\nв две строки")

    [organisation] = csv_rows(api_client.get("/api/v1/organisations/", {"format": "csv"}))
    [delegation] = csv_rows(api_client.get("/api/v1/delegations/", {"format": "csv"}))

    assert organisation["name"] == "Администрация, \"город\" Азов"
    assert organisation["url"] == f"http://testserver/api/v1/organisations/{organisation['id']}/"
    assert organisation["city.name"] == "Азов"
    assert delegation["purpose"] == "Визит\nв две строки"


def test_csv_of_an_empty_filter_has_only_the_header(api_client, network):
    rows = csv_rows(api_client.get("/api/v1/twinnings/", {"country": "JP", "format": "csv"}))

    assert rows == []
    response = api_client.get("/api/v1/twinnings/", {"country": "JP", "format": "csv"})
    header = body_of(response).decode("utf-8-sig").splitlines()[0]
    assert header.startswith("id,url,web_url,city_a.id,")


def test_csv_stream_reads_in_chunks_not_per_row(api_client, network, settings):
    from twinning.api import exports

    for _ in range(7):
        make_twinning(make_city(), make_city())
    exports.CSV_CHUNK, old = 3, exports.CSV_CHUNK

    def export(**params):
        return lambda: body_of(api_client.get("/api/v1/twinnings/", {"format": "csv", **params}))

    try:
        all_rows = count_queries(export())
        few_rows = count_queries(export(country="IL"))
    finally:
        exports.CSV_CHUNK = old

    # The rows come through one cursor; each chunk of 3 adds its prefetches (names of both
    # cities, status history, sources). 10 twinnings are 4 chunks, 1 twinning is one.
    assert all_rows - few_rows == 3 * 4


# ---------------------------------------------------------------- GeoJSON
def test_cities_geojson_is_a_feature_collection_of_points(api_client, network):
    response = api_client.get("/api/v1/cities/geojson/", {"has_partners": "true"})

    assert response["Content-Type"] == "application/geo+json; charset=utf-8"
    collection = json.loads(body_of(response))
    assert collection["type"] == "FeatureCollection"
    by_name = {feature["properties"]["name"]: feature for feature in collection["features"]}
    assert sorted(by_name) == ["Courbevoie", "Kiryat Bialik", "Азов"]  # "Без координат" has no point
    azov = by_name["Азов"]
    assert azov["type"] == "Feature"
    assert azov["geometry"] == {"type": "Point", "coordinates": [39.42, 47.11]}
    assert azov["properties"]["partners_count"] == 2
    assert azov["properties"]["url"] == f"http://testserver/api/v1/cities/{network['azov'].pk}/"


def test_twinnings_geojson_draws_lines_and_accepts_the_list_filters(api_client, network):
    everything = json.loads(body_of(api_client.get("/api/v1/twinnings/geojson/")))
    of_israel = json.loads(body_of(api_client.get("/api/v1/twinnings/geojson/", {"country": "IL"})))

    assert everything["type"] == "FeatureCollection"
    lines = {feature["id"]: feature for feature in everything["features"]}
    first, second, third = network["twinnings"]
    assert sorted(lines) == sorted([first.pk, second.pk])  # the third city has no coordinates
    assert lines[first.pk]["geometry"] == {"type": "LineString", "coordinates": [[39.42, 47.11], [2.25, 48.9]]}
    assert lines[first.pk]["properties"]["city_a"] == "Азов"
    assert lines[first.pk]["properties"]["established_on"] == "2018-10-24"
    assert [feature["id"] for feature in of_israel["features"]] == [second.pk]


def test_twinnings_geojson_answers_json_when_asked_for_json(api_client, network):
    response = api_client.get("/api/v1/twinnings/geojson/", HTTP_ACCEPT="application/json")

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert json.loads(body_of(response))["type"] == "FeatureCollection"


def test_geojson_invalid_filter_is_400_json(api_client, network):
    response = api_client.get("/api/v1/twinnings/geojson/", {"established_year": "nope"})

    assert response.status_code == 400
    assert response.json()["errors"]["established_year"]


def test_line_between_splits_at_the_antimeridian():
    vladivostok, anchorage = [131.9, 43.1], [-149.9, 61.2]

    line = line_between(vladivostok, anchorage)

    assert line["type"] == "MultiLineString"
    (start, east_edge), (west_edge, end) = line["coordinates"]
    assert (start, end) == (vladivostok, anchorage)
    assert east_edge[0] == 180.0 and west_edge[0] == -180.0
    assert east_edge[1] == west_edge[1]
    assert 43.1 < east_edge[1] < 61.2


def test_exports_are_cached_until_the_data_changes(api_client, network):
    def geojson():
        return json.loads(body_of(api_client.get("/api/v1/twinnings/geojson/")))

    first = geojson()
    cached_queries = count_queries(geojson)
    make_twinning(network["bialik"], network["courbevoie"])
    after_change = geojson()

    # A cached answer costs the data stamp (three aggregates) and the cache read, whatever the size.
    assert cached_queries <= count_queries(lambda: api_client.get("/api/v1/")) + 4
    assert len(after_change["features"]) == len(first["features"]) + 1


def test_status_change_refreshes_cached_exports(api_client, network):
    first = network["twinnings"][0]
    before = json.loads(body_of(api_client.get("/api/v1/twinnings/graph/")))
    StatusChange.objects.create(twinning=first, state=TwinningState.ENDED, date="2024")

    after = json.loads(body_of(api_client.get("/api/v1/twinnings/graph/")))

    status = {edge["id"]: edge["status"] for edge in after["edges"]}
    assert {edge["id"]: edge["status"] for edge in before["edges"]}[first.pk] == "active"
    assert status[first.pk] == "ended"


# ---------------------------------------------------------------- graph
def test_network_graph_has_nodes_with_degree_and_edges(api_client, network):
    graph = json.loads(body_of(api_client.get("/api/v1/twinnings/graph/")))

    nodes = {node["id"]: node for node in graph["nodes"]}
    assert sorted(nodes) == sorted(city.pk for city in (network["azov"], network["courbevoie"], network["bialik"], network["nowhere"]))
    assert nodes[network["azov"].pk]["degree"] == 2
    assert nodes[network["nowhere"].pk]["latitude"] is None
    assert {(edge["source"], edge["target"]) for edge in graph["edges"]} == {
        (twinning.city_a_id, twinning.city_b_id) for twinning in network["twinnings"]
    }
    assert all(edge["source"] in nodes and edge["target"] in nodes for edge in graph["edges"])


# ---------------------------------------------------------------- iCalendar
def _years_ago(years, *, plus_days):
    day = timezone.localdate() + datetime.timedelta(days=plus_days)
    return datetime.date(day.year - years, day.month, min(day.day, 28))


def test_anniversary_calendar_parses_with_icalendar(api_client):
    azov, courbevoie = make_city("Азов", slug="azov"), make_city("Courbevoie", country="FR")
    established = _years_ago(10, plus_days=20)
    twinning = make_twinning(azov, courbevoie, established_on=established.isoformat())
    make_agreement(azov, courbevoie, title="Соглашение", signed_on=_years_ago(5, plus_days=40).isoformat())
    make_twinning(make_city(), make_city(), established_on=_years_ago(10, plus_days=200).isoformat())

    response = api_client.get("/calendar/anniversaries.ics", {"within": 90})

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    events = [component for component in calendar.walk("VEVENT")]
    assert len(events) == 2
    first = events[0]
    assert first.decoded("dtstart") == established.replace(year=established.year + 10)
    assert str(first["uid"]).startswith(f"twinning-{twinning.pk}-10@")
    assert "Азов" in str(first["summary"]) and "Courbevoie" in str(first["summary"])
    assert str(first["url"]).endswith(twinning.get_absolute_url())


def test_anniversary_calendar_for_one_city_and_year_default(api_client):
    azov = make_city("Азов", slug="azov")
    make_twinning(azov, make_city(), established_on=_years_ago(5, plus_days=200).isoformat())
    make_twinning(make_city(), make_city(), established_on=_years_ago(5, plus_days=10).isoformat())

    calendar = icalendar.Calendar.from_ical(api_client.get("/calendar/anniversaries.ics", {"city": "azov"}).content)

    assert len(list(calendar.walk("VEVENT"))) == 1  # a year ahead by default, Azov's only
    assert "Азов" in str(calendar["x-wr-calname"])


def test_anniversary_calendar_bad_parameter_is_400_json(api_client):
    response = api_client.get("/calendar/anniversaries.ics", {"within": "soon"})

    assert response.status_code == 400
    assert response.json()["errors"]["within"]


def test_anniversaries_api_offers_ics_format(api_client):
    make_twinning(established_on=_years_ago(20, plus_days=3).isoformat())

    response = api_client.get("/api/v1/anniversaries/", {"format": "ics"})

    assert len(list(icalendar.Calendar.from_ical(response.content).walk("VEVENT"))) == 1


def test_public_csv_is_cached_until_the_data_changes(api_client, network):
    def export():
        return csv_rows(api_client.get("/api/v1/twinnings/", {"format": "csv"}))

    first = export()
    cached_queries = count_queries(export)
    make_twinning(network["bialik"], network["courbevoie"])
    after_change = export()

    # From the cache: the data stamp and the cache read, no rows.
    assert cached_queries <= count_queries(lambda: api_client.get("/api/v1/")) + 4
    assert len(after_change) == len(first) + 1


def test_a_writers_csv_with_drafts_is_never_served_to_the_public(api_client, network):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    from tests.factories import make_press_officer

    draft = make_twinning(network["azov"], make_city("Новый партнёр"), published=False)
    officer = APIClient()
    officer.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=make_press_officer(network['azov'])).key}")

    officers_rows = csv_rows(officer.get("/api/v1/twinnings/", {"format": "csv"}))
    public_rows = csv_rows(api_client.get("/api/v1/twinnings/", {"format": "csv"}))

    assert str(draft.pk) in [row["id"] for row in officers_rows]
    assert str(draft.pk) not in [row["id"] for row in public_rows]
