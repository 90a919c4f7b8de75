from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from events.models import Delegation, EventFormat, EventKind, JointEvent
from events.public import events_involving
from twinning.api.filtering import (
    CityReferenceFilter,
    CountryFilter,
    FullTextFilter,
    PartialDateFilter,
    PersonReferenceFilter,
    YearFilter,
)
from twinning.api.filters import TwinningStoryFilter
from twinning.fts import text_document
from twinning.public import pair_delegations, pair_events


def _delegations_of_cities(queryset, city_ids):
    return queryset.filter(Q(from_city__in=city_ids) | Q(to_city__in=city_ids))


def _events_of_cities(queryset, city_ids):
    condition = Q(pk__in=[])
    for pk in city_ids:
        condition |= Q(pk__in=events_involving(pk).values("pk"))
    return queryset.filter(condition)


class DelegationFilter(filters.FilterSet):
    q = FullTextFilter(
        document=text_document("purpose", "outcome"),
        city_match=_delegations_of_cities,
        help_text=_("Full-text search in purpose and outcome, and the visits of the cities the words name."),
    )
    from_city = CityReferenceFilter(field_name="from_city", help_text=_("The sending city: id, slug or name."))
    to_city = CityReferenceFilter(field_name="to_city", help_text=_("The receiving city: id, slug or name."))
    city = CityReferenceFilter(apply=lambda qs, city: qs.involving(city), help_text=_("Either city: id, slug or name."))
    country = CountryFilter(method="filter_country", help_text=_("Either city's country (ISO code or name)."))
    from_country = CountryFilter(field_name="from_city__country", help_text=_("The sending city's country."))
    to_country = CountryFilter(field_name="to_city__country", help_text=_("The receiving city's country."))
    year = YearFilter(field_name="start_on", help_text=_("Visits that started in this year."))
    date_after = PartialDateFilter(field_name="start_on", lookup_expr="gte", help_text=_("Started on or after."))
    date_before = PartialDateFilter(field_name="start_on", lookup_expr="lte", help_text=_("Started on or before."))
    head = PersonReferenceFilter(field_name="head", help_text=_("The head of the delegation: id, slug or part of the name."))
    twinning = TwinningStoryFilter(story=pair_delegations)

    class Meta:
        model = Delegation
        fields = []

    def filter_country(self, queryset, name, code):
        return queryset.filter(Q(from_city__country=code) | Q(to_city__country=code))


class JointEventFilter(filters.FilterSet):
    q = FullTextFilter(
        document=text_document("title", "description"),
        city_match=_events_of_cities,
        help_text=_("Full-text search in title and description, and the events of the cities the words name."),
    )
    city = CityReferenceFilter(
        apply=lambda qs, city: qs.filter(pk__in=events_involving(city).values("pk")),
        help_text=_("A host or participating city: id, slug or name."),
    )
    host_city = CityReferenceFilter(field_name="host_city", help_text=_("The host city: id, slug or name."))
    country = CountryFilter(method="filter_country", help_text=_("The host's or a participant's country."))
    kind = filters.MultipleChoiceFilter(choices=EventKind.choices)
    # Not "format": that parameter chooses the output (format=csv).
    event_format = filters.MultipleChoiceFilter(
        field_name="format", choices=EventFormat.choices, help_text=_("In person, online or hybrid.")
    )
    year = YearFilter(field_name="start_on", help_text=_("Events that started in this year."))
    date_after = PartialDateFilter(field_name="start_on", lookup_expr="gte", help_text=_("Started on or after."))
    date_before = PartialDateFilter(field_name="start_on", lookup_expr="lte", help_text=_("Started on or before."))
    twinning = TwinningStoryFilter(story=pair_events)

    class Meta:
        model = JointEvent
        fields = []

    def filter_country(self, queryset, name, code):
        participating = JointEvent.participants.through.objects.filter(city__country=code).values("jointevent_id")
        return queryset.filter(Q(host_city__country=code) | Q(pk__in=participating))
