"""Which city a name in a source means: the registry's own cities and aliases first, then the
offline gazetteer, and a new city only when neither knows the name.

Everything here works on in-memory tables (CityIndex, Gazetteer) so that a bulk import asks
the database nothing per row.
"""

import difflib
import math
import re
from dataclasses import dataclass, field

from cities.gazetteer import distance_km, name_key

# A candidate this close to the source's coordinates is the place meant.
NEAR_KM = 50
# A district is looked for this close to its parent city and to its own coordinates.
PARENT_KM = 35
DISTRICT_KM = 20
# A gazetteer place this close with a similar name is a spelling variant ("Svetly" / "Svetlyy").
FUZZY_KM = 10
FUZZY_RATIO = 0.85
# "Hattersheim am Main" is Hattersheim, but "Prague 8" and "Doboj East" are not Prague and Doboj.
LINKING_WORDS = {
    "am", "an", "im", "in", "bei", "ob", "on", "upon", "en", "sur", "sous", "les", "de", "del", "della", "di",
    "du", "nad", "pod", "na",
}  # fmt: skip
# Without decisive coordinates, the most populous namesake wins outright when it is this many
# times larger than the next one; otherwise the choice is reported as ambiguous.
DOMINANCE = 10

# "Bergstraße (district)", "Victoria (state)": the bracket says what kind of area it is.
AREA_WORDS = {
    "district", "county", "state", "region", "province", "prefecture", "oblast", "municipality",
    "commune", "department", "borough", "island", "islands", "raion", "rayon", "okrug", "voivodeship",
    "country", "ao", "area", "governorate", "canton",
}  # fmt: skip
# "Luxembourg (city)": the bracket only says it is the town itself.
SETTLEMENT_WORDS = {"city", "town", "village", "municipality of", "commune of"}
_BRACKETS = re.compile(r"^(?P<name>.+?)\s*\((?P<inner>[^()]+)\)$")
_DASH = re.compile(r"^(?P<parent>.+?)\s+[–—-]\s+(?P<name>.+)$")


@dataclass(frozen=True)
class PlaceName:
    """A place name as a source writes it, taken apart."""

    spelling: str
    name: str  # the name proper: "Solntsevo" in "Solntsevo (Moscow)", "Córdoba" in "Córdoba, Bolívar"
    region: str = ""  # what the spelling adds: "Moscow", "Bolívar"
    parent: str = ""  # the city a district belongs to
    searchable: tuple = ()  # names to look up in the gazetteer, best first
    qualified: bool = False  # the spelling names which namesake is meant

    @property
    def is_area(self):
        return not self.searchable

    @property
    def is_district(self):
        return bool(self.parent)


def parse_place_name(text):
    """Take "Solntsevo (Moscow)", "Berlin – Spandau", "Córdoba, Bolívar", "Biel/Bienne" and
    "Bergstraße (district)" apart into the name proper, its region or parent city, and the names
    worth looking up in the gazetteer."""
    spelling = " ".join(text.split())
    brackets = _BRACKETS.match(spelling)
    if brackets:
        name, inner = brackets["name"], brackets["inner"].strip()
        words = set(name_key(inner).split())
        if words & AREA_WORDS:
            return PlaceName(spelling, spelling, qualified=True)
        if name_key(inner) in SETTLEMENT_WORDS:
            return PlaceName(spelling, name, searchable=(name,), qualified=True)
        return _district(spelling, name, inner)
    dash = _DASH.match(spelling)
    if dash:
        return _district(spelling, dash["name"], dash["parent"])
    if "," in spelling:
        name, region = (part.strip() for part in spelling.split(",", 1))
        return PlaceName(spelling, name, region=region, searchable=(spelling, name), qualified=True)
    if "/" in spelling:
        parts = tuple(part.strip() for part in spelling.split("/") if part.strip())
        return PlaceName(spelling, spelling, searchable=(spelling, *parts))
    if set(name_key(spelling).split()) & AREA_WORDS:
        return PlaceName(spelling, spelling)
    return PlaceName(spelling, spelling, searchable=(spelling,))


def _district(spelling, name, parent):
    if name_key(name) == name_key(parent):  # "Bonn (Bonn)": the city itself
        return PlaceName(spelling, name, searchable=(name,), qualified=True)
    return PlaceName(spelling, name, region=parent, parent=parent, searchable=(name,), qualified=True)


