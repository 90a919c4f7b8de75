"""The press-office rule in the admin: every registry ModelAdmin and inline mixes these in.

Officers see every record (read-only where it is not theirs); change, delete, publish and
inline edits go through twinning.permissions.can_edit, the same function the API calls.
Saves of records go through twinning.services.save_record, so an edit based on an outdated
version is refused instead of overwriting someone else's work.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from twinning import services
from twinning.permissions import (
    can_edit,
    check_can_edit,
    editable,
    involved_city_ids,
    involving_from_data,
    is_press_officer,
    is_registry_editor,
)
from twinning.validators import party_city_ids, validate_agreement_parties

NOT_YOURS = _(
    "You can only save records in which a city of your press office takes part; "
    "this one would belong to other cities' press offices."
)


def _is_record(model):
    return hasattr(model, "version") and hasattr(model, "publication")


def _may_edit(request, obj):
    """can_edit for the permission hooks, remembered for the request: a change page with inlines
    asks about the same stored record dozens of times. Saves call can_edit afresh."""
    if obj._state.adding:
        return can_edit(request.user, obj)
    memo = request.__dict__.setdefault("_press_office_can_edit", {})
    key = (obj._meta.label_lower, obj.pk)
    if key not in memo:
        memo[key] = can_edit(request.user, obj)
    return memo[key]


class EditableByMeFilter(admin.SimpleListFilter):
    """Narrows a list to the rows the current user may change."""

    title = _("press office")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", _("Editable by me")), ("0", _("Other cities' records"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return editable(request.user, queryset)
        if self.value() == "0":
            return queryset.exclude(pk__in=editable(request.user, queryset.model._default_manager.all()).values("pk"))
        return queryset


class _PressOfficeFormMixin:
    """Carries the version the form was loaded with and asks can_edit about the edited instance."""

    request_user = None  # set by PressOfficeAdminMixin.get_form
    _involvement_is_inline = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "expected_version" in self.fields:
            if not self.is_bound and self.instance.pk is not None:
                # The stored version, not the instance's: a revert from the history starts from an old copy.
                stored = type(self.instance)._base_manager.filter(pk=self.instance.pk).values_list("version", flat=True)
                self.initial["expected_version"] = stored.first()

    def clean(self):
        cleaned_data = super().clean()
        expected = cleaned_data.get("expected_version")
        if _is_record(self._meta.model) and self.instance.pk is not None and expected is not None:
            current = type(self.instance)._base_manager.filter(pk=self.instance.pk).values_list("version", flat=True).first()
            if current is not None and current != expected:
                raise services.StaleVersion(self.instance, expected_version=expected, current_version=current)
        return cleaned_data

    def _post_clean(self):
        super()._post_clean()
        involving = involving_from_data(self._meta.model, self.cleaned_data)
        if involving is None and self.instance._state.adding and self._involvement_is_inline:
            return  # judged by the inline formset that holds the cities (agreement parties)
        if not can_edit(self.request_user, self.instance, involving=involving):
            self.add_error(None, ValidationError(NOT_YOURS, code="not_your_city"))


class PressOfficeAdminMixin:
    """Mix into every registry ModelAdmin, before SimpleHistoryAdmin/ModelAdmin."""

    actions = ["publish_selected", "unpublish_selected"]
    # True when the cities of the record are edited in an inline (agreement parties): the
    # inline formset makes the final check then, and save_related repeats it after saving.
    involvement_is_inline = False

    # ---- permissions: every answer comes from twinning.permissions
    def has_add_permission(self, request):
        user = request.user
        return super().has_add_permission(request) and (is_registry_editor(user) or is_press_officer(user))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or _may_edit(request, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or _may_edit(request, obj))

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), EditableByMeFilter]

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not _is_record(self.model) or not self.has_change_permission(request):
            actions.pop("publish_selected", None)
            actions.pop("unpublish_selected", None)
        return actions

    # ---- the form: version and permission checks
    def get_form(self, request, obj=None, change=False, **kwargs):
        declared = {}
        if _is_record(self.model):
            declared["expected_version"] = forms.IntegerField(required=False, widget=forms.HiddenInput)
        base = kwargs.get("form", self.form)
        kwargs["form"] = type(base.__name__, (_PressOfficeFormMixin, base), declared)
        form = super().get_form(request, obj, change=change, **kwargs)
        # A new class per call, so these per-request attributes are not shared between requests.
        form.request_user = request.user
        form._involvement_is_inline = self.involvement_is_inline
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not _is_record(self.model):
            return fieldsets
        if any("expected_version" in options.get("fields", ()) for _name, options in fieldsets):
            return fieldsets
        # A hidden field renders only when a fieldset names it, whatever layout the admin uses.
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options.get("fields", ()), "expected_version"]}), *rest]

    def save_model(self, request, obj, form, change):
        if not (self.involvement_is_inline and obj._state.adding):
            check_can_edit(request.user, obj, involving=involving_from_data(self.model, form.cleaned_data))
        if _is_record(self.model):
            expected = form.cleaned_data.get("expected_version")
            services.save_record(obj, expected_version=obj.version if expected is None else expected, user=request.user)
        else:
            obj._history_user = request.user
            obj.save()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if self.involvement_is_inline:
            # The parties are saved now: the record must still be one of the officer's.
            check_can_edit(request.user, form.instance)
        if _is_record(self.model):
            services.confirm_own_side(form.instance, user=request.user)

    def delete_model(self, request, obj):
        check_can_edit(request.user, obj)
        obj._history_user = request.user
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        # The changelist's bulk delete: only rows the user may change, one by one so history records each.
        for obj in queryset:
            self.delete_model(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except services.StaleVersion as error:
            # Lost the race between the form's check and the save: nothing was written.
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # simple-history lets anyone who may view a record POST a revert; only its editors may.
        if request.method == "POST" and not self.has_change_permission(request, self.get_object(request, object_id)):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    # ---- publishing
    def _set_publication(self, request, queryset, publication):
        done, refused = 0, 0
        with transaction.atomic(using=router.db_for_write(self.model)):
            for obj in queryset:
                if not can_edit(request.user, obj):
                    refused += 1
                    continue
                services.set_publication(obj, publication, user=request.user)
                done += 1
        return done, refused

    @admin.action(description=_("Publish the selected records"))
    def publish_selected(self, request, queryset):
        from twinning.records import Publication

        done, refused = self._set_publication(request, queryset, Publication.PUBLISHED)
        self._report(request, done, refused, ngettext("%d record published.", "%d records published.", done))

    @admin.action(description=_("Return the selected records to drafts"))
    def unpublish_selected(self, request, queryset):
        from twinning.records import Publication

        done, refused = self._set_publication(request, queryset, Publication.DRAFT)
        self._report(request, done, refused, ngettext("%d record unpublished.", "%d records unpublished.", done))

    def _report(self, request, done, refused, done_message):
        self.message_user(request, done_message % done, messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%d record was left unchanged: it belongs to other cities' press offices.",
                    "%d records were left unchanged: they belong to other cities' press offices.",
                    refused,
                )
                % refused,
                messages.WARNING,
            )


class PressOfficeInlineMixin:
    """Mix into every inline: its rows are edited by whoever may edit the parent record."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (obj is None or _may_edit(request, obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or _may_edit(request, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or _may_edit(request, obj))


