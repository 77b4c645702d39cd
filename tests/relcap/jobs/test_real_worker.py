"""Tasks on a real Celery worker and the real Redis broker, not only inline: a reset e-mail
reaches an SMTP server, a report PDF made by the worker is served, and a worker killed with
SIGKILL in the middle of sending has its task redelivered to another worker, which sends
the e-mail once.

The worker is a separate process on the test's own database (the PostgreSQL test database, or
the SQLite test file through RELCAP_SQLITE_PATH), so these tests are transactional. Redis must
answer on 127.0.0.1:6379: without it they fail in CI (CI=true) and are skipped elsewhere. Each
run uses its own key prefix, so two runs on one machine never share a queue.
"""

import os
import signal
import socketserver
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from relcap.celery import app
from relcap.jobs.models import TaskDone
from tests.db import TRANSACTIONAL_DB
from tests.factories import UserFactory

REDIS_URL = os.environ.get("RELCAP_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
VISIBILITY_TIMEOUT = 3  # seconds before an unacknowledged task goes back to the queue
ROOT = Path(__file__).resolve().parents[3]
WORKER_DB = TRANSACTIONAL_DB

pytestmark = WORKER_DB


# --------------------------------------------------------------------------- a small SMTP server
class SMTPRecorder(socketserver.ThreadingTCPServer):
    """Accepts mail on 127.0.0.1 and keeps each complete message. With `stall_first`, the
    first DATA command is never answered: the sender hangs mid-send until it is killed."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, stall_first: bool = False) -> None:
        super().__init__(("127.0.0.1", 0), SMTPSession)
        self.messages: list[str] = []
        self.stall_first = stall_first
        self.stalled = threading.Event()
        self.received = threading.Event()
        self.lock = threading.Lock()


class SMTPSession(socketserver.StreamRequestHandler):
    server: SMTPRecorder

    def reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self.reply("220 relcap-test ESMTP")
        while command := self.rfile.readline():
            verb = command.decode(errors="replace").strip().upper()[:4]
            if verb == "DATA":
                if not self.stall():
                    return
                self.reply("354 end with <CRLF>.<CRLF>")
                self.read_message()
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # EHLO, HELO, MAIL, RCPT, RSET, NOOP
                self.reply("250 ok")

    def stall(self) -> bool:
        """False when this session is the one to hang: wait until the sender disappears."""
        with self.server.lock:
            hang = self.server.stall_first and not self.server.stalled.is_set()
            if hang:
                self.server.stalled.set()
        if hang:
            while self.rfile.readline():
                pass
        return not hang

    def read_message(self) -> None:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line.decode(errors="replace"))
        with self.server.lock:
            self.server.messages.append("".join(lines))
        self.server.received.set()


@pytest.fixture
def smtp() -> Iterator[SMTPRecorder]:
    yield from serve(SMTPRecorder())


@pytest.fixture
def stalling_smtp() -> Iterator[SMTPRecorder]:
    yield from serve(SMTPRecorder(stall_first=True))


def serve(server: SMTPRecorder) -> Iterator[SMTPRecorder]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


# --------------------------------------------------------------------------- broker and workers
@pytest.fixture
def broker(settings) -> Iterator[str]:
    """This run's queues in Redis, under a key prefix of their own; the test process sends to it."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as problem:
        message = f"Redis does not answer at {REDIS_URL} ({problem}); the worker tests need it"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    prefix = f"relcap-test-{uuid.uuid4().hex}:"
    options = {"visibility_timeout": VISIBILITY_TIMEOUT, "global_keyprefix": prefix}
    settings.CELERY_BROKER_URL = REDIS_URL
    saved = (app.conf.broker_url, app.conf.broker_transport_options)
    app.conf.broker_url, app.conf.broker_transport_options = REDIS_URL, options
    reset_producer_pool()
    yield prefix
    app.conf.broker_url, app.conf.broker_transport_options = saved
    reset_producer_pool()
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)
    client.close()


def reset_producer_pool() -> None:
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None


