"""Whole-response cache for anonymous readers of the public site and the API.

Anonymous GETs are most of the traffic, and a page with 200 partners or a 10 MB GeoJSON export
costs far more to build than to send. So a response to an anonymous GET is kept in the shared
cache under a key made of the *data version*, the URL, the host and scheme, the language, the
Accept header and today's date; any save or delete of a registry record (cities, twinning,
events, press releases) bumps the version after its transaction commits, which makes every
cached response unreachable at once. Writes that bypass model signals (bulk_create, update(),
raw SQL) must call data_changed() themselves; PAGE_CACHE_SECONDS bounds what they could leave.

- Large bodies are stored gzip-compressed once and sent compressed to clients that accept gzip.
- Each worker keeps the most recent entries in memory too (PAGE_CACHE_LOCAL_BYTES), so a hit
  costs one small cache read (the version), and none within PAGE_CACHE_VERSION_SECONDS.
- CSRF tokens rendered into a page (the language switch form) are cut out before storing and
  a fresh token of the reader's own is put in on every hit: no reader gets another's token.
- Hits carry an ETag and answer If-None-Match with 304.
Signed-in users, requests with an Authorization header or other cookies, and non-200 or
streaming responses are never cached. Off unless PAGE_CACHE_SECONDS > 0 (production).
"""

import gzip
import hashlib
import re
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers

DATA_VERSION_KEY = "data-version"
# Apps whose records the public pages and the API show.
PUBLIC_APPS = {"cities", "twinning", "events", "press_releases"}
COMPRESSIBLE = ("text/", "application/json", "application/geo+json", "application/javascript", "application/xml")
MIN_COMPRESS_BYTES = 1024
_CSRF_PLACEHOLDER = b"\x00csrf\x00"
_TOKEN_CANDIDATE = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
# Headers that belong to one response, not to its cached copy.
_NOT_STORED = {"set-cookie", "content-length", "x-page-cache", "etag"}


def _is_stored_attribute(name):
    """Response attributes that outer middleware reads: django-csp's decorators, xframe_options_exempt."""
    return name.startswith("_csp") or name == "xframe_options_exempt"


# ---------------------------------------------------------------- the data version


def _new_version():
    return time.time_ns() // 1000


def data_version():
    """The current data version (any value: only its changes matter)."""
    version = cache.get(DATA_VERSION_KEY)
    if version is None:
        cache.add(DATA_VERSION_KEY, _new_version(), None)  # add: never overwrite a concurrent bump
        version = cache.get(DATA_VERSION_KEY)
    return version


def data_changed():
    """Make every cached response stale. Call after writes that send no model signals."""
    cache.set(DATA_VERSION_KEY, _new_version(), None)
    _local_version.update(value=None, read_at=0.0)


def _record_changed(sender, **kwargs):
    if sender._meta.app_label in PUBLIC_APPS:
        # After the commit: a reader must not cache the old data under the new version.
        transaction.on_commit(data_changed)


def connect_signals():
    """Bump the data version on every save, delete or many-to-many change of a registry record."""
    for signal in (post_save, post_delete, m2m_changed):
        signal.connect(_record_changed, dispatch_uid=f"page_cache.{signal!r}")


# The version as this worker last read it, reused for PAGE_CACHE_VERSION_SECONDS.
_local_version = {"value": None, "read_at": 0.0}


def _current_version(max_age):
    now = time.monotonic()
    if _local_version["value"] is None or now - _local_version["read_at"] >= max_age:
        _local_version.update(value=data_version(), read_at=now)
    return _local_version["value"]


# ---------------------------------------------------------------- cached responses


