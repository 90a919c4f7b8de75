from django.db.models import F, Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response

from cities.api.filters import CityFilter, OrganisationFilter, PersonFilter
from cities.api.serializers import (
    CitySerializer,
    CityStaffSerializer,
    CountryDetailSerializer,
    CountrySerializer,
    OrganisationSerializer,
    OrganisationStaffSerializer,
    PersonSerializer,
    PersonStaffSerializer,
)
from cities.models import City, Organisation, Person, Position
from cities.public import (
    cities_with_partner_counts,
    countries_overview,
    known_country,
    partner_countries,
    public_cities,
    public_organisations,
    public_persons,
)
from twinning.api.exports import CSVRenderer, GeoJSONRenderer, cached_json, city_features
from twinning.api.schema import FEATURE_COLLECTION_SCHEMA
from twinning.api.serializers import PartnerSerializer
from twinning.api.viewsets import (
    FORMAT_PARAMETER,
    ID_OR_SLUG_PARAMETER,
    IdOrSlugLookupMixin,
    LinksWithoutFormatMixin,
    PublicRecordViewSet,
)
from twinning.api.writing import Children, PublishMixin, RecordWriteMixin
from twinning.public import public_twinnings

JSON_AND_CSV = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]


@extend_schema_view(
    list=extend_schema(
        summary=_("Cities"),
        description=_(
            "Published cities. Filter by country, by having partners, or by any name or alias: "
            "`name=Кузн`, `name=Kuznetk` and `name=Кузнецка` all find Кузнецк."
        ),
        parameters=[FORMAT_PARAMETER],
    ),
    retrieve=extend_schema(summary=_("A city"), parameters=[ID_OR_SLUG_PARAMETER]),
)
class CityViewSet(IdOrSlugLookupMixin, PublishMixin, RecordWriteMixin, PublicRecordViewSet):
    queryset = City.objects.none()
    serializer_class = CitySerializer
    staff_serializer_class = CityStaffSerializer
    children = {"names": Children("names", "city")}
    filterset_class = CityFilter
    ordering_fields = ["name", "population", "partners_count", "country", "id"]
    ordering = ["name"]
    relevance_params = ("q", "name")
    csv_filename = "cities.csv"

    def get_queryset(self):
        return self._with_counts(self.visible(public_cities())).with_names().prefetch_related("sources")

    def _with_counts(self, cities):
        # partners_count: the same number as partner_count, under the name the API uses.
        return cities_with_partner_counts(cities).annotate(partners_count=F("partner_count"))

    @extend_schema(
        summary=_("Partner cities of a city"),
        description=_("Every published twinning of the city, newest first, with the partner city."),
        parameters=[ID_OR_SLUG_PARAMETER],
        responses=PartnerSerializer(many=True),
        filters=False,
    )
    @action(detail=True, pagination_class=None, filterset_class=None, renderer_classes=JSON_AND_CSV)
    def partners(self, request, *args, **kwargs):
        city = self.get_object()
        twinnings = (
            public_twinnings()
            .involving(city)
            .with_status()
            .with_cities()
            .order_by(F("established_on").desc(nulls_last=True), "pk")
        )
        partners = [{"city": twinning.partner_of(city), "twinning": twinning} for twinning in twinnings]
        return Response(PartnerSerializer(partners, many=True, context=self.get_serializer_context()).data)

    @extend_schema(
        summary=_("Cities as GeoJSON"),
        description=_(
            "A GeoJSON FeatureCollection of Point features: the published cities that have coordinates, "
            "filtered like the city list. Properties: id, slug, name, country, country_name, "
            "partners_count, url, web_url."
        ),
        responses={200: OpenApiResponse(response=FEATURE_COLLECTION_SCHEMA)},
    )
    @action(detail=False, renderer_classes=[GeoJSONRenderer, JSONRenderer], pagination_class=None)
    def geojson(self, request, *args, **kwargs):
        # Public rows only, whoever asks: the answer is cached for everyone.
        cities = self.filter_queryset(self._with_counts(public_cities()))
        return cached_json(
            request, "cities.geojson", lambda: city_features(request, cities), content_type=request.accepted_media_type
        )


