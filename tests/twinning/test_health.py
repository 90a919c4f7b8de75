import pytest
from django.db import DatabaseError

pytestmark = pytest.mark.django_db


def test_health_reports_ok_when_the_database_answers(client):
    response = client.get("/health/")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "databases": {"default": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_health_reports_503_when_the_database_fails(client, monkeypatch):
    def failing_check(self, sql, params=None):
        raise DatabaseError("connection refused")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", failing_check)

    response = client.get("/health/")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "databases": {"default": "unavailable"}}
