"""The data behind the network map: every twinned city and every twinning line, compact and cached.

About 18,000 cities and 26,000 lines: sent as arrays rather than objects, with rounded
coordinates, gzip-compressed once and kept in the shared cache under a fingerprint of the tables,
so an edit shows on the map within a minute and an unchanged map costs a cache read.
"""

import gzip
import hashlib
import json

from django.core.cache import cache
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django_countries.fields import Country

from cities.models import City, CityName
from twinning.models import STATUS_OF_STATE, StatusChange, Twinning, TwinningState, TwinningStatus
from twinning.public import public_twinnings

STATUSES = [TwinningStatus.ACTIVE, TwinningStatus.SUSPENDED, TwinningStatus.ENDED]
STATUS_CODE = {status.value: index for index, status in enumerate(STATUSES)}
CACHE_SECONDS = 60 * 60  # renames of a city do not change the fingerprint; they show within an hour
# The fingerprint itself scans the tables (tens of milliseconds with 250,000 cities), so it is
# reused for a minute: an edit reaches the map within a minute.
VERSION_KEY = "network-map:version"
VERSION_SECONDS = 60


def data_version():
    """A fingerprint of everything the map shows, recomputed at most every VERSION_SECONDS."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = _fingerprint()
        cache.set(VERSION_KEY, version, VERSION_SECONDS)
    return version


def _fingerprint():
    """Four aggregate queries over the tables the map reads."""
    parts = [
        Twinning.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
        City.objects.aggregate(n=Count("pk"), last=Max("updated_at")),
        StatusChange.objects.aggregate(n=Count("pk"), last=Max("pk")),
        CityName.objects.aggregate(n=Count("pk"), last=Max("pk")),
    ]
    return hashlib.sha1(repr(parts).encode()).hexdigest()[:16]


def compressed_map_data(language):
    """(version, gzip-compressed JSON bytes) for `language`, built at most once per version."""
    version = data_version()
    key = f"network-map:v1:{language}:{version}"
    body = cache.get(key)
    if body is None:
        body = gzip.compress(json.dumps(build_map_data(language), separators=(",", ":")).encode(), compresslevel=6)
        cache.set(key, body, CACHE_SECONDS)
    return version, body


def build_map_data(language):
    """{"cities": [[label, lat, lng, country, slug]], "links": [[city index, city index, status]], ...}.

    A status is an index into "statuses"; a twinning's page is "twinningUrl" with both slugs.
    Cities without coordinates are left out, and so are their lines.
    """
    located = {"city_a__latitude__isnull": False, "city_a__longitude__isnull": False,
               "city_b__latitude__isnull": False, "city_b__longitude__isnull": False}
    twinnings = public_twinnings().with_status().filter(**located).order_by("pk")
    rows = list(twinnings.values_list("city_a_id", "city_b_id", "current_state"))
    city_ids = {pk for a, b, _state in rows for pk in (a, b)}

    primary_name = CityName.objects.filter(city=OuterRef("pk"), is_primary=True, language=language[:2])
    cities = (
        City.objects.filter(pk__in=city_ids)
        .annotate(label=Coalesce(Subquery(primary_name.values("name")[:1]), "name"))
        .order_by("pk")
        .values_list("pk", "label", "latitude", "longitude", "country", "slug")
    )
    index_of, city_rows, countries = {}, [], {}
    for pk, label, latitude, longitude, country, slug in cities:
        index_of[pk] = len(city_rows)
        city_rows.append([label, round(latitude, 4), round(longitude, 4), country, slug])
        countries.setdefault(country, None)
    links = [
        [index_of[a], index_of[b], STATUS_CODE[STATUS_OF_STATE[TwinningState(state)].value]] for a, b, state in rows
    ]
    return {
        "statuses": [status.value for status in STATUSES],
        "statusLabels": [str(status.label) for status in STATUSES],
        "countries": {code: str(Country(code).name) for code in countries},
        "cities": city_rows,
        "links": links,
        "cityUrl": reverse("cities:city_detail", kwargs={"slug": "SLUG"}),
        "twinningUrl": reverse("twinning:twinning_detail", kwargs={"slug_a": "SLUG_A", "slug_b": "SLUG_B"}),
    }
