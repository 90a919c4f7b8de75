"""Queries of the public city, country, organisation and person pages."""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import CharField, Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import get_language_info
from django_countries import countries
from django_countries.fields import Country

from cities.models import City, Organisation, Person
from events.public import (
    delegations_for_display,
    events_for_display,
    events_involving,
    public_delegations,
    public_events,
)
from twinning.public import agreements_for_display, agreements_involving, public_agreements, public_twinnings
from twinning.records import Publication

PUBLISHED = Publication.PUBLISHED
AGREEMENT, DELEGATION, EVENT = "agreement", "delegation", "event"


def public_cities():
    return City.objects.published()


def public_organisations():
    return Organisation.objects.published().filter(city__publication=PUBLISHED)


def public_persons():
    return Person.objects.published().filter(city__publication=PUBLISHED)


# ---------------------------------------------------------------- city page


@dataclass
class LanguageNames:
    language: str
    language_name: str
    primary: str
    aliases: list


def names_by_language(city):
    """`city`'s names grouped by language: the primary name and other spellings; reads prefetched names."""
    groups = {}
    for city_name in city.names.all():
        group = groups.setdefault(
            city_name.language, LanguageNames(city_name.language, _language_name(city_name.language), "", [])
        )
        if city_name.is_primary:
            group.primary = city_name.name
        else:
            group.aliases.append(city_name.name)
    return sorted(groups.values(), key=lambda group: (group.language == "", group.language))


def _language_name(code):
    if not code:
        return ""
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


def city_timeline(city):
    """(item type, pk, date) rows of everything involving `city`, newest first, as one UNION query.

    One query, so a paginator can count and slice it; load_timeline_items() turns a page of rows
    into records. Undated items sort last.
    """

    def rows(queryset, item_type, date_field):
        return queryset.annotate(
            item_type=Value(item_type, output_field=CharField()),
            item_date=Coalesce(F(date_field), Value(""), output_field=CharField()),
        ).values_list("item_type", "pk", "item_date")

    agreements = rows(agreements_involving(city).order_by(), AGREEMENT, "signed_on")
    delegations = rows(public_delegations().involving(city).order_by(), DELEGATION, "start_on")
    events = rows(events_involving(city).order_by(), EVENT, "start_on")
    return agreements.union(delegations, events, all=True).order_by("-item_date", "-item_type", "-pk")


def load_timeline_items(rows):
    """Records for `rows` of city_timeline(), in the same order: three queries plus prefetches."""
    rows = list(rows)
    wanted = {AGREEMENT: [], DELEGATION: [], EVENT: []}
    for item_type, pk, _date in rows:
        wanted[item_type].append(pk)
    loaded = {
        AGREEMENT: agreements_for_display(public_agreements().filter(pk__in=wanted[AGREEMENT])),
        DELEGATION: delegations_for_display(public_delegations().filter(pk__in=wanted[DELEGATION])),
        EVENT: events_for_display(public_events().filter(pk__in=wanted[EVENT])),
    }
    records = {
        (item_type, record.pk): record
        for item_type, queryset in loaded.items()
        if wanted[item_type]
        for record in queryset
    }
    return [TimelineItem(item_type, records[(item_type, pk)]) for item_type, pk, _date in rows]


@dataclass
class TimelineItem:
    item_type: str
    record: object

    @property
    def date(self):
        return getattr(self.record, "signed_on" if self.item_type == AGREEMENT else "start_on")


# ---------------------------------------------------------------- countries


def _twinning_count(side):
    """Subquery: how many public twinnings have the outer city on `side` ("city_a" or "city_b")."""
    return Coalesce(
        Subquery(
            public_twinnings()
            .filter(**{side: OuterRef("pk")})
            .order_by()
            .values(side)
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        0,
    )


def cities_with_partner_counts(queryset):
    """`queryset` annotated with `partner_count`, the number of its public twinnings.

    Two correlated counts per city: fine for a filtered page of cities; for a whole country use
    country_cities_page(), which counts from the twinnings' side.
    """
    return queryset.annotate(partner_count=_twinning_count("city_a") + _twinning_count("city_b"))


def country_cities_page(code, page_number, per_page):
    """A page of a country's published cities that have partners, the most twinned first, each
    with `partner_count`.

    Counted from the twinnings' side in Python: a correlated count per city would run over
    every city of the country, twinned or not (tens of thousands in a gazetteer).
    """
    counts = Counter()
    ends = public_twinnings().filter(Q(city_a__country=code) | Q(city_b__country=code)).order_by()
    for city_a, country_a, city_b, country_b in ends.values_list(
        "city_a_id", "city_a__country", "city_b_id", "city_b__country"
    ):
        if country_a == code:
            counts[city_a] += 1
        if country_b == code:
            counts[city_b] += 1
    names = dict(City.objects.filter(pk__in=list(counts)).values_list("pk", "name"))
    ordered = sorted(counts, key=lambda pk: (-counts[pk], names[pk], pk))
    page = Paginator(ordered, per_page).get_page(page_number)
    cities = {city.pk: city for city in public_cities().filter(pk__in=list(page.object_list)).with_names()}
    page.object_list = [cities[pk] for pk in page.object_list]
    for city in page.object_list:
        city.partner_count = counts[city.pk]
    return page


def partner_countries(code):
    """[(Country, number of twinnings)] of the countries a country's cities twin with, most first.

    A twinning of two cities of the same country counts once, under that country.
    """
    twinnings = public_twinnings().order_by()
    counts = Counter()
    from_a = twinnings.filter(city_a__country=code).values_list("city_b__country").annotate(n=Count("pk"))
    from_b = (
        twinnings.filter(city_b__country=code)
        .exclude(city_a__country=code)
        .values_list("city_a__country")
        .annotate(n=Count("pk"))
    )
    for partner_code, number in [*from_a, *from_b]:
        counts[partner_code] += number
    return sorted(((Country(c), n) for c, n in counts.items()), key=lambda pair: (-pair[1], pair[0].name))


def countries_overview():
    """[(Country, twinned cities, twinnings)] for every country with a public twinning, by name.

    A twinning of two cities of one country counts once for it. One pass over the twinnings.
    """
    cities, twinnings = defaultdict(set), Counter()
    rows = public_twinnings().order_by().values_list("city_a_id", "city_a__country", "city_b_id", "city_b__country")
    for city_a, country_a, city_b, country_b in rows:
        cities[country_a].add(city_a)
        cities[country_b].add(city_b)
        twinnings[country_a] += 1
        if country_b != country_a:
            twinnings[country_b] += 1
    overview = [(Country(code), len(ids), twinnings[code]) for code, ids in cities.items()]
    return sorted(overview, key=lambda row: row[0].name)


def known_country(code):
    """The Country for an ISO code (any case), or None when there is no such country."""
    code = (code or "").upper()
    return Country(code) if code in countries else None
