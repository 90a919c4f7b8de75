"""Exports for spreadsheets, maps, network tools and calendars.

- CSV of any list endpoint: the list's serializer, flattened (nested objects become dotted
  columns, lists one "; "-joined cell), streamed in chunks so the number of queries grows with
  chunks, not rows; public answers are then kept in the cache until the data changes.
- GeoJSON (RFC 7946) of cities and of twinning lines, and the network as nodes and edges: built
  once per filter, language and state of the data, then served from the cache.
- iCalendar of upcoming anniversaries.
"""

import csv
import datetime
import gzip
import hashlib
import io
import json
from collections.abc import Iterator
from itertools import islice

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Max
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rest_framework import renderers, serializers

from twinning.models import STATUS_OF_STATE, TwinningState

CSV_CHUNK = 500
CSV_CACHE_BYTES = 64 * 1024 * 1024  # the whole network is about 15 MB
EXPORT_CACHE_SECONDS = 24 * 3600  # the key changes with the data, so this only bounds garbage
BOM = "\ufeff"  # lets Excel read UTF-8 (Cyrillic) without an import dialog


# ---------------------------------------------------------------- renderers
class CSVRenderer(renderers.BaseRenderer):
    """text/csv for `?format=csv`. Lists stream past it (see stream_csv); this renders the rest
    (a single record, a computed list) from already-serialized data."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        rows = data if isinstance(data, list) else data.get("results", [data]) if isinstance(data, dict) else [data]
        columns = []
        for row in rows:
            for column in _columns_of_data(row):
                if column not in columns:
                    columns.append(column)
        buffer = io.StringIO()
        buffer.write(BOM)
        writer = csv.writer(buffer)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([cell(value_at(row, column)) for column in columns])
        return buffer.getvalue().encode(self.charset)


class GeoJSONRenderer(renderers.JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class ICalendarRenderer(renderers.BaseRenderer):
    """text/calendar for `?format=ics`; the view builds the calendar bytes (anniversaries_calendar)."""

    media_type = "text/calendar"
    format = "ics"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


# ---------------------------------------------------------------- CSV
def csv_columns(serializer, prefix=""):
    """Column names of a serializer's flattened output: nested objects become "city_a.name"."""
    for name, field in serializer.fields.items():
        if isinstance(field, serializers.Serializer):
            yield from csv_columns(field, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}"


def _columns_of_data(row, prefix=""):
    for key, value in row.items():
        if isinstance(value, dict):
            yield from _columns_of_data(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}"


def value_at(row, column):
    value = row
    for key in column.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


_LABEL_KEYS = ("name", "full_name", "title", "description")


