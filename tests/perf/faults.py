"""Fault tests (`make faults`): SQLite writers, gunicorn reload and a database restart.

    python tests/perf/faults.py [sqlite] [reload] [restart]      (default: all three)

sqlite   16 writers (threads in one process, like runserver, then 16 processes) answer and
         submit through the app with the test client against a temporary SQLite file with
         the project's SQLite options (WAL, BEGIN IMMEDIATE, 20 s busy timeout).
reload   gunicorn gets SIGHUP twice while people answer: no request may fail.
restart  PostgreSQL stops for OUTAGE_S and starts again while people answer; failures are
         allowed only while it is down, and /healthz must be 200 again about a second after.
reload and restart run against a private PostgreSQL cluster that this script creates in a
temporary directory on a free 127.0.0.1 port and deletes again, so the shared server is
never restarted. Afterwards every answer acknowledged to a person must be stored, every page
stored whole or not at all, and every person must have one profile and one snapshot.
"""

import contextlib
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.perf import load  # noqa: E402

WRITERS = 16
PEOPLE_PER_WRITER = 4
SQLITE_TIME_LIMIT_S = 120
FAULT_PEOPLE, FAULT_RAMP_S, FAULT_THINK_S, FAULT_TIME_LIMIT_S = 60, 10.0, (1.0, 3.0), 120.0
RELOADS_AT_S = (10.0, 20.0)
RESTART_AT_S, OUTAGE_S, RECOVERY_GOAL_S = 15.0, 3.0, 1.0
WORKERS, THREADS = 5, 1
PAGES = 7


# ----------------------------------------------------------------------------- (c) SQLite
def sqlite_setup(path: str) -> None:
    """The quick-start configuration (DEBUG on, SQLite options from relcap/env.py), pointed at
    a temporary file instead of db.sqlite3."""
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "relcap.settings"
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    import django
    from django.conf import settings

    settings.DATABASES["default"]["NAME"] = path
    django.setup()


def respondent(client, result: dict) -> None:
    """One person: consent, seven pages, submit. Anything unexpected raises."""
    nonce = str(uuid.uuid4())
    form = {"context_mode": "both", "consent": "on", "adult": "on", "nonce": nonce}
    response = client.post("/start/", form)
    if response.status_code != 302:
        raise RuntimeError(f"start: HTTP {response.status_code}")
    public_id = response.url.split("/")[2]
    rng = random.Random(nonce)
    for page in range(1, PAGES + 1):
        url = f"/a/{public_id}/page/{page}/"
        html = client.get(url).content.decode()
        values = {int(item): rng.randint(1, 7) for item in load.FIELD.findall(html)}
        data = {"rendered": load.STAMP.search(html)[1], "nav": "next"}
        data |= {f"q{k}": str(v) for k, v in values.items()}
        began = time.perf_counter()
        response = client.post(url, data)
        result["save_ms"].append((time.perf_counter() - began) * 1000)
        if response.status_code != 302:
            raise RuntimeError(f"page {page}: HTTP {response.status_code}")
        result["acknowledged"] += [(public_id, k, v) for k, v in values.items()]
    if client.post(f"/a/{public_id}/review/").status_code != 302:
        raise RuntimeError("submit failed")
    result["submitted"].append(public_id)


def sqlite_writer(people: int, deadline: float, barrier) -> dict:
    from django.db import connections
    from django.test import Client

    result = {"acknowledged": [], "submitted": [], "save_ms": [], "errors": []}
    barrier.wait(timeout=120)
    result["began"] = time.time()  # after every writer has set Django up
    for _ in range(people):
        if time.time() > deadline:
            result["errors"].append("time limit")
            break
        try:
            respondent(Client(HTTP_HOST="127.0.0.1"), result)
        except Exception as error:  # counted and reported, whatever it is
            result["errors"].append(f"{type(error).__name__}: {error}"[:200])
    result["ended"] = time.time()
    connections.close_all()
    return result


def sqlite_process(path: str, people: int, deadline: float, barrier, queue) -> None:
    sqlite_setup(path)
    queue.put(sqlite_writer(people, deadline, barrier))


