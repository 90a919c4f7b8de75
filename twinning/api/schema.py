"""OpenAPI details drf-spectacular cannot infer: error responses, GeoJSON and CSV bodies."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import SAFE_METHODS

from twinning.api.errors import ErrorSerializer
from twinning.permissions import IsPressOfficerForRecord

_POSITION = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}
GEOMETRY_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["Point", "LineString", "MultiLineString"]},
        "coordinates": {"type": "array", "items": {}, "description": "[longitude, latitude] positions (RFC 7946)."},
    },
    "required": ["type", "coordinates"],
}
FEATURE_COLLECTION_SCHEMA = {
    "type": "object",
    "description": "A GeoJSON FeatureCollection (RFC 7946).",
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "id": {"type": "integer"},
                    "geometry": GEOMETRY_SCHEMA,
                    "properties": {"type": "object", "additionalProperties": True},
                },
                "required": ["type", "geometry", "properties"],
            },
        },
    },
    "required": ["type", "features"],
}
GRAPH_SCHEMA = {
    "type": "object",
    "description": "The twinning network: cities are nodes, twinnings are edges (source and target are city ids).",
    "properties": {
        "nodes": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "slug": {"type": "string"},
                    "name": {"type": "string"},
                    "country": {"type": "string"},
                    "latitude": {"type": "number", "nullable": True},
                    "longitude": {"type": "number", "nullable": True},
                    "degree": {"type": "integer", "description": "Number of twinnings in this graph."},
                    "url": {"type": "string", "format": "uri"},
                },
            },
        },
        "edges": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "source": {"type": "integer"},
                    "target": {"type": "integer"},
                    "kind": {"type": "string"},
                    "established_on": {"type": "string", "nullable": True},
                    "status": {"type": "string"},
                    "url": {"type": "string", "format": "uri"},
                },
            },
        },
    },
    "required": ["nodes", "edges"],
}

ERROR_EXAMPLE = {
    "status": 400,
    "code": "invalid",
    "message": "established_year: Enter a whole number.",
    "errors": {"established_year": ["Enter a whole number."]},
}
_ERROR_DESCRIPTIONS = {
    "400": _("Invalid parameters or data; `errors` names each field."),
    "401": _("Authentication required (send `Authorization: Token <key>`)."),
    "403": _("Not allowed for this user or record."),
    "404": _("No such record (or page)."),
    "406": _("None of the accepted formats can be produced."),
    "409": _("The record changed since it was read (stale `version`)."),
    "429": _("Too many requests (or failed logins); see `retry_after`."),
}


class RegistryAutoSchema(AutoSchema):
    """Adds the common error responses and shows CSV bodies as text."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for response in responses.values():
            content = response.get("content", {})
            if "text/csv" in content:
                content["text/csv"] = {"schema": {"type": "string", "description": "CSV, UTF-8 with BOM."}}
        if direction == "response":
            for code in self._error_codes():
                if code not in responses:
                    responses[code] = self._get_response_for_code(
                        ErrorSerializer, code, media_types=["application/json"]
                    )
                    responses[code]["description"] = str(_ERROR_DESCRIPTIONS[code])
                    if code == "400":
                        responses[code]["content"]["application/json"]["example"] = ERROR_EXAMPLE
        return responses

    def get_auth(self):
        # Reading records and asking for a token need no credentials; spectacular only knows
        # that of DRF's own permission classes.
        auths = super().get_auth()
        permissions = self.view.get_permissions()
        reads = self.method in SAFE_METHODS and all(isinstance(p, IsPressOfficerForRecord) for p in permissions)
        if (not permissions or reads) and {} not in auths:
            auths.append({})
        return auths

    def _error_codes(self):
        # 401 on any method: a malformed or revoked token is refused even for reading.
        codes = ["400", "401", "404", "406", "429"]
        if self.method not in ("GET", "HEAD", "OPTIONS"):
            codes.append("403")
        if self.method in ("PUT", "PATCH", "POST", "DELETE"):
            codes.append("409")
        return codes
