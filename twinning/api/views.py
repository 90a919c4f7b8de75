from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view, inline_serializer
from rest_framework import generics, serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.authtoken.models import Token
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from cities.public import public_cities, public_organisations, public_persons
from events.public import public_delegations, public_events
from twinning.anniversaries import AGREEMENT, TWINNING, upcoming_anniversaries
from twinning.api.errors import LockedOut
from twinning.api.exports import (
    CSVRenderer,
    GeoJSONRenderer,
    ICalendarRenderer,
    anniversaries_calendar,
    cached_json,
    network_graph,
    twinning_features,
)
from twinning.api.filtering import CityReferenceField, NO_MATCH
from twinning.api.filters import AgreementFilter, SourceFilter, TwinningFilter
from twinning.api.pagination import RegistryPagination
from twinning.api.schema import FEATURE_COLLECTION_SCHEMA, GRAPH_SCHEMA
from twinning.api.serializers import (
    AgreementSerializer,
    AgreementStaffSerializer,
    AnniversarySerializer,
    SourceSerializer,
    SourceStaffSerializer,
    TwinningSerializer,
    TwinningStaffSerializer,
)
from twinning.api.throttling import AnonymousThrottle
from twinning.api.viewsets import FORMAT_PARAMETER, LinksWithoutFormatMixin, PublicRecordViewSet
from twinning.api.writing import Children, PublishMixin, RecordWriteMixin
from twinning.models import Agreement, Source, StatusChange, Twinning
from twinning.public import agreements_for_display, public_agreements, public_twinnings
from twinning.validators import party_city_ids, validate_agreement_parties, validate_twinning


@extend_schema_view(
    list=extend_schema(
        summary=_("Twinnings"),
        description=_(
            "Published twinnings of two published cities, each with both cities' names, countries and "
            "coordinates and its derived status. `country=RU&partner_country=CN` lists the twinnings "
            "between Russian and Chinese cities, in either order; `city=azov&format=csv` all of Azov's "
            "as a spreadsheet."
        ),
        parameters=[FORMAT_PARAMETER],
        examples=[
            OpenApiExample(
                "Azov and Courbevoie",
                response_only=True,
                value={
                    "count": 1,
                    "next": None,
                    "previous": None,
                    "results": [
                        {
                            "id": 1,
                            "url": "https://registry.example/api/v1/twinnings/1/",
                            "city_a": {"id": 1, "slug": "azov", "name": "Азов", "country": "RU",
                                       "country_name": "Россия", "latitude": 47.1069, "longitude": 39.4149},
                            "city_b": {"id": 2, "slug": "courbevoie", "name": "Курбевуа", "country": "FR",
                                       "country_name": "Франция", "latitude": 48.8967, "longitude": 2.2567},
                            "kind": "twin_city",
                            "established_on": "2018-10-24",
                            "status": "active",
                        }
                    ],
                },
            )
        ],
    ),
    retrieve=extend_schema(summary=_("A twinning")),
)
class TwinningViewSet(PublishMixin, RecordWriteMixin, PublicRecordViewSet):
    queryset = Twinning.objects.none()
    serializer_class = TwinningSerializer
    staff_serializer_class = TwinningStaffSerializer
    children = {"status_changes": Children("status_changes", "twinning")}
    filterset_class = TwinningFilter
    ordering_fields = ["established_on", "relations_since", "kind", "id"]
    ordering = ["-established_on"]
    csv_filename = "twinnings.csv"

    def get_queryset(self):
        return (
            self.visible(public_twinnings())
            .with_status()
            .with_cities()
            .prefetch_related(
                Prefetch("status_changes", queryset=StatusChange.objects.order_by("date", "id")), "sources"
            )
        )

    def _full_clean(self, instance):
        # First on its own, so a duplicate pair keeps its type (DuplicateTwinning, answered with
        # a link to the existing twinning) instead of merging into full_clean()'s error dict.
        validate_twinning(instance)
        super()._full_clean(instance)

    def _lines(self):
        """The filtered public twinnings for the map and graph exports (cached for everyone, so
        never a writer's drafts)."""
        return self.filter_queryset(public_twinnings().with_status())

    @extend_schema(
        summary=_("Twinnings as GeoJSON lines"),
        description=_(
            "The whole network (or the filtered part of it) as a GeoJSON FeatureCollection: one "
            "LineString per twinning from city_a to city_b (a MultiLineString when the short way "
            "crosses the antimeridian). Same filters as the twinning list."
        ),
        responses={200: OpenApiResponse(response=FEATURE_COLLECTION_SCHEMA)},
    )
    @action(detail=False, renderer_classes=[GeoJSONRenderer, JSONRenderer], pagination_class=None)
    def geojson(self, request, *args, **kwargs):
        twinnings = self._lines()
        return cached_json(
            request, "twinnings.geojson", lambda: twinning_features(request, twinnings),
            content_type=request.accepted_media_type,
        )

    @extend_schema(
        summary=_("The twinning network as a graph"),
        description=_(
            "Nodes (cities, with their degree) and edges (twinnings) for network tools such as Gephi "
            "or networkx. Same filters as the twinning list."
        ),
        responses={200: OpenApiResponse(response=GRAPH_SCHEMA)},
    )
    @action(detail=False, renderer_classes=[JSONRenderer], pagination_class=None)
    def graph(self, request, *args, **kwargs):
        twinnings = self._lines()
        return cached_json(request, "twinnings.graph", lambda: network_graph(request, twinnings))


