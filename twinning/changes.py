"""The public change feed, read from the simple-history tables.

Every save of a record leaves a historical row. Read in time order across the record types,
those rows tell a mirror or a journalist what changed, with the public's eyes:

- *created*: a record saved as published, or a draft published for the first time (or again);
- *changed*: a published record saved again while staying published;
- *deleted*: a published record deleted, or unpublished (back to draft).

Drafts never appear. A status change (the lifecycle step of a twinning) has no publication
of its own: it is listed while its twinning is published.

`data_as_of()` is the moment of the latest change of any kind; the API sends it with every
response in the `X-Data-As-Of` header.
"""

import datetime

from django.db import connections, models, router
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Concat
from django.urls import reverse

from twinning.records import Publication

CREATED, CHANGED, DELETED = "created", "changed", "deleted"
ACTIONS = (CREATED, CHANGED, DELETED)


def _feed_models():
    """(type name, model, title expression, slug paths) of every record type in the feed."""
    from cities.models import City, Organisation, Person
    from events.models import Delegation, JointEvent
    from twinning.models import Agreement, Twinning

    return [
        ("city", City, F("name"), ("slug", None)),
        ("organisation", Organisation, F("name"), ("slug", None)),
        ("person", Person, F("full_name"), ("slug", None)),
        ("twinning", Twinning, Concat("city_a__name", Value(" — "), "city_b__name"), ("city_a__slug", "city_b__slug")),
        ("agreement", Agreement, F("title"), (None, None)),
        ("delegation", Delegation, Concat("from_city__name", Value(" → "), "to_city__name"), (None, None)),
        ("event", JointEvent, F("title"), (None, None)),
    ]


FEED_TYPES = ("city", "organisation", "person", "twinning", "agreement", "delegation", "event", "status_change")


def _null(field):
    # A bare NULL would be typed text in the first SELECT of the UNION and clash with bigint.
    return Cast(Value(None), field)


def _slug(path):
    return F(path) if path else _null(models.CharField())


def _record_changes(type_name, model, title, slug_paths):
    history = model.history.model
    previous = history.objects.filter(id=OuterRef("id"), history_date__lt=OuterRef("history_date")).order_by(
        "-history_date", "-history_id"
    )
    published = Q(publication=Publication.PUBLISHED)
    was_published = Q(previous_publication=Publication.PUBLISHED)
    action = Case(
        When(published & Q(history_type="+"), then=Value(CREATED)),
        When(published & Q(history_type="~") & was_published, then=Value(CHANGED)),
        When(published & Q(history_type="~"), then=Value(CREATED)),
        When(published & Q(history_type="-"), then=Value(DELETED)),
        When(Q(history_type="~") & was_published, then=Value(DELETED)),
        default=None,
        output_field=models.CharField(),
    )
    return (
        history.objects.annotate(previous_publication=Subquery(previous.values("publication")[:1]))
        .annotate(
            action=action,
            record_type=Value(type_name, output_field=models.CharField()),
            record_id=F("id"),
            twinning_pk=F("id") if type_name == "twinning" else _null(models.BigIntegerField()),
            label=title,
            slug_a=_slug(slug_paths[0]),
            slug_b=_slug(slug_paths[1]),
        )
        .filter(action__isnull=False)
    )


def _status_changes():
    from twinning.models import StatusChange

    history = StatusChange.history.model
    action = Case(
        When(history_type="+", then=Value(CREATED)),
        When(history_type="~", then=Value(CHANGED)),
        default=Value(DELETED),
        output_field=models.CharField(),
    )
    return history.objects.filter(twinning__publication=Publication.PUBLISHED).annotate(
        action=action,
        record_type=Value("status_change", output_field=models.CharField()),
        record_id=F("id"),
        twinning_pk=F("twinning_id"),
        label=Concat("twinning__city_a__name", Value(" — "), "twinning__city_b__name", Value(": "), "state"),
        slug_a=F("twinning__city_a__slug"),
        slug_b=F("twinning__city_b__slug"),
    )


