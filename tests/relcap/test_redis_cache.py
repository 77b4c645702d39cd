"""DJANGO_CACHE_URL=redis://…: the e-mail throttles count in Redis, shared by every server.

Needs Redis on 127.0.0.1:6379 (RELCAP_TEST_REDIS_URL): fails in CI without it, skipped
elsewhere, as the real-worker tests are. Each run uses a key prefix of its own.
"""

import os
import uuid

import pytest
from django.core.cache import caches

from relcap.accounts.throttle import is_over_limit
from relcap.env import cache_config

REDIS_URL = os.environ.get("RELCAP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_cache(settings):
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as problem:
        message = f"Redis does not answer at {REDIS_URL} ({problem}); this test needs it"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    prefix = f"relcap-cache-test-{uuid.uuid4().hex}"
    settings.CACHES = {"default": cache_config(REDIS_URL) | {"KEY_PREFIX": prefix}}
    yield client, prefix
    caches["default"].close()
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)
    client.close()


def test_the_throttle_counts_in_redis_when_the_cache_url_says_so(redis_cache):
    client, prefix = redis_cache

    answers = [is_over_limit(scope="reset-email", key="ash@example.org", limit=2) for _ in range(4)]

    assert answers == [False, False, True, True]
    assert caches["default"].__class__.__name__ == "RedisCache"
    assert len(list(client.scan_iter(match=f"{prefix}*"))) == 1, "one counter, kept in Redis"