@dataclass
class Place:
    """One side of a source row, with its country read and its coordinates judged."""

    name: PlaceName
    country: str
    region: str
    point: tuple | None  # (lat, lng) when plausible: they choose between namesakes and place a new city


@dataclass(eq=False)
class CityEntry:
    """A city of the registry, or one this run will create, as the resolver sees it."""

    name: str
    country: str
    region: str
    latitude: float | None
    longitude: float | None
    population: int | None
    geonames_id: int | None
    order: int
    pk: int | None = None
    origin: str = "existing"  # existing | gazetteer | new
    spellings: set = field(default_factory=set)  # lower-cased names and aliases the city already has
    new_spellings: list = field(default_factory=list)  # (alias as written, stamp of the row that brought it)

    @property
    def point(self):
        return None if self.latitude is None or self.longitude is None else (self.latitude, self.longitude)

    def add_spelling(self, spelling, stamp):
        if spelling.lower() not in self.spellings:
            self.spellings.add(spelling.lower())
            self.new_spellings.append((spelling, stamp))


class CityIndex:
    """The registry's cities (and this run's planned ones) by country and name key."""

    def __init__(self):
        self.entries = []
        self._by_name = {}
        self._by_geonames_id = {}

    def add(self, entry, names):
        self.entries.append(entry)
        for name in names:
            self.add_name(entry, name)
        if entry.geonames_id:
            self._by_geonames_id[entry.geonames_id] = entry
        return entry

    def add_name(self, entry, name):
        bucket = self._by_name.setdefault((entry.country, name_key(name)), [])
        if entry not in bucket:
            bucket.append(entry)

    def lookup(self, country, name):
        return self._by_name.get((country, name_key(name)), [])

    def by_geonames_id(self, geonames_id):
        return self._by_geonames_id.get(geonames_id)

    def next_order(self):
        return len(self.entries)


@dataclass
class Resolution:
    entry: CityEntry
    outcome: str  # existing | gazetteer | new | ambiguous
    note: str = ""


def _nearest(candidates, point, point_of, radius=NEAR_KM):
    """The candidate nearest to `point` within `radius` km, or None."""
    best = None
    for candidate in candidates:
        location = point_of(candidate)
        if location is None:
            continue
        distance = distance_km(*point, *location)
        if distance <= radius and (best is None or distance < best[0]):
            best = (distance, candidate)
    return best[1] if best else None


def _similar(key, gazetteer_key):
    """Whether a source's name and a nearby gazetteer place's name are one name spelled two ways."""
    words, gazetteer_words = key.split(), gazetteer_key.split()
    if not words or not gazetteer_words:
        return False
    if len(words) == len(gazetteer_words) and difflib.SequenceMatcher(None, key, gazetteer_key).ratio() >= FUZZY_RATIO:
        return True
    if len(words) > len(gazetteer_words):
        # The source adds words: only a "...am Main" style addition keeps it the same town.
        extra = words[len(gazetteer_words) :]
        return words[: len(gazetteer_words)] == gazetteer_words and extra[0] in LINKING_WORDS
    return len(words) < len(gazetteer_words) and len(words[0]) >= 4 and gazetteer_words[: len(words)] == words


def _by_population(candidates, population_of, tiebreak):
    """(chosen, ambiguous): the most populous, and whether it does not clearly outweigh the rest."""
    ranked = sorted(candidates, key=lambda candidate: (-(population_of(candidate) or 0), tiebreak(candidate)))
    if len(ranked) == 1:
        return ranked[0], False
    first, second = (population_of(candidate) or 0 for candidate in ranked[:2])
    return ranked[0], not (first > 0 and first >= DOMINANCE * second)


