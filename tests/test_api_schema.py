"""The OpenAPI schema: valid, complete, served with its documentation page, and honoured by the
API (schemathesis fuzzes every operation through the WSGI application)."""

import pytest
import schemathesis
from schemathesis.config import SchemathesisConfig
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

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

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 6  # per operation

API_PATHS = [
    "/api/v1/cities/",
    "/api/v1/cities/{id}/",
    "/api/v1/cities/{id}/partners/",
    "/api/v1/cities/geojson/",
    "/api/v1/countries/",
    "/api/v1/countries/{code}/",
    "/api/v1/organisations/",
    "/api/v1/persons/",
    "/api/v1/twinnings/",
    "/api/v1/twinnings/{id}/",
    "/api/v1/twinnings/geojson/",
    "/api/v1/twinnings/graph/",
    "/api/v1/agreements/",
    "/api/v1/delegations/",
    "/api/v1/events/",
    "/api/v1/sources/",
    "/api/v1/anniversaries/",
    "/api/v1/auth/token/",
]


@pytest.fixture
def openapi():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_is_valid_openapi(openapi):
    validate_schema(openapi)  # raises on any violation of the OpenAPI 3.0 JSON schema


def test_schema_lists_every_endpoint_with_a_summary(openapi):
    assert set(API_PATHS) <= set(openapi["paths"])
    for path in API_PATHS:
        for method, operation in openapi["paths"][path].items():
            assert operation.get("summary") or operation.get("description"), (method, path)


def test_schema_documents_filters_errors_and_csv(openapi):
    operation = openapi["paths"]["/api/v1/twinnings/"]["get"]
    parameters = {parameter["name"] for parameter in operation["parameters"]}

    assert {"city", "country", "partner_country", "kind", "status", "established_after", "established_before",
            "established_year", "q", "ordering", "page", "page_size", "format"} <= parameters
    assert set(operation["responses"]) >= {"200", "400", "404", "429"}
    assert operation["responses"]["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    assert operation["responses"]["200"]["content"]["text/csv"]["schema"]["type"] == "string"


def test_schema_and_docs_are_served_without_a_cdn(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"})
    docs = api_client.get("/api/docs/")

    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Twinning Registry API"
    html = docs.content.decode()
    assert docs.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    # The split view loads its settings as a script file, so a CSP without 'unsafe-inline' runs it.
    assert '<script src="/api/docs/?script="></script>' in html
    assert "<script>" not in html
    assert api_client.get("/api/docs/", {"script": ""})["Content-Type"].startswith("application/javascript")


# ---------------------------------------------------------------- fuzzing
@pytest.fixture
def wsgi_keeps_test_connection():
    """Django's test client stops each request from closing the database connection (which
    would end the test's transaction); do the same for schemathesis' WSGI client."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def registry_data(db):
    """A little of everything for fuzzed requests to find."""
    azov = make_city("Азов", slug="azov", names=[("Азов", "ru", True), ("Azov", "en", True)])
    courbevoie = make_city("Courbevoie", country="FR")
    twinning = make_twinning(azov, courbevoie, established_on="2018-10-24")
    twinning.sources.add(make_source())
    school = make_organisation(azov, name="Школа №1", kind="school")
    person = make_person(azov, full_name="Наталья Пяткова", position="Глава города")
    make_agreement(azov, school, courbevoie, spheres=["education"], signed_on="2016-05-24", twinning=twinning)
    make_delegation(courbevoie, azov, start_on="2025-09-18", head=person)
    make_event(azov, courbevoie, title="Выставка", start_on="2019")


@pytest.fixture
def editor_token(db, django_user_model):
    user = django_user_model.objects.create_superuser("fuzzer", "fuzzer@example.org", "fuzzer-password-1")
    return Token.objects.create(user=user).key


def _live_schema():
    """The schema /api/schema/ serves, generated at collection (no request, so no database),
    sent through the WSGI application."""
    from twinning.wsgi import application

    config = SchemathesisConfig.from_dict(
        # Bounded: a few random examples per operation (fuzzing) and the schema's own examples;
        # the exhaustive boundary-value phase would take minutes on a shared machine.
        {"phases": {"coverage": {"enabled": False}}, "generation": {"max-examples": MAX_EXAMPLES}}
    )
    loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True), config=config)
    loaded.app = application
    return loaded


schema = _live_schema()


@schema.parametrize()
@hypothesis_settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_honours_its_schema(case, registry_data, editor_token, wsgi_keeps_test_connection):
    # Token authentication (not basic): no password hashing per request, and no anonymous throttle.
    # The data-acceptance checks are left out: free-text filters (a city's name, a country's name)
    # rightly refuse strings a schema cannot tell apart from valid ones.
    case.call_and_validate(
        headers={"Authorization": f"Token {editor_token}"},
        excluded_checks=[negative_data_rejection, positive_data_acceptance],
    )
