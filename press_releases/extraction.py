"""The press-release assistant's engine: text (and its publication date) in, proposals out.

It finds the cities a release mentions (matched to registry cities through names, aliases and
inflected forms, or to the offline gazetteer), the persons with their positions, organisations,
dates, and from those proposes candidate records: a twinning, agreements, a delegation, joint
events. Every proposal carries the offsets of the sentence it came from so the page can highlight
it. Nothing here writes to the database; press_releases.services.confirm_proposals does, after
an officer has ticked and corrected the proposals.

natasha's models (about 200 MiB) load on the first extraction in a process and stay loaded;
importing this module loads nothing, so processes that never extract never pay for them.
"""

import datetime
import functools
import re
import threading
from dataclasses import asdict, dataclass, field

from django.utils import translation

from events.models import EventFormat, EventKind
from press_releases import lookup, vocabulary
from press_releases.dates import find_dates
from press_releases.lookup import normalise
from twinning.models import AgreementKind, Twinning, TwinningKind

MAX_TEXT_LENGTH = 100_000

_pipeline = None
_pipeline_lock = threading.Lock()


class _Pipeline:
    def __init__(self):
        from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

        embedding = NewsEmbedding()
        self.segmenter = Segmenter()
        self.morph_vocab = MorphVocab()
        self.morph_tagger = NewsMorphTagger(embedding)
        self.ner_tagger = NewsNERTagger(embedding)
        # Neither the syntax parser nor DatesExtractor is loaded. Nothing here needs a dependency
        # tree, and DatesExtractor took 40 % of the time of an extraction while finding no date in
        # the sample releases that press_releases.dates' patterns missed (they also read ranges,
        # "вчера" and English); find_dates() still accepts it as `natasha_extractor`.


def pipeline():
    """natasha's models, loaded once per process on first use."""
    global _pipeline
    if _pipeline is None:
        with _pipeline_lock:
            if _pipeline is None:
                _pipeline = _Pipeline()
    return _pipeline


# ------------------------------------------------------------------ proposal types


@dataclass
class Mention:
    start: int
    stop: int
    text: str
    sentence: int


@dataclass
class CityProposal:
    key: str  # "city:<pk>" for a registry city, "geo:<geonames id>" for a gazetteer one
    name: str
    country: str
    city_id: int | None = None
    geonames_id: int | None = None
    via_adjective: bool = False
    mentions: list = field(default_factory=list)


@dataclass
class PersonProposal:
    key: str
    full_name: str
    position: str = ""
    city: str | None = None
    organisation: str | None = None
    existing_id: int | None = None
    mentions: list = field(default_factory=list)


@dataclass
class OrganisationProposal:
    key: str
    name: str
    kind: str
    city: str | None = None
    existing_id: int | None = None
    mentions: list = field(default_factory=list)


@dataclass
class DateProposal:
    value: str
    end: str | None
    mention: Mention


@dataclass
class TwinningProposal:
    city_a: str
    city_b: str
    kind: str
    established_on: str | None = None
    existing_id: int | None = None
    sentence: int = 0


@dataclass
class AgreementProposal:
    key: str
    title: str
    kind: str
    signed_on: str | None = None
    party_cities: list = field(default_factory=list)
    party_organisations: list = field(default_factory=list)
    spheres: list = field(default_factory=list)
    signatories: list = field(default_factory=list)
    signed_at_event: str | None = None
    during_delegation: bool = False
    sentence: int = 0


@dataclass
class DelegationProposal:
    key: str
    from_city: str
    to_city: str
    start_on: str | None = None
    end_on: str | None = None
    head: str | None = None
    head_position: str = ""
    sentence: int = 0


@dataclass
class EventProposal:
    key: str
    title: str
    kind: str
    format: str = EventFormat.IN_PERSON
    start_on: str | None = None
    end_on: str | None = None
    host_city: str | None = None
    participants: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    sentence: int = 0


@dataclass
class Proposals:
    text: str
    published_on: str | None
    language: str
    sentences: list  # [(start, stop)]
    cities: list
    persons: list
    organisations: list
    dates: list
    twinning: TwinningProposal | None = None
    agreements: list = field(default_factory=list)
    delegations: list = field(default_factory=list)
    events: list = field(default_factory=list)

    @property
    def has_records(self):
        return bool(self.twinning or self.agreements or self.delegations or self.events)

    def city(self, key):
        return next((city for city in self.cities if city.key == key), None)

    def as_dict(self):
        """JSON-ready: the API's response and what the confirm page carries between requests."""
        return asdict(self)


# ------------------------------------------------------------------ tokens


@dataclass
class _Token:
    index: int
    text: str
    start: int
    stop: int
    lemma: str
    pos: str
    feats: dict
    sentence: int
    ner: str | None = None  # "LOC", "PER", "ORG" when inside such a span

    @property
    def capitalised(self):
        return self.text[:1].isupper()


_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)
_PUNCT_STOP = {",", ".", ";", ":", "(", ")", "«", "»", '"', "!", "?", "\n"}
_DASHES = {"-", "–", "—"}


def detect_language(text):
    cyrillic, latin = len(_CYRILLIC.findall(text)), len(_LATIN.findall(text))
    return "ru" if cyrillic >= latin else "en"


def _lemma_matches(lemma, entry):
    if entry.startswith("*") and entry.endswith("*"):
        return entry[1:-1] in lemma
    if entry.endswith("*"):
        return lemma.startswith(entry[:-1])
    if entry.startswith("*"):
        return lemma.endswith(entry[1:])
    return lemma == entry


@functools.lru_cache(maxsize=1024)
def _parts(entry):
    return tuple(entry.split())


def _phrase_at(tokens, i, entry):
    """Whether the words of `entry` match the tokens starting at i; returns how many matched."""
    parts = _parts(entry)
    if i + len(parts) > len(tokens) or not _lemma_matches(tokens[i].lemma, parts[0]):
        return 0
    for offset, part in enumerate(parts):
        token = tokens[i + offset]
        if token.sentence != tokens[i].sentence or not _lemma_matches(token.lemma, part):
            return 0
    return len(parts)


