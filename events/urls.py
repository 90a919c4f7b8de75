from django.urls import path

from events import views

app_name = "events"

urlpatterns = [
    path("delegations/<int:pk>/", views.DelegationDetailView.as_view(), name="delegation_detail"),
    path("events/<int:pk>/", views.JointEventDetailView.as_view(), name="event_detail"),
]
