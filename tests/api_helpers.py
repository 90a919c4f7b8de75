"""Helpers for API tests: read JSON lists and CSV bodies, count a request's queries."""

import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext


def body_of(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def results(response, key="id"):
    """`key` of every row of a paginated list response (asserting it succeeded)."""
    assert response.status_code == 200, response.content
    return [row[key] for row in response.json()["results"]]


def csv_rows(response):
    """The CSV body as dicts (the BOM stripped, as a spreadsheet does)."""
    assert response.status_code == 200, body_of(response)[:500]
    text = body_of(response).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def count_queries(callable_):
    with CaptureQueriesContext(connection) as context:
        callable_()
    return len(context.captured_queries)
