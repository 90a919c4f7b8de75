from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from events.models import Delegation, JointEvent, ProgrammeItem
from twinning.admin_permissions import AgreementsOfRecordInlineMixin, PressOfficeAdminMixin, PressOfficeInlineMixin
from twinning.admin_tools import country_filter, year_filter
from twinning.models import Agreement


class ProgrammeItemInline(PressOfficeInlineMixin, admin.TabularInline):
    model = ProgrammeItem
    extra = 1
    autocomplete_fields = ["organisation"]


class OutcomeInline(AgreementsOfRecordInlineMixin, admin.TabularInline):
    """Agreements signed during the visit; they are edited on their own page."""

    model = Agreement
    fk_name = "delegation"
    extra = 0
    fields = ["title", "kind", "signed_on", "publication"]
    show_change_link = True
    verbose_name = _("agreement signed during the visit")
    verbose_name_plural = _("outcomes: agreements signed during the visit")


@admin.register(Delegation)
class DelegationAdmin(PressOfficeAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "start_on", "end_on", "head", "publication"]
    list_filter = [
        "publication",
        country_filter("from_city__country", "to_city__country"),
        year_filter("start_on", _("year")),
    ]
    list_select_related = ["from_city", "to_city", "head"]
    search_fields = [
        "from_city__name",
        "to_city__name",
        "from_city__names__name",
        "to_city__names__name",
        "head__full_name",
        "purpose",
    ]
    autocomplete_fields = ["from_city", "to_city", "head", "organisations", "twinning", "sources"]
    readonly_fields = ["version", "published_at"]
    inlines = [ProgrammeItemInline, OutcomeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("from_city__names", "to_city__names")


@admin.register(JointEvent)
class JointEventAdmin(PressOfficeAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "format", "start_on", "host_city", "publication"]
    list_filter = [
        "publication",
        "kind",
        "format",
        country_filter("host_city__country", "participants__country", spans_many=True),
        year_filter("start_on", _("year")),
    ]
    list_select_related = ["host_city"]
    search_fields = ["title", "host_city__name", "host_city__names__name", "participants__names__name"]
    autocomplete_fields = ["host_city", "participants", "organisations", "twinning", "sources"]
    readonly_fields = ["version", "published_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("host_city__names")
