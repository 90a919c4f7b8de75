"""The registry's validation rules, in one place.

Model ``clean()`` methods call these, so admin forms get them through ``full_clean()``; API
serializers call the same functions (or ``instance.full_clean()``). Errors name the field a
reader should fix, which also keeps Django from repeating the database constraint behind the
same rule as a second, vaguer message.

Rules that span a record and its inline rows (agreement parties) cannot run in ``clean()``:
the admin's parties formset and the API serializer call ``validate_agreement_parties``.
"""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from twinning.partial_dates import PartialDate


class DuplicateTwinning(ValidationError):
    """The pair is already twinned; `existing` is that twinning (the API can link to it)."""

    def __init__(self, existing):
        self.existing = existing
        message = format_html(
            _('These two cities are already twinned (in either order): <a href="{url}">{twinning}</a>.'),
            url=reverse("admin:twinning_twinning_change", args=[existing.pk]),
            twinning=str(existing),
        )
        super().__init__({"city_b": ValidationError(message, code="duplicate_twinning")})


def validate_twinning(twinning):
    """A city cannot twin itself; a pair is twinned once, whichever city comes first."""
    from twinning.models import Twinning

    if not (twinning.city_a_id and twinning.city_b_id):
        return
    if twinning.city_a_id == twinning.city_b_id:
        raise ValidationError({"city_b": ValidationError(_("A city cannot be twinned with itself."), code="same_city")})
    existing = (
        Twinning.objects.between(twinning.city_a_id, twinning.city_b_id)
        .exclude(pk=twinning.pk)
        .select_related("city_a", "city_b")
        .first()
    )
    if existing:
        raise DuplicateTwinning(existing)
    validate_not_in_future(twinning.established_on, "established_on")


def validate_period(start, end, *, end_field):
    """No end before its start, compared at the coarser precision ("2015" may end "2015-09-18")."""
    if start is None or end is None:
        return
    start_text, end_text = PartialDate.parse(start).isoformat(), PartialDate.parse(end).isoformat()
    if end_text < start_text[: len(end_text)]:
        raise ValidationError(
            {
                end_field: ValidationError(
                    _("The end (%(end)s) cannot be before the start (%(start)s)."),
                    code="end_before_start",
                    params={"end": end_text, "start": start_text},
                )
            }
        )


def validate_not_in_future(value, field):
    """A date that records something done (a signature, an establishment) cannot lie ahead."""
    if value is None:
        return
    if PartialDate.parse(value).first_day > timezone.localdate():
        raise ValidationError(
            {field: ValidationError(_("This date (%(date)s) is in the future."), code="future_date", params={"date": value})}
        )


def validate_delegation(delegation):
    if delegation.from_city_id and delegation.from_city_id == delegation.to_city_id:
        raise ValidationError(
            {"to_city": ValidationError(_("A delegation cannot travel from a city to the same city."), code="same_city")}
        )
    validate_period(delegation.start_on, delegation.end_on, end_field="end_on")


def validate_agreement(agreement):
    if agreement.signed_on is not None and PartialDate.parse(agreement.signed_on).first_day > timezone.localdate():
        raise ValidationError(
            {"signed_on": ValidationError(_("The signing date cannot be in the future."), code="future_signing")}
        )


def party_city_ids(parties):
    """The cities of agreement parties: each party is an AgreementParty or a mapping with
    "city" and "organisation" (a formset's or serializer's cleaned data). Reads organisation.city."""
    ids = set()
    for party in parties:
        city = party.get("city") if isinstance(party, dict) else party.city
        organisation = party.get("organisation") if isinstance(party, dict) else party.organisation
        if city is not None:
            ids.add(city.pk)
        elif organisation is not None:
            ids.add(organisation.city_id)
    return ids


def validate_agreement_parties(twinning, city_ids):
    """An agreement attached to `twinning` must have both of its cities (or their organisations)
    among its parties; `city_ids` are the parties' cities (see party_city_ids)."""
    if twinning is None:
        return
    missing = [city for city in twinning.cities if city.pk not in set(city_ids)]
    if missing:
        raise ValidationError(
            _(
                "An agreement attached to the twinning %(twinning)s must include both of its cities "
                "(or their organisations) among its parties. Missing: %(missing)s."
            ),
            code="twinning_city_not_a_party",
            params={"twinning": twinning, "missing": ", ".join(str(city) for city in missing)},
        )
