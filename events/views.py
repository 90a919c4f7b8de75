"""Public pages of delegations and joint events."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from events.models import ProgrammeItem
from events.public import delegations_for_display, events_for_display, public_delegations, public_events
from twinning.public import agreements_for_display, is_public_twinning, public_agreements


@require_safe
def delegation_detail(request, pk):
    delegation = get_object_or_404(
        delegations_for_display(public_delegations())
        .select_related("twinning__city_a", "twinning__city_b")
        .prefetch_related(Prefetch("programme", queryset=ProgrammeItem.objects.select_related("organisation"))),
        pk=pk,
    )
    context = {
        "delegation": delegation,
        "twinning": delegation.twinning if is_public_twinning(delegation.twinning) else None,
        "agreements": agreements_for_display(public_agreements().filter(delegation=delegation)),
    }
    return render(request, "events/delegation_detail.html", context)


@require_safe
def event_detail(request, pk):
    event = get_object_or_404(
        events_for_display(public_events()).select_related("twinning__city_a", "twinning__city_b"), pk=pk
    )
    context = {
        "event": event,
        "twinning": event.twinning if is_public_twinning(event.twinning) else None,
        "agreements": agreements_for_display(public_agreements().filter(signed_at_event=event)),
    }
    return render(request, "events/jointevent_detail.html", context)
