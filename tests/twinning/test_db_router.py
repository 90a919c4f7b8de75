import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.test import RequestFactory

from cities.models import City
from events.models import Delegation
from twinning.db_router import PIN_COOKIE, PinPrimaryMiddleware, PrimaryReplicaRouter, _pinned
from twinning.models import Twinning

router = PrimaryReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr("twinning.db_router.has_replica", lambda: True)
    # Outside a request a write pins the thread for good (creating the test database did).
    token = _pinned.set(False)
    yield
    _pinned.reset(token)


def _read_target_seen_by_view(request):
    """Run `request` through the middleware; return where the view's reads of City would go."""
    seen = {}

    def view(request):
        seen["city"] = router.db_for_read(City)
        return HttpResponse("ok")

    response = PinPrimaryMiddleware(view)(request)
    return seen["city"], response


def _anonymous(request):
    request.user = AnonymousUser()
    return request


def test_without_a_replica_every_read_goes_to_the_primary():
    assert router.db_for_read(City) == "default"


def test_public_models_are_read_from_the_replica(with_replica):
    targets = [router.db_for_read(model) for model in (City, Twinning, Delegation)]

    assert targets == ["replica", "replica", "replica"]


def test_sessions_and_users_are_always_read_from_the_primary(with_replica):
    assert [router.db_for_read(Session), router.db_for_read(User)] == ["default", "default"]


def test_reads_after_a_write_in_the_same_request_go_to_the_primary(with_replica):
    def view(request):
        before = router.db_for_read(City)
        written = router.db_for_write(City)
        after = router.db_for_read(City)
        return HttpResponse(f"{before} {written} {after}")

    response = PinPrimaryMiddleware(view)(_anonymous(RequestFactory().get("/")))

    assert response.content == b"replica default default"


def test_the_pin_ends_with_the_request(with_replica):
    def writing_view(request):
        router.db_for_write(City)
        return HttpResponse("ok")

    PinPrimaryMiddleware(writing_view)(_anonymous(RequestFactory().get("/")))

    assert router.db_for_read(City) == "replica"


def test_anonymous_get_reads_the_replica(with_replica):
    target, response = _read_target_seen_by_view(_anonymous(RequestFactory().get("/")))

    assert target == "replica"
    assert PIN_COOKIE not in response.cookies


def test_post_reads_the_primary_and_pins_the_browser_for_a_few_seconds(with_replica, settings):
    target, response = _read_target_seen_by_view(_anonymous(RequestFactory().post("/")))

    assert target == "default"
    assert response.cookies[PIN_COOKIE]["max-age"] == settings.REPLICA_PIN_SECONDS


def test_get_with_the_pin_cookie_reads_the_primary(with_replica):
    request = RequestFactory().get("/")
    request.COOKIES[PIN_COOKIE] = "1"

    target, _ = _read_target_seen_by_view(_anonymous(request))

    assert target == "default"


def test_token_authenticated_api_client_reads_the_primary(with_replica):
    request = RequestFactory().get("/api/v1/twinnings/", HTTP_AUTHORIZATION="Token abc")

    target, _ = _read_target_seen_by_view(_anonymous(request))

    assert target == "default"


@pytest.mark.django_db
def test_signed_in_user_reads_the_primary(with_replica, django_user_model, settings):
    request = RequestFactory().get("/")
    request.COOKIES[settings.SESSION_COOKIE_NAME] = "session-key"
    request.user = django_user_model(username="officer")

    target, _ = _read_target_seen_by_view(request)

    assert target == "default"


def test_only_the_primary_is_migrated():
    assert [router.allow_migrate(alias, "cities") for alias in ("default", "replica")] == [True, False]
