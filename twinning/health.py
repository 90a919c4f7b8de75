"""The health endpoint a load balancer polls: 200 when this app server can reach its databases.

It checks every configured database (the primary and, when set, the read replica) with a
trivial query, so a worker that lost its connection reports 503 and is taken out of rotation
until CONN_HEALTH_CHECKS has reconnected it.
"""

import logging

from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def _check_database(alias):
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.warning("health check: database %s unreachable: %s", alias, error)
        # Don't keep a broken connection for the next request of this worker.
        connections[alias].close_if_unusable_or_obsolete()
        return "unavailable"
    return "ok"


@never_cache
def health(request):
    checks = {alias: _check_database(alias) for alias in connections}
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse({"status": "ok" if healthy else "unavailable", "databases": checks}, status=200 if healthy else 503)
