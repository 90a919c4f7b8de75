from django.urls import path

from twinning import views

app_name = "twinning"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("search/autocomplete/", views.autocomplete_suggestions, name="autocomplete"),
    path("map/", views.network_map, name="map"),
    path("map/data.json", views.map_data, name="map_data"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("twinnings/<slug:slug_a>/<slug:slug_b>/", views.twinning_detail, name="twinning_detail"),
]
