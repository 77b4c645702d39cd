"""Invitation tokens: derived from the invitation's nonce with the secret key, used only for
invitations (their own salt), stored only as SHA-256, and refused after expiry or one answer."""

import hashlib
import uuid

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