class _VocabularyIndex:
    """(entry, value) pairs looked up by a token's lemma: only entries that can start there are tried."""

    def __init__(self, pairs):
        self.pairs = list(pairs)
        self.exact = {}
        self.wildcard = []
        for position, (entry, value) in enumerate(self.pairs):
            first = _parts(entry)[0]
            if "*" in first:
                self.wildcard.append((position, entry, value))
            else:
                self.exact.setdefault(first, []).append((position, entry, value))

    def candidates(self, lemma):
        """Entries that may match at a token with `lemma`, in vocabulary order."""
        found = self.exact.get(lemma, []) + [item for item in self.wildcard if _lemma_matches(lemma, _parts(item[1])[0])]
        return [(entry, value) for _position, entry, value in sorted(found)]


_ORGANISATION_INDEX = _VocabularyIndex(vocabulary.ORGANISATION_WORDS + vocabulary.ORGANISATION_WORDS_EN)
_EVENT_INDEX = _VocabularyIndex(vocabulary.EVENT_KIND_WORDS)


class _Analysis:
    """One release being read: tokens, sentences and the entities found so far."""

    def __init__(self, text, published_on, home_city_id):
        self.text = text
        self.published_on = published_on
        self.home_city_id = home_city_id
        self.language = detect_language(text)
        self.nlp = pipeline()
        self.tokens = []
        self.sentences = []
        self._by_sentence = None
        self._tokenise()
        self.token_starting_at = {token.start: token.index for token in self.tokens}
        self.city_at = {}  # token index -> city key
        self.cities = {}  # key -> CityProposal
        self.persons = []
        self.organisations = []
        self.org_at = {}  # token index -> organisation key
        self.person_at = {}  # token index -> person key
        self.position_windows = {}  # person key -> (first, last) token of the position phrase
        self.dates = []

    # -------------------------------------------------------------- tokenising
    def _tokenise(self):
        from natasha import Doc

        doc = Doc(self.text)
        doc.segment(self.nlp.segmenter)
        russian = self.language == "ru"
        if russian:
            doc.tag_morph(self.nlp.morph_tagger)
            doc.tag_ner(self.nlp.ner_tagger)
        for sentence_index, sentence in enumerate(doc.sents):
            self.sentences.append((sentence.start, sentence.stop))
            for token in sentence.tokens:
                if russian:
                    token.lemmatize(self.nlp.morph_vocab)
                lemma = normalise(token.lemma if russian else token.text)
                self.tokens.append(
                    _Token(len(self.tokens), token.text, token.start, token.stop, lemma, token.pos or "", token.feats or {}, sentence_index)
                )
        self.spans = list(doc.spans or [])
        starts = {token.start: token.index for token in self.tokens}
        for span in self.spans:
            index = starts.get(span.start)
            while index is not None and index < len(self.tokens) and self.tokens[index].start < span.stop:
                self.tokens[index].ner = span.type
                index += 1

    def sentence_tokens(self, sentence):
        if self._by_sentence is None:
            self._by_sentence = [[] for _ in self.sentences]
            for token in self.tokens:
                self._by_sentence[token.sentence].append(token)
        return self._by_sentence[sentence]

    def sentence_lemmas(self, sentence):
        return [token.lemma for token in self.sentence_tokens(sentence)]

    def mention(self, first, last):
        start, stop = self.tokens[first].start, self.tokens[last].stop
        return Mention(start, stop, self.text[start:stop], self.tokens[first].sentence)

    def parses(self, word):
        return self.nlp.morph_vocab(word) if self.language == "ru" else []

    def nominative(self, token, number=None):
        """The word in the nominative, keeping its number (or `number`): "заместителем" -> "заместитель"."""
        if self.language != "ru" or token.text.isupper() or token.feats.get("Case") == "Nom" and number is None:
            return token.text
        for parse in self.parses(token.text):
            if parse.normal_form.replace("ё", "е") != token.lemma and token.pos != "PROPN":
                continue
            # natasha's MorphForm.inflect takes Universal Dependencies grammemes.
            grams = {"Nom", "Plur" if (number or token.feats.get("Number")) == "Plur" else "Sing"}
            if parse.tag.POS in ("ADJF", "PRTF") and "Sing" in grams and token.feats.get("Gender"):
                grams.add(token.feats["Gender"])
            inflected = parse.inflect(grams)
            if inflected:
                word = inflected.word
                return word[:1].upper() + word[1:] if token.capitalised else word
        return token.text


# ------------------------------------------------------------------ cities

_ADJECTIVE_SUFFIXES = ("ский", "цкий", "ской", "цкой")


def _adjective_city_forms(lemma):
    """Names a city adjective may come from: "кузнецкий" -> "кузнецк", "барановичский" -> "барановичи"."""
    for suffix in _ADJECTIVE_SUFFIXES:
        if lemma.endswith(suffix) and len(lemma) > len(suffix) + 2:
            base = lemma[: -len(suffix)]
            if suffix.startswith("ц"):
                return {base + "цк", base + "ц"}
            forms = {base + "ск", base, base + "и", base + "а", base + "ь", base + "ы"}
            if base.endswith("ов"):
                forms.add(base[:-2] + "а")  # московский -> москва
            return forms
    return set()


_country_names_cache = None


def _country_names():
    global _country_names_cache
    if _country_names_cache is None:
        from django_countries import countries

        names = set()
        for language in ("ru", "en"):
            with translation.override(language):
                names.update(normalise(str(name)) for _code, name in countries)
        names.update({"россия", "беларусь", "белоруссия", "франция", "германия", "украина", "китай", "сша"})
        _country_names_cache = names
    return _country_names_cache


