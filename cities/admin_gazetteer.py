"""The admin page "add a city from the gazetteer": search the GazetteerCity table by a name in
any script and pick a result; picking a city the registry already has opens that city."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from cities.gazetteer_table import MIN_QUERY_LENGTH, pick_city, search
from cities.models import GazetteerCity


class GazetteerPickAdminMixin:
    """Mix into CityAdmin: adds cities/city/gazetteer/ (URL name admin:cities_city_gazetteer)."""

    def get_urls(self):
        return [
            path("gazetteer/", self.admin_site.admin_view(self.gazetteer_view), name="cities_city_gazetteer"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "gazetteer_url": reverse("admin:cities_city_gazetteer")}
        return super().changelist_view(request, extra_context)

    def gazetteer_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            return self._pick(request)
        query = request.GET.get("q", "").strip()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Add a city from the gazetteer"),
            "query": query,
            "results": search(query) if query else [],
            "too_short": bool(query) and len(query) < MIN_QUERY_LENGTH,
            "min_length": MIN_QUERY_LENGTH,
        }
        return TemplateResponse(request, "admin/cities/city/gazetteer_pick.html", context)

    def _pick(self, request):
        try:
            geonames_id = int(request.POST.get("geonames_id", ""))
        except ValueError:
            geonames_id = None
        if geonames_id is None or not GazetteerCity.objects.filter(pk=geonames_id).exists():
            messages.error(request, _("Choose a city from the search results."))
            return redirect("admin:cities_city_gazetteer")
        city, created = pick_city(geonames_id, user=request.user, typed=request.POST.get("q", ""))
        if created:
            messages.success(
                request,
                _("%(city)s was added as a draft with its GeoNames names; check the Russian name, then publish it.")
                % {"city": city},
            )
        else:
            messages.info(request, _("%(city)s is already in the registry: here it is.") % {"city": city})
        return redirect("admin:cities_city_change", city.pk)
