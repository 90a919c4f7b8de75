from django.contrib import admin
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from twinning import admin_press  # noqa: F401  (press offices and confirmations)
from twinning.lifecycle_admin import ClaimInline, DormantFilter, ExpiryFilter
from twinning.admin_permissions import (
    AgreementPartiesInlineMixin,
    AgreementsOfRecordInlineMixin,
    PressOfficeAdminMixin,
    PressOfficeInlineMixin,
)
from twinning.admin_tools import (
    HTTPS_URL_FIELDS,
    EstimatedCountPaginator,
    country_filter,
    search_by_city_names,
    year_filter,
)
from twinning.models import (
    Agreement,
    AgreementParty,
    AgreementSignatory,
    Source,
    StatusChange,
    Twinning,
    TwinningStatus,
)


@admin.register(Source)
class SourceAdmin(PressOfficeAdminMixin, SimpleHistoryAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["title", "publisher", "published_on", "url"]
    search_fields = ["title", "publisher", "url"]
    list_filter = [year_filter("published_on", _("year published")), "publisher"]


class TwinningStatusFilter(admin.SimpleListFilter):
    """Status derived from the latest status change (see TwinningQuerySet.with_status)."""

    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return TwinningStatus.choices

    def queryset(self, request, queryset):
        if self.value() in TwinningStatus.values:
            return queryset.with_status_in(self.value())
        return queryset


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
    list_display = ["__str__", "kind", "status", "established_on", "relations_since", "publication"]
    list_filter = [
        "publication",
        TwinningStatusFilter,
        DormantFilter,
        "kind",
        country_filter("city_a__country", "city_b__country"),
        year_filter("established_on", _("year established")),
    ]
    list_select_related = ["city_a", "city_b"]
    search_fields = ["city_a__names__name", "city_b__names__name"]  # done by get_search_results
    autocomplete_fields = ["city_a", "city_b", "sources"]
    readonly_fields = ["version", "published_at"]
    inlines = [StatusChangeInline, ClaimInline, AgreementInline]
    # 26,000 rows after the open-data import: no full COUNT(*) on the unfiltered list.
    paginator = EstimatedCountPaginator
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).with_status().prefetch_related("city_a__names", "city_b__names")

    def get_search_results(self, request, queryset, search_term):
        return search_by_city_names(queryset, search_term, ["city_a", "city_b"])

    @admin.display(description=_("status"), ordering="current_state")
    def status(self, twinning):
        return twinning.get_status_display()


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
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["title", "kind", "signed_on", "party_names", "publication"]
    list_filter = [
        "publication",
        "kind",
        ExpiryFilter,
        country_filter("parties__city__country", "parties__organisation__city__country", spans_many=True),
        year_filter("signed_on", _("year signed")),
    ]
    search_fields = [
        "title",
        "parties__city__name",
        "parties__city__names__name",
        "parties__organisation__name",
        "parties__organisation__city__names__name",
    ]
    autocomplete_fields = ["signed_in", "signed_at_event", "twinning", "delegation", "sources"]
    readonly_fields = ["version", "published_at"]
    inlines = [AgreementPartyInline, AgreementSignatoryInline]

    def get_queryset(self, request):
        parties = AgreementParty.objects.select_related("city", "organisation").prefetch_related("city__names")
        return super().get_queryset(request).prefetch_related(Prefetch("parties", queryset=parties))

    @admin.display(description=_("parties"))
    def party_names(self, agreement):
        return "; ".join(str(party) for party in agreement.parties.all())