@extend_schema_view(
    list=extend_schema(
        summary=_("Agreements"),
        description=_(
            "Published agreements with their parties and signatories. "
            "`sphere=education&year=2016`: agreements on education signed in 2016."
        ),
        parameters=[FORMAT_PARAMETER],
    ),
    retrieve=extend_schema(summary=_("An agreement")),
)
class AgreementViewSet(PublishMixin, RecordWriteMixin, PublicRecordViewSet):
    queryset = Agreement.objects.none()
    serializer_class = AgreementSerializer
    staff_serializer_class = AgreementStaffSerializer
    children = {"parties": Children("parties", "agreement"), "signatories": Children("signatories", "agreement")}
    filterset_class = AgreementFilter
    ordering_fields = ["signed_on", "title", "kind", "id"]
    ordering = ["-signed_on"]
    csv_filename = "agreements.csv"

    def get_queryset(self):
        return agreements_for_display(self.visible(public_agreements())).select_related("twinning", "delegation")

    def involving_city_ids(self, instance, relations, child_rows):
        # An agreement belongs to its parties' cities (and its twinning's, read from the instance).
        if "parties" in child_rows:
            return party_city_ids(child_rows["parties"])
        return None

    def validate_children(self, instance, child_rows):
        super().validate_children(instance, child_rows)
        if "parties" in child_rows:
            city_ids = party_city_ids(child_rows["parties"])
        elif instance.pk:
            city_ids = party_city_ids(instance.parties.select_related("organisation"))
        else:
            city_ids = set()
        try:
            validate_agreement_parties(instance.twinning, city_ids)
        except DjangoValidationError as error:
            raise ValidationError({"parties": error.messages}) from None


def public_sources():
    """Sources cited by a public record or by the status history of a public twinning."""
    cited = Q(pk__in=StatusChange.objects.filter(twinning__in=public_twinnings()).values("source"))
    for records in (
        public_cities(),
        public_organisations(),
        public_persons(),
        public_twinnings(),
        public_agreements(),
        public_delegations(),
        public_events(),
    ):
        cited |= Q(pk__in=records.filter(sources__isnull=False).values("sources"))
    return Source.objects.filter(cited)


@extend_schema_view(
    list=extend_schema(summary=_("Sources"), parameters=[FORMAT_PARAMETER]),
    retrieve=extend_schema(summary=_("A source")),
)
class SourceViewSet(RecordWriteMixin, PublicRecordViewSet):
    """Press releases, news items and resolutions the published records cite."""

    queryset = Source.objects.none()
    serializer_class = SourceSerializer
    staff_serializer_class = SourceStaffSerializer
    filterset_class = SourceFilter
    ordering_fields = ["published_on", "title", "id"]
    ordering = ["-published_on"]
    csv_filename = "sources.csv"

    def get_queryset(self):
        return self.visible(public_sources())


class AnniversaryQuerySerializer(serializers.Serializer):
    within = serializers.IntegerField(
        min_value=0, max_value=366, default=90, help_text=_("Days ahead to look, from today (0–366).")
    )
    city = serializers.CharField(
        required=False, max_length=200, help_text=_("Only anniversaries involving this city: id, slug or name.")
    )
    kind = serializers.ChoiceField(
        choices=[(TWINNING, _("Twinning")), (AGREEMENT, _("Agreement"))], required=False,
        help_text=_("Only twinnings or only agreements."),
    )

    def validate_city(self, value):
        try:
            return CityReferenceField().clean(value)
        except DjangoValidationError as error:  # the filter field's message, reported under "city"
            raise serializers.ValidationError(error.messages) from None


