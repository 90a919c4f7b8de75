from django.utils.translation import gettext_lazy as _
from django_countries.serializer_fields import CountryField
from rest_framework import serializers

from cities.models import City, CityName, Organisation, Person, Position
from twinning.api.records import (
    CountryNameField,
    FilteredListLinkField,
    LinkField,
    MethodValueField,
    PartialDateInputMixin,
    PublicLinkField,
    RecordSerializer,
    StaffRecordSerializer,
    id_input,
)


class CityNameSerializer(serializers.ModelSerializer):
    class Meta:
        model = CityName
        fields = ["name", "language", "is_primary"]


class PublishedOnlyMixin:
    """As a single nested object, a draft related record shows as null rather than leaking."""

    def get_attribute(self, instance):
        related = super().get_attribute(instance)
        if related is not None and hasattr(related, "is_published") and not related.is_published():
            return None
        return related


class CitySummarySerializer(PublishedOnlyMixin, serializers.ModelSerializer):
    """What a record that mentions a city says about it. Reads `names` (prefetch them)."""

    url = LinkField(view_name="api:city-detail")
    name = MethodValueField("display_name", help_text=_("In the language of the request."))
    country = serializers.CharField(source="country.code", read_only=True, help_text=_("ISO 3166-1 alpha-2 code."))
    country_name = CountryNameField(source="country")

    class Meta:
        model = City
        fields = ["id", "url", "slug", "name", "country", "country_name", "latitude", "longitude"]


class CitySerializer(RecordSerializer, CitySummarySerializer):
    local_name = serializers.CharField(source="name", read_only=True, help_text=_("The name as the city writes it."))
    names = CityNameSerializer(many=True, read_only=True, help_text=_("Every name and alias, in every language."))
    partners_count = serializers.IntegerField(read_only=True, help_text=_("Published twinnings of this city."))
    partners = LinkField(view_name="api:city-partners", help_text=_("The partner cities."))
    twinnings = FilteredListLinkField("api:twinning-list", "city", help_text=_("The city's twinnings, as a filtered list."))

    class Meta:
        model = City
        fields = [
            *CitySummarySerializer.Meta.fields,
            "web_url",
            "local_name",
            "names",
            "region",
            "population",
            "geonames_id",
            "wikidata_id",
            "partners_count",
            "partners",
            "twinnings",
            *RecordSerializer.record_fields,
        ]


class OrganisationSummarySerializer(PublishedOnlyMixin, serializers.ModelSerializer):
    url = LinkField(view_name="api:organisation-detail")

    class Meta:
        model = Organisation
        fields = ["id", "url", "slug", "name", "name_en", "kind"]


class OrganisationSerializer(RecordSerializer, OrganisationSummarySerializer):
    city = CitySummarySerializer(read_only=True)
    parent = PublicLinkField("api:organisation-detail", help_text=_("The organisation this one is part of."))

    class Meta:
        model = Organisation
        fields = [
            *OrganisationSummarySerializer.Meta.fields,
            "web_url",
            "city",
            "parent",
            "website",
            *RecordSerializer.record_fields,
        ]


class PersonSummarySerializer(PublishedOnlyMixin, serializers.ModelSerializer):
    url = LinkField(view_name="api:person-detail")

    class Meta:
        model = Person
        fields = ["id", "url", "slug", "full_name", "full_name_en"]


class PositionSerializer(serializers.ModelSerializer):
    organisation = OrganisationSummarySerializer(read_only=True)

    class Meta:
        model = Position
        fields = ["title", "title_en", "organisation", "start", "end"]


class PersonSerializer(RecordSerializer, PersonSummarySerializer):
    city = CitySummarySerializer(read_only=True)
    positions = PositionSerializer(many=True, read_only=True)

    class Meta:
        model = Person
        fields = [*PersonSummarySerializer.Meta.fields, "web_url", "city", "positions", *RecordSerializer.record_fields]


class CountrySerializer(serializers.Serializer):
    """A country of the registry's cities (not a stored record: derived from City.country)."""

    code = serializers.CharField(help_text=_("ISO 3166-1 alpha-2 code."))
    name = serializers.CharField(help_text=_("In the language of the request."))
    url = serializers.URLField()
    cities_count = serializers.IntegerField(help_text=_("Published cities of the country with at least one twinning."))
    twinnings_count = serializers.IntegerField(help_text=_("Published twinnings with a city of the country on either side."))
    cities = serializers.URLField(help_text=_("The country's cities, as a filtered list."))
    twinnings = serializers.URLField(help_text=_("The country's twinnings, as a filtered list."))


class PartnerCountrySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    twinnings_count = serializers.IntegerField()
    twinnings = serializers.URLField(help_text=_("The twinnings between the two countries."))


class CountryDetailSerializer(CountrySerializer):
    partner_countries = PartnerCountrySerializer(many=True, help_text=_("Countries twinned with this one, most twinnings first."))


# ---------------------------------------------------------------- press officers' serializers
class CityStaffSerializer(StaffRecordSerializer, CitySerializer):
    local_name = serializers.CharField(source="name", max_length=200, help_text=_("The name as the city writes it."))
    country = CountryField(help_text=_("ISO 3166-1 alpha-2 code."))
    names = CityNameSerializer(many=True, required=False, help_text=_("Every name and alias (replaces the list)."))

    class Meta(CitySerializer.Meta):
        fields = [*CitySerializer.Meta.fields, *StaffRecordSerializer.staff_fields]
        extra_kwargs = {"slug": {"required": False}}


class OrganisationStaffSerializer(StaffRecordSerializer, OrganisationSerializer):
    city_id = id_input(City.objects.all(), "city")
    parent_id = id_input(Organisation.objects.all(), "parent", required=False)

    class Meta(OrganisationSerializer.Meta):
        fields = [*OrganisationSerializer.Meta.fields, *StaffRecordSerializer.staff_fields, "city_id", "parent_id"]
        extra_kwargs = {"slug": {"required": False}}


class PositionStaffSerializer(PartialDateInputMixin, PositionSerializer):
    organisation_id = id_input(Organisation.objects.all(), "organisation")

    class Meta(PositionSerializer.Meta):
        fields = [*PositionSerializer.Meta.fields, "organisation_id"]


class PersonStaffSerializer(StaffRecordSerializer, PersonSerializer):
    city_id = id_input(City.objects.all(), "city", help_text=_("The city the person serves."))
    positions = PositionStaffSerializer(many=True, required=False, help_text=_("Posts held (replaces the list)."))

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, *StaffRecordSerializer.staff_fields, "city_id"]
        extra_kwargs = {"slug": {"required": False}}
