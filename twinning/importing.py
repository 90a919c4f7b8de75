"""Import and export of twinnings in the open-data CSV format:
city1,country1,lat1,lng1,city2,country2,lat2,lng2 (plain or gzip-compressed).

The import reads and checks the whole file first (nothing is written when a line is bad), then
resolves every place in memory (cities.resolving), then writes in batches, one transaction per
batch: an interrupted import leaves whole rows behind, and a rerun plans the same cities from
what the database now holds and completes the job. See README, "Importing open data".
"""

import csv
import gzip
import hashlib
import io
import math
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from slugify import slugify
from tqdm import tqdm

from cities.countries import CountryReading, country_text, other_reading, read_country
from cities.gazetteer import Gazetteer, name_key
from cities.models import City, CityName
from cities.resolving import CityEntry, CityIndex, Place, Resolver, parse_place_name
from twinning.models import Source, Twinning, TwinningKind
from twinning.page_cache import data_changed
from twinning.records import Publication

COLUMNS = ("city1", "country1", "lat1", "lng1", "city2", "country2", "lat2", "lng2")
BATCH_ROWS = 2000
CHANGE_REASON = "Imported from open data"
OPEN_DATA_SOURCE = {
    "url": "https://en.wikipedia.org/wiki/Lists_of_twin_towns_and_sister_cities",
    "title": "Wikipedia: lists of twin towns and sister cities",
}
OPEN_DATA_PUBLISHER = "Wikipedia contributors; compiled and geocoded by the Hekman/twincities project"
OPEN_DATA_NOTE = (
    "Pairs of twin towns and sister cities scraped from Wikipedia's lists (Europe, the Americas, Asia, "
    "Africa, Oceania) and geocoded by the Hekman/twincities project, published under the MIT License "
    "(Copyright (c) 2026 Erik Hekman; see twin_cities.LICENSE). Names and countries as the lists spell "
    "them; kind and establishment date are not stated."
)
# A completed import appends this line to the source's text; first_start_import looks for it.
COMPLETION_MARK = "Complete import of {name} (sha256 {digest})"
LOCK_KEY = 0x7477696E  # pg advisory lock: one import at a time


class ImportFileError(ValueError):
    """The file cannot be imported; the message names the line(s)."""


@dataclass
class SourceRow:
    line: int
    values: tuple  # the eight cells as written
    sides: tuple  # ((name, country, lat, lng), (name, country, lat, lng)) with floats or None


@dataclass
class ImportSummary:
    rows_read: int = 0
    places: int = 0  # distinct (spelling, country, coordinates) met in the file
    places_existing: int = 0
    places_gazetteer: int = 0
    places_new: int = 0
    places_ambiguous: int = 0
    places_unreadable: int = 0  # country missing or unknown
    cities_created: int = 0
    cities_created_from_gazetteer: int = 0
    aliases_added: int = 0
    twinnings_created: int = 0
    twinnings_present: int = 0  # already in the registry before this run
    twinnings_repeated: int = 0  # the same pair earlier in this file (reciprocal or repeated rows)
    rows_refused: int = 0
    rows_reported: int = 0
    report_path: str = ""
    seconds: float = 0.0
    phase_seconds: dict = field(default_factory=dict)  # reading, planning, writing
    refusals: Counter = field(default_factory=Counter)

    @property
    def changed(self):
        return bool(self.cities_created or self.aliases_added or self.twinnings_created)

    def lines(self):
        place_total = (
            self.places_existing + self.places_gazetteer + self.places_ambiguous + self.places_new + self.places_unreadable
        )
        row_total = self.twinnings_created + self.twinnings_present + self.twinnings_repeated + self.rows_refused
        lines = [
            f"Rows read: {self.rows_read}",
            f"Places (distinct spellings by country and coordinates): {self.places}",
            f"  matched to cities already in the registry: {self.places_existing}",
            f"  matched to the gazetteer: {self.places_gazetteer}",
            f"  ambiguous (most populous namesake chosen, see the report): {self.places_ambiguous}",
            f"  not in the gazetteer (new city): {self.places_new}",
            f"  country missing or unknown: {self.places_unreadable}",
            f"  total: {place_total}",
            f"Cities created: {self.cities_created} ({self.cities_created_from_gazetteer} from the gazetteer,"
            f" {self.cities_created - self.cities_created_from_gazetteer} without); aliases added: {self.aliases_added}",
            f"Twinnings created: {self.twinnings_created}",
            f"  already present: {self.twinnings_present}",
            f"  repeated in the file (reciprocal or duplicate rows): {self.twinnings_repeated}",
            f"  refused: {self.rows_refused}" + "".join(f"; {reason}: {n}" for reason, n in sorted(self.refusals.items())),
            f"  total: {row_total} of {self.rows_read} rows",
            f"Report of refused and ambiguous rows ({self.rows_reported}): {self.report_path}",
        ]
        if not self.changed:
            lines.append("Nothing changed: the registry already holds everything in this file.")
        phases = ", ".join(f"{phase} {seconds:.1f}" for phase, seconds in self.phase_seconds.items())
        lines.append(f"Time: {self.seconds:.1f} s ({phases})")
        return lines


