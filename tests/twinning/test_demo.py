import io

import pytest
from django.core.management import call_command

from cities.models import City, Organisation, Person
from events.models import Delegation, EventFormat, EventKind, JointEvent
from tests.factories import make_city, make_twinning
from twinning.demo import DEMO_MODELS
from twinning.models import Agreement, AgreementKind, Source, Twinning, TwinningState, TwinningStatus

pytestmark = pytest.mark.django_db


def _counts():
    # The history tables too: a second run must not even record empty changes.
    models = list(DEMO_MODELS) + [model.history.model for model in DEMO_MODELS if hasattr(model, "history")]
    return {model.__name__: model.objects.count() for model in models}


def _city(slug):
    return City.objects.get(slug=slug)


def test_load_demo_twice_gives_same_counts(demo):
    first = _counts()

    call_command("load_demo", stdout=io.StringIO())

    assert _counts() == first
    assert first["City"] == 7
    assert first["Twinning"] == 3
    assert first["Source"] == 3


def test_load_demo_publishes_every_record(demo):
    for model in (City, Organisation, Person, Twinning, Agreement, Delegation, JointEvent):
        assert model.objects.drafts().count() == 0, model.__name__


def test_load_demo_cites_a_source_on_every_record(demo):
    for model in (City, Organisation, Person, Twinning, Agreement, Delegation, JointEvent):
        assert model.objects.filter(sources__isnull=True).count() == 0, model.__name__


def test_load_demo_dates_the_sources(demo):
    dates = {source.publisher: source.published_on.isoformat() for source in Source.objects.all()}

    assert dates == {
        "Управление информационной политики": "2019-10-30",
        "Администрация города Азова": "2020-10",
        "Барановичский горисполком": "2025-09",
    }


def test_demo_azov_courbevoie_twinning_established_by_treaty(demo):
    twinning = Twinning.objects.between(_city("azov"), _city("courbevoie")).with_status().get()

    assert twinning.established_on.isoformat() == "2018-10-24"
    assert [(change.state, change.date.isoformat()) for change in twinning.status_changes.all()] == [
        (TwinningState.TREATY, "2018-10-24")
    ]
    assert twinning.status == TwinningStatus.ACTIVE
    assert sorted((a.kind, str(a.signed_on)) for a in twinning.agreements.all()) == [
        (AgreementKind.HUMANITARIAN, "None"),
        (AgreementKind.TWINNING_TREATY, "2018-10-24"),
    ]
    treaty = twinning.agreements.get(kind=AgreementKind.TWINNING_TREATY)
    assert treaty.spheres == ["trade", "economy", "humanitarian"]
    assert sorted(party.city.slug for party in treaty.parties.all()) == ["azov", "courbevoie"]


def test_demo_azov_courbevoie_events_and_delegations(demo):
    twinning = Twinning.objects.between(_city("azov"), _city("courbevoie")).get()

    events = sorted((event.kind, event.format) for event in twinning.events.all())
    delegations = sorted(
        (str(d.start_on), d.from_city.slug, d.to_city.slug) for d in twinning.delegations.all()
    )

    assert events == [
        (EventKind.EXHIBITION, EventFormat.IN_PERSON),
        (EventKind.LESSONS, EventFormat.IN_PERSON),
        (EventKind.LESSONS, EventFormat.ONLINE),
        (EventKind.MEETING, EventFormat.ONLINE),
        (EventKind.VIDEO_CONFERENCE, EventFormat.ONLINE),
    ]
    assert delegations == [("2017", "courbevoie", "azov"), ("None", "courbevoie", "azov")]
    lessons = JointEvent.objects.get(title__startswith="Открытые уроки")
    assert [org.name for org in lessons.organisations.all()] == ["Азовское профессиональное училище № 45"]


def test_demo_azov_officials_hold_positions(demo):
    positions = sorted(
        (person.full_name, position.title, position.organisation.name)
        for person in Person.objects.filter(city__slug="azov")
        for position in person.positions.all()
    )

    assert positions == [
        ("Владимир Валерьевич Ращупкин", "Глава Администрации города Азова", "Администрация города Азова"),
        ("Евгений Владимирович Карасев", "Председатель городской Думы – глава города Азова", "Азовская городская Дума"),
    ]


