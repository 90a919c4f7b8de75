"""Reads to a PostgreSQL streaming replica, writes to the primary.

Active only when settings.DATABASES has a "replica" alias (DATABASE_REPLICA_URL is set); with
one database every query goes to "default" and none of this costs anything.

A replica lags the primary by a fraction of a second, sometimes more. Readers who must see their
own writes therefore read the primary:
- everything in a request after its first write (the router pins the request on db_for_write);
- the whole of an unsafe request (POST, PUT, PATCH, DELETE) and of a signed-in user's request:
  press officers edit what they have just read, and a stale version would be refused on save;
- the next few seconds of a browser that has just written (a cookie), so the page it is
  redirected to after a save shows the save.
Shared state that must not be stale (sessions, the cache table, lockouts, tokens) always lives
on the primary.
"""

import contextvars

from django.conf import settings

REPLICA = "replica"
PRIMARY = "default"
PIN_COOKIE = "read_primary"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

# Apps whose tables are read only by the public site and the API; the rest stays on the primary.
REPLICA_APPS = {"cities", "twinning", "events", "contenttypes"}

_pinned = contextvars.ContextVar("pinned_to_primary", default=False)


def pin_to_primary():
    """Send the rest of this request's (or this thread's) reads to the primary."""
    _pinned.set(True)


def is_pinned():
    return _pinned.get()


def has_replica():
    return REPLICA in settings.DATABASES


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if not has_replica() or _pinned.get() or model._meta.app_label not in REPLICA_APPS:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model, **hints):
        _pinned.set(True)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same data: objects read from either may be related.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica receives the schema by replication; migrating it would fail (read-only).
        return db == PRIMARY


class PinPrimaryMiddleware:
    """Decide per request whether its reads may go to the replica (see the module docstring).

    After AuthenticationMiddleware: it asks whether the user is signed in.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.pin_seconds = getattr(settings, "REPLICA_PIN_SECONDS", 10)

    def __call__(self, request):
        token = _pinned.set(self._must_read_primary(request))
        try:
            response = self.get_response(request)
            if request.method not in SAFE_METHODS:
                response.set_cookie(
                    PIN_COOKIE, "1", max_age=self.pin_seconds, httponly=True, samesite="Lax",
                    secure=settings.SESSION_COOKIE_SECURE,
                )
            return response
        finally:
            _pinned.reset(token)

    @staticmethod
    def _must_read_primary(request):
        if request.method not in SAFE_METHODS or PIN_COOKIE in request.COOKIES:
            return True
        # API clients that authenticate are the press offices' scripts: they read what they wrote.
        if "HTTP_AUTHORIZATION" in request.META:
            return True
        # Only a request carrying a session cookie can be signed in; don't load a session otherwise.
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return request.user.is_authenticated
        return False
