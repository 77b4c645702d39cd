"""Shared pytest fixtures for relcap."""

import pytest
from django.db import connections
from pytest_django.plugin import blocking_manager_key


def pytest_configure(config: pytest.Config) -> None:
    # `make test` compiles the interface translations first (make compilemessages); this does
    # the same for a bare `pytest`, so that the German pages are never silently English.
    compile_translations()


def compile_translations() -> None:
    import os
    import subprocess
    import tempfile
    from pathlib import Path

    for po in (Path(__file__).resolve().parent.parent / "locale").glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        # Written aside and moved into place: pytest-xdist workers may do this at once.
        handle, partial = tempfile.mkstemp(dir=po.parent, suffix=".mo-partial")
        os.close(handle)
        subprocess.run(["msgfmt", "--check", "-o", partial, str(po)], check=True)
        os.replace(partial, mo)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # A transactional test without serialized_rollback would leave the database without the
    # data migrations' rows (instrument 1.0, report copy) for every test after it.
    bare = [
        item.nodeid
        for item in items
        if (marker := item.get_closest_marker("django_db")) is not None
        and marker.kwargs.get("transaction")
        and not marker.kwargs.get("serialized_rollback")
    ]
    if bare:
        raise pytest.UsageError(
            "use tests.db.TRANSACTIONAL_DB instead of django_db(transaction=True): "
            + ", ".join(bare)
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    # pytest-django flushes the database after a transactional test (tests/db.py), which also
    # drops the rows the data migrations made. Load them again so that whatever runs next sees
    # a migrated database.
    result = yield
    marker = item.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("serialized_rollback"):
        return result  # a rolled-back test leaves the migrated rows as they were
    if nextitem is None:  # the last test: the test database is already gone
        return result
    with item.config.stash[blocking_manager_key].unblock():
        for connection in connections.all(initialized_only=True):
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)
    return result


@pytest.fixture(autouse=True)
def default_language_after_each_test():
    # A request leaves its language active in the thread (LocaleMiddleware activates, nothing
    # deactivates): a German page must not make the next test's e-mails German.
    yield
    from django.utils import translation

    translation.deactivate()


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
    from profiles import copy_preview, copy_samples
    from profiles.forms import clear_statement_cache

    def clear() -> None:
        queries.clear_caches()
        clear_statement_cache()
        copy_samples.clear_cache()
        copy_preview.clear_cache()

    clear()
    yield
    clear()


@pytest.fixture(scope="session")
def pseudo_catalogue(tmp_path_factory):
    """The pseudo locales' catalogues (tests/i18n/pseudo.py), made once per test run."""
    from tests.i18n.pseudo import build

    root = tmp_path_factory.mktemp("pseudo-locale")
    return root, build(root)


@pytest.fixture
def pseudo_locales(settings, pseudo_catalogue):
    """Both pseudo locales offered, their catalogues first in LOCALE_PATHS; their msgids."""
    from tests.i18n.pseudo import PSEUDO, PSEUDO_RTL

    root, entries = pseudo_catalogue
    settings.LOCALE_PATHS = [root, *settings.LOCALE_PATHS]
    settings.LANGUAGES = [
        *settings.LANGUAGES,
        (PSEUDO, "Pseudo (accented)"),
        (PSEUDO_RTL, "Pseudo (right to left)"),
    ]
    return entries
