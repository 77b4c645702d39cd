"""A body that is not an HTML form is refused with the 400 page before any view reads it
(issue 13, line 2), while forms keep working everywhere: pages, sign-in, the admin, CSRF."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from profiles.models import Answer, PageTime, Profile
from tests.factories import UserFactory
from tests.profiles.helpers import answer_page, page_fields, page_url, start

pytestmark = pytest.mark.django_db

NOT_FORMS = [
    "application/json",
    "text/plain",
    "application/xml",
    "",
    "application/x-www-form-urlencoded-but-not",
    "multipart/related; boundary=x",
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/x-www-form-urlencoded; charset=latin-1",
    "multipart/form-data; boundary=BoUnDaRy; charset=utf-16",
]


@pytest.fixture
def strict(client) -> Client:
    """A browser that is checked for CSRF, holding a draft and its page 1 form."""
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
    browser.cookies = client.cookies
    return browser


def csrf_token(browser: Client, url: str) -> str:
    browser.get(url)
    return browser.cookies["csrftoken"].value


def database_state() -> tuple:
    return (
        list(Answer.objects.order_by("pk").values_list("item_version_id", "value")),
        list(PageTime.objects.order_by("pk").values_list("page", "total_ms", "visits")),
        list(Profile.objects.order_by("pk").values_list("pk", "updated_at")),
    )


@pytest.mark.parametrize("content_type", NOT_FORMS)
@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH"])
def test_a_page_body_that_is_not_a_form_gets_400_and_writes_nothing(
    client, strict, content_type, method
):
    profile = start(client)
    answer_page(client, profile, 1, value=5)
    names, hidden = page_fields(client, profile, 1)
    token = csrf_token(strict, page_url(profile, 1))
    before = database_state()
    body = json.dumps({**hidden, "nav": "next", **{n: "1" for n in names}})

    response = strict.generic(
        method, page_url(profile, 1), body, content_type=content_type, HTTP_X_CSRFTOKEN=token
    )

    assert response.status_code == 400
    assert "We could not understand that request" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert database_state() == before


def test_an_empty_body_with_a_csrf_header_gets_400_and_writes_nothing(client, strict):
    profile = start(client)
    answer_page(client, profile, 1, value=5)
    token = csrf_token(strict, page_url(profile, 1))
    before = database_state()

    response = strict.post(page_url(profile, 1), b"", content_type="", HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 400
    assert database_state() == before


def test_a_form_with_no_statement_and_no_button_is_refused(client):
    profile = start(client)
    answer_page(client, profile, 1, value=5)
    _, hidden = page_fields(client, profile, 1)
    before = database_state()

    response = client.post(page_url(profile, 1), hidden)

    assert response.status_code == 400
    assert "held no answers and no button" in response.content.decode()
    assert database_state() == before


def test_next_on_a_page_with_nothing_chosen_skips_the_page(client):
    profile = start(client)
    _, hidden = page_fields(client, profile, 1)

    response = client.post(page_url(profile, 1), {**hidden, "nav": "next"})

    assert response.url == page_url(profile, 2)
    assert list(Answer.objects.values_list("value", flat=True)) == [None] * 12


@pytest.mark.parametrize("content_type", ["application/json", "text/plain"])
def test_a_start_body_that_is_not_a_form_opens_nothing(content_type):
    browser = Client(enforce_csrf_checks=True)
    token = csrf_token(browser, reverse("profiles:start"))
    body = json.dumps({"context_mode": "both", "consent": "on", "adult": "on"})

    response = browser.post(
        reverse("profiles:start"), body, content_type=content_type, HTTP_X_CSRFTOKEN=token
    )

    assert response.status_code == 400
    assert Profile.objects.count() == 0


def test_sign_in_still_works_with_a_form_and_refuses_json():
    UserFactory(username="robin", password="a long test password")
    browser = Client(enforce_csrf_checks=True)
    token = csrf_token(browser, reverse("login"))
    form = {"username": "robin", "password": "a long test password"}

    as_json = browser.post(
        reverse("login"), json.dumps(form), content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )  # fmt: skip
    as_form = browser.post(reverse("login"), {**form, "csrfmiddlewaretoken": token})

    assert as_json.status_code == 400
    assert as_form.status_code == 302
    assert "_auth_user_id" in browser.session


def test_the_admin_still_saves_a_form(admin_client):
    user = UserFactory(username="someone")

    response = admin_client.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {
            "username": "someone-else",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.username == "someone-else"


def test_the_csrf_failure_page_still_answers_a_form_without_a_token(client):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(reverse("login"), {"username": "robin", "password": "x"})

    assert response.status_code == 403
    assert "This form had expired" in response.content.decode()


@pytest.mark.parametrize("name", ["profiles:start", "login", "signup", "password_reset"])
@pytest.mark.parametrize(
    "content_type",
    [
        "application/x-www-form-urlencoded; charset=utf-16",
        "multipart/form-data; boundary=zz; charset=utf-16",
        "application/x-www-form-urlencoded; charset=no-such-charset",
    ],
)
def test_a_form_in_another_charset_gets_the_400_page_with_the_usual_headers(name, content_type):
    browser = Client(raise_request_exception=False)
    body = "username=robin&password=x".encode("utf-16")

    response = browser.generic("POST", reverse(name), body, content_type=content_type)

    assert response.status_code == 400
    assert "We could not understand that request" in response.content.decode()
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "multipart/form-data; boundary=zz"]
)
def test_a_form_over_the_size_limit_gets_the_400_page_not_a_server_error(client, content_type):
    profile = start(client)
    browser = Client(raise_request_exception=False)
    browser.cookies = client.cookies
    body = b"nav=next&q1=" + b"5" * (1024 * 1024 + 1)

    response = browser.generic("POST", page_url(profile, 1), body, content_type=content_type)

    assert response.status_code == 400
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert not Answer.objects.exists()
