from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from events.api.filters import DelegationFilter, JointEventFilter
from events.api.serializers import DelegationSerializer, JointEventSerializer
from events.models import Delegation, JointEvent, ProgrammeItem
from events.public import delegations_for_display, events_for_display, public_delegations, public_events
from twinning.api.viewsets import FORMAT_PARAMETER, PublicRecordViewSet


@extend_schema_view(
    list=extend_schema(
        summary=_("Delegations"),
        description=_(
            "Published official visits. `to_city=Кузнецк&year=2025`: every delegation to Kuznetsk in 2025."
        ),
        parameters=[FORMAT_PARAMETER],
    ),
    retrieve=extend_schema(summary=_("A delegation")),
)
class DelegationViewSet(PublicRecordViewSet):
    queryset = Delegation.objects.none()
    serializer_class = DelegationSerializer
    filterset_class = DelegationFilter
    ordering_fields = ["start_on", "members_count", "id"]
    ordering = ["-start_on"]
    csv_filename = "delegations.csv"

    def get_queryset(self):
        programme = ProgrammeItem.objects.select_related("organisation").order_by("order", "id")
        return delegations_for_display(public_delegations()).select_related("twinning").prefetch_related(
            Prefetch("programme", queryset=programme)
        )


@extend_schema_view(
    list=extend_schema(summary=_("Joint events"), parameters=[FORMAT_PARAMETER]),
    retrieve=extend_schema(summary=_("A joint event")),
)
class JointEventViewSet(PublicRecordViewSet):
    queryset = JointEvent.objects.none()
    serializer_class = JointEventSerializer
    filterset_class = JointEventFilter
    ordering_fields = ["start_on", "title", "participants_count", "id"]
    ordering = ["-start_on"]
    csv_filename = "events.csv"

    def get_queryset(self):
        return events_for_display(public_events()).select_related("twinning")
