import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.utils import translation

from tests.factories import make_city, make_twinning
from twinning.models import PressOffice
from twinning.permissions import PRESS_OFFICERS_GROUP, can_edit, city_ids_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def azov():
    return make_city("Азов", slug="azov")


def test_creates_a_staff_officer_in_the_citys_office(azov, capsys):
    call_command("create_press_officer", "natalya", "--city", "azov", "--password", "Azov-press-2025!")

    user = User.objects.get(username="natalya")
    assert (user.is_staff, user.is_superuser, user.check_password("Azov-press-2025!")) == (True, False, True)
    assert list(user.groups.values_list("name", flat=True)) == [PRESS_OFFICERS_GROUP]
    assert city_ids_of(user) == {azov.pk}
    assert user.has_perm("twinning.change_twinning") and not user.has_perm("twinning.change_pressoffice")
    assert can_edit(user, make_twinning(azov, make_city()))
    assert "Created press officer natalya" in capsys.readouterr().out


def test_second_officer_joins_the_existing_office(azov):
    call_command("create_press_officer", "one", "--city", "azov", "--password", "Azov-press-2025!")
    call_command("create_press_officer", "two", "--city", "azov", "--password", "Azov-press-2025!")

    office = PressOffice.objects.get()
    assert sorted(office.members.values_list("username", flat=True)) == ["one", "two"]


def test_weak_password_is_refused_by_djangos_validators(azov):
    with translation.override("en"), pytest.raises(CommandError, match="Password refused: This password is too short"):
        call_command("create_press_officer", "natalya", "--city", "azov", "--password", "1234")

    assert not User.objects.filter(username="natalya").exists()


def test_unknown_city_is_a_clear_error():
    with pytest.raises(CommandError, match="No city with the slug 'atlantis'"):
        call_command("create_press_officer", "natalya", "--city", "atlantis", "--password", "Azov-press-2025!")


def test_asks_for_the_password_when_not_given(azov, monkeypatch):
    answers = iter(["Azov-press-2025!", "Azov-press-2025!"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))

    call_command("create_press_officer", "natalya", "--city", "azov")

    assert User.objects.get(username="natalya").check_password("Azov-press-2025!")
