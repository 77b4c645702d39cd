"""Load test: simulated people complete the questionnaire against gunicorn and PostgreSQL.

    python tests/perf/load.py [--people 1000] [--ramp 120] [--think-statement 2 5]
                              [--think-form 5 15] [--workers 2] [--threads 16]
                              [--time-limit 600] [--p99-ms 500] [--broker redis://…/6] [--keep-db]

Creates a dedicated database `relcap_perf_load_<pid>` on the PostgreSQL server of
DATABASE_URL (default postgres://postgres@127.0.0.1:5432), migrates it, collects static files
into a temporary directory, starts a Celery worker on the Redis broker (DB 6, a key prefix of
this run's own) and gunicorn on 127.0.0.1 with production settings, and lets each person
start, answer seven pages, review, submit and open the report once, with think time before
every form (a few seconds per statement) and browser-like cookies, CSRF tokens, Origin and
X-Forwarded-Proto. The people are coroutines of one asyncio loop (tests/perf/crowd.py) and
nothing is retried. Afterwards the database is checked: every acknowledged answer stored, no
partial page, one profile and one submission snapshot per person, no task left queued. Exits
non-zero when any target is missed: everyone answering at once and completing, no failed
request, p99 < --p99-ms per request type. Only 127.0.0.1 is contacted; people start over
--ramp seconds and everything stops by --time-limit. tests/perf/faults.py reuses the server,
the checks and the thread-per-person Person (which presses again after an error, up to
RETRIES times: a fault is expected to fail some requests).
"""

import argparse
import http.client
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
PORT = 8123
HTTP_TIMEOUT_S = 30
RETRIES = 5  # after an error a person presses again, up to this many times per step
MAX_PEOPLE, MAX_TIME_LIMIT_S = 2000, 900
LOAD_BROKER = "redis://127.0.0.1:6379/6"  # each run under a key prefix of its own
QUEUE = "relcap"  # CELERY_TASK_DEFAULT_QUEUE
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NONCE = re.compile(r'name="nonce" value="([^"]+)"')
FIELD = re.compile(r'name="q(\d+)"')
STAMP = re.compile(r'name="rendered" value="([^"]+)"')
RESUME = re.compile(r'name="resume" value="([^"]+)"')
PAGE_ENDPOINTS = ("GET page", "POST page")


class Stop(Exception):
    """A person stops: the time limit passed, or a step kept failing."""


@dataclass(frozen=True)
class Sample:
    start: float  # time.monotonic()
    endpoint: str
    status: str  # HTTP status, or the exception's name
    ok: bool
    ms: float


