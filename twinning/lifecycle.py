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
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Cast, Greatest, Left, Length
from django.utils import timezone

from events.models import JointEvent
from events.public import public_delegations, public_events
from twinning.models import STATUS_OF_STATE, AgreementParty, TwinningStatus
from twinning.partial_dates import PartialDateField
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


# ---------------------------------------------------------------- dormant twinnings


def _latest(queryset, field):
    """Subquery: the latest non-empty partial date `field` in `queryset` (ISO text sorts in time order)."""
    rows = queryset.exclude(**{f"{field}__isnull": True}).order_by(F(field).desc()).values(field)[:1]
    return Subquery(rows, output_field=PartialDateField())


# The pair rule of the public twinning page (twinning.public.pair_*), as correlated subqueries
# on an outer Twinning queryset so that a whole list is annotated in one query.


def pair_delegations():
    """Public delegations between the two cities of the OuterRef twinning, in either direction."""
    pair = Q(from_city=OuterRef("city_a"), to_city=OuterRef("city_b")) | Q(
        from_city=OuterRef("city_b"), to_city=OuterRef("city_a")
    )
    return public_delegations().filter(pair)


def pair_events():
    """Public joint events of the OuterRef twinning: linked, or with both its cities as host or participants."""
    participants = JointEvent.participants.through

    def involves(side):
        joined = participants.objects.filter(jointevent=OuterRef("pk"), city=OuterRef(OuterRef(side)))
        return Q(host_city=OuterRef(side)) | Exists(joined)

    return public_events().filter(Q(twinning=OuterRef("pk")) | (involves("city_a") & involves("city_b")))


def pair_agreements():
    """Public agreements of the OuterRef twinning: linked, or with both its cities (or their organisations) as parties."""

    def party(side):
        city = OuterRef(OuterRef(side))
        parties = AgreementParty.objects.filter(agreement=OuterRef("pk")).filter(Q(city=city) | Q(organisation__city=city))
        return Exists(parties)

    return public_agreements().filter(Q(twinning=OuterRef("pk")) | (party("city_a") & party("city_b")))


def with_last_activity(twinnings):
    """Annotate `last_activity_on`: the latest dated public delegation, joint event or agreement of
    the pair (the rule of the public twinning page), or the establishment date."""
    return twinnings.annotate(
        last_activity_on=Greatest(
            _latest(pair_delegations(), "start_on"),
            _latest(pair_events(), "start_on"),
            _latest(pair_agreements(), "signed_on"),
            F("established_on"),
            output_field=PartialDateField(),
        )
    )


def with_dormancy(twinnings, *, years=None, today=None):
    """Annotate `last_activity_on`, `current_state` and `is_dormant` on a Twinning queryset."""
    years = dormant_after_years() if years is None else years
    cutoff = years_before(today or timezone.localdate(), years).isoformat()
    active_states = [state for state, status in STATUS_OF_STATE.items() if status == TwinningStatus.ACTIVE]
    # A partial date is silent when its whole period lies before the cutoff: "2021" is not
    # before a cutoff of 2021-06-01, so compare at the partial date's own precision.
    silent = Q(last_activity_on__isnull=True) | Q(
        last_activity_on__lt=Left(Value(cutoff), Length("last_activity_on"))
    )
    if "current_state" not in twinnings.query.annotations:
        twinnings = twinnings.with_status()
    return with_last_activity(twinnings).annotate(
        is_dormant=Case(
            When(Q(current_state__in=active_states) & silent, then=Value(True)),
            default=Value(False),
            output_field=models.BooleanField(),
        )
    )


def dormant(twinnings, *, years=None, today=None):
    """Active twinnings with no activity for `years` years (see the module docstring)."""
    return with_dormancy(twinnings, years=years, today=today).filter(is_dormant=True)
