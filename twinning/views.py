"""Public pages of the agreements app: home, twinning, agreement, search and the network map."""

import gzip

from django.db.models import F, Q
from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_safe

from events.public import delegations_for_display, events_for_display, public_delegations, public_events
from twinning.network_map import compressed_map_data
from twinning.anniversaries import upcoming_anniversaries
from twinning import claims, lifecycle
from twinning.public import (
    agreements_for_display,
    cached_site_counts,
    is_public_twinning,
    latest_delegations,
    latest_events,
    pair_agreements,
    pair_delegations,
    pair_events,
    public_agreements,
    public_twinnings,
    status_history,
)
from twinning.search import autocomplete, normalise_query, search

HOME_ANNIVERSARIES = 10


@require_safe
def home(request):
    return render(
        request,
        "twinning/home.html",
        {
            "counts": cached_site_counts(),
            "delegations": latest_delegations(),
            "events": latest_events(),
            "anniversaries": upcoming_anniversaries(within_days=90)[:HOME_ANNIVERSARIES],
        },
    )


@require_safe
def twinning_detail(request, slug_a, slug_b):
    """One relationship's story. Either order of the slugs finds it; the stored order is canonical."""
    twinning = get_object_or_404(
        claims.with_open_claims(lifecycle.with_dormancy(public_twinnings().with_status()))
        .select_related("city_a", "city_b")
        .prefetch_related("city_a__names", "city_b__names", "sources"),
        Q(city_a__slug=slug_a, city_b__slug=slug_b) | Q(city_a__slug=slug_b, city_b__slug=slug_a),
    )
    if (slug_a, slug_b) != (twinning.city_a.slug, twinning.city_b.slug):
        return redirect(twinning, permanent=True)
    newest_first = F("signed_on").desc(nulls_last=True)
    context = {
        "twinning": twinning,
        "history": status_history(twinning),
        "agreements": agreements_for_display(pair_agreements(twinning)).order_by(newest_first, "pk"),
        "delegations": delegations_for_display(pair_delegations(twinning)).order_by(
            F("start_on").desc(nulls_last=True), "pk"
        ),
        "events": events_for_display(pair_events(twinning)).order_by(F("start_on").desc(nulls_last=True), "pk"),
    }
    return render(request, "twinning/twinning_detail.html", context)


@require_safe
def agreement_detail(request, pk):
    agreement = get_object_or_404(
        agreements_for_display(public_agreements()).select_related("twinning__city_a", "twinning__city_b", "delegation"),
        pk=pk,
    )
    context = {
        "agreement": agreement,
        "twinning": agreement.twinning if is_public_twinning(agreement.twinning) else None,
        "delegation": public_delegations().filter(pk=agreement.delegation_id).first() if agreement.delegation_id else None,
        "event": public_events().filter(pk=agreement.signed_at_event_id).first() if agreement.signed_at_event_id else None,
    }
    return render(request, "twinning/agreement_detail.html", context)


@require_safe
def search_page(request):
    results = search(request.GET.get("q", ""))
    return render(request, "twinning/search.html", {"query": results.query, "results": results})


@require_safe
def autocomplete_suggestions(request):
    """JSON suggestions for the search box: {"query": ..., "results": [{type, label, detail, url, ...}]}."""
    query = normalise_query(request.GET.get("q", ""))
    response = JsonResponse({"query": query, "results": autocomplete(query)})
    patch_cache_control(response, public=True, max_age=300)
    patch_vary_headers(response, ["Accept-Language", "Cookie"])
    return response


@require_safe
def network_map(request):
    strings = {
        "shown": gettext("%(cities)s cities and %(links)s twinnings on the map."),
        "partners": gettext("Partner cities"),
        "noPartners": gettext("No partners with the chosen statuses."),
        "cityPage": gettext("Open the city page"),
        "loadFailed": gettext("The map data could not be loaded. Reload the page to try again."),
        "notFound": gettext("This city is not on the map."),
    }
    context = {"selected_slug": request.GET.get("city", "")[:100], "map_strings": strings}
    return render(request, "twinning/map.html", context)


@require_safe
def map_data(request):
    """The map's cities and lines as gzip-compressed JSON, with an ETag for revalidation."""
    language = get_language()
    version, body = compressed_map_data(language)
    etag = f'"{version}-{language}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    elif "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(body, content_type="application/json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(body), content_type="application/json")
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=300)
    patch_vary_headers(response, ["Accept-Encoding", "Accept-Language", "Cookie"])
    return response
