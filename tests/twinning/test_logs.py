import io
import json
import logging
import sys

import pytest

from twinning.logs import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def test_request_is_logged_with_method_path_status_and_duration(client, caplog):
    caplog.set_level(logging.INFO, logger="twinning.request")

    response = client.get("/health/?probe=1", HTTP_X_REQUEST_ID="lb-42")

    [record] = [r for r in caplog.records if r.name == "twinning.request"]
    assert (record.method, record.path, record.query, record.status) == ("GET", "/health/", "probe=1", 200)
    assert record.duration_ms >= 0
    assert record.user_id is None
    assert response["X-Request-ID"] == "lb-42"


def test_request_id_is_generated_when_the_header_is_missing_or_unsafe(client):
    response = client.get("/health/", HTTP_X_REQUEST_ID="bad id\nwith newline")

    assert len(response["X-Request-ID"]) == 32
    assert response["X-Request-ID"].isalnum()


def test_json_formatter_writes_one_object_with_extras_and_traceback():
    record = logging.LogRecord("twinning.request", logging.ERROR, __file__, 1, "GET %s", ("/",), None)
    record.status = 500
    try:
        raise ValueError("boom")
    except ValueError:
        record.exc_info = sys.exc_info()
    RequestIdFilter().filter(record)

    line = JsonFormatter().format(record)

    entry = json.loads(line)
    assert "\n" not in line
    assert {key: entry[key] for key in ("level", "logger", "message", "status", "request_id")} == {
        "level": "ERROR",
        "logger": "twinning.request",
        "message": "GET /",
        "status": 500,
        "request_id": None,
    }
    assert entry["exception"].endswith("ValueError: boom")


def test_errors_are_logged_as_json_with_the_request_id(client):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    security_logger = logging.getLogger("django.security.DisallowedHost")
    security_logger.addHandler(handler)
    try:
        response = client.get("/health/", HTTP_X_REQUEST_ID="trace-7", HTTP_HOST="evil.example")
    finally:
        security_logger.removeHandler(handler)

    entry = json.loads(stream.getvalue())
    assert response.status_code == 400
    assert (entry["level"], entry["request_id"], entry["status_code"]) == ("ERROR", "trace-7", 400)
    assert "evil.example" in entry["message"]
