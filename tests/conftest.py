"""Shared pytest fixtures for relcap."""

import pytest


@pytest.fixture(autouse=True)
def fast_password_hasher(settings) -> None:
    # Argon2 is deliberately slow; tests only need a hasher that works.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def task_settings(settings, tmp_path_factory) -> None:
    # A task that breaks fails its test (in production an inline failure is only logged), and
    # stored PDFs go to a folder of this test's own.
    settings.RELCAP_INLINE_TASKS_RAISE = True
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def fresh_content_caches():
    # Published specs and copy texts are cached per process; ids and version names are reused
    # across rolled-back tests, so each test starts with empty caches.
    from assessments import queries

    queries._frozen_specs.clear()
    queries._frozen_copies.clear()
    yield
    queries._frozen_specs.clear()
    queries._frozen_copies.clear()
