"""Settings for the Twinning Registry.

Everything that differs between machines comes from the environment. The defaults let a
developer run `make run` with nothing set; production (DJANGO_ENV=production) refuses to start
without a real SECRET_KEY and ALLOWED_HOSTS.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def envint(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from None


def envlist(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def envsecret(name, default=None):
    """Read NAME, or the file named by NAME_FILE (for container secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


# ---------------------------------------------------------------- environment
DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
if DJANGO_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured("DJANGO_ENV must be development, production or test")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = envbool("DEBUG", not PRODUCTION)
SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set in production")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdefghij"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# ---------------------------------------------------------------- applications
DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
]
EXTERNAL_APPS = [
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    "simple_history",
    "axes",
    "csp",
]
LOCAL_APPS = [
    "cities",
    "twinning",
    "events",
    "press_releases",
]
INSTALLED_APPS = DJANGO_APPS + EXTERNAL_APPS + LOCAL_APPS

MIDDLEWARE = [
    # First, so its duration covers everything and every response (redirects too) is logged.
    "twinning.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication: signed-in users and writers read the primary, not the replica.
    "twinning.db_router.PinPrimaryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Anonymous GETs from the shared cache (twinning/page_cache.py); inside Locale and Csrf.
    "twinning.page_cache.PublicPageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # X-Data-As-Of on API responses: the time of the latest change (twinning/changes.py).
    "twinning.changes.DataAsOfMiddleware",
    # AxesMiddleware must be last: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "twinning.urls"
WSGI_APPLICATION = "twinning.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# ---------------------------------------------------------------- database
# One DATABASE_URL; `make` points it at the project's own cluster under var/ when unset.
DATABASE_URL = os.environ.get("DATABASE_URL", "postgresql://twinning@127.0.0.1:54329/twinning")
if not DATABASE_URL.startswith(("postgres://", "postgresql://")):
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL (postgresql://...)")
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=envint("CONN_MAX_AGE", 60), conn_health_checks=True
    ),
}
# Parallel test runs (several developers or agents on one cluster) need distinct test databases.
DATABASES["default"]["TEST"] = {
    "NAME": "test_" + DATABASES["default"]["NAME"] + os.environ.get("TEST_DB_SUFFIX", ""),
}
# A streaming replica takes the public reads (twinning/db_router.py); writes stay on the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    if not DATABASE_REPLICA_URL.startswith(("postgres://", "postgresql://")):
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must point at PostgreSQL (postgresql://...)")
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=envint("CONN_MAX_AGE", 60), conn_health_checks=True
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["twinning.db_router.PrimaryReplicaRouter"]
# Seconds a browser reads the primary after it wrote, so the page after a save shows the save.
REPLICA_PIN_SECONDS = envint("REPLICA_PIN_SECONDS", 10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------- auth
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"

# django-axes: lock a username+IP pair out after repeated failures.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# ---------------------------------------------------------------- cache and sessions
# The cache must be shared by every worker on every app server (lockouts, throttles and page
# caches are), so it is never per-process: the database cache by default, Redis or memcached
# when CACHE_URL names one (redis://host:6379/0, rediss://..., memcached://host:11211).
CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    _cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
elif CACHE_URL.startswith("memcached://"):
    _cache = {
        "BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache",
        "LOCATION": CACHE_URL.removeprefix("memcached://").split(","),
    }
elif CACHE_URL in ("", "db://"):
    # Room for the page and export caches (the default of 300 entries would cull them constantly).
    _cache = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "django_cache",
        "OPTIONS": {"MAX_ENTRIES": 50000},
    }
else:
    raise ImproperlyConfigured(f"CACHE_URL must start with redis://, rediss://, memcached:// or db://, got {CACHE_URL!r}")
CACHES = {"default": {**_cache, "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "twinning")}}
# Sessions live in PostgreSQL: any app server can serve any request, and nothing is lost when
# the cache is flushed.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Whole responses to anonymous GETs, invalidated by any save of a registry record
# (twinning/page_cache.py). Off outside production, so tests see every change at once.
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", 600 if PRODUCTION else 0)
# How long a worker trusts the data version it read: a save shows on other workers this much later.
PAGE_CACHE_VERSION_SECONDS = envint("PAGE_CACHE_VERSION_SECONDS", 1)
PAGE_CACHE_LOCAL_BYTES = envint("PAGE_CACHE_LOCAL_BYTES", 16 * 1024 * 1024)
PAGE_CACHE_SKIP_PATHS = ["/admin/", "/i18n/", "/health/", "/bench/", "/static/", "/media/", "/api/v1/auth/"]

# ---------------------------------------------------------------- i18n
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Moscow"
USE_TZ = True

# ---------------------------------------------------------------- static and media
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Production serves the collected files, hashed names cached for ten years ("immutable"). Outside
# production whitenoise reads the apps' static folders directly, so no collectstatic is needed.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

# ---------------------------------------------------------------- REST framework
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "twinning.api.ordering.RelevanceOrderingFilter",
    ],
    # ?page_size= up to API_MAX_PAGE_SIZE (RegistryPagination).
    "DEFAULT_PAGINATION_CLASS": "twinning.api.pagination.RegistryPagination",
    "PAGE_SIZE": envint("API_PAGE_SIZE", 50),
    "DEFAULT_SCHEMA_CLASS": "twinning.api.schema.RegistryAutoSchema",
    # Anonymous clients only; the counter lives in the shared cache (see CACHES).
    "DEFAULT_THROTTLE_CLASSES": ["twinning.api.throttling.AnonymousThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_ANON_RATE", "600/min")},
    # Every error is {"status", "code", "message", "errors": {field: [messages]}}.
    "EXCEPTION_HANDLER": "twinning.api.errors.api_exception_handler",
}
API_MAX_PAGE_SIZE = envint("API_MAX_PAGE_SIZE", 500)
SPECTACULAR_SETTINGS = {
    "TITLE": "Twinning Registry API",
    "DESCRIPTION": (BASE_DIR / "twinning" / "api" / "description.md").read_text(encoding="utf-8"),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "TwinningKindEnum": "twinning.models.TwinningKind",
        "AgreementKindEnum": "twinning.models.AgreementKind",
        "EventKindEnum": "events.models.EventKind",
        "OrganisationKindEnum": "cities.models.OrganisationKind",
        "TwinningStatusEnum": "twinning.models.TwinningStatus",
        "TwinningStateEnum": "twinning.models.TwinningState",
    },
}

