from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("delegations/<int:pk>/", views.delegation_detail, name="delegation_detail"),
    path("events/<int:pk>/", views.event_detail, name="event_detail"),
]