def test_demo_alchevsk_torez_agreement_signed_at_forum(demo):
    alchevsk, torez = _city("alchevsk"), _city("torez")
    twinning = Twinning.objects.between(alchevsk, torez).get()

    agreement = Agreement.objects.get(title="Соглашение об установлении побратимских связей")

    assert (twinning.relations_since.isoformat(), twinning.established_on.isoformat()) == ("2016", "2019-10-29")
    assert agreement.twinning == twinning
    assert agreement.signed_on.isoformat() == "2019-10-29"
    assert agreement.spheres == ["culture", "trade", "industry", "science", "education", "sport", "heritage"]
    assert agreement.signed_in.slug == "donetsk"
    assert (agreement.signed_at_event.kind, agreement.signed_at_event.host_city.slug) == (EventKind.FORUM, "donetsk")
    assert [(s.person.full_name, s.position_title) for s in agreement.signatories.all()] == [
        ("Наталья Пяткова", "Глава Администрации города Алчевска")
    ]
    assert alchevsk.region == "Луганская Народная Республика"
    assert str(alchevsk.country) == "UA"


def test_demo_alchevsk_torez_cooperation_before_the_agreement(demo):
    twinning = Twinning.objects.between(_city("alchevsk"), _city("torez")).get()

    history = sorted((str(e.start_on), str(e.end_on), e.kind) for e in twinning.events.all())

    assert history == [
        ("2016", "None", EventKind.FESTIVAL),
        ("2017", "2018", EventKind.CONCERT),
        ("2018-04", "None", EventKind.FESTIVAL),
        ("2019", "None", EventKind.EXCHANGE),
    ]


def test_demo_baranovichi_delegation_to_kuznetsk(demo):
    delegation = Delegation.objects.get(from_city__slug="baranovichi", to_city__slug="kuznetsk")

    assert (delegation.start_on.isoformat(), delegation.end_on.isoformat()) == ("2025-09-18", "2025-09-21")
    assert (delegation.head.full_name, delegation.head_position) == ("Вадим Щербаков", "заместитель председателя горисполкома")
    assert [item.order for item in delegation.programme.all()] == [1, 2, 3, 4, 5]
    assert delegation.programme.last().description == "Концертное выступление Дианы Лугиной"
    outcomes = sorted(
        (a.kind, a.signed_on.isoformat(), sorted(p.organisation.city.slug for p in a.parties.all()))
        for a in delegation.agreements.all()
    )
    assert outcomes == [
        (AgreementKind.INSTITUTIONAL, "2025-09", ["baranovichi", "kuznetsk"]),
        (AgreementKind.INSTITUTIONAL, "2025-09", ["baranovichi", "kuznetsk"]),
    ]
    assert sorted(
        org.name for agreement in delegation.agreements.all() for org in Organisation.objects.filter(agreement_parties__agreement=agreement)
    ) == [
        "Гимназия № 5 г. Барановичи",
        "Кузнецкая центральная городская библиотека им. А. Н. Радищева",
        "Кузнецкий лицей № 21",
        "Централизованная библиотечная система г. Барановичи",
    ]


def test_demo_kuznetsk_city_day_hosts_baranovichi(demo):
    city_day = JointEvent.objects.get(kind=EventKind.CITY_DAY)

    assert city_day.host_city.slug == "kuznetsk"
    assert sorted(city.slug for city in city_day.participants.all()) == ["baranovichi", "kuznetsk"]
    assert Twinning.objects.between(_city("baranovichi"), _city("kuznetsk")).get().established_on is None


def test_demo_city_found_by_alias_in_another_script(demo):
    assert list(City.objects.matching_name("Baranavichy").values_list("slug", flat=True)) == ["baranovichi"]
    assert list(City.objects.matching_name("Курбевуа").values_list("slug", flat=True)) == ["courbevoie"]


def test_load_demo_reuses_city_an_import_created():
    imported = make_city("Azov", slug="azov-ru", geonames_id=580054, names=[("Azov", "en", True)])
    make_twinning(make_city("Courbevoie", slug="courbevoie-fr", geonames_id=3023141), imported)

    call_command("load_demo", stdout=io.StringIO())

    azov = City.objects.get(geonames_id=580054)
    assert (azov.pk, azov.slug, azov.name) == (imported.pk, "azov-ru", "Азов")
    assert sorted((n.name, n.language, n.is_primary) for n in azov.names.all()) == [
        ("Azov", "en", True),
        ("Azov", "fr", True),
        ("Азов", "ru", True),
    ]
    assert Twinning.objects.involving(azov).get().established_on.isoformat() == "2018-10-24"
