from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cities.api.serializers import CitySummarySerializer, OrganisationSummarySerializer, PersonSummarySerializer
from cities.models import City, Organisation, Person
from events.models import Delegation, JointEvent
from twinning.anniversaries import AGREEMENT, TWINNING
from twinning.api.exports import anniversary_title
from twinning.api.records import (
    FilteredListLinkField,
    LinkField,
    MethodValueField,
    PartialDateInputMixin,
    PublicLinkField,
    RecordSerializer,
    RelatedLinkField,
    StaffRecordSerializer,
    id_input,
)
from twinning.models import (
    Agreement,
    AgreementParty,
    AgreementSignatory,
    Source,
    Sphere,
    StatusChange,
    Twinning,
    TwinningStatus,
)


class SourceSerializer(serializers.ModelSerializer):
    url = LinkField(view_name="api:source-detail")
    link = serializers.URLField(source="url", help_text=_("Where the source is published."))

    class Meta:
        model = Source
        fields = ["id", "url", "title", "publisher", "published_on", "link", "text"]


class StatusChangeSerializer(serializers.ModelSerializer):
    source = RelatedLinkField(view_name="api:source-detail", read_only=True)

    class Meta:
        model = StatusChange
        fields = ["state", "date", "act", "act_title", "source"]


class TwinningSummarySerializer(serializers.ModelSerializer):
    """A twinning as seen from one of its cities (in a city's partner list)."""

    url = LinkField(view_name="api:twinning-detail")
    status = serializers.ChoiceField(
        choices=TwinningStatus.choices, read_only=True, help_text=_("Derived from the latest recorded state.")
    )

    class Meta:
        model = Twinning
        fields = ["id", "url", "kind", "established_on", "relations_since", "status"]


class TwinningSerializer(RecordSerializer, TwinningSummarySerializer):
    city_a = CitySummarySerializer(read_only=True)
    city_b = CitySummarySerializer(read_only=True)
    kind_label = MethodValueField("get_kind_display")
    status_label = MethodValueField("get_status_display")
    current_state = serializers.CharField(read_only=True, help_text=_("The latest recorded step in the relationship's life."))
    status_history = StatusChangeSerializer(source="status_changes", many=True, read_only=True)
    agreements = FilteredListLinkField("api:agreement-list", "twinning", help_text=_("The pair's agreements."))
    delegations = FilteredListLinkField("api:delegation-list", "twinning", help_text=_("The pair's visits."))
    events = FilteredListLinkField("api:jointevent-list", "twinning", help_text=_("The pair's joint events."))

    class Meta:
        model = Twinning
        fields = [
            "id",
            "url",
            "web_url",
            "city_a",
            "city_b",
            "kind",
            "kind_label",
            "established_on",
            "relations_since",
            "status",
            "status_label",
            "current_state",
            "description",
            "status_history",
            "agreements",
            "delegations",
            "events",
            *RecordSerializer.record_fields,
        ]


class PartnerSerializer(serializers.Serializer):
    """A partner city of the city asked about, with the twinning that links them."""

    city = CitySummarySerializer()
    twinning = TwinningSummarySerializer()


class AgreementPartySerializer(serializers.ModelSerializer):
    city = CitySummarySerializer(source="party_city", read_only=True, help_text=_("The party, or the organisation's city."))
    organisation = OrganisationSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = AgreementParty
        fields = ["city", "organisation"]


class AgreementSignatorySerializer(serializers.ModelSerializer):
    person = PersonSummarySerializer(read_only=True)
    organisation = OrganisationSummarySerializer(read_only=True, allow_null=True)

    class Meta:
        model = AgreementSignatory
        fields = ["person", "position_title", "organisation"]


class AgreementSerializer(RecordSerializer):
    url = LinkField(view_name="api:agreement-detail")
    kind_label = MethodValueField("get_kind_display")
    spheres = serializers.ListField(child=serializers.ChoiceField(choices=Sphere.choices), read_only=True)
    signed_in = CitySummarySerializer(read_only=True, allow_null=True)
    signed_at_event = PublicLinkField("api:jointevent-detail")
    twinning = PublicLinkField("api:twinning-detail")
    delegation = PublicLinkField("api:delegation-detail", help_text=_("The visit during which it was signed."))
    parties = AgreementPartySerializer(many=True, read_only=True)
    signatories = AgreementSignatorySerializer(many=True, read_only=True)
    text_file = serializers.FileField(read_only=True, use_url=True, allow_null=True)

    class Meta:
        model = Agreement
        fields = [
            "id",
            "url",
            "web_url",
            "title",
            "kind",
            "kind_label",
            "signed_on",
            "signed_in",
            "signed_at_event",
            "spheres",
            "parties",
            "signatories",
            "twinning",
            "delegation",
            "term_years",
            "text_url",
            "text_file",
            "summary",
            *RecordSerializer.record_fields,
        ]



