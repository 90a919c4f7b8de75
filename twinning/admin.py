from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from twinning import admin_press  # noqa: F401  (press offices and confirmations)
from twinning.admin_permissions import (
    AgreementPartiesInlineMixin,
    AgreementsOfRecordInlineMixin,
    PressOfficeAdminMixin,
    PressOfficeInlineMixin,
)
from twinning.models import Agreement, AgreementParty, AgreementSignatory, Source, StatusChange, Twinning


@admin.register(Source)
class SourceAdmin(PressOfficeAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "publisher", "published_on", "url"]
    search_fields = ["title", "publisher", "url"]
    list_filter = ["publisher"]


class StatusChangeInline(PressOfficeInlineMixin, admin.TabularInline):
    model = StatusChange
    extra = 0
    autocomplete_fields = ["source"]


class AgreementInline(AgreementsOfRecordInlineMixin, admin.StackedInline):
    model = Agreement
    fk_name = "twinning"
    extra = 0
    fields = ["title", "kind", "signed_on", "spheres", "publication"]
    show_change_link = True


@admin.register(Twinning)
class TwinningAdmin(PressOfficeAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "established_on", "publication"]
    list_filter = ["publication", "kind", "city_a__country"]
    list_select_related = ["city_a", "city_b"]
    search_fields = ["city_a__name", "city_b__name", "city_a__names__name", "city_b__names__name"]
    autocomplete_fields = ["city_a", "city_b", "sources"]
    readonly_fields = ["version", "published_at"]
    inlines = [StatusChangeInline, AgreementInline]


class AgreementPartyInline(AgreementPartiesInlineMixin, admin.TabularInline):
    model = AgreementParty
    extra = 2
    autocomplete_fields = ["city", "organisation"]


class AgreementSignatoryInline(PressOfficeInlineMixin, admin.TabularInline):
    model = AgreementSignatory
    extra = 1
    autocomplete_fields = ["person", "organisation"]


@admin.register(Agreement)
class AgreementAdmin(PressOfficeAdminMixin, SimpleHistoryAdmin):
    involvement_is_inline = True  # the parties inline decides whose agreement it is
    list_display = ["title", "kind", "signed_on", "publication"]
    list_filter = ["publication", "kind"]
    search_fields = ["title", "parties__city__name", "parties__organisation__name"]
    autocomplete_fields = ["signed_in", "signed_at_event", "twinning", "delegation", "sources"]
    readonly_fields = ["version", "published_at"]
    inlines = [AgreementPartyInline, AgreementSignatoryInline]
