"""Queries of the public site: what may be shown, a pair's story, per-partner activity, statistics.

"Public" means published, and for a relationship also that both cities are published, so no page
links to a city that is still a draft.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone

from events.models import JointEvent
from events.public import (
    delegations_for_display,
    events_for_display,
    events_involving,
    public_delegations,
    public_events,
)
from twinning.models import Agreement, AgreementParty, AgreementSignatory, StatusChange, Twinning
from twinning.partial_dates import in_year
from twinning.records import Publication

PUBLISHED = Publication.PUBLISHED


def public_twinnings():
    """Published twinnings of two published cities (add .with_status() to show their status)."""
    return Twinning.objects.published().filter(city_a__publication=PUBLISHED, city_b__publication=PUBLISHED)


def is_public_twinning(twinning):
    """The instance check matching public_twinnings() (reads both cities)."""
    return bool(
        twinning
        and twinning.is_published()
        and twinning.city_a.is_published()
        and twinning.city_b.is_published()
    )


def public_agreements():
    return Agreement.objects.published()


def agreements_for_display(queryset):
    """Parties, signatories and places, showing only published cities, organisations and persons."""
    published_party = Q(city__publication=PUBLISHED) | Q(
        organisation__publication=PUBLISHED, organisation__city__publication=PUBLISHED
    )
    return queryset.select_related("signed_in", "signed_at_event").prefetch_related(
        "signed_in__names",
        Prefetch(
            "parties",
            queryset=AgreementParty.objects.filter(published_party).select_related("city", "organisation__city"),
        ),
        "parties__city__names",
        "parties__organisation__city__names",
        Prefetch(
            "signatories",
            queryset=AgreementSignatory.objects.filter(person__publication=PUBLISHED).select_related(
                "person", "organisation"
            ),
        ),
        "sources",
    )


def _party_agreement_ids(city):
    """Ids of agreements with `city` or one of its organisations among the parties (a subquery)."""
    return AgreementParty.objects.filter(Q(city=city) | Q(organisation__city=city)).values("agreement_id")


def agreements_involving(city):
    return public_agreements().filter(pk__in=_party_agreement_ids(city))


# ---------------------------------------------------------------- one pair's story
# A record belongs to a pair when it is linked to their twinning, or when both cities take part
# (parties of an agreement; host or participants of an event; the two ends of a visit).
# pair_activity() counts by the same rule for a whole city at once; a test keeps the two in step.


def pair_agreements(twinning):
    a, b = twinning.city_a_id, twinning.city_b_id
    return public_agreements().filter(
        Q(twinning=twinning) | (Q(pk__in=_party_agreement_ids(a)) & Q(pk__in=_party_agreement_ids(b)))
    )


def pair_delegations(twinning):
    return public_delegations().between(twinning.city_a_id, twinning.city_b_id)


def pair_events(twinning):
    a_events = events_involving(twinning.city_a_id).values("pk")
    b_events = events_involving(twinning.city_b_id).values("pk")
    return public_events().filter(Q(twinning=twinning) | (Q(pk__in=a_events) & Q(pk__in=b_events)))


def status_history(twinning):
    return StatusChange.objects.filter(twinning=twinning).select_related("source")


@dataclass
class PairActivity:
    agreements: int = 0
    visits: int = 0
    events: int = 0


def pair_activity(city, twinnings):
    """{twinning id: PairActivity} for `city`'s `twinnings`, in five queries whatever their number.

    Counts by the rule of pair_agreements(), pair_delegations() and pair_events().

    Reads every agreement, delegation and event involving `city` as id rows and groups them by
    partner in Python: a correlated count per partner would be a query (or subplan) per row.
    """
    twinning_of_partner = {t.partner_of(city).pk: t.pk for t in twinnings}
    activity = {t.pk: PairActivity() for t in twinnings}

    agreements = defaultdict(set)  # twinning id -> agreement ids
    linked = public_agreements().filter(Q(pk__in=_party_agreement_ids(city)) | Q(twinning__in=list(activity)))
    for agreement_id, twinning_id in linked.values_list("pk", "twinning_id"):
        if twinning_id in activity:
            agreements[twinning_id].add(agreement_id)
    party_rows = AgreementParty.objects.filter(
        agreement__in=agreements_involving(city).values("pk")
    ).values_list("agreement_id", "city_id", "organisation__city_id")
    for agreement_id, city_id, organisation_city_id in party_rows:
        partner_twinning = twinning_of_partner.get(city_id or organisation_city_id)
        if partner_twinning:
            agreements[partner_twinning].add(agreement_id)
    for twinning_id, ids in agreements.items():
        activity[twinning_id].agreements = len(ids)

    visits = public_delegations().involving(city).values("from_city_id", "to_city_id").annotate(n=Count("pk"))
    for row in visits:
        partner = row["to_city_id"] if row["from_city_id"] == city.pk else row["from_city_id"]
        if partner in twinning_of_partner:
            activity[twinning_of_partner[partner]].visits += row["n"]

    events = defaultdict(set)
    city_events = events_involving(city)
    linked = public_events().filter(Q(pk__in=city_events.values("pk")) | Q(twinning__in=list(activity)))
    for event_id, host_id, twinning_id in linked.values_list("pk", "host_city_id", "twinning_id"):
        for twinning in (twinning_id, twinning_of_partner.get(host_id)):
            if twinning in activity:
                events[twinning].add(event_id)
    participant_rows = JointEvent.participants.through.objects.filter(
        jointevent_id__in=city_events.values("pk")
    ).values_list("jointevent_id", "city_id")
    for event_id, participant_id in participant_rows:
        if participant_id in twinning_of_partner:
            events[twinning_of_partner[participant_id]].add(event_id)
    for twinning_id, ids in events.items():
        activity[twinning_id].events = len(ids)
    return activity


def partners_of(city):
    """`city`'s public twinnings, newest first, each with `.partner` and `.activity` set."""
    twinnings = list(
        public_twinnings()
        .with_status()
        .involving(city)
        .select_related("city_a", "city_b")
        .prefetch_related("city_a__names", "city_b__names")
        .order_by(F("established_on").desc(nulls_last=True), "pk")
    )
    activity = pair_activity(city, twinnings)
    for twinning in twinnings:
        twinning.partner = twinning.partner_of(city)
        twinning.activity = activity[twinning.pk]
    return twinnings


