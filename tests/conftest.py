import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Real hashing costs ~0.5 s per login; tests log in a lot.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def english(settings):
    """Serve and validate in English rather than the default Russian: for tests that check a message's wording
    against its English msgid. Changing LANGUAGE_CODE resets Django's cached default translation."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.org", "admin-password-1")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def api_overhead(api_client):
    """Queries every anonymous API request makes whatever it asks (throttle counter in the
    database cache, middleware): measured on the API root, which reads nothing itself."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api_client.get("/api/v1/")  # the first request creates the throttle row; later ones update it
    with CaptureQueriesContext(connection) as context:
        api_client.get("/api/v1/")
    return len(context.captured_queries)


@pytest.fixture
def demo():
    """The three demo press releases loaded by `manage.py load_demo`."""
    import io

    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
