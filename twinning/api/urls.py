"""The API's one router (mounted at /api/v1/ by twinning/urls.py), its schema and docs, and the
calendar feed."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from cities.api.views import CityViewSet, CountryViewSet, OrganisationViewSet, PersonViewSet
from events.api.views import DelegationViewSet, JointEventViewSet
from twinning.api.views import (
    AgreementViewSet,
    AnniversaryCalendarView,
    AnniversaryListView,
    ObtainTokenView,
    SourceViewSet,
    TwinningViewSet,
    api_not_found,
)

router = DefaultRouter()
router.register("cities", CityViewSet, basename="city")
router.register("countries", CountryViewSet, basename="country")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("persons", PersonViewSet, basename="person")
router.register("twinnings", TwinningViewSet, basename="twinning")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("delegations", DelegationViewSet, basename="delegation")
router.register("events", JointEventViewSet, basename="jointevent")
router.register("sources", SourceViewSet, basename="source")

# Included under the "api" namespace: reverse("api:twinning-list"), reverse("api:anniversaries").
api_v1_patterns = [
    path("anniversaries/", AnniversaryListView.as_view(), name="anniversaries"),
    path("auth/token/", ObtainTokenView.as_view(), name="token"),
    *router.urls,
    # Last: any other /api/v1/…/ address answers in the API's JSON error format, not with the
    # site's HTML 404 page. Only addresses ending in "/", so /api/v1/cities still redirects.
    re_path(r"^.*/$", api_not_found),
]

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The split view serves its script from a URL rather than inline, so a strict CSP allows it.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path(
        "calendar/anniversaries.ics",
        AnniversaryCalendarView.as_view(),
        {"format": "ics"},
        name="anniversaries_ics",
    ),
]