class Browser:
    """One person's browser over plain HTTP behind a pretend TLS proxy; no keep-alive."""

    def __init__(self, port: int, samples: list[Sample]) -> None:
        self.port, self.samples, self.cookies = port, samples, {}
        self.origin = f"https://{HOST}:{port}"

    def request(self, endpoint: str, path: str, form: dict | None, expect: int):
        """(location, body) when the answer has the expected status, else None."""
        headers = {"Host": f"{HOST}:{self.port}", "X-Forwarded-Proto": "https"}
        headers |= {"Connection": "close", "User-Agent": "relcap-load"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers |= {"Content-Type": "application/x-www-form-urlencoded"}
            headers |= {"Origin": self.origin, "Referer": self.origin + path}
        start = time.monotonic()
        try:
            connection = http.client.HTTPConnection(HOST, self.port, timeout=HTTP_TIMEOUT_S)
            connection.request("GET" if form is None else "POST", path, body, headers)
            response = connection.getresponse()
            text = response.read().decode()
            connection.close()
        except (OSError, http.client.HTTPException) as error:
            self.record(start, endpoint, type(error).__name__, False)
            return None
        self.remember(response.headers.get_all("Set-Cookie") or [])
        self.record(start, endpoint, str(response.status), response.status == expect)
        return (response.getheader("Location"), text) if response.status == expect else None

    def remember(self, headers: list[str]) -> None:
        for header in headers:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def record(self, start: float, endpoint: str, status: str, ok: bool) -> None:
        elapsed = (time.monotonic() - start) * 1000
        self.samples.append(Sample(start, endpoint, status, ok, elapsed))


@dataclass
class Person:
    browser: Browser
    think: tuple[float, float]
    deadline: float
    rng: random.Random
    public_id: str | None = None
    acknowledged: dict[int, dict[int, int]] = field(default_factory=dict)  # page → item → value
    submitted: bool = False
    completed: bool = False
    stopped: str = ""
    began: float = 0.0
    ended: float = 0.0

    def run(self) -> None:
        self.began = time.monotonic()
        try:
            self.complete()
        except Stop as reason:
            self.stopped = str(reason)
        self.ended = time.monotonic()

    def pause(self, seconds: float) -> None:
        if time.monotonic() + seconds > self.deadline:
            raise Stop("time limit")
        time.sleep(seconds)

    def step(self, endpoint: str, path: str, form: dict | None = None, expect: int = 200):
        for attempt in range(RETRIES + 1):
            answer = self.browser.request(endpoint, path, form, expect)
            if answer is not None:
                return answer
            if attempt < RETRIES:
                self.pause(0.5 * (attempt + 1))
        raise Stop(f"{endpoint} failed {RETRIES + 1} times")

    def complete(self) -> None:
        _, html = self.step("GET /start/", "/start/")
        self.pause(self.rng.uniform(*self.think))
        form = {"context_mode": "both", "consent": "on", "adult": "on"}
        form |= {"csrfmiddlewaretoken": CSRF.search(html)[1], "nonce": NONCE.search(html)[1]}
        path, _ = self.step("POST /start/", "/start/", form, expect=302)
        self.public_id = path.split("/")[2]
        while "/page/" in path:
            _, html = self.step("GET page", path)
            values = {int(item): self.rng.randint(1, 7) for item in FIELD.findall(html)}
            form = {"csrfmiddlewaretoken": CSRF.search(html)[1], "nav": "next"}
            form |= {"rendered": STAMP.search(html)[1], **{f"q{k}": v for k, v in values.items()}}
            if resume := RESUME.search(html):
                form["resume"] = resume[1]
            self.pause(self.rng.uniform(*self.think))
            next_path, _ = self.step("POST page", path, form, expect=302)
            self.acknowledged[int(path.rstrip("/").rsplit("/", 1)[1])] = values
            path = next_path
        _, html = self.step("GET review", path)
        self.pause(self.rng.uniform(*self.think))
        form = {"csrfmiddlewaretoken": CSRF.search(html)[1]}
        report, _ = self.step("POST review (submit)", path, form, expect=302)
        self.submitted = True
        self.step("GET report", report)
        self.completed = True


@dataclass
class Run:
    people: list[Person]
    samples: list[Sample]
    began: float
    ended: float
    cpu_s: float  # CPU time of this process (the load generator) during the run


def run_people(
    port: int, count: int, ramp_s: float, think: tuple[float, float], time_limit_s: float
) -> Run:
    """Start `count` people evenly over `ramp_s`; all stop by `time_limit_s` (plus one timeout)."""
    samples: list[Sample] = []
    began, cpu = time.monotonic(), time.process_time()
    deadline = began + time_limit_s
    people = [
        Person(Browser(port, samples), think, deadline, random.Random(k)) for k in range(count)
    ]
    threading.stack_size(512 * 1024)
    threads = [threading.Thread(target=person.run, daemon=True) for person in people]
    for k, thread in enumerate(threads):
        time.sleep(max(0.0, began + ramp_s * k / count - time.monotonic()))
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.1, deadline + HTTP_TIMEOUT_S - time.monotonic()))
    return Run(people, samples, began, time.monotonic(), time.process_time() - cpu)


def database_url(name: str, server: str | None = None) -> str:
    parts = urlsplit(server or os.environ.get("DATABASE_URL") or DEFAULT_SERVER)
    return urlunsplit(parts._replace(path=f"/{name}"))


def admin_sql(url: str, statement: str) -> None:
    import psycopg2

    connection = psycopg2.connect(database_url("postgres", url))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(statement)
    connection.close()


