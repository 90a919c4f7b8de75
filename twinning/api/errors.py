"""One JSON shape for every API error, whatever raised it.

    {"status": 400, "code": "invalid", "message": "…", "errors": {"city": ["…"]}}

`errors` maps field names (or "non_field_errors") to messages; it is empty for errors that
concern the whole request (404, 403, 429…). A throttled answer adds `retry_after` in seconds.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

NON_FIELD_ERRORS = api_settings.NON_FIELD_ERRORS_KEY


class Conflict(exceptions.APIException):
    """The record changed since the client read it (optimistic locking on `version`)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This record was changed by someone else since you read it. Reload it and apply your change again.")
    default_code = "conflict"


class LockedOut(exceptions.APIException):
    """django-axes refused the login after repeated failures."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = _("Too many failed login attempts. The account is locked for this address; try again later.")
    default_code = "locked_out"


class ErrorSerializer(serializers.Serializer):
    """The body of every error response (for the schema)."""

    status = serializers.IntegerField(help_text=_("The HTTP status code, repeated."))
    code = serializers.CharField(help_text=_("A stable machine-readable code: invalid, not_found, throttled, conflict…"))
    message = serializers.CharField(help_text=_("What went wrong, in the language of the request."))
    errors = serializers.DictField(
        child=serializers.JSONField(),
        help_text=_("Messages per field; \"non_field_errors\" for the request as a whole."),
    )
    retry_after = serializers.IntegerField(required=False, help_text=_("Seconds to wait (429 only)."))
    current_version = serializers.IntegerField(required=False, help_text=_("The record's version now (409 only)."))
    existing = serializers.URLField(required=False, help_text=_("The twinning a duplicate would repeat."))


def api_exception_handler(exc, context):
    from twinning.services import StaleVersion
    from twinning.validators import DuplicateTwinning

    request = context.get("request")
    extra = {}
    if isinstance(exc, StaleVersion):
        message = " ".join(exc.messages)
        extra = {"errors": {"version": [message]}, "current_version": exc.current_version}
        exc = Conflict(message, code="stale_version")
    elif isinstance(exc, DuplicateTwinning):
        # The validator's message links to the admin; an API client wants the API address.
        url = reverse("api:twinning-detail", args=[exc.existing.pk])
        url = request.build_absolute_uri(url) if request is not None else url
        exc = exceptions.ValidationError(
            {"city_b": [_("These two cities are already twinned (in either order): %(url)s") % {"url": url}]}
        )
        extra = {"existing": url}
    elif isinstance(exc, DjangoValidationError):
        # Model.clean() and validators.py speak Django; answer as DRF would.
        exc = exceptions.ValidationError(_django_validation_detail(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a real bug: let Django answer 500 and log it
    request = context.get("request")
    if request is not None and getattr(getattr(request, "accepted_renderer", None), "format", None) not in ("json", "api"):
        # A CSV, GeoJSON or calendar client (or one asking for an unknown format) still gets a
        # readable JSON error.
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = JSONRenderer.media_type
    response.data = {**error_body(exc, response.status_code), **extra}
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        response.data["retry_after"] = int(exc.wait + 0.999)
        response["Retry-After"] = str(response.data["retry_after"])
    return response


def error_body(exc, status_code):
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        errors = detail if isinstance(detail, dict) else {NON_FIELD_ERRORS: detail if isinstance(detail, list) else [detail]}
        return {
            "status": status_code,
            "code": "invalid",
            "message": str(_first_message(errors) or _("Invalid input.")),
            "errors": errors,
        }
    if isinstance(exc, Http404):
        code, message = "not_found", exceptions.NotFound.default_detail
    elif isinstance(exc, DjangoPermissionDenied):
        code, message = "permission_denied", (str(exc) or exceptions.PermissionDenied.default_detail)
    else:
        detail = getattr(exc, "detail", "")
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        message = detail if isinstance(detail, str) else getattr(exc, "default_detail", "")
    return {"status": status_code, "code": code, "message": str(message), "errors": {}}


def _first_message(errors):
    """The first message found, so that `message` alone says something useful."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            found = _first_message(value)
            if found:
                return found if key == NON_FIELD_ERRORS else f"{key}: {found}"
    elif isinstance(errors, list):
        for value in errors:
            found = _first_message(value)
            if found:
                return found
    elif errors:
        return str(errors)
    return None


def _django_validation_detail(error):
    if hasattr(error, "error_dict"):
        return {
            (NON_FIELD_ERRORS if field == "__all__" else field): [str(message) for message in messages]
            for field, messages in error.message_dict.items()
        }
    return {NON_FIELD_ERRORS: [str(message) for message in error.messages]}
