"""Serializer parts every record shares (see twinning/records.py): links, sources, publication."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from twinning.models import Source


class SourceSummarySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:source-detail")
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
class PublicLinkField(serializers.HyperlinkedRelatedField):
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
        path = f"{reverse(self.view_name)}?{self.parameter}={pk}"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


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
