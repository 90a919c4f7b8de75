from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cities.api.serializers import CitySummarySerializer, OrganisationSummarySerializer, PersonSummarySerializer
from events.models import Delegation, JointEvent, ProgrammeItem
from twinning.api.records import PublicLinkField, RecordSerializer


class ProgrammeItemSerializer(serializers.ModelSerializer):
    organisation = OrganisationSummarySerializer(read_only=True, allow_null=True, help_text=_("The place visited."))

    class Meta:
        model = ProgrammeItem
        fields = ["order", "date", "description", "organisation"]


class DelegationSerializer(RecordSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:delegation-detail")
    from_city = CitySummarySerializer(read_only=True)
    to_city = CitySummarySerializer(read_only=True)
    head = PersonSummarySerializer(read_only=True, allow_null=True)
    organisations = OrganisationSummarySerializer(
        many=True, read_only=True, help_text=_("Published organisations represented in the delegation.")
    )
    programme = ProgrammeItemSerializer(many=True, read_only=True)
    twinning = PublicLinkField("api:twinning-detail")

    class Meta:
        model = Delegation
        fields = [
            "id",
            "url",
            "web_url",
            "from_city",
            "to_city",
            "start_on",
            "end_on",
            "head",
            "head_position",
            "members_count",
            "organisations",
            "purpose",
            "outcome",
            "programme",
            "twinning",
            *RecordSerializer.record_fields,
        ]


class JointEventSerializer(RecordSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:jointevent-detail")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    host_city = CitySummarySerializer(read_only=True, allow_null=True)
    participants = CitySummarySerializer(many=True, read_only=True, help_text=_("Published participating cities."))
    organisations = OrganisationSummarySerializer(many=True, read_only=True)
    twinning = PublicLinkField("api:twinning-detail")

    class Meta:
        model = JointEvent
        fields = [
            "id",
            "url",
            "web_url",
            "title",
            "kind",
            "kind_label",
            "format",
            "start_on",
            "end_on",
            "host_city",
            "participants",
            "organisations",
            "participants_count",
            "description",
            "twinning",
            *RecordSerializer.record_fields,
        ]