def _find_cities(analysis):
    tokens = analysis.tokens
    country_names = _country_names()
    region_words = vocabulary.REGION_WORDS_RU + vocabulary.REGION_WORDS_EN
    candidates = []  # (first, last, forms, strong, adjective)

    def followed_by_region(i):
        j = i + 1
        while j < len(tokens) and tokens[j].sentence == tokens[i].sentence and (tokens[j].pos == "ADJ"):
            j += 1
        return j < len(tokens) and tokens[j].lemma in region_words

    def preceded_by(i, words):
        return i > 0 and tokens[i - 1].sentence == tokens[i].sentence and tokens[i - 1].lemma in words

    def city_cue_before(i):
        j = i - 1
        while j >= 0 and tokens[j].text in {".", "-"}:
            j -= 1
        return j >= 0 and (tokens[j].lemma in vocabulary.CITY_CUES_RU + vocabulary.CITY_CUES_EN or tokens[j].lemma.startswith("город"))

    def named_after(i):
        """"библиотека им. А. Н. Радищева": a person's name, not a place."""
        j = i - 1
        while j >= 0 and i - j <= 5 and (tokens[j].text == "." or len(tokens[j].text) <= 2 and tokens[j].capitalised):
            j -= 1
        return j >= 0 and tokens[j].lemma in {"им", "имя", "имени"}

    def word_forms(token):
        forms = {normalise(token.text), token.lemma}
        forms.update(normalise(parse.normal_form) for parse in analysis.parses(token.text))
        return forms

    for i, token in enumerate(tokens):
        if not token.text[:1].isalpha() or len(token.text) < 2:
            continue
        lower = normalise(token.text)
        if lower in vocabulary.NOT_CITY_ABBREVIATIONS or (token.text.isupper() and len(token.text) <= 4):
            continue
        # A city adjective: "кузнецким лицеем", "Барановичского горисполкома"; not "Донецкой Народной Республики".
        adjective_forms = _adjective_city_forms(token.lemma) if token.pos == "ADJ" else set()
        if adjective_forms:
            if not followed_by_region(i):
                candidates.append((i, i, adjective_forms, False, True))
            continue
        if not token.capitalised or preceded_by(i, region_words) or named_after(i):
            continue
        parses = analysis.parses(token.text)
        geographic = any("Geox" in parse.tag for parse in parses)
        unknown = analysis.language == "ru" and not any(parse.is_known for parse in parses)
        sentence_start = i == 0 or tokens[i - 1].sentence != token.sentence or tokens[i - 1].text in {"-", "–", "—", "«"}
        strong = token.ner == "LOC" or city_cue_before(i) or analysis.language == "en"
        if sentence_start and not (strong or geographic):
            continue
        if token.pos == "ADJ" and not strong:
            continue
        forms = word_forms(token) - country_names
        if forms and not (forms & {normalise(word) for word in vocabulary.POSITION_WORDS_RU}):
            # Only a noun the tagger or a "г."/"город" marks as a place is looked up in the gazetteer.
            gazetteer_worthy = strong and token.pos != "ADJ" and token.ner != "PER" and (geographic or unknown or token.ner == "LOC")
            candidates.append((i, i, forms, gazetteer_worthy, False))
        # Names of two or three words: "Нижний Новгород", "Saint Petersburg".
        for length in (2, 3):
            last = i + length - 1
            if last < len(tokens) and all(t.sentence == token.sentence and (t.capitalised or t.text in _DASHES) for t in tokens[i : last + 1]):
                group = tokens[i : last + 1]
                surface = normalise(" ".join(t.text for t in group)).replace(" - ", "-")
                lemmas = " ".join(t.lemma for t in group).replace(" - ", "-")
                candidates.append((i, last, {surface, lemmas} - country_names, strong, False))

    all_forms = set().union(*(forms for _f, _l, forms, _s, _a in candidates)) if candidates else set()
    registry = lookup.registry_cities_by_form(all_forms)
    unmatched_strong = set()
    for first, last, forms, strong, adjective in candidates:
        if strong and not adjective and not any(form in registry for form in forms):
            unmatched_strong.update(forms)
    gazetteer = lookup.gazetteer_by_form(unmatched_strong)
    known_by_geonames = lookup.registry_cities_by_geonames_id([row.geonames_id for row in gazetteer.values()])
    city_rows = lookup.cities_by_id(set().union(*registry.values(), {city.pk for city in known_by_geonames.values()}) if registry or known_by_geonames else set())

    # Longest names first, so "Нижний Новгород" wins over "Новгород".
    candidates.sort(key=lambda candidate: (-(candidate[1] - candidate[0]), candidate[0]))
    taken = set()
    named = set()
    for first, last, forms, strong, adjective in candidates:
        if any(index in taken for index in range(first, last + 1)):
            continue
        city_ids = set().union(*(registry.get(form, set()) for form in forms))
        proposal = None
        if adjective:
            if len(city_ids) == 1:  # an adjective counts only when it points at one city
                proposal = _city_proposal(analysis, city_rows[city_ids.pop()], adjective=True)
        elif city_ids:
            surface = normalise(analysis.text[tokens[first].start : tokens[last].stop])
            preferred = registry.get(surface) or registry.get(tokens[first].lemma) or city_ids
            choice = max((city_rows[pk] for pk in preferred), key=lambda city: city.population or 0)
            proposal = _city_proposal(analysis, choice)
        elif strong:
            row = next((gazetteer[form] for form in sorted(forms) if form in gazetteer), None)
            if row is not None:
                known = known_by_geonames.get(row.geonames_id)
                proposal = _city_proposal(analysis, known) if known else _gazetteer_proposal(analysis, row)
        if proposal is None:
            continue
        proposal.mentions.append(analysis.mention(first, last))
        if not adjective:
            named.add(proposal.key)
        for index in range(first, last + 1):
            taken.add(index)
            analysis.city_at[index] = proposal.key
    for proposal in analysis.cities.values():
        proposal.mentions.sort(key=lambda mention: mention.start)
        # A city seen only through adjectives ("Донецкого форума") is weaker evidence.
        proposal.via_adjective = proposal.key not in named


def _token_at(analysis, offset):
    return analysis.token_starting_at[offset]


def _city_proposal(analysis, city, adjective=False):
    key = f"city:{city.pk}"
    if key not in analysis.cities:
        analysis.cities[key] = CityProposal(key, city.display_name("ru"), str(city.country), city_id=city.pk, geonames_id=city.geonames_id)
    return analysis.cities[key]


def _gazetteer_proposal(analysis, row):
    key = f"geo:{row.geonames_id}"
    if key not in analysis.cities:
        names = [name for name in row.alternate_names.split(",") if _CYRILLIC.search(name)]
        name = names[0] if names and analysis.language == "ru" else row.name
        analysis.cities[key] = CityProposal(key, name, row.country, geonames_id=row.geonames_id)
    return analysis.cities[key]


def _home_city(analysis):
    """The city of the office that wrote the release: the one given, else the first one named."""
    if analysis.home_city_id and f"city:{analysis.home_city_id}" in analysis.cities:
        return f"city:{analysis.home_city_id}"
    named = [city for city in analysis.cities.values() if not city.via_adjective]
    first = min(named or analysis.cities.values(), key=lambda city: city.mentions[0].start, default=None)
    return first.key if first else None


def _cities_in(analysis, first, last):
    """City keys mentioned between token indexes first..last, in text order, without repeats."""
    keys = []
    for index in range(max(first, 0), min(last, len(analysis.tokens) - 1) + 1):
        key = analysis.city_at.get(index)
        if key and key not in keys:
            keys.append(key)
    return keys