def run_writers(path: str, mode: str) -> tuple[list[dict], float]:
    """WRITERS writers started together, as threads here or as spawned processes; returns
    their results and the seconds from the common start to the last one done."""
    import multiprocessing

    deadline = time.time() + SQLITE_TIME_LIMIT_S
    if mode == "threads":
        barrier, results = threading.Barrier(WRITERS), []
        workers = [
            threading.Thread(
                target=lambda: results.append(sqlite_writer(PEOPLE_PER_WRITER, deadline, barrier))
            )
            for _ in range(WRITERS)
        ]
    else:
        context = multiprocessing.get_context("spawn")
        barrier, queue = context.Barrier(WRITERS), context.Queue()
        workers = [
            context.Process(
                target=sqlite_process, args=(path, PEOPLE_PER_WRITER, deadline, barrier, queue)
            )
            for _ in range(WRITERS)
        ]
    for worker in workers:
        worker.start()
    if mode == "processes":
        results = [queue.get(timeout=SQLITE_TIME_LIMIT_S + 150) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    return results, max(r["ended"] for r in results) - min(r["began"] for r in results)


def sqlite_checks(results: list[dict]) -> dict[str, int]:
    from collections import Counter

    from assessments.models import ItemVersion
    from profiles.models import Answer, Profile, ResultSnapshot

    rows = Answer.objects.values_list("profile__public_id", "item_version_id", "value")
    stored = {(str(p), item): value for p, item, value in rows}
    pages = Answer.objects.values_list("profile__public_id", "item_version__page")
    on_page = Counter((str(p), page) for p, page in pages)
    published = ItemVersion.objects.filter(instrument_version__status="published")
    page_size = Counter(published.values_list("page", flat=True))
    expected = [row for r in results for row in r["acknowledged"]]
    submitted = {p for r in results for p in r["submitted"]}
    snapshots = Counter(
        str(p) for p in ResultSnapshot.objects.values_list("profile__public_id", flat=True)
    )
    return {
        "acknowledged answers": len(expected),
        "answers lost": sum(1 for p, item, v in expected if stored.get((p, item)) != v),
        "partial pages": sum(1 for (_, page), n in on_page.items() if n != page_size[page]),
        "profiles": Profile.objects.count(),
        "duplicated snapshots": sum(max(0, n - 1) for n in snapshots.values()),
        "submits without snapshot": sum(1 for p in submitted if snapshots[p] == 0),
    }


def sqlite_scenario() -> list[str]:
    with tempfile.TemporaryDirectory() as directory:
        path = str(Path(directory) / "faults.sqlite3")
        sqlite_setup(path)
        from django.core.management import call_command
        from django.db import connection, connections

        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            journal = cursor.fetchone()[0]
        connections.close_all()
        options = connection.settings_dict["OPTIONS"]
        lines = [
            f"SQLite {sqlite_version()}: journal_mode={journal}, "
            f"transaction_mode={options['transaction_mode']}, busy timeout {options['timeout']} s"
        ]
        everything = []
        for mode in ("threads", "processes"):
            results, seconds = run_writers(path, mode)
            everything += results
            lines.append(sqlite_line(mode, results, seconds))
        lines.append("checked in the database afterwards: " + listing(sqlite_checks(everything)))
    return lines


def sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


def sqlite_line(mode: str, results: list[dict], seconds: float) -> str:
    errors = [e for r in results for e in r["errors"]]
    locked = sum("database is locked" in e for e in errors)
    saves = sorted(ms for r in results for ms in r["save_ms"])
    submits = sum(len(r["submitted"]) for r in results)
    return (
        f"{WRITERS} writers as {mode}: {submits}/{WRITERS * PEOPLE_PER_WRITER} people submitted, "
        f'{len(saves)} page saves in {seconds:.1f} s; "database is locked" {locked}, '
        f"other errors {len(errors) - locked}{' ' + str(errors[:3]) if errors else ''}; "
        f"page save p50 {statistics.median(saves):.0f} ms, "
        f"p95 {load.percentile(saves, 0.95):.0f} ms, max {saves[-1]:.0f} ms"
        if saves
        else f"{WRITERS} writers as {mode}: nothing saved; errors {errors[:3]}"
    )


def listing(values: dict[str, int]) -> str:
    return ", ".join(f"{name} {value}" for name, value in values.items())


# ----------------------------------------------------------------------------- PostgreSQL
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((load.HOST, 0))
        return probe.getsockname()[1]


class Cluster:
    """A private PostgreSQL cluster (trust auth, 127.0.0.1 only) in a temporary directory."""

    def __init__(self, directory: str) -> None:
        binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
        if not binaries:
            raise SystemExit("PostgreSQL server binaries not found under /usr/lib/postgresql")
        self.bin, self.port = binaries[-1].parent, free_port()
        self.data, self.log = Path(directory) / "pgdata", Path(directory) / "postgres.log"
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.url = f"postgres://postgres@{load.HOST}:{self.port}/postgres"

    def pg(self, *arguments: str, timeout: float = 60) -> None:
        subprocess.run(
            [*self.as_owner, str(self.bin / arguments[0]), *arguments[1:]],
            check=True,
            timeout=timeout,
            stdout=subprocess.DEVNULL,
        )

    def __enter__(self) -> "Cluster":
        Path(self.data.parent).chmod(0o777)  # the postgres user writes here when we are root
        self.log.touch()
        self.log.chmod(0o666)
        self.pg("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()
        return self

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses={load.HOST} -k {self.data}"
        self.pg("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self) -> None:
        self.pg("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()


def app(cluster: Cluster, directory: str, name: str) -> tuple[str, dict[str, str]]:
    url = load.database_url(name, cluster.url)
    load.admin_sql(url, f"CREATE DATABASE {name}")
    environment = load.app_environment(url, directory)
    load.prepare(environment)
    return url, environment


def at(seconds: float, action) -> threading.Thread:
    """Run `action` once, `seconds` from now, in a daemon thread."""
    thread = threading.Thread(target=lambda: (time.sleep(seconds), action()), daemon=True)
    thread.start()
    return thread


def reload_scenario(cluster: Cluster, directory: str) -> list[str]:
    url, environment = app(cluster, directory, "relcap_faults_reload")
    port = free_port()
    with load.Server(environment, directory, WORKERS, THREADS, port) as server:
        sent = []
        for delay in RELOADS_AT_S:
            at(delay, lambda: (server.reload(), sent.append(time.monotonic())))
        run = load.run_people(port, FAULT_PEOPLE, FAULT_RAMP_S, FAULT_THINK_S, FAULT_TIME_LIMIT_S)
        server_errors = server.server_errors()
    failed = sum(not s.ok for s in run.samples)
    return [
        f"gunicorn {WORKERS} workers × {THREADS} threads, SIGHUP at "
        + ", ".join(f"{t - run.began:.1f} s" for t in sent)
        + f": {len(run.samples)} requests, failed {failed} {load.failures(run)}, "
        f"server 5xx {server_errors}, "
        f"completions {sum(p.completed for p in run.people)}/{FAULT_PEOPLE}",
        "failed requests by second they were sent: " + timeline(run),
        *load.summary(run),
        "checked in the database afterwards: " + listing(load.check_writes(url, run.people)),
    ]


def timeline(run: load.Run) -> str:
    from collections import Counter

    seconds = Counter(int(s.start - run.began) for s in run.samples if not s.ok)
    return ", ".join(f"{t} s: {n}" for t, n in sorted(seconds.items())) or "none"


def restart_scenario(cluster: Cluster, directory: str) -> list[str]:
    url, environment = app(cluster, directory, "relcap_faults_restart")
    port, outage, probes = free_port(), {}, []
    with load.Server(environment, directory, WORKERS, THREADS, port) as server:

        def restart() -> None:
            outage["down"] = time.monotonic()
            cluster.stop()
            time.sleep(OUTAGE_S)
            cluster.start()
            outage["up"] = time.monotonic()

        def probe() -> None:  # /healthz every 0.1 s until 10 s after the database is back
            while "up" not in outage or time.monotonic() < outage["up"] + 10:
                probes.append((time.monotonic(), load.health(port)))
                time.sleep(0.1)

        at(RESTART_AT_S, restart)
        at(RESTART_AT_S, probe)
        run = load.run_people(port, FAULT_PEOPLE, FAULT_RAMP_S, FAULT_THINK_S, FAULT_TIME_LIMIT_S)
        server_errors = server.server_errors()
    down, up = outage["down"], outage["up"]
    healthy = [t for t, status in probes if t >= up and status == 200]
    recovered = (healthy[0] - up) if healthy else float("inf")
    late = [s for s in run.samples if s.start >= up + RECOVERY_GOAL_S and not s.ok]
    during = [s for s in run.samples if down - 1 <= s.start < up + RECOVERY_GOAL_S]
    return [
        f"PostgreSQL stopped at {down - run.began:.1f} s (fast shutdown), started again at "
        f"{up - run.began:.1f} s; /healthz 200 again {recovered:.2f} s after it was back; "
        f"failed requests {sum(not s.ok for s in run.samples)} {load.failures(run)} (server 5xx "
        f"{server_errors}, /healthz probes included), "
        f"of which started from 1 s before the stop to {RECOVERY_GOAL_S:g} s after the start "
        f"{sum(not s.ok for s in during)}, later {len(late)}; completions "
        f"{sum(p.completed for p in run.people)}/{FAULT_PEOPLE}",
        *load.summary(run),
        "checked in the database afterwards: " + listing(load.check_writes(url, run.people)),
    ]


def main() -> None:
    chosen = sys.argv[1:] or ["sqlite", "reload", "restart"]
    unknown = set(chosen) - {"sqlite", "reload", "restart"}
    if unknown:
        raise SystemExit(f"unknown scenario {sorted(unknown)}; choose sqlite, reload, restart")
    print(f"faults: {os.cpu_count()} cores shared by the app, the database and the people")
    if "sqlite" in chosen:
        print("\n## SQLite quick start, concurrent writers\n")
        print("\n".join(sqlite_scenario()))
    if {"reload", "restart"} & set(chosen):
        with tempfile.TemporaryDirectory() as directory, Cluster(directory) as cluster:
            for name, scenario in (("reload", reload_scenario), ("restart", restart_scenario)):
                if name in chosen:
                    print(f"\n## {name}: {FAULT_PEOPLE} people, think {FAULT_THINK_S} s\n")
                    with tempfile.TemporaryDirectory() as app_directory:
                        print("\n".join(scenario(cluster, app_directory)))


if __name__ == "__main__":
    main()
