"""Failed password checks per account name (behind the growing delays of accounts/delays.py),
and the interface language a person chose."""

from django.conf import settings
from django.db import models


class PasswordThrottle(models.Model):
    """Password checks that failed for one account name, from any address, and when the next
    check may run. `key` is a keyed hash of the normalised name as typed, whether or not an
    account has that name, so the table names no one and tells nothing about who has one."""

    key = models.CharField(max_length=64, unique=True)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField()
    retry_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.failures} failed password checks"


class LanguageChoice(models.Model):
    """The interface language a signed-in person chose in the switcher, applied when they sign
    in on any device (relcap/accounts/language.py). Without a row, the browser's choice holds."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language_choice"
    )
    language = models.CharField(max_length=15)
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.language
