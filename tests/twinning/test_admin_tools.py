import pytest
from django.db import connection

from tests.factories import make_twinning
from twinning.admin_tools import EstimatedCountPaginator
from twinning.models import Twinning

pytestmark = pytest.mark.django_db


class _EstimateFromOneRow(EstimatedCountPaginator):
    exact_below = 1


def _analyze_twinnings():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE twinning_twinning")


def test_paginator_counts_unfiltered_large_table_from_statistics():
    for _ in range(3):
        make_twinning()
    _analyze_twinnings()
    make_twinning()  # not yet in the statistics

    paginator = _EstimateFromOneRow(Twinning.objects.all(), 100)

    assert (paginator.count, Twinning.objects.count()) == (3, 4)


def test_paginator_counts_filtered_list_exactly():
    for _ in range(3):
        make_twinning(established_on="2018")
    _analyze_twinnings()
    make_twinning(established_on="2018")

    paginator = _EstimateFromOneRow(Twinning.objects.filter(established_on="2018"), 100)

    assert paginator.count == 4


def test_paginator_counts_small_table_exactly():
    for _ in range(3):
        make_twinning()
    _analyze_twinnings()
    make_twinning()

    assert EstimatedCountPaginator(Twinning.objects.all(), 100).count == 4
