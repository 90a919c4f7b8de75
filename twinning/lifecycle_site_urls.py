"""Public pages of the lifecycle features: statistics and the embeddable widget."""

from django.urls import path

from twinning import statistics, widget

app_name = "lifecycle"

urlpatterns = [
    path("statistics/", statistics.statistics_page, name="statistics"),
    path("widget/<slug:slug>/", widget.widget_page, name="widget"),
    path("widget/<slug:slug>.js", widget.embed_script, name="widget_script"),
]
