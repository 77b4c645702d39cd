"""Settings start only when they are safe; checked in a fresh interpreter each time."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def import_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import relcap.settings as s; "
            "print(s.DEBUG, getattr(s, 'SECURE_HSTS_SECONDS', 0), s.EMAIL_BACKEND)",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_settings_refuse_to_start_without_secret_key_when_debug_is_off():
    result = import_settings(DJANGO_DEBUG="false")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_settings_start_with_secret_key_and_smtp_host_when_debug_is_off():
    result = import_settings(
        DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 60, DJANGO_EMAIL_HOST="smtp.example.org"
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False", "31536000", "django.core.mail.backends.smtp.EmailBackend"
    ]  # fmt: skip


def test_settings_refuse_to_start_without_mail_configuration_when_debug_is_off():
    result = import_settings(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 60)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "set DJANGO_EMAIL_HOST" in result.stderr
    assert "never printed to the log" in result.stderr


def test_settings_refuse_the_console_mail_backend_when_debug_is_off():
    result = import_settings(
        DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 60, DJANGO_EMAIL_BACKEND="console"
    )

    assert result.returncode != 0
    assert "refused when DJANGO_DEBUG is off" in result.stderr


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({"DJANGO_EMAIL_BACKEND": "discard"}, "django.core.mail.backends.dummy.EmailBackend"),
        (
            {"DJANGO_EMAIL_BACKEND": "file", "DJANGO_EMAIL_FILE_PATH": "/tmp/relcap-mail"},
            "django.core.mail.backends.filebased.EmailBackend",
        ),
    ],
)
def test_settings_start_with_a_deliberate_mail_backend_when_debug_is_off(env, backend):
    result = import_settings(DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 60, **env)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == backend


def test_settings_print_mail_to_the_console_only_while_debug_is_on():
    result = import_settings(DJANGO_DEBUG="true")

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-1] == "django.core.mail.backends.console.EmailBackend"


def test_settings_reject_a_misspelt_debug_flag():
    result = import_settings(DJANGO_DEBUG="ture")

    assert result.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in result.stderr


def test_deploy_checks_pass_with_production_settings():
    env = {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "relcap.example.org",
        "DJANGO_EMAIL_HOST": "smtp.example.org",
    }
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


def database_setting(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; import django; django.setup(); "
            "from django.db import connection; "
            "print(settings.DATABASES['default']['DISABLE_SERVER_SIDE_CURSORS'], "
            "connection.settings_dict['DISABLE_SERVER_SIDE_CURSORS'])",
        ],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "relcap.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(("raw", "expected"), [("true", "True"), ("0", "False"), ("", "False")])
def test_disable_server_side_cursors_reaches_the_postgresql_connection(raw, expected):
    """PgBouncer in transaction pooling mode needs it (docs/scaling.md)."""
    result = database_setting(
        DATABASE_URL="postgres://relcap@db.internal:5432/relcap",
        DJANGO_DISABLE_SERVER_SIDE_CURSORS=raw,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [expected, expected]


def test_disable_server_side_cursors_is_refused_without_postgresql():
    result = database_setting(DJANGO_DISABLE_SERVER_SIDE_CURSORS="true")

    assert result.returncode != 0
    assert "PostgreSQL only" in result.stderr


def test_disable_server_side_cursors_rejects_a_misspelt_flag():
    result = database_setting(
        DATABASE_URL="postgres://relcap@db.internal:5432/relcap",
        DJANGO_DISABLE_SERVER_SIDE_CURSORS="maybe",
    )

    assert result.returncode != 0
    assert "DJANGO_DISABLE_SERVER_SIDE_CURSORS must be true or false" in result.stderr


def test_cache_url_reaches_the_cache_setting():
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    result = subprocess.run(
        [sys.executable, "-c", "import relcap.settings as s; print(s.CACHES['default'])"],
        cwd=ROOT,
        env={**clean, "DJANGO_CACHE_URL": "redis://cache.internal:6379/3"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "RedisCache" in result.stdout
    assert "redis://cache.internal:6379/3" in result.stdout