def _our_city_in(analysis, first, last):
    words = vocabulary.OUR_CITY_WORDS_RU + vocabulary.OUR_CITY_WORDS_EN
    return any(analysis.tokens[i].lemma in words for i in range(max(first, 0), min(last, len(analysis.tokens) - 1) + 1))


def _nearest_city_before(analysis, index):
    """The last city named before token `index` in its sentence, else in the sentence before."""
    sentence = analysis.tokens[index].sentence
    for i in range(index - 1, -1, -1):
        if analysis.tokens[i].sentence < sentence - 1:
            break
        if i in analysis.city_at:
            return analysis.city_at[i]
    return None


# ------------------------------------------------------------------ organisations


def _find_organisations(analysis):
    tokens = analysis.tokens
    home = _home_city(analysis)
    found = {}
    i = 0
    while i < len(tokens):
        match = None
        for entry, kind in _ORGANISATION_INDEX.candidates(tokens[i].lemma):
            length = _phrase_at(tokens, i, entry)
            if length:
                match = (length, kind, entry)
                break
        if not match or tokens[i].index in analysis.person_at:
            i += 1
            continue
        length, kind, entry = match
        # The head of "музейно-выставочный центр" or "дворец культуры" is its first noun.
        head_index = next((k for k in range(i, i + length) if tokens[k].pos in ("NOUN", "PROPN")), i + length - 1)
        head = tokens[head_index]
        sentence = head.sentence
        first = i
        while first > 0 and tokens[first - 1].sentence == sentence and _is_adjective(tokens[first - 1]):
            first -= 1
        last = i + length - 1
        has_name = first < i and tokens[first].capitalised
        # "№ 5", "им. А. Н. Радищева", «Диалог»
        j = last + 1
        if j < len(tokens) and tokens[j].text in {"№", "N"} and j + 1 < len(tokens):
            last = j + 1
            has_name = True
            tokens_after_number = last + 1
            j = tokens_after_number
        if j < len(tokens) and tokens[j].lemma in {"имя", "им"}:
            k = j + 1
            while k < len(tokens) and tokens[k].sentence == sentence and (tokens[k].text == "." or (tokens[k].capitalised and len(tokens[k].text) <= 2)):
                k += 1
            if k < len(tokens) and tokens[k].capitalised:
                last = k
                has_name = True
                j = k + 1
        elif j < len(tokens) and tokens[j].text == "«":
            k = j + 1
            while k < len(tokens) and tokens[k].sentence == sentence and tokens[k].text != "»":
                k += 1
            if k < len(tokens) and k - j < 12:
                last = k
                has_name = True
                j = k + 1
        elif kind in ("cultural_centre", "social", "other", "association"):
            # "центра социальной реабилитации детей-инвалидов": a genitive tail names the centre.
            k = j
            while k < len(tokens) and tokens[k].sentence == sentence and k - j < 6 and (
                tokens[k].feats.get("Case") == "Gen" or (tokens[k].lemma == "и" and k + 1 < len(tokens) and tokens[k + 1].feats.get("Case") == "Gen")
            ) and tokens[k].index not in analysis.city_at:
                k += 1
            if k > j:
                last = k - 1
                has_name = True
                j = k
        plural = head.feats.get("Number") == "Plur"
        if entry in vocabulary.ORGANISATION_NEEDS_NAME and not has_name or plural:
            i += length
            continue
        # The organisation's city: an adjective inside the name, "г. Барановичи" / "нашего города" after it,
        # else for a city body ("горисполком", "городская Дума") the nearest city around.
        inside = _cities_in(analysis, first, last)
        city = inside[0] if inside else None
        tail = j
        while tail < len(tokens) and tokens[tail].text in {"(", ".", ","} and tail - j < 2:
            tail += 1
        if city is None and tail < len(tokens) and (tokens[tail].lemma in vocabulary.CITY_CUES_RU + vocabulary.CITY_CUES_EN or tokens[tail].lemma.startswith("город")):
            after = _cities_in(analysis, tail, tail + 3)
            if after:
                city = after[0]
                if kind in ("administration", "council", "executive_committee"):
                    last = max(index for index in range(tail, tail + 4) if analysis.city_at.get(index) == city)
        if city is None and _our_city_in(analysis, tail, tail + 1):
            city = home  # "гимназия № 5 нашего города"
        if city is None and kind in ("administration", "council", "executive_committee"):
            near = _cities_in(analysis, last + 1, last + 4) or [_nearest_city_before(analysis, first)]
            city = near[0]
        if city is None:
            city = _nearest_city_before(analysis, first) if kind != "other" else None
        name = _org_name(analysis, first, head_index, last)
        org_key = (normalise(name), city)
        proposal = found.get(org_key)
        if proposal is None:
            proposal = OrganisationProposal(f"org:{len(found)}", name, str(kind), city)
            found[org_key] = proposal
        proposal.mentions.append(analysis.mention(first, last))
        for index in range(first, last + 1):
            analysis.org_at[index] = proposal.key
        i = last + 1
    analysis.organisations = list(found.values())


def _is_adjective(token):
    return token.pos == "ADJ" or token.feats.get("VerbForm") == "Part"


def _org_name(analysis, first, head, last):
    """The name in the nominative: adjectives and head noun inflected, the rest as written."""
    tokens = analysis.tokens
    number = tokens[head].feats.get("Number")
    words = []
    for index in range(first, last + 1):
        token = tokens[index]
        word = analysis.nominative(token, number) if index <= head else token.text
        if words and (token.text in {".", ",", "»"} or tokens[index - 1].text in {"«", "№"} and False):
            words[-1] += word
        elif words and tokens[index - 1].stop == token.start:
            words[-1] += word
        else:
            words.append(word)
    name = " ".join(words).replace("\n", " ")
    return name[:1].upper() + name[1:]


# ------------------------------------------------------------------ persons


