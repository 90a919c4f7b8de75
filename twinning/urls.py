"""Root URL configuration: public pages (translated), the admin, and the API under /api/v1/."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from twinning import health
from twinning.api.urls import api_v1_patterns

urlpatterns = [
    path("health/", health.health, name="health"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # Lifecycle endpoints (changes, statistics, exports) before the router, whose detail routes would match them.
    path("api/v1/", include("twinning.lifecycle_urls")),
    path("", include("twinning.lifecycle_site_urls")),
    path("api/v1/", include("press_releases.api.urls")),  # POST /api/v1/extract/
    path("api/v1/", include((api_v1_patterns, "api"))),
    path("", include("twinning.api.urls")),  # /api/schema/, /api/docs/, /calendar/anniversaries.ics
    path("", include("twinning.site_urls")),
    path("cities/", include("cities.urls")),
    path("", include("events.urls")),
]

if settings.BENCH_CEILING_VIEW:
    from twinning import bench_views

    urlpatterns.append(path("bench/ceiling/", bench_views.ceiling, name="bench_ceiling"))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
