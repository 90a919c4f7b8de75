"""Saving what an officer confirmed from a press release: drafts, linked, sourced, in one transaction.

The admin page and the API both call confirm_proposals(). Everything it creates starts as a
draft; records that already exist (the twinning of the pair, a person or organisation of the
same name in the same city, a city with the same GeoNames id) are reused, not duplicated. Each
record passes the one permission rule (twinning.permissions.check_can_edit) and the model's
validation before it is saved; any refusal rolls the whole confirmation back.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cities.gazetteer_table import pick_city
from cities.models import City, GazetteerCity, Organisation, Person, Position
from events.models import Delegation, JointEvent
from twinning import validators
from twinning.models import Agreement, AgreementParty, AgreementSignatory, Source, Twinning
from twinning.permissions import can_edit, check_can_edit, is_press_officer, is_registry_editor
from twinning.services import save_record

SOURCE_TITLE_LENGTH = 200


def may_use_assistant(user):
    """Press officers and registry editors, who create records, may extract and confirm."""
    return is_registry_editor(user) or is_press_officer(user)


@dataclass
class ConfirmResult:
    source: Source
    created: list = field(default_factory=list)
    reused: list = field(default_factory=list)


class _Confirmation:
    def __init__(self, user, result):
        self.user = user
        self.result = result
        self.cities = {}  # id(GazetteerCity) or City pk -> City
        self.organisations = {}  # proposal key -> Organisation
        self.persons = {}  # proposal key -> Person
        self.positions = {}  # proposal key -> position title as the release words it
        self.person_organisations = {}  # proposal key -> Organisation of that position
        self.events = {}
        self.delegations = {}

    # ------------------------------------------------------------ helpers
    def save_new(self, obj, *, involving=None, exclude=()):
        """Validate, check permission, save as a draft at version 1 and cite the source."""
        if not can_edit(self.user, obj, involving=involving):
            raise PermissionDenied(
                _("You may not add %(model)s \"%(record)s\": only the press office of a city taking part in it may. Untick it.")
                % {"model": obj._meta.verbose_name, "record": obj}
            )
        obj.full_clean(exclude=list(exclude), validate_unique=False)
        save_record(obj, expected_version=None, user=self.user)
        obj.sources.add(self.result.source)
        self.result.created.append(obj)
        return obj

    def reuse(self, obj, *, cite=False):
        if cite:
            check_can_edit(self.user, obj)
            obj.sources.add(self.result.source)
        if obj not in self.result.reused:
            self.result.reused.append(obj)
        return obj

    def city(self, value):
        """A City as is; a GazetteerCity becomes the registry city with its GeoNames id (a new draft if none)."""
        if value is None or isinstance(value, City):
            return value
        if not isinstance(value, GazetteerCity):
            raise TypeError(value)
        if value.geonames_id not in self.cities:
            city, created = pick_city(value.geonames_id, user=self.user)
            if created:
                city.sources.add(self.result.source)
                self.result.created.append(city)
            else:
                self.reuse(city)
            self.cities[value.geonames_id] = city
        return self.cities[value.geonames_id]


def _title_from(text):
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first_line[:SOURCE_TITLE_LENGTH] or str(_("Press release"))


@transaction.atomic
def confirm_proposals(
    user,
    *,
    source,
    organisations=(),
    persons=(),
    twinning=None,
    delegations=(),
    events=(),
    agreements=(),
):
    """Create the confirmed records as drafts citing a new Source for the release.

    `source` is a mapping with url, title, publisher, published_on and text. Cities are City or
    GazetteerCity instances; records refer to organisations, persons, delegations and events by
    their proposal key ("org:0", "person:1", ...), and a key that was not confirmed is ignored.
    The other arguments are lists of mappings:

    - organisations: key, name, kind, city
    - persons: key, full_name, position, city, organisation (key or None)
    - twinning: city_a, city_b, kind, established_on (the pair's existing twinning is reused)
    - delegations: key, from_city, to_city, start_on, end_on, head (key), head_position
    - events: key, title, kind, format, start_on, end_on, host_city, participants, organisations (keys)
    - agreements: title, kind, signed_on, party_cities, party_organisations (keys), spheres,
      signatories (keys), signed_at_event (key), delegation (key), attach_to_twinning

    Raises PermissionDenied or ValidationError (nothing is saved then). Returns ConfirmResult.
    """
    text = source.get("text", "")
    source_row = Source(
        url=source.get("url", ""),
        title=source.get("title") or _title_from(text),
        publisher=source.get("publisher", ""),
        published_on=source.get("published_on"),
        text=text,
    )
    check_can_edit(user, source_row)
    source_row.full_clean()
    source_row.save()
    work = _Confirmation(user, ConfirmResult(source_row))

    for item in organisations:
        city = work.city(item["city"])
        existing = Organisation.objects.filter(city=city, name__iexact=item["name"].strip()).first()
        work.organisations[item["key"]] = work.reuse(existing) if existing else work.save_new(
            Organisation(city=city, name=item["name"].strip(), kind=item["kind"]), exclude=["slug"]
        )

    for item in persons:
        city = work.city(item["city"])
        work.positions[item["key"]] = item.get("position", "")
        work.person_organisations[item["key"]] = work.organisations.get(item.get("organisation"))
        existing = Person.objects.filter(city=city, full_name__iexact=item["full_name"].strip()).first()
        if existing:
            work.persons[item["key"]] = work.reuse(existing)
            continue
        person = work.save_new(Person(city=city, full_name=item["full_name"].strip()), exclude=["slug"])
        organisation = work.organisations.get(item.get("organisation"))
        if organisation and item.get("position"):
            Position.objects.create(person=person, organisation=organisation, title=item["position"])
        work.persons[item["key"]] = person

    twinning_row = None
    if twinning:
        city_a, city_b = work.city(twinning["city_a"]), work.city(twinning["city_b"])
        existing = Twinning.objects.between(city_a, city_b).first()
        if existing:
            twinning_row = work.reuse(existing, cite=True)
        else:
            twinning_row = work.save_new(
                Twinning(city_a=city_a, city_b=city_b, kind=twinning["kind"], established_on=twinning.get("established_on"))
            )
    pair = {twinning_row.city_a_id, twinning_row.city_b_id} if twinning_row else set()

    for item in delegations:
        from_city, to_city = work.city(item["from_city"]), work.city(item["to_city"])
        delegation = Delegation(
            from_city=from_city,
            to_city=to_city,
            start_on=item.get("start_on"),
            end_on=item.get("end_on"),
            head=work.persons.get(item.get("head")),
            head_position=item.get("head_position", ""),
            twinning=twinning_row if {from_city.pk, to_city.pk} == pair else None,
        )
        work.delegations[item["key"]] = work.save_new(delegation)

    for item in events:
        participants = [work.city(city) for city in item.get("participants", [])]
        host = work.city(item.get("host_city"))
        involved = {city.pk for city in participants} | ({host.pk} if host else set())
        event = JointEvent(
            title=item["title"],
            kind=item["kind"],
            format=item["format"],
            start_on=item.get("start_on"),
            end_on=item.get("end_on"),
            host_city=host,
            twinning=twinning_row if pair and pair <= involved else None,
        )
        work.save_new(event, involving=involved)
        event.participants.set(participants)
        event.organisations.set([work.organisations[key] for key in item.get("organisations", []) if key in work.organisations])
        work.events[item["key"]] = event

    for item in agreements:
        _create_agreement(work, item, twinning_row)
    return work.result


def _create_agreement(work, item, twinning_row):
    party_cities = [work.city(city) for city in item.get("party_cities", [])]
    party_organisations = [work.organisations[key] for key in item.get("party_organisations", []) if key in work.organisations]
    city_ids = {city.pk for city in party_cities} | {organisation.city_id for organisation in party_organisations}
    delegation = work.delegations.get(item.get("delegation"))
    event = work.events.get(item.get("signed_at_event"))
    attach = twinning_row if item.get("attach_to_twinning") and twinning_row else None
    if attach is not None:
        validators.validate_agreement_parties(attach, city_ids)
    agreement = Agreement(
        title=item["title"],
        kind=item["kind"],
        signed_on=item.get("signed_on"),
        spheres=list(item.get("spheres", [])),
        twinning=attach,
        delegation=delegation,
        signed_at_event=event,
        signed_in=event.host_city if event else delegation.to_city if delegation else None,
    )
    work.save_new(agreement, involving=city_ids)
    # One create() per row rather than bulk_create, so the history records each party.
    for city in party_cities:
        AgreementParty.objects.create(agreement=agreement, city=city)
    for organisation in party_organisations:
        AgreementParty.objects.create(agreement=agreement, organisation=organisation)
    for key in dict.fromkeys(item.get("signatories", [])):
        person = work.persons.get(key)
        if person is not None:
            AgreementSignatory.objects.create(
                agreement=agreement,
                person=person,
                position_title=work.positions.get(key, ""),
                organisation=work.person_organisations.get(key),
            )
    return agreement
