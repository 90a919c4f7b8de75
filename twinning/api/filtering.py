"""Filter building blocks the API's FilterSets share: a city given by id, slug or name; a country
given by code or name; partial dates and years. Each turns bad input into a form error, which
django-filter reports as 400 with the parameter's name."""

from django import forms
from django.contrib.postgres.search import SearchQuery
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from cities.countries import read_country
from cities.models import City, Person
from twinning.partial_dates import PartialDate, in_year, on_or_after, on_or_before
from twinning.search import MAX_QUERY_LENGTH, STRONG_MATCH, find_cities

NO_MATCH = object()  # a well-formed reference that names no published record: an empty result


class CityReferenceField(forms.CharField):
    """A published city by id ("42"), slug ("azov") or any name or alias ("Азов", "Azov")."""

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        return resolve_city(value)


def is_id(text):
    """ASCII digits that fit a bigint column (int("²") fails; a 30-digit id would overflow)."""
    return text.isascii() and text.isdigit() and len(text) <= 18


def resolve_city(text):
    cities = City.objects.published()
    if is_id(text):
        return cities.filter(pk=int(text)).first() or NO_MATCH
    by_slug = cities.filter(slug=text.lower()).first()
    if by_slug:
        return by_slug
    named = list(
        cities.filter(Q(name__iexact=text) | Q(pk__in=City.objects.matching_name(text).values("pk"))).order_by("pk")[:6]
    )
    if len(named) > 1:
        choices = ", ".join(f"{city.slug} ({city.country.code})" for city in named[:5])
        raise forms.ValidationError(
            _("Several cities are called “%(name)s”: %(choices)s. Give the slug or the id instead."),
            code="ambiguous",
            params={"name": text, "choices": choices},
        )
    return named[0] if named else NO_MATCH


@extend_schema_field(OpenApiTypes.STR)
class CityReferenceFilter(filters.Filter):
    """Filter by one city: `qs.filter(<field_name>=city)`, or `apply(qs, city)` when given
    (for "either side" rules that live on the QuerySet, such as `involving`)."""

    field_class = CityReferenceField

    def __init__(self, *args, apply=None, **kwargs):
        kwargs.setdefault(
            "help_text", _("A city: its id, its slug (azov) or any of its names or aliases (Азов, Azov).")
        )
        self.apply = apply
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        if value is NO_MATCH:
            return qs.none()
        if self.apply is not None:
            return self.apply(qs, value)
        return qs.filter(**{self.field_name: value})


class PersonReferenceField(forms.CharField):
    """Published persons by id, slug, or part of the name in either language."""

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        persons = Person.objects.published()
        if is_id(value):
            return persons.filter(pk=int(value))
        return persons.filter(
            Q(slug=value.lower()) | Q(full_name__icontains=value) | Q(full_name_en__icontains=value)
        )


@extend_schema_field(OpenApiTypes.STR)
class PersonReferenceFilter(filters.Filter):
    """Records linked to any matching person (`field_name` is the path to the person)."""

    field_class = PersonReferenceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", _("A person: id, slug or part of the name (Пяткова, Pyatkova)."))
        kwargs.setdefault("distinct", True)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(**{f"{self.field_name}__in": value.values("pk")}).distinct()


class CountryCodeField(forms.CharField):
    """An ISO 3166-1 code (RU, RUS, 643) or a country name in English or Russian."""

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        code = country_code(value)
        if not code:
            raise forms.ValidationError(
                _("Unknown country “%(value)s”. Use an ISO code such as RU or CN, or the country’s name."),
                code="unknown_country",
                params={"value": value},
            )
        return code


def country_code(text):
    text = " ".join(text.split())
    if not text:
        return ""
    if len(text) <= 3:
        code = countries.alpha2(text)
        if code:
            return code
    reading = read_country(text)
    if reading:
        return reading.code
    return countries.by_name(text, language="ru") or ""


@extend_schema_field({"type": "string", "example": "RU"})
class CountryFilter(filters.Filter):
    field_class = CountryCodeField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", _("A country: ISO code (RU, CN) or name (Россия, China)."))
        super().__init__(*args, **kwargs)


class PartialDateQueryField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        try:
            return PartialDate.parse(value)
        except ValueError:
            raise forms.ValidationError(
                _("Enter a year (2016), a month (2016-05) or a date (2016-05-24)."), code="invalid"
            ) from None


@extend_schema_field({"type": "string", "example": "2016-05"})
class PartialDateFilter(filters.Filter):
    """A bound on a partial-date field: a year, a month or a day.

    `lookup_expr` "gte" means "on or after the start of the given period", "lte" "on or before
    its end", so `signed_after=2016&signed_before=2016` is the whole year.
    """

    field_class = PartialDateQueryField

    def filter(self, qs, value):
        if value is None:
            return qs
        if self.lookup_expr == "gte":
            return qs.filter(on_or_after(self.field_name, value.first_day))
        return qs.filter(on_or_before(self.field_name, value.last_day))


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 9999, "example": 2016})
class YearFilter(filters.Filter):
    """Records whose partial date falls in the given year (a prefix match on the stored text)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(in_year(self.field_name, value))


@extend_schema_field({"type": "string", "maxLength": 200, "example": "образование"})
class FullTextFilter(filters.CharFilter):
    """`q`: PostgreSQL full-text search (russian configuration, web-search syntax: "quoted
    phrases", -excluded, or) over `document` (an expression from twinning/fts.py, so the GIN
    index serves it). With `city_match`, records of the cities the words name also match:
    `city_match(qs, city_ids)` narrows `qs` to them ("Азов" finds Azov's twinnings)."""

    def __init__(self, *args, document=None, city_match=None, **kwargs):
        kwargs.setdefault("help_text", _("Full-text search (Russian stemming; \"phrases\", -exclude, or)."))
        kwargs.setdefault("max_length", MAX_QUERY_LENGTH)
        self.document, self.city_match = document, city_match
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        value = " ".join((value or "").split())
        if not value:
            return qs
        condition = Q(pk__in=[])
        if self.document is not None:
            matching = qs.model._base_manager.annotate(_document=self.document).filter(
                _document=SearchQuery(value, config="russian", search_type="websearch")
            )
            condition |= Q(pk__in=matching.values("pk"))
        if self.city_match is not None:
            city_ids = [city.pk for city in find_cities(value, limit=10) if city.search_score >= STRONG_MATCH]
            if city_ids:
                condition |= Q(pk__in=self.city_match(qs.model._base_manager.all(), city_ids).values("pk"))
        return qs.filter(condition)


class StrictBooleanField(forms.Field):
    """true/false (also 1/0, yes/no); anything else is an error rather than silently ignored."""

    def clean(self, value):
        text = "" if value is None else str(value).strip().lower()
        if text == "":
            return None
        if text in ("true", "1", "yes", "on"):
            return True
        if text in ("false", "0", "no", "off"):
            return False
        raise forms.ValidationError(_("Enter true or false."), code="invalid")


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        kwargs["widget"] = forms.TextInput  # the default BooleanWidget turns "maybe" into None
        super().__init__(*args, **kwargs)