def _find_persons(analysis):
    if analysis.language == "ru":
        spans = [span for span in analysis.spans if span.type == "PER"]
        for span in spans:
            span.normalize(analysis.nlp.morph_vocab)
        found = {}
        for span in spans:
            first = _token_at(analysis, span.start)
            last = first
            while last + 1 < len(analysis.tokens) and analysis.tokens[last + 1].stop <= span.stop:
                last += 1
            words = [token for token in analysis.tokens[first : last + 1] if token.text not in {"."}]
            # Named after someone ("школа им. Ю. А. Гагарина") or a city the tagger took for a name.
            if any(analysis.tokens[k].lemma in {"имя", "им"} for k in range(max(first - 2, 0), last + 1)):
                continue
            if any(index in analysis.city_at for index in range(first, last + 1)):
                continue
            if len(words) < 2 or all(len(token.text) <= 2 for token in words[:-1]):
                _add_surname_mention(analysis, found, span, first, last)
                continue
            _add_person(analysis, found, span.normal, first, last)
        analysis.persons = list(found.values())
    else:
        _find_persons_english(analysis)


def _person_key(full_name):
    parts = normalise(full_name).split()
    return (parts[0], parts[-1]) if parts else ("", "")


def _add_surname_mention(analysis, found, span, first, last):
    surname = normalise(span.normal or span.text).split()[-1]
    for person in found.values():
        if normalise(person.full_name).split()[-1] == surname:
            person.mentions.append(analysis.mention(first, last))
            for index in range(first, last + 1):
                analysis.person_at[index] = person.key


def _add_person(analysis, found, full_name, first, last):
    position, position_first = _position_before(analysis, first)
    if not position:
        position, position_first = _position_after(analysis, last)
    key = _person_key(full_name)
    person = found.get(key)
    if person is None:
        person = PersonProposal(f"person:{len(found)}", full_name)
        found[key] = person
    elif len(full_name) > len(person.full_name):
        person.full_name = full_name  # "Владимир Валерьевич Ращупкин" over "Владимир Ращупкин"
    person.mentions.append(analysis.mention(first, last))
    for index in range(first, last + 1):
        analysis.person_at[index] = person.key
    # The first position that names its city wins; a bare "Глава города" only fills a gap.
    window = (position_first, first - 1) if position else (first - 1, first - 1)
    cities_in_position = _cities_in(analysis, *window) if position else []
    if position and (not person.position or cities_in_position and not person.city):
        person.position = position
        analysis.position_windows[person.key] = window
    if cities_in_position and not person.city:
        person.city = cities_in_position[0]
    if not person.city and _our_city_in(analysis, first - 4, first - 1):
        person.city = _home_city(analysis)
    if not person.city and position:
        person.city = _nearest_city_before(analysis, first)


def _position_before(analysis, first):
    """("заместитель председателя горисполкома", first token index) from the words before a name."""
    tokens = analysis.tokens
    sentence = tokens[first].sentence
    start = first
    while start - 1 >= 0:
        previous = tokens[start - 1]
        if previous.sentence != sentence or previous.text in _PUNCT_STOP or previous.index in analysis.person_at:
            break
        if previous.pos in ("VERB", "AUX") and not previous.capitalised or previous.lemma in {"и", "а", "но"}:
            break
        if previous.pos == "ADP" and previous.lemma not in {"по"}:
            break
        start -= 1
    for index in range(start, first):
        if tokens[index].lemma in vocabulary.POSITION_WORDS_RU:
            # Inflect the words up to and including the first noun: "первым заместителем" -> "первый заместитель".
            words = []
            inflecting = True
            for k in range(index, first):
                token = tokens[k]
                words.append(analysis.nominative(token) if inflecting else token.text)
                if token.lemma in vocabulary.POSITION_WORDS_RU and not _is_adjective(token):
                    inflecting = False
            phrase = " ".join(words).replace(" .", ".").replace("\n", " ")
            return phrase, index
    return "", first


def _position_after(analysis, last):
    """", заместитель мэра," after a name: the words up to the next comma or full stop."""
    tokens = analysis.tokens
    if last + 2 >= len(tokens) or tokens[last + 1].text != "," or tokens[last + 2].lemma not in vocabulary.POSITION_WORDS_RU:
        return "", last
    k = last + 2
    while k < len(tokens) and tokens[k].sentence == tokens[last].sentence and tokens[k].text not in _PUNCT_STOP:
        k += 1
    return " ".join(token.text for token in tokens[last + 2 : k]), last + 2


_EN_PERSON = re.compile(
    r"\b(?P<position>(?:(?:[Dd]eputy|[Ff]irst|[Vv]ice)\s+)*(?:%s)(?:\s+of\s+(?:the\s+)?[A-Z][\w-]+(?:\s+[A-Z][\w-]+)?)?),?\s+"
    r"(?P<name>[A-Z][a-z]+(?:\s+[A-Z]\.)?\s+[A-Z][a-zA-Z'-]+)" % "|".join(
        word[:1].upper() + word[1:] + "|" + word for word in vocabulary.POSITION_WORDS_EN
    )
)


def _find_persons_english(analysis):
    found = {}
    for match in _EN_PERSON.finditer(analysis.text):
        name_start, name_stop = match.span("name")
        first = next((t.index for t in analysis.tokens if t.start == name_start), None)
        last = next((t.index for t in analysis.tokens if t.stop == name_stop), None)
        if first is None or last is None or any(index in analysis.city_at for index in range(first, last + 1)):
            continue
        key = _person_key(match.group("name"))
        person = found.setdefault(key, PersonProposal(f"person:{len(found)}", match.group("name")))
        person.mentions.append(analysis.mention(first, last))
        if not person.position:
            person.position = match.group("position")
            position_first = next((t.index for t in analysis.tokens if t.start == match.start("position")), first)
            in_position = _cities_in(analysis, position_first, first - 1)
            person.city = in_position[0] if in_position else _nearest_city_before(analysis, first)
        for index in range(first, last + 1):
            analysis.person_at[index] = person.key
    analysis.persons = list(found.values())


# ------------------------------------------------------------------ candidate records


def _sentence_has(analysis, sentence, entries):
    tokens = analysis.sentence_tokens(sentence)
    return any(_phrase_at(tokens, i, entry) for i in range(len(tokens)) for entry in entries)


def _text_has(analysis, entries):
    return any(_phrase_at(analysis.tokens, i, entry) for i in range(len(analysis.tokens)) for entry in entries)


def _dates_in(analysis, sentence):
    start, stop = analysis.sentences[sentence]
    return [date for date in analysis.dates if start <= date.start < stop]