# ---------------------------------------------------------------- statistics


def site_counts(today=None):
    """Counts for the home page: cities in at least one public twinning, twinnings, countries, events this year.

    Counted from the twinnings' side (UNION of both ends): the city table may hold a quarter of
    a million gazetteer cities, most of them without a partner.
    """
    today = today or timezone.localdate()
    twinnings = public_twinnings().order_by()

    def both_ends(field_a, field_b):
        return twinnings.values_list(field_a).union(twinnings.values_list(field_b))

    return {
        "cities": both_ends("city_a_id", "city_b_id").count(),
        "twinnings": twinnings.count(),
        "countries": both_ends("city_a__country", "city_b__country").count(),
        "events_this_year": public_events().filter(in_year("start_on", today.year)).count(),
    }


def cached_site_counts(seconds=300):
    """site_counts(), computed at most every `seconds` (the home page needs no fresher figures)."""
    return cache.get_or_set("home:site-counts", site_counts, seconds)


def latest_delegations(limit=5):
    """The most recently published delegations."""
    newest = delegations_for_display(public_delegations())
    return newest.order_by(F("published_at").desc(nulls_last=True), "-pk")[:limit]


def latest_events(limit=5):
    """The most recently published joint events."""
    return events_for_display(public_events()).order_by(F("published_at").desc(nulls_last=True), "-pk")[:limit]