# ---------------------------------------------------------------- reading
def _open_text(path):
    data = Path(path).read_bytes()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as error:
            raise ImportFileError(f"{path}: not a readable gzip file ({error})") from None
    try:
        return data.decode("utf-8-sig"), data
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ImportFileError(f"line {line}: not UTF-8 (byte {data[error.start]:#04x}); save the file as UTF-8") from None


def _coordinate(text, column, line, limit):
    text = text.strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ImportFileError(f"line {line}: {column} {text!r} is not a number") from None
    if not math.isfinite(value) or abs(value) > limit:
        raise ImportFileError(f"line {line}: {column} {text!r} is outside -{limit}..{limit}")
    return value


def _side(cells, index, line):
    name, country, lat, lng = cells[index : index + 4]
    number = index // 4 + 1
    if not name.strip():
        raise ImportFileError(f"line {line}: city{number} is empty")
    latitude = _coordinate(lat, f"lat{number}", line, 90)
    longitude = _coordinate(lng, f"lng{number}", line, 180)
    if (latitude is None) != (longitude is None):
        raise ImportFileError(f"line {line}: lat{number} and lng{number} must both be given or both be empty")
    return (name.strip(), country.strip(), latitude, longitude)


def read_rows(path):
    """(rows, SHA-256 of the file): every row checked; raises ImportFileError naming the first
    ten bad lines."""
    text, raw = _open_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [cell.strip().lower() for cell in next(reader, [])]
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise ImportFileError(f"line 1: missing column(s) {', '.join(missing)}; expected {','.join(COLUMNS)}")
    positions = [header.index(column) for column in COLUMNS]
    rows, errors = [], []
    for cells in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        try:
            if len(cells) < len(header):
                raise ImportFileError(f"line {line}: {len(cells)} columns, expected {len(header)}")
            values = tuple(cells[position] for position in positions)
            rows.append(SourceRow(line, values, (_side(values, 0, line), _side(values, 4, line))))
        except ImportFileError as error:
            errors.append(str(error))
            if len(errors) == 10:
                break
    if errors:
        raise ImportFileError("\n".join(errors))
    return rows, hashlib.sha256(raw).hexdigest()


# ---------------------------------------------------------------- planning
@dataclass
class PlannedTwinning:
    row_index: int
    city_a: CityEntry
    city_b: CityEntry


@dataclass
class Plan:
    index: CityIndex
    twinnings: list
    report: list  # (row, outcome, reason)
    summary: ImportSummary
    first_use: dict  # CityEntry → index of the first row that needs it


def _load_index():
    """The registry's cities, their names and aliases: three queries, whatever the size."""
    index = CityIndex()
    spellings = {}
    for city_id, name in CityName.objects.values_list("city_id", "name"):
        spellings.setdefault(city_id, []).append(name)
    fields = ("pk", "name", "country", "region", "latitude", "longitude", "population", "geonames_id")
    for pk, name, country, region, latitude, longitude, population, geonames_id in City.objects.order_by("pk").values_list(
        *fields
    ):
        names = spellings.get(pk, [])
        entry = CityEntry(
            name=name,
            country=country,
            region=region,
            latitude=latitude,
            longitude=longitude,
            population=population,
            geonames_id=geonames_id,
            order=index.next_order(),
            pk=pk,
            spellings={alias.lower() for alias in [name, *names]},
        )
        index.add(entry, [name, *names])
    return index


def _wanted_names(rows):
    wanted = set()
    for row in rows:
        for name, _country, _lat, _lng in row.sides:
            parsed = parse_place_name(name)
            wanted.update(name_key(text) for text in (*parsed.searchable, parsed.parent) if text)
    return wanted


