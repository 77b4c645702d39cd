"""The e-mail throttles count per hour on the default (database) cache as well.

Django's database cache increments with a get and a set(), and that set() gives the entry the
cache's default timeout again; at Django's 300 s a reset requested every 6 minutes would never
reach the hourly limit of 3. relcap's cache keeps the default at the throttles' hour.
"""

from datetime import UTC, timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from relcap.accounts.throttle import is_over_limit

pytestmark = pytest.mark.django_db


def expiries() -> list:
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM relcap_cache WHERE cache_key LIKE %s", ["%throttle%"])
        return [row[0] for row in cursor.fetchall()]


def test_a_counted_request_keeps_its_count_for_the_hour_on_the_database_cache():
    assert caches["default"].__class__.__name__ == "DatabaseCache"
    before = timezone.now()

    for _ in range(3):  # the first one adds the entry, the next two increment it
        is_over_limit(scope="reset-email", key="ash@example.org", limit=3)

    (expires,) = expiries()
    if timezone.is_naive(expires):  # SQLite returns the stored UTC time without a zone
        expires = expires.replace(tzinfo=UTC)
    assert expires >= before + timedelta(minutes=59)
