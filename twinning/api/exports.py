"""Exports for spreadsheets, maps, network tools and calendars.

- CSV of any list endpoint: the list's serializer, flattened (nested objects become dotted
  columns, lists one "; "-joined cell), streamed in chunks so 26,000 twinnings never sit in
  memory and the number of queries grows with chunks, not rows.
- GeoJSON (RFC 7946) of cities and of twinning lines, and the network as nodes and edges: built
  once per filter, language and state of the data, then served from the cache.
- iCalendar of upcoming anniversaries.
"""

import csv
import datetime
import hashlib
import io
import json
from itertools import islice

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Max
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from rest_framework import renderers, serializers

CSV_CHUNK = 500
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


def stream_csv(queryset, serializer_class, context, filename):
    """Stream `queryset` as CSV through `serializer_class`, CSV_CHUNK rows at a time."""
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

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _drain(buffer):
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode("utf-8")


# ---------------------------------------------------------------- cached JSON exports
def data_stamp():
    """Changes whenever a city, a twinning or a status change is added, edited or deleted."""
    from cities.models import City
    from twinning.models import StatusChange, Twinning

    parts = [
        City.objects.aggregate(changed=Max("updated_at"), count=Count("id")),
        Twinning.objects.aggregate(changed=Max("updated_at"), count=Count("id")),
        StatusChange.objects.aggregate(changed=Max("id"), count=Count("id")),
    ]
    return json.dumps(parts, cls=DjangoJSONEncoder)


def cached_json(request, name, build, *, content_type="application/json"):
    """Serve `build()` as JSON, from the cache while the data and the query are unchanged."""
    query = sorted((key, value) for key, value in request.query_params.lists() if key != "format")
    raw_key = json.dumps([name, translation.get_language(), query, data_stamp()], cls=DjangoJSONEncoder)
    key = "api-export:" + hashlib.sha256(raw_key.encode()).hexdigest()
    body = cache.get(key)
    if body is None:
        body = json.dumps(build(), cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).encode()
        cache.set(key, body, EXPORT_CACHE_SECONDS)
    return HttpResponse(body, content_type=f"{content_type}; charset=utf-8")


def _iso(partial_date):
    return partial_date.isoformat() if partial_date else None


def _absolute(request, path):
    return request.build_absolute_uri(path)


def _chunks(queryset, size=2000):
    rows = queryset.iterator(chunk_size=size)
    while chunk := list(islice(rows, size)):
        yield from chunk


def city_point(city):
    return {"type": "Point", "coordinates": [city.longitude, city.latitude]}


def has_coordinates(city):
    return city.latitude is not None and city.longitude is not None


def city_features(request, cities):
    """GeoJSON FeatureCollection of `cities` (reads `names` and `partners_count`)."""
    features = []
    for city in _chunks(cities):
        if not has_coordinates(city):
            continue
        features.append(
            {
                "type": "Feature",
                "id": city.pk,
                "geometry": city_point(city),
                "properties": {
                    "id": city.pk,
                    "slug": city.slug,
                    "name": city.display_name(),
                    "country": city.country.code,
                    "country_name": str(city.country.name),
                    "partners_count": getattr(city, "partners_count", None),
                    "url": _absolute(request, reverse("api:city-detail", args=[city.pk])),
                    "web_url": _absolute(request, city.get_absolute_url()),
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


def twinning_features(request, twinnings):
    """GeoJSON FeatureCollection of lines between twinned cities (reads both cities' names)."""
    features = []
    for twinning in _chunks(twinnings):
        city_a, city_b = twinning.city_a, twinning.city_b
        if not (has_coordinates(city_a) and has_coordinates(city_b)):
            continue
        features.append(
            {
                "type": "Feature",
                "id": twinning.pk,
                "geometry": line_between([city_a.longitude, city_a.latitude], [city_b.longitude, city_b.latitude]),
                "properties": {
                    "id": twinning.pk,
                    "kind": twinning.kind,
                    "established_on": _iso(twinning.established_on),
                    "status": twinning.status,
                    "city_a": city_a.display_name(),
                    "city_a_id": city_a.pk,
                    "city_a_country": city_a.country.code,
                    "city_b": city_b.display_name(),
                    "city_b_id": city_b.pk,
                    "city_b_country": city_b.country.code,
                    "url": _absolute(request, reverse("api:twinning-detail", args=[twinning.pk])),
                    "web_url": _absolute(request, twinning.get_absolute_url()),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def network_graph(request, twinnings):
    """The twinnings as a graph: cities are nodes, twinnings edges (reads both cities' names)."""
    nodes, edges = {}, []
    for twinning in _chunks(twinnings):
        for city in twinning.cities:
            node = nodes.get(city.pk)
            if node is None:
                node = nodes[city.pk] = {
                    "id": city.pk,
                    "slug": city.slug,
                    "name": city.display_name(),
                    "country": city.country.code,
                    "latitude": city.latitude,
                    "longitude": city.longitude,
                    "degree": 0,
                    "url": _absolute(request, reverse("api:city-detail", args=[city.pk])),
                }
            node["degree"] += 1
        edges.append(
            {
                "id": twinning.pk,
                "source": twinning.city_a_id,
                "target": twinning.city_b_id,
                "kind": twinning.kind,
                "established_on": _iso(twinning.established_on),
                "status": twinning.status,
                "url": _absolute(request, reverse("api:twinning-detail", args=[twinning.pk])),
            }
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
        event.add("url", _absolute(request, anniversary.get_absolute_url()))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