COUNTRY_CODE_PARAMETER = OpenApiParameter(
    "code", OpenApiTypes.STR, OpenApiParameter.PATH, description=_("ISO 3166-1 alpha-2 code, such as RU.")
)


@extend_schema_view(
    list=extend_schema(
        summary=_("Countries"),
        description=_("Every country with a published twinning, with its numbers. Not paginated (about 200 rows)."),
        parameters=[FORMAT_PARAMETER],
    ),
    retrieve=extend_schema(summary=_("A country and its partner countries"), parameters=[COUNTRY_CODE_PARAMETER]),
)
class CountryViewSet(LinksWithoutFormatMixin, viewsets.GenericViewSet):
    """Countries are not stored records: they are derived from the cities' countries."""

    serializer_class = CountrySerializer
    renderer_classes = JSON_AND_CSV
    pagination_class = None
    filter_backends = []
    lookup_field = "code"
    lookup_value_regex = "[^/.]+"

    def get_serializer_class(self):
        return CountryDetailSerializer if self.action == "retrieve" else CountrySerializer

    def list(self, request):
        rows = [self._country(country, cities, twinnings) for country, cities, twinnings in countries_overview()]
        return Response(CountrySerializer(rows, many=True).data)

    def retrieve(self, request, code):
        country = known_country(code)
        if country is None:
            raise Http404
        counts = {row[0].code: row for row in countries_overview()}
        _country, cities, twinnings = counts.get(country.code, (country, 0, 0))
        data = self._country(country, cities, twinnings)
        data["partner_countries"] = [
            {
                "code": partner.code,
                "name": str(partner.name),
                "twinnings_count": number,
                "twinnings": self._link("api:twinning-list", country=country.code, partner_country=partner.code),
            }
            for partner, number in partner_countries(country.code)
        ]
        return Response(CountryDetailSerializer(data).data)

    def _country(self, country, cities, twinnings):
        return {
            "code": country.code,
            "name": str(country.name),
            "url": self.request.build_absolute_uri(reverse("api:country-detail", args=[country.code])),
            "cities_count": cities,
            "twinnings_count": twinnings,
            "cities": self._link("api:city-list", country=country.code),
            "twinnings": self._link("api:twinning-list", country=country.code),
        }

    def _link(self, view_name, **query):
        return self.request.build_absolute_uri(f"{reverse(view_name)}?{urlencode(query)}")


@extend_schema_view(
    list=extend_schema(summary=_("Organisations"), parameters=[FORMAT_PARAMETER]),
    retrieve=extend_schema(summary=_("An organisation"), parameters=[ID_OR_SLUG_PARAMETER]),
)
class OrganisationViewSet(IdOrSlugLookupMixin, PublishMixin, RecordWriteMixin, PublicRecordViewSet):
    queryset = Organisation.objects.none()
    serializer_class = OrganisationSerializer
    staff_serializer_class = OrganisationStaffSerializer
    filterset_class = OrganisationFilter
    ordering_fields = ["name", "kind", "id"]
    ordering = ["name"]
    csv_filename = "organisations.csv"

    def get_queryset(self):
        return self.visible(public_organisations()).select_related("city", "parent").prefetch_related("city__names", "sources")


@extend_schema_view(
    list=extend_schema(summary=_("Persons"), parameters=[FORMAT_PARAMETER]),
    retrieve=extend_schema(summary=_("A person"), parameters=[ID_OR_SLUG_PARAMETER]),
)
class PersonViewSet(IdOrSlugLookupMixin, PublishMixin, RecordWriteMixin, PublicRecordViewSet):
    queryset = Person.objects.none()
    serializer_class = PersonSerializer
    staff_serializer_class = PersonStaffSerializer
    children = {"positions": Children("positions", "person")}
    filterset_class = PersonFilter
    ordering_fields = ["full_name", "id"]
    ordering = ["full_name"]
    csv_filename = "persons.csv"

    def get_queryset(self):
        positions = Position.objects.filter(organisation__publication="published").select_related("organisation")
        return (
            self.visible(public_persons())
            .select_related("city")
            .prefetch_related("city__names", Prefetch("positions", queryset=positions), "sources")
        )
