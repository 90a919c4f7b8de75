"""What POST /api/v1/extract/ takes and returns."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from press_releases.extraction import MAX_TEXT_LENGTH


class ExtractRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=MAX_TEXT_LENGTH, help_text=_("The press release, Russian or English."))
    published_on = serializers.DateField(
        required=False, allow_null=True, help_text=_("Publication date: resolves \"yesterday\" and dates without a year.")
    )


class _MentionSerializer(serializers.Serializer):
    start = serializers.IntegerField(help_text=_("Offset of the first character in the text."))
    stop = serializers.IntegerField(help_text=_("Offset after the last character."))
    text = serializers.CharField()
    sentence = serializers.IntegerField(help_text=_("Index into `sentences`."))


class ExtractResponseSerializer(serializers.Serializer):
    """Documents the response for the schema; the view returns Proposals.as_dict() as is."""

    text = serializers.CharField()
    published_on = serializers.DateField(allow_null=True)
    language = serializers.CharField(help_text=_("ru or en, as detected."))
    sentences = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()), help_text=_("[start, stop] offsets of each sentence.")
    )
    cities = serializers.ListField(
        child=serializers.DictField(),
        help_text=_("key (city:<id> in the registry, geo:<GeoNames id> in the gazetteer), name, country, city_id, geonames_id, mentions."),
    )
    persons = serializers.ListField(child=serializers.DictField(), help_text=_("key, full_name, position, city (key), organisation (key), existing_id, mentions."))
    organisations = serializers.ListField(child=serializers.DictField(), help_text=_("key, name, kind, city (key), existing_id, mentions."))
    dates = serializers.ListField(child=serializers.DictField(), help_text=_("value and end as partial dates (2015, 2015-09, 2015-09-24), mention."))
    twinning = serializers.DictField(allow_null=True, help_text=_("city_a, city_b (keys), kind, established_on, existing_id, sentence."))
    agreements = serializers.ListField(child=serializers.DictField())
    delegations = serializers.ListField(child=serializers.DictField())
    events = serializers.ListField(child=serializers.DictField())
