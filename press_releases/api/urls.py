from django.urls import path

from press_releases.api.views import ExtractView

app_name = "press_releases"

urlpatterns = [
    path("extract/", ExtractView.as_view(), name="extract"),
]