@extend_schema(
    summary=_("Upcoming anniversaries"),
    description=_(
        "Round anniversaries (5, 10, 15… years) of twinnings and agreements known to the day, from "
        "today to `within` days ahead, soonest first. `format=ics` gives an iCalendar file; calendar "
        "applications can subscribe to /calendar/anniversaries.ics (same parameters, a year ahead "
        "by default)."
    ),
    parameters=[AnniversaryQuerySerializer],
    responses=AnniversarySerializer(many=True),
)
class AnniversaryListView(LinksWithoutFormatMixin, generics.GenericAPIView):
    serializer_class = AnniversarySerializer
    pagination_class = RegistryPagination
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer, ICalendarRenderer]
    filter_backends = []
    default_within = 90

    def get(self, request, *args, **kwargs):
        query = AnniversaryQuerySerializer(data={"within": self.default_within, **request.query_params.dict()})
        query.is_valid(raise_exception=True)
        city = query.validated_data.get("city")
        if city is NO_MATCH:
            anniversaries = []
        else:
            anniversaries = upcoming_anniversaries(within_days=query.validated_data["within"], city=city)
        if query.validated_data.get("kind"):
            anniversaries = [item for item in anniversaries if item.kind == query.validated_data["kind"]]
        output = getattr(request.accepted_renderer, "format", "json")
        if output == "ics":
            name = _("Twinning anniversaries")
            if city not in (None, NO_MATCH):
                name = f"{name}: {city.display_name()}"
            body = anniversaries_calendar(request, anniversaries, name=str(name))
            response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
            response["Content-Disposition"] = 'inline; filename="anniversaries.ics"'
            return response
        page = anniversaries if output == "csv" else self.paginate_queryset(anniversaries)
        _prefetch_agreement_cities(page)
        data = self.get_serializer(page, many=True).data
        if output == "csv":
            return self._csv(data)
        return self.get_paginated_response(data)

    def _csv(self, data):
        response = Response(data)
        response["Content-Disposition"] = 'attachment; filename="anniversaries.csv"'
        return response


@extend_schema(exclude=True)
class AnniversaryCalendarView(AnniversaryListView):
    """/calendar/anniversaries.ics for calendar subscriptions: a year ahead unless `within` says."""

    default_within = 366


def _prefetch_agreement_cities(anniversaries):
    # upcoming_anniversaries() loads agreements with their party cities only; one page of them
    # gets the names (and organisation parties' cities) in a fixed number of queries.
    agreements = [item.record for item in anniversaries if item.kind == AGREEMENT]
    prefetch_related_objects(agreements, "parties__city__names", "parties__organisation__city__names")


@extend_schema(
    summary=_("Obtain an API token"),
    description=_(
        "Exchange a press officer's username and password for a token, then send "
        "`Authorization: Token <token>` with every write. Repeated failures lock the account "
        "out for this address (429)."
    ),
    request=AuthTokenSerializer,
    responses={200: inline_serializer("Token", {"token": serializers.CharField()})},
    examples=[
        OpenApiExample("Credentials", value={"username": "azov-press", "password": "…"}, request_only=True),
        OpenApiExample("Token", value={"token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"}, response_only=True),
    ],
)
class ObtainTokenView(ObtainAuthToken):
    throttle_classes = [AnonymousThrottle]
    renderer_classes = [JSONRenderer]

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            # AuthTokenSerializer passes the request to authenticate(), so django-axes counts the
            # failure and flags a lockout on it; answer that in the API's error format.
            if getattr(request, "axes_locked_out", False):
                raise LockedOut()
            raise ValidationError(serializer.errors)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})


@csrf_exempt  # a POST to a wrong address is still a 404, not a CSRF failure
def api_not_found(request, *args, **kwargs):
    """404 for addresses under /api/v1/ that no endpoint serves, in the API's error format."""
    return JsonResponse(
        {"status": 404, "code": "not_found", "message": str(_("No API endpoint at this address.")), "errors": {}},
        status=404,
    )
