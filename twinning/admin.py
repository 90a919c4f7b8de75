from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from twinning.models import Agreement, AgreementParty, AgreementSignatory, Source, StatusChange, Twinning


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "published_on", "url"]
    search_fields = ["title", "publisher", "url"]
    list_filter = ["publisher"]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    autocomplete_fields = ["source"]


class AgreementInline(admin.StackedInline):
    model = Agreement
    fk_name = "twinning"
    extra = 0
    fields = ["title", "kind", "signed_on", "spheres", "publication"]
    show_change_link = True


@admin.register(Twinning)
class TwinningAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "kind", "established_on", "publication"]
    list_filter = ["publication", "kind", "city_a__country"]
    list_select_related = ["city_a", "city_b"]
    search_fields = ["city_a__name", "city_b__name", "city_a__names__name", "city_b__names__name"]
    autocomplete_fields = ["city_a", "city_b", "sources"]
    readonly_fields = ["version", "published_at"]
    inlines = [StatusChangeInline, AgreementInline]


class AgreementPartyInline(admin.TabularInline):
    model = AgreementParty
    extra = 2
    autocomplete_fields = ["city", "organisation"]


class AgreementSignatoryInline(admin.TabularInline):
    model = AgreementSignatory
    extra = 1
    autocomplete_fields = ["person", "organisation"]


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "signed_on", "publication"]
    list_filter = ["publication", "kind"]
    search_fields = ["title", "parties__city__name", "parties__organisation__name"]
    autocomplete_fields = ["signed_in", "signed_at_event", "twinning", "delegation", "sources"]
    readonly_fields = ["version", "published_at"]
    inlines = [AgreementPartyInline, AgreementSignatoryInline]