def app_environment(url: str, directory: str) -> dict[str, str]:
    """Production settings (DEBUG off) with STATIC_ROOT in `directory`, via a generated
    settings module there, so collectstatic never writes into the working tree. `url` is a
    postgres:// URL or the path of a SQLite file."""
    static = str(Path(directory) / "static")
    sqlite = not url.startswith(("postgres://", "postgresql://"))
    (Path(directory) / "perf_settings.py").write_text(
        '"""relcap.settings with a temporary STATIC_ROOT (written by tests/perf/load.py)."""\n'
        "from relcap.settings import *  # noqa: F403\n\n"
        f"STATIC_ROOT = {static!r}\n"
        # A SQLite file keeps the quick start's tuning (relcap/env.py), only the path changes.
        + (f'DATABASES["default"]["NAME"] = {url!r}  # noqa: F405\n' if sqlite else "")
        + "# No static file is fetched: skip WhiteNoise's gzip/brotli pass (80 s on 2 cores).\n"
        'STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.'
        'storage.ManifestStaticFilesStorage"}}  # noqa: F405\n'
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.pop("DATABASE_URL", None)
    return (
        environment
        | ({} if sqlite else {"DATABASE_URL": url})
        | {
            "DJANGO_SETTINGS_MODULE": "perf_settings",
            "PYTHONPATH": os.pathsep.join([directory, str(ROOT)]),
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": "load-only-" + secrets.token_urlsafe(32),
            "DJANGO_ALLOWED_HOSTS": HOST,
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_EMAIL_BACKEND": "discard",
            "DJANGO_LOG_LEVEL": "WARNING",
        }
    )


def prepare(environment: dict[str, str]) -> None:
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run(
            [sys.executable, "manage.py", *command, "-v", "0"],
            cwd=ROOT,
            env=environment,
            check=True,
            timeout=300,
        )


class Server:
    """gunicorn on 127.0.0.1 as docker/entrypoint.sh starts it, stopped on exit."""

    def __init__(
        self,
        environment: dict[str, str],
        directory: str,
        workers: int,
        threads: int,
        port: int = PORT,
    ) -> None:
        self.environment, self.log, self.port = environment, Path(directory) / "access.log", port
        command = [str(Path(sys.executable).with_name("gunicorn")), "relcap.wsgi:application"]
        command += ["--bind", f"{HOST}:{port}", "--workers", str(workers)]
        if threads > 1:
            command += ["--worker-class", "gthread", "--threads", str(threads)]
        command += [
            "--timeout",
            "30",
            "--graceful-timeout",
            "30",
            "--access-logfile",
            str(self.log),
        ]
        command += ["--logger-class", "relcap.gunicorn_logging.RedactingLogger"]
        command += ["--access-logformat", '%(t)s "%(m)s %(U)s" %(s)s %(b)s %(L)s']
        self.command, self.process = command, None
        self.errors = Path(directory) / "gunicorn.log"

    def __enter__(self) -> "Server":
        with self.errors.open("w") as errors:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.environment, stdout=errors, stderr=errors
            )
        self.wait_until_healthy(60)
        return self

    def wait_until_healthy(self, seconds: float) -> float:
        """Seconds until /healthz answers 200; raises after `seconds`."""
        began = time.monotonic()
        while time.monotonic() - began < seconds:
            if health(self.port) == 200:
                return time.monotonic() - began
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn not healthy after {seconds} s; see {self.errors}")

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the master and its current workers."""
        pids = [self.process.pid, *self.worker_pids()]
        total = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")

    def worker_pids(self) -> list[int]:
        pids = []
        for task in Path(f"/proc/{self.process.pid}/task").glob("*/children"):
            pids += [int(pid) for pid in task.read_text().split()]
        return pids

    def reload(self) -> None:
        self.process.send_signal(signal.SIGHUP)

    def server_errors(self) -> int:
        lines = self.log.read_text().splitlines() if self.log.exists() else []
        return sum(1 for line in lines if re.search(r'" 5\d\d ', line))

    def __exit__(self, *exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def health(port: int) -> int:
    try:
        connection = http.client.HTTPConnection(HOST, port, timeout=2)
        connection.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
        status = connection.getresponse().status
        connection.close()
        return status
    except (OSError, http.client.HTTPException):
        return 0


def connect(url: str):
    """A DB-API connection to the app's database: PostgreSQL by URL, or a SQLite file path."""
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg2

        return psycopg2.connect(url)
    import sqlite3

    return sqlite3.connect(url, timeout=30)


def uuid_key(value) -> str:
    """PostgreSQL stores a UUID with dashes, SQLite as 32 hex digits: one spelling for both."""
    return uuid.UUID(str(value)).hex