class CachedResponse:
    """What is kept of a response: status, headers, body (maybe gzipped), ETag, CSRF holes."""

    def __init__(self, response, csrf_secret):
        self.status = response.status_code
        self.headers = [(k, v) for k, v in response.items() if k.lower() not in _NOT_STORED]
        self.attributes = {name: value for name, value in vars(response).items() if _is_stored_attribute(name)}
        body = response.content
        self.etag = response.get("ETag") or f'W/"{hashlib.md5(body, usedforsecurity=False).hexdigest()}"'
        self.has_csrf_holes = False
        if csrf_secret:
            body = _cut_out_tokens(body, csrf_secret)
            self.has_csrf_holes = _CSRF_PLACEHOLDER in body
        content_type = response.get("Content-Type", "")
        self.gzipped = (
            not self.has_csrf_holes
            and len(body) >= MIN_COMPRESS_BYTES
            and content_type.startswith(COMPRESSIBLE)
            and "Content-Encoding" not in response
        )
        self.body = gzip.compress(body, compresslevel=6, mtime=0) if self.gzipped else body

    @property
    def size(self):
        return len(self.body)

    def response_for(self, request):
        body, compressed = self.body, False
        if self.gzipped:
            if "gzip" in request.headers.get("Accept-Encoding", ""):
                compressed = True
            else:
                body = gzip.decompress(body)
        if self.has_csrf_holes:
            body = body.replace(_CSRF_PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(body, status=self.status)
        for header, value in self.headers:
            response[header] = value
        for name, value in self.attributes.items():
            setattr(response, name, value)
        if self.gzipped:
            patch_vary_headers(response, ["Accept-Encoding"])
        if compressed:
            response["Content-Encoding"] = "gzip"
        response["ETag"] = self.etag
        return response


def _cut_out_tokens(body, secret):
    """Replace every CSRF token rendered for `secret` with a placeholder."""

    def hole(match):
        candidate = match.group().decode()
        return _CSRF_PLACEHOLDER if _unmask_cipher_token(candidate) == secret else match.group()

    return _TOKEN_CANDIDATE.sub(hole, body)


class _LocalEntries:
    """This worker's most recently used entries, up to a byte budget (keys include the version,
    so an entry never goes stale: it just stops being asked for)."""

    def __init__(self, max_bytes):
        self.max_bytes = max_bytes
        self.entries = OrderedDict()
        self.bytes = 0
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        if entry.size > self.max_bytes // 4:
            return
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = entry
            self.bytes += entry.size
            while self.bytes > self.max_bytes:
                _, evicted = self.entries.popitem(last=False)
                self.bytes -= evicted.size


class PublicPageCacheMiddleware:
    """Serve anonymous GETs from the cache (see the module docstring).

    Inside LocaleMiddleware (the key needs the language) and CsrfViewMiddleware (which sets the
    cookie of a token put into a hit); outside the views' own middleware, whose headers are stored.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.seconds = settings.PAGE_CACHE_SECONDS
        if not self.seconds:
            raise MiddlewareNotUsed
        self.version_seconds = settings.PAGE_CACHE_VERSION_SECONDS
        self.skip_paths = tuple(settings.PAGE_CACHE_SKIP_PATHS)
        self.allowed_cookies = {settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME}
        self.local = _LocalEntries(settings.PAGE_CACHE_LOCAL_BYTES)

    def __call__(self, request):
        if not self._is_cacheable_request(request):
            return self.get_response(request)
        key = self._key(request)
        entry = self.local.get(key)
        if entry is None:
            entry = cache.get(key)
            if entry is not None:
                self.local.put(key, entry)
        if entry is not None:
            response = entry.response_for(request)
            response["X-Page-Cache"] = "hit"
            return get_conditional_response(request, etag=entry.etag, response=response) or response
        response = self.get_response(request)
        if request.method == "GET" and self._is_cacheable_response(response):
            csrf_used = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
            entry = CachedResponse(response, request.META.get("CSRF_COOKIE") if csrf_used else None)
            # A token we could not find would be served to everyone: then the page is not kept.
            if entry.has_csrf_holes or not csrf_used:
                cache.set(key, entry, self.seconds)
                self.local.put(key, entry)
                response["ETag"] = response.get("ETag") or entry.etag
        response["X-Page-Cache"] = "miss"
        return response

    def _is_cacheable_request(self, request):
        return (
            request.method in ("GET", "HEAD")
            and "HTTP_AUTHORIZATION" not in request.META
            and set(request.COOKIES) <= self.allowed_cookies
            and not request.path.startswith(self.skip_paths)
        )

    @staticmethod
    def _is_cacheable_response(response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in cache_control
            and "no-store" not in cache_control
            and "no-cache" not in cache_control
        )

    def _key(self, request):
        parts = [
            str(_current_version(self.version_seconds)),
            request.scheme,
            request.get_host(),
            request.get_full_path(),
            getattr(request, "LANGUAGE_CODE", ""),
            request.headers.get("Accept", ""),
            timezone.localdate().isoformat(),  # pages that count days to anniversaries change at midnight
        ]
        return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()