def _main_pair(analysis):
    """The two cities the release is about: the most mentioned, the writer's city first."""
    counted = sorted(
        (city for city in analysis.cities.values() if not city.via_adjective),
        key=lambda city: (-len(city.mentions), city.mentions[0].start),
    )
    home = _home_city(analysis)
    keys = [city.key for city in counted]
    if home in keys:
        keys.remove(home)
        keys.insert(0, home)
    return keys[:2] if len(keys) >= 2 else None


def _clause_after(analysis, index, stop_lemmas):
    """Tokens after `index` up to punctuation or one of `stop_lemmas`."""
    tokens = analysis.tokens
    k = index + 1
    while k < len(tokens) and tokens[k].sentence == tokens[index].sentence and tokens[k].text not in _PUNCT_STOP and tokens[k].lemma not in stop_lemmas:
        k += 1
    return k - 1


def _spheres(analysis, sentences):
    found = []
    for sentence in sentences:
        lemmas = analysis.sentence_lemmas(sentence)
        cues = vocabulary.SPHERE_CUES_RU if analysis.language == "ru" else vocabulary.SPHERE_CUES_EN
        if not any(_lemma_matches(lemma, cue) for lemma in lemmas for cue in cues):
            continue
        for lemma in lemmas:
            sphere = vocabulary.SPHERE_WORDS.get(lemma)
            if sphere is None and analysis.language == "en":
                sphere = next((value for stem, value in vocabulary.SPHERE_WORDS.items() if lemma.startswith(stem) and stem.isascii()), None)
            if sphere and str(sphere) not in found:
                found.append(str(sphere))
    return found


def _agreements(analysis, pair, events_by_sentence, delegations):
    agreement_words = vocabulary.AGREEMENT_WORDS_RU + vocabulary.AGREEMENT_WORDS_EN
    signing_words = vocabulary.SIGNING_WORDS_RU + tuple(stem + "*" for stem in vocabulary.SIGNING_WORDS_EN)
    proposals = []
    for sentence in range(len(analysis.sentences)):
        tokens = analysis.sentence_tokens(sentence)
        heads = [t for t in tokens if any(_lemma_matches(t.lemma, w) for w in agreement_words)]
        if not heads or not _sentence_has(analysis, sentence, signing_words):
            continue
        head = heads[0]
        # "…договоры о партнерском сотрудничестве между гимназией № 5 … и лицеем № 21, а также между …"
        clause_end = _clause_after(analysis, head.index, {"между", "с", "between", "with"})
        title_tokens = analysis.tokens[head.index : clause_end + 1]
        title = " ".join([analysis.nominative(head, "Sing")] + [t.text for t in title_tokens[1:]]).replace("\n", " ")
        title = title[:1].upper() + title[1:]
        kind_lemmas = " ".join(t.lemma for t in title_tokens)
        kind = next((str(k) for entry, k in vocabulary.AGREEMENT_KIND_WORDS if entry in kind_lemmas), None)
        dates = _dates_in(analysis, sentence)
        if kind is None and not dates and (proposals or len(title_tokens) == 1):
            continue  # "подписание Соглашения" again: a reference back, not another agreement
        between = [t.index for t in tokens if t.lemma in {"между", "between"} and t.index > head.index]
        groups = []
        for n, start in enumerate(between):
            stop = between[n + 1] - 1 if n + 1 < len(between) else tokens[-1].index
            orgs = []
            for index in range(start, stop + 1):
                key = analysis.org_at.get(index)
                if key and key not in orgs:
                    orgs.append(key)
            if len(orgs) >= 2:
                groups.append(orgs)
        cities = [key for key in _cities_in(analysis, tokens[0].index, tokens[-1].index) if not analysis.cities[key].via_adjective]
        party_cities = cities if len(cities) >= 2 else (pair or [])
        signatories = []
        for t in tokens:
            key = analysis.person_at.get(t.index)
            if key and key not in signatories:
                signatories.append(key)
        common = {
            "signed_on": dates[0].value.isoformat() if dates else None,
            "spheres": _spheres(analysis, [sentence] + _follow_up_sentences(analysis, sentence)),
            "signed_at_event": (events_by_sentence.get(sentence) or [None])[0],
            "during_delegation": bool(delegations) and _sentence_has(analysis, sentence, ("делегация", "визит", "delegation", "visit")),
            "sentence": sentence,
        }
        if groups:
            for orgs in groups:
                proposals.append(
                    AgreementProposal(f"agreement:{len(proposals)}", title, str(AgreementKind.INSTITUTIONAL), party_organisations=orgs, **common)
                )
        elif party_cities:
            proposals.append(
                AgreementProposal(
                    f"agreement:{len(proposals)}", title, kind or str(AgreementKind.COOPERATION), party_cities=list(party_cities), signatories=signatories, **common
                )
            )
    return proposals


def _follow_up_sentences(analysis, sentence):
    """The next sentence when it goes on about the same document ("Договор предусматривает…", "Это событие…")."""
    following = sentence + 1
    if following >= len(analysis.sentences):
        return []
    lemmas = analysis.sentence_lemmas(following)
    refers_back = lemmas[:1] and lemmas[0] in {"это", "этот", "данный", "оно", "it", "this"}
    mentions_document = any(lemma in vocabulary.AGREEMENT_WORDS_RU + ("предусматривать",) for lemma in lemmas)
    return [following] if refers_back or mentions_document else []


def _city_after_preposition(analysis, tokens, prepositions, skip_cue=True):
    """The first city named right after one of `prepositions` ("из города Барановичи", "в Кузнецк")."""
    for t in tokens:
        if t.lemma not in prepositions:
            continue
        k = t.index + 1
        # Skip "города", "г.", "город-побратим", "французского" before the name.
        while k < len(analysis.tokens) and k - t.index <= 3 and k not in analysis.city_at and analysis.tokens[k].sentence == t.sentence:
            following = analysis.tokens[k]
            if not (following.lemma.startswith("город") or following.lemma in vocabulary.CITY_CUES_RU + vocabulary.CITY_CUES_EN or following.text in {".", "-"} or following.pos == "ADJ" or following.lemma in {"the", "of", "twin", "sister", "partner"}):
                break
            k += 1
        if k in analysis.city_at:
            return analysis.city_at[k]
        if k in analysis.org_at:
            organisation = next(org for org in analysis.organisations if org.key == analysis.org_at[k])
            if organisation.city:
                return organisation.city
        if _our_city_in(analysis, t.index + 1, t.index + 2):
            return _home_city(analysis)
    return None