class _PlaceReader:
    """Turns a row's side into a Place: reads the country, judges the coordinates."""

    def __init__(self, gazetteer):
        self.gazetteer = gazetteer

    def usable_point(self, country, lat, lng):
        """The coordinates, unless absent, whole degrees (a country's centre) or outside `country`."""
        if lat is None or (lat.is_integer() and lng.is_integer()):
            return None
        return (lat, lng) if self.gazetteer.has_place_near(country, lat, lng) else None

    def place(self, name, country_written, lat, lng):
        """A Place, or a string saying why the side cannot be read."""
        parsed = parse_place_name(name)
        reading = read_country(country_written)
        if reading is None and not country_written:
            parsed, reading = self._infer_country(parsed, lat, lng)
            if reading is None:
                return "country missing"
        if reading is None:
            return "country not recognised"
        point = self.usable_point(reading.code, lat, lng)
        alternative = other_reading(country_written)
        if point is None and alternative and lat is not None and self.usable_point(alternative.code, lat, lng):
            reading, point = alternative, self.usable_point(alternative.code, lat, lng)
        region = ", ".join(dict.fromkeys(filter(None, [parsed.region, reading.region])))
        return Place(name=parsed, country=reading.code, region=region[:200], point=point)

    def _infer_country(self, parsed, lat, lng):
        """(name, country) for a blank country: "Varna, Bulgaria" names it, "American Samoa" is
        one, else the nearest gazetteer place's country."""
        if parsed.region and read_country(parsed.region):
            return parse_place_name(parsed.name), read_country(parsed.region)
        if read_country(parsed.spelling):
            return parsed, read_country(parsed.spelling)
        code = self.gazetteer.country_at(lat, lng) if lat is not None else None
        return parsed, CountryReading(code) if code else None


def plan_import(rows, *, gazetteer=None, progress=False):
    """Resolve every row in memory against the registry and the gazetteer; writes nothing."""
    summary = ImportSummary(rows_read=len(rows))
    index = _load_index()
    if gazetteer is None:
        if progress:
            print("Loading the GeoNames gazetteer...", file=sys.stderr, flush=True)
        gazetteer = Gazetteer(_wanted_names(rows))
    reader = _PlaceReader(gazetteer)
    resolver = Resolver(index, gazetteer)
    existing_pairs = set(
        Twinning.objects.annotate(low=Least("city_a", "city_b"), high=Greatest("city_a", "city_b")).values_list("low", "high")
    )
    resolved = {}  # side as written → Resolution or refusal text
    seen_pairs, twinnings, report, first_use = set(), [], [], {}

    def resolve(side, row_index):
        if side not in resolved:
            place = reader.place(*side)
            if isinstance(place, str):
                resolved[side] = place
                summary.places_unreadable += 1
            else:
                resolution = resolver.resolve(place, stamp=row_index)
                resolved[side] = resolution
                setattr(summary, f"places_{resolution.outcome}", getattr(summary, f"places_{resolution.outcome}") + 1)
        return resolved[side]

    def refuse(row, reason, detail=""):
        summary.rows_refused += 1
        summary.refusals[reason] += 1
        report.append((row, "refused", f"{reason}{': ' + detail if detail else ''}"))

    for row_index, row in enumerate(tqdm(rows, desc="Resolving", unit="row", file=sys.stderr, disable=not progress)):
        (name_1, country_1, *_), (name_2, country_2, *_) = row.sides
        if name_key(name_1) == name_key(name_2) and name_key(country_1) == name_key(country_2):
            refuse(row, "a city cannot be twinned with itself", name_1)
            continue
        first, second = resolve(row.sides[0], row_index), resolve(row.sides[1], row_index)
        # Every city planned is written, even for a refused row, so that a rerun finds what
        # this run's later rows were resolved against.
        for resolution in (first, second):
            if not isinstance(resolution, str):
                first_use.setdefault(resolution.entry, row_index)
        unreadable = [(number, outcome) for number, outcome in ((1, first), (2, second)) if isinstance(outcome, str)]
        if unreadable:
            number, reason = unreadable[0]
            refuse(row, reason, f"country{number} {row.values[(number - 1) * 4 + 1]!r}")
            continue
        notes = [f"city{number}: {r.note}" for number, r in ((1, first), (2, second)) if r.outcome == "ambiguous"]
        if first.entry is second.entry:
            refuse(row, "both sides are the same city", first.entry.name)
            continue
        if notes:
            report.append((row, "ambiguous", "; ".join(notes)))
        pair = frozenset((first.entry, second.entry))
        if pair in seen_pairs:
            summary.twinnings_repeated += 1
            continue
        seen_pairs.add(pair)
        if first.entry.pk and second.entry.pk and tuple(sorted((first.entry.pk, second.entry.pk))) in existing_pairs:
            summary.twinnings_present += 1
            continue
        twinnings.append(PlannedTwinning(row_index, first.entry, second.entry))

    summary.places = len(resolved)
    summary.rows_reported = len(report)
    return Plan(index, twinnings, report, summary, first_use)


