"""Security headers, the content security policy, error pages and mail settings."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.views import defaults

from assessments import services
from tests.factories import ProfileFactory, UserFactory, published_instrument

ROOT = Path(__file__).resolve().parents[2]
EXPECTED_CSP = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
    "base-uri": {"'none'"},
    "object-src": {"'none'"},
}
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style[\s>]|\sstyle=", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+=", re.I)


def policy(response) -> dict[str, set[str]]:
    parts = [p.split() for p in response["Content-Security-Policy"].split(";") if p.strip()]
    return {name: set(values) for name, *values in parts}


def inline_code(html: str) -> list[str]:
    return [
        m.group(0)
        for rx in (INLINE_SCRIPT, INLINE_STYLE, INLINE_HANDLER)
        for m in rx.finditer(html)
    ]


@pytest.fixture
def person(client):
    user = UserFactory()
    client.force_login(user)
    return user


ANONYMOUS_PAGES = ["home", "login", "signup", "password_reset", "password_reset_done", "healthz"]
SIGNED_IN_PAGES = [
    "profiles:account",
    "profiles:account_export",
    "profiles:account_delete",
    "profiles:consent_withdraw",
    "password_change",
]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_public_pages_carry_the_security_headers(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert policy(response) == EXPECTED_CSP
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_account_pages_are_never_stored_and_carry_the_policy(client, person, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert policy(response) == EXPECTED_CSP
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_profile_pages_under_p_are_never_stored(client, person):
    profile = ProfileFactory(user=person)

    response = client.get(reverse("profiles:profile_delete", args=[profile.public_id]))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_not_found_page_is_warm_has_no_traceback_and_is_not_stored(client):
    response = client.get("/no-such-page/")

    html = response.content.decode()
    assert response.status_code == 404
    assert "We could not find that page" in html
    assert "Traceback" not in html
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_forbidden_page_is_warm(client):
    client.force_login(UserFactory(is_staff=True))

    response = client.get(reverse("admin:assessments_instrumentversion_changelist"))

    assert response.status_code == 403
    assert "This page is not available to you" in response.content.decode()


def test_server_error_page_renders_without_context_processors_or_database():
    response = defaults.server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "{%" not in (ROOT / "templates" / "500.html").read_text()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("view", "status", "text"),
    [
        (defaults.bad_request, 400, "We could not understand that request"),
        (defaults.permission_denied, 403, "This page is not available to you"),
    ],
)
def test_error_pages_render_warm_wording(view, status, text):
    response = view(RequestFactory().get("/"), PermissionDenied())

    assert response.status_code == status
    assert text in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["login", "signup", "password_reset", "home"])
def test_pages_have_no_inline_scripts_or_styles(client, name):
    assert inline_code(client.get(reverse(name)).content.decode()) == []


@pytest.mark.django_db
def test_signed_in_pages_have_no_inline_scripts_or_styles(client, person):
    ProfileFactory(user=person)

    pages = [client.get(reverse(name)).content.decode() for name in SIGNED_IN_PAGES[:4]]

    assert [inline_code(html) for html in pages] == [[]] * 4


@pytest.mark.django_db
def test_admin_pages_need_no_relaxation_of_the_policy(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    draft = services.create_draft_from(source=published_instrument(), version="1.1")
    profile = ProfileFactory()
    urls = [
        reverse("admin:index"),
        reverse("admin:assessments_instrumentversion_changelist"),
        reverse("admin:assessments_instrumentversion_change", args=[draft.pk]),
        reverse("admin:assessments_itemversion_change", args=[draft.items.first().pk]),
        reverse("admin:profiles_profile_change", args=[profile.pk]),
        reverse("admin:auth_user_add"),
    ]

    found = {url: inline_code(client.get(url).content.decode()) for url in urls}

    assert found == {url: [] for url in urls}


def settings_value(expression: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    result = subprocess.run(
        [sys.executable, "-c", f"import relcap.settings as s; print({expression})"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_mail_goes_to_the_console_unless_an_smtp_host_is_set():
    assert settings_value("s.EMAIL_BACKEND").endswith("console.EmailBackend")


def test_mail_goes_through_smtp_when_a_host_is_set():
    value = settings_value(
        "s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_USE_TLS",
        DJANGO_EMAIL_HOST="smtp.example.org",
        DJANGO_EMAIL_PORT="465",
        DJANGO_EMAIL_USE_TLS="false",
    )

    assert value == "django.core.mail.backends.smtp.EmailBackend smtp.example.org 465 False"
