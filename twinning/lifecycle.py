"""The life of a relationship beyond its recorded states: agreements that run out, ties that go
silent.

Both are computed in SQL as annotations, so a list of 26,000 twinnings can be filtered on them
without reading rows into Python:

- an agreement signed on a full date for `term_years` expires on the same day `term_years`
  later (`with_expiry`); an open-ended agreement or one dated only to the year or month has no
  computed expiry;
- a twinning whose derived status is active is *dormant* when nothing published happened between
  its two cities for `DORMANT_AFTER_YEARS` years (default 3): no delegation, joint event or
  agreement, and no establishment, dated inside that window (`with_dormancy`). A tie with no
  dated activity at all is dormant too: the registry knows of no sign of life.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce, Collate, Concat, Greatest
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from events.public import public_delegations, public_events
from twinning.models import STATUS_OF_STATE, TwinningStatus
from twinning.partial_dates import PartialDateField, on_or_after
from twinning.public import public_agreements

EXPIRING_WITHIN_DAYS = 90
FULL_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def dormant_after_years():
    return getattr(settings, "DORMANT_AFTER_YEARS", 3)


def years_before(day, years):
    """The same calendar day `years` earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


# ---------------------------------------------------------------- agreement expiry


class _AddYears(models.Func):
    """date + n years, as a date (PostgreSQL turns 29 February into 28 February)."""

    output_field = models.DateField()

    def as_sql(self, compiler, connection, **extra_context):
        day, years = self.get_source_expressions()
        day_sql, day_params = compiler.compile(day)
        years_sql, years_params = compiler.compile(years)
        return f"CAST(({day_sql}) + make_interval(years => {years_sql}) AS date)", (*day_params, *years_params)


def expiry_expression():
    """SQL for an agreement's expiry date, NULL when open-ended or not signed on a full date."""
    return Case(
        When(
            Q(term_years__isnull=False, signed_on__regex=FULL_DATE_PATTERN),
            then=_AddYears(Cast("signed_on", models.DateField()), F("term_years")),
        ),
        default=None,
        output_field=models.DateField(),
    )


def with_expiry(agreements):
    """Annotate `expires_on` (a date or None) on an Agreement queryset."""
    return agreements.annotate(expires_on=expiry_expression())


def expiring_within(agreements, days=EXPIRING_WITHIN_DAYS, *, today=None):
    """Agreements expiring from `today` up to `days` days later, soonest first."""
    today = today or timezone.localdate()
    return (
        with_expiry(agreements)
        .filter(expires_on__gte=today, expires_on__lte=today + datetime.timedelta(days=days))
        .order_by("expires_on", "pk")
    )


def agreements_watched_by(user):
    """The agreements whose expiry `user` watches: those their press offices edit (drafts too)
    for a press officer or registry editor, the published ones for everybody else."""
    from twinning.models import Agreement
    from twinning.permissions import is_press_officer, is_registry_editor

    if is_registry_editor(user) or is_press_officer(user):
        return Agreement.objects.editable_by(user)
    return public_agreements()


# ---------------------------------------------------------------- dormant twinnings


def _latest(queryset, field):
    """Subquery: the latest non-empty partial date `field` in `queryset` (ISO text sorts in time order)."""
    rows = queryset.exclude(**{f"{field}__isnull": True}).order_by(F(field).desc()).values(field)[:1]
    return Subquery(rows, output_field=PartialDateField())


# The pair rule of the public twinning page (twinning.public.pair_*): a record belongs to a pair
# when it is linked to the twinning or both cities take part. Here it is spelt out case by case
# as correlated subqueries on an outer Twinning queryset, each reaching its rows through an
# index (the city or twinning foreign key). One OR across tables ("host or participant",
# "city or organisation's city") would make PostgreSQL scan every event or agreement once
# per twinning: more than fifteen minutes for 24,000 twinnings instead of a few seconds.


def pair_delegations():
    """[(queryset, date field)]: public delegations from one city of the OuterRef twinning to the other."""
    a, b = OuterRef("city_a"), OuterRef("city_b")
    return [
        (public_delegations().filter(from_city=a, to_city=b), "start_on"),
        (public_delegations().filter(from_city=b, to_city=a), "start_on"),
    ]


