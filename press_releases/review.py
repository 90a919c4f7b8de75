"""The confirm step's page model: proposals turned into forms, and confirmed forms into service arguments."""

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from press_releases import forms as review_forms
from press_releases.forms import resolve_city_refs
from cities.models import Organisation
from twinning.permissions import can_edit, cities_of, is_registry_editor

# Sections in the order the page shows them and the service saves them.
SECTIONS = (
    ("twinning", review_forms.TwinningProposalForm),
    ("agreements", review_forms.AgreementProposalForm),
    ("delegations", review_forms.DelegationProposalForm),
    ("events", review_forms.EventProposalForm),
    ("persons", review_forms.PersonProposalForm),
    ("organisations", review_forms.OrganisationProposalForm),
)


@dataclass
class ProposalRow:
    form: object
    sentence: int | None
    existing_id: int | None = None
    note: str = ""


class Review:
    """The proposals of one release as forms, bound to the officer's answers when there are some."""

    def __init__(self, payload, user, data=None):
        self.payload = payload
        self.proposals = payload["proposals"]
        self.user = user
        self.sections = {}
        choices = self._choices()
        self.refused = self._not_creatable()
        referenced = self._referenced_keys()
        for name, form_class in SECTIONS:
            items = self.proposals.get(name) or []
            if isinstance(items, dict):
                items = [items]
            rows = []
            for index, item in enumerate(items):
                initial = self._initial(name, item, referenced)
                form = form_class(data, prefix=f"{name}-{index}", initial=initial, **choices)
                note = _("Only the press office of its city may add it.") if item.get("key") in self.refused else ""
                rows.append(ProposalRow(form, item.get("sentence", _first_sentence(item)), item.get("existing_id"), note))
            self.sections[name] = rows

    # ------------------------------------------------------------ building
    def _choices(self):
        cities = [(city["key"], _city_label(city)) for city in self.proposals["cities"]]
        known = {key for key, _label in cities}
        # The officer's own cities, even when the release names them in a way not matched.
        for city in cities_of(self.user).with_names():
            if f"city:{city.pk}" not in known:
                cities.append((f"city:{city.pk}", str(city)))
        return {
            "city_choices": cities,
            "person_choices": [(person["key"], person["full_name"]) for person in self.proposals["persons"]],
            "organisation_choices": [(org["key"], org["name"]) for org in self.proposals["organisations"]],
            "event_choices": [(event["key"], event["title"]) for event in self.proposals["events"]],
            "delegation_choices": [(d["key"], _("Visit %(number)s") % {"number": n + 1}) for n, d in enumerate(self.proposals["delegations"])],
        }

    def _not_creatable(self):
        """Keys of proposed persons and organisations the officer may not add (another city's)."""
        if is_registry_editor(self.user):
            return set()
        refused = set()
        for item in self.proposals["persons"] + self.proposals["organisations"]:
            key = item["city"] or ""
            # The one rule decides, asked about an unsaved organisation of that city.
            if not (key.startswith("city:") and can_edit(self.user, Organisation(city_id=int(key[5:])))):
                refused.add(item["key"])
        return refused

    def _referenced_keys(self):
        """Persons and organisations a proposed record needs: ticked by default."""
        keys = set()
        for agreement in self.proposals["agreements"]:
            keys.update(agreement["party_organisations"], agreement["signatories"])
        for delegation in self.proposals["delegations"]:
            keys.add(delegation["head"])
        for person in self.proposals["persons"]:
            if person["position"]:
                keys.add(person["key"])
                keys.add(person["organisation"])
        return keys

    def _initial(self, name, item, referenced):
        initial = {key: value for key, value in item.items() if not isinstance(value, dict)}
        initial["keep"] = name not in ("persons", "organisations") or (item["key"] in referenced and item["key"] not in self.refused)
        # Another city's organisations and people stay out of the defaults: its city stands in as a party.
        org_city = {org["key"]: org["city"] for org in self.proposals["organisations"]}
        if name == "agreements":
            dropped = [key for key in item["party_organisations"] if key in self.refused]
            initial["party_organisations"] = [key for key in item["party_organisations"] if key not in self.refused]
            initial["party_cities"] = list(dict.fromkeys(item["party_cities"] + [org_city[key] for key in dropped if org_city[key]]))
            initial["signatories"] = [key for key in item["signatories"] if key not in self.refused]
            delegations = self.proposals["delegations"]
            initial["delegation"] = delegations[0]["key"] if item["during_delegation"] and delegations else None
        elif name == "events":
            initial["organisations"] = [key for key in item["organisations"] if key not in self.refused]
        elif name == "delegations" and item["head"] in self.refused:
            initial["head"] = None
        elif name == "persons" and item["organisation"] in self.refused:
            initial["organisation"] = None
        if name == "agreements":
            initial["attach_to_twinning"] = bool(self.proposals.get("twinning"))
        return initial

    # ------------------------------------------------------------ reading the answers
    def is_valid(self):
        return all(row.form.is_valid() for rows in self.sections.values() for row in rows)

    def kept(self, name):
        return [row.form.cleaned_data | {"key": _key(name, index, self.proposals)} for index, row in enumerate(self.sections[name]) if row.form.cleaned_data.get("keep")]

    def service_arguments(self):
        """Keyword arguments for services.confirm_proposals, cities resolved to rows."""
        sections = {name: self.kept(name) for name, _form in SECTIONS}
        # A kept record keeps the persons and organisations it refers to.
        needed = set()
        for agreement in sections["agreements"]:
            needed.update(agreement["party_organisations"], agreement["signatories"])
        for delegation in sections["delegations"]:
            needed.add(delegation["head"])
        for event in sections["events"]:
            needed.update(event["organisations"])
        kept_keys = {item["key"] for item in sections["persons"] + sections["organisations"]}
        for name in ("persons", "organisations"):
            if name == "organisations":
                needed.update(person.get("organisation") for person in sections["persons"])
            for index, row in enumerate(self.sections[name]):
                key = _key(name, index, self.proposals)
                if key in needed and key not in kept_keys and row.form.is_valid():
                    sections[name].append(row.form.cleaned_data | {"key": key})
        refs = set()
        for items in sections.values():
            for item in items:
                for field_name in ("city", "city_a", "city_b", "from_city", "to_city", "host_city"):
                    refs.add(item.get(field_name))
                refs.update(item.get("participants", []), item.get("party_cities", []))
        cities = resolve_city_refs(refs - {None})
        for items in sections.values():
            for item in items:
                for field_name in ("city", "city_a", "city_b", "from_city", "to_city", "host_city"):
                    if field_name in item:
                        item[field_name] = cities.get(item[field_name])
                for field_name in ("participants", "party_cities"):
                    if field_name in item:
                        item[field_name] = [cities[key] for key in item[field_name] if key in cities]
        twinning = sections["twinning"][0] if sections["twinning"] else None
        return {
            "source": self.payload["source"] | {"text": self.proposals["text"]},
            "organisations": sections["organisations"],
            "persons": sections["persons"],
            "twinning": twinning,
            "delegations": sections["delegations"],
            "events": sections["events"],
            "agreements": sections["agreements"],
        }

    # ------------------------------------------------------------ display
    def highlighted_text(self):
        """The release as HTML: source sentences marked (with an anchor), cities, persons and dates tagged."""
        text = self.proposals["text"]
        used = {row.sentence for rows in self.sections.values() for row in rows if row.sentence is not None}
        marks = []
        for city in self.proposals["cities"]:
            marks += [(m["start"], m["stop"], "city") for m in city["mentions"]]
        for person in self.proposals["persons"]:
            marks += [(m["start"], m["stop"], "person") for m in person["mentions"]]
        marks += [(d["mention"]["start"], d["mention"]["stop"], "date") for d in self.proposals["dates"]]
        marks.sort()
        parts = []
        for number, (start, stop) in enumerate(self.proposals["sentences"]):
            inner = _tag_mentions(text, start, stop, marks)
            if number in used:
                parts.append(format_html('<mark class="pr-sentence" id="pr-sentence-{}">{}</mark>', number, inner))
            else:
                parts.append(inner)
            following = self.proposals["sentences"][number + 1][0] if number + 1 < len(self.proposals["sentences"]) else len(text)
            parts.append(text[stop:following])
        return format_html_join("", "{}", ((part,) for part in parts))


def _tag_mentions(text, start, stop, marks):
    pieces, position = [], start
    for mark_start, mark_stop, kind in marks:
        if mark_start < position or mark_stop > stop or mark_start >= stop:
            continue
        pieces.append(text[position:mark_start])
        pieces.append(format_html('<span class="pr-{}">{}</span>', kind, text[mark_start:mark_stop]))
        position = mark_stop
    pieces.append(text[position:stop])
    return format_html_join("", "{}", ((piece,) for piece in pieces))


def _key(name, index, proposals):
    items = proposals.get(name) or []
    if isinstance(items, dict):
        items = [items]
    return items[index].get("key", f"{name}:{index}")


def _first_sentence(item):
    mentions = item.get("mentions") or []
    return mentions[0]["sentence"] if mentions else None


def _city_label(city):
    if city["city_id"]:
        return f"{city['name']} ({city['country']})"
    return _("%(name)s (%(country)s) — new, from the gazetteer") % {"name": city["name"], "country": city["country"]}
