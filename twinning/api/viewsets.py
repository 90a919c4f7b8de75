"""What every record endpoint shares: published rows for the public, CSV of any filtered list,
lookup by id or slug, relevance order for searches."""

import copy

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import viewsets
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer

from twinning.api.exports import CSVRenderer, export_cache_key, stream_csv
from twinning.api.filtering import is_id
from twinning.api.ordering import RelevanceOrderingFilter

FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    enum=["json", "csv"],
    description=_("csv: the whole filtered list (every page) as a spreadsheet, UTF-8 with BOM."),
)


def without_format_parameter(request):
    """`request` minus `?format=`, for building links: DRF keeps that parameter in the URLs it
    reverses, so every link in a CSV export would otherwise answer CSV too."""
    if "format" not in request.query_params:
        return request
    clone = copy.copy(request)
    clone._request = copy.copy(request._request)
    clone._request.GET = request._request.GET.copy()
    clone._request.GET.pop("format")
    return clone


class LinksWithoutFormatMixin:
    def get_serializer_context(self):
        return {**super().get_serializer_context(), "request": without_format_parameter(self.request)}


class PublicRecordViewSet(LinksWithoutFormatMixin, viewsets.ReadOnlyModelViewSet):
    """Published records for everyone (the subclass's get_queryset decides what is public).

    `queryset = Model.objects.none()` in subclasses keeps the safe default should get_queryset
    ever be bypassed.
    """

    renderer_classes = [JSONRenderer, BrowsableAPIRenderer, CSVRenderer]
    filter_backends = [DjangoFilterBackend, RelevanceOrderingFilter]
    csv_filename = None
    relevance_params = ("q",)

    def visible(self, public):
        """The records this request may read: `public` (RecordWriteMixin adds a writer's drafts)."""
        return public

    def shows_only_public(self):
        return True

    def list(self, request, *args, **kwargs):
        if getattr(request.accepted_renderer, "format", None) == "csv":
            queryset = self.filter_queryset(self.get_queryset())
            filename = self.csv_filename or f"{self.basename}.csv"
            # Only the public answer is shared through the cache, never one with a writer's drafts.
            cache_key = export_cache_key(request, f"{self.basename}.csv") if self.shows_only_public() else None
            return stream_csv(
                queryset, self.get_serializer_class(), self.get_serializer_context(), filename, cache_key=cache_key
            )
        return super().list(request, *args, **kwargs)


class IdOrSlugLookupMixin:
    """`/cities/azov/` as well as `/cities/42/`: journalists know names, programs know ids."""

    def get_object(self):
        queryset = self.filter_queryset(self.get_queryset())
        value = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        lookup = {"pk": int(value)} if is_id(value) else {"slug": value}
        obj = get_object_or_404(queryset, **lookup)
        self.check_object_permissions(self.request, obj)
        return obj


ID_OR_SLUG_PARAMETER = OpenApiParameter(
    "id", OpenApiTypes.STR, OpenApiParameter.PATH, description=_("The numeric id or the slug.")
)
