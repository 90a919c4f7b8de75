"""Database look-ups for the assistant: a fixed handful of queries per release, whatever its length."""

import re
from functools import reduce
from operator import or_

from django.db.models import Q, Value
from django.db.models.functions import Lower, Replace

from cities.models import City, CityName, GazetteerCity, Organisation, Person


def normalise(text):
    """Lower case with "ё" as "е", the form every name comparison uses."""
    return text.strip().lower().replace("ё", "е")


def _normalised(field):
    return Replace(Lower(field), Value("ё"), Value("е"))


def registry_cities_by_form(forms):
    """{form: {city id, ...}} for every form that is a city's name or one of its aliases."""
    forms = sorted({form for form in forms if form})
    if not forms:
        return {}
    found = {}
    # Two indexed queries rather than a JOIN with OR, which PostgreSQL cannot answer from indexes.
    by_alias = CityName.objects.annotate(norm=_normalised("name")).filter(norm__in=forms).values_list("norm", "city_id")
    by_name = City.objects.annotate(norm=_normalised("name")).filter(norm__in=forms).values_list("norm", "id")
    for form, city_id in [*by_alias, *by_name]:
        found.setdefault(form, set()).add(city_id)
    return found


def cities_by_id(ids):
    return {city.pk: city for city in City.objects.filter(pk__in=ids).with_names()}


def registry_cities_by_geonames_id(geonames_ids):
    if not geonames_ids:
        return {}
    return {city.geonames_id: city for city in City.objects.filter(geonames_id__in=geonames_ids).with_names()}


def gazetteer_by_form(forms):
    """{form: GazetteerCity} for forms naming a gazetteer city; the most populous one wins.

    Alternate names are one comma-separated text per city. A case-insensitive regular
    expression over them is answered from the trigram indexes (an ILIKE through Django's
    icontains, which wraps the column in UPPER(), scanned all 235,000 rows: 2.8 s against 25 ms);
    the exact comparison happens here.
    """
    forms = sorted({form for form in forms if len(form) >= 3})
    if not forms:
        return {}
    # "ё" is written as "е" in much Russian text, and the other way round in some names.
    alternatives = "|".join(re.escape(form).replace("е", "[её]") for form in forms)
    rows = GazetteerCity.objects.filter(
        Q(alternate_names__iregex=rf"(^|,)\s*({alternatives})\s*(,|$)") | Q(name__iregex=rf"^({alternatives})$")
    ).order_by("-population")[:200]
    found = {}
    for row in rows:
        names = {normalise(row.name), normalise(row.ascii_name)}
        names.update(normalise(name) for name in row.alternate_names.split(",") if name.strip())
        for form in forms:
            if form in names and form not in found:
                found[form] = row
    return found


def existing_persons(keys):
    """{(normalised full name, city id): Person} for the (full name, city id) pairs given."""
    keys = [(name, city_id) for name, city_id in keys if city_id]
    if not keys:
        return {}
    condition = reduce(or_, [Q(full_name__iexact=name, city_id=city_id) for name, city_id in keys])
    return {(normalise(person.full_name), person.city_id): person for person in Person.objects.filter(condition)}


def existing_organisations(keys):
    """{(normalised name, city id): Organisation} for the (name, city id) pairs given."""
    keys = [(name, city_id) for name, city_id in keys if city_id]
    if not keys:
        return {}
    condition = reduce(or_, [Q(name__iexact=name, city_id=city_id) for name, city_id in keys])
    return {(normalise(org.name), org.city_id): org for org in Organisation.objects.filter(condition)}
