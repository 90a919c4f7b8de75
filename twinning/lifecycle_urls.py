"""/api/v1/ endpoints of the lifecycle features (included from twinning/urls.py)."""

from django.urls import path

from twinning import feeds
from twinning.api import lifecycle

app_name = "lifecycle_api"

urlpatterns = [
    path("changes/", lifecycle.ChangeListView.as_view(), name="changes"),
    path("changes/atom/", feeds.ChangesAtomFeed(), name="changes_atom"),
    path("expiring-agreements/", lifecycle.ExpiringAgreementListView.as_view(), name="expiring_agreements"),
    path("statistics/", lifecycle.StatisticsView.as_view(), name="statistics"),
    path("wikidata/p190/", lifecycle.WikidataP190View.as_view(), name="wikidata_p190"),
]
