"""Tests for the environment helpers behind settings.py."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from relcap.env import database_config, email_backend, env_bool, env_list


@pytest.mark.parametrize("raw", ["true", "TRUE", "1", "yes", "on", " True "])
def test_env_bool_true_spellings_are_true(raw):
    assert env_bool(raw, default=False) is True


@pytest.mark.parametrize("raw", ["false", "0", "no", "off", "False"])
def test_env_bool_false_spellings_are_false(raw):
    assert env_bool(raw, default=True) is False


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_env_bool_unset_gives_default(raw):
    assert env_bool(raw, default=True) is True


def test_env_bool_other_words_are_rejected():
    with pytest.raises(ImproperlyConfigured, match="true or false"):
        env_bool("maybe", default=True, name="DJANGO_DEBUG")


def test_env_list_splits_on_commas_and_trims():
    assert env_list(" a.example , b.example,, ", default=[]) == ["a.example", "b.example"]


def test_database_config_without_url_is_sqlite_safe_for_concurrent_writers(tmp_path: Path):
    config = database_config("", tmp_path / "db.sqlite3")

    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_database_config_postgres_url_keeps_healthy_persistent_connections(tmp_path: Path):
    config = database_config("postgres://me:secret@db.internal:5432/relcap", tmp_path / "x")

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5432, "relcap")
    assert config["CONN_MAX_AGE"] > 0
    assert config["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("sqlite:////srv/relcap/data.sqlite3", Path("/srv/relcap/data.sqlite3")),
        ("sqlite:///relative/db.sqlite3", Path("relative/db.sqlite3")),
        (" sqlite:////srv/relcap/data.sqlite3 ", Path("/srv/relcap/data.sqlite3")),
    ],
)
def test_database_config_sqlite_url_is_the_same_tuned_sqlite_at_that_path(url, name):
    default = database_config("", name)

    config = database_config(url, Path("/elsewhere/unused.sqlite3"))

    assert config == default  # same engine, options (IMMEDIATE, timeout, WAL) and test file
    assert config["NAME"] == name
    assert config["TEST"]["NAME"].parent == name.parent


def test_database_config_in_memory_sqlite_url_keeps_the_tuning_without_a_test_file(
    tmp_path: Path,
):
    config = database_config("sqlite://:memory:", tmp_path / "x")

    assert (config["ENGINE"], config["NAME"]) == ("django.db.backends.sqlite3", ":memory:")
    assert config["OPTIONS"] == database_config("", tmp_path / "x")["OPTIONS"]
    assert "TEST" not in config


def test_database_config_sqlite_url_opens_a_working_tuned_database(
    tmp_path: Path, django_db_blocker
):
    """Django connects with these settings: the file is made, in WAL mode, with a busy wait."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    path = tmp_path / "by-url.sqlite3"
    settings = {
        **database_config(f"sqlite:///{path}", tmp_path / "unused"),
        "TIME_ZONE": None,
        "CONN_MAX_AGE": 0,
        "CONN_HEALTH_CHECKS": False,
        "AUTOCOMMIT": True,
        "ATOMIC_REQUESTS": False,
    }
    connection = DatabaseWrapper(settings)
    with django_db_blocker.unblock():
        try:
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode")
                journal = cursor.fetchone()[0]
                cursor.execute("PRAGMA busy_timeout")
                busy = cursor.fetchone()[0]
        finally:
            connection.close()

    assert path.exists()
    assert (journal, busy) == ("wal", 20_000)


def test_database_config_other_schemes_are_rejected(tmp_path: Path):
    with pytest.raises(ImproperlyConfigured, match="postgres://"):
        database_config("mysql://root@localhost/relcap", tmp_path / "x")


@pytest.mark.parametrize(
    ("choice", "host", "file_path", "debug", "expected"),
    [
        (None, "smtp.example.org", "", False, "smtp"),
        ("", "", "", True, "console"),
        ("SMTP", "smtp.example.org", "", False, "smtp"),
        ("file", "", "/var/mail/relcap", False, "filebased"),
        (" discard ", "", "", False, "dummy"),
        ("console", "", "", True, "console"),
    ],
)
def test_email_backend_accepts_coherent_choices(choice, host, file_path, debug, expected):
    backend = email_backend(choice, host=host, file_path=file_path, debug=debug)

    assert backend == f"django.core.mail.backends.{expected}.EmailBackend"


@pytest.mark.parametrize(
    ("choice", "host", "file_path", "message"),
    [
        (None, "", "", "set DJANGO_EMAIL_HOST"),
        ("console", "", "", "refused when DJANGO_DEBUG is off"),
        ("smtp", "", "", "needs DJANGO_EMAIL_HOST"),
        ("file", "", "", "needs DJANGO_EMAIL_FILE_PATH"),
        ("discard", "smtp.example.org", "", "would not use it"),
        ("pigeon", "", "", "must be one of smtp, file, discard, console"),
    ],
)
def test_email_backend_refuses_what_would_log_or_lose_mail(choice, host, file_path, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        email_backend(choice, host=host, file_path=file_path, debug=False)
