"""Page-number pagination with a client-chosen page size, capped so one call cannot read the world."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = getattr(settings, "API_MAX_PAGE_SIZE", 500)


class RegistryPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    page_size_query_description = _("Number of results per page (at most %(max)d).") % {"max": MAX_PAGE_SIZE}
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        # DRF silently ignores a malformed page_size; a journalist should learn about the typo.
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None:
            try:
                value = int(raw)
            except ValueError:
                value = 0
            if value < 1:
                raise ValidationError({self.page_size_query_param: [_("Enter a whole number of 1 or more.")]})
        return super().get_page_size(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] in (self.page_query_param, self.page_size_query_param):
                parameter["schema"]["minimum"] = 1
        return parameters
