import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from tests.factories import make_city, make_press_officer, make_twinning
from twinning.models import Confirmation, ConfirmationState, Twinning
from twinning.records import Publication
from twinning.services import StaleVersion, confirm, confirm_own_side, publish, save_record, unpublish

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]  # messages asserted in English



def test_new_record_starts_as_a_draft_at_version_one():
    twinning = save_record(Twinning(city_a=make_city(), city_b=make_city()), expected_version=None)

    assert (twinning.publication, twinning.version) == (Publication.DRAFT, 1)


def test_save_moves_the_version_on():
    twinning = make_twinning()

    twinning.description = "Дружба"
    save_record(twinning, expected_version=1)

    twinning.refresh_from_db()
    assert (twinning.version, twinning.description) == (2, "Дружба")


def test_save_based_on_an_older_version_is_refused_and_writes_nothing(english):
    twinning = make_twinning()
    first, second = Twinning.objects.get(pk=twinning.pk), Twinning.objects.get(pk=twinning.pk)
    first.description = "first officer"
    save_record(first, expected_version=1)

    second.description = "second officer"
    with pytest.raises(StaleVersion) as caught:
        save_record(second, expected_version=1)

    twinning.refresh_from_db()
    assert (twinning.version, twinning.description) == (2, "first officer")
    assert caught.value.messages == [
        "Someone else saved this record while you were editing it (you started from version 1, it is now "
        "version 2). Your changes were not saved: reload the record, check what changed, and make your changes again."
    ]


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_from_the_same_version_one_wins():
    twinning = make_twinning()
    barrier = threading.Barrier(2)
    outcomes = []

    def save(description):
        try:
            copy = Twinning.objects.get(pk=twinning.pk)
            copy.description = description
            barrier.wait()
            save_record(copy, expected_version=1)
            outcomes.append("saved")
        except StaleVersion:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(text,)) for text in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    twinning.refresh_from_db()
    assert sorted(outcomes) == ["refused", "saved"]
    assert twinning.version == 2


def test_save_records_the_acting_user_in_history():
    officer = make_press_officer()
    twinning = make_twinning()

    twinning.kind = "partner_city"
    save_record(twinning, expected_version=1, user=officer)

    latest = twinning.history.latest()
    assert (latest.history_type, latest.history_user, latest.kind) == ("~", officer, "partner_city")


def test_publish_and_unpublish_by_the_citys_officer():
    azov = make_city("Азов")
    officer = make_press_officer(azov)
    twinning = make_twinning(azov, make_city(), published=False)

    publish(twinning, user=officer)
    published_version = Twinning.objects.get(pk=twinning.pk)
    unpublish(twinning, user=officer)

    twinning.refresh_from_db()
    assert (published_version.publication, published_version.published_at is not None) == (Publication.PUBLISHED, True)
    assert (twinning.publication, twinning.published_at, twinning.version) == (Publication.DRAFT, None, 3)


def test_publish_by_another_citys_officer_is_refused():
    officer = make_press_officer(make_city("Батайск"))
    twinning = make_twinning(make_city("Азов"), make_city(), published=False)

    with pytest.raises(PermissionDenied):
        publish(twinning, user=officer)

    assert Twinning.objects.get(pk=twinning.pk).publication == Publication.DRAFT


def test_partner_confirms_the_current_version():
    azov, courbevoie = make_city("Азов"), make_city("Courbevoie", country="FR")
    partner = make_press_officer(courbevoie)
    twinning = make_twinning(azov, courbevoie)

    confirmation = confirm(twinning, city=courbevoie, user=partner, state=ConfirmationState.CONFIRMED)

    assert (confirmation.state, confirmation.record_version, confirmation.by) == ("confirmed", 1, partner)


def test_correction_request_needs_a_comment(english):
    courbevoie = make_city("Courbevoie", country="FR")
    partner = make_press_officer(courbevoie)
    twinning = make_twinning(make_city(), courbevoie)

    with pytest.raises(ValidationError, match="Say what should be corrected"):
        confirm(twinning, city=courbevoie, user=partner, state=ConfirmationState.CORRECTION_REQUESTED)


def test_cannot_confirm_for_a_city_not_in_the_record_or_not_ones_own(english):
    azov, bataysk, courbevoie = make_city("Азов"), make_city("Батайск"), make_city("Courbevoie", country="FR")
    officer_bataysk = make_press_officer(bataysk)
    twinning = make_twinning(azov, courbevoie)

    with pytest.raises(ValidationError, match="does not take part"):
        confirm(twinning, city=bataysk, user=officer_bataysk, state=ConfirmationState.CONFIRMED)
    with pytest.raises(PermissionDenied):
        confirm(twinning, city=azov, user=officer_bataysk, state=ConfirmationState.CONFIRMED)


def test_own_side_confirms_by_saving_but_only_for_its_own_city():
    azov, courbevoie = make_city("Азов"), make_city("Courbevoie", country="FR")
    officer = make_press_officer(azov)
    make_press_officer(courbevoie)
    twinning = make_twinning(azov, courbevoie)

    confirm_own_side(twinning, user=officer)

    rows = Confirmation.objects.filter(content_type=ContentType.objects.get_for_model(Twinning), object_id=twinning.pk)
    assert [(row.city, row.state) for row in rows] == [(azov, "confirmed")]