# ---------------------------------------------------------------- history
SIMPLE_HISTORY_REVERT_DISABLED = False

# ---------------------------------------------------------------- lifecycle (twinning/lifecycle.py)
# An active twinning with no visit, joint event or agreement for this many years is flagged dormant.
DORMANT_AFTER_YEARS = envint("DORMANT_AFTER_YEARS", 3)

# ---------------------------------------------------------------- open data
# The file `make run` imports once (manage.py first_start_import); absent → skipped.
OPEN_DATA_CSV = Path(os.environ.get("OPEN_DATA_CSV") or BASE_DIR / "data" / "twin_cities.csv.gz")
# GeoNames and the open data use XK for Kosovo, which ISO 3166-1 has not assigned.
COUNTRIES_OVERRIDE = {"XK": _("Kosovo")}

# ---------------------------------------------------------------- security
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # The load balancer polls app servers over plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]

# Content-Security-Policy (django-csp): scripts only from our own static files, so an injected
# <script> does nothing. Leaflet's map tiles come from OpenStreetMap; inline style attributes
# (the admin, Swagger UI) are allowed, inline scripts are not (use the "split" Swagger view).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "https://tile.openstreetmap.org", "https://*.tile.openstreetmap.org"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# ---------------------------------------------------------------- logging
# Production logs one JSON object per line (twinning/logs.py): a line per request from
# RequestLogMiddleware, and errors with their traceback, each with the request's id.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "json" if PRODUCTION else "plain")
if LOG_FORMAT not in {"json", "plain"}:
    raise ImproperlyConfigured("LOG_FORMAT must be json or plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "twinning.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "twinning.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # runserver already prints a line per request in development.
        "twinning.request": {"level": os.environ.get("REQUEST_LOG_LEVEL", "INFO" if PRODUCTION else "WARNING")},
    },
}

# ---------------------------------------------------------------- benchmark
# `make bench` routes /bench/ceiling/, the cheapest Django response, to measure pages against.
BENCH_CEILING_VIEW = envbool("BENCH_CEILING_VIEW", False)
