"""Plain helpers that build valid records with sensible defaults; override any field by keyword."""

import itertools

from cities.models import City, CityName, Organisation, OrganisationKind, Person, Position
from events.models import Delegation, JointEvent
from twinning.models import Agreement, AgreementParty, Source, Twinning
from twinning.records import Publication

_counter = itertools.count(1)


def make_city(name=None, *, country="RU", names=(), published=True, **kwargs):
    """A city; `names` is a sequence of (name, language, is_primary) tuples."""
    number = next(_counter)
    city = City.objects.create(
        name=name or f"City {number}",
        country=country,
        publication=Publication.PUBLISHED if published else Publication.DRAFT,
        latitude=kwargs.pop("latitude", 50.0 + number % 30),
        longitude=kwargs.pop("longitude", 30.0 + number % 60),
        **kwargs,
    )
    for alias, language, is_primary in names:
        CityName.objects.create(city=city, name=alias, language=language, is_primary=is_primary)
    return city


def make_twinning(city_a=None, city_b=None, *, published=True, **kwargs):
    return Twinning.objects.create(
        city_a=city_a or make_city(),
        city_b=city_b or make_city(),
        publication=Publication.PUBLISHED if published else Publication.DRAFT,
        **kwargs,
    )


def make_organisation(city=None, *, name=None, kind=OrganisationKind.ADMINISTRATION, published=True, **kwargs):
    return Organisation.objects.create(
        city=city or make_city(),
        name=name or f"Organisation {next(_counter)}",
        kind=kind,
        publication=Publication.PUBLISHED if published else Publication.DRAFT,
        **kwargs,
    )


def make_person(city=None, *, full_name=None, position=None, organisation=None, published=True, **kwargs):
    city = city or make_city()
    person = Person.objects.create(
        city=city,
        full_name=full_name or f"Person {next(_counter)}",
        publication=Publication.PUBLISHED if published else Publication.DRAFT,
        **kwargs,
    )
    if position:
        Position.objects.create(person=person, organisation=organisation or make_organisation(city), title=position)
    return person


def make_agreement(*parties, title=None, published=True, **kwargs):
    """An agreement between `parties` (cities or organisations)."""
    agreement = Agreement.objects.create(
        title=title or f"Agreement {next(_counter)}",
        publication=Publication.PUBLISHED if published else Publication.DRAFT,
        **kwargs,
    )
    for party in parties:
        if isinstance(party, City):
            AgreementParty.objects.create(agreement=agreement, city=party)
        else:
            AgreementParty.objects.create(agreement=agreement, organisation=party)
    return agreement


def make_delegation(from_city=None, to_city=None, *, published=True, **kwargs):
    return Delegation.objects.create(
        from_city=from_city or make_city(),
        to_city=to_city or make_city(),
        publication=Publication.PUBLISHED if published else Publication.DRAFT,
        **kwargs,
    )


def make_event(*participants, title=None, host_city=None, published=True, **kwargs):
    event = JointEvent.objects.create(
        title=title or f"Event {next(_counter)}",
        host_city=host_city,
        publication=Publication.PUBLISHED if published else Publication.DRAFT,
        **kwargs,
    )
    event.participants.set(participants)
    return event


def make_source(**kwargs):
    kwargs.setdefault("title", f"Press release {next(_counter)}")
    kwargs.setdefault("url", "https://example.org/news/1")
    return Source.objects.create(**kwargs)


def make_press_officer(*cities, username=None, staff=True):
    """A staff user in the "press officers" group and in the press office of each of `cities`."""
    from django.contrib.auth.models import Group, User

    from twinning.models import PressOffice
    from twinning.permissions import PRESS_OFFICERS_GROUP

    user = User.objects.create_user(username or f"officer{next(_counter)}", password="officer-password-1", is_staff=staff)
    user.groups.add(Group.objects.get_or_create(name=PRESS_OFFICERS_GROUP)[0])
    for city in cities:
        office = PressOffice.objects.filter(city=city).first() or PressOffice.objects.create(
            city=city, name=f"Press office of {city.name}"
        )
        office.members.add(user)
    return user
