"""Shared pytest fixtures for relcap."""

import pytest
from django.db import connections
from pytest_django.plugin import blocking_manager_key


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    # pytest-django flushes the database after a transactional test, which also drops the rows
    # the data migrations made (instrument 1.0, report copy). Load them again, so whatever runs
    # next (the browser and real-worker tests rely on it) sees a migrated database.
    result = yield
    if nextitem is None or not is_transactional(item):
        return result  # rolled back, or the last test: the test database is gone already
    from django.contrib.contenttypes.models import ContentType

    marker = item.get_closest_marker("django_db")
    with item.config.stash[blocking_manager_key].unblock():
        for connection in connections.all(initialized_only=True):
            contents = getattr(connection, "_test_serialized_contents", None)
            if not contents:
                continue
            if not (marker and marker.kwargs.get("serialized_rollback")):
                # Without serialized_rollback the flush re-ran post_migrate, which made content
                # types and permissions anew under other ids than the saved ones.
                ContentType.objects.using(connection.alias).all().delete()
            connection.creation.deserialize_db_from_string(contents)
    ContentType.objects.clear_cache()
    return result


def is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(
        (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    )


@pytest.fixture(autouse=True)
def fast_password_hasher(settings) -> None:
    # Argon2 is deliberately slow; tests only need a hasher that works.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def task_settings(settings, tmp_path_factory) -> None:
    # Tasks run inline (a CELERY_BROKER_URL in the shell must not send them anywhere; the
    # real-worker tests set their own), a task that breaks fails its test (in production an
    # inline failure is only logged), and stored PDFs go to a folder of this test's own.
    settings.CELERY_BROKER_URL = ""
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