COLUMNS = ("history_date", "record_type", "history_id", "action", "record_id", "twinning_pk", "label", "slug_a", "slug_b")


def _after(part_type, cursor, newest_first):
    """Q: the rows of one part (all of record type `part_type`) beyond `cursor` in feed order.

    The feed is ordered by (history_date, record_type, history_id); within a part the type is
    fixed, so the comparison with the cursor's type is made here in Python.
    """
    since, after_type, after_id = cursor
    beyond = "lt" if newest_first else "gt"
    strictly = Q(**{f"history_date__{beyond}": since})
    if after_type is None:
        return strictly
    if part_type == after_type:
        return strictly | Q(history_date=since, **{f"history_id__{beyond}": after_id})
    part_comes_after = (part_type > after_type) != newest_first
    return Q(**{f"history_date__{beyond}e": since}) if part_comes_after else strictly


def changes(*, cursor=None, types=FEED_TYPES, limit=None, newest_first=False):
    """Published creations, changes and deletions in feed order, as dicts with the keys in COLUMNS.

    `cursor` is (timestamp, record type or None, history id or None): only the changes after it
    (before it when `newest_first`). One UNION ALL query over the history tables; with `limit`
    each part is cut to `limit` rows through its history_date index first, so a page costs the
    same however long the history is.
    """
    parts = [(spec[0], _record_changes(*spec)) for spec in _feed_models() if spec[0] in types]
    if "status_change" in types:
        parts.append(("status_change", _status_changes()))
    if cursor is not None and cursor[0] is not None:
        parts = [(name, part.filter(_after(name, cursor, newest_first))) for name, part in parts]
    direction = "-" if newest_first else ""
    # Within a part the record type is constant: order by date and id, and cut early.
    parts = [part.values(*COLUMNS).order_by(f"{direction}history_date", f"{direction}history_id") for _, part in parts]
    if limit is not None:
        parts = [part[:limit] for part in parts]
    order = [f"{direction}history_date", f"{direction}record_type", f"{direction}history_id"]
    feed = parts[0].union(*parts[1:], all=True).order_by(*order)
    return feed[:limit] if limit is not None else feed


def public_url(row):
    """The public page of a feed row (a deleted record's page answers 404), without queries."""
    kind = row["record_type"]
    if kind in ("twinning", "status_change"):
        if not (row["slug_a"] and row["slug_b"]):
            return None
        return reverse("twinning:twinning_detail", kwargs={"slug_a": row["slug_a"], "slug_b": row["slug_b"]})
    names = {
        "city": ("cities:city_detail", "slug"),
        "organisation": ("cities:organisation_detail", "slug"),
        "person": ("cities:person_detail", "slug"),
        "agreement": ("twinning:agreement_detail", "pk"),
        "delegation": ("events:delegation_detail", "pk"),
        "event": ("events:event_detail", "pk"),
    }
    name, kwarg = names[kind]
    value = row["record_id"] if kwarg == "pk" else row["slug_a"]
    return reverse(name, kwargs={kwarg: value}) if value else None


# ---------------------------------------------------------------- data as of


def _history_tables():
    from twinning.models import StatusChange

    return [model.history.model for _name, model, _title, _slugs in _feed_models()] + [StatusChange.history.model]


def data_as_of():
    """The time of the latest saved change in the registry, or None for an empty registry.

    One query: the newest row of each history table through its history_date index. Not cached:
    a read from the shared database cache would cost the same round trip.
    """
    tables = _history_tables()
    database = router.db_for_read(tables[0])
    connection = connections[database]
    quote = connection.ops.quote_name
    maxima = ", ".join(f"(SELECT MAX(history_date) FROM {quote(model._meta.db_table)})" for model in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT GREATEST({maxima})")
        (latest,) = cursor.fetchone()
    return latest


class DataAsOfMiddleware:
    """Adds `X-Data-As-Of` (ISO 8601, UTC) to every successful API response."""

    header = "X-Data-As-Of"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/") and response.status_code < 400:
            latest = data_as_of()
            if latest is not None:
                response[self.header] = latest.astimezone(datetime.timezone.utc).isoformat()
        return response