# ---------------------------------------------------------------- writing
class _Slugs:
    """Unique city slugs in the style of cities.models.unique_slug, decided in memory."""

    def __init__(self):
        self.used = set(City.objects.values_list("slug", flat=True))

    def take(self, name, country):
        base = slugify(name)[:80] or "item"
        candidates = [base, f"{base}-{slugify(country)}"[:90]]
        for candidate in candidates:
            if candidate not in self.used:
                self.used.add(candidate)
                return candidate
        number = 2
        while f"{candidates[-1]}-{number}" in self.used:
            number += 1
        slug = f"{candidates[-1]}-{number}"
        self.used.add(slug)
        return slug


def _open_data_source():
    source, _created = Source.objects.get_or_create(
        **OPEN_DATA_SOURCE, defaults={"publisher": OPEN_DATA_PUBLISHER, "text": OPEN_DATA_NOTE}
    )
    return source


def _create_with_history(model, objects, *, source, reason, when):
    """bulk_create `objects`, cite `source`, and record their creation in the change history.

    simple-history's bulk_create_with_history builds a Python object per history row and
    leaves the sources of each version unrecorded; two INSERT ... SELECT statements write the
    same rows, and the sources, in a fraction of the time."""
    model.objects.bulk_create(objects, batch_size=1000)
    pks = [obj.pk for obj in objects]
    if not pks:
        return
    through = model._meta.get_field("sources").remote_field.through
    owner = next(field.column for field in through._meta.concrete_fields if field.related_model is model)
    history = model.history.model
    source_history = history.__dict__["sources"].model  # simple-history's HistoryDescriptor
    columns = ", ".join(
        connection.ops.quote_name(field.column) for field in history._meta.concrete_fields if not field.name.startswith("history_")
    )
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(through._meta.db_table)} ({quote(owner)}, source_id) SELECT unnest(%s::bigint[]), %s",
            [pks, source.pk],
        )
        cursor.execute(
            f"""WITH created AS (
                    INSERT INTO {quote(history._meta.db_table)} ({columns}, history_date, history_change_reason, history_type)
                    SELECT {columns}, %s, %s, '+' FROM {quote(model._meta.db_table)} WHERE id = ANY(%s)
                    RETURNING history_id, id
                )
                INSERT INTO {quote(source_history._meta.db_table)} (id, history_id, source_id, {quote(owner)})
                SELECT link.id, created.history_id, link.source_id, link.{quote(owner)}
                FROM created JOIN {quote(through._meta.db_table)} link ON link.{quote(owner)} = created.id""",
            [when, reason, pks],
        )


def _write_batch(plan, row_range, source, slugs, now):
    """Cities first needed by these rows, aliases they brought, their twinnings: one transaction."""
    summary = plan.summary
    new_entries = [
        entry for entry, row_index in plan.first_use.items() if entry.pk is None and row_index in row_range
    ]
    new_entries.sort(key=lambda entry: entry.order)
    cities = [
        City(
            name=entry.name[:200],
            slug=slugs.take(entry.name, entry.country),
            country=entry.country,
            region=entry.region,
            latitude=entry.latitude,
            longitude=entry.longitude,
            population=entry.population,
            geonames_id=entry.geonames_id,
            publication=Publication.PUBLISHED,
            published_at=now,
        )
        for entry in new_entries
    ]
    _create_with_history(City, cities, source=source, reason=CHANGE_REASON, when=now)
    for entry, city in zip(new_entries, cities, strict=True):
        entry.pk = city.pk
    summary.cities_created += len(cities)
    summary.cities_created_from_gazetteer += sum(1 for entry in new_entries if entry.geonames_id)

    aliases = [
        CityName(city_id=entry.pk, name=spelling[:200], language="")
        for entry in plan.first_use
        for spelling, stamp in entry.new_spellings
        if stamp in row_range
    ]
    CityName.objects.bulk_create(aliases, batch_size=2000)
    summary.aliases_added += len(aliases)

    twinnings = [
        Twinning(
            city_a_id=twinning.city_a.pk,
            city_b_id=twinning.city_b.pk,
            kind=TwinningKind.UNKNOWN,
            publication=Publication.PUBLISHED,
            published_at=now,
        )
        for twinning in plan.twinnings
        if twinning.row_index in row_range
    ]
    _create_with_history(Twinning, twinnings, source=source, reason=CHANGE_REASON, when=now)
    summary.twinnings_created += len(twinnings)


