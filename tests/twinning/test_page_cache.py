import gzip
import json
import re

import pytest
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client

from cities.models import City
from tests.factories import make_city, make_twinning

pytestmark = pytest.mark.django_db

TOKEN_INPUT = r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"'


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    # Production's setting; the version is read on every request so saves show at once.
    settings.PAGE_CACHE_SECONDS = 600
    settings.PAGE_CACHE_VERSION_SECONDS = 0


@pytest.fixture
def city():
    return make_city("Азов", slug="azov")


def test_second_anonymous_get_is_served_from_the_cache(client, city):
    first = client.get("/cities/azov/")
    second = client.get("/cities/azov/")

    assert (first.status_code, first["X-Page-Cache"]) == (200, "miss")
    assert (second.status_code, second["X-Page-Cache"]) == (200, "hit")
    # The same page but for the CSRF token, which is masked afresh for every response.
    assert _without_tokens(second) == _without_tokens(first)
    assert second["Content-Type"] == first["Content-Type"]


def test_a_hit_costs_one_query_the_data_version(client, city, django_assert_num_queries):
    client.get("/cities/azov/")

    with django_assert_num_queries(1):
        client.get("/cities/azov/")


def test_saving_a_record_makes_cached_pages_stale(client, city, django_capture_on_commit_callbacks):
    client.get("/cities/azov/")

    with django_capture_on_commit_callbacks(execute=True):
        City.objects.get(pk=city.pk).save()
    after = client.get("/cities/azov/")

    assert after["X-Page-Cache"] == "miss"


def test_signed_in_users_are_never_served_from_the_cache(admin_client, client, city):
    client.get("/cities/azov/")

    response = admin_client.get("/cities/azov/")

    assert "X-Page-Cache" not in response


def test_not_found_is_not_cached(client):
    client.get("/cities/nowhere/")

    response = client.get("/cities/nowhere/")

    assert (response.status_code, response["X-Page-Cache"]) == (404, "miss")


def test_each_reader_gets_a_csrf_token_of_their_own(city):
    first_reader, second_reader = Client(), Client()
    first_reader.get("/cities/azov/")

    hit = second_reader.get("/cities/azov/")

    [token] = _form_tokens(hit.content.decode())
    assert hit["X-Page-Cache"] == "hit"
    assert _unmask_cipher_token(token) == second_reader.cookies["csrftoken"].value
    assert second_reader.cookies["csrftoken"].value != first_reader.cookies["csrftoken"].value


def _form_tokens(html):
    return re.findall(TOKEN_INPUT, html)


def _without_tokens(response):
    return re.sub(TOKEN_INPUT, "", response.content.decode())


def test_large_json_is_stored_compressed_and_sent_gzipped_to_clients_that_accept_it(client):
    for _ in range(12):
        make_twinning()
    plain = client.get("/api/v1/twinnings/")

    compressed = client.get("/api/v1/twinnings/", HTTP_ACCEPT_ENCODING="gzip, deflate")
    uncompressed = client.get("/api/v1/twinnings/")

    assert compressed["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(compressed.content)) == json.loads(plain.content)
    assert uncompressed.content == plain.content
    assert "Content-Encoding" not in uncompressed
    assert "Accept-Encoding" in compressed["Vary"]


def test_unchanged_page_answers_if_none_match_with_304(client, city):
    etag = client.get("/cities/azov/")["ETag"]

    response = client.get("/cities/azov/", HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""


def test_a_cached_framable_page_keeps_its_own_framing_policy(client, city):
    client.get("/widget/azov/")

    hit = client.get("/widget/azov/")

    assert hit["X-Page-Cache"] == "hit"
    assert "X-Frame-Options" not in hit
    assert "frame-ancestors *" in hit["Content-Security-Policy"]
