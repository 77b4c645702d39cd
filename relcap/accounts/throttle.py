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
from ipware import get_client_ip

HOUR = timedelta(hours=1)


def client_ip(request: HttpRequest) -> str:
    """The visitor's address: REMOTE_ADDR, or the X-Forwarded-For entry the first proxy added.

    RELCAP_TRUSTED_PROXY_COUNT says how many proxies we run in front of the app. With N of
    them the right-most N entries of X-Forwarded-For are theirs and the client address is
    the N-th from the right; entries further left were written by the client and could be
    forged, so they are never used. django-ipware parses the header (ports, IPv6, RFC 7239
    tokens; entries that are not addresses are skipped); when the header is shorter than N
    or holds no usable address there, REMOTE_ADDR is used. django-axes calls this function
    too (AXES_CLIENT_IP_CALLABLE), so sign-in lockouts and the e-mail throttles agree.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.RELCAP_TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    # ipware's proxy_count counts the proxy addresses to the right of the client's entry:
    # the nearest of our N proxies is REMOTE_ADDR and is not in the header.
    address, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=proxies - 1,
        request_header_order=("HTTP_X_FORWARDED_FOR",),
        strict=False,  # at least N entries, not exactly N: clients may add their own
    )
    return address or remote


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
