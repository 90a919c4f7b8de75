import pytest
from django.db import IntegrityError, connection, transaction

from tests.factories import make_city, make_delegation, make_event, make_twinning
from twinning.models import StatusChange, Twinning, TwinningState, TwinningStatus
from twinning.partial_dates import PartialDate

pytestmark = pytest.mark.django_db


def test_twinning_database_refuses_city_twinned_with_itself():
    azov = make_city("Азов")

    with pytest.raises(IntegrityError, match="twinning_two_distinct_cities"), transaction.atomic():
        Twinning.objects.create(city_a=azov, city_b=azov)


def test_twinning_database_refuses_same_pair_in_other_order():
    azov, courbevoie = make_city("Азов"), make_city("Courbevoie", country="FR")
    make_twinning(azov, courbevoie)

    with pytest.raises(IntegrityError, match="one_twinning_per_pair"), transaction.atomic():
        Twinning.objects.create(city_a=courbevoie, city_b=azov)

    assert Twinning.objects.count() == 1


def test_twinning_raw_insert_of_reversed_pair_is_refused():
    azov, courbevoie = make_city("Азов"), make_city("Courbevoie", country="FR")
    make_twinning(azov, courbevoie)

    with pytest.raises(IntegrityError, match="one_twinning_per_pair"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO twinning_twinning (city_a_id, city_b_id, kind, description, publication, version, created_at, updated_at)"
            " VALUES (%s, %s, 'unknown', '', 'draft', 1, now(), now())",
            [courbevoie.pk, azov.pk],
        )


def test_event_database_refuses_end_before_start():
    with pytest.raises(IntegrityError, match="event_end_not_before_start"), transaction.atomic():
        make_event(title="Выставка", start_on="2019-09-21", end_on="2019-09-18")


def test_delegation_end_in_same_year_as_partial_start_is_accepted():
    delegation = make_delegation(start_on="2025-09-18", end_on="2025")

    assert delegation.end_on == PartialDate(2025)


@pytest.mark.parametrize("text", ["2015", "2015-09", "2018-10-24"])
def test_partial_date_round_trips_through_database(text):
    twinning = make_twinning(established_on=text)

    twinning.refresh_from_db()

    assert twinning.established_on.isoformat() == text
    assert Twinning.objects.filter(established_on=text).get() == twinning


def test_partial_date_database_refuses_malformed_text():
    twinning = make_twinning()

    with pytest.raises(IntegrityError, match="twinning_established_on_format"), transaction.atomic():
        Twinning.objects.filter(pk=twinning.pk).update(established_on="2015-13")


def test_twinning_status_is_derived_from_latest_state_change():
    twinning = make_twinning()
    StatusChange.objects.create(twinning=twinning, state=TwinningState.TREATY, date="2015-05")
    StatusChange.objects.create(twinning=twinning, state=TwinningState.SUSPENDED, date="2022-03-03")
    StatusChange.objects.create(twinning=twinning, state=TwinningState.CONTACT, date="2008")

    annotated = Twinning.objects.with_status().get()

    assert (annotated.current_state, annotated.status) == ("suspended", TwinningStatus.SUSPENDED)
    assert twinning.status == TwinningStatus.SUSPENDED


def test_twinning_without_state_changes_is_active():
    quiet = make_twinning()
    ended = make_twinning()
    StatusChange.objects.create(twinning=ended, state=TwinningState.EXPIRED, date="2020")

    assert list(Twinning.objects.active()) == [quiet]
    assert list(Twinning.objects.with_status_in(TwinningStatus.ENDED)) == [ended]
