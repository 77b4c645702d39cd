"""Django settings for relcap, read from environment variables (see the README's table)."""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import bootstrap_wrapper
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from relcap.env import cache_config, database_config, email_backend, env_bool, env_list

BASE_DIR = Path(__file__).resolve().parent.parent
DEV_ONLY_KEY = "dev-only-insecure-key-never-used-when-debug-is-off"

DEBUG = env_bool(os.environ.get("DJANGO_DEBUG"), default=True, name="DJANGO_DEBUG")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or (DEV_ONLY_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY: it is required when DJANGO_DEBUG is off.")

ALLOWED_HOSTS = env_list(
    os.environ.get("DJANGO_ALLOWED_HOSTS"), default=["localhost", "127.0.0.1", "[::1]"]
)
CSRF_TRUSTED_ORIGINS = env_list(os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS"), default=[])

INSTALLED_APPS = [
    "relcap.apps.RelcapAdminConfig",  # django.contrib.admin with relcap's admin site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "relcap.accounts",
    "relcap.jobs",
    "assessments",
    "profiles",
    "analysis",
    "practice",
    "moments",
]

MIDDLEWARE = [
    # Outermost, so that it sees the response that is really sent (relcap/jobs/middleware.py).
    "relcap.jobs.middleware.TasksAfterResponseMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, so static files keep their long caching; every page gets no-store.
    "relcap.middleware.PrivacyHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The interface language: the language cookie (set by the switcher, and at sign-in from the
    # account's stored choice), else the browser's Accept-Language, else LANGUAGE_CODE.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Sets the language cookie on the response of a sign-in from the account's stored choice.
    "relcap.accounts.language.SignInLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Before any view or the CSRF check reads the request; their 400 gets every header above.
    "relcap.charset.DeclaredCharsetMiddleware",
    "relcap.middleware.NullCharacterQueryMiddleware",
    "relcap.middleware.FormBodiesOnlyMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "relcap.urls"
# A questionnaire page posts under 20 fields; the admin's draft editor about 1,000 for 76 items.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2500
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
WSGI_APPLICATION = "relcap.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

SQLITE_PATH = Path(os.environ.get("RELCAP_SQLITE_PATH") or BASE_DIR / "db.sqlite3")
DATABASES = {
    "default": database_config(
        os.environ.get("DATABASE_URL"),
        SQLITE_PATH,
        # Behind PgBouncer in transaction pooling mode (docs/scaling.md).
        disable_server_side_cursors=env_bool(
            os.environ.get("DJANGO_DISABLE_SERVER_SIDE_CURSORS"),
            default=False,
            name="DJANGO_DISABLE_SERVER_SIDE_CURSORS",
        ),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared by every worker process and every web server: the e-mail throttles
# (relcap/accounts/throttle.py) count here. Unset, a database table made by the profiles
# migration 0004 (`createcachetable`); DJANGO_CACHE_URL=redis://… moves it to Redis.
CACHES = {"default": cache_config(os.environ.get("DJANGO_CACHE_URL"))}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
# The interface languages (the switcher in every page's footer). Instrument and report texts are
# versioned content with their own approval per locale, never these gettext catalogues.
LANGUAGES = [("en-gb", "English"), ("de", "Deutsch")]
# Shipped but not yet reviewed by a second translator: the switcher says so (ASSESSMENT.md §5.5).
RELCAP_UNVALIDATED_LANGUAGES = ["de"]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Compiled from locale/*/LC_MESSAGES/django.po by `make compilemessages` (install, run, test, the
# Dockerfile); the .mo files are build output and not committed.
# Interface dates and numbers per language (relcap/formats/); reports keep their own formats.
FORMAT_MODULE_PATH = ["relcap.formats"]
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Bootstrap's compiled CSS comes from the bootstrap-wrapper package on PyPI: no CDN, no copy here.
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", bootstrap_wrapper.get_bootstrap_dir())]
# Report PDFs (profiles.ReportPdf) are stored here and served only through the report's own
# view, never under a public URL. Web and worker processes must share it.
MEDIA_ROOT = Path(os.environ.get("RELCAP_MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "profiles:mine"
LOGOUT_REDIRECT_URL = "home"
# A stale form (expired session, rotated CSRF token) gets a friendly page that keeps the answers.
CSRF_FAILURE_VIEW = "profiles.views.errors.csrf_failure"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No inline scripts or styles anywhere, the Django admin included (checked by a test).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# Sign-in throttling (django-axes): 5 failures for one username from one address lock that
# pair out for 15 minutes. Unknown usernames count the same, so a lockout reveals nothing.
# Guesses for one account spread over many addresses meet the growing per-account delays of
# relcap/accounts/delays.py instead (axes' fixed cool-off cannot grow per failure).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_DISABLE_ACCESS_LOG = True  # keep no record (address, browser) of successful sign-ins
AXES_CLIENT_IP_CALLABLE = "relcap.accounts.throttle.client_ip"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "user_agent"]  # masked in logs
AXES_VERBOSE = False  # no start-up banner between `make run`'s admin lines and the server's
# How many proxies we run in front of gunicorn; 0 trusts REMOTE_ADDR alone. The callable above
# reads X-Forwarded-For with django-ipware under this count, for axes and the e-mail throttles.
RELCAP_TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT") or 0)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # reset and activation links work for one day

# Mail: SMTP when a host is set; printed to the console only while DEBUG is on. With DEBUG off
# relcap refuses to start without a deliberate choice, since mails carry sign-in links.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "").strip()
EMAIL_FILE_PATH = os.environ.get("DJANGO_EMAIL_FILE_PATH", "").strip()
EMAIL_BACKEND = email_backend(
    os.environ.get("DJANGO_EMAIL_BACKEND"), host=EMAIL_HOST, file_path=EMAIL_FILE_PATH, debug=DEBUG
)
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT") or 587)
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool(
    os.environ.get("DJANGO_EMAIL_USE_TLS"), default=True, name="DJANGO_EMAIL_USE_TLS"
)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "relcap <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks (relcap/celery.py, relcap/jobs/). Without a broker every task runs in the
# web process after its transaction commits (e-mails after the response): nothing else to run.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # An unacknowledged task (its worker died) goes back to the queue after this many seconds.
    # Longer than the slowest task and the longest retry wait (2 minutes).
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT") or 300),
    # Lets two deployments, or two test runs, share one Redis database without sharing queues.
    "global_keyprefix": os.environ.get("CELERY_KEY_PREFIX", ""),
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = "relcap"
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # keep LOGGING below, with its redaction filter
CELERY_WORKER_SEND_TASK_EVENTS = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "relcap.jobs.beat:HeartbeatScheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 30
CELERY_BEAT_SCHEDULE = {
    "retention": {"task": "profiles.tasks.apply_retention", "schedule": crontab(hour=3, minute=15)},
    "moments-retention": {
        "task": "moments.tasks.apply_retention",
        "schedule": crontab(hour=3, minute=30),
    },
    "statistics": {
        "task": "analysis.tasks.refresh_all_statistics",
        "schedule": timedelta(minutes=15),
    },
    "orphan-pdfs": {"task": "profiles.tasks.sweep_orphan_pdfs", "schedule": timedelta(hours=1)},
    "orphan-brief-pdfs": {
        "task": "practice.tasks.sweep_orphan_brief_pdfs",
        "schedule": timedelta(hours=1),
    },
    # A practitioner's notes stay 30 days after a connection ends (PRACTICE.md §5).
    "ended-connection-notes": {
        "task": "practice.tasks.delete_ended_notes",
        "schedule": crontab(hour=3, minute=45),
    },
    "task-records": {
        "task": "relcap.jobs.tasks.prune_task_records",
        "schedule": crontab(hour=4, minute=0),
    },
    "expired-sessions": {
        "task": "relcap.accounts.tasks.clear_expired_sessions",
        "schedule": crontab(hour=4, minute=30),
    },
    # Live-moment reminders at each person's local time (moments/reminders.py): a quarter-hour
    # grid, so a reminder goes out within 15 minutes of its time.
    "moment-reminders": {
        "task": "moments.tasks.schedule_reminders",
        "schedule": crontab(minute="*/15"),
    },
}
# The site's address for links in e-mails sent without a request (moment reminders); when
# empty, the address the person saved their reminder choice on is used.
RELCAP_BASE_URL = os.environ.get("RELCAP_BASE_URL", "")
RELCAP_BEAT_HEARTBEAT_FILE = os.environ.get("CELERY_BEAT_HEARTBEAT_FILE") or str(
    Path(tempfile.gettempdir()) / "relcap-beat-heartbeat"
)
RELCAP_INLINE_TASKS_RAISE = False  # the tests turn this on so that a broken task fails them

if not DEBUG:
    # Production runs behind a TLS-terminating proxy that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool(
        os.environ.get("DJANGO_SECURE_SSL_REDIRECT"),
        default=True,
        name="DJANGO_SECURE_SSL_REDIRECT",
    )
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Every handler redacts query strings, private link tokens and sensitive keys (relcap/logfilter.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "relcap.logfilter.RedactSensitive"}},
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "filters": ["redact"],
            "formatter": "django.server",
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Replace Django's own handlers, which would print unredacted copies.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        # WeasyPrint narrates every PDF step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # Celery's own task log prints exception messages, which may hold an e-mail address;
        # relcap.tasks logs each retry and failure by task id instead (relcap/jobs/engine.py).
        "celery.app.trace": {"level": "CRITICAL"},
    },
}
