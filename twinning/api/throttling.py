"""Throttling for anonymous clients; a 429 body comes from errors.api_exception_handler."""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    """AnonRateThrottle that reads its rate when asked, not once at import time.

    The rate lives in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"] (API_ANON_RATE); the
    counter lives in the default cache, which every worker shares.
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
