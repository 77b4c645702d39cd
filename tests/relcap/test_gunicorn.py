"""relcap behind gunicorn, started as docker/entrypoint.sh starts it: a form declared in
another charset gets relcap's 400 page with the usual headers, not gunicorn's raw 500.

The raw 500 came from outside Django's error handling (a second failure inside Django's 400
handler, and a failure while the request was being constructed), which the test client does
not go through, so this test serves relcap with gunicorn on a free local port. None of these
requests reaches the database, so gunicorn gets an empty SQLite file of its own.
"""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
FORM = "application/x-www-form-urlencoded"
SETTINGS = '''"""relcap.settings on a private SQLite file, static files without a manifest."""
from relcap.settings import *  # noqa: F403

DATABASES = {{"default": {{"ENGINE": "django.db.backends.sqlite3", "NAME": {database!r}}}}}
STORAGES = {{  # noqa: F405
    **STORAGES,
    "staticfiles": {{"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}},
}}
'''


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Gunicorn:
    def __init__(self, directory: Path) -> None:
        (directory / "gunicorn_settings.py").write_text(
            SETTINGS.format(database=str(directory / "db.sqlite3"))
        )
        self.port, self.log = free_port(), directory / "gunicorn.log"
        environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        environment.pop("DATABASE_URL", None)
        self.environment = environment | {
            "DJANGO_SETTINGS_MODULE": "gunicorn_settings",
            "PYTHONPATH": os.pathsep.join([str(directory), str(ROOT)]),
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "gunicorn-test-" + secrets.token_urlsafe(32),
            "DJANGO_ALLOWED_HOSTS": HOST,
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_EMAIL_BACKEND": "discard",
        }
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Gunicorn":
        command = [
            str(Path(sys.executable).with_name("gunicorn")), "relcap.wsgi:application",
            "--bind", f"{HOST}:{self.port}", "--workers", "1",
            "--logger-class", "relcap.gunicorn_logging.RedactingLogger",
        ]  # fmt: skip
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.environment, stdout=log, stderr=log
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.request("GET", "/accounts/login/")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not answer; see {self.log}")

    def __exit__(self, *exc_info) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None):
        connection = http.client.HTTPConnection(HOST, self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read().decode()
        finally:
            connection.close()


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    with Gunicorn(tmp_path_factory.mktemp("gunicorn")) as server:
        yield server


def sign_in_post(server: Gunicorn, content_type: str) -> tuple[int, dict, str]:
    """A sign-in POST with a valid CSRF cookie and token, as a browser sends it."""
    _, headers, html = server.request("GET", "/accounts/login/")
    cookie = headers["Set-Cookie"].split(";")[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    body = f"csrfmiddlewaretoken={token}&username=someone&password=whatever".encode()
    return server.request(
        "POST", "/accounts/login/", body, {"Content-Type": content_type, "Cookie": cookie}
    )


def assert_bad_request_page(status: int, headers: dict, html: str) -> None:
    assert status == 400
    assert "We could not understand that request" in html
    assert "no-store" in headers["Cache-Control"]
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in headers["Permissions-Policy"]


@pytest.mark.parametrize("charset", ["utf-16", "latin-1", "rot13"])
def test_gunicorn_answers_a_form_in_another_charset_with_the_400_page(gunicorn, charset):
    assert_bad_request_page(*sign_in_post(gunicorn, f"{FORM}; charset={charset}"))


def test_gunicorn_answers_a_query_string_in_a_codec_that_is_not_text_with_the_400_page(
    gunicorn,
):
    response = gunicorn.request(
        "GET", "/?next=x", headers={"Content-Type": "text/plain; charset=rot13"}
    )

    assert_bad_request_page(*response)
