from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from events.models import Delegation, JointEvent, ProgrammeItem
from twinning.admin_permissions import AgreementsOfRecordInlineMixin, PressOfficeAdminMixin, PressOfficeInlineMixin
from twinning.models import Agreement


class ProgrammeItemInline(PressOfficeInlineMixin, admin.TabularInline):
    model = ProgrammeItem
    extra = 1
    autocomplete_fields = ["organisation"]


class OutcomeInline(AgreementsOfRecordInlineMixin, admin.TabularInline):
    model = Agreement
    fk_name = "delegation"
    extra = 0
    fields = ["title", "kind", "signed_on", "publication"]
    show_change_link = True
    verbose_name_plural = "outcomes"


@admin.register(Delegation)
class DelegationAdmin(PressOfficeAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "start_on", "end_on", "head", "publication"]
    list_filter = ["publication", "from_city__country", "to_city__country"]
    list_select_related = ["from_city", "to_city", "head"]
    search_fields = ["from_city__name", "to_city__name", "from_city__names__name", "to_city__names__name", "head__full_name"]
    autocomplete_fields = ["from_city", "to_city", "head", "organisations", "twinning", "sources"]
    readonly_fields = ["version", "published_at"]
    inlines = [ProgrammeItemInline, OutcomeInline]


@admin.register(JointEvent)
class JointEventAdmin(PressOfficeAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "format", "start_on", "host_city", "publication"]
    list_filter = ["publication", "kind", "format"]
    list_select_related = ["host_city"]
    search_fields = ["title", "host_city__name", "participants__name"]
    autocomplete_fields = ["host_city", "participants", "organisations", "twinning", "sources"]
    readonly_fields = ["version", "published_at"]
