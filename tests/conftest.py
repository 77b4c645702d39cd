"""Shared pytest fixtures for relcap."""

import pytest


@pytest.fixture(autouse=True)
def fast_password_hasher(settings) -> None:
    # Argon2 is deliberately slow; tests only need a hasher that works.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