def pair_events():
    """[(queryset, date field)]: public joint events linked to the OuterRef twinning or joined by both its cities."""
    a, b = OuterRef("city_a"), OuterRef("city_b")
    return [
        (public_events().filter(twinning=OuterRef("pk")), "start_on"),
        (public_events().filter(host_city=a, participants=b), "start_on"),
        (public_events().filter(host_city=b, participants=a), "start_on"),
        (public_events().filter(participants=a).filter(participants=b), "start_on"),
    ]


def pair_agreements():
    """[(queryset, date field)]: public agreements linked to the OuterRef twinning or with both its
    cities, or organisations of them, among the parties."""
    a, b = OuterRef("city_a"), OuterRef("city_b")
    city, organisation_city = "parties__city", "parties__organisation__city"
    linked = [(public_agreements().filter(twinning=OuterRef("pk")), "signed_on")]
    return linked + [
        (public_agreements().filter(**{first: a}).filter(**{second: b}), "signed_on")
        for first in (city, organisation_city)
        for second in (city, organisation_city)
    ]


def _recent(field, cutoff):
    """Q: the partial date `field` reaches `cutoff` or later.

    The plain comparison with the cutoff's year says the same for every record of an earlier
    year and lets PostgreSQL estimate how few records are recent; with that estimate it hashes
    them once instead of probing an index for every twinning.
    """
    return Q(**{f"{field}__gte": f"{cutoff.year:04d}"}) & on_or_after(field, cutoff)


def pair_activity():
    return pair_delegations() + pair_events() + pair_agreements()


def with_last_activity(twinnings):
    """Annotate `last_activity_on`: the latest dated public delegation, joint event or agreement of
    the pair, or the establishment date (a subquery per case: for a page or a short list)."""
    latest = [_latest(queryset, field) for queryset, field in pair_activity()]
    return twinnings.annotate(
        last_activity_on=Greatest(*latest, F("established_on"), output_field=PartialDateField())
    )


def _recently_active_twinnings(cutoff):
    """Q: the twinning has a public record of the pair on or after `cutoff`, as one
    "pk IN (recently active twinnings)" per case: PostgreSQL finds the recently active twinnings
    of each case once and hashes them (under a second for 24,000 twinnings, where a correlated
    probe per twinning and case takes several)."""
    from twinning.models import Twinning

    condition = on_or_after("established_on", cutoff)
    for queryset, field in pair_activity():
        recent = Twinning.objects.filter(Exists(queryset.filter(_recent(field, cutoff))))
        condition |= Q(pk__in=recent.values("pk"))
    return condition


def _silent_since(cutoff):
    """Q: `last_activity_on` is empty or its whole period lies before `cutoff`.

    A partial date with "~" appended sorts after every day of its period ("2021~" > "2021-12-31")
    and before the next period, so one comparison (in byte order, whatever the database's
    collation) does it, and the eleven subqueries of `last_activity_on` are written only once more.
    """
    marked = Collate(Concat(Coalesce("last_activity_on", Value("0")), Value("~")), "C")
    return Q(GreaterThan(Value(cutoff.isoformat()), marked))


def with_dormancy(twinnings, *, years=None, today=None, whole_list=False):
    """Annotate `current_state` and `is_dormant` on a Twinning queryset.

    For a page or a short list (the default) it also annotates `last_activity_on` and compares
    it with the cutoff. For filtering or counting a whole list pass `whole_list=True`: the
    recently active twinnings are then found set by set instead (no `last_activity_on`).
    """
    years = dormant_after_years() if years is None else years
    cutoff = years_before(today or timezone.localdate(), years)
    active_states = [state for state, status in STATUS_OF_STATE.items() if status == TwinningStatus.ACTIVE]
    if "current_state" not in twinnings.query.annotations:
        twinnings = twinnings.with_status()
    if whole_list:
        quiet = ~_recently_active_twinnings(cutoff)
    else:
        twinnings = with_last_activity(twinnings)
        quiet = _silent_since(cutoff)
    return twinnings.annotate(
        is_dormant=ExpressionWrapper(Q(current_state__in=active_states) & quiet, output_field=models.BooleanField())
    )


def dormant(twinnings, *, years=None, today=None, whole_list=True):
    """Active twinnings with no activity for `years` years (see the module docstring)."""
    return with_dormancy(twinnings, years=years, today=today, whole_list=whole_list).filter(is_dormant=True)


def not_dormant(twinnings, *, years=None, today=None, whole_list=True):
    return with_dormancy(twinnings, years=years, today=today, whole_list=whole_list).filter(is_dormant=False)
