"""List filters and a paginator the admins of all three apps share."""

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connection, models
from django.db.models import Q
from django.db.models.functions import Left
from django.utils.functional import cached_property
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from twinning.partial_dates import in_year

# formfield_overrides for admins with URL fields: a URL typed without a scheme gets https://,
# the default Django 6 adopts (and without which Django 5.2 warns on every form).
HTTPS_URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


class _YearFilter(admin.SimpleListFilter):
    field_name = None  # a PartialDateField; set by year_filter()

    def lookups(self, request, model_admin):
        # Partial dates are ISO text, so the year is the first four characters whatever the precision.
        years = (
            model_admin.model._default_manager.exclude(**{f"{self.field_name}__isnull": True})
            .annotate(year=Left(self.field_name, 4, output_field=models.CharField()))
            .order_by("-year")
            .values_list("year", flat=True)
            .distinct()
        )
        return [(year, year) for year in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value and len(value) == 4 and value.isdigit():
            return queryset.filter(in_year(self.field_name, value))
        return queryset


def year_filter(field_name, title):
    """A list filter by the year of a partial date: "2018" matches 2018, 2018-10 and 2018-10-24."""
    return type(
        f"{field_name.title().replace('_', '')}YearFilter",
        (_YearFilter,),
        {"field_name": field_name, "title": title, "parameter_name": f"{field_name}_year"},
    )


class _CountryFilter(admin.SimpleListFilter):
    title = _("country")
    parameter_name = "country"
    paths = ()  # lookups to a CountryField; a row matches when any of them is the country
    spans_many = False

    def lookups(self, request, model_admin):
        from cities.models import City

        codes = City.objects.order_by().values_list("country", flat=True).distinct()
        return sorted(((code, countries.name(code)) for code in codes), key=lambda choice: str(choice[1]))

    def queryset(self, request, queryset):
        code = (self.value() or "").upper()
        if code not in countries:
            return queryset
        condition = Q()
        for path in self.paths:
            condition |= Q(**{path: code})
        queryset = queryset.filter(condition)
        return queryset.distinct() if self.spans_many else queryset


def country_filter(*paths, spans_many=False):
    """A list filter by country offering only the countries the registry has cities in.

    `paths` lead to City.country (e.g. "city_a__country", "city_b__country"); set
    `spans_many` when one of them crosses a many-valued relation and rows could repeat.
    """
    return type("CountryFilter", (_CountryFilter,), {"paths": paths, "spans_many": spans_many})


def search_by_city_names(queryset, search_term, city_paths, *, also=()):
    """ModelAdmin.get_search_results for lists of cities or of rows with cities.

    A row matches when, for every word of `search_term`, the city at one of `city_paths`
    ("pk" for City itself) has the word in its name or in any name or alias (every script), or
    one of the `also` fields contains it. Matching cities are found in the small city tables
    and rows filtered by city id: joining every name of both cities to 26,000 twinnings and
    de-duplicating with DISTINCT, as search_fields does, took seconds.
    """
    from cities.models import City

    for word in smart_split(search_term):
        if word[0] in "\"'" and word[-1] == word[0]:
            word = unescape_string_literal(word)
        named = City.objects.filter(Q(name__icontains=word) | Q(names__name__icontains=word)).values("pk")
        condition = Q()
        for path in city_paths:
            condition |= Q(**{f"{path}__in": named})
        for field in also:
            condition |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(condition)
    return queryset, False


class EstimatedCountPaginator(Paginator):
    """Counts a large unfiltered table from PostgreSQL's statistics instead of scanning it.

    The estimate (pg_class.reltuples, kept fresh by autovacuum) is off by a few rows at most,
    which a paginator can live with. Filtered lists and small tables get the exact count.
    Pair with `show_full_result_count = False`, or the admin counts the table once more.
    """

    exact_below = 10_000

    @cached_property
    def count(self):
        query = getattr(self.object_list, "query", None)
        if query is not None and not query.where:
            with connection.cursor() as cursor:
                cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [query.model._meta.db_table])
                row = cursor.fetchone()
            if row and row[0] >= self.exact_below:
                return row[0]
        return super().count
