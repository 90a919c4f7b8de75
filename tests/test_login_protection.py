import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


@pytest.fixture
def officer():
    return User.objects.create_user("officer", password="Correct-horse-42", is_staff=True)


def _login(client, password, ip="10.0.0.1"):
    return client.post(
        LOGIN, {"username": "officer", "password": password, "next": "/admin/"}, REMOTE_ADDR=ip
    )


def test_admin_login_locks_out_after_five_failures(client, officer):
    failures = [_login(client, f"wrong-{n}").status_code for n in range(settings.AXES_FAILURE_LIMIT)]

    locked = _login(client, "Correct-horse-42")

    assert failures[:-1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)  # the form again, with an error
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302  # still not logged in


def test_lockout_is_per_username_and_address(client, officer):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, f"wrong-{n}")

    from_elsewhere = _login(client, "Correct-horse-42", ip="10.0.0.2")

    assert from_elsewhere.status_code == 302
    assert from_elsewhere["Location"] == "/admin/"


def test_a_few_failures_do_not_lock_out(client, officer):
    for n in range(settings.AXES_FAILURE_LIMIT - 2):
        _login(client, f"wrong-{n}")

    assert _login(client, "Correct-horse-42").status_code == 302


def test_password_validators_are_on():
    names = [validator["NAME"].rsplit(".", 1)[-1] for validator in settings.AUTH_PASSWORD_VALIDATORS]

    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