class AgreementPartiesFormSet(BaseInlineFormSet):
    """The parties of an agreement: both cities of its twinning, and one of the officer's cities."""

    request_user = None  # set by AgreementPartiesInlineMixin.get_formset

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        parties = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        city_ids = party_city_ids(parties)
        validate_agreement_parties(self.instance.twinning if self.instance.twinning_id else None, city_ids)
        if not can_edit(self.request_user, self.instance, involving=city_ids):
            raise ValidationError(NOT_YOURS, code="not_your_city")


class AgreementPartiesInlineMixin(PressOfficeInlineMixin):
    formset = AgreementPartiesFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.request_user = request.user
        return formset


class AgreementsOfRecordFormSet(BaseInlineFormSet):
    """Agreements added on a twinning's or a delegation's page, where parties cannot be entered:
    the record's cities become the parties, which keeps a twinning's agreement valid and the
    agreement editable by the same press offices."""

    def save_new(self, form, commit=True):
        from cities.models import City
        from twinning.models import AgreementParty

        agreement = super().save_new(form, commit=commit)
        if commit:
            for city in City.objects.filter(pk__in=involved_city_ids(self.instance)):
                AgreementParty.objects.get_or_create(agreement=agreement, city=city)
        return agreement


class AgreementsOfRecordInlineMixin(PressOfficeInlineMixin):
    formset = AgreementsOfRecordFormSet
