from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cities.admin_gazetteer import GazetteerPickAdminMixin
from cities.models import City, CityName, GazetteerCity, Organisation, Person, Position
from twinning.admin_permissions import PressOfficeAdminMixin, PressOfficeInlineMixin
from twinning.admin_tools import HTTPS_URL_FIELDS, EstimatedCountPaginator, country_filter, search_by_city_names

# Every column that shows a city prints City.__str__, which reads the city's names: each
# changelist prefetches them ("…__names") so a page costs the same few queries for 1 or 100 rows.


class CityNameInline(PressOfficeInlineMixin, admin.TabularInline):
    model = CityName
    extra = 1


@admin.register(City)
class CityAdmin(GazetteerPickAdminMixin, PressOfficeAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "other_names", "country", "region", "population", "publication"]
    list_filter = ["publication", country_filter("country")]
    # Every primary name and alias in every script (Baranavichy, Курбевуа); see get_search_results.
    search_fields = ["name", "names__name", "slug", "region"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CityNameInline]
    autocomplete_fields = ["sources"]
    readonly_fields = ["version", "published_at"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).with_names()

    def get_search_results(self, request, queryset, search_term):
        return search_by_city_names(queryset, search_term, ["pk"], also=["slug", "region"])

    @admin.display(description=_("names and aliases"))
    def other_names(self, city):
        return ", ".join(sorted({n.name for n in city.names.all() if n.name != city.name}))


class PositionInline(PressOfficeInlineMixin, admin.TabularInline):
    model = Position
    extra = 1
    autocomplete_fields = ["organisation"]


@admin.register(Organisation)
class OrganisationAdmin(PressOfficeAdminMixin, SimpleHistoryAdmin):
    formfield_overrides = HTTPS_URL_FIELDS
    list_display = ["name", "kind", "city", "publication"]
    list_filter = ["publication", "kind", country_filter("city__country")]
    list_select_related = ["city"]
    search_fields = ["name", "name_en", "city__name", "city__names__name"]
    autocomplete_fields = ["city", "parent", "sources"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["version", "published_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("city__names")


@admin.register(Person)
class PersonAdmin(PressOfficeAdminMixin, SimpleHistoryAdmin):
    list_display = ["full_name", "city", "current_positions", "publication"]
    list_filter = ["publication", country_filter("city__country")]
    list_select_related = ["city"]
    search_fields = ["full_name", "full_name_en", "positions__title", "city__names__name"]
    autocomplete_fields = ["city", "sources"]
    prepopulated_fields = {"slug": ["full_name"]}
    readonly_fields = ["version", "published_at"]
    inlines = [PositionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("city__names", "positions")

    @admin.display(description=_("positions"))
    def current_positions(self, person):
        return "; ".join(position.title for position in person.positions.all())


@admin.register(GazetteerCity)
class GazetteerCityAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "admin1_code", "population", "geonames_id"]
    list_filter = ["country"]
    search_fields = ["name", "ascii_name"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.site_header = _("Twinning Registry")
admin.site.site_title = _("Twinning Registry")
admin.site.index_title = _("Press office workspace")
