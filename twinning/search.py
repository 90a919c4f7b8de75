"""The site's one search box: cities, twinnings, organisations, persons, agreements, delegations, events.

Three ways a city name is found, each through a GIN index:
- full-text search with the `russian` configuration for inflected forms ("побратимы Азова",
  "делегация Барановичей"); query words are stemmed and matched as prefixes of the names'
  words (see twinning/fts.py for why);
- trigram similarity (pg_trgm) on every name and alias for typos and spellings in other
  scripts ("Kuznetk", "Baranavichy"), also trying the query transliterated into the other script;
- an exact match on a name or alias ("Курбевуа" is an alias of Courbevoie).

Cities that match strongly bring their agreements, visits, events and twinnings into the results,
so "делегация Барановичей" lists the delegations of Baranovichi even if no text names them.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.postgres.lookups import TrigramSimilar
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramSimilarity
from django.db import connection, connections
from django.db.models import Case, F, FloatField, Q, Value, When
from django.db.models.functions import Greatest
from django.db.models.lookups import Lookup

from cities.models import City, CityName
from cities.public import public_cities, public_organisations, public_persons
from events.public import (
    delegations_for_display,
    events_for_display,
    events_involving,
    public_delegations,
    public_events,
)
from twinning.fts import name_document, text_document
from twinning.public import agreements_for_display, agreements_involving, public_agreements, public_twinnings

MAX_QUERY_LENGTH = 200
MAX_WORDS = 6
GROUP_LIMIT = 20
CANDIDATE_CAP = 2000
# A city scoring at least this is "what the reader meant"; its records join the results.
STRONG_MATCH = 0.5
_WORD_RE = re.compile(r"[\w'-]+", re.UNICODE)


def normalise_query(text):
    """Collapse whitespace and cut to MAX_QUERY_LENGTH characters."""
    return " ".join((text or "").split())[:MAX_QUERY_LENGTH]


@dataclass
class SearchResults:
    query: str
    cities: list = field(default_factory=list)
    twinnings: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    persons: list = field(default_factory=list)
    agreements: list = field(default_factory=list)
    delegations: list = field(default_factory=list)
    events: list = field(default_factory=list)

    @property
    def total(self):
        return sum(len(group) for _key, group in self.groups())

    def groups(self):
        """(key, list) pairs in display order."""
        return [
            ("cities", self.cities),
            ("twinnings", self.twinnings),
            ("organisations", self.organisations),
            ("persons", self.persons),
            ("agreements", self.agreements),
            ("delegations", self.delegations),
            ("events", self.events),
        ]


def search(text, *, limit=GROUP_LIMIT):
    """Search every kind of public record for `text`; each group holds at most `limit` records."""
    query = normalise_query(text)
    results = SearchResults(query=query)
    if not query:
        return results
    terms = _Terms.parse(query)
    results.cities = find_cities(query, limit=limit, terms=terms)
    strong = [city.pk for city in results.cities if city.search_score >= STRONG_MATCH][:3]

    results.twinnings = list(
        public_twinnings()
        .with_status()
        .filter(Q(city_a__in=strong) | Q(city_b__in=strong))
        .select_related("city_a", "city_b")
        .prefetch_related("city_a__names", "city_b__names")
        .order_by(F("established_on").desc(nulls_last=True), "pk")[:limit]
    ) if strong else []
    with _index_scans_only():
        _find_organisations_and_persons(results, terms, limit)

    agreement_ids = Q(pk__in=[])
    delegation_ids = Q(pk__in=[])
    event_ids = Q(pk__in=[])
    for city_pk in strong:
        # Id lists, not subqueries: "text matches OR pk IN (list)" can combine the full-text GIN
        # index with the primary key; OR-ing a subquery made PostgreSQL scan every row (~0.6 s).
        agreement_ids |= Q(pk__in=list(agreements_involving(city_pk).values_list("pk", flat=True)))
        delegation_ids |= Q(from_city=city_pk) | Q(to_city=city_pk)
        event_ids |= Q(pk__in=list(events_involving(city_pk).values_list("pk", flat=True)))
    results.agreements = _ranked_text_matches(
        agreements_for_display(public_agreements()), ("title", "summary"), terms, agreement_ids, "signed_on", limit
    )
    results.delegations = _ranked_text_matches(
        delegations_for_display(public_delegations()), ("purpose", "outcome"), terms, delegation_ids, "start_on", limit
    )
    results.events = _ranked_text_matches(
        events_for_display(public_events()), ("title", "description"), terms, event_ids, "start_on", limit
    )
    for key, group in results.groups():
        setattr(results, key, list(group))
    return results


def _find_organisations_and_persons(results, terms, limit):
    results.organisations = (
        _find_named(public_organisations(), ("name", "name_en"), terms, limit)
        .select_related("city")
        .prefetch_related("city__names")
    )
    results.persons = (
        _find_named(public_persons(), ("full_name", "full_name_en"), terms, limit)
        .select_related("city")
        .prefetch_related("city__names")
    )


def find_cities(text, *, limit=GROUP_LIMIT, terms=None):
    """Public cities matching `text` by name or alias, best first, each with `search_score` and
    `matched_name` (the name or alias that matched best)."""
    query = normalise_query(text)
    if not query:
        return []
    terms = terms or _Terms.parse(query)
    candidates = {}  # city pk -> (score, matched name)
    # The publication filter stays outside the capped candidate queries: inside, it would tempt
    # PostgreSQL into reading every published row by the publication index.
    names = CityName.objects.all()
    with _index_scans_only(names.db):
        _collect_city_candidates(candidates, names, terms, query, limit)

    cities = list(public_cities().filter(pk__in=candidates).with_names())
    for city in cities:
        city.search_score, city.matched_name = candidates[city.pk]
    cities.sort(key=lambda city: (-city.search_score, -(city.population or 0), city.name))
    return cities[:limit]


def _collect_city_candidates(candidates, names, terms, query, limit):
    """Fill `candidates` {city pk: (score, name)}: strict matches, then loose ones if too few."""
    for strict in (True, False):
        # Names matching the whole query first; looser matches only when those are too few.
        name_rows = (
            _name_matches(names, "name", terms, query, strict=strict)
            .filter(city__publication="published")
            .values_list("city_id", "name", "score")
        )
        city_rows = (
            _name_matches(City.objects.all(), "name", terms, query, strict=strict)
            .filter(publication="published")
            .values_list("pk", "name", "score")
        )
        for city_pk, name, score in [*name_rows[: limit * 3], *city_rows[: limit * 3]]:
            if city_pk not in candidates or score > candidates[city_pk][0]:
                candidates[city_pk] = (score, name)
        if len(candidates) >= limit:
            break


def _name_matches(queryset, field_name, terms, query, *, strict):
    """`queryset` rows whose `field_name` matches, annotated with `score`, best first.

    Strict: the whole query as a name, or every word in the name (stem or prefix). Loose: any
    word, or a trigram-similar spelling. The WHERE clause uses only conditions the GIN indexes
    serve; the score is computed for at most CANDIDATE_CAP matching rows, so that a word shared
    by a hundred thousand names ("Saint") costs a bounded amount of work.
    """
    document = name_document(field_name)
    exact = _ILike(F(field_name), Value(_like_escape(query)))
    if strict:
        condition = Q(exact)
        if terms.text_query is not None:
            condition |= Q(_fts_match(document, terms.text_query))
    else:
        condition = Q(pk__in=[])
        if terms.name_query is not None:
            condition |= Q(_fts_match(document, terms.name_query))
        for word in terms.trigram_words:
            condition |= Q(TrigramSimilar(F(field_name), Value(word)))
    similarity = [TrigramSimilarity(field_name, word) for word in terms.trigram_words] or [Value(0.0)]
    score = (
        Case(When(exact, then=Value(2.0)), default=Value(0.0), output_field=FloatField())
        + (
            Case(When(_fts_match(document, terms.name_query), then=Value(1.0)), default=Value(0.0))
            + SearchRank(document, terms.name_query)
            if terms.name_query is not None
            else Value(0.0)
        )
        + (Greatest(*similarity) if len(similarity) > 1 else similarity[0])
    )
    return queryset.filter(pk__in=_capped_ids(queryset, condition)).annotate(score=score).order_by("-score", "pk")


def _capped_ids(queryset, condition):
    """Ids of at most CANDIDATE_CAP rows matching `condition` (run inside _index_scans_only()).

    Fetched on their own: as a subquery the LIMIT misleads the planner into scanning the whole
    outer table."""
    return list(queryset.filter(condition).order_by().values_list("pk", flat=True)[:CANDIDATE_CAP])


@contextmanager
def _index_scans_only(alias="default"):
    """Switch off sequential scans for the candidate queries.

    PostgreSQL cannot estimate trigram matches and guesses them common, so with several OR-ed
    words it may read the whole table instead, computing every row's tsvector and similarities
    (seconds with 250,000 names). Every candidate condition is indexable, so nothing is lost.
    """
    connection = connections[alias]
    if getattr(connection, "_twinning_index_scans_only", False):
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    connection._twinning_index_scans_only = True
    try:
        yield
    finally:
        connection._twinning_index_scans_only = False
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan")


def _find_named(queryset, fields, terms, limit):
    """Organisations or persons whose name (in any of `fields`) matches, best first."""
    document = name_document(*fields)
    condition = Q(pk__in=[])
    if terms.name_query is not None:
        condition |= Q(_fts_match(document, terms.name_query))
    for word in terms.trigram_words:
        condition |= Q(TrigramSimilar(F(fields[0]), Value(word)))
    similarity = [TrigramSimilarity(fields[0], word) for word in terms.trigram_words] or [Value(0.0)]
    rank = SearchRank(document, terms.name_query) if terms.name_query is not None else Value(0.0)
    score = rank + (Greatest(*similarity) if len(similarity) > 1 else similarity[0])
    return queryset.filter(pk__in=_capped_ids(queryset, condition)).annotate(score=score).order_by("-score", "pk")[
        :limit
    ]


def _ranked_text_matches(queryset, fields, terms, related, date_field, limit):
    """Records whose text matches every word of the query (Russian stemming), or `related` ones;
    text matches first, then newest first."""
    if terms.text_query is None:
        return queryset.filter(related).order_by(F(date_field).desc(nulls_last=True), "-pk")[:limit]
    text_match = _fts_match(text_document(*fields), terms.text_query)
    return (
        queryset.filter(Q(text_match) | related)
        .annotate(text_hit=Case(When(text_match, then=Value(1)), default=Value(0)))
        .order_by("-text_hit", F(date_field).desc(nulls_last=True), "-pk")[:limit]
    )


class _Match(Lookup):
    """`document @@ query` usable as a filter or a When() condition."""

    lookup_name = "fts_match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = compiler.compile(self.lhs)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} @@ {rhs}", (*lhs_params, *rhs_params)


def _fts_match(document, query):
    return _Match(document, query)


@dataclass
class _Terms:
    """What a query is matched with.

    `name_query`: any word's Russian stem or the word itself, as a prefix (names: OR);
    `text_query`: every word, each as its stem or itself, as a prefix (titles and texts: AND);
    `trigram_words`: the query, its words and their transliterations, for pg_trgm.
    """

    name_query: object
    text_query: object
    trigram_words: list

    @classmethod
    def parse(cls, query):
        words = _WORD_RE.findall(query)[:MAX_WORDS]
        groups = [" | ".join(_tsquery_term(lexeme) for lexeme in group) for group in _lexemes_per_word(words)]
        name_query = text_query = None
        if groups:
            # Raw queries in the simple configuration, so the stems are not stemmed a second time.
            name_query = SearchQuery(" | ".join(groups), config="simple", search_type="raw")
            text_query = SearchQuery(" & ".join(f"({group})" for group in groups), config="simple", search_type="raw")
        # Words shorter than four letters share trigrams with too many names to be worth it
        # (the prefix query covers them); the whole query always counts.
        trigram_words = []
        for word in [query, *(word for word in words if len(word) >= 4)]:
            for variant in (word, transliterate(word)):
                if len(variant) >= 3 and variant.lower() not in (w.lower() for w in trigram_words):
                    trigram_words.append(variant)
        return cls(name_query, text_query, trigram_words[: MAX_WORDS * 2])


def _lexemes_per_word(words):
    """For each word, its stem in the russian configuration and the word as the simple one keeps
    it ("Азова": азов; "Азов": аз, азов). Stop words ("в", "для") are left out."""
    if not words:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tsvector_to_array(to_tsvector('russian', w)), tsvector_to_array(to_tsvector('simple', w))"
            " FROM unnest(%s::text[]) WITH ORDINALITY AS t(w, n) ORDER BY n",
            [words],
        )
        rows = cursor.fetchall()
    groups = []
    for stems, plain in rows:
        if stems:
            groups.append([*stems, *(word for word in plain if word not in stems)])
    return groups


def _tsquery_term(lexeme):
    """'азов':* — a prefix, except for stems shorter than three letters, which would find too much."""
    return _quote_lexeme(lexeme) + (":*" if len(lexeme) >= 3 else "")


def _quote_lexeme(lexeme):
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


# ---------------------------------------------------------------- transliteration
# Rough, on purpose: it only has to bring a spelling close enough for trigram similarity
# ("Baranavichy" -> "Баранавичы" ~ "Барановичи").
_LATIN_TO_CYRILLIC = [
    ("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ch", "ч"), ("sh", "ш"), ("ts", "ц"),
    ("yu", "ю"), ("ya", "я"), ("yo", "ё"), ("ye", "е"), ("ou", "у"), ("a", "а"), ("b", "б"),
    ("v", "в"), ("w", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"), ("y", "ы"),
    ("j", "й"), ("k", "к"), ("c", "к"), ("q", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"),
    ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "х"), ("x", "кс"),
]
_CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "і": "i", "ї": "yi", "є": "ye",
    "ў": "u",
}
_CYRILLIC_RE = re.compile("[а-яёіїєў]", re.IGNORECASE)


def transliterate(word):
    """`word` in the other script: Cyrillic to Latin, Latin to Cyrillic; other scripts unchanged."""
    lower = word.lower()
    if _CYRILLIC_RE.search(lower):
        return "".join(_CYRILLIC_TO_LATIN.get(char, char) for char in lower)
    out, position = [], 0
    while position < len(lower):
        for latin, cyrillic in _LATIN_TO_CYRILLIC:
            if lower.startswith(latin, position):
                out.append(cyrillic)
                position += len(latin)
                break
        else:
            out.append(lower[position])
            position += 1
    return "".join(out)


# ---------------------------------------------------------------- autocomplete


class _ILike(Lookup):
    """`field ILIKE pattern`: served by the trigram GIN index, unlike Django's UPPER(field) LIKE."""

    lookup_name = "ilike"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = compiler.compile(self.lhs)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} ILIKE {rhs}", (*lhs_params, *rhs_params)


