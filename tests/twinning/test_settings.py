"""Production settings: each case runs Django in a fresh process, as a deployment would start it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "test-production-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "registry.example.org",
}


def _django(code, **env):
    """Run `code` after django.setup() in a new interpreter with `env` added; return the process."""
    environment = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "CACHE_URL"}
    environment.update(env)
    script = "import django, json; django.setup(); from django.conf import settings; " + code
    return subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=60
    )


def _settings_in(names, **env):
    process = _django(f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}, default=str))", **env)
    assert process.returncode == 0, process.stderr
    return json.loads(process.stdout)


def test_check_deploy_reports_nothing_in_production():
    # Browser tests in the same worker set DJANGO_ALLOW_ASYNC_UNSAFE; a deployment never would.
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    process = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env={**environment, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert process.returncode == 0, process.stderr
    assert process.stdout.strip() == "System check identified no issues (0 silenced)."


def test_production_refuses_to_start_without_a_secret_key():
    process = _django("", DJANGO_ENV="production", ALLOWED_HOSTS="registry.example.org")

    assert process.returncode == 1
    assert "ImproperlyConfigured: SECRET_KEY must be set in production" in process.stderr


def test_production_settings_are_hardened():
    names = [
        "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER", "STORAGES", "LOG_FORMAT", "SESSION_ENGINE", "CACHES", "WHITENOISE_USE_FINDERS",
    ]

    values = _settings_in(names, **PRODUCTION_ENV)

    assert values["DEBUG"] is False
    assert (values["SESSION_COOKIE_SECURE"], values["CSRF_COOKIE_SECURE"], values["SECURE_SSL_REDIRECT"]) == (True, True, True)
    assert values["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["STORAGES"]["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert values["WHITENOISE_USE_FINDERS"] is False
    assert values["LOG_FORMAT"] == "json"
    # Nothing lives only in one worker's memory.
    assert values["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"


@pytest.mark.parametrize(
    ("cache_url", "backend", "location"),
    [
        ("redis://cache.internal:6379/1", "django.core.cache.backends.redis.RedisCache", "redis://cache.internal:6379/1"),
        (
            "memcached://mc1:11211,mc2:11211",
            "django.core.cache.backends.memcached.PyMemcacheCache",
            ["mc1:11211", "mc2:11211"],
        ),
        ("db://", "django.core.cache.backends.db.DatabaseCache", "django_cache"),
    ],
)
def test_cache_url_selects_a_shared_cache(cache_url, backend, location):
    cache = _settings_in(["CACHES"], CACHE_URL=cache_url)["CACHES"]["default"]

    assert (cache["BACKEND"], cache["LOCATION"]) == (backend, location)


def test_unknown_cache_url_fails_loudly():
    process = _django("", CACHE_URL="locmem://")

    assert process.returncode == 1
    assert "CACHE_URL must start with redis://" in process.stderr


def test_replica_url_adds_a_replica_database_that_tests_mirror():
    databases = _settings_in(["DATABASES"], DATABASE_REPLICA_URL="postgresql://reader@replica.internal:5432/twinning")["DATABASES"]

    assert (databases["replica"]["HOST"], databases["replica"]["USER"]) == ("replica.internal", "reader")
    assert databases["replica"]["CONN_HEALTH_CHECKS"] is True
    assert databases["replica"]["TEST"]["MIRROR"] == "default"


@pytest.mark.django_db
def test_security_headers_on_a_response_behind_https(client, settings):
    # The production values (settings.py sets them when DJANGO_ENV=production).
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

    response = client.get("/health/", HTTP_X_FORWARDED_PROTO="https")

    assert response["Strict-Transport-Security"] == "max-age=31536000"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'"
    assert policy["img-src"] == "'self' data: https://tile.openstreetmap.org https://*.tile.openstreetmap.org"
    assert policy["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_collected_static_files_have_hashed_names_and_long_cache_lifetimes(client, settings, tmp_path):
    # The project's own static folder (Leaflet's source map must be there for the manifest) plus a
    # probe file; the apps' bundles (admin, Swagger UI) would make collecting take minutes.
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "probe.css").write_text("body { color: black; }\n" * 100)
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, tmp_path / "source"]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", interactive=False, verbosity=0)
    hashed = json.loads((tmp_path / "collected" / "staticfiles.json").read_text())["paths"]["probe.css"]

    response = client.get(f"/static/{hashed}", HTTP_ACCEPT_ENCODING="gzip")
    response.close()

    assert hashed.startswith("probe.") and hashed != "probe.css"
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"
    assert response["Content-Encoding"] == "gzip"
