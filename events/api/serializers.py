from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cities.api.serializers import CitySummarySerializer, OrganisationSummarySerializer, PersonSummarySerializer
from cities.models import City, Organisation, Person
from events.models import Delegation, JointEvent, ProgrammeItem
from twinning.api.records import (
    LinkField,
    MethodValueField,
    PartialDateInputMixin,
    PublicLinkField,
    RecordSerializer,
    StaffRecordSerializer,
    id_input,
    ids_input,
)
from twinning.models import Twinning


class ProgrammeItemSerializer(serializers.ModelSerializer):
    organisation = OrganisationSummarySerializer(read_only=True, allow_null=True, help_text=_("The place visited."))

    class Meta:
        model = ProgrammeItem
        fields = ["order", "date", "description", "organisation"]


class DelegationSerializer(RecordSerializer):
    url = LinkField(view_name="api:delegation-detail")
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
    url = LinkField(view_name="api:jointevent-detail")
    kind_label = MethodValueField("get_kind_display")
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


# ---------------------------------------------------------------- press officers' serializers
class ProgrammeItemStaffSerializer(PartialDateInputMixin, ProgrammeItemSerializer):
    organisation_id = id_input(Organisation.objects.all(), "organisation", required=False)

    class Meta(ProgrammeItemSerializer.Meta):
        fields = [*ProgrammeItemSerializer.Meta.fields, "organisation_id"]
        read_only_fields = ["order"]  # the position in the list


class DelegationStaffSerializer(StaffRecordSerializer, DelegationSerializer):
    from_city_id = id_input(City.objects.all(), "from_city", help_text=_("The sending city."))
    to_city_id = id_input(City.objects.all(), "to_city", help_text=_("The receiving city."))
    head_id = id_input(Person.objects.all(), "head", required=False)
    organisation_ids = ids_input(Organisation.objects.all(), "organisations", help_text=_("Replaces the list."))
    programme = ProgrammeItemStaffSerializer(many=True, required=False, help_text=_("In order (replaces the list)."))
    twinning_id = id_input(Twinning.objects.all(), "twinning", required=False)

    class Meta(DelegationSerializer.Meta):
        fields = [
            *DelegationSerializer.Meta.fields,
            *StaffRecordSerializer.staff_fields,
            "from_city_id",
            "to_city_id",
            "head_id",
            "organisation_ids",
            "twinning_id",
        ]


class JointEventStaffSerializer(StaffRecordSerializer, JointEventSerializer):
    host_city_id = id_input(City.objects.all(), "host_city", required=False)
    participant_ids = ids_input(City.objects.all(), "participants", help_text=_("Participating cities (replaces the list)."))
    organisation_ids = ids_input(Organisation.objects.all(), "organisations", help_text=_("Replaces the list."))
    twinning_id = id_input(Twinning.objects.all(), "twinning", required=False)

    class Meta(JointEventSerializer.Meta):
        fields = [
            *JointEventSerializer.Meta.fields,
            *StaffRecordSerializer.staff_fields,
            "host_city_id",
            "participant_ids",
            "organisation_ids",
            "twinning_id",
        ]
