"""No 5xx from unauthenticated input (issue 13, line 14): undecodable charsets, overlong
usernames and NUL characters in query strings get a 400 page (or a form error) that carries
the usual security headers, and write nothing.

The CSRF check is enforced here, as it is for real browsers: the test client skips it by
default, and it was that check, run a second time by Django's 400 handler, that crashed.
"""

import io
import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core import mail
from django.test import Client
from django.urls import reverse

from profiles.models import Profile
from relcap.wsgi import application
from tests.factories import UserFactory
from tests.relcap.test_security import EXPECTED_CSP, policy

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"
BAD_CHARSETS = ["utf-16", "UTF-32LE", "latin-1", "rot13", "nonsense"]
PUBLIC_FORMS = ["login", "signup", "password_reset", "profiles:start", "admin:login"]
LONG_NAME = "a" * 300


def assert_usual_headers(response) -> None:
    assert policy(response) == EXPECTED_CSP
    assert "no-store" in response["Cache-Control"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


def assert_bad_request_page(response) -> None:
    assert response.status_code == 400
    assert "We could not understand that request" in response.content.decode()
    assert_usual_headers(response)


@pytest.fixture
def browser() -> Client:
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


def csrf_token(client: Client, url: str) -> str:
    html = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def post_form(client: Client, url: str, body: str, content_type: str = FORM):
    """POST the body as it is: `client.post` would re-encode it in the declared charset."""
    token = csrf_token(client, url)
    data = f"csrfmiddlewaretoken={token}&{body}".encode()
    return client.generic("POST", url, data=data, content_type=content_type)


@pytest.mark.parametrize("charset", BAD_CHARSETS)
@pytest.mark.parametrize("name", PUBLIC_FORMS)
def test_a_form_post_in_another_charset_gets_the_400_page(browser, name, charset):
    body = "username=someone&email=someone%40example.org&password=a+long+test+password"

    response = post_form(browser, reverse(name), body, f"{FORM}; charset={charset}")

    assert_bad_request_page(response)
    assert not get_user_model().objects.exists() and not Profile.objects.exists()


@pytest.mark.parametrize("charset", ["rot13", "utf-16"])
def test_a_multipart_post_in_another_charset_gets_the_400_page(browser, charset):
    token = csrf_token(browser, reverse("login"))
    body = (
        f'--BOUND\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
        '--BOUND\r\nContent-Disposition: form-data; name="username"\r\n\r\nsomeone\r\n--BOUND--\r\n'
    )

    response = browser.generic(
        "POST",
        reverse("login"),
        data=body.encode(),
        content_type=f"multipart/form-data; boundary=BOUND; charset={charset}",
    )

    assert_bad_request_page(response)


class Served:
    """A response from relcap's own WSGI application (relcap/wsgi.py), called directly: the
    test client builds its requests with Django's plain request class instead."""

    def __init__(self, method: str, path: str, query: str, content_type: str) -> None:
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
            "CONTENT_TYPE": content_type, "CONTENT_LENGTH": "0", "SERVER_NAME": "testserver",
            "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "wsgi.input": io.BytesIO(),
            "wsgi.url_scheme": "http", "wsgi.errors": io.StringIO(),
        }  # fmt: skip
        self.headers: dict[str, str] = {}
        self.content = b"".join(application(environ, self.start_response))

    def start_response(self, status: str, headers: list[tuple[str, str]], exc_info=None):
        self.status_code = int(status.split()[0])
        self.headers = dict(headers)

    def __getitem__(self, name: str) -> str:
        return self.headers[name]


@pytest.mark.parametrize("charset", ["rot13", "base64", "utf-16"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_query_string_with_a_charset_that_is_not_text_gets_the_400_page(method, charset):
    response = Served(method, "/", "next=%C3%A9", f"{FORM}; charset={charset}")

    assert_bad_request_page(response)


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8", "utf8", "us-ascii"])
def test_a_form_in_utf8_or_ascii_signs_in_whatever_the_charset_is_called(browser, charset):
    UserFactory(username="someone")
    body = "username=someone&password=a+long+test+password"

    response = post_form(browser, reverse("login"), body, f"{FORM}; charset={charset}")

    assert response.status_code == 302
    assert "_auth_user_id" in browser.session


@pytest.mark.parametrize("name", ["login", "admin:login"])
def test_an_overlong_username_at_sign_in_is_a_form_error(browser, name):
    response = post_form(browser, reverse(name), f"username={LONG_NAME}&password=whatever")

    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert_usual_headers(response)
    assert not AccessAttempt.objects.exists()  # refused before any password check


def test_an_overlong_username_at_sign_up_is_a_form_error(browser):
    body = (
        f"username={LONG_NAME}&email=someone%40example.org&password1=a+long+test+password"
        "&password2=a+long+test+password&is_adult=on"
    )

    response = post_form(browser, reverse("signup"), body)

    assert response.status_code == 200
    assert "at most 150 characters" in response.content.decode()
    assert not get_user_model().objects.exists() and not mail.outbox


def test_an_overlong_address_at_password_reset_is_a_form_error(browser):
    UserFactory(username="someone")

    response = post_form(browser, reverse("password_reset"), f"email={LONG_NAME}%40example.org")

    assert response.status_code == 200
    assert "at most 254 characters" in response.content.decode()
    assert not mail.outbox


@pytest.fixture
def staff(client) -> Client:
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__startswith="view_"))
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "query",
    ["q=support%00", "kind=%00", "instrument_version__id__exact=1%00", "%00=1"],
)
@pytest.mark.parametrize(
    "changelist",
    ["assessments_itemversion", "assessments_instrumentversion", "profiles_profile"],
)
def test_a_nul_in_an_admin_search_or_filter_gets_the_400_page(staff, changelist, query):
    url = reverse(f"admin:{changelist}_changelist")
    assert staff.get(url).status_code == 200

    response = staff.get(f"{url}?{query}")

    assert_bad_request_page(response)


def test_a_nul_in_any_query_string_gets_the_400_page(browser):
    assert_bad_request_page(browser.get("/?next=%00"))
