"""Serializer parts every record shares (see twinning/records.py): links, sources, publication."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from twinning.models import Source
from twinning.partial_dates import ISO_PATTERN, PartialDate, PartialDateField


class VersionField(serializers.IntegerField):
    """The `version` a write is based on: read it, send it back unchanged."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault(
            "help_text",
            _("Send back the version you read. A write based on an older version is refused with 409."),
        )
        super().__init__(**kwargs)


_PK_PLACEHOLDER = 987654321987


def _templated_url(field, view_name, pk, request, format):
    """An API address by filling the pk into an address reversed once per request: reverse()
    and build_absolute_uri() for every link of a 26,000-row export cost seconds."""
    if format or request is None or pk is None:
        return None
    templates = request.__dict__.setdefault("_api_url_templates", {})
    if view_name not in templates:
        kwargs = {field.lookup_url_kwarg: _PK_PLACEHOLDER}
        templates[view_name] = field.reverse(view_name, kwargs=kwargs, request=request).split(str(_PK_PLACEHOLDER))
    before, after = templates[view_name]
    return f"{before}{pk}{after}"


class LinkField(serializers.HyperlinkedIdentityField):
    """HyperlinkedIdentityField for pk lookups, reversing once per request."""

    def get_url(self, obj, view_name, request, format):
        return _templated_url(self, view_name, obj.pk, request, format) or super().get_url(obj, view_name, request, format)


class RelatedLinkField(serializers.HyperlinkedRelatedField):
    """HyperlinkedRelatedField for pk lookups, reversing once per request."""

    def get_url(self, obj, view_name, request, format):
        return _templated_url(self, view_name, obj.pk, request, format) or super().get_url(obj, view_name, request, format)


@extend_schema_field(OpenApiTypes.STR)
class MethodValueField(serializers.ReadOnlyField):
    """The value of a no-argument model method (`display_name`, `get_kind_display`). A plain
    `source="method"` makes DRF inspect the method's signature for every row."""

    def __init__(self, method, **kwargs):
        self.method_name = method
        super().__init__(source="*", **kwargs)

    def to_representation(self, obj):
        return str(getattr(obj, self.method_name)())


class SourceSummarySerializer(serializers.ModelSerializer):
    url = LinkField(view_name="api:source-detail")
    link = serializers.URLField(source="url", help_text=_("Where the source is published."))

    class Meta:
        model = Source
        fields = ["id", "url", "title", "publisher", "published_on", "link"]


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class WebPageField(serializers.Field):
    """The record's page on the public site, as an absolute address."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("help_text", _("The record's page on the public site."))
        super().__init__(**kwargs)

    def to_representation(self, obj):
        path = obj.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


@extend_schema_field({"type": "string", "format": "uri", "nullable": True})
class PublicLinkField(RelatedLinkField):
    """A link to a related record, or null when that record is not published.

    Reads the related object: select_related it.
    """

    def __init__(self, view_name, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(view_name, **kwargs)

    def use_pk_only_optimization(self):
        return False  # the related object itself is needed to see whether it is published

    def get_attribute(self, instance):
        related = super().get_attribute(instance)
        if related is not None and not related.is_published():
            return None
        return related


@extend_schema_field({"type": "string", "format": "uri"})
class FilteredListLinkField(serializers.Field):
    """A link to a list endpoint filtered on this record: `/api/v1/agreements/?twinning=7`."""

    def __init__(self, view_name, parameter, **kwargs):
        self.view_name, self.parameter = view_name, parameter
        kwargs.setdefault("source", "pk")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, pk):
        request = self.context.get("request")
        if request is None:
            return f"{reverse(self.view_name)}?{self.parameter}={pk}"
        lists = request.__dict__.setdefault("_api_list_urls", {})
        if self.view_name not in lists:
            lists[self.view_name] = request.build_absolute_uri(reverse(self.view_name))
        return f"{lists[self.view_name]}?{self.parameter}={pk}"


class RecordSerializer(serializers.ModelSerializer):
    """Fields of every published record; subclasses list them in Meta.fields."""

    web_url = WebPageField()
    sources = SourceSummarySerializer(many=True, read_only=True)

    record_fields = ["version", "published_at", "updated_at", "sources"]


@extend_schema_field(OpenApiTypes.STR)
class CountryNameField(serializers.Field):
    """The country's name in the language of the request, read from `<source>.name`."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, country):
        return str(country.name)


@extend_schema_field({"type": "string", "pattern": ISO_PATTERN, "example": "2015-09", "nullable": True})
class PartialDateSerializerField(serializers.CharField):
    """A partial date: "2015", "2015-09" or "2015-09-24" (also "24.09.2015" on input)."""

    def __init__(self, **kwargs):
        kwargs.pop("max_length", None)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        try:
            return PartialDate.parse(text).isoformat()
        except ValueError:
            raise serializers.ValidationError(
                _("Enter a year (2015), a month (2015-09) or a date (2015-09-24 or 24.09.2015).")
            ) from None

    def to_representation(self, value):
        return PartialDate.parse(value).isoformat()


class PartialDateInputMixin:
    """ModelSerializer mixin: partial-date model fields are checked as such on input."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        PartialDateField: PartialDateSerializerField,
    }


class StaffRecordSerializer(PartialDateInputMixin, serializers.ModelSerializer):
    """What press officers and registry editors see and send besides the public fields.

    Mixed in before a public serializer: `class TwinningStaffSerializer(StaffRecordSerializer,
    TwinningSerializer)`, its Meta.fields being the public ones plus `staff_fields` and the
    record's `<relation>_id` inputs.
    """

    publication = serializers.CharField(read_only=True, help_text=_("draft or published; see …/publish/."))
    version = VersionField(required=False)
    source_ids = serializers.PrimaryKeyRelatedField(
        source="sources",
        queryset=Source.objects.all(),
        many=True,
        required=False,
        write_only=True,
        help_text=_("Ids of the sources the record cites (replaces the list)."),
    )

    staff_fields = ["publication", "source_ids"]


def id_input(queryset, source, *, required=True, help_text=None):
    """A write-only `<relation>_id` input naming a related record by id."""
    return serializers.PrimaryKeyRelatedField(
        queryset=queryset,
        source=source,
        write_only=True,
        required=required,
        allow_null=not required,
        help_text=help_text,
    )


def ids_input(queryset, source, *, help_text=None):
    """A write-only `<relation>_ids` input: the whole list of related records, by id."""
    return serializers.PrimaryKeyRelatedField(
        queryset=queryset, source=source, many=True, required=False, write_only=True, help_text=help_text
    )
