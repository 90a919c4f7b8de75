import pytest
from django.contrib.auth.models import AnonymousUser, Group, User

from cities.models import City, CityName, Organisation, Person
from events.models import Delegation, JointEvent, ProgrammeItem
from tests.factories import (
    make_agreement,
    make_city,
    make_delegation,
    make_event,
    make_organisation,
    make_person,
    make_press_officer,
    make_source,
    make_twinning,
)
from twinning.models import Agreement, AgreementParty, PressOffice, Source, StatusChange, Twinning
from twinning.permissions import (
    REGISTRY_EDITORS_GROUP,
    can_edit,
    cities_of,
    editable,
    involved_city_ids,
    is_registry_editor,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def azov():
    return make_city("Азов")


@pytest.fixture
def bataysk():
    return make_city("Батайск")


@pytest.fixture
def officer_azov(azov):
    return make_press_officer(azov)


@pytest.fixture
def officer_bataysk(bataysk):
    return make_press_officer(bataysk)


def test_registry_editor_is_superuser_or_group_member():
    editor = User.objects.create_user("editor")
    editor.groups.add(Group.objects.get_or_create(name=REGISTRY_EDITORS_GROUP)[0])
    plain = User.objects.create_user("plain")
    boss = User.objects.create_superuser("boss")

    assert [is_registry_editor(u) for u in (editor, plain, boss, AnonymousUser())] == [True, False, True, False]


def test_cities_of_lists_the_cities_of_the_users_offices(azov, bataysk):
    officer = make_press_officer(azov, bataysk)
    make_city("Ейск")

    assert sorted(cities_of(officer).values_list("name", flat=True)) == ["Азов", "Батайск"]


def test_twinning_editable_by_officers_of_either_city_only(azov, bataysk, officer_azov, officer_bataysk):
    twinning = make_twinning(azov, make_city("Courbevoie", country="FR"))
    outsider = make_press_officer(make_city("Ейск"))

    assert [can_edit(u, twinning) for u in (officer_azov, officer_bataysk, outsider)] == [True, False, False]


def test_unsaved_twinning_must_involve_the_officers_city(azov, bataysk, officer_azov):
    other = make_city("Ейск")

    assert can_edit(officer_azov, Twinning(city_a=other, city_b=azov)) is True
    assert can_edit(officer_azov, Twinning(city_a=other, city_b=bataysk)) is False


def test_officer_cannot_hand_their_twinning_to_other_cities(azov, bataysk, officer_azov):
    twinning = make_twinning(azov, make_city("Ейск"))

    twinning.city_a = bataysk

    assert can_edit(officer_azov, twinning) is False


def test_officer_cannot_take_over_another_citys_twinning(azov, bataysk, officer_azov):
    twinning = make_twinning(bataysk, make_city("Ейск"))

    twinning.city_a = azov

    assert can_edit(officer_azov, twinning) is False


def test_agreement_editable_through_organisation_party(azov, officer_azov, officer_bataysk):
    agreement = make_agreement(make_organisation(azov), make_city("Ейск"))

    assert (can_edit(officer_azov, agreement), can_edit(officer_bataysk, agreement)) == (True, False)


def test_unsaved_agreement_judged_by_parties_given(azov, bataysk, officer_azov):
    agreement = Agreement(title="Договор")

    assert can_edit(officer_azov, agreement) is False
    assert can_edit(officer_azov, agreement, involving=[azov.pk, bataysk.pk]) is True


def test_event_editable_by_host_and_participants(azov, bataysk, officer_azov, officer_bataysk):
    event = make_event(bataysk, title="Выставка", host_city=make_city("Ейск"))

    assert (can_edit(officer_azov, event), can_edit(officer_bataysk, event)) == (False, True)


def test_children_follow_their_parent(azov, bataysk, officer_azov):
    delegation = make_delegation(azov, bataysk)
    person = make_person(azov, position="мэр")
    agreement = make_agreement(azov, bataysk)
    foreign = make_twinning(bataysk, make_city("Ейск"))

    children = [
        ProgrammeItem(delegation=delegation, description="Музей"),
        person.positions.get(),
        agreement.parties.first(),
        CityName(city=azov, name="Azov", language="en"),
        StatusChange(twinning=foreign, state="active"),
    ]

    assert [can_edit(officer_azov, child) for child in children] == [True, True, True, True, False]


def test_new_and_unclaimed_cities_are_open_to_officers(azov, bataysk, officer_azov, officer_bataysk):
    unclaimed = make_city("Courbevoie", country="FR")

    assert [can_edit(officer_azov, c) for c in (azov, bataysk, unclaimed, City(name="Новый"))] == [True, False, True, True]


def test_source_editable_through_citing_records_or_its_creator(azov, bataysk, officer_azov):
    cited_by_mine, cited_by_other, orphan = make_source(), make_source(), make_source()
    make_twinning(azov, make_city()).sources.add(cited_by_mine)
    make_delegation(bataysk, make_city()).sources.add(cited_by_other)

    assert [can_edit(officer_azov, s) for s in (cited_by_mine, cited_by_other, orphan)] == [True, False, False]
    assert list(editable(officer_azov, Source.objects.all())) == [cited_by_mine]


def test_press_office_is_for_superusers_only(azov, officer_azov):
    office = PressOffice.objects.get(city=azov)
    editor = User.objects.create_user("editor")
    editor.groups.add(Group.objects.get_or_create(name=REGISTRY_EDITORS_GROUP)[0])

    users = (officer_azov, editor, User.objects.create_superuser("root"))

    assert [can_edit(user, office) for user in users] == [False, False, True]
    assert [editable(user, PressOffice.objects.all()).count() for user in users] == [0, 0, 1]


def test_anonymous_and_plain_staff_edit_nothing(azov):
    twinning = make_twinning(azov, make_city())
    staff = User.objects.create_user("staff", is_staff=True)

    assert (can_edit(AnonymousUser(), twinning), can_edit(staff, twinning)) == (False, False)
    assert editable(AnonymousUser(), Twinning.objects.all()).count() == 0


@pytest.mark.parametrize(
    "model, make_mine, make_other",
    [
        (Twinning, lambda a, b: make_twinning(a, make_city()), lambda a, b: make_twinning(b, make_city())),
        (Agreement, lambda a, b: make_agreement(a, make_city()), lambda a, b: make_agreement(b, make_city())),
        (Delegation, lambda a, b: make_delegation(make_city(), a), lambda a, b: make_delegation(b, make_city())),
        (JointEvent, lambda a, b: make_event(a), lambda a, b: make_event(host_city=b)),
        (Organisation, lambda a, b: make_organisation(a), lambda a, b: make_organisation(b)),
        (Person, lambda a, b: make_person(a), lambda a, b: make_person(b)),
        (AgreementParty, lambda a, b: make_agreement(a).parties.get(), lambda a, b: make_agreement(b).parties.get()),
    ],
)
def test_editable_queryset_agrees_with_can_edit(model, make_mine, make_other, azov, bataysk, officer_azov):
    mine, other = make_mine(azov, bataysk), make_other(azov, bataysk)

    rows = list(editable(officer_azov, model.objects.filter(pk__in=[mine.pk, other.pk])))

    assert rows == [mine]
    assert (can_edit(officer_azov, mine), can_edit(officer_azov, other)) == (True, False)


def test_agreement_with_two_matching_parties_listed_once(azov, officer_azov):
    agreement = make_agreement(azov, make_organisation(azov))

    assert list(Agreement.objects.editable_by(officer_azov)) == [agreement]


def test_involved_city_ids_reads_in_memory_foreign_keys(azov, bataysk):
    delegation = Delegation(from_city=azov, to_city=bataysk)

    assert involved_city_ids(delegation) == {azov.pk, bataysk.pk}


# ---- the whole matrix against the rule itself (the admin matrix is in tests/test_press_offices.py)
def _records_of_azov(azov, partner):
    """One record of every model in which Azov takes part (its own, or through the parent)."""
    twinning = make_twinning(azov, partner, published=False)
    delegation = make_delegation(azov, partner, published=False)
    person = make_person(azov, position="мэр")
    agreement = make_agreement(azov, partner)
    source = make_source()
    twinning.sources.add(source)
    return {
        "city": azov,
        "cityname": CityName.objects.create(city=azov, name="Azov", language="en"),
        "organisation": make_organisation(azov),
        "person": person,
        "position": person.positions.get(),
        "twinning": twinning,
        "statuschange": StatusChange.objects.create(twinning=twinning, state="treaty"),
        "agreement": agreement,
        "agreementparty": agreement.parties.first(),
        "delegation": delegation,
        "programmeitem": ProgrammeItem.objects.create(delegation=delegation, description="Музей"),
        "jointevent": make_event(partner, host_city=azov),
        "source": source,
    }


@pytest.mark.parametrize("user_kind", ["officer of A", "officer of B", "registry editor", "anonymous"])
def test_every_model_of_city_a_against_every_kind_of_user(user_kind, azov, bataysk, officer_azov, officer_bataysk):
    editor = User.objects.create_user("editor")
    editor.groups.add(Group.objects.get_or_create(name=REGISTRY_EDITORS_GROUP)[0])
    user = {"officer of A": officer_azov, "officer of B": officer_bataysk, "registry editor": editor,
            "anonymous": AnonymousUser()}[user_kind]  # fmt: skip
    records = _records_of_azov(azov, make_city("Courbevoie", country="FR"))

    allowed = {name: can_edit(user, record) for name, record in records.items()}
    listed = {name: editable(user, type(r).objects.filter(pk=r.pk)).exists() for name, r in records.items()}

    assert allowed == listed
    assert set(allowed.values()) == {user_kind in ("officer of A", "registry editor")}
