"""Round anniversaries (5, 10, 15, … years) of twinnings and agreements coming up soon.

Only records with a full date count: a twinning "established in 2015" has no day to celebrate.
The database narrows the candidates (full date, day of year inside the window, year a multiple
of five away), so the home page does not read all 26,000 twinnings; Python then computes the
exact anniversary dates.
"""

import datetime
from dataclasses import dataclass

from django.db.models import IntegerField, Q
from django.db.models.functions import Cast, Length, Mod, Substr
from django.utils import timezone

from twinning.models import Agreement, Twinning
from twinning.partial_dates import PartialDate

ROUND_EVERY_YEARS = 5
TWINNING, AGREEMENT = "twinning", "agreement"


@dataclass(frozen=True)
class Anniversary:
    """`record` (a Twinning or an Agreement) turns `years` old on `date`."""

    kind: str  # TWINNING or AGREEMENT
    record: object
    years: int
    date: datetime.date
    original_date: PartialDate

    @property
    def days_left(self):
        return (self.date - timezone.localdate()).days

    def get_absolute_url(self):
        return self.record.get_absolute_url()


def upcoming_anniversaries(*, within_days=90, today=None, city=None):
    """Round anniversaries falling between `today` and `today + within_days` (inclusive).

    Twinnings count from `established_on`, agreements from `signed_on`; both must be published
    and known to the day. `city` (a City or its pk) keeps those involving that city. Returns a
    list of Anniversary sorted by date, then by the older record first. A 29 February date is
    celebrated on 28 February in common years.
    """
    if within_days < 0:
        raise ValueError("within_days must not be negative")
    today = today or timezone.localdate()
    end = today + datetime.timedelta(days=within_days)

    twinnings = Twinning.objects.published().filter(city_a__publication="published", city_b__publication="published")
    agreements = Agreement.objects.published()
    if city is not None:
        twinnings = twinnings.involving(city)
        agreements = agreements.filter(Q(parties__city=city) | Q(parties__organisation__city=city)).distinct()

    twinnings = _candidates(twinnings.with_cities(), "established_on", today, end)
    agreements = _candidates(agreements.prefetch_related("parties__city"), "signed_on", today, end)

    found = [
        *_anniversaries(twinnings, TWINNING, "established_on", today, end),
        *_anniversaries(agreements, AGREEMENT, "signed_on", today, end),
    ]
    return sorted(found, key=lambda item: (item.date, -item.years, item.kind, item.record.pk))


def _candidates(queryset, field, today, end):
    """Rows whose full date may have a round anniversary between `today` and `end`.

    A superset: the day window is widened by a day each side (29 February) and checked exactly
    in Python afterwards.
    """
    queryset = queryset.annotate(
        _year=Cast(Substr(field, 1, 4), IntegerField()),
        _month_day=Substr(field, 6, 5),
    ).filter(**{f"{field}__isnull": False}).annotate(_length=Length(field)).filter(_length=10)
    windows = Q()
    for year in range(today.year, end.year + 1):
        start = max(today, datetime.date(year, 1, 1)) - datetime.timedelta(days=1)
        stop = min(end, datetime.date(year, 12, 31)) + datetime.timedelta(days=1)
        first = "01-01" if start.year < year else start.strftime("%m-%d")
        last = "12-31" if stop.year > year else stop.strftime("%m-%d")
        windows |= Q(
            _month_day__gte=first,
            _month_day__lte=last,
            _year__lt=year,
        ) & Q(**{"_year_mod": year % ROUND_EVERY_YEARS})
    return queryset.annotate(_year_mod=Mod("_year", ROUND_EVERY_YEARS)).filter(windows)


def _anniversaries(records, kind, field, today, end):
    for record in records:
        original = getattr(record, field)
        for year in range(today.year, end.year + 1):
            years = year - original.year
            if years <= 0 or years % ROUND_EVERY_YEARS:
                continue
            date = _same_day_in(year, original.month, original.day)
            if today <= date <= end:
                yield Anniversary(kind=kind, record=record, years=years, date=date, original_date=original)


def _same_day_in(year, month, day):
    try:
        return datetime.date(year, month, day)
    except ValueError:  # 29 February in a common year
        return datetime.date(year, month, day - 1)