def check_writes(url: str, people: list[Person]) -> dict[str, int]:
    """Compare what the people were told was saved with what the database holds."""
    connection = connect(url)
    cursor = connection.cursor()
    cursor.execute(
        "SELECT p.public_id, a.item_version_id, a.value, i.page FROM profiles_answer a"
        " JOIN profiles_profile p ON p.id = a.profile_id"
        " JOIN assessments_itemversion i ON i.id = a.item_version_id"
    )
    rows = [(uuid_key(p), item, value, page) for p, item, value, page in cursor.fetchall()]
    cursor.execute(
        "SELECT i.page, count(*) FROM assessments_itemversion i JOIN"
        " assessments_instrumentversion v ON v.id = i.instrument_version_id"
        " WHERE v.status = 'published' GROUP BY i.page"
    )
    page_size = dict(cursor.fetchall())
    cursor.execute(
        "SELECT p.public_id, count(s.id) FROM profiles_profile p LEFT JOIN"
        " profiles_resultsnapshot s ON s.profile_id = p.id AND s.reason = 'submission'"
        " GROUP BY p.public_id"
    )
    snapshots = {uuid_key(p): n for p, n in cursor.fetchall()}
    connection.close()
    stored = {(profile, item): value for profile, item, value, _ in rows}
    on_page = Counter((profile, page) for profile, _, _, page in rows)
    expected = [
        (uuid_key(p.public_id), item, v)
        for p in people
        for a in p.acknowledged.values()
        for item, v in a.items()
    ]
    known = {uuid_key(p.public_id) for p in people if p.public_id}
    return {
        "acknowledged answers": len(expected),
        "answers lost": sum(1 for p, item, v in expected if stored.get((p, item)) != v),
        "partial pages": sum(1 for (_, page), n in on_page.items() if n != page_size[page]),
        "profiles nobody was told about": len(snapshots.keys() - known),
        "duplicated snapshots": sum(max(0, n - 1) for n in snapshots.values()),
        "acknowledged submits without snapshot": sum(
            1 for p in people if p.submitted and snapshots.get(uuid_key(p.public_id), 0) == 0
        ),
    }


# What check_writes counts that must be 0 after any fault: a lost or half-stored answer, a
# second profile or snapshot, a submit that was confirmed but left no result.
DATA_PROBLEMS = (
    "answers lost",
    "partial pages",
    "profiles nobody was told about",
    "duplicated snapshots",
    "acknowledged submits without snapshot",
)


def data_problems(writes: dict[str, int]) -> list[str]:
    return [f"{name}: {writes[name]}" for name in DATA_PROBLEMS if writes.get(name)]


def percentile(sorted_ms: list[float], share: float) -> float:
    return sorted_ms[max(0, round(share * len(sorted_ms) + 0.4999) - 1)] if sorted_ms else 0.0


