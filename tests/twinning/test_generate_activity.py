import pytest
from django.core.management import CommandError, call_command

from events.models import Delegation, JointEvent
from tests.factories import make_city, make_twinning
from twinning.management.commands.generate_activity import busiest_city_id
from twinning.models import Agreement, Twinning

pytestmark = pytest.mark.django_db

SMALL = {"partners": 6, "agreements": 30, "delegations": 20, "events": 10}


@pytest.fixture
def registry():
    """Eight cities; the first is in the most twinnings."""
    cities = [make_city(f"Город {n}") for n in range(8)]
    for partner in cities[1:4]:
        make_twinning(cities[0], partner)
    make_twinning(cities[4], cities[5])
    return cities


def _partners(city):
    return {t.partner_of(city).pk for t in Twinning.objects.involving(city).select_related("city_a", "city_b")}


def test_busiest_city_is_the_one_in_most_twinnings(registry):
    assert busiest_city_id() == registry[0].pk


def test_generates_the_requested_numbers_of_published_records(registry):
    call_command("generate_activity", **SMALL)

    assert len(_partners(registry[0])) == 6
    assert (Agreement.objects.count(), Delegation.objects.count(), JointEvent.objects.count()) == (30, 20, 10)
    assert {
        model.objects.published().count() for model in (Agreement, Delegation, JointEvent)
    } == {30, 20, 10}


def test_generated_records_belong_to_their_twinning(registry):
    call_command("generate_activity", **SMALL)

    for agreement in Agreement.objects.prefetch_related("parties").select_related("twinning"):
        assert {p.city_id for p in agreement.parties.all()} == {agreement.twinning.city_a_id, agreement.twinning.city_b_id}
    for delegation in Delegation.objects.select_related("twinning"):
        assert {delegation.from_city_id, delegation.to_city_id} == {delegation.twinning.city_a_id, delegation.twinning.city_b_id}
    for event in JointEvent.objects.prefetch_related("participants").select_related("twinning"):
        assert {c.pk for c in event.participants.all()} == {event.twinning.city_a_id, event.twinning.city_b_id}


def test_a_second_run_adds_nothing(registry):
    call_command("generate_activity", **SMALL)
    titles = sorted(Agreement.objects.values_list("title", flat=True))

    call_command("generate_activity", **SMALL)

    assert sorted(Agreement.objects.values_list("title", flat=True)) == titles
    assert Twinning.objects.count() == 4 + 3


def test_the_same_seed_generates_the_same_records(registry):
    imported = list(Twinning.objects.values_list("pk", flat=True))
    call_command("generate_activity", **SMALL)
    first = sorted(Agreement.objects.values_list("title", "signed_on", "spheres"))
    for model in (Agreement, Delegation, JointEvent):
        model.objects.all().delete()
    Twinning.objects.exclude(pk__in=imported).delete()

    call_command("generate_activity", **SMALL)

    assert sorted(Agreement.objects.values_list("title", "signed_on", "spheres")) == first


def test_refuses_to_run_without_imported_cities():
    with pytest.raises(CommandError, match="import the open data first"):
        call_command("generate_activity", **SMALL)
