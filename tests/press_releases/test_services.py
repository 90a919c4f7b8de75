import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cities.models import City, GazetteerCity, Organisation, Person
from events.models import Delegation, JointEvent
from press_releases.services import confirm_proposals
from tests.factories import make_city, make_person, make_press_officer, make_twinning
from twinning.models import Agreement, Source, Twinning
from twinning.records import Publication

pytestmark = pytest.mark.django_db

SOURCE = {
    "url": "https://example.org/news/visit",
    "publisher": "Press service",
    "published_on": "2025-09-24",
    "text": "С 18 по 21 сентября делегация из Барановичей посетила Кузнецк.\nПодписаны договоры.",
}


@pytest.fixture
def pair():
    return make_city("Барановичи", country="BY"), make_city("Кузнецк")


def _visit(baranovichi, kuznetsk):
    """What an officer confirms for a visit with two institutional agreements."""
    return {
        "organisations": [
            {"key": "org:0", "name": "Гимназия № 5", "kind": "gymnasium", "city": baranovichi},
            {"key": "org:2", "name": "Горисполком", "kind": "executive_committee", "city": baranovichi},
        ],
        "persons": [
            {"key": "person:0", "full_name": "Вадим Щербаков", "position": "заместитель председателя горисполкома", "city": baranovichi, "organisation": "org:2"},
        ],
        "twinning": {"city_a": baranovichi, "city_b": kuznetsk, "kind": "twin_city", "established_on": None},
        "delegations": [
            {"key": "delegation:0", "from_city": baranovichi, "to_city": kuznetsk, "start_on": "2025-09-18", "end_on": "2025-09-21", "head": "person:0", "head_position": "заместитель председателя горисполкома"},
        ],
        "events": [
            {"key": "event:0", "title": "Праздник города", "kind": "city_day", "format": "in_person", "start_on": "2025-09-18", "end_on": "2025-09-21", "host_city": kuznetsk, "participants": [kuznetsk, baranovichi], "organisations": []},
        ],
        "agreements": [
            {"title": "Договор о партнерском сотрудничестве", "kind": "institutional", "signed_on": None, "party_cities": [kuznetsk], "party_organisations": ["org:0"], "spheres": ["education"], "signatories": ["person:0"], "signed_at_event": None, "delegation": "delegation:0", "attach_to_twinning": True},
        ],
    }


def test_confirm_creates_linked_drafts_citing_the_release(pair):
    baranovichi, kuznetsk = pair
    officer = make_press_officer(baranovichi)

    result = confirm_proposals(officer, source=SOURCE, **_visit(baranovichi, kuznetsk))

    source = Source.objects.get()
    assert (source.url, source.publisher, str(source.published_on), source.text, source.title) == (
        SOURCE["url"], "Press service", "2025-09-24", SOURCE["text"], "С 18 по 21 сентября делегация из Барановичей посетила Кузнецк."
    )
    assert sorted(type(obj).__name__ for obj in result.created) == [
        "Agreement", "Delegation", "JointEvent", "Organisation", "Organisation", "Person", "Twinning",
    ]
    assert {obj.publication for obj in result.created} == {Publication.DRAFT}
    assert all(list(obj.sources.all()) == [source] for obj in result.created)
    twinning = Twinning.objects.get()
    delegation = Delegation.objects.get()
    agreement = Agreement.objects.get()
    assert (delegation.twinning, delegation.head.full_name, delegation.start_on) == (twinning, "Вадим Щербаков", "2025-09-18")
    assert (agreement.twinning, agreement.delegation, agreement.signed_in) == (twinning, delegation, kuznetsk)
    assert sorted(str(party) for party in agreement.parties.all()) == ["Гимназия № 5", "Кузнецк"]
    assert [(s.person.full_name, s.position_title, s.organisation.name) for s in agreement.signatories.all()] == [
        ("Вадим Щербаков", "заместитель председателя горисполкома", "Горисполком")
    ]
    assert [p.title for p in Person.objects.get().positions.all()] == ["заместитель председателя горисполкома"]
    assert sorted(city.name for city in JointEvent.objects.get().participants.all()) == ["Барановичи", "Кузнецк"]


