from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from events.api.filters import DelegationFilter, JointEventFilter
from events.api.serializers import (
    DelegationSerializer,
    DelegationStaffSerializer,
    JointEventSerializer,
    JointEventStaffSerializer,
)
from events.models import Delegation, JointEvent, ProgrammeItem
from events.public import delegations_for_display, events_for_display, public_delegations, public_events
from twinning.api.viewsets import FORMAT_PARAMETER, PublicRecordViewSet
from twinning.api.writing import Children, PublishMixin, RecordWriteMixin


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
class DelegationViewSet(PublishMixin, RecordWriteMixin, PublicRecordViewSet):
    queryset = Delegation.objects.none()
    serializer_class = DelegationSerializer
    staff_serializer_class = DelegationStaffSerializer
    children = {"programme": Children("programme", "delegation", order_field="order")}
    filterset_class = DelegationFilter
    ordering_fields = ["start_on", "members_count", "id"]
    ordering = ["-start_on"]
    csv_filename = "delegations.csv"

    def get_queryset(self):
        programme = ProgrammeItem.objects.select_related("organisation").order_by("order", "id")
        return delegations_for_display(self.visible(public_delegations())).select_related("twinning").prefetch_related(
            Prefetch("programme", queryset=programme)
        )


@extend_schema_view(
    list=extend_schema(summary=_("Joint events"), parameters=[FORMAT_PARAMETER]),
    retrieve=extend_schema(summary=_("A joint event")),
)
class JointEventViewSet(PublishMixin, RecordWriteMixin, PublicRecordViewSet):
    queryset = JointEvent.objects.none()
    serializer_class = JointEventSerializer
    staff_serializer_class = JointEventStaffSerializer
    involving_field = "participants"  # with the host, the cities whose press offices may edit it
    filterset_class = JointEventFilter
    ordering_fields = ["start_on", "title", "participants_count", "id"]
    ordering = ["-start_on"]
    csv_filename = "events.csv"

    def get_queryset(self):
        return events_for_display(self.visible(public_events())).select_related("twinning")
