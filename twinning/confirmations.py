"""Reading partner confirmations: what the public pages and the "records mentioning your city"
list show. Writes are twinning.services.confirm / confirm_own_side."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from twinning.permissions import involved_city_ids, involving

# The records that can involve two or more cities, hence a partner to confirm them.
CONFIRMABLE_MODELS = ("twinning.twinning", "twinning.agreement", "events.delegation", "events.jointevent")

CONFIRMED, OUTDATED, CORRECTION_REQUESTED, PENDING = "confirmed", "outdated", "correction_requested", "pending"
STATE_LABELS = {
    CONFIRMED: _("confirmed"),
    OUTDATED: _("confirmed an earlier version"),
    CORRECTION_REQUESTED: _("correction requested"),
    PENDING: _("not confirmed yet"),
}


@dataclass
class PartnerConfirmation:
    city: object
    state: str
    date: object = None  # when the office last confirmed or asked for a correction
    comment: str = ""  # for press officers only; public templates do not show it

    @property
    def label(self):
        return STATE_LABELS[self.state]


def _state_of(confirmation, record):
    if confirmation is None:
        return PENDING
    if confirmation.state == CORRECTION_REQUESTED:
        return CORRECTION_REQUESTED
    return CONFIRMED if record.version <= confirmation.record_version else OUTDATED


def partner_confirmations(record):
    """For each city of `record` that has a press office: has that office confirmed it as it is now?

    Four queries (the record's multi-valued cities, offices, confirmations, cities with names)."""
    from cities.models import City
    from twinning.models import Confirmation, PressOffice

    city_ids = involved_city_ids(record)
    office_city_ids = set(PressOffice.objects.filter(city_id__in=city_ids).values_list("city_id", flat=True))
    if not office_city_ids:
        return []
    confirmations = {
        c.city_id: c
        for c in Confirmation.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk, city_id__in=office_city_ids
        )
    }
    result = []
    for city in City.objects.filter(pk__in=office_city_ids).with_names():
        confirmation = confirmations.get(city.pk)
        result.append(
            PartnerConfirmation(
                city=city,
                state=_state_of(confirmation, record),
                date=confirmation.updated_at if confirmation else None,
                comment=confirmation.comment if confirmation else "",
            )
        )
    return sorted(result, key=lambda item: str(item.city))


def records_mentioning(city_ids, *, awaiting_only=True, limit=200):
    """The confirmable records that involve one of `city_ids`, newest change first, each with
    `.my_confirmations` (a PartnerConfirmation per city of `city_ids` it involves).

    With `awaiting_only`, only records one of those cities has not confirmed as they stand now."""
    from django.apps import apps

    from cities.models import City
    from twinning.models import Confirmation

    cities = {city.pk: city for city in City.objects.filter(pk__in=city_ids).with_names()}
    rows = []
    for label in CONFIRMABLE_MODELS:
        model = apps.get_model(label)
        records = list(involving(model.objects.all(), city_ids).order_by("-updated_at")[:limit])
        content_type = ContentType.objects.get_for_model(model)
        confirmations = {
            (c.object_id, c.city_id): c
            for c in Confirmation.objects.filter(
                content_type=content_type, object_id__in=[r.pk for r in records], city_id__in=city_ids
            )
        }
        # One query per city rather than one per record for the cities each record involves.
        pks = [record.pk for record in records]
        involved_pks = {
            city_id: set(involving(model.objects.filter(pk__in=pks), [city_id]).values_list("pk", flat=True))
            for city_id in cities
        }
        for record in records:
            record.content_type_id_for_confirmation = content_type.pk
            record.record_type_label = model._meta.verbose_name
            record.admin_url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[record.pk])
            record.my_confirmations = []
            for city_id in sorted(city_id for city_id in cities if record.pk in involved_pks[city_id]):
                confirmation = confirmations.get((record.pk, city_id))
                record.my_confirmations.append(
                    PartnerConfirmation(
                        city=cities[city_id],
                        state=_state_of(confirmation, record),
                        date=confirmation.updated_at if confirmation else None,
                        comment=confirmation.comment if confirmation else "",
                    )
                )
            if not awaiting_only or any(c.state != CONFIRMED for c in record.my_confirmations):
                rows.append(record)
    return sorted(rows, key=lambda record: record.updated_at, reverse=True)
