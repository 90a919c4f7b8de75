from django.urls import path

from cities import views

app_name = "cities"

urlpatterns = [
    path("<slug:slug>/", views.CityDetailView.as_view(), name="city_detail"),
    path("organisations/<slug:slug>/", views.OrganisationDetailView.as_view(), name="organisation_detail"),
    path("persons/<slug:slug>/", views.PersonDetailView.as_view(), name="person_detail"),
]