def _like_escape(text):
    return re.sub(r"([\\%_])", r"\\\1", text)


def autocomplete(text, *, limit=8):
    """Suggestions for the search box: cities first (names starting with `text`, then close
    matches), then organisations and persons. Returns dicts ready for JSON."""
    query = normalise_query(text)
    if len(query) < 2:
        return []
    pattern = Value(_like_escape(query) + "%")
    with _index_scans_only():  # the prefix is served by the trigram indexes; see there
        prefix_names = dict(
            CityName.objects.filter(_ILike(F("name"), pattern), city__publication="published")
            .order_by(F("city__population").desc(nulls_last=True), "city_id")
            .values_list("city_id", "name")[: limit * 3]
        )
        for pk, name in (
            public_cities()
            .filter(_ILike(F("name"), pattern))
            .order_by(F("population").desc(nulls_last=True), "pk")
            .values_list("pk", "name")[: limit * 3]
        ):
            prefix_names.setdefault(pk, name)
    cities = list(public_cities().filter(pk__in=prefix_names).with_names())
    for city in cities:
        city.matched_name = prefix_names[city.pk]
    cities.sort(key=lambda city: (-(city.population or 0), city.name))
    if len(cities) < limit and len(query) >= 3:
        seen = {city.pk for city in cities}
        cities += [city for city in find_cities(query, limit=limit) if city.pk not in seen]
    suggestions = [_city_suggestion(city) for city in cities[:limit]]

    room = limit - len(suggestions)
    if room > 0:
        for organisation in (
            public_organisations().filter(_ILike(F("name"), pattern)).select_related("city")[:room]
        ):
            suggestions.append(
                {"type": "organisation", "id": organisation.pk, "label": organisation.name,
                 "detail": organisation.city.name, "url": organisation.get_absolute_url()}
            )
    room = limit - len(suggestions)
    if room > 0:
        for person in public_persons().filter(_ILike(F("full_name"), pattern)).select_related("city")[:room]:
            suggestions.append(
                {"type": "person", "id": person.pk, "label": person.full_name, "detail": person.city.name,
                 "url": person.get_absolute_url()}
            )
    return suggestions


def _city_suggestion(city):
    label = city.display_name()
    details = [str(city.country.name)]
    if city.region:
        details.append(city.region)
    return {
        "type": "city",
        "id": city.pk,
        "label": label,
        "matched": city.matched_name if city.matched_name.lower() != label.lower() else "",
        "detail": ", ".join(details),
        "url": city.get_absolute_url(),
    }
