"""Admin pages of the press offices themselves: offices (superusers only), partner
confirmations, and the "records mentioning your city" list where an office confirms a record
another office entered or asks for a correction."""

from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cities.models import City
from twinning import services
from twinning.admin_permissions import PressOfficeAdminMixin
from twinning.confirmations import CONFIRMABLE_MODELS, records_mentioning
from twinning.models import Confirmation, ConfirmationState, PressOffice
from twinning.permissions import city_ids_of, involved_city_ids


@admin.register(PressOffice)
class PressOfficeAdmin(SimpleHistoryAdmin):
    """Offices and their members are managed by superusers (or create_press_officer)."""

    list_display = ["name", "city", "member_count"]
    list_select_related = ["city"]
    search_fields = ["name", "city__name", "city__names__name", "members__username"]
    autocomplete_fields = ["city"]
    filter_horizontal = ["members"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(member_total=Count("members"))

    @admin.display(description=_("press officers"), ordering="member_total")
    def member_count(self, office):
        return office.member_total

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    has_view_permission = has_add_permission = lambda self, request, obj=None: request.user.is_superuser
    has_change_permission = has_delete_permission = lambda self, request, obj=None: request.user.is_superuser


@admin.register(Confirmation)
class ConfirmationAdmin(PressOfficeAdminMixin, SimpleHistoryAdmin):
    list_display = ["record_link", "city", "state", "record_version", "updated_at"]
    list_filter = ["state", "content_type"]
    list_select_related = ["city", "content_type"]
    search_fields = ["comment", "city__name", "city__names__name"]
    readonly_fields = ["content_type", "object_id", "city", "record_version", "by", "updated_at"]
    fields = ["content_type", "object_id", "city", "state", "comment", "record_version", "by", "updated_at"]
    actions = []

    @admin.display(description=_("record"))
    def record_link(self, confirmation):
        return f"{confirmation.content_type.name} #{confirmation.object_id}"

    def has_add_permission(self, request):
        return False  # confirmations are given from the "records mentioning your city" list

    def get_urls(self):
        return [
            path("mentions/", self.admin_site.admin_view(self.mentions_view), name="twinning_confirmation_mentions"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "mentions_url": reverse("admin:twinning_confirmation_mentions")}
        return super().changelist_view(request, extra_context)

    def mentions_view(self, request):
        """Records that involve the user's cities, with a confirm / ask-for-correction form each."""
        city_ids = city_ids_of(request.user)
        if not city_ids or not self.has_view_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            return self._confirm_from_post(request, city_ids)
        awaiting_only = request.GET.get("all") != "1"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Records mentioning your city"),
            "records": records_mentioning(city_ids, awaiting_only=awaiting_only),
            "awaiting_only": awaiting_only,
            "states": ConfirmationState,
        }
        return TemplateResponse(request, "admin/twinning/confirmation/mentions.html", context)

    def _confirm_from_post(self, request, city_ids):
        record = self._posted_record(request.POST)
        if record is None or request.POST.get("state") not in ConfirmationState.values:
            messages.error(request, _("That record could not be found."))
            return redirect("admin:twinning_confirmation_mentions")
        cities = City.objects.filter(pk__in=involved_city_ids(record) & city_ids)
        try:
            for city in cities:
                services.confirm(
                    record, city=city, user=request.user, state=request.POST["state"], comment=request.POST.get("comment", "")
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if cities:
                messages.success(request, _("Thank you: your answer about “%(record)s” is recorded.") % {"record": record})
        return redirect(request.get_full_path())

    @staticmethod
    def _posted_record(data):
        """The confirmable record named by the form, or None for anything else."""
        try:
            content_type = ContentType.objects.get_for_id(int(data.get("content_type", "")))
            if f"{content_type.app_label}.{content_type.model}" not in CONFIRMABLE_MODELS:
                return None
            return content_type.model_class()._default_manager.filter(pk=int(data.get("object_id", ""))).first()
        except (ValueError, ContentType.DoesNotExist):
            return None
