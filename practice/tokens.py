"""Invitation tokens: derived from the invitation's nonce with the secret key, used only for
invitations (their own salt), stored only as SHA-256, and refused after expiry or one answer.
The switch-off link of a reminder to share is a signed, expiring token (nothing stored)."""

import hashlib
import uuid
from datetime import timedelta

from django.core import signing
from django.utils.crypto import salted_hmac

SALT = "relcap.practice.invitation"


def invitation_token(nonce: uuid.UUID) -> str:
    return salted_hmac(SALT, str(nonce), algorithm="sha256").hexdigest()[:43]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


ORGANISATION_SALT = "relcap.practice.organisation-invitation"


def organisation_invitation_token(nonce: uuid.UUID) -> str:
    """A practitioner's invitation into an organisation: its own salt, so neither token kind
    opens the other's page."""
    return salted_hmac(ORGANISATION_SALT, str(nonce), algorithm="sha256").hexdigest()[:43]


# The switch-off link in a reminder to share: signed (not stored), its own salt, expiring.
SHARE_REMINDERS_OFF_SALT = "relcap.practice.share-reminders-off"
SHARE_REMINDERS_OFF_MAX_AGE = timedelta(days=60)


def share_reminders_off_token(reminder_id: int) -> str:
    return signing.TimestampSigner(salt=SHARE_REMINDERS_OFF_SALT).sign(str(reminder_id))


def share_reminder_id(token: str) -> int | None:
    """The reminder id a switch-off token signs, or None when it is forged, tampered with,
    another purpose's or expired."""
    if not token or len(token) > 200:
        return None
    try:
        value = signing.TimestampSigner(salt=SHARE_REMINDERS_OFF_SALT).unsign(
            token, max_age=SHARE_REMINDERS_OFF_MAX_AGE
        )
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None
