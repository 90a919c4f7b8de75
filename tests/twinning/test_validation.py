import datetime

import pytest
from django.utils import translation
from django.core.exceptions import ValidationError
from django.utils import timezone

from cities.models import Position
from events.models import Delegation, JointEvent
from tests.factories import make_city, make_organisation, make_person, make_twinning
from twinning.models import Agreement, Twinning
from twinning.validators import DuplicateTwinning, party_city_ids, validate_agreement_parties, validate_twinning

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]  # messages asserted in English



def _errors(instance):
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def test_city_cannot_twin_itself(english):
    azov = make_city("Азов")

    assert _errors(Twinning(city_a=azov, city_b=azov)) == {"city_b": ["A city cannot be twinned with itself."]}


def test_duplicate_twinning_in_reverse_order_refused_with_link_to_existing(english):
    azov, courbevoie = make_city("Азов"), make_city("Courbevoie", country="FR")
    existing = make_twinning(azov, courbevoie)

    errors = _errors(Twinning(city_a=courbevoie, city_b=azov))

    assert errors == {
        "city_b": [
            f'These two cities are already twinned (in either order): <a href="/admin/twinning/twinning/{existing.pk}/change/">'
            "Азов — Courbevoie</a>."
        ]
    }


def test_duplicate_twinning_error_carries_existing_record_for_the_api():
    existing = make_twinning()

    with pytest.raises(DuplicateTwinning) as caught:
        validate_twinning(Twinning(city_a=existing.city_b, city_b=existing.city_a))

    assert caught.value.existing == existing


def test_twinning_can_be_saved_again_without_tripping_the_duplicate_rule():
    twinning = make_twinning()

    twinning.full_clean()


@pytest.mark.parametrize(
    "model, fields, error_field",
    [
        (Delegation, {"start_on": "2019-09-18", "end_on": "2019-09-17"}, "end_on"),
        (JointEvent, {"title": "Выставка", "start_on": "2019-09", "end_on": "2019-08-30"}, "end_on"),
    ],
)
def test_end_before_start_refused(model, fields, error_field, english):
    if model is Delegation:
        fields = {**fields, "from_city": make_city(), "to_city": make_city()}

    errors = _errors(model(**fields))

    assert errors[error_field] == [f"The end ({fields['end_on']}) cannot be before the start ({fields['start_on']})."]


def test_position_end_before_start_refused(english):
    person = make_person()
    position = Position(person=person, organisation=make_organisation(person.city), title="мэр", start="2015", end="2014")

    assert _errors(position) == {"end": ["The end (2014) cannot be before the start (2015)."]}


def test_end_in_the_same_year_as_a_precise_start_is_accepted():
    Delegation(from_city=make_city(), to_city=make_city(), start_on="2025-09-18", end_on="2025").full_clean()


def test_delegation_cannot_visit_its_own_city(english):
    azov = make_city("Азов")

    assert _errors(Delegation(from_city=azov, to_city=azov)) == {
        "to_city": ["A delegation cannot travel from a city to the same city."]
    }


def test_signing_date_in_the_future_refused(english):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    errors = _errors(Agreement(title="Договор", signed_on=tomorrow.isoformat()))

    assert errors == {"signed_on": ["The signing date cannot be in the future."]}


def test_signing_date_this_year_is_not_in_the_future():
    Agreement(title="Договор", signed_on=str(timezone.localdate().year)).full_clean()


def test_agreement_of_a_twinning_must_have_both_cities_among_parties(english):
    azov, courbevoie = make_city("Азов"), make_city("Courbevoie", country="FR")
    twinning = make_twinning(azov, courbevoie)

    with pytest.raises(ValidationError) as caught:
        validate_agreement_parties(twinning, party_city_ids([{"city": azov, "organisation": None}]))

    assert caught.value.messages == [
        "An agreement attached to the twinning Азов — Courbevoie must include both of its cities "
        "(or their organisations) among its parties. Missing: Courbevoie."
    ]


def test_an_organisation_stands_for_its_city_among_the_parties():
    azov, courbevoie = make_city("Азов"), make_city("Courbevoie", country="FR")
    twinning = make_twinning(azov, courbevoie)
    parties = [{"city": azov, "organisation": None}, {"city": None, "organisation": make_organisation(courbevoie)}]

    validate_agreement_parties(twinning, party_city_ids(parties))



@pytest.mark.parametrize(
    "make_invalid, field, russian",
    [
        (lambda: Twinning(city_a=(c := make_city()), city_b=c), "city_b", "Город не может быть побратимом самому себе."),
        (
            lambda: Delegation(from_city=(c := make_city()), to_city=c),
            "to_city",
            "Делегация не может направляться из города в тот же город.",
        ),
        (lambda: Agreement(title="Договор", signed_on="2999"), "signed_on", "Дата подписания не может быть в будущем."),
    ],
)
def test_messages_in_russian(make_invalid, field, russian):
    instance = make_invalid()

    with translation.override("ru"):
        errors = _errors(instance)

    assert errors[field] == [russian]
