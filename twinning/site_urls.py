from django.urls import path

from twinning import views

app_name = "twinning"

urlpatterns = [
    path("", views.home, name="home"),
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("twinnings/<slug:slug_a>/<slug:slug_b>/", views.twinning_detail, name="twinning_detail"),
]