def summary(run: Run, keep: Callable[[Sample], bool] = lambda sample: True) -> list[str]:
    """The endpoint table (markdown) over the samples `keep` accepts."""
    lines = [
        "| endpoint | requests | errors | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    endpoints = list(dict.fromkeys(s.endpoint for s in sorted(run.samples, key=lambda s: s.start)))
    for endpoint in [*endpoints, "all pages (GET + POST page)"]:
        chosen = [
            s
            for s in run.samples
            if keep(s)
            and (
                s.endpoint == endpoint
                or (endpoint.startswith("all pages") and s.endpoint in PAGE_ENDPOINTS)
            )
        ]
        times = sorted(s.ms for s in chosen)
        errors = sum(not s.ok for s in chosen)
        cells = [f"{percentile(times, q):.0f}" for q in (0.5, 0.95, 0.99)] + [
            f"{times[-1]:.0f}" if times else "0"
        ]
        lines.append(f"| {endpoint} | {len(chosen)} | {errors} | " + " | ".join(cells) + " |")
    return lines


def throughput(run: Run) -> tuple[float, float, int]:
    """Requests/s over the run, in the busiest 10 s window, and the most people active at once."""
    starts = sorted(s.start for s in run.samples)
    duration = max(0.001, run.ended - run.began)
    peak = max((sum(1 for t in starts if w <= t < w + 10) for w in starts[::50]), default=0) / 10
    edges = sorted([(p.began, 1) for p in run.people] + [(p.ended, -1) for p in run.people])
    active = best = 0
    for _, change in edges:
        active += change
        best = max(best, active)
    return len(starts) / duration, peak, best


def failures(run: Run) -> str:
    """What the failed requests got, e.g. {'TimeoutError': 3, '500': 2}."""
    return str(dict(Counter(s.status for s in run.samples if not s.ok)))


def report(run: Run, writes: dict[str, int], server_errors: int, cpu_s: float) -> list[str]:
    completed = sum(p.completed for p in run.people)
    rate, peak, concurrent = throughput(run)
    errors = sum(not s.ok for s in run.samples)
    stops = Counter(p.stopped for p in run.people if p.stopped)
    lines = [
        f"completions {completed}/{len(run.people)}, requests {len(run.samples)} in "
        f"{run.ended - run.began:.0f} s = {rate:.1f} req/s (busiest 10 s: {peak:.1f} req/s), "
        f"most people active at once {concurrent}, failed requests {errors} {failures(run)} "
        f"(server 5xx {server_errors}){', stopped: ' + str(dict(stops)) if stops else ''}",
        f"gunicorn CPU {cpu_s:.1f} s = {1000 * cpu_s / max(1, len(run.samples)):.1f} ms per "
        f"request, {1000 * cpu_s / max(1, completed):.0f} ms per completed questionnaire; "
        f"load generator CPU {run.cpu_s:.1f} s",
        "",
        *summary(run),
        "",
        "writes checked in the database afterwards: "
        + ", ".join(f"{name} {value}" for name, value in writes.items()),
    ]
    return lines


class Worker:
    """`celery -A relcap worker` (one pool child) on the load test's database and broker."""

    def __init__(self, environment: dict[str, str], directory: str) -> None:
        self.log = Path(directory) / "worker.log"
        command = [sys.executable, "-m", "celery", "-A", "relcap", "worker", "--loglevel=INFO"]
        command += ["--concurrency=1", f"--hostname=load-{os.getpid()}@%h", "--without-gossip"]
        command += ["--without-mingle", "--without-heartbeat"]
        self.command, self.environment, self.process = command, environment, None

    def __enter__(self) -> "Worker":
        with self.log.open("w") as log:
            self.process = subprocess.Popen(
                self.command, cwd=ROOT, env=self.environment, stdout=log, stderr=log
            )
        deadline = time.monotonic() + 120
        while " ready." not in self.log.read_text(errors="replace"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the Celery worker did not start; see {self.log}")
            time.sleep(0.2)
        return self

    def cpu_seconds(self) -> float:
        return process_tree_cpu(self.process.pid)

    def __exit__(self, *exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def process_tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and its children, from /proc."""
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        pids += [int(child) for child in task.read_text().split()]
    total = 0
    for one in pids:
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent busy (every process, other people's included)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


class DatabaseCpu(threading.Thread):
    """CPU seconds of the PostgreSQL backends serving one database, sampled every second from
    /proc (a backend's last sample counts after it exits). 0 when the server is elsewhere."""

    def __init__(self, database: str) -> None:
        super().__init__(daemon=True)
        self.marker, self.seen, self.done = f" {database} ".encode(), {}, threading.Event()

    def run(self) -> None:
        while not self.done.wait(1.0):
            self.sample()

    def sample(self) -> None:
        for entry in Path("/proc").glob("[0-9]*"):
            try:
                if self.marker in (entry / "cmdline").read_bytes().replace(b"\0", b" ") + b" ":
                    self.seen[entry.name] = process_tree_cpu(int(entry.name))
            except OSError:
                continue

    def stop(self) -> float:
        self.sample()
        self.done.set()
        return sum(self.seen.values())


def queued_tasks(broker: str, prefix: str) -> int:
    """Tasks still waiting in, or taken but unacknowledged from, this run's Redis queue."""
    import redis

    client = redis.Redis.from_url(broker)
    waiting = client.llen(f"{prefix}{QUEUE}")
    unacked = client.hlen(f"{prefix}unacked")
    client.close()
    return waiting + unacked


def drop_queues(broker: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(broker)
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)
    client.close()


def missed_targets(
    run: Run, writes: dict[str, int], server_errors: int, queued: int, p99_ms: float
) -> list[str]:
    """Every way this run fell short of the issue's target; empty when it was met."""
    missed = data_problems(writes)
    people = len(run.people)
    if (completed := sum(p.completed for p in run.people)) < people:
        missed.append(f"completed {completed} of {people}")
    if (concurrent := throughput(run)[2]) < people:
        missed.append(f"at most {concurrent} of {people} people were answering at once")
    if errors := sum(not s.ok for s in run.samples):
        missed.append(f"failed requests: {errors} {failures(run)}")
    if server_errors:
        missed.append(f"server 5xx: {server_errors}")
    if queued:
        missed.append(f"tasks left in the queue: {queued}")
    for endpoint in dict.fromkeys(s.endpoint for s in run.samples):
        times = sorted(s.ms for s in run.samples if s.endpoint == endpoint)
        if (p99 := percentile(times, 0.99)) >= p99_ms:
            missed.append(f"{endpoint} p99 {p99:.0f} ms (target < {p99_ms:g} ms)")
    return missed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--ramp", type=float, default=120.0, help="seconds to start everyone")
    parser.add_argument(
        "--think-statement",
        type=float,
        nargs=2,
        default=(2.0, 5.0),
        metavar=("MIN", "MAX"),
        help="seconds to read and answer one statement",
    )
    parser.add_argument(
        "--think-form",
        type=float,
        nargs=2,
        default=(5.0, 15.0),
        metavar=("MIN", "MAX"),
        help="seconds on the consent page and on the review page",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=16, help=">1 uses gthread workers")
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--p99-ms", type=float, default=500.0, help="target per request type")
    parser.add_argument("--broker", default=os.environ.get("RELCAP_LOAD_BROKER", LOAD_BROKER))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--keep-db", action="store_true", help="leave the database for a look")
    options = parser.parse_args()
    from tests.perf.crowd import Think, run_crowd

    people = max(1, min(options.people, MAX_PEOPLE))
    limit = max(10.0, min(options.time_limit, MAX_TIME_LIMIT_S))
    think = Think(tuple(options.think_statement), tuple(options.think_form))
    name = f"relcap_perf_load_{os.getpid()}"
    url = database_url(name)
    prefix = f"relcap-load-{os.getpid()}-{secrets.token_hex(4)}:"
    admin_sql(url, f"CREATE DATABASE {name}")
    load_before = os.getloadavg()
    try:
        with tempfile.TemporaryDirectory() as directory:
            environment = app_environment(url, directory) | {
                "CELERY_BROKER_URL": options.broker,
                "CELERY_KEY_PREFIX": prefix,
                "RELCAP_MEDIA_ROOT": str(Path(directory) / "media"),
            }
            prepare(environment)
            with (
                Worker(environment, directory) as worker,
                Server(environment, directory, options.workers, options.threads) as server,
            ):
                cpu, worker_cpu = server.cpu_seconds(), worker.cpu_seconds()
                busy, database_cpu = machine_busy_seconds(), DatabaseCpu(name)
                database_cpu.start()
                run = run_crowd(PORT, people, min(options.ramp, limit), think, limit, options.seed)
                server_errors, cpu = server.server_errors(), server.cpu_seconds() - cpu
                deadline = time.monotonic() + 60  # the worker finishes what the run enqueued
                while queued_tasks(options.broker, prefix) and time.monotonic() < deadline:
                    time.sleep(0.5)
                queued = queued_tasks(options.broker, prefix)
                worker_cpu = worker.cpu_seconds() - worker_cpu
                busy = machine_busy_seconds() - busy
                database_cpu_s = database_cpu.stop()
            writes = check_writes(url, run.people)
        completed = max(1, sum(p.completed for p in run.people))
        print(
            f"load: {people} people, ramp {options.ramp:.0f} s, think "
            f"{think.per_statement[0]:g}-{think.per_statement[1]:g} s per statement and "
            f"{think.per_form[0]:g}-{think.per_form[1]:g} s on the consent and review pages, "
            f"gunicorn {options.workers} workers × {options.threads} threads + 1 Celery worker "
            f"(Redis {options.broker}), no retries; {os.cpu_count()} cores shared by gunicorn, "
            "PostgreSQL, the worker, this generator and anything else running"
        )
        print("\n".join(report(run, writes, server_errors, cpu)))
        ours = cpu + worker_cpu + database_cpu_s + run.cpu_s
        print(
            f"PostgreSQL backends of this database CPU {database_cpu_s:.1f} s; gunicorn + "
            f"PostgreSQL + worker + generator {ours:.1f} CPU s = {1000 * ours / completed:.0f} ms "
            f"per completion"
        )
        print(
            f"Celery worker CPU {worker_cpu:.1f} s, tasks left in the queue {queued}; "
            f"whole machine busy {busy:.0f} CPU s over {run.ended - run.began:.0f} s "
            f"({busy / max(1.0, run.ended - run.began):.2f} of {os.cpu_count()} cores; "
            f"{1000 * busy / completed:.0f} ms per completion, other work included); "
            f"load average {load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after"
        )
    finally:
        drop_queues(options.broker, prefix)
        if not options.keep_db:
            admin_sql(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    if missed := missed_targets(run, writes, server_errors, queued, options.p99_ms):
        raise SystemExit("load: TARGET MISSED: " + "; ".join(missed))
    print(f"load: target met ({people} people at once, every p99 < {options.p99_ms:g} ms)")


if __name__ == "__main__":
    # Run as the module tests.perf.load, so that tests/perf/crowd.py shares its classes.
    sys.path.insert(0, str(ROOT))
    from tests.perf import load

    load.main()