def cell(value):
    """One spreadsheet cell: lists joined with "; ", objects by their name or their text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(text for text in (cell(item) for item in value) if text)
    if isinstance(value, dict):
        for key in _LABEL_KEYS:
            if value.get(key):
                return str(value[key])
        parts = (cell(item) for key, item in value.items() if key not in ("id", "url", "web_url", "source"))
        return ", ".join(part for part in parts if part)
    return str(value)


def stream_csv(queryset, serializer_class, context, filename, *, cache_key=None):
    """Stream `queryset` as CSV through `serializer_class`, CSV_CHUNK rows at a time.

    With `cache_key`, a body already made is served from the cache, and a new one is kept there
    once streamed (up to CSV_CACHE_BYTES).
    """
    cached = cache.get(cache_key) if cache_key else None
    if cached is not None:
        response = HttpResponse(cached, content_type="text/csv; charset=utf-8")
    else:
        body = _csv_lines(queryset, serializer_class, context)
        response = StreamingHttpResponse(_kept(body, cache_key) if cache_key else body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _kept(chunks, cache_key):
    kept, size = [], 0
    for chunk in chunks:
        size += len(chunk)
        if size <= CSV_CACHE_BYTES:
            kept.append(chunk)
        yield chunk
    if size <= CSV_CACHE_BYTES:
        cache.set(cache_key, b"".join(kept), EXPORT_CACHE_SECONDS)


def _csv_lines(queryset, serializer_class, context):
    columns = list(csv_columns(serializer_class(context=context)))
    language = translation.get_language()

    def lines():
        # The body is produced after the view returned: keep the request's language.
        with translation.override(language):
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            buffer.write(BOM)
            writer.writerow(columns)
            yield _drain(buffer)
            rows = queryset.iterator(chunk_size=CSV_CHUNK)
            while chunk := list(islice(rows, CSV_CHUNK)):
                for item in serializer_class(chunk, many=True, context=context).data:
                    writer.writerow([cell(value_at(item, column)) for column in columns])
                yield _drain(buffer)

    return lines()


def _drain(buffer):
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode("utf-8")


# ---------------------------------------------------------------- cached JSON exports
def data_stamp():
    """Changes whenever any record is added, edited or deleted: the newest change history entry
    (twinning.changes.data_as_of), plus the number of cities and twinnings for bulk writes
    that bypass the history."""
    from cities.models import City
    from twinning.changes import data_as_of
    from twinning.models import Twinning

    return json.dumps([data_as_of(), City.objects.count(), Twinning.objects.count()], cls=DjangoJSONEncoder)


def export_cache_key(request, name):
    """A cache key for `name` answered to `request`: the query (bar `format`), the language and
    the state of the data."""
    query = sorted((key, value) for key, value in request.query_params.lists() if key != "format")
    raw_key = json.dumps([name, translation.get_language(), query, data_stamp()], cls=DjangoJSONEncoder)
    return "api-export:" + hashlib.sha256(raw_key.encode()).hexdigest()


def cached_json(request, name, build, *, content_type="application/json"):
    """Serve `build()` as JSON, from the cache while the data and the query are unchanged."""
    key = export_cache_key(request, name)
    compressed = cache.get(key)
    if compressed is None:
        body = _json_bytes(build())
        # Kept compressed: a 10 MB map pickled into the database cache cost a worker ~80 MB.
        cache.set(key, gzip.compress(body, compresslevel=6, mtime=0), EXPORT_CACHE_SECONDS)
    else:
        body = gzip.decompress(compressed)
    return HttpResponse(body, content_type=f"{content_type}; charset=utf-8")


def _dumps(value):
    return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))


def _json_bytes(value):
    """`value` as compact JSON bytes. When its "features" is an iterator (a FeatureCollection being
    built), the features are encoded one at a time: the same bytes, a fraction of the memory."""
    features = value.get("features") if isinstance(value, dict) else None
    if not isinstance(features, Iterator):
        return _dumps(value).encode()
    rest = _dumps({key: item for key, item in value.items() if key != "features"})
    parts = [rest[:-1].encode(), b"," if len(rest) > 2 else b"", b'"features":[']
    for index, feature in enumerate(features):
        parts += [b"," if index else b"", _dumps(feature).encode()]
    parts.append(b"]}")
    return b"".join(parts)


class _Links:
    """Absolute addresses for many rows: each view is reversed once with placeholders and then
    filled in (reverse() per row costs seconds on 26,000 twinnings)."""

    _MARK = "zzplaceholder{}zz"

    def __init__(self, request):
        self.request, self.templates = request, {}

    def __call__(self, view_name, *args):
        if view_name not in self.templates:
            marks = [self._MARK.format(number) for number in range(len(args))]
            url = self.request.build_absolute_uri(reverse(view_name, args=marks))
            for mark in marks:
                url = url.replace(mark, "\0")
            self.templates[view_name] = url.split("\0")
        first, *rest = self.templates[view_name]
        pieces = [first]
        for arg, part in zip(args, rest):
            pieces += [str(arg), part]
        return "".join(pieces)


def display_names(city_ids=None):
    """{city id: name} in the active language for many cities in one query: the rule of
    City.display_name() (the primary name in the language, else `name`), in bulk."""
    from cities.models import CityName

    language = (translation.get_language() or "ru")[:2]
    names = CityName.objects.filter(is_primary=True, language=language)
    if city_ids is not None:
        names = names.filter(city_id__in=city_ids)
    return dict(names.values_list("city_id", "name"))


class _CountryNames(dict):
    """Country names in the active language, looked up once per code."""

    def __missing__(self, code):
        from django_countries import countries

        self[code] = name = str(countries.name(code))
        return name


def _iso(partial_date):
    return partial_date.isoformat() if partial_date else None


def _rows(queryset, *fields):
    # Plain rows, no model instances or prefetching: a map of 26,000 lines stays a few seconds.
    return queryset.prefetch_related(None).values_list(*fields).iterator(chunk_size=5000)


def city_features(request, cities):
    """GeoJSON FeatureCollection of Point features for `cities` (annotated `partners_count`)."""
    links, names, country_names = _Links(request), display_names(), _CountryNames()
    features = []
    rows = _rows(cities, "pk", "slug", "name", "country", "latitude", "longitude", "partners_count")
    for pk, slug, local_name, country, latitude, longitude, partners_count in rows:
        if latitude is None or longitude is None:
            continue
        features.append(
            {
                "type": "Feature",
                "id": pk,
                "geometry": {"type": "Point", "coordinates": [longitude, latitude]},
                "properties": {
                    "id": pk,
                    "slug": slug,
                    "name": names.get(pk, local_name),
                    "country": country,
                    "country_name": country_names[country],
                    "partners_count": partners_count,
                    "url": links("api:city-detail", pk),
                    "web_url": links("cities:city_detail", slug),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def line_between(a, b):
    """A LineString from a to b ([lon, lat]); split in two at the antimeridian when the short
    way crosses it (RFC 7946, 3.1.9), so Vladivostok–Anchorage does not span the globe."""
    (x1, y1), (x2, y2) = a, b
    if abs(x2 - x1) <= 180:
        return {"type": "LineString", "coordinates": [a, b]}
    edge = 180.0 if x1 > 0 else -180.0
    x2_shifted = x2 + 360 if x1 > 0 else x2 - 360
    y = y1 + (edge - x1) / (x2_shifted - x1) * (y2 - y1)
    return {"type": "MultiLineString", "coordinates": [[a, [edge, y]], [[-edge, y], b]]}


_TWINNING_FIELDS = (
    "pk", "kind", "established_on", "current_state",
    "city_a_id", "city_a__slug", "city_a__name", "city_a__country", "city_a__latitude", "city_a__longitude",
    "city_b_id", "city_b__slug", "city_b__name", "city_b__country", "city_b__latitude", "city_b__longitude",
)


def _twinning_rows(twinnings):
    """(twinning, city_a, city_b) dicts of `twinnings` (annotated by with_status())."""
    for row in _rows(twinnings, *_TWINNING_FIELDS):
        pk, kind, established_on, state = row[:4]
        yield (
            {"id": pk, "kind": kind, "established_on": _iso(established_on), "status": STATUS_OF_STATE[TwinningState(state)]},
            dict(zip(("id", "slug", "name", "country", "latitude", "longitude"), row[4:10])),
            dict(zip(("id", "slug", "name", "country", "latitude", "longitude"), row[10:16])),
        )


def twinning_features(request, twinnings):
    """GeoJSON FeatureCollection of lines between twinned cities (`twinnings` with_status())."""
    links, names = _Links(request), display_names()
    # Yielded one by one and encoded as they come (_json_bytes): 26,000 features never sit
    # in memory as Python objects at once.
    def features():
        for twinning, city_a, city_b in _twinning_rows(twinnings):
            ends = [[city["longitude"], city["latitude"]] for city in (city_a, city_b)]
            if None in ends[0] or None in ends[1]:
                continue
            yield (
                {
                    "type": "Feature",
                    "id": twinning["id"],
                    "geometry": line_between(*ends),
                    "properties": {
                        **twinning,
                        **{
                            f"{side}{suffix}": value
                            for side, city in (("city_a", city_a), ("city_b", city_b))
                            for suffix, value in (
                                ("", names.get(city["id"], city["name"])),
                                ("_id", city["id"]),
                                ("_country", city["country"]),
                            )
                        },
                        "url": links("api:twinning-detail", twinning["id"]),
                        "web_url": links("twinning:twinning_detail", city_a["slug"], city_b["slug"]),
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features()}


def network_graph(request, twinnings):
    """The twinnings as a graph: cities are nodes, twinnings edges (`twinnings` with_status())."""
    links, names = _Links(request), display_names()
    nodes, edges = {}, []
    for twinning, city_a, city_b in _twinning_rows(twinnings):
        for city in (city_a, city_b):
            node = nodes.get(city["id"])
            if node is None:
                node = nodes[city["id"]] = {
                    **city,
                    "name": names.get(city["id"], city["name"]),
                    "degree": 0,
                    "url": links("api:city-detail", city["id"]),
                }
            node["degree"] += 1
        edges.append(
            {**twinning, "source": city_a["id"], "target": city_b["id"], "url": links("api:twinning-detail", twinning["id"])}
        )
    return {"nodes": sorted(nodes.values(), key=lambda node: node["id"]), "edges": edges}


# ---------------------------------------------------------------- iCalendar
def anniversary_title(anniversary):
    from twinning.anniversaries import TWINNING

    record = anniversary.record
    if anniversary.kind == TWINNING:
        return _("%(years)d years of twinning: %(city_a)s — %(city_b)s") % {
            "years": anniversary.years,
            "city_a": record.city_a.display_name(),
            "city_b": record.city_b.display_name(),
        }
    return _("%(years)d years since the agreement “%(title)s” was signed") % {
        "years": anniversary.years,
        "title": record.title,
    }


def anniversaries_calendar(request, anniversaries, *, name):
    """An iCalendar (RFC 5545) with one all-day event per anniversary."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//Twinning Registry//Anniversaries//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    host = request.get_host().split(":")[0]
    stamp = timezone.now().replace(microsecond=0)
    for anniversary in anniversaries:
        event = Event()
        # Stable across fetches, so a subscribed calendar updates events instead of duplicating them.
        event.add("uid", f"{anniversary.kind}-{anniversary.record.pk}-{anniversary.years}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", anniversary.date)
        event.add("dtend", anniversary.date + datetime.timedelta(days=1))
        event.add("summary", anniversary_title(anniversary))
        event.add("description", _("Since %(date)s.") % {"date": anniversary.original_date.display()})
        event.add("url", request.build_absolute_uri(anniversary.get_absolute_url()))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
