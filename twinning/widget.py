"""The embeddable "our twin cities" widget.

A city's website embeds it with one line, either

    <script src="https://<registry>/widget/<city-slug>.js?lang=en" async></script>

which puts an iframe where the script stands and resizes it to its content, or the iframe
itself (`/widget/<city-slug>/?lang=en`). The iframe page lists the partners with their flags,
the status of each twinning and its latest event, in Russian or English. Everything it loads
(styles, script, flags from django-countries' static files) comes from the registry itself:
no third-party request.

The whole site forbids framing (X_FRAME_OPTIONS = "DENY", CSP frame-ancestors 'none'); only
the widget page lifts both.
"""

import json
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, OuterRef, Subquery
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.template.loader import render_to_string
from django.views.decorators.clickjacking import xframe_options_exempt
from csp.decorators import csp_replace

from cities.models import City
from twinning import lifecycle
from twinning.models import StatusChange, Twinning, TwinningStatus
from twinning.public import public_twinnings

WIDGET_LANGUAGES = ("ru", "en")
STATUS_ORDER = {TwinningStatus.ACTIVE: 0, TwinningStatus.SUSPENDED: 1, TwinningStatus.ENDED: 2}
CACHE_SECONDS = 600


def widget_language(request):
    """`?lang=` when it is one the widget speaks, else the site's default language."""
    requested = request.GET.get("lang", "")
    return requested if requested in WIDGET_LANGUAGES else settings.LANGUAGE_CODE[:2]


@dataclass(frozen=True)
class LatestEvent:
    title: str
    date: object  # PartialDate or None
    url: str


@dataclass(frozen=True)
class Partner:
    city: City
    twinning: Twinning
    latest: LatestEvent | None


def _latest_event(twinning, city):
    """The later of the pair's latest joint event and latest delegation (from annotations)."""
    candidates = []
    if twinning.latest_event_id:
        candidates.append(
            LatestEvent(twinning.latest_event_title, twinning.latest_event_on, reverse("events:event_detail", args=[twinning.latest_event_id]))
        )
    if twinning.latest_visit_id:
        partner = twinning.partner_of(city)
        visiting, host = (city, partner) if twinning.latest_visit_from_id == city.pk else (partner, city)
        title = translation.gettext("Delegation of %(from)s to %(to)s") % {
            "from": visiting.display_name(), "to": host.display_name()
        }
        candidates.append(LatestEvent(title, twinning.latest_visit_on, reverse("events:delegation_detail", args=[twinning.latest_visit_id])))
    # Undated ones only when nothing dated exists; ISO text compares in time order.
    return max(candidates, key=lambda event: event.date.isoformat() if event.date else "", default=None)


def partners_of(city):
    """The published partners of `city` with status and latest event: four queries for any number."""
    events = lifecycle.pair_events().order_by(F("start_on").desc(nulls_last=True), "-pk")
    visits = lifecycle.pair_delegations().order_by(F("start_on").desc(nulls_last=True), "-pk")
    latest_change = StatusChange.objects.filter(twinning=OuterRef("pk")).order_by(F("date").desc(nulls_last=True), "-id")
    twinnings = (
        public_twinnings()
        .involving(city)
        .with_status()
        .with_cities()
        .annotate(
            latest_event_id=Subquery(events.values("pk")[:1]),
            latest_event_title=Subquery(events.values("title")[:1]),
            latest_event_on=Subquery(events.values("start_on")[:1]),
            latest_visit_id=Subquery(visits.values("pk")[:1]),
            latest_visit_on=Subquery(visits.values("start_on")[:1]),
            latest_visit_from_id=Subquery(visits.values("from_city")[:1]),
            # For a suspended or ended tie: since when (the same ordering as with_status()).
            status_changed_on=Subquery(latest_change.values("date")[:1]),
        )
    )
    partners = [Partner(t.partner_of(city), t, _latest_event(t, city)) for t in twinnings]
    return sorted(partners, key=lambda p: (STATUS_ORDER[p.twinning.status], p.city.display_name().casefold()))


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
@cache_control(public=True, max_age=CACHE_SECONDS)
def widget_page(request, slug):
    """The iframe: any site may frame it."""
    city = get_object_or_404(City.objects.published().with_names(), slug=slug)
    with translation.override(widget_language(request)):
        return render(
            request,
            "widget/widget.html",
            {"city": city, "partners": partners_of(city), "origin": request.build_absolute_uri("/").rstrip("/")},
        )


@cache_control(public=True, max_age=CACHE_SECONDS)
def embed_script(request, slug):
    """The one-line <script> embed: inserts the iframe and keeps its height fitted to the content."""
    city = get_object_or_404(City.objects.published().with_names(), slug=slug)
    language = widget_language(request)
    frame_url = request.build_absolute_uri(reverse("lifecycle:widget", kwargs={"slug": city.slug})) + f"?lang={language}"
    with translation.override(language):
        title = translation.gettext("Twin cities of %(city)s") % {"city": city.display_name(language)}
    # JSON literals are valid JavaScript; the template must not HTML-escape them.
    script = render_to_string("widget/embed.js", {"frame_url": json.dumps(frame_url), "title": json.dumps(title)})
    return HttpResponse(script, content_type="text/javascript; charset=utf-8")