class AnniversarySerializer(serializers.Serializer):
    """A round anniversary (twinning.anniversaries.Anniversary)."""

    kind = serializers.ChoiceField(choices=[(TWINNING, _("Twinning")), (AGREEMENT, _("Agreement"))])
    years = serializers.IntegerField()
    date = serializers.DateField(help_text=_("The day of the anniversary."))
    original_date = serializers.CharField(help_text=_("When the twinning was established or the agreement signed."))
    days_left = serializers.IntegerField()
    title = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text=_("The twinning or agreement in the API."))
    web_url = serializers.SerializerMethodField(help_text=_("Its page on the public site."))
    cities = serializers.SerializerMethodField(help_text=_("The cities taking part."))

    def get_title(self, anniversary) -> str:
        return anniversary_title(anniversary)

    def get_url(self, anniversary) -> str:
        view_name = "api:twinning-detail" if anniversary.kind == TWINNING else "api:agreement-detail"
        return self._absolute(reverse(view_name, args=[anniversary.record.pk]))

    def get_web_url(self, anniversary) -> str:
        return self._absolute(anniversary.get_absolute_url())

    @extend_schema_field(CitySummarySerializer(many=True))
    def get_cities(self, anniversary):
        record = anniversary.record
        if anniversary.kind == TWINNING:
            cities = [record.city_a, record.city_b]
        else:
            cities = []
            for party in record.parties.all():
                city = party.party_city
                if city.is_published() and city not in cities:
                    cities.append(city)
        return CitySummarySerializer(cities, many=True, context=self.context).data

    def _absolute(self, path):
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


# ---------------------------------------------------------------- press officers' serializers
class SourceStaffSerializer(PartialDateInputMixin, SourceSerializer):
    link = serializers.URLField(source="url", max_length=1000, required=False, allow_blank=True)

    class Meta(SourceSerializer.Meta):
        fields = SourceSerializer.Meta.fields

    def validate(self, data):
        if not (data.get("url") or data.get("title") or (self.instance and (self.instance.url or self.instance.title))):
            raise serializers.ValidationError(_("Give the source a link or a title."))
        return data


class StatusChangeStaffSerializer(PartialDateInputMixin, StatusChangeSerializer):
    source_id = id_input(Source.objects.all(), "source", required=False)

    class Meta(StatusChangeSerializer.Meta):
        fields = [*StatusChangeSerializer.Meta.fields, "source_id"]


class TwinningStaffSerializer(StaffRecordSerializer, TwinningSerializer):
    city_a_id = id_input(City.objects.all(), "city_a", help_text=_("One city (order does not matter)."))
    city_b_id = id_input(City.objects.all(), "city_b", help_text=_("The other city."))
    status_history = StatusChangeStaffSerializer(
        source="status_changes", many=True, required=False, help_text=_("Dated steps in the relationship's life (replaces the list).")
    )

    class Meta(TwinningSerializer.Meta):
        fields = [*TwinningSerializer.Meta.fields, *StaffRecordSerializer.staff_fields, "city_a_id", "city_b_id"]


class AgreementPartyStaffSerializer(AgreementPartySerializer):
    city_id = id_input(City.objects.all(), "city", required=False, help_text=_("A city, or…"))
    organisation_id = id_input(Organisation.objects.all(), "organisation", required=False, help_text=_("…an organisation."))

    class Meta(AgreementPartySerializer.Meta):
        fields = [*AgreementPartySerializer.Meta.fields, "city_id", "organisation_id"]

    def validate(self, data):
        if bool(data.get("city")) == bool(data.get("organisation")):
            raise serializers.ValidationError(_("A party is either a city (city_id) or an organisation (organisation_id)."))
        return data


class AgreementSignatoryStaffSerializer(AgreementSignatorySerializer):
    person_id = id_input(Person.objects.all(), "person")
    organisation_id = id_input(Organisation.objects.all(), "organisation", required=False, help_text=_("On behalf of."))

    class Meta(AgreementSignatorySerializer.Meta):
        fields = [*AgreementSignatorySerializer.Meta.fields, "person_id", "organisation_id"]


class AgreementStaffSerializer(StaffRecordSerializer, AgreementSerializer):
    spheres = serializers.ListField(child=serializers.ChoiceField(choices=Sphere.choices), required=False)
    parties = AgreementPartyStaffSerializer(many=True, required=False, help_text=_("Cities or organisations (replaces the list)."))
    signatories = AgreementSignatoryStaffSerializer(many=True, required=False, help_text=_("Replaces the list."))
    signed_in_id = id_input(City.objects.all(), "signed_in", required=False)
    signed_at_event_id = id_input(JointEvent.objects.all(), "signed_at_event", required=False)
    twinning_id = id_input(Twinning.objects.all(), "twinning", required=False)
    delegation_id = id_input(Delegation.objects.all(), "delegation", required=False)

    class Meta(AgreementSerializer.Meta):
        fields = [
            *AgreementSerializer.Meta.fields,
            *StaffRecordSerializer.staff_fields,
            "signed_in_id",
            "signed_at_event_id",
            "twinning_id",
            "delegation_id",
        ]
