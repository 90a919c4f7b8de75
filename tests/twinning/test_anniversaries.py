import datetime

import pytest

from tests.factories import make_agreement, make_city, make_twinning
from twinning.anniversaries import AGREEMENT, TWINNING, upcoming_anniversaries

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 11, 20)


def test_upcoming_anniversaries_lists_round_years_inside_window_only():
    tenth = make_twinning(established_on="2015-12-01")
    make_twinning(established_on="2014-12-01")  # 11 years: not round
    make_twinning(established_on="2015-03-01")  # round but outside the window
    make_twinning(established_on="2015-12")  # no day to celebrate
    make_twinning(established_on="2015-12-02", published=False)  # draft

    found = upcoming_anniversaries(today=TODAY)

    assert [(a.kind, a.record, a.years, a.date) for a in found] == [
        (TWINNING, tenth, 10, datetime.date(2025, 12, 1))
    ]


def test_upcoming_anniversaries_window_crosses_new_year():
    twentieth = make_twinning(established_on="2006-01-15")
    agreement = make_agreement(signed_on="2021-02-10")

    found = upcoming_anniversaries(today=TODAY, within_days=90)

    assert [(a.kind, a.record, a.years, a.date) for a in found] == [
        (TWINNING, twentieth, 20, datetime.date(2026, 1, 15)),
        (AGREEMENT, agreement, 5, datetime.date(2026, 2, 10)),
    ]


def test_upcoming_anniversaries_today_is_included_and_zero_years_is_not():
    today_five = make_twinning(established_on="2020-11-20")
    make_twinning(established_on="2025-11-25")  # founded this year

    found = upcoming_anniversaries(today=TODAY, within_days=10)

    assert [(a.record, a.years) for a in found] == [(today_five, 5)]


def test_upcoming_anniversaries_29_february_falls_on_28_in_common_year():
    leap = make_twinning(established_on="2004-02-29")

    found = upcoming_anniversaries(today=datetime.date(2029, 2, 1), within_days=30)

    assert [(a.record, a.years, a.date) for a in found] == [(leap, 25, datetime.date(2029, 2, 28))]


def test_upcoming_anniversaries_filtered_by_city():
    azov = make_city("Азов")
    own = make_twinning(azov, established_on="2015-12-01")
    make_twinning(established_on="2015-12-01")
    own_agreement = make_agreement(azov, make_city(), signed_on="2010-12-05")
    make_agreement(make_city(), make_city(), signed_on="2010-12-05")

    found = upcoming_anniversaries(today=TODAY, city=azov)

    assert [a.record for a in found] == [own, own_agreement]


def test_upcoming_anniversaries_hides_twinning_of_draft_city():
    make_twinning(make_city(published=False), established_on="2015-12-01")

    assert upcoming_anniversaries(today=TODAY) == []


def test_upcoming_anniversaries_query_count_does_not_grow(django_assert_max_num_queries):
    for _ in range(5):
        make_twinning(established_on="2015-12-01")
        make_agreement(make_city(), make_city(), signed_on="2010-12-05")

    # twinnings + 2 name prefetches, agreements + parties + party cities
    with django_assert_max_num_queries(6):
        found = upcoming_anniversaries(today=TODAY)

    assert len(found) == 10
