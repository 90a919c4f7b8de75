from django.urls import path

from cities import views

app_name = "cities"

# Fixed prefixes come before the city slug, which would otherwise match them.
urlpatterns = [
    path("countries/", views.country_list, name="country_list"),
    path("countries/<str:code>/", views.country_detail, name="country_detail"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation_detail"),
    path("persons/<slug:slug>/", views.person_detail, name="person_detail"),
    path("<slug:slug>/", views.city_detail, name="city_detail"),
]
