"""API endpoints of the lifecycle features: the change feed, expiring agreements, statistics
and the Wikidata P190 export. Registered in twinning/lifecycle_urls.py under /api/v1/."""

import csv
import datetime
import io

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework import renderers, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework.views import APIView

from twinning import changes, lifecycle, statistics, wikidata


SINCE_HELP = _("Enter an ISO 8601 timestamp such as 2025-06-15T10:00:00Z.")


def parse_since(raw):
    """An ISO 8601 timestamp or date; without an offset it is read as UTC. 400 when malformed."""
    try:
        value = parse_datetime(raw)
        if value is None and (day := parse_date(raw)):
            value = datetime.datetime.combine(day, datetime.time())
    except ValueError:  # well-formed but impossible, such as month 13
        value = None
    if value is None:
        raise ValidationError({"since": [SINCE_HELP]})
    if timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value


def parse_types(raw):
    types = [item.strip() for item in raw.split(",") if item.strip()]
    unknown = sorted(set(types) - set(changes.FEED_TYPES))
    if unknown:
        raise ValidationError(
            {"type": [_("Unknown type %(types)s; choose from %(choices)s.") % {
                "types": ", ".join(unknown), "choices": ", ".join(changes.FEED_TYPES)}]}
        )
    return tuple(types) or changes.FEED_TYPES


class ChangeSerializer(serializers.Serializer):
    """One published creation, change or deletion."""

    entry = serializers.SerializerMethodField(help_text=_("Stable id of this entry: type:history id."))
    at = serializers.DateTimeField(source="history_date", help_text=_("When the change was saved."))
    action = serializers.ChoiceField(choices=changes.ACTIONS)
    type = serializers.ChoiceField(source="record_type", choices=changes.FEED_TYPES)
    id = serializers.IntegerField(source="record_id", help_text=_("Id of the record (of the status change for status_change)."))
    twinning = serializers.IntegerField(source="twinning_pk", allow_null=True, help_text=_("The twinning concerned, if any."))
    title = serializers.CharField(source="label", allow_null=True)
    url = serializers.SerializerMethodField(help_text=_("The public page; answers 404 once the record is deleted."))

    def get_entry(self, row) -> str:
        return f"{row['record_type']}:{row['history_id']}"

    def get_url(self, row) -> str | None:
        path = changes.public_url(row)
        return self.context["request"].build_absolute_uri(path) if path else None


DEFAULT_LIMIT, MAX_LIMIT = 100, 1000


def parse_after(raw):
    """An entry id "type:history id" from a previous answer."""
    record_type, _sep, number = raw.partition(":")
    if record_type not in changes.FEED_TYPES or not number.isdigit():
        raise ValidationError({"after": [_("Enter the \"entry\" of a change, such as twinning:1234.")]})
    return record_type, int(number)


def parse_limit(raw):
    if raw in (None, ""):
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ValidationError({"limit": [_("Enter a whole number from 1 to %(max)d.") % {"max": MAX_LIMIT}]})
    return int(raw)


class ChangeListView(APIView):
    """Published creations, changes and deletions, oldest first.

    `since` (ISO 8601; UTC when no offset is given) keeps the changes saved strictly after it.
    `after` (the `entry` of a change, with the `since` of its `at`) continues exactly after that
    change, even among changes saved in the same microsecond. `next` carries both for the last
    change returned: follow it while `more` is true, and keep it to poll later. `type` narrows
    to record types (comma-separated); `limit` is 1–1000 (100). Drafts never appear;
    unpublishing a record is listed as its deletion.
    """

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter("since", OpenApiTypes.DATETIME, description="Changes saved strictly after this moment."),
            OpenApiParameter("after", str, description="The entry of the last change you have (with its since)."),
            OpenApiParameter("type", str, description="Record types, comma-separated: " + ", ".join(changes.FEED_TYPES)),
            OpenApiParameter("limit", int, description=f"1 to {MAX_LIMIT} ({DEFAULT_LIMIT})."),
        ],
        responses=inline_serializer(
            "ChangePage",
            {
                "more": serializers.BooleanField(help_text=_("More changes follow: fetch next.")),
                "next": serializers.URLField(help_text=_("Continue after the last change here; keep it to poll later.")),
                "results": ChangeSerializer(many=True),
            },
        ),
    )
    def get(self, request):
        params = request.query_params
        since = parse_since(params["since"]) if params.get("since") else None
        after = parse_after(params["after"]) if params.get("after") else (None, None)
        if after[0] and since is None:
            raise ValidationError({"after": [_("Give since together with after.")]})
        limit = parse_limit(params.get("limit"))
        types = parse_types(params.get("type", ""))
        rows = list(changes.changes(cursor=(since, *after), types=types, limit=limit + 1))
        results = ChangeSerializer(rows[:limit], many=True, context={"request": request}).data
        return Response({"more": len(rows) > limit, "next": self._next_url(request, results), "results": results})

    def _next_url(self, request, results):
        query = request.query_params.copy()
        if results:
            query["since"], query["after"] = results[-1]["at"], results[-1]["entry"]
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


class ExpiringAgreementSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.HyperlinkedIdentityField(view_name="api:agreement-detail")
    web_url = serializers.SerializerMethodField()
    title = serializers.CharField()
    kind = serializers.CharField()
    publication = serializers.CharField()
    parties = serializers.SerializerMethodField()
    signed_on = serializers.CharField()
    term_years = serializers.IntegerField()
    expires_on = serializers.DateField()
    days_left = serializers.SerializerMethodField()

    def get_web_url(self, agreement) -> str | None:
        if not agreement.is_published():
            return None
        return self.context["request"].build_absolute_uri(agreement.get_absolute_url())

    def get_parties(self, agreement) -> list[str]:
        return [str(party) for party in agreement.parties.all()]

    def get_days_left(self, agreement) -> int:
        return (agreement.expires_on - self.context["today"]).days


def parse_days(raw):
    if raw in (None, ""):
        return lifecycle.EXPIRING_WITHIN_DAYS
    if not raw.isdigit() or not 1 <= int(raw) <= 3660:
        raise ValidationError({"days": [_("Enter a whole number of days from 1 to 3660.")]})
    return int(raw)


class ExpiringAgreementListView(APIView):
    """Agreements with a fixed term that expire within `days` days (90 unless given), soonest first.

    A press officer (or registry editor) signed in sees the agreements their offices edit,
    drafts included; everybody else sees the published ones. The expiry is the signing day
    plus `term_years`; agreements signed on a year or a month only have none.
    """

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("days", int, description="1 to 3660 (90).")],
        responses=ExpiringAgreementSerializer(many=True),
    )
    def get(self, request):
        today = timezone.localdate()
        agreements = lifecycle.expiring_within(
            lifecycle.agreements_watched_by(request.user), parse_days(request.query_params.get("days")), today=today
        ).prefetch_related("parties__city__names", "parties__organisation")
        serializer = ExpiringAgreementSerializer(agreements, many=True, context={"request": request, "today": today})
        return Response(serializer.data)


class StatisticsView(APIView):
    """Counts of published twinnings by country, kind, status and year (the statistics page's numbers)."""

    permission_classes = [AllowAny]

    @extend_schema(responses=OpenApiTypes.OBJECT)  # a plain dict of counts (see twinning/statistics.py)
    def get(self, request):
        return Response(statistics.registry_statistics())


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not isinstance(data, list):  # an error body
            return renderers.JSONRenderer().render(data)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=wikidata.CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(wikidata.csv_rows(data))
        return out.getvalue().encode(self.charset)


class QuickStatementsRenderer(renderers.BaseRenderer):
    media_type = "text/plain"
    format = "quickstatements"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if not isinstance(data, list):
            return renderers.JSONRenderer().render(data)
        # An empty batch is one empty line: DRF would drop the Content-Type of an empty body.
        return (wikidata.quickstatements(data) or "\n").encode(self.charset)


class _WikidataTimeSerializer(serializers.Serializer):
    value = serializers.CharField(help_text=_("Wikidata time value, e.g. +1998-05-00T00:00:00Z."))
    precision = serializers.IntegerField(help_text=_("9 year, 10 month, 11 day."))


class _WikidataCitySerializer(serializers.Serializer):
    qid = serializers.CharField()
    name = serializers.CharField()


class P190StatementSerializer(serializers.Serializer):
    """The shape of one statement (for the schema; the view returns the dicts of twinning/wikidata.py)."""

    twinning = serializers.IntegerField()
    city = _WikidataCitySerializer()
    partner = _WikidataCitySerializer()
    status = serializers.CharField()
    start_time = _WikidataTimeSerializer(allow_null=True, help_text=_("P580"))
    end_time = _WikidataTimeSerializer(allow_null=True, help_text=_("P582"))
    reference_url = serializers.URLField(help_text=_("S854"))
    registry_url = serializers.URLField()


class WikidataP190View(APIView):
    """Published twinnings as Wikidata P190 statements (both cities need a QID).

    `?format=json` (default), `csv`, or `quickstatements` (tab-separated lines for the
    QuickStatements tool, one per direction of the pair, with start time, end time and
    reference URL).
    """

    permission_classes = [AllowAny]
    renderer_classes = [renderers.JSONRenderer, CSVRenderer, QuickStatementsRenderer]

    @extend_schema(responses=P190StatementSerializer(many=True))
    def get(self, request):
        statements = wikidata.p190_statements(
            wikidata.p190_twinnings(), page_url=lambda twinning: request.build_absolute_uri(twinning.get_absolute_url())
        )
        response = Response(statements)
        if request.accepted_renderer.format != "json":
            extension = "csv" if request.accepted_renderer.format == "csv" else "txt"
            response["Content-Disposition"] = f'attachment; filename="wikidata-p190.{extension}"'
        return response
