"""API endpoints of the lifecycle features: the change feed, expiring agreements, statistics
and the Wikidata P190 export. Registered in twinning/lifecycle_urls.py under /api/v1/."""

import datetime

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny

from twinning import changes


SINCE_HELP = _("Enter an ISO 8601 timestamp such as 2025-06-15T10:00:00Z.")


def parse_since(raw):
    """An ISO 8601 timestamp or date; without an offset it is read as UTC. 400 when malformed."""
    try:
        value = parse_datetime(raw)
        if value is None and (day := parse_date(raw)):
            value = datetime.datetime.combine(day, datetime.time())
    except ValueError:  # well-formed but impossible, such as month 13
        value = None
    if value is None:
        raise ValidationError({"since": [SINCE_HELP]})
    if timezone.is_naive(value):
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value


def parse_types(raw):
    types = [item.strip() for item in raw.split(",") if item.strip()]
    unknown = sorted(set(types) - set(changes.FEED_TYPES))
    if unknown:
        raise ValidationError(
            {"type": [_("Unknown type %(types)s; choose from %(choices)s.") % {
                "types": ", ".join(unknown), "choices": ", ".join(changes.FEED_TYPES)}]}
        )
    return tuple(types) or changes.FEED_TYPES


class ChangeSerializer(serializers.Serializer):
    """One published creation, change or deletion."""

    entry = serializers.SerializerMethodField(help_text=_("Stable id of this entry: type:history id."))
    at = serializers.DateTimeField(source="history_date", help_text=_("When the change was saved."))
    action = serializers.ChoiceField(choices=changes.ACTIONS)
    type = serializers.ChoiceField(source="record_type", choices=changes.FEED_TYPES)
    id = serializers.IntegerField(source="record_id", help_text=_("Id of the record (of the status change for status_change)."))
    twinning = serializers.IntegerField(source="twinning_pk", allow_null=True, help_text=_("The twinning concerned, if any."))
    title = serializers.CharField(source="label", allow_null=True)
    url = serializers.SerializerMethodField(help_text=_("The public page; answers 404 once the record is deleted."))

    def get_entry(self, row) -> str:
        return f"{row['record_type']}:{row['history_id']}"

    def get_url(self, row) -> str | None:
        path = changes.public_url(row)
        return self.context["request"].build_absolute_uri(path) if path else None


class ChangeListView(generics.ListAPIView):
    """Published creations, changes and deletions, oldest first.

    `since` (ISO 8601; UTC when no offset is given) keeps the changes saved strictly after it:
    poll with the `at` of the last entry you have. `type` narrows to record types
    (comma-separated). Drafts never appear; unpublishing a record is listed as its deletion.
    """

    serializer_class = ChangeSerializer
    permission_classes = [AllowAny]
    filter_backends = []

    def get_queryset(self):
        params = self.request.query_params
        since = parse_since(params["since"]) if params.get("since") else None
        return changes.changes(since=since, types=parse_types(params.get("type", "")))
