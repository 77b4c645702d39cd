"""Strict helpers that read relcap's configuration from environment variables."""

import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})
POSTGRES_SCHEMES = ("postgres://", "postgresql://")
SQLITE_SCHEME = "sqlite://"


def env_bool(raw: str | None, *, default: bool, name: str = "value") -> bool:
    """Parse a true/false spelling; anything else is a configuration error, not a silent False."""
    if raw is None or raw.strip() == "":
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(raw: str | None, *, default: list[str]) -> list[str]:
    if raw is None or raw.strip() == "":
        return list(default)
    return [part.strip() for part in raw.split(",") if part.strip()]


def database_config(url: str | None, sqlite_path: Path) -> dict[str, Any]:
    """The database of DATABASE_URL, parsed by dj-database-url: SQLite at `sqlite_path` when
    the URL is empty, PostgreSQL for postgres:// URLs, SQLite for sqlite:///path URLs (four
    slashes for an absolute path), and an error for anything else.

    Any SQLite database is tuned for concurrent writers: every transaction starts IMMEDIATE
    (takes the write lock up front instead of failing on upgrade), waits up to 20 s for a busy
    lock, and runs in WAL mode so readers never block the writer. PostgreSQL keeps connections
    open for a minute and checks them before reuse, so a database restart heals without a
    failed request.
    """
    if not url or not url.strip():
        return sqlite_config(sqlite_path)
    url = url.strip()
    if url.startswith(SQLITE_SCHEME):
        return sqlite_config(dj_database_url.parse(url)["NAME"])
    if not url.startswith(POSTGRES_SCHEMES):
        scheme = url.split(":", 1)[0]
        raise ImproperlyConfigured(
            f"DATABASE_URL must be a postgres:// or sqlite:/// URL, not {scheme}://…"
        )
    return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)


def sqlite_config(name: Path | str) -> dict[str, Any]:
    """Django's settings for the SQLite file `name` (or ":memory:"), tuned as described above."""
    in_memory = str(name) == ":memory:"
    config: dict[str, Any] = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": name if in_memory else Path(name),
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON"
            ),
        },
    }
    if not in_memory:
        # A file, not the in-memory default, so tests see the same locking as production.
        # Named per process so that two test runs on one machine never share a file.
        path = Path(name)
        config["TEST"] = {"NAME": path.with_name(f"test_{os.getpid()}_{path.name}")}
    return config


EMAIL_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "discard": "django.core.mail.backends.dummy.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}
NO_MAIL_IN_PRODUCTION = (
    "relcap needs a way to send e-mail when DJANGO_DEBUG is off: set DJANGO_EMAIL_HOST to send "
    "through SMTP, or choose DJANGO_EMAIL_BACKEND=file (with DJANGO_EMAIL_FILE_PATH) or "
    "DJANGO_EMAIL_BACKEND=discard. E-mails carry activation and password reset links, so they "
    "are never printed to the log."
)


def email_backend(choice: str | None, *, host: str, file_path: str, debug: bool) -> str:
    """The dotted path of Django's mail backend for DJANGO_EMAIL_BACKEND and DJANGO_EMAIL_HOST.

    Unset, it is SMTP when a host is given, the console while DEBUG is on, and an error
    otherwise: the console backend prints each mail, sign-in links included, to stdout, which
    is the production log. Every explicit choice must be coherent with the other variables.
    """
    name = (choice or "").strip().lower() or ("smtp" if host else "console" if debug else "")
    if not name:
        raise ImproperlyConfigured(NO_MAIL_IN_PRODUCTION)
    if name not in EMAIL_BACKENDS:
        choices = ", ".join(EMAIL_BACKENDS)
        raise ImproperlyConfigured(f"DJANGO_EMAIL_BACKEND must be one of {choices}, not {choice!r}")
    if name == "smtp" and not host:
        raise ImproperlyConfigured("DJANGO_EMAIL_BACKEND=smtp needs DJANGO_EMAIL_HOST.")
    if name != "smtp" and host:
        raise ImproperlyConfigured(
            f"DJANGO_EMAIL_HOST is set but DJANGO_EMAIL_BACKEND={name} would not use it: "
            "set DJANGO_EMAIL_BACKEND=smtp, or leave it unset."
        )
    if name == "file" and not file_path:
        raise ImproperlyConfigured("DJANGO_EMAIL_BACKEND=file needs DJANGO_EMAIL_FILE_PATH.")
    if name == "console" and not debug:
        raise ImproperlyConfigured(
            "DJANGO_EMAIL_BACKEND=console prints every e-mail, sign-in links included, to the "
            "log: it is refused when DJANGO_DEBUG is off. " + NO_MAIL_IN_PRODUCTION
        )
    return EMAIL_BACKENDS[name]
