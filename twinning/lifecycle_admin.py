"""The lifecycle in the admin: list filters for dormant twinnings and expiring agreements, the
press office's dashboard block on the admin index (templates/admin/index.html, through the
`lifecycle_dashboard` tag in twinning/templatetags/lifecycle_tags.py), and the claims of the two
sides with the editor's action that resolves them."""

from dataclasses import dataclass

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from twinning import claims as claims_service
from twinning import lifecycle
from twinning.admin_permissions import PressOfficeAdminMixin
from twinning.models import Claim, Twinning
from twinning.permissions import is_press_officer, is_registry_editor

DASHBOARD_ROWS = 10


class DormantFilter(admin.SimpleListFilter):
    title = _("dormancy")
    parameter_name = "dormant"

    def lookups(self, request, model_admin):
        return [
            ("yes", _("Dormant: no activity for %(years)d years") % {"years": lifecycle.dormant_after_years()}),
            ("no", _("Not dormant")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return lifecycle.dormant(queryset)
        if self.value() == "no":
            return lifecycle.not_dormant(queryset)
        return queryset


class ExpiryFilter(admin.SimpleListFilter):
    title = _("term")
    parameter_name = "expiring"

    def lookups(self, request, model_admin):
        return [
            ("soon", _("Expiring within %(days)d days") % {"days": lifecycle.EXPIRING_WITHIN_DAYS}),
            ("fixed", _("Fixed term")),
            ("open", _("Open-ended")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "soon":
            return lifecycle.expiring_within(queryset)
        if self.value() == "fixed":
            return queryset.filter(term_years__isnull=False)
        if self.value() == "open":
            return queryset.filter(term_years__isnull=True)
        return queryset


@dataclass
class Dashboard:
    """What needs a press office's attention; `*_count` may exceed the rows shown."""

    expiring: list
    expiring_count: int
    dormant: list
    dormant_count: int
    open_claims_count: int


def dashboard_for(user, *, today=None):
    """The records `user` may edit (drafts included) that expire soon or went silent; None for
    users who edit nothing. Five queries, plus the names of the cities shown (two)."""
    editor = is_registry_editor(user)
    if not (editor or is_press_officer(user)):
        return None
    expiring = lifecycle.expiring_within(lifecycle.agreements_watched_by(user), today=today)
    # An office edits a few dozen twinnings: probe them one by one (and show their last activity);
    # an editor sees the whole registry: find the active ones set by set.
    dormant = lifecycle.dormant(Twinning.objects.editable_by(user), today=today, whole_list=editor).order_by("pk")
    return Dashboard(
        expiring=list(expiring[:DASHBOARD_ROWS]),
        expiring_count=expiring.count(),
        dormant=list(dormant.prefetch_related("city_a__names", "city_b__names").select_related("city_a", "city_b")[:DASHBOARD_ROWS]),
        dormant_count=dormant.count(),
        open_claims_count=Claim.objects.open().filter(twinning__in=Twinning.objects.editable_by(user).values("pk")).count(),
    )


# ---------------------------------------------------------------- conflicting claims


class OpenClaimFilter(admin.SimpleListFilter):
    """Open claims first: they are what an editor has to look at."""

    title = _("resolution")
    parameter_name = "resolved"

    def lookups(self, request, model_admin):
        return [("no", _("Open")), ("yes", _("Resolved")), ("all", _("All"))]

    def choices(self, changelist):
        for choice in super().choices(changelist):
            if choice["query_string"] == changelist.get_query_string(remove=[self.parameter_name]):
                continue  # "All" stands in for Django's own "All", which would mean "open" here
            yield choice

    def queryset(self, request, queryset):
        value = self.value() or "no"
        if value == "no":
            return queryset.open()
        if value == "yes":
            return queryset.filter(resolved_at__isnull=False)
        return queryset


@admin.register(Claim)
class ClaimAdmin(PressOfficeAdminMixin, SimpleHistoryAdmin):
    list_display = ["twinning", "city", "subject", "claimed", "source", "made_at", "resolution"]
    list_filter = [OpenClaimFilter, "subject"]
    list_select_related = ["twinning__city_a", "twinning__city_b", "city", "source"]
    search_fields = ["twinning__city_a__names__name", "twinning__city_b__names__name", "note"]
    autocomplete_fields = ["twinning", "city", "source"]
    fields = ["twinning", "city", "subject", "state", "date", "source", "note", "made_by", "made_at", "resolution"]
    readonly_fields = ["made_by", "made_at", "resolution"]
    actions = ["accept_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("twinning__city_a__names", "twinning__city_b__names", "city__names")

    @admin.display(description=_("claims"))
    def claimed(self, claim):
        return claim.claimed_value()

    @admin.display(description=_("resolution"))
    def resolution(self, claim):
        if claim.resolved_at is None:
            return _("open")
        return _("accepted") if claim.accepted else _("not accepted")

    def has_change_permission(self, request, obj=None):
        # A resolved claim is part of the record of the disagreement: nobody edits it any more.
        return super().has_change_permission(request, obj) and (obj is None or obj.resolved_at is None)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.made_by = request.user
        super().save_model(request, obj, form, change)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not is_registry_editor(request.user):
            actions.pop("accept_selected", None)
        return actions

    @admin.action(description=_("Accept the selected claim (and close the other side's)"))
    def accept_selected(self, request, queryset):
        claims = list(queryset.open())
        if len({(claim.twinning_id, claim.subject) for claim in claims}) != len(claims):
            self.message_user(request, _("Select one claim per twinning and subject."), messages.ERROR)
            return
        for claim in claims:
            claims_service.accept_claim(claim, by=request.user)
        self.message_user(
            request, ngettext("%d claim accepted.", "%d claims accepted.", len(claims)) % len(claims), messages.SUCCESS
        )


class ClaimInline(admin.TabularInline):
    """Both sides' claims on the twinning's change page, side by side; added in the claims admin."""

    model = Claim
    extra = 0
    fields = ["city", "subject", "state", "date", "source", "note", "made_at", "resolved_at", "accepted"]
    readonly_fields = fields
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("claims of the two sides")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
