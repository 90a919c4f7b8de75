"""Published twinnings in the shape of Wikidata's P190 ("twinned administrative body") statements,
for the volunteers who keep Wikidata current.

A statement needs both cities' QIDs; twinnings where one side has none are left out. Each
statement carries the qualifiers start time (P580, from `established_on`) and, for an ended
or expired twinning, end time (P582, the date of the state change that ended it), and a
reference URL (S854): the first cited source with a URL, else the twinning's page here.

Partial dates keep their precision the way Wikidata writes time values: "+1998-00-00T00:00:00Z"
with precision 9 for a year, 10 for a month, 11 for a day.
"""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from twinning.models import STATUS_OF_STATE, Source, StatusChange, TwinningStatus
from twinning.public import public_twinnings
from twinning.partial_dates import DAY, MONTH, YEAR

PROPERTY = "P190"
START_TIME, END_TIME, REFERENCE_URL = "P580", "P582", "S854"
PRECISION = {YEAR: 9, MONTH: 10, DAY: 11}
ENDING_STATES = [state for state, status in STATUS_OF_STATE.items() if status == TwinningStatus.ENDED]


@dataclass(frozen=True)
class WikidataTime:
    value: str
    precision: int

    @classmethod
    def of(cls, partial_date):
        if partial_date is None:
            return None
        day = partial_date
        value = f"+{day.year:04d}-{day.month or 0:02d}-{day.day or 0:02d}T00:00:00Z"
        return cls(value=value, precision=PRECISION[day.precision])

    def quickstatements(self):
        return f"{self.value}/{self.precision}"

    def as_dict(self):
        return {"value": self.value, "precision": self.precision}


def p190_twinnings():
    """Published twinnings whose two cities both have a QID, with `ended_on` and `source_url` annotated."""
    ending = StatusChange.objects.filter(twinning=OuterRef("pk"), state__in=ENDING_STATES, date__isnull=False)
    source = Source.objects.filter(twinning_twinning_set=OuterRef("pk")).exclude(url="").order_by("pk")
    return (
        public_twinnings()
        .filter(city_a__wikidata_id__isnull=False, city_b__wikidata_id__isnull=False)
        .with_status()
        .with_cities()
        .annotate(
            ended_on=Subquery(ending.order_by("-date", "-id").values("date")[:1]),
            source_url=Subquery(source.values("url")[:1]),
        )
        .order_by("city_a__wikidata_id", "city_b__wikidata_id")
    )


def p190_statements(twinnings, page_url):
    """One dict per twinning; `page_url(twinning)` gives the absolute URL of its page here."""
    statements = []
    for twinning in twinnings:
        ended = twinning.status == TwinningStatus.ENDED
        ended_on = twinning.ended_on if ended else None
        url = page_url(twinning)
        statements.append(
            {
                "twinning": twinning.pk,
                "city": {"qid": twinning.city_a.wikidata_id, "name": twinning.city_a.display_name()},
                "partner": {"qid": twinning.city_b.wikidata_id, "name": twinning.city_b.display_name()},
                "status": twinning.status,
                "start_time": _time_dict(WikidataTime.of(twinning.established_on)),
                "end_time": _time_dict(WikidataTime.of(ended_on)),
                "reference_url": twinning.source_url or url,
                "registry_url": url,
            }
        )
    return statements


def _time_dict(time):
    return time.as_dict() if time else None


def _time_of(statement, key):
    value = statement[key]
    return WikidataTime(**value) if value else None


def quickstatements(statements):
    """QuickStatements (version 1) lines: the statement on both cities' items, tab-separated."""
    lines = []
    for statement in statements:
        qualifiers = []
        for prop, key in ((START_TIME, "start_time"), (END_TIME, "end_time")):
            time = _time_of(statement, key)
            if time:
                qualifiers += [prop, time.quickstatements()]
        reference = [REFERENCE_URL, f'"{statement["reference_url"]}"']
        for subject, partner in (("city", "partner"), ("partner", "city")):
            lines.append("\t".join([statement[subject]["qid"], PROPERTY, statement[partner]["qid"], *qualifiers, *reference]))
    return "\n".join(lines) + ("\n" if lines else "")


CSV_COLUMNS = [
    "city_qid", "city", "partner_qid", "partner", "status",
    "start_time", "start_precision", "end_time", "end_precision", "reference_url", "registry_url",
]


def csv_rows(statements):
    for statement in statements:
        start, end = _time_of(statement, "start_time"), _time_of(statement, "end_time")
        yield {
            "city_qid": statement["city"]["qid"],
            "city": statement["city"]["name"],
            "partner_qid": statement["partner"]["qid"],
            "partner": statement["partner"]["name"],
            "status": statement["status"],
            "start_time": start.value if start else "",
            "start_precision": start.precision if start else "",
            "end_time": end.value if end else "",
            "end_precision": end.precision if end else "",
            "reference_url": statement["reference_url"],
            "registry_url": statement["registry_url"],
        }