def worker_environment(prefix: str, smtp: SMTPRecorder, media: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "RELCAP_SQLITE_PATH"}
    }
    env.update(
        CELERY_BROKER_URL=REDIS_URL,
        CELERY_KEY_PREFIX=prefix,
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
        DJANGO_EMAIL_HOST="127.0.0.1",
        DJANGO_EMAIL_PORT=str(smtp.server_address[1]),
        DJANGO_EMAIL_USE_TLS="false",
        RELCAP_MEDIA_ROOT=str(media),
        PYTHONUNBUFFERED="1",
    )
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
        user = quote(db["USER"] or "", safe="")
        env["DATABASE_URL"] = (
            f"postgres://{user}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
            f"/{db['NAME']}"
        )
    else:
        env["RELCAP_SQLITE_PATH"] = str(db["NAME"])
    return env


class Worker:
    """`celery -A relcap worker` (prefork, one child) in its own process group."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        name = f"test-{uuid.uuid4().hex[:8]}@%h"
        command = [sys.executable, "-m", "celery", "-A", "relcap", "worker", "--loglevel=INFO"]
        command += ["--concurrency=1", f"--hostname={name}", "--without-gossip"]
        command += ["--without-mingle", "--without-heartbeat"]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_for_log(" ready.", timeout=90)

    def wait_for_log(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log.read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"worker never logged {text!r}:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL the worker and its pool child at once, as a crash or an OOM kill would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def start_worker(broker, tmp_path) -> Iterator:
    workers: list[Worker] = []

    def start(smtp: SMTPRecorder) -> Worker:
        env = worker_environment(broker, smtp, tmp_path / "media")
        workers.append(Worker(env, tmp_path / f"worker-{len(workers)}.log"))
        return workers[-1]

    yield start
    for worker in workers:
        worker.stop()


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def ask_for_a_reset(email: str) -> None:
    response = Client().post(reverse("password_reset"), {"email": email})
    assert response.status_code == 302


# --------------------------------------------------------------------------- tests
def test_a_real_worker_sends_the_reset_e_mail_through_smtp(start_worker, smtp):
    UserFactory(email="river@example.org")
    start_worker(smtp)

    ask_for_a_reset("river@example.org")

    assert smtp.received.wait(timeout=60), "no e-mail arrived"
    assert len(smtp.messages) == 1
    assert "To: river@example.org" in smtp.messages[0]
    assert "/accounts/password/reset/" in smtp.messages[0]
    wait_until(lambda: TaskDone.objects.count() == 1, 10, "the task's done record")


def test_a_real_worker_sends_nothing_for_an_unknown_address(start_worker, smtp):
    UserFactory(email="river@example.org")
    start_worker(smtp)

    ask_for_a_reset("nobody@example.org")

    wait_until(lambda: TaskDone.objects.count() == 1, 60, "the task to finish")
    assert smtp.messages == []


def test_a_worker_killed_mid_send_has_its_task_redelivered_and_the_e_mail_goes_once(
    start_worker, stalling_smtp
):
    UserFactory(email="river@example.org")
    first = start_worker(stalling_smtp)
    ask_for_a_reset("river@example.org")
    assert stalling_smtp.stalled.wait(timeout=60), "the first worker never started sending"

    first.kill()  # mid-task: connected to the mail server, waiting on DATA
    time.sleep(VISIBILITY_TIMEOUT + 1)
    start_worker(stalling_smtp)

    assert stalling_smtp.received.wait(timeout=60), "the task was not redelivered"
    wait_until(lambda: TaskDone.objects.count() == 1, 10, "the task's done record")
    time.sleep(VISIBILITY_TIMEOUT + 1)  # long enough for any second delivery to show
    assert len(stalling_smtp.messages) == 1
    assert "To: river@example.org" in stalling_smtp.messages[0]
    assert TaskDone.objects.count() == 1


def test_a_report_pdf_made_by_a_real_worker_is_served_from_storage(
    start_worker, smtp, settings, tmp_path
):
    from tests.profiles.test_report import EXAMPLE_3, raw_answers, submitted

    settings.MEDIA_ROOT = tmp_path / "media"  # the worker's RELCAP_MEDIA_ROOT
    person = UserFactory()
    profile = submitted(raw_answers(EXAMPLE_3), user=person)
    client = Client()
    client.force_login(person)
    url = reverse("profiles:report_pdf", args=[profile.public_id])
    start_worker(smtp)

    waiting = client.get(url)
    wait_until(lambda: profile.snapshots.get().pdfs.exists(), 90, "the worker's PDF")
    ready = client.get(url)

    assert waiting.status_code == 202
    assert ready.status_code == 200
    assert ready.content.startswith(b"%PDF-")
