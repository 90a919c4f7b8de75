"""Who may change which record: the one answer the admin and the API both use.

Interface (everything else here is private):

- ``is_registry_editor(user) -> bool``
  Active superusers and members of the "registry editors" group. They edit everything.
- ``cities_of(user) -> QuerySet[City]`` / ``city_ids_of(user) -> frozenset[int]``
  The cities of the press offices the user belongs to (ids cached on the user object).
- ``is_press_officer(user) -> bool``: the user belongs to at least one press office.
- ``involved_city_ids(obj, *, involving=None) -> set[int]``
  The cities a record takes part in, read from the instance as it is in memory (saved or not).
  Multi-valued parts (agreement parties, event participants) are read from the database for a
  saved record, or taken from ``involving`` when the caller knows them before they are saved
  (an admin inline or a serializer's nested data).
- ``can_edit(user, obj, *, involving=None) -> bool``
  May ``user`` create (unsaved ``obj``), change, publish or delete ``obj``? For a saved
  record both the stored state and the state in memory must involve one of the user's cities,
  so an officer can neither take over another city's record nor hand their own away.
  Works for every registry model, including inline children (judged by their parent).
- ``check_can_edit(user, obj, *, involving=None)``: the same, raising
  ``django.core.exceptions.PermissionDenied`` (DRF turns it into 403).
- ``involving_from_data(model, cleaned_data) -> set | None``: the ``involving`` argument for a
  form or serializer whose many-to-many city field (event participants) is in its data.
- ``involving(queryset, city_ids) -> QuerySet``: records of a city (twinnings, agreements,
  delegations, events, organisations, persons) that involve one of the cities.
- ``editable(user, queryset) -> QuerySet``: the rows of ``queryset`` the user may change;
  ``RecordQuerySet.editable_by(user)`` is the same as a QuerySet method.
- ``IsPressOfficerForRecord``: DRF permission class. Reads are left to the view's queryset
  (published rows for the public); writes need a registry editor or a press officer, and
  object writes need ``can_edit``. Creation is not an object permission in DRF: call
  ``check_can_edit(request.user, instance, involving=...)`` in ``perform_create``.

Who edits what (a press officer, for the cities of their offices):
- Twinning: city_a or city_b. Agreement: a party city, a party organisation's city, or a city of
  the twinning it is attached to. Delegation: from_city or to_city. JointEvent: host or a
  participant. Organisation and Person: their city.
- City: their own city; a city no press office has claimed yet (most partner cities) may be
  curated by any press officer, and any press officer may add a city.
- Source: the records citing it (any record the officer may edit), and sources they created.
- Children (CityName, Position, StatusChange, AgreementParty, AgreementSignatory, ProgrammeItem):
  their parent record. Confirmation: the confirming city. PressOffice: superusers only.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

REGISTRY_EDITORS_GROUP = "registry editors"
PRESS_OFFICERS_GROUP = "press officers"

# Paths from a record to the cities that take part in it.
_CITY_PATHS = {
    "cities.city": ("pk",),
    "cities.organisation": ("city",),
    "cities.person": ("city",),
    "twinning.twinning": ("city_a", "city_b"),
    "twinning.agreement": ("parties__city", "parties__organisation__city", "twinning__city_a", "twinning__city_b"),
    "events.delegation": ("from_city", "to_city"),
    "events.jointevent": ("host_city", "participants"),
    "twinning.confirmation": ("city",),
    "twinning.claim": ("city",),  # a claim belongs to the side that makes it (twinning/claims.py)
}
# Child rows are edited by whoever may edit their parent.
_PARENT_FIELD = {
    "cities.cityname": "city",
    "cities.position": "person",
    "twinning.statuschange": "twinning",
    "twinning.agreementparty": "agreement",
    "twinning.agreementsignatory": "agreement",
    "events.programmeitem": "delegation",
}
_SUPERUSER_ONLY = {"twinning.pressoffice"}


def _label(model):
    return model._meta.label_lower


def is_registry_editor(user):
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_registry_editor"):
        user._registry_editor = user.groups.filter(name=REGISTRY_EDITORS_GROUP).exists()
    return user._registry_editor


def cities_of(user):
    """The cities of the user's press offices."""
    from cities.models import City

    return City.objects.filter(pk__in=city_ids_of(user))


def city_ids_of(user):
    """Ids of the cities of the user's press offices; cached on the user object (one request)."""
    if not (user and user.is_authenticated and user.is_active):
        return frozenset()
    if not hasattr(user, "_press_city_ids"):
        from twinning.models import PressOffice

        user._press_city_ids = frozenset(PressOffice.objects.filter(members=user).values_list("city_id", flat=True))
    return user._press_city_ids


def is_press_officer(user):
    return bool(city_ids_of(user))


def _is_multi_valued(model, path):
    for part in path.split("__"):
        if part == "pk":
            return False
        field = model._meta.get_field(part)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


def _single_valued_city_id(obj, path):
    """Follow a chain of foreign keys in memory; the last step reads only the id."""
    if path == "pk":
        return obj.pk
    *steps, last = path.split("__")
    for step in steps:
        if getattr(obj, obj._meta.get_field(step).attname) is None:
            return None
        obj = getattr(obj, step)
    return getattr(obj, obj._meta.get_field(last).attname)


