"""The client address behind proxies (relcap.accounts.throttle.client_ip, via django-ipware).

The trust rule: with N proxies configured, only the N-th X-Forwarded-For entry from the right
is believed (the one our first proxy wrote); anything further left came from the client.
"""

import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory

from relcap.accounts.throttle import client_ip

REMOTE = "10.0.0.1"  # the nearest proxy, or the visitor when there is none


def request_with(forwarded: str | None):
    meta = {"REMOTE_ADDR": REMOTE}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        # No proxy configured: the header is the client's own words and is ignored.
        (0, None, REMOTE),
        (0, "203.0.113.5", REMOTE),
        (0, "198.51.100.7, 203.0.113.5", REMOTE),
        # One proxy: it appended the address it saw, the right-most entry.
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.7, 203.0.113.5", "203.0.113.5"),  # the left entry is forged
        (1, " 198.51.100.7 ,, 203.0.113.5 ", "203.0.113.5"),  # blanks and empties skipped
        (1, "192.168.4.9", "192.168.4.9"),  # a private client address is still the client
        (1, "2001:db8::7", "2001:db8::7"),
        (1, None, REMOTE),  # a request that did not pass the proxy
        (1, "", REMOTE),
        # Two proxies: the first wrote the client, the second wrote the first proxy.
        (2, "203.0.113.5, 172.16.0.2", "203.0.113.5"),
        (2, "198.51.100.7, 203.0.113.5, 172.16.0.2", "203.0.113.5"),
        (2, "203.0.113.5", REMOTE),  # shorter than the proxy count: not trusted
        (2, "not-an-address, 172.16.0.2", REMOTE),  # the client's slot holds no address
    ],
)
def test_only_the_entry_our_first_proxy_wrote_is_trusted(settings, proxies, forwarded, expected):
    settings.RELCAP_TRUSTED_PROXY_COUNT = proxies

    assert client_ip(request_with(forwarded)) == expected


def test_django_axes_uses_the_same_address_for_lockouts(settings):
    settings.RELCAP_TRUSTED_PROXY_COUNT = 1
    request = request_with("198.51.100.7, 203.0.113.5")

    assert settings.AXES_CLIENT_IP_CALLABLE == "relcap.accounts.throttle.client_ip"
    assert get_client_ip_address(request) == "203.0.113.5"