class Resolver:
    """Resolves places to CityEntry objects, planning new cities in the index as it goes.

    Resolving the same places again against the index it leaves behind (that is, against the
    database after the import) gives the same cities, which is what makes the import idempotent.
    """

    def __init__(self, index, gazetteer):
        self.index = index
        self.gazetteer = gazetteer

    # ------------------------------------------------------------------ steps
    def _aliases(self, place):
        names = dict.fromkeys([place.name.spelling, place.name.name])
        found = []
        for name in names:
            for entry in self.index.lookup(place.country, name):
                if entry not in found:
                    found.append(entry)
        return found

    def _gazetteer_candidates(self, place):
        for name in place.name.searchable:
            places = self.gazetteer.lookup(place.country, name)
            if places:
                return places
        return []

    def _fuzzy(self, place):
        if place.name.is_area:
            return None
        key = name_key(place.name.name)
        for _distance, candidate in self.gazetteer.near(*place.point, FUZZY_KM, country=place.country):
            if _similar(key, self.gazetteer.key_of(candidate)):
                return candidate
        return None

    def _parent_point(self, place):
        """Where the parent city is, from the gazetteer alone: the registry grows during a run,
        and a rerun must locate the parent where the first run did.

        Only a place called so counts: "Lingen (Ems)" names a river, not Bad Ems (which lists "Ems")."""
        parent_key = name_key(place.name.parent)
        candidates = [
            candidate for candidate in self.gazetteer.lookup(place.country, place.name.parent) if self.gazetteer.key_of(candidate) == parent_key
        ]
        if candidates:
            chosen = _by_population(candidates, lambda gazetteer: gazetteer.population, lambda gazetteer: gazetteer.geonames_id)[0]
            return (chosen.latitude, chosen.longitude)
        return None

    # ------------------------------------------------------------------ planning
    def _from_gazetteer(self, gazetteer_place, place, stamp, outcome="gazetteer", note=""):
        entry = self.index.by_geonames_id(gazetteer_place.geonames_id)
        if entry is not None:
            return Resolution(entry, "existing" if entry.origin == "existing" and outcome != "ambiguous" else outcome, note)
        entry = CityEntry(
            name=place.name.name,
            country=gazetteer_place.country,
            region=place.region,
            latitude=gazetteer_place.latitude,
            longitude=gazetteer_place.longitude,
            population=gazetteer_place.population or None,
            geonames_id=gazetteer_place.geonames_id,
            order=self.index.next_order(),
            origin="gazetteer",
        )
        self.index.add(entry, [entry.name, gazetteer_place.name])
        entry.add_spelling(entry.name, stamp)
        entry.add_spelling(gazetteer_place.name, stamp)
        return Resolution(entry, outcome, note)

    def _new_city(self, place, stamp, point=...):
        """A city the registry and the gazetteer do not know, at `point` (default: the place's)."""
        latitude, longitude = (place.point if point is ... else point) or (None, None)
        entry = CityEntry(
            name=place.name.name,
            country=place.country,
            region=place.region,
            latitude=latitude,
            longitude=longitude,
            population=None,
            geonames_id=None,
            order=self.index.next_order(),
            origin="new",
        )
        self.index.add(entry, [entry.name])
        entry.add_spelling(entry.name, stamp)
        return Resolution(entry, "new")

    def _existing(self, entry, outcome=None, note=""):
        return Resolution(entry, outcome or ("existing" if entry.origin == "existing" else entry.origin), note)

    # ------------------------------------------------------------------ the rules
    def resolve(self, place, *, stamp=None):
        """The city `place` means, planning a new one in the index when needed; `stamp` (say, a
        row number) is kept with each alias the place brings, so a batch writes its own."""
        resolution = self._resolve(place, stamp)
        resolution.entry.add_spelling(place.name.spelling, stamp)
        self.index.add_name(resolution.entry, place.name.spelling)
        return resolution

    def _resolve(self, place, stamp):
        if place.name.is_district:
            return self._resolve_district(place, stamp)
        aliases = self._aliases(place)
        candidates = self._gazetteer_candidates(place)
        point = place.point

        if point:
            entry = _nearest(aliases, point, lambda entry: entry.point)
            if entry:
                return self._existing(entry)
            chosen = _nearest(candidates, point, lambda gazetteer: (gazetteer.latitude, gazetteer.longitude))
            if chosen:
                return self._from_gazetteer(chosen, place, stamp)
            chosen = self._fuzzy(place)
            if chosen:
                return self._from_gazetteer(chosen, place, stamp)
            # Coordinates point where no such name is: a namesake of a qualified spelling
            # ("Lagoa, Azores") is another place, so only plain names fall back on the name alone.
            aliases = [entry for entry in aliases if entry.point is None]
            if place.name.qualified:
                return self._existing(aliases[0]) if len(aliases) == 1 else self._new_city(place, stamp)

        if aliases:
            same_region = [entry for entry in aliases if place.region and entry.region.casefold() == place.region.casefold()]
            entry, ambiguous = _by_population(same_region or aliases, lambda entry: entry.population, lambda entry: entry.order)
            if not ambiguous:
                return self._existing(entry)
            return self._existing(entry, "ambiguous", _ambiguity_note(len(same_region or aliases), "registry cities", entry))
        if candidates:
            # Without coordinates, a place called so outranks one that merely lists the name
            # among its alternates (Richmond, Virginia, lists "Manchester").
            keys = {name_key(name) for name in place.name.searchable}
            candidates = [candidate for candidate in candidates if name_key(candidate.name) in keys] or candidates
            chosen, ambiguous = _by_population(candidates, lambda gazetteer: gazetteer.population, lambda gazetteer: gazetteer.geonames_id)
            if not ambiguous:
                return self._from_gazetteer(chosen, place, stamp)
            note = _ambiguity_note(len(candidates), "gazetteer places", chosen)
            return self._from_gazetteer(chosen, place, stamp, "ambiguous", note)
        return self._new_city(place, stamp)

    def _resolve_district(self, place, stamp):
        """A district ("Solntsevo (Moscow)", "Berlin – Spandau") is a city of its own near its
        parent city, never the parent itself; with nothing near, it becomes a new city."""
        # The whole spelling is specific: a city or gazetteer place called exactly so is the one.
        exact = self.index.lookup(place.country, place.name.spelling)
        if exact:
            return self._existing(_closest(exact, place.point, lambda entry: entry.point, lambda entry: entry.order))
        exact = self.gazetteer.lookup(place.country, place.name.spelling)  # "Rheinfelden (Baden)"
        if exact:
            chosen = _closest(exact, place.point, _gazetteer_point, lambda gazetteer: -gazetteer.population)
            return self._from_gazetteer(chosen, place, stamp)

        parent_key = name_key(place.name.parent)
        aliases = [entry for entry in self.index.lookup(place.country, place.name.name) if name_key(entry.name) != parent_key]
        candidates = [
            candidate for candidate in self.gazetteer.lookup(place.country, place.name.name) if name_key(candidate.name) != parent_key
        ]
        parent_point = self._parent_point(place)
        # The source's coordinates count unless they lie away from the parent (a geocoder's namesake).
        row_point = place.point
        if row_point and parent_point and distance_km(*row_point, *parent_point) > PARENT_KM:
            row_point = None
        if parent_point:

            def fits(location):
                return location is not None and distance_km(*parent_point, *location) <= PARENT_KM

            aliases = [entry for entry in aliases if entry.point is None or fits(entry.point)]
            candidates = [candidate for candidate in candidates if fits(_gazetteer_point(candidate))]
        point, radius = (row_point, DISTRICT_KM) if row_point else (parent_point, PARENT_KM)
        if point:
            entry = _nearest(aliases, point, lambda entry: entry.point, radius)
            if entry:
                return self._existing(entry)
            chosen = _nearest(candidates, point, _gazetteer_point, radius)
            if chosen:
                return self._from_gazetteer(chosen, place, stamp)
        unlocated = [entry for entry in aliases if entry.point is None]
        if len(unlocated) == 1:
            return self._existing(unlocated[0])
        return self._new_city(place, stamp, point=row_point)


def _gazetteer_point(place):
    return (place.latitude, place.longitude)


def _closest(candidates, point, point_of, tiebreak):
    """The candidate nearest to `point` (any distance), or by `tiebreak` without one."""
    if point is None:
        return min(candidates, key=tiebreak)
    return min(
        candidates,
        key=lambda candidate: (
            distance_km(*point, *point_of(candidate)) if point_of(candidate) else math.inf,
            tiebreak(candidate),
        ),
    )


def _ambiguity_note(count, what, chosen):
    population = getattr(chosen, "population", None) or 0
    geonames_id = getattr(chosen, "geonames_id", None)
    where = f"GeoNames {geonames_id}, " if geonames_id else ""
    return f"{count} {what} share this name and the coordinates do not decide; chose {chosen.name} ({where}population {population})"