def _delegations(analysis, pair):
    proposals = []
    delegation_words = vocabulary.DELEGATION_WORDS_RU + vocabulary.DELEGATION_WORDS_EN
    visit_verbs = vocabulary.VISIT_VERBS_RU + tuple(verb for verb in vocabulary.VISIT_VERBS_EN)
    for sentence in range(len(analysis.sentences)):
        tokens = analysis.sentence_tokens(sentence)
        if not any(_lemma_matches(t.lemma, w) for t in tokens for w in delegation_words):
            continue
        if not any(t.lemma in visit_verbs for t in tokens):
            continue
        from_city = _city_after_preposition(analysis, tokens, {"из", "от", "from"})
        if from_city is None:
            # "Делегации Курбевуа", "делегация Азова"
            for t in tokens:
                if _lemma_matches(t.lemma, "делегация") or t.lemma == "delegation":
                    following = _cities_in(analysis, t.index + 1, t.index + 3)
                    if following:
                        from_city = following[0]
                        break
        to_city = _city_after_preposition(analysis, tokens, {"в", "во", "to"})
        if to_city is None:
            for t in tokens:
                if t.lemma in visit_verbs:
                    following = _cities_in(analysis, t.index + 1, t.index + 3)
                    if following:
                        to_city = following[0]
                    elif _our_city_in(analysis, t.index + 1, t.index + 2):
                        to_city = _home_city(analysis)
                    break
        if pair and from_city and not to_city and from_city in pair:
            to_city = pair[1] if pair[0] == from_city else pair[0]
        if pair and to_city and not from_city and to_city in pair:
            from_city = pair[1] if pair[0] == to_city else pair[0]
        if not from_city or not to_city or from_city == to_city:
            continue
        dates = _dates_in(analysis, sentence)
        head, head_position = _delegation_head(analysis, tokens)
        existing = next((p for p in proposals if p.from_city == from_city and p.to_city == to_city), None)
        if existing:
            existing.start_on = existing.start_on or (dates[0].value.isoformat() if dates else None)
            existing.head = existing.head or head
            existing.head_position = existing.head_position or head_position
            continue
        proposals.append(
            DelegationProposal(
                f"delegation:{len(proposals)}",
                from_city,
                to_city,
                start_on=dates[0].value.isoformat() if dates else None,
                end_on=dates[0].end.isoformat() if dates and dates[0].end else None,
                head=head,
                head_position=head_position,
                sentence=sentence,
            )
        )
    return proposals


def _delegation_head(analysis, tokens):
    cues = vocabulary.DELEGATION_HEAD_CUES_RU + vocabulary.DELEGATION_HEAD_CUES_EN
    lemmas = [t.lemma for t in tokens]
    for i, t in enumerate(tokens):
        for cue in cues:
            parts = cue.split()
            if [lemma for lemma in lemmas[i : i + len(parts)]] == parts or (len(parts) == 1 and t.lemma == cue):
                for later in tokens[i + len(parts) :]:
                    key = analysis.person_at.get(later.index)
                    if key:
                        person = next(p for p in analysis.persons if p.key == key)
                        return key, person.position
    return None, ""


def _events(analysis, pair, delegations):
    proposals = []
    for sentence in range(len(analysis.sentences)):
        tokens = analysis.sentence_tokens(sentence)
        kinds_here = set()
        happened = _sentence_has(analysis, sentence, vocabulary.EVENT_CUES_RU + vocabulary.EVENT_CUES_EN)
        for t in tokens:
            if not happened:
                break
            match = next(((entry, kind) for entry, kind in _EVENT_INDEX.candidates(t.lemma) if _phrase_at(analysis.tokens, t.index, entry)), None)
            if match is None or match[1] in kinds_here:
                continue
            entry, kind = match
            kinds_here.add(kind)
            online = kind == EventKind.VIDEO_CONFERENCE or any(
                _lemma_matches(other.lemma, word + "*") for other in tokens for word in vocabulary.ONLINE_WORDS
            )
            dates = _dates_in(analysis, sentence)
            during_visit = _sentence_has(analysis, sentence, ("визит", "делегация", "программа", "visit", "delegation", "programme"))
            start_on = dates[0].value.isoformat() if dates else None
            end_on = dates[0].end.isoformat() if dates and dates[0].end else None
            if not dates and during_visit and delegations:
                start_on, end_on = delegations[0].start_on, delegations[0].end_on
            host = None
            if kind == EventKind.CITY_DAY:
                after = _cities_in(analysis, t.index, tokens[-1].index)
                host = after[0] if after else None
            if host is None:
                host = _city_after_preposition(analysis, tokens, {"в", "во", "in"})
            if host is None and during_visit and delegations:
                host = delegations[0].to_city
            if host is None:
                # "Донецкого международного инвестиционного форума": the city adjective before the noun.
                adjective_city = _cities_in(analysis, t.index - 3, t.index - 1)
                host = adjective_city[0] if adjective_city else None
            participants = [key for key in _cities_in(analysis, tokens[0].index, tokens[-1].index) if not analysis.cities[key].via_adjective]
            for key in pair or []:
                if key not in participants:
                    participants.append(key)
            organisations = []
            for other in tokens:
                key = analysis.org_at.get(other.index)
                if key and key not in organisations:
                    organisations.append(key)
            if host is None and organisations:
                host = next(org.city for org in analysis.organisations if org.key == organisations[0])
            title = _event_title(analysis, t.index)
            proposal = EventProposal(
                f"event:{len(proposals)}",
                title,
                str(kind),
                format=str(EventFormat.ONLINE if online else EventFormat.IN_PERSON),
                start_on=start_on,
                end_on=end_on,
                host_city=host,
                participants=participants,
                organisations=organisations,
                sentence=sentence,
            )
            duplicate = next((p for p in proposals if p.kind == proposal.kind and _same_event(p, proposal)), None)
            if duplicate is None:
                proposals.append(proposal)
    return proposals


def _same_event(one, other):
    """"Донецкий форум" is the "Донецкий международный инвестиционный форум" named before."""
    words_one, words_other = set(one.title.lower().split()), set(other.title.lower().split())
    return words_one <= words_other or words_other <= words_one