def write_report(path, report):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["line", *COLUMNS, "outcome", "reason"])
        for row, outcome, reason in sorted(report, key=lambda item: item[0].line):
            writer.writerow([row.line, *row.values, outcome, reason])


def import_twinnings(path, *, report_path, batch_rows=BATCH_ROWS, progress=False, gazetteer=None):
    """Import the file at `path`; returns an ImportSummary. Raises ImportFileError for a bad
    file (before writing anything) and RuntimeError when another import is running."""
    started = time.monotonic()
    rows, digest = read_rows(path)
    read_at = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        if not cursor.fetchone()[0]:
            raise RuntimeError("Another import is running; try again when it has finished.")
    try:
        plan = plan_import(rows, gazetteer=gazetteer, progress=progress)
        plan.summary.report_path = str(report_path)
        write_report(report_path, plan.report)
        planned_at = time.monotonic()
        needed = {entry for entry in plan.first_use if entry.pk is None}
        needs_writing = plan.twinnings or needed or any(entry.new_spellings for entry in plan.first_use)
        source = _open_data_source() if needs_writing else None
        slugs = _Slugs() if needed else None
        now = timezone.now()
        with tqdm(total=len(rows), desc="Writing", unit="row", file=sys.stderr, disable=not (progress and needs_writing)) as bar:
            for start in range(0, len(rows), batch_rows) if needs_writing else ():
                with transaction.atomic():
                    _write_batch(plan, range(start, min(start + batch_rows, len(rows))), source, slugs, now)
                bar.update(min(batch_rows, len(rows) - start))
        _mark_complete(Path(path).name, digest)
        data_changed()  # bulk writes send no signals: drop the cached pages ourselves
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
    finished = time.monotonic()
    plan.summary.seconds = finished - started
    plan.summary.phase_seconds = {"reading": read_at - started, "planning": planned_at - read_at, "writing": finished - planned_at}
    return plan.summary


def _mark_complete(file_name, digest):
    """Note on the open-data source that this exact file has been imported in full."""
    mark = COMPLETION_MARK.format(name=file_name, digest=digest)
    source = Source.objects.filter(**OPEN_DATA_SOURCE).first()
    if source is None:
        source = _open_data_source()
    if mark not in source.text:
        source.text = f"{source.text}\n{mark}, {timezone.now():%Y-%m-%d %H:%M}."
        source.save(update_fields=["text"])


def was_imported(path):
    """Whether this exact file has been imported in full before (see _mark_complete)."""
    digest = hashlib.sha256(_open_text(path)[1]).hexdigest()
    mark = COMPLETION_MARK.format(name=Path(path).name, digest=digest)
    return Source.objects.filter(**OPEN_DATA_SOURCE, text__contains=mark).exists()


# ---------------------------------------------------------------- export
def _coordinate_text(value):
    return "" if value is None else repr(value)


def export_twinnings(path):
    """Write every twinning in the import format (gzip when `path` ends in .gz); returns the count."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    opener = gzip.open if path.suffix == ".gz" else open
    count = 0
    with opener(path, "wt", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(COLUMNS)
        twinnings = Twinning.objects.select_related("city_a", "city_b").order_by("pk")
        for twinning in twinnings.iterator(chunk_size=2000):
            cells = []
            for city in (twinning.city_a, twinning.city_b):
                cells += [
                    city.name,
                    country_text(str(city.country.code), city.region),
                    _coordinate_text(city.latitude),
                    _coordinate_text(city.longitude),
                ]
            writer.writerow(cells)
            count += 1
    return count
