"""Growing delays between password checks for one account name, whatever address they come from.

django-axes counts failures per username *and* client address, so guesses spread over many
addresses all pass it. Here every check of a password for one name counts: the first
FREE_FAILURES are free, then the next check waits FIRST_DELAY, doubling with each further
failure up to LONGEST_DELAY. A right password clears the count, and a day without failures
forgets it. Delays never grow into a long lockout, and a browser that signed in to the account
before is not held back at sign-in (`device_is_known`), so a stranger's guessing cannot keep
the person out.

A check is counted *before* the password is compared, under a row lock, and forgiven when the
password was right: parallel guesses queue on the row instead of all passing one free check.
"""

import unicodedata
from datetime import datetime, timedelta
from math import ceil

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from relcap.accounts.models import PasswordThrottle

FREE_FAILURES = 5
FIRST_DELAY = timedelta(minutes=1)
LONGEST_DELAY = timedelta(minutes=15)
FAILURE_MEMORY = timedelta(days=1)
KEY_SALT = "relcap.accounts.delays"
DEVICE_COOKIE = "relcap_device"
DEVICE_COOKIE_AGE = timedelta(days=365)


def normalised_name(name: str) -> str:
    """The name as counted: Unicode NFKC, trimmed, case-folded (so River and RIVER share one
    count; an e-mail address typed in the username field counts under that address)."""
    return unicodedata.normalize("NFKC", name).strip().casefold()


def name_key(name: str) -> str:
    return salted_hmac(KEY_SALT, normalised_name(name), algorithm="sha256").hexdigest()


def delay_after(failures: int) -> timedelta:
    if failures < FREE_FAILURES:
        return timedelta(0)
    doublings = min(failures - FREE_FAILURES, 10)  # 2**10 minutes is far past the cap
    return min(FIRST_DELAY * 2**doublings, LONGEST_DELAY)


@transaction.atomic
def begin_check(*, name: str, exempt: bool = False, now: datetime | None = None) -> datetime | None:
    """Count one password check for `name` before it is made.

    Returns None when the check may go ahead (call `forgive` when the password was right), or
    the moment from which it may be tried again; a refused check is not counted. `exempt`
    skips the wait but still counts the check.
    """
    now = now or timezone.now()
    row, created = PasswordThrottle.objects.select_for_update().get_or_create(
        key=name_key(name), defaults={"last_failure_at": now}
    )
    if not created and now - row.last_failure_at > FAILURE_MEMORY:
        row.failures, row.retry_at = 0, None
    if row.retry_at is not None and now < row.retry_at and not exempt:
        return row.retry_at
    row.failures += 1
    row.last_failure_at = now
    delay = delay_after(row.failures)
    row.retry_at = now + delay if delay else None
    row.save()
    return None


def forgive(*names: str) -> None:
    """Clear the counts of these names: after a right password, or with a deleted account."""
    PasswordThrottle.objects.filter(key__in=[name_key(n) for n in names if n]).delete()


def delete_stale(*, now: datetime) -> int:
    deleted, _ = PasswordThrottle.objects.filter(last_failure_at__lt=now - FAILURE_MEMORY).delete()
    return deleted


def minutes_until(moment: datetime, now: datetime | None = None) -> int:
    """Whole minutes until `moment`, rounded up and at least 1, for "try again in N minutes"."""
    seconds = (moment - (now or timezone.now())).total_seconds()
    return max(1, ceil(seconds / 60))


def remember_device(response: HttpResponse, *, name: str) -> None:
    """Mark this browser as one that signed in as `name` (a signed keyed hash, not the name)."""
    response.set_signed_cookie(
        DEVICE_COOKIE,
        name_key(name),
        salt=KEY_SALT,
        max_age=int(DEVICE_COOKIE_AGE.total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def device_is_known(request: HttpRequest | None, *, name: str) -> bool:
    if request is None:
        return False
    remembered = request.get_signed_cookie(
        DEVICE_COOKIE, default=None, salt=KEY_SALT, max_age=DEVICE_COOKIE_AGE
    )
    return remembered == name_key(name)
