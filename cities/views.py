"""Public pages of cities, countries, organisations and persons."""

from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from cities import public
from cities.models import Organisation, Position
from events.public import delegations_for_display, events_for_display, public_delegations, public_events
from twinning.public import agreements_for_display, public_agreements, partners_of
from twinning.records import Publication

TIMELINE_PAGE_SIZE = 20
COUNTRY_PAGE_SIZE = 50


@require_safe
def city_detail(request, slug):
    city = get_object_or_404(public.public_cities().with_names().prefetch_related("sources"), slug=slug)
    partners = partners_of(city)
    timeline = Paginator(public.city_timeline(city), TIMELINE_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "city": city,
        "names": public.names_by_language(city),
        "partners": partners,
        "timeline": timeline,
        "timeline_items": public.load_timeline_items(timeline.object_list),
        "mini_map": _mini_map_data(city, partners),
    }
    return render(request, "cities/city_detail.html", context)


def _mini_map_data(city, partners):
    """What the city page's small map draws: the city, and a line to each located partner."""
    if city.latitude is None or city.longitude is None:
        return None
    return {
        "city": [city.latitude, city.longitude, city.display_name()],
        "partners": [
            [t.partner.latitude, t.partner.longitude, t.partner.display_name(), t.status]
            for t in partners
            if t.partner.latitude is not None and t.partner.longitude is not None
        ],
    }


@require_safe
def country_list(request):
    return render(request, "cities/country_list.html", {"countries": public.countries_overview()})


@require_safe
def country_detail(request, code):
    country = public.known_country(code)
    if country is None:
        raise Http404("No such country")
    cities = public.country_cities_page(country.code, request.GET.get("page"), COUNTRY_PAGE_SIZE)
    context = {"country": country, "cities": cities, "partner_countries": public.partner_countries(country.code)}
    return render(request, "cities/country_detail.html", context)


@require_safe
def organisation_detail(request, slug):
    organisation = get_object_or_404(
        public.public_organisations()
        .select_related("city", "parent")
        .prefetch_related(
            "city__names",
            "sources",
            Prefetch("units", queryset=Organisation.objects.published()),
            Prefetch(
                "positions",
                queryset=Position.objects.filter(person__publication=Publication.PUBLISHED)
                .select_related("person")
                .order_by(F("start").desc(nulls_last=True)),
            ),
        ),
        slug=slug,
    )
    newest = F("start_on").desc(nulls_last=True)
    context = {
        "organisation": organisation,
        "parent": organisation.parent if organisation.parent and organisation.parent.is_published() else None,
        "agreements": agreements_for_display(
            public_agreements().filter(parties__organisation=organisation)
        ).order_by(F("signed_on").desc(nulls_last=True), "pk"),
        "delegations": delegations_for_display(public_delegations().filter(organisations=organisation)).order_by(
            newest, "pk"
        ),
        "events": events_for_display(public_events().filter(organisations=organisation)).order_by(newest, "pk"),
    }
    return render(request, "cities/organisation_detail.html", context)


@require_safe
def person_detail(request, slug):
    person = get_object_or_404(
        public.public_persons()
        .select_related("city")
        .prefetch_related(
            "city__names",
            "sources",
            Prefetch(
                "positions",
                queryset=Position.objects.filter(
                    organisation__publication=Publication.PUBLISHED
                ).select_related("organisation").order_by(F("start").desc(nulls_last=True)),
            ),
        ),
        slug=slug,
    )
    context = {
        "person": person,
        "agreements": agreements_for_display(public_agreements().filter(signatories__person=person)).order_by(
            F("signed_on").desc(nulls_last=True), "pk"
        ),
        "delegations": delegations_for_display(public_delegations().filter(head=person)).order_by(
            F("start_on").desc(nulls_last=True), "pk"
        ),
    }
    return render(request, "cities/person_detail.html", context)