def involved_city_ids(obj, *, involving=None):
    """The ids of the cities `obj` takes part in (see the module docstring).

    Reads the database for multi-valued parts of a saved record unless `involving` is given.
    """
    label = _label(obj)
    if label in _PARENT_FIELD:
        parent_field = _PARENT_FIELD[label]
        if getattr(obj, obj._meta.get_field(parent_field).attname) is None:
            return set()
        return involved_city_ids(getattr(obj, parent_field), involving=involving)
    paths = _CITY_PATHS.get(label, ())
    ids = set()
    multi = [path for path in paths if _is_multi_valued(type(obj), path)]
    for path in paths:
        if path not in multi:
            ids.add(_single_valued_city_id(obj, path))
    if involving is not None:
        ids.update(involving)
    elif multi and obj.pk is not None:
        for path in multi:
            ids.update(type(obj)._base_manager.filter(pk=obj.pk).values_list(path, flat=True))
    ids.discard(None)
    return ids


def involving_from_data(model, data):
    """The cities submitted for `model`'s many-to-many city fields (JointEvent.participants), or
    None when its rule has no such field in `data` (then saved rows are read, or an inline decides)."""
    paths = [path for path in _CITY_PATHS.get(_label(model), ()) if _is_multi_valued(model, path)]
    if not paths or any("__" in path or path not in data for path in paths):
        return None
    return {city.pk for path in paths for city in data[path] or ()}


def _claimed_city_ids():
    from twinning.models import PressOffice

    return PressOffice.objects.values("city_id")


def _may_edit_in_memory(user, obj, involving, mine):
    label = _label(obj)
    if label == "cities.city":
        # A new city, or one nobody has claimed yet, is open to every press officer.
        from twinning.models import PressOffice

        return obj.pk is None or obj.pk in mine or not PressOffice.objects.filter(city_id=obj.pk).exists()
    if label == "twinning.source":
        return True  # ownership of a source follows the records citing it (checked in the database)
    return bool(involved_city_ids(obj, involving=involving) & mine)


def can_edit(user, obj, *, involving=None):
    """May `user` create, change, publish or delete `obj` (saved or not)? See the module docstring."""
    if _label(obj) in _SUPERUSER_ONLY:
        return bool(user and user.is_active and user.is_superuser)
    if is_registry_editor(user):
        return True
    mine = city_ids_of(user)
    if not mine:
        return False
    model = type(obj)
    if not obj._state.adding and not editable(user, model._base_manager.filter(pk=obj.pk)).exists():
        return False
    return _may_edit_in_memory(user, obj, involving, mine)


def check_can_edit(user, obj, *, involving=None):
    if not can_edit(user, obj, involving=involving):
        raise PermissionDenied(_("Only the press office of a city taking part in this record may change it."))


def _cities_q(model, paths, city_ids):
    q = Q()
    for path in paths:
        lookup = {f"{path}__in": city_ids}
        if _is_multi_valued(model, path):
            # A subquery rather than a join, so a record with two matching parties is not listed twice.
            q |= Q(pk__in=model._base_manager.filter(**lookup).values("pk"))
        else:
            q |= Q(**lookup)
    return q


def _editable_q(user, model, city_ids):
    label = _label(model)
    if label in _PARENT_FIELD:
        parent_field = _PARENT_FIELD[label]
        parent_model = model._meta.get_field(parent_field).related_model
        return Q(**{f"{parent_field}__in": _editable_q_queryset(user, parent_model, city_ids).values("pk")})
    if label == "cities.city":
        return Q(pk__in=city_ids) | ~Exists(_claimed_city_ids().filter(city_id=OuterRef("pk")))
    if label == "twinning.source":
        return _source_q(user, city_ids)
    if label in _CITY_PATHS:
        return _cities_q(model, _CITY_PATHS[label], city_ids)
    return Q(pk__in=[])


def _editable_q_queryset(user, model, city_ids):
    return model._base_manager.filter(_editable_q(user, model, city_ids))


def _source_q(user, city_ids):
    """Sources cited by a record the user may edit, or created by the user."""
    from django.apps import apps

    from twinning.models import Source, StatusChange

    q = Q(pk__in=Source.history.filter(history_type="+", history_user=user).values("id"))
    for label in _CITY_PATHS:
        model = apps.get_model(label)
        if any(field.name == "sources" for field in model._meta.many_to_many):
            cited = _editable_q_queryset(user, model, city_ids).filter(sources__isnull=False)
            q |= Q(pk__in=cited.values("sources"))
    q |= Q(pk__in=_editable_q_queryset(user, StatusChange, city_ids).filter(source__isnull=False).values("source"))
    return q


def involving(queryset, city_ids):
    """The rows of `queryset` (a record model with cities) that involve one of `city_ids`."""
    label = _label(queryset.model)
    return queryset.filter(_cities_q(queryset.model, _CITY_PATHS[label], city_ids))


def editable(user, queryset):
    """The rows of `queryset` that `user` may change, publish or delete."""
    label = _label(queryset.model)
    if label in _SUPERUSER_ONLY:
        return queryset if user and user.is_active and user.is_superuser else queryset.none()
    if is_registry_editor(user):
        return queryset
    city_ids = city_ids_of(user)
    if not city_ids:
        return queryset.none()
    return queryset.filter(_editable_q(user, queryset.model, city_ids))


class IsPressOfficerForRecord(BasePermission):
    """DRF: anyone reads what the view's queryset shows; only the record's press offices write."""

    message = _("Only the press office of a city taking part in this record may change it.")

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS:
            return True
        return is_registry_editor(request.user) or is_press_officer(request.user)

    def has_object_permission(self, request, view, obj):
        if request.method in SAFE_METHODS:
            return True
        return can_edit(request.user, obj)