def test_confirm_reuses_the_existing_twinning_person_and_organisation(pair):
    baranovichi, kuznetsk = pair
    existing = make_twinning(kuznetsk, baranovichi)
    person = make_person(baranovichi, full_name="Вадим Щербаков")
    gymnasium = Organisation.objects.create(city=baranovichi, name="гимназия № 5", kind="gymnasium")
    officer = make_press_officer(baranovichi)

    result = confirm_proposals(officer, source=SOURCE, **_visit(baranovichi, kuznetsk))

    assert list(Twinning.objects.all()) == [existing]
    assert Person.objects.count() == 1
    assert Organisation.objects.filter(name__iexact="гимназия № 5").count() == 1
    assert set(result.reused) == {existing, person, gymnasium}
    source = Source.objects.get()
    assert list(existing.sources.all()) == [source]
    agreement = Agreement.objects.get()
    assert agreement.twinning == existing
    assert agreement.signatories.get().person == person


def test_confirm_refused_for_an_officer_of_an_unrelated_city(pair):
    baranovichi, kuznetsk = pair
    outsider = make_press_officer(make_city("Азов"))

    with pytest.raises(PermissionDenied):
        confirm_proposals(outsider, source=SOURCE, **_visit(baranovichi, kuznetsk))

    assert (Source.objects.count(), Twinning.objects.count(), Organisation.objects.count(), Agreement.objects.count()) == (0, 0, 0, 0)


def test_confirm_refuses_a_partner_city_organisation_naming_it(pair):
    baranovichi, kuznetsk = pair
    officer = make_press_officer(baranovichi)
    visit = _visit(baranovichi, kuznetsk)
    visit["organisations"].append({"key": "org:9", "name": "Кузнецкий лицей № 21", "kind": "lyceum", "city": kuznetsk})

    with pytest.raises(PermissionDenied, match="Кузнецкий лицей № 21"):
        confirm_proposals(officer, source=SOURCE, **visit)

    assert Organisation.objects.count() == 0


def test_confirm_creates_a_city_picked_from_the_gazetteer(pair):
    baranovichi, _kuznetsk = pair
    row = GazetteerCity.objects.create(
        geonames_id=622794, name="Soligorsk", ascii_name="Soligorsk", alternate_names="Salihorsk,Солигорск",
        country="BY", latitude=52.79, longitude=27.54, population=102335,
    )
    officer = make_press_officer(baranovichi)

    confirm_proposals(
        officer,
        source=SOURCE,
        twinning={"city_a": baranovichi, "city_b": row, "kind": "twin_city", "established_on": "2023"},
        delegations=[{"key": "delegation:0", "from_city": row, "to_city": baranovichi, "start_on": "2023-05", "end_on": None, "head": None, "head_position": ""}],
    )

    city = City.objects.get(geonames_id=622794)
    assert (str(city.country), city.population, city.publication) == ("BY", 102335, Publication.DRAFT)
    assert ("Солигорск", "ru", True) in [(n.name, n.language, n.is_primary) for n in city.names.all()]
    assert list(city.sources.all()) == [Source.objects.get()]
    assert Twinning.objects.get().city_b == city
    assert Delegation.objects.get().from_city == city


def test_confirm_rejects_an_agreement_missing_a_twinning_city(pair):
    baranovichi, kuznetsk = pair
    officer = make_press_officer(baranovichi)
    visit = _visit(baranovichi, kuznetsk)
    visit["agreements"][0]["party_cities"] = []

    with pytest.raises(ValidationError):
        confirm_proposals(officer, source=SOURCE, **visit)

    assert Source.objects.count() == 0
