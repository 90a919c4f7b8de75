import pytest
from django.template import Context, Template

from tests.factories import make_city, make_press_officer, make_twinning
from twinning.change_log import last_updated, public_change_log
from twinning.models import StatusChange
from twinning.services import save_record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]  # messages asserted in English



def test_change_log_says_when_and_what_changed_newest_first(english):
    officer = make_press_officer(make_city("Азов"))
    twinning = make_twinning(make_city("Азов"), make_city("Courbevoie", country="FR"))
    twinning.kind, twinning.established_on = "twin_city", "2016"
    save_record(twinning, expected_version=1, user=officer)
    StatusChange.objects.create(twinning=twinning, state="treaty", date="2016")

    log = public_change_log(twinning)

    assert [(entry.subject, entry.action, entry.fields) for entry in log] == [
        ("status history", "+", []),
        ("twinning", "~", ["kind", "established on"]),
        ("twinning", "+", []),
    ]
    assert last_updated(twinning) == log[0].date


def test_a_save_that_changes_nothing_visible_is_left_out():
    twinning = make_twinning()
    save_record(twinning, expected_version=1)

    assert [entry.action for entry in public_change_log(twinning)] == ["+"]


def test_change_log_include_shows_no_user_data(django_assert_max_num_queries, english):
    officer = make_press_officer(make_city(), username="secret.officer")
    officer.email = "secret@example.org"
    officer.save()
    twinning = make_twinning()
    twinning.description = "Дружба"
    save_record(twinning, expected_version=1, user=officer)

    with django_assert_max_num_queries(3):
        html = Template('{% include "twinning/includes/_change_log.html" with twinning=twinning %}').render(
            Context({"twinning": twinning})
        )

    assert "secret" not in html
    assert html.count("<li>") == 2
    assert "description" in html
