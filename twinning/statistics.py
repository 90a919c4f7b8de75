"""Public statistics of published twinnings: by country, kind, status and year.

Every number is one aggregate query in PostgreSQL (eight in all, whatever the size of the
registry); `statistics_page` draws them as SVG bar charts (twinning/charts.py) and
/api/v1/statistics/ returns the same numbers.

- by country: the twinnings with a city of that country on either side (a pair of two
  Russian cities counts once for Russia);
- by kind: the four kinds of the German municipal partnerships database (partnership,
  friendship, contact, project partnership), the earlier kinds counted under them (KIND_GROUP);
- by status: the status derived from each twinning's latest state change;
- by year: twinnings established that year, and status changes to *suspended* and to
  *ended*/*expired* dated that year (only the year of a partial date is needed).
"""

from django.db.models import Case, CharField, Count, F, IntegerField, Value, When
from django.db.models.functions import Cast, Left
from django.shortcuts import render
from django_countries import countries

from twinning import charts, lifecycle
from twinning.models import KIND_GROUP, STATUS_OF_STATE, StatusChange, TwinningKind, TwinningState, TwinningStatus
from twinning.public import public_twinnings

ENDING_STATES = (TwinningState.ENDED, TwinningState.EXPIRED)


def _year(field):
    return Cast(Left(field, 4), IntegerField())


def _count_by(queryset, expression):
    """{value of `expression`: count} in one GROUP BY."""
    rows = queryset.order_by().values(group=expression).annotate(n=Count("pk")).values_list("group", "n")
    return dict(rows)


def by_country(twinnings):
    """[(country code, count)] by count, then code; each twinning counts once per country it involves."""
    first = _count_by(twinnings, F("city_a__country"))
    second = _count_by(twinnings.exclude(city_b__country=F("city_a__country")), F("city_b__country"))
    totals = {code: first.get(code, 0) + second.get(code, 0) for code in first.keys() | second.keys()}
    return sorted(totals.items(), key=lambda item: (-item[1], item[0]))


def by_status(twinnings):
    by_state = _count_by(twinnings.with_status(), F("current_state"))
    totals = dict.fromkeys(TwinningStatus.values, 0)
    for state, count in by_state.items():
        totals[STATUS_OF_STATE[TwinningState(state)]] += count
    return totals


def by_year(twinnings):
    """{year: {"established": n, "suspended": n, "ended": n}} for every year from the first to the last."""
    changes = StatusChange.objects.filter(twinning__in=twinnings, date__isnull=False)
    series = {
        "established": _count_by(twinnings.filter(established_on__isnull=False), _year("established_on")),
        "suspended": _count_by(changes.filter(state=TwinningState.SUSPENDED), _year("date")),
        "ended": _count_by(changes.filter(state__in=ENDING_STATES), _year("date")),
    }
    years = set().union(*series.values())
    if not years:
        return {}
    return {
        year: {name: counts.get(year, 0) for name, counts in series.items()}
        for year in range(min(years), max(years) + 1)
    }


KIND_GROUPS = [
    TwinningKind.PARTNERSHIP, TwinningKind.FRIENDSHIP, TwinningKind.CONTACT, TwinningKind.PROJECT_PARTNERSHIP,
    TwinningKind.UNKNOWN,
]


def _kind_group():
    """SQL for KIND_GROUP: the kind counted among the four of the German database (or not stated)."""
    whens = [
        When(kind__in=[kind for kind, group in KIND_GROUP.items() if group == target], then=Value(target.value))
        for target in KIND_GROUPS
    ]
    return Case(*whens, default=Value(TwinningKind.UNKNOWN.value), output_field=CharField())


def registry_statistics(twinnings=None):
    """The numbers of the statistics page and API, as plain data."""
    twinnings = public_twinnings() if twinnings is None else twinnings
    kinds = _count_by(twinnings, _kind_group())
    statuses = by_status(twinnings)
    return {
        "total": sum(statuses.values()),
        "dormant": lifecycle.dormant(twinnings).count(),
        "by_country": [
            {"country": code, "name": str(countries.name(code)), "count": count} for code, count in by_country(twinnings)
        ],
        "by_kind": [
            {"kind": kind.value, "label": str(kind.label), "count": kinds.get(kind.value, 0)} for kind in KIND_GROUPS
        ],
        "by_status": [
            {"status": status.value, "label": str(status.label), "count": statuses[status.value]}
            for status in TwinningStatus
        ],
        "by_year": [{"year": year, **counts} for year, counts in by_year(twinnings).items()],
    }


# ---------------------------------------------------------------- the public page

TOP_COUNTRIES = 25


def statistics_page(request):
    numbers = registry_statistics()
    countries_shown = numbers["by_country"][:TOP_COUNTRIES]
    country_bars, country_height = charts.horizontal_bars(
        [(row["name"], row["count"]) for row in countries_shown], css_class="series-country"
    )
    kind_bars, kind_height = charts.horizontal_bars([(row["label"], row["count"]) for row in numbers["by_kind"]])
    status_bars, status_height = charts.horizontal_bars(
        [(row["label"], row["count"]) for row in numbers["by_status"]]
    )
    year_columns, _slot = charts.year_columns(numbers["by_year"], ["established"])
    change_columns, _slot = charts.year_columns(numbers["by_year"], ["suspended", "ended"])
    context = {
        "numbers": numbers,
        "dormant_years": lifecycle.dormant_after_years(),
        "countries_shown": countries_shown,
        "chart_width": charts.WIDTH,
        "label_width": charts.LABEL_WIDTH,
        "plot_height": charts.PLOT_HEIGHT,
        "axis_height": charts.AXIS_HEIGHT,
        "country_chart": {"bars": country_bars, "height": country_height},
        "kind_chart": {"bars": kind_bars, "height": kind_height},
        "status_chart": {"bars": status_bars, "height": status_height},
        "established_chart": year_columns,
        "changes_chart": change_columns,
    }
    return render(request, "twinning/statistics.html", context)
