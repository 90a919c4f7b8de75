"""Public pages of the lifecycle features: statistics and the embeddable widget."""

from django.urls import path

from twinning import statistics

app_name = "lifecycle"

urlpatterns = [
    path("statistics/", statistics.statistics_page, name="statistics"),
]
