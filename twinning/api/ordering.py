"""Ordering for list endpoints (the default filter backend; kept free of view imports, since
DRF imports it while loading its own generic views)."""

from django.db.models import F
from rest_framework.filters import OrderingFilter


class RelevanceOrderingFilter(OrderingFilter):
    """The usual `ordering` parameter, except that a name or text search without an explicit
    ordering keeps the best matches first."""

    def get_default_ordering(self, view):
        params = getattr(view, "relevance_params", ())
        if any(view.request.query_params.get(param) for param in params):
            return None
        return super().get_default_ordering(view)

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        # Unknown dates and counts sort last either way; ties are broken by id, so pages never
        # repeat or skip a row.
        terms = [
            F(term[1:]).desc(nulls_last=True) if term.startswith("-") else F(term).asc(nulls_last=True)
            for term in ordering
        ]
        if not {"pk", "id", "-pk", "-id"} & set(ordering):
            terms.append(F("pk").asc())
        return queryset.order_by(*terms)
