from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from cities.admin_gazetteer import GazetteerPickAdminMixin
from cities.models import City, CityName, GazetteerCity, Organisation, Person, Position
from twinning.admin_permissions import PressOfficeAdminMixin, PressOfficeInlineMixin


class CityNameInline(PressOfficeInlineMixin, admin.TabularInline):
    model = CityName
    extra = 1


@admin.register(City)
class CityAdmin(GazetteerPickAdminMixin, PressOfficeAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "country", "region", "population", "publication"]
    list_filter = ["publication", "country"]
    search_fields = ["name", "names__name", "slug", "region"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CityNameInline]
    autocomplete_fields = ["sources"]
    readonly_fields = ["version", "published_at"]



class PositionInline(PressOfficeInlineMixin, admin.TabularInline):
    model = Position
    extra = 1
    autocomplete_fields = ["organisation"]


@admin.register(Organisation)
class OrganisationAdmin(PressOfficeAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "city", "publication"]
    list_filter = ["publication", "kind", "city__country"]
    list_select_related = ["city"]
    search_fields = ["name", "name_en", "city__name", "city__names__name"]
    autocomplete_fields = ["city", "parent", "sources"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Person)
class PersonAdmin(PressOfficeAdminMixin, SimpleHistoryAdmin):
    list_display = ["full_name", "city", "publication"]
    list_filter = ["publication", "city__country"]
    list_select_related = ["city"]
    search_fields = ["full_name", "full_name_en", "positions__title"]
    autocomplete_fields = ["city", "sources"]
    prepopulated_fields = {"slug": ["full_name"]}
    inlines = [PositionInline]


@admin.register(GazetteerCity)
class GazetteerCityAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "admin1_code", "population"]
    list_filter = ["country"]
    search_fields = ["name", "ascii_name"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.site_header = _("Twinning Registry")
admin.site.site_title = _("Twinning Registry")
admin.site.index_title = _("Press office workspace")
