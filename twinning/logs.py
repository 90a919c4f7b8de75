"""Structured logs: one JSON object per line, and one line per request.

Log shippers (journald, Loki, CloudWatch...) index JSON fields without parsing rules, so in
production every record, a request line or an error with its traceback, is a JSON object that
carries the id of the request it belongs to.
"""

import contextvars
import json
import logging
import time
import uuid
from datetime import UTC, datetime

request_logger = logging.getLogger("twinning.request")

# The id of the request being served, for every record logged while serving it.
_request_id = contextvars.ContextVar("request_id", default=None)

# Attributes every LogRecord has; anything else was passed in `extra=` and belongs in the output.
_STANDARD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "request"}


class RequestIdFilter(logging.Filter):
    """Stamp each record with the current request's id (None outside a request)."""

    def filter(self, record):
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """Render a record as one line of JSON: time, level, logger, message, extras, traceback."""

    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def _client_request_id(request):
    """A request id set by the load balancer, if it is a sane token; else a new one."""
    incoming = request.headers.get("X-Request-ID", "")
    if 0 < len(incoming) <= 64 and incoming.replace("-", "").isalnum():
        return incoming
    return uuid.uuid4().hex


class RequestLogMiddleware:
    """Log method, path, status and duration of every request; echo the id in X-Request-ID.

    First in MIDDLEWARE, so the duration covers the whole stack and redirects are logged too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = _client_request_id(request)
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            response["X-Request-ID"] = request_id
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "query": request.META.get("QUERY_STRING", ""),
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": _user_id(request),
                },
            )
            return response
        finally:
            _request_id.reset(token)


def _user_id(request):
    # Only when authentication middleware already resolved the user: never load a session just to log.
    user = getattr(request, "_cached_user", None)
    return user.pk if user is not None and user.is_authenticated else None
