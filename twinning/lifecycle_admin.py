"""The lifecycle in the admin: list filters for dormant twinnings and expiring agreements, and
the press office's dashboard block on the admin index (templates/admin/index.html, through the
`lifecycle_dashboard` tag in twinning/templatetags/lifecycle.py)."""

from dataclasses import dataclass

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from twinning import lifecycle
from twinning.models import Twinning
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


def dashboard_for(user, *, today=None):
    """The records `user` may edit (drafts included) that expire soon or went silent; None for
    users who edit nothing. Four queries, plus the names of the cities shown (two)."""
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
    )
