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
from events.models import JointEvent
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


def _annotate_newest(twinnings, prefix, cases):
    """Annotate `<prefix><n>_pk` and `<prefix><n>_on`: the newest record of each case of the pair rule."""
    annotations = {}
    for number, (queryset, field) in enumerate(cases):
        newest = queryset.order_by(F(field).desc(nulls_last=True), "-pk")
        annotations[f"{prefix}{number}_pk"] = Subquery(newest.values("pk")[:1])
        annotations[f"{prefix}{number}_on"] = Subquery(newest.values(field)[:1])
    return twinnings.annotate(**annotations)


def _newest_record(twinning, event_cases):
    """(date, "event" or "visit", pk, (from city, to city)) of the pair's newest record, or None.

    Undated records count only when nothing is dated (ISO text compares in time order)."""
    candidates = [
        (getattr(twinning, f"event{n}_on"), "event", getattr(twinning, f"event{n}_pk"), None) for n in range(event_cases)
    ]
    # visit0 goes from city_a to city_b, visit1 back (lifecycle.pair_delegations()).
    directions = [(twinning.city_a, twinning.city_b), (twinning.city_b, twinning.city_a)]
    candidates += [
        (getattr(twinning, f"visit{n}_on"), "visit", getattr(twinning, f"visit{n}_pk"), directions[n]) for n in range(2)
    ]
    candidates = [candidate for candidate in candidates if candidate[2]]
    return max(candidates, key=lambda c: c[0].isoformat() if c[0] else "", default=None)


def _latest_event(record, event_titles):
    if record is None:
        return None
    date, kind, pk, direction = record
    if kind == "event":
        return LatestEvent(event_titles[pk], date, reverse("events:event_detail", args=[pk]))
    title = translation.gettext("Delegation of %(from)s to %(to)s") % {
        "from": direction[0].display_name(), "to": direction[1].display_name()
    }
    return LatestEvent(title, date, reverse("events:delegation_detail", args=[pk]))


def partners_of(city):
    """The public partners of `city` with status and latest joint event or visit.

    Four queries for any number of partners: the twinnings with the newest record of each case
    of the pair rule annotated, the names of both sides, and the titles of the chosen events.
    """
    event_cases = lifecycle.pair_events()
    latest_change = StatusChange.objects.filter(twinning=OuterRef("pk")).order_by(F("date").desc(nulls_last=True), "-id")
    twinnings = (
        public_twinnings()
        .involving(city)
        .with_status()
        .with_cities()
        # For a suspended or ended tie: since when (the same ordering as with_status()).
        .annotate(status_changed_on=Subquery(latest_change.values("date")[:1]))
    )
    twinnings = _annotate_newest(_annotate_newest(twinnings, "event", event_cases), "visit", lifecycle.pair_delegations())
    newest = {twinning: _newest_record(twinning, len(event_cases)) for twinning in twinnings}
    event_ids = [record[2] for record in newest.values() if record and record[1] == "event"]
    event_titles = dict(JointEvent.objects.filter(pk__in=event_ids).values_list("pk", "title")) if event_ids else {}
    partners = [
        Partner(twinning.partner_of(city), twinning, _latest_event(record, event_titles)) for twinning, record in newest.items()
    ]
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
