"""Writes of the press-office workflow: versioned saves, publishing, partner confirmations.

The admin and the API both call these; nothing else bumps a record's version.
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from twinning.permissions import (
    PRESS_OFFICERS_GROUP,
    REGISTRY_EDITORS_GROUP,
    check_can_edit,
    city_ids_of,
    involved_city_ids,
)
from twinning.records import Publication


class StaleVersion(ValidationError):
    """Someone saved the record after the editor loaded it (the API answers 409)."""

    def __init__(self, obj, *, expected_version, current_version):
        self.record = obj
        self.expected_version = expected_version
        self.current_version = current_version
        super().__init__(
            _(
                "Someone else saved this record while you were editing it (you started from version "
                "%(expected)s, it is now version %(current)s). Your changes were not saved: reload the "
                "record, check what changed, and make your changes again."
            ),
            code="stale_version",
            params={"expected": expected_version, "current": current_version},
        )


def _stamp_user(obj, user):
    # simple-history takes the acting user from the request; outside a request (commands,
    # services called from scripts) it reads this attribute instead.
    if user is not None and user.is_authenticated:
        obj._history_user = user


def save_record(obj, *, expected_version, user=None):
    """Save `obj` if the stored row is still at `expected_version`, moving it to the next version.

    The version is claimed with one conditional UPDATE, so of two concurrent saves from the same
    version exactly one wins (the other waits for the row lock, then finds the version moved)
    and the loser gets StaleVersion. A new record is saved at version 1.
    """
    _stamp_user(obj, user)
    with transaction.atomic():
        if obj._state.adding:
            obj.version = 1
            obj.save()
            return obj
        model = type(obj)
        claimed = model._base_manager.filter(pk=obj.pk, version=expected_version).update(version=F("version") + 1)
        if not claimed:
            current = model._base_manager.filter(pk=obj.pk).values_list("version", flat=True).first()
            raise StaleVersion(obj, expected_version=expected_version, current_version=current)
        obj.version = expected_version + 1
        obj.save()
    return obj


def set_publication(obj, publication, *, user):
    """Publish or unpublish `obj` on behalf of `user` (checks the press-office rule)."""
    check_can_edit(user, obj)
    if obj.publication == publication:
        return obj
    obj.publication = publication
    if publication == Publication.DRAFT:
        obj.published_at = None
    return save_record(obj, expected_version=obj.version, user=user)


def publish(obj, *, user):
    return set_publication(obj, Publication.PUBLISHED, user=user)


def unpublish(obj, *, user):
    return set_publication(obj, Publication.DRAFT, user=user)


def confirm(record, *, city, user, state, comment=""):
    """Record that `city`'s press office confirms `record` as it stands now, or asks for a correction."""
    from twinning.models import Confirmation, ConfirmationState

    if city.pk not in involved_city_ids(record):
        raise ValidationError(_("%(city)s does not take part in this record."), code="not_involved", params={"city": city})
    if state == ConfirmationState.CORRECTION_REQUESTED and not comment.strip():
        raise ValidationError(_("Say what should be corrected."), code="comment_required")
    content_type = ContentType.objects.get_for_model(record)
    confirmation = (
        Confirmation.objects.filter(content_type=content_type, object_id=record.pk, city=city).first()
        or Confirmation(content_type=content_type, object_id=record.pk, city=city)
    )
    check_can_edit(user, confirmation)
    confirmation.state = state
    confirmation.comment = comment.strip()
    confirmation.record_version = record.version
    confirmation.by = user
    _stamp_user(confirmation, user)
    confirmation.save()
    return confirmation


def confirm_own_side(record, *, user):
    """A save by a press office stands for that office's confirmation of what it saved.

    Reads the record's cities (parties and participants from the database), so call it after
    the inline rows are saved."""
    from cities.models import City
    from twinning.models import ConfirmationState

    involved = involved_city_ids(record)
    if len(involved) < 2:
        return  # a city's own organisation or person: there is no partner to confirm
    own = city_ids_of(user) & involved

    for city in City.objects.filter(pk__in=own):
        confirm(record, city=city, user=user, state=ConfirmationState.CONFIRMED)


# Django model permissions each group needs to reach the admin pages; which rows a member may
# change is decided by twinning.permissions, not by these.
_RECORD_MODELS = [
    "cities.city", "cities.cityname", "cities.organisation", "cities.person", "cities.position",
    "twinning.twinning", "twinning.statuschange", "twinning.agreement", "twinning.agreementparty",
    "twinning.agreementsignatory", "twinning.source",
    "events.delegation", "events.programmeitem", "events.jointevent",
]
GROUP_PERMISSIONS = {
    PRESS_OFFICERS_GROUP: {
        **{label: ("view", "add", "change", "delete") for label in _RECORD_MODELS},
        "twinning.confirmation": ("view", "add", "change"),
        "twinning.claim": ("view", "add", "change"),
        "cities.gazetteercity": ("view",),
    },
    REGISTRY_EDITORS_GROUP: {
        **{label: ("view", "add", "change", "delete") for label in _RECORD_MODELS},
        "twinning.confirmation": ("view", "add", "change", "delete"),
        "twinning.claim": ("view", "add", "change", "delete"),
        "cities.gazetteercity": ("view",),
    },
}


def sync_groups(**kwargs):
    """Create the "press officers" and "registry editors" groups with their model permissions
    (idempotent; runs after every migrate)."""
    from django.contrib.auth.models import Group, Permission

    for group_name, grants in GROUP_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name)
        wanted = []
        for label, actions in grants.items():
            app_label, model_name = label.split(".")
            wanted += Permission.objects.filter(
                content_type__app_label=app_label,
                codename__in=[f"{action}_{model_name}" for action in actions],
            )
        group.permissions.add(*wanted)
