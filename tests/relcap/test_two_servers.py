"""Two app servers behind one site name serve one person, request by request in turn.

Two gunicorn processes on different ports share the test's database (the PostgreSQL test
database, or the SQLite test file through RELCAP_SQLITE_PATH) and the Redis broker, as two web
machines behind a load balancer would. One browser (one cookie jar, one site name) alternates
between them: consent on A and B, every page shown by one and saved through the other, a
stale tab on A meeting an answer saved through B, submit on one and the report on the other.
Nothing of a person's progress may live in one process: sessions are in the database, the
stale-tab stamps are signed with the shared secret key, and the e-mail throttles count in the
database cache, which the last test checks through the tasks the servers put on the broker.

Redis must answer on 127.0.0.1:6379 (RELCAP_TEST_REDIS_URL): without it these tests fail in CI
(CI=true) and are skipped elsewhere, as the real-worker tests are.
"""

import html
import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.db import connection
from django.urls import reverse

from profiles.models import Answer, Profile, ResultSnapshot
from relcap.accounts.views import RESETS_PER_EMAIL_PER_HOUR
from tests.db import TRANSACTIONAL_DB
from tests.perf.load import CSRF, FIELD, NONCE, RESUME, STAMP

pytestmark = TRANSACTIONAL_DB

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
SITE = "relcap.test"  # the one name both servers answer to, as behind a load balancer
REDIS_URL = os.environ.get("RELCAP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
QUEUE = "relcap"  # CELERY_TASK_DEFAULT_QUEUE
SETTINGS = '''"""relcap.settings with static files served without a manifest (no collectstatic)."""
from relcap.settings import *  # noqa: F403

STORAGES = {  # noqa: F405
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
'''
FIRST_FORM = re.compile(r"<form [^>]*>(.*?)</form>", re.S)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def database_environment() -> dict[str, str]:
    """How a separate process reaches the database this test is using."""
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        return {"RELCAP_SQLITE_PATH": str(db["NAME"])}
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    user = quote(db["USER"] or "", safe="")
    host = f"{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    return {"DATABASE_URL": f"postgres://{user}{password}@{host}/{db['NAME']}"}


class Server:
    """gunicorn with production settings (DEBUG off) on a port of its own."""

    def __init__(self, environment: dict[str, str], log: Path) -> None:
        self.port, self.log = free_port(), log
        command = [
            str(Path(sys.executable).with_name("gunicorn")), "relcap.wsgi:application",
            "--bind", f"{HOST}:{self.port}", "--workers", "1",
            "--logger-class", "relcap.gunicorn_logging.RedactingLogger",
        ]  # fmt: skip
        with log.open("w") as out:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=environment, stdout=out, stderr=out
            )

    def wait_until_healthy(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and self.process.poll() is None:
            probe = http.client.HTTPConnection(HOST, self.port, timeout=5)
            try:
                probe.request("GET", "/healthz", headers={"Host": SITE})
                if probe.getresponse().status == 200:
                    return
            except OSError:
                pass
            finally:
                probe.close()
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not answer:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def broker() -> Iterator[str]:
    """This test's queues in Redis under a key prefix of their own, removed afterwards."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as problem:
        message = f"Redis does not answer at {REDIS_URL} ({problem}); this test needs it"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    prefix = f"relcap-two-servers-{uuid.uuid4().hex}:"
    yield prefix
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)
    client.close()


@pytest.fixture
def servers(broker, tmp_path) -> Iterator[tuple[Server, Server]]:
    (tmp_path / "two_servers_settings.py").write_text(SETTINGS)
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key not in {"DATABASE_URL", "RELCAP_SQLITE_PATH"}
    }
    environment |= database_environment() | {
        "DJANGO_SETTINGS_MODULE": "two_servers_settings",
        "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)]),
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "two-servers-" + secrets.token_urlsafe(32),  # shared by both
        "DJANGO_ALLOWED_HOSTS": SITE,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_EMAIL_BACKEND": "discard",
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_KEY_PREFIX": broker,
        "RELCAP_MEDIA_ROOT": str(tmp_path / "media"),
    }
    pair = (Server(environment, tmp_path / "a.log"), Server(environment, tmp_path / "b.log"))
    try:
        for server in pair:
            server.wait_until_healthy(90)
        yield pair
    finally:
        for server in pair:
            server.stop()


class Browser:
    """One browser: one cookie jar for the site, whichever server answers."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(self, server: Server, path: str, form: dict | None = None):
        headers = {"Host": SITE, "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers |= {"Content-Type": "application/x-www-form-urlencoded"}
            headers |= {"Origin": f"https://{SITE}", "Referer": f"https://{SITE}{path}"}
        link = http.client.HTTPConnection(HOST, server.port, timeout=30)
        try:
            link.request("GET" if form is None else "POST", path, body, headers)
            response = link.getresponse()
            text = response.read().decode()
        finally:
            link.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in header.lower():
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return response.status, response.getheader("Location"), text


def page_form(page_html: str, values: dict[int, int]) -> dict:
    form = {"csrfmiddlewaretoken": CSRF.search(page_html)[1], "nav": "next"}
    form["rendered"] = STAMP.search(page_html)[1]
    if resume := RESUME.search(page_html):
        form["resume"] = resume[1]
    return form | {f"q{item}": value for item, value in values.items()}


def test_two_servers_serve_one_person_in_turn(servers):
    a, b = servers
    browser = Browser()

    status, _, start_html = browser.request(a, "/start/")
    assert status == 200
    form = {"context_mode": "both", "consent": "on", "adult": "on"}
    form |= {"csrfmiddlewaretoken": CSRF.search(start_html)[1]}
    form |= {"nonce": NONCE.search(start_html)[1]}
    status, path, _ = browser.request(b, "/start/", form)
    assert status == 302, "consent given on A is accepted by B"
    public_id, first_page = path.split("/")[2], path

    # Page 1 in two tabs, one per server: the tab on B saves first, then the stale tab on A
    # changes one of those answers differently and meets the conflict page; it keeps its own.
    status, _, tab_a = browser.request(a, path)
    assert status == 200
    status, _, tab_b = browser.request(b, path)
    assert status == 200
    items = [int(item) for item in dict.fromkeys(FIELD.findall(tab_b))]
    saved_on_b = dict.fromkeys(items, 3)
    status, _, _ = browser.request(b, path, page_form(tab_b, saved_on_b))
    assert status == 302
    from_stale_tab = saved_on_b | {items[0]: 6}
    status, _, conflict_html = browser.request(a, path, page_form(tab_a, from_stale_tab))
    assert status == 409, "A sees what was saved through B after it rendered the page"
    assert "was changed somewhere else" in conflict_html
    stored = Answer.objects.filter(profile__public_id=public_id)
    assert dict(stored.values_list("item_version_id", "value")) == saved_on_b
    keep_this_tab = dict(
        (name, html.unescape(value))
        for name, value in HIDDEN.findall(FIRST_FORM.search(conflict_html)[1])
    )
    status, path, _ = browser.request(b, first_page, keep_this_tab | {"nav": "next"})
    assert status == 302, "B accepts the stamp A signed on its conflict page"
    expected = from_stale_tab

    # Every further page: shown by one server, saved through the other, in turn.
    turn = 0
    while "/page/" in path:
        shown_by, saved_by = (a, b) if turn % 2 == 0 else (b, a)
        status, _, page_html = browser.request(shown_by, path)
        assert status == 200
        values = {int(item): 1 + (turn + int(item)) % 7 for item in FIELD.findall(page_html)}
        status, path, _ = browser.request(saved_by, path, page_form(page_html, values))
        assert status == 302
        expected |= values
        turn += 1

    status, _, review_html = browser.request(b, path)
    assert status == 200
    status, report_path, _ = browser.request(
        a, path, {"csrfmiddlewaretoken": CSRF.search(review_html)[1]}
    )
    assert status == 302, "submitted on A"
    status, _, report_html = browser.request(b, report_path)
    assert status == 200, "the report of a profile submitted on A opens on B"
    assert public_id in report_path

    profile = Profile.objects.get(public_id=public_id)
    assert profile.is_submitted
    assert dict(profile.answers.values_list("item_version_id", "value")) == expected
    assert ResultSnapshot.objects.filter(profile=profile, reason="submission").count() == 1
    assert Profile.objects.count() == 1


def test_the_e_mail_throttle_counts_across_servers(servers, broker):
    """Password reset requests for one address alternate between the servers: the per-address
    limit is reached all the same, so one request more than the limit queues no e-mail."""
    import redis

    browser = Browser()
    requests = RESETS_PER_EMAIL_PER_HOUR + 1
    for turn in range(requests):
        server = servers[turn % 2]
        status, _, reset_html = browser.request(server, reverse("password_reset"))
        assert status == 200
        form = {"csrfmiddlewaretoken": CSRF.search(reset_html)[1], "email": "ash@example.org"}
        status, _, _ = browser.request(server, reverse("password_reset"), form)
        assert status == 302

    client = redis.Redis.from_url(REDIS_URL)
    queued = client.llen(f"{broker}{QUEUE}")
    client.close()
    assert queued == RESETS_PER_EMAIL_PER_HOUR, "both servers queue on the shared broker"
