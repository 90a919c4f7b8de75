from django.db.models import Case, IntegerField, Q, Value, When
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from cities.models import City, Organisation, OrganisationKind, Person
from twinning.api.filtering import CityReferenceFilter, CountryFilter, FullTextFilter, StrictBooleanFilter
from twinning.fts import name_document
from twinning.public import public_twinnings
from twinning.search import find_cities

CITY_NAME_RESULTS = 200  # enough for any name; a search, not an export


@extend_schema_field({"type": "string", "maxLength": 200, "example": "Кузнецк"})
class CityNameFilter(filters.CharFilter):
    """Cities by any name or alias in any script: word prefixes ("Кузн"), inflected forms
    ("Азова"), typos and transliterations ("Kuznetk"), via twinning.search.find_cities.

    Best matches first (unless `ordering` is given)."""

    def filter(self, qs, value):
        value = " ".join((value or "").split())
        if not value:
            return qs
        ids = [city.pk for city in find_cities(value, limit=CITY_NAME_RESULTS)]
        relevance = Case(*[When(pk=pk, then=Value(rank)) for rank, pk in enumerate(ids)], output_field=IntegerField())
        return qs.filter(pk__in=ids).order_by(relevance) if ids else qs.none()


class CityFilter(filters.FilterSet):
    q = CityNameFilter(
        max_length=200,
        help_text=_("Search by name or alias in any language: prefixes, inflected forms and typos are found."),
    )
    name = CityNameFilter(max_length=200, help_text=_("The same as q: a city's name or alias, typo-tolerant."))
    country = CountryFilter(field_name="country")
    has_partners = StrictBooleanFilter(
        method="filter_has_partners", help_text=_("true: cities with at least one published twinning; false: without.")
    )
    slug = filters.CharFilter(field_name="slug", help_text=_("Exact slug, such as azov."))

    class Meta:
        model = City
        fields = ["q", "name", "country", "has_partners", "slug", "geonames_id", "wikidata_id"]

    def filter_has_partners(self, queryset, name, value):
        # Membership in the twinnings' city columns (a semi-join), rather than the per-city
        # partners_count subqueries, which would run for every city of the registry.
        twinnings = public_twinnings().order_by()
        twinned = Q(pk__in=twinnings.values("city_a_id")) | Q(pk__in=twinnings.values("city_b_id"))
        return queryset.filter(twinned) if value else queryset.exclude(twinned)


class OrganisationFilter(filters.FilterSet):
    q = FullTextFilter(document=name_document("name", "name_en"))
    city = CityReferenceFilter(field_name="city")
    country = CountryFilter(field_name="city__country")
    kind = filters.MultipleChoiceFilter(choices=OrganisationKind.choices)

    class Meta:
        model = Organisation
        fields = ["q", "city", "country", "kind", "slug"]


class PersonFilter(filters.FilterSet):
    q = FullTextFilter(document=name_document("full_name", "full_name_en"))
    city = CityReferenceFilter(field_name="city")
    country = CountryFilter(field_name="city__country")
    organisation = filters.NumberFilter(
        field_name="positions__organisation", distinct=True, help_text=_("Id of an organisation the person held a post in.")
    )

    class Meta:
        model = Person
        fields = ["q", "city", "country", "organisation", "slug"]
