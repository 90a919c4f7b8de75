"""What the public site may show of delegations and joint events, with what each page needs loaded."""

from django.db.models import Prefetch, Q

from cities.models import City, Organisation
from events.models import Delegation, JointEvent
from twinning.records import Publication

PUBLISHED = Publication.PUBLISHED


def public_delegations():
    """Published delegations between published cities."""
    return Delegation.objects.published().filter(from_city__publication=PUBLISHED, to_city__publication=PUBLISHED)


def public_events():
    """Published events whose host city, if any, is published."""
    return JointEvent.objects.published().filter(Q(host_city__isnull=True) | Q(host_city__publication=PUBLISHED))


def delegations_for_display(queryset):
    """Cities with their names, the head, and only published organisations, for lists and pages."""
    return queryset.select_related("from_city", "to_city", "head").prefetch_related(
        "from_city__names",
        "to_city__names",
        Prefetch("organisations", queryset=Organisation.objects.published().select_related("city")),
        "sources",
    )


def events_for_display(queryset):
    """Host and only published participants and organisations, with names, for lists and pages."""
    return queryset.select_related("host_city").prefetch_related(
        "host_city__names",
        Prefetch("participants", queryset=City.objects.published().with_names()),
        Prefetch("organisations", queryset=Organisation.objects.published().select_related("city")),
        "sources",
    )


def events_involving(city):
    """Public events `city` hosts or takes part in (no join duplicates: a subquery, not a join)."""
    participating = JointEvent.participants.through.objects.filter(city=city).values("jointevent_id")
    return public_events().filter(Q(host_city=city) | Q(pk__in=participating))
