from functools import reduce
from operator import or_

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from twinning.api.filtering import (
    CityReferenceFilter,
    CountryFilter,
    FullTextFilter,
    PartialDateFilter,
    PersonReferenceFilter,
    StrictBooleanFilter,
    YearFilter,
)
from twinning import lifecycle
from twinning.fts import text_document
from twinning.models import (
    Agreement,
    AgreementKind,
    AgreementParty,
    Source,
    Sphere,
    Twinning,
    TwinningKind,
    TwinningStatus,
)
from twinning.public import agreements_involving, pair_agreements, public_twinnings


def twinnings_of_cities(queryset, city_ids):
    return queryset.filter(Q(city_a__in=city_ids) | Q(city_b__in=city_ids))


class TwinningFilter(filters.FilterSet):
    q = FullTextFilter(
        document=text_document("description"),
        city_match=twinnings_of_cities,
        help_text=_("Full-text search in the description, and the twinnings of the cities the words name."),
    )
    city = CityReferenceFilter(
        apply=lambda qs, city: qs.involving(city), help_text=_("A city on either side: id, slug or name.")
    )
    partner = CityReferenceFilter(
        apply=lambda qs, city: qs.involving(city),
        help_text=_("A second city on either side; with `city`, the twinning of the two."),
    )
    country = CountryFilter(
        method="filter_country",
        help_text=_("A country on either side (ISO code or name). With partner_country: the twinnings between the two."),
    )
    partner_country = CountryFilter(
        method="filter_partner_country",
        help_text=_("The country on the other side; country=RU&partner_country=CN lists Russian–Chinese twinnings."),
    )
    kind = filters.MultipleChoiceFilter(choices=TwinningKind.choices)
    status = filters.MultipleChoiceFilter(
        choices=TwinningStatus.choices, method="filter_status", help_text=_("Derived from the latest recorded state.")
    )
    established_after = PartialDateFilter(
        field_name="established_on", lookup_expr="gte", help_text=_("Established on or after: 2010, 2010-05 or 2010-05-24.")
    )
    established_before = PartialDateFilter(
        field_name="established_on", lookup_expr="lte", help_text=_("Established on or before: 2010, 2010-05 or 2010-05-24.")
    )
    established_year = YearFilter(field_name="established_on", help_text=_("Established in this year."))
    dormant = StrictBooleanFilter(
        method="filter_dormant",
        help_text=_("true: active twinnings with no visit, joint event or agreement recorded for DORMANT_AFTER_YEARS years (3 unless configured); false: the others."),
    )

    class Meta:
        model = Twinning
        fields = []

    def filter_country(self, queryset, name, code):
        partner = self.form.cleaned_data.get("partner_country")
        if partner:
            return queryset.filter(
                Q(city_a__country=code, city_b__country=partner) | Q(city_a__country=partner, city_b__country=code)
            )
        return queryset.filter(Q(city_a__country=code) | Q(city_b__country=code))

    def filter_partner_country(self, queryset, name, code):
        if self.form.cleaned_data.get("country"):
            return queryset  # filter_country took both
        return queryset.filter(Q(city_a__country=code) | Q(city_b__country=code))

    def filter_status(self, queryset, name, statuses):
        return queryset.with_status_in(*statuses)

    def filter_dormant(self, queryset, name, value):
        if value is None:
            return queryset
        return lifecycle.dormant(queryset) if value else lifecycle.not_dormant(queryset)


def _agreements_of_cities(queryset, city_ids):
    return queryset.filter(reduce(or_, (Q(pk__in=agreements_involving(pk).values("pk")) for pk in city_ids)))


@extend_schema_field(OpenApiTypes.INT)
class TwinningStoryFilter(filters.Filter):
    """Records of a twinning's story: linked to it, or with both its cities taking part
    (the rule of the public pair page, twinning.public.pair_*)."""

    field_class = forms.IntegerField

    def __init__(self, *args, story, **kwargs):
        self.story = story
        kwargs.setdefault("help_text", _("Id of a twinning: records linked to it or involving both its cities."))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        twinning = public_twinnings().filter(pk=value).first() if 0 < value < 2**63 else None
        if twinning is None:
            return qs.none()
        return qs.filter(pk__in=self.story(twinning).values("pk"))


class AgreementFilter(filters.FilterSet):
    q = FullTextFilter(
        document=text_document("title", "summary"),
        city_match=_agreements_of_cities,
        help_text=_("Full-text search in title and summary, and the agreements of the cities the words name."),
    )
    city = CityReferenceFilter(
        apply=lambda qs, city: qs.filter(pk__in=agreements_involving(city).values("pk")),
        help_text=_("A party city (or the city of a party organisation): id, slug or name."),
    )
    country = CountryFilter(method="filter_country", help_text=_("A party's country (ISO code or name)."))
    sphere = filters.MultipleChoiceFilter(
        choices=Sphere.choices, method="filter_sphere", help_text=_("Any of these spheres of cooperation.")
    )
    kind = filters.MultipleChoiceFilter(choices=AgreementKind.choices)
    year = YearFilter(field_name="signed_on", help_text=_("Signed in this year."))
    signed_after = PartialDateFilter(field_name="signed_on", lookup_expr="gte", help_text=_("Signed on or after."))
    signed_before = PartialDateFilter(field_name="signed_on", lookup_expr="lte", help_text=_("Signed on or before."))
    signatory = PersonReferenceFilter(field_name="signatories__person")
    twinning = TwinningStoryFilter(story=pair_agreements)

    class Meta:
        model = Agreement
        fields = []

    def filter_country(self, queryset, name, code):
        parties = AgreementParty.objects.filter(Q(city__country=code) | Q(organisation__city__country=code))
        return queryset.filter(pk__in=parties.values("agreement_id"))

    def filter_sphere(self, queryset, name, spheres):
        return queryset.filter(spheres__overlap=list(spheres))


class SourceFilter(filters.FilterSet):
    q = FullTextFilter(document=text_document("title", "publisher", "text"))
    publisher = filters.CharFilter(lookup_expr="icontains", help_text=_("Part of the publisher's name."))
    year = YearFilter(field_name="published_on", help_text=_("Published in this year."))
    published_after = PartialDateFilter(field_name="published_on", lookup_expr="gte")
    published_before = PartialDateFilter(field_name="published_on", lookup_expr="lte")

    class Meta:
        model = Source
        fields = []
