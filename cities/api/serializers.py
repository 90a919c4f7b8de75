from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cities.models import City, CityName, Organisation, Person, Position
from twinning.api.records import CountryNameField, FilteredListLinkField, PublicLinkField, RecordSerializer


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

    url = serializers.HyperlinkedIdentityField(view_name="api:city-detail")
    name = serializers.CharField(source="display_name", read_only=True, help_text=_("In the language of the request."))
    country = serializers.CharField(source="country.code", read_only=True, help_text=_("ISO 3166-1 alpha-2 code."))
    country_name = CountryNameField(source="country")

    class Meta:
        model = City
        fields = ["id", "url", "slug", "name", "country", "country_name", "latitude", "longitude"]


class CitySerializer(RecordSerializer, CitySummarySerializer):
    local_name = serializers.CharField(source="name", read_only=True, help_text=_("The name as the city writes it."))
    names = CityNameSerializer(many=True, read_only=True, help_text=_("Every name and alias, in every language."))
    partners_count = serializers.IntegerField(read_only=True, help_text=_("Published twinnings of this city."))
    partners = serializers.HyperlinkedIdentityField(view_name="api:city-partners", help_text=_("The partner cities."))
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
    url = serializers.HyperlinkedIdentityField(view_name="api:organisation-detail")

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
    url = serializers.HyperlinkedIdentityField(view_name="api:person-detail")

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
