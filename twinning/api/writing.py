"""Press officers' writes through the API, with the admin's rules and nothing of their own:

- who may write what: twinning.permissions (can_edit, editable, IsPressOfficerForRecord);
- what is valid: Model.clean() and twinning.validators (through full_clean), plus the agreement
  parties rule the admin's formset also calls;
- concurrent edits: twinning.services.save_record refuses a save based on an old `version`
  (answered 409 here); publishing: twinning.services.publish / unpublish;
- the saving press office's confirmation: twinning.services.confirm_own_side.

A write names related records by id (`city_a_id`, `organisation_ids`) and replaces child rows
(`parties`, `names`, `status_history`…) wholesale when it sends them.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from twinning import services
from twinning.api.errors import Conflict
from twinning.permissions import IsPressOfficerForRecord, check_can_edit, editable, is_press_officer, is_registry_editor


@dataclass(frozen=True)
class Children:
    """Child rows written as a list inside their parent (AgreementParty inside Agreement)."""

    related_name: str  # on the parent: agreement.parties
    parent_field: str  # on the child: party.agreement
    order_field: str = ""  # numbered from the list order, when the child has one


def writer_may_see_drafts(user):
    return is_registry_editor(user) or is_press_officer(user)


def visible_to(user, public, model):
    """`public`, plus the drafts `user` may edit (a press officer sees their own drafts)."""
    if not writer_may_see_drafts(user):
        return public
    everything = model._default_manager.all()
    return model._default_manager.filter(
        Q(pk__in=public.values("pk")) | Q(pk__in=editable(user, everything).values("pk"))
    )


class RecordWriteMixin(mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin):
    """Create, update, delete (and publish, for records) for a PublicRecordViewSet.

    Subclasses set `staff_serializer_class` (the public serializer plus writable fields),
    `children` ({field: Children}) and, when the model has many-to-many parts that decide who may
    edit it, `involving_field` (the field whose cities count, e.g. "participants").
    """

    permission_classes = [IsPressOfficerForRecord]
    staff_serializer_class = None
    children = {}
    involving_field = None

    def visible(self, public):
        return visible_to(self.request.user, public, self.queryset.model)

    def shows_only_public(self):
        return not writer_may_see_drafts(self.request.user)

    def get_serializer_class(self):
        if self.request is None or self.request.method not in ("GET", "HEAD", "OPTIONS"):
            return self.staff_serializer_class
        if writer_may_see_drafts(self.request.user):
            return self.staff_serializer_class
        return super().get_serializer_class()

    # ---- the one save path for create and update
    def perform_create(self, serializer):
        self._save(serializer, self.get_queryset().model())

    def perform_update(self, serializer):
        if hasattr(serializer.instance, "version") and "version" not in serializer.validated_data:
            raise ValidationError({"version": [_("Send the version you read, so a newer save is not overwritten.")]})
        self._save(serializer, serializer.instance)

    def _save(self, serializer, instance):
        user = self.request.user
        data = dict(serializer.validated_data)
        expected_version = data.pop("version", None)
        if expected_version is not None and expected_version != instance.version:
            raise services.StaleVersion(instance, expected_version=expected_version, current_version=instance.version)
        child_rows = {name: data.pop(name) for name in list(data) if name in self.children}
        many = {field.name for field in instance._meta.many_to_many}
        relations = {name: data.pop(name) for name in list(data) if name in many}
        for name, value in data.items():
            setattr(instance, name, value)

        check_can_edit(user, instance, involving=self.involving_city_ids(instance, relations, child_rows))
        self._full_clean(instance)
        self.validate_children(instance, child_rows)
        try:
            with transaction.atomic():
                if hasattr(instance, "version"):
                    services.save_record(
                        instance,
                        expected_version=instance.version if expected_version is None else expected_version,
                        user=user,
                    )
                else:
                    instance._history_user = user
                    instance.save()
                for name, values in relations.items():
                    getattr(instance, name).set(values)
                for name, rows in child_rows.items():
                    self._replace_children(instance, name, rows)
                # With the parties and participants saved, the record must still be one of the user's.
                check_can_edit(user, instance)
                if hasattr(instance, "version"):
                    services.confirm_own_side(instance, user=user)
        except IntegrityError as error:
            # A constraint full_clean() could not see (a concurrent save of the same pair).
            raise Conflict(_("The record conflicts with one saved meanwhile: %(error)s") % {"error": error}) from None
        serializer.instance = self.get_queryset().get(pk=instance.pk)

    def _full_clean(self, instance):
        exclude = [name for name in ("slug",) if hasattr(instance, name) and not getattr(instance, name)]
        instance.full_clean(exclude=exclude)  # slugs are made on save when not given

    def involving_city_ids(self, instance, relations, child_rows):
        """The cities of the record's many-valued parts as sent (None: read the saved ones)."""
        if self.involving_field and self.involving_field in relations:
            return {city.pk for city in relations[self.involving_field]}
        return None

    def validate_children(self, instance, child_rows):
        for name, rows in child_rows.items():
            spec = self.children[name]
            errors = {}  # by position, as DRF reports a nested list
            for position, row in enumerate(rows):
                try:
                    self._child(instance, spec, row).full_clean(exclude=[spec.parent_field])
                except DjangoValidationError as error:
                    errors[str(position)] = (
                        error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
                    )
            if errors:
                raise ValidationError({name: errors})

    def _child(self, instance, spec, row, position=0):
        model = getattr(type(instance), spec.related_name).rel.related_model
        child = model(**{key: value for key, value in row.items()})
        setattr(child, spec.parent_field, instance)
        if spec.order_field:
            setattr(child, spec.order_field, position)
        return child

    def _replace_children(self, instance, name, rows):
        spec = self.children[name]
        for old in getattr(instance, spec.related_name).all():
            old._history_user = self.request.user
            old.delete()
        for position, row in enumerate(rows, start=1):
            child = self._child(instance, spec, row, position)
            child._history_user = self.request.user
            child.save()

    # ---- responses
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        self.perform_create(serializer)
        return Response(self.get_serializer(serializer.instance).data, status=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        serializer = self.get_serializer(self.get_object(), data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        self.perform_update(serializer)
        return Response(self.get_serializer(serializer.instance).data)

    def perform_destroy(self, instance):
        check_can_edit(self.request.user, instance)
        instance._history_user = self.request.user
        try:
            with transaction.atomic():
                instance.delete()
        except (ProtectedError, RestrictedError) as error:
            names = ", ".join(sorted({str(obj._meta.verbose_name) for obj in error.protected_objects}))
            raise Conflict(
                _("Other records refer to this one (%(names)s); change or delete them first.") % {"names": names}
            ) from None


class PublishMixin:
    """POST …/publish/ and …/unpublish/ for records (twinning.services.publish / unpublish)."""

    @extend_schema(request=None, summary=_("Publish"), description=_("Make the record public. Press officers of its cities only."))
    @action(detail=True, methods=["post"])
    def publish(self, request, *args, **kwargs):
        return self._set_publication(services.publish)

    @extend_schema(request=None, summary=_("Unpublish"), description=_("Turn the record back into a draft."))
    @action(detail=True, methods=["post"])
    def unpublish(self, request, *args, **kwargs):
        return self._set_publication(services.unpublish)

    def _set_publication(self, change):
        record = self.get_object()
        change(record, user=self.request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data)