def _event_title(analysis, index):
    """The event's words: adjectives before, the noun, and a quoted name or genitive tail after."""
    tokens = analysis.tokens
    if "-лети" in tokens[index].lemma:
        # "950-летия г. Азова" -> "950-летие г. Азова"
        cities = [k for k in range(index + 1, min(index + 4, len(tokens))) if k in analysis.city_at]
        tail = analysis.text[tokens[index + 1].start : tokens[cities[0]].stop] if cities else ""
        return (re.sub(r"-лети\w*", "-летие", tokens[index].text) + " " + tail).strip()
    sentence = tokens[index].sentence
    first = index
    while first > 0 and tokens[first - 1].sentence == sentence and tokens[first - 1].pos == "ADJ":
        first -= 1
    head = index
    # "концертное выступление": an adjective keyword, the noun follows.
    while tokens[head].pos == "ADJ" and head + 1 < len(tokens) and tokens[head + 1].sentence == sentence:
        head += 1
    last = head
    k = head + 1
    if k < len(tokens) and tokens[k].text == "«":
        while k < len(tokens) and tokens[k].sentence == sentence and tokens[k].text != "»":
            k += 1
        last = k
    else:
        while k < len(tokens) and tokens[k].sentence == sentence and k - head <= 2 and tokens[k].feats.get("Case") == "Gen" and tokens[k].pos in ("NOUN", "ADJ"):
            last = k
            k += 1
    number = tokens[head].feats.get("Number")
    words = []
    for position in range(first, last + 1):
        token = tokens[position]
        word = analysis.nominative(token, number) if position <= head else token.text
        if words and tokens[position - 1].stop == token.start:
            words[-1] += word
        else:
            words.append(word)
    title = " ".join(words).replace("\n", " ")
    return title[:1].upper() + title[1:]


def _twinning(analysis, pair, agreements):
    twinning_words = vocabulary.TWINNING_WORDS_RU if analysis.language == "ru" else ()
    mentions_twinning = _text_has(analysis, twinning_words) or (
        analysis.language == "en" and any(word in analysis.text.lower() for word in vocabulary.TWINNING_WORDS_EN)
    )
    if not pair or not mentions_twinning:
        return None
    kind = TwinningKind.UNKNOWN
    lowered = analysis.text.lower()
    for entry, value in vocabulary.TWINNING_KIND_WORDS:
        if _text_has(analysis, (entry,)) or (entry.isascii() and entry in lowered):
            kind = value
            break
    treaty = next((a for a in agreements if a.kind == AgreementKind.TWINNING_TREATY and set(a.party_cities) == set(pair)), None)
    sentence = treaty.sentence if treaty else min(analysis.cities[pair[1]].mentions[0].sentence, analysis.cities[pair[0]].mentions[0].sentence)
    proposal = TwinningProposal(pair[0], pair[1], str(kind), established_on=treaty.signed_on if treaty else None, sentence=sentence)
    city_ids = [analysis.cities[key].city_id for key in pair]
    if all(city_ids):
        existing = Twinning.objects.between(*city_ids).first()
        if existing:
            proposal.existing_id = existing.pk
    return proposal


def _link_persons_to_organisations(analysis):
    """"Глава Администрации города Алчевска": the organisation named in the position."""
    for person in analysis.persons:
        first, last = analysis.position_windows.get(person.key, (0, -1))
        person.organisation = next((analysis.org_at[i] for i in range(first, last + 1) if i in analysis.org_at), None)


def _match_existing(analysis):
    """Mark persons and organisations already in the registry (same name, same city)."""
    def city_id(key):
        return analysis.cities[key].city_id if key in analysis.cities else None

    persons = lookup.existing_persons([(p.full_name, city_id(p.city)) for p in analysis.persons if p.city])
    for person in analysis.persons:
        match = persons.get((normalise(person.full_name), city_id(person.city)))
        person.existing_id = match.pk if match else None
    organisations = lookup.existing_organisations([(o.name, city_id(o.city)) for o in analysis.organisations if o.city])
    for organisation in analysis.organisations:
        match = organisations.get((normalise(organisation.name), city_id(organisation.city)))
        organisation.existing_id = match.pk if match else None


# ------------------------------------------------------------------ entry point


def extract(text, *, published_on=None, home_city=None):
    """Read a press release and propose what to record.

    `published_on` (a date) resolves "вчера" and dates without a year; `home_city` (a City or its
    pk), usually the officer's own city, is what "наш город" means. Returns Proposals; candidate
    records are proposed only when the release is about a twinning, an agreement or a visit
    between two cities.
    """
    text = (text or "")[:MAX_TEXT_LENGTH]
    if isinstance(published_on, datetime.datetime):
        published_on = published_on.date()
    home_city_id = getattr(home_city, "pk", home_city)
    analysis = _Analysis(text, published_on, home_city_id)
    _find_cities(analysis)
    date_mentions = find_dates(text, published_on=published_on)
    for date in date_mentions:
        sentence = next((n for n, (start, stop) in enumerate(analysis.sentences) if start <= date.start < stop), 0)
        date.sentence = sentence
    analysis.dates = date_mentions
    _find_persons(analysis)
    _find_organisations(analysis)
    _link_persons_to_organisations(analysis)
    _match_existing(analysis)

    pair = _main_pair(analysis)
    delegations = _delegations(analysis, pair) if pair else []
    events = []
    agreements = []
    twinning = None
    if pair:
        # Events are proposed only inside a twinning story, and only with an agreement, a visit or
        # twinning wording around them: a concert in a release about road repairs is not one.
        events_by_sentence = {}
        provisional = _events(analysis, pair, delegations)
        for event in provisional:
            if event.kind in vocabulary.SIGNING_EVENT_KINDS and event.format == EventFormat.IN_PERSON:
                events_by_sentence.setdefault(event.sentence, []).append(event.key)
        agreements = _agreements(analysis, pair, events_by_sentence, delegations)
        twinning = _twinning(analysis, pair, agreements)
        if twinning or agreements or delegations:
            events = provisional
        else:
            for agreement in agreements:
                agreement.signed_at_event = None
    sentences_dates = [
        DateProposal(d.value.isoformat(), d.end.isoformat() if d.end else None, Mention(d.start, d.stop, d.text, d.sentence))
        for d in date_mentions
    ]
    return Proposals(
        text=text,
        published_on=published_on.isoformat() if published_on else None,
        language=analysis.language,
        sentences=analysis.sentences,
        cities=sorted(analysis.cities.values(), key=lambda city: city.mentions[0].start),
        persons=analysis.persons,
        organisations=analysis.organisations,
        dates=sentences_dates,
        twinning=twinning,
        agreements=agreements,
        delegations=delegations,
        events=events,
    )
