"""Client addresses and simple cache-backed rate limits for the e-mail sending auth forms.

django-axes throttles sign-in; it does not cover forms that send e-mail (password reset,
sign-up), so those count requests here. The cache keys are hashes: no address or e-mail
is kept in the cache in clear text.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

HOUR = timedelta(hours=1)


def client_ip(request: HttpRequest) -> str:
    """The visitor's address: REMOTE_ADDR, or the X-Forwarded-For entry the last proxy added.

    RELCAP_TRUSTED_PROXY_COUNT says how many proxies we run in front of the app; entries
    further left were written by the client and could be forged, so they are never used.
    """
    proxies = settings.RELCAP_TRUSTED_PROXY_COUNT
    forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [p for p in forwarded if p]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def is_over_limit(*, scope: str, key: str, limit: int, window: timedelta = HOUR) -> bool:
    """Count one request for (scope, key); True once more than `limit` fell in the window."""
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()
    cache_key = f"relcap-throttle:{digest}"
    if cache.add(cache_key, 1, timeout=int(window.total_seconds())):
        return False
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=int(window.total_seconds()))
        return False
    return count > limit
