"""Fault tests (`make faults`): data survives crashes, restarts and many writers.

    python tests/perf/faults.py [--short] [scenario ...]       (default: every scenario)

sqlite       16 writers (threads in one process, like runserver, then 16 processes) answer
             and submit through the app with the test client against a temporary SQLite
             file with the project's SQLite options (WAL, BEGIN IMMEDIATE, 20 s busy timeout).
sqlite-http  the same SQLite file options behind gunicorn (several worker processes), driven
             over real HTTP by the load test's people; no fault, so no request may fail.
reload       gunicorn gets SIGHUP twice while people answer: no server error.
restart      PostgreSQL stops cleanly (`pg_ctl stop -m fast`) and starts again while people
             answer; failures are allowed only around the outage, /healthz heals by itself.
crash        the same with `pg_ctl stop -m immediate`: no checkpoint, WAL replay on start.
kill         SIGKILL to every gunicorn worker at once, mid-request; the master starts new ones.

reload, restart, crash and kill run against a private PostgreSQL cluster that this script
creates in a temporary directory on a free 127.0.0.1 port and deletes again, so the shared
server is never restarted. After every scenario the database is checked: every answer
acknowledged to a person stored, every page stored whole or not at all, one profile and one
submission snapshot per person. The script exits non-zero when any scenario finds a lost,
partial or duplicated write (or misses its availability rule); `--short` is the quick
version that CI runs.
"""

import contextlib
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import warnings
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.perf import load  # noqa: E402

THREADS = 1
PAGES = 7
SQLITE_TIME_LIMIT_S = 120
RECOVERY_LIMIT_S = 5.0  # after PostgreSQL is back, the app must heal within this
KILL_RECOVERY_S = 30.0  # new workers import Django first; a busy host makes that slow
POSTGRES_SCENARIOS = ("reload", "restart", "crash", "kill")
SCENARIOS = ("sqlite", "sqlite-http", *POSTGRES_SCENARIOS)


@dataclass(frozen=True)
class Size:
    name: str
    writers: int
    people_per_writer: int
    people: int
    ramp_s: float
    think_s: tuple[float, float]
    time_limit_s: float
    workers: int
    reloads_at_s: tuple[float, ...]
    fault_at_s: float
    outage_s: float


FULL = Size("full", 16, 4, 60, 10.0, (1.0, 3.0), 120.0, 5, (10.0, 20.0), 15.0, 3.0)
# The version CI runs: every scenario, fewer people, faults early.
SHORT = Size("short", 6, 2, 16, 3.0, (0.3, 1.0), 60.0, 3, (4.0, 8.0), 5.0, 2.0)
SIZE = FULL


@dataclass
class Outcome:
    lines: list[str]
    problems: list[str] = field(default_factory=list)


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
    """SIZE.writers writers started together, as threads here or as spawned processes; returns
    their results and the seconds from the common start to the last one done."""
    import multiprocessing

    deadline = time.time() + SQLITE_TIME_LIMIT_S
    if mode == "threads":
        barrier, results = threading.Barrier(SIZE.writers), []
        workers = [
            threading.Thread(
                target=lambda: results.append(
                    sqlite_writer(SIZE.people_per_writer, deadline, barrier)
                )
            )
            for _ in range(SIZE.writers)
        ]
    else:
        context = multiprocessing.get_context("spawn")
        barrier, queue = context.Barrier(SIZE.writers), context.Queue()
        workers = [
            context.Process(
                target=sqlite_process, args=(path, SIZE.people_per_writer, deadline, barrier, queue)
            )
            for _ in range(SIZE.writers)
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


def sqlite_scenario() -> Outcome:
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
        outcome = Outcome(
            [
                f"SQLite {sqlite_version()}: journal_mode={journal}, "
                f"transaction_mode={options['transaction_mode']}, "
                f"busy timeout {options['timeout']} s"
            ]
        )
        everything = []
        for mode in ("threads", "processes"):
            results, seconds = run_writers(path, mode)
            everything += results
            outcome.lines.append(sqlite_line(mode, results, seconds))
            if errors := [e for r in results for e in r["errors"]]:
                outcome.problems.append(f"{len(errors)} writers' errors as {mode}: {errors[:3]}")
        checks = sqlite_checks(everything)
        outcome.lines.append("checked in the database afterwards: " + listing(checks))
        expected = SIZE.writers * SIZE.people_per_writer * 2
        extra = checks["profiles"] - expected
        outcome.problems += [
            f"{name}: {checks[name]}"
            for name in ("answers lost", "partial pages", "duplicated snapshots")
            if checks[name]
        ]
        if checks["submits without snapshot"]:
            outcome.problems.append(
                f"submits without snapshot: {checks['submits without snapshot']}"
            )
        if extra:
            outcome.problems.append(f"{extra} profiles more than the {expected} people")
    return outcome


def sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


def sqlite_line(mode: str, results: list[dict], seconds: float) -> str:
    errors = [e for r in results for e in r["errors"]]
    locked = sum("database is locked" in e for e in errors)
    saves = sorted(ms for r in results for ms in r["save_ms"])
    submits = sum(len(r["submitted"]) for r in results)
    return (
        f"{SIZE.writers} writers as {mode}: "
        f"{submits}/{SIZE.writers * SIZE.people_per_writer} people submitted, "
        f'{len(saves)} page saves in {seconds:.1f} s; "database is locked" {locked}, '
        f"other errors {len(errors) - locked}{' ' + str(errors[:3]) if errors else ''}; "
        f"page save p50 {statistics.median(saves):.0f} ms, "
        f"p95 {load.percentile(saves, 0.95):.0f} ms, max {saves[-1]:.0f} ms"
        if saves
        else f"{SIZE.writers} writers as {mode}: nothing saved; errors {errors[:3]}"
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

    def stop(self, mode: str = "fast") -> None:
        """`fast` ends every session cleanly; `immediate` is a crash (no checkpoint)."""
        self.pg("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

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


def people(port: int) -> load.Run:
    return load.run_people(port, SIZE.people, SIZE.ramp_s, SIZE.think_s, SIZE.time_limit_s)


def checked(url: str, run: load.Run, outcome: Outcome) -> None:
    """Add the database check of `run` to the outcome; any lost, partial or duplicated write
    is a problem whatever the fault was."""
    writes = load.check_writes(url, run.people)
    outcome.lines.append("checked in the database afterwards: " + listing(writes))
    outcome.problems += load.data_problems(writes)


def completions(run: load.Run) -> str:
    return f"completions {sum(p.completed for p in run.people)}/{len(run.people)}"


def sqlite_http_scenario(directory: str) -> Outcome:
    """The quick start's SQLite file behind gunicorn with several worker processes, over real
    HTTP: no fault is injected, so any failed request is a problem too."""
    url = str(Path(directory) / "faults-http.sqlite3")
    environment = load.app_environment(url, directory)
    load.prepare(environment)
    port = free_port()
    with load.Server(environment, directory, SIZE.workers, THREADS, port) as server:
        run = people(port)
        server_errors = server.server_errors()
    failed = sum(not s.ok for s in run.samples)
    outcome = Outcome(
        [
            f"gunicorn {SIZE.workers} workers on one SQLite file (WAL, BEGIN IMMEDIATE): "
            f"{len(run.samples)} requests, failed {failed} {load.failures(run)}, "
            f"server 5xx {server_errors}, {completions(run)}",
            *load.summary(run),
        ]
    )
    checked(url, run, outcome)
    if failed or server_errors:
        outcome.problems.append(f"failed requests {failed}, server 5xx {server_errors}")
    return outcome


def reload_scenario(cluster: Cluster, directory: str) -> Outcome:
    url, environment = app(cluster, directory, "relcap_faults_reload")
    port = free_port()
    with load.Server(environment, directory, SIZE.workers, THREADS, port) as server:
        sent = []
        for delay in SIZE.reloads_at_s:
            at(delay, lambda: (server.reload(), sent.append(time.monotonic())))
        run = people(port)
        server_errors = server.server_errors()
    failed = sum(not s.ok for s in run.samples)
    outcome = Outcome(
        [
            f"gunicorn {SIZE.workers} workers × {THREADS} threads, SIGHUP at "
            + ", ".join(f"{t - run.began:.1f} s" for t in sent)
            + f": {len(run.samples)} requests, failed {failed} {load.failures(run)}, "
            f"server 5xx {server_errors}, {completions(run)}",
            "failed requests by second they were sent: " + timeline(run),
            *load.summary(run),
        ]
    )
    checked(url, run, outcome)
    # A reload drops no connection; a slow worker boot on a busy host can still time a
    # request out (docs/reliability.md), so only server errors count against it here.
    if server_errors:
        outcome.problems.append(f"server 5xx during a graceful reload: {server_errors}")
    return outcome


def timeline(run: load.Run) -> str:
    from collections import Counter

    seconds = Counter(int(s.start - run.began) for s in run.samples if not s.ok)
    return ", ".join(f"{t} s: {n}" for t, n in sorted(seconds.items())) or "none"


def outage_scenario(cluster: Cluster, directory: str, mode: str) -> Outcome:
    """PostgreSQL goes away under load and comes back: `fast` is a clean shutdown, `immediate`
    a crash (no checkpoint; the server replays its WAL on the next start)."""
    url, environment = app(cluster, directory, f"relcap_faults_{mode}")
    port, outage, probes = free_port(), {}, []
    with load.Server(environment, directory, SIZE.workers, THREADS, port) as server:

        def restart() -> None:
            outage["down"] = time.monotonic()
            cluster.stop(mode)
            time.sleep(SIZE.outage_s)
            cluster.start()
            outage["up"] = time.monotonic()

        def probe() -> None:  # /healthz every 0.1 s until 10 s after the database is back
            while "up" not in outage or time.monotonic() < outage["up"] + 10:
                probes.append((time.monotonic(), load.health(port)))
                time.sleep(0.1)

        at(SIZE.fault_at_s, restart)
        at(SIZE.fault_at_s, probe)
        run = people(port)
        server_errors = server.server_errors()
    if "up" not in outage:
        return Outcome([], [f"the run ended before PostgreSQL was {mode}-stopped and restarted"])
    down, up = outage["down"], outage["up"]
    healthy = [t for t, status in probes if t >= up and status == 200]
    recovered = (healthy[0] - up) if healthy else float("inf")
    late = [s for s in run.samples if s.start >= up + RECOVERY_LIMIT_S and not s.ok]
    during = [s for s in run.samples if down - 1 <= s.start < up + RECOVERY_LIMIT_S]
    kind = "crash: pg_ctl stop -m immediate" if mode == "immediate" else "fast shutdown"
    outcome = Outcome(
        [
            f"PostgreSQL stopped at {down - run.began:.1f} s ({kind}), started again at "
            f"{up - run.began:.1f} s; /healthz 200 again {recovered:.2f} s after it was back; "
            f"failed requests {sum(not s.ok for s in run.samples)} {load.failures(run)} "
            f"(server 5xx {server_errors}, /healthz probes included), of which started from "
            f"1 s before the stop to {RECOVERY_LIMIT_S:g} s after the start "
            f"{sum(not s.ok for s in during)}, later {len(late)}; {completions(run)}",
            *load.summary(run),
        ]
    )
    checked(url, run, outcome)
    if recovered > RECOVERY_LIMIT_S:
        outcome.problems.append(f"/healthz not 200 within {RECOVERY_LIMIT_S:g} s of the start")
    if late:
        outcome.problems.append(f"{len(late)} requests failed after the app should have healed")
    return outcome


def kill_scenario(cluster: Cluster, directory: str) -> Outcome:
    """SIGKILL every gunicorn worker at once, mid-request: open transactions die with their
    connection, the master starts new workers, people's retries carry on."""
    url, environment = app(cluster, directory, "relcap_faults_kill")
    port, killed = free_port(), []
    with load.Server(environment, directory, SIZE.workers, THREADS, port) as server:

        def kill() -> None:
            for pid in server.worker_pids():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
            killed.append(time.monotonic())

        at(SIZE.fault_at_s, kill)
        run = people(port)
        server_errors = server.server_errors()
    if not killed:
        return Outcome([], ["the run ended before the workers were killed"])
    when = killed[-1]
    failed = [s for s in run.samples if not s.ok]
    late = [s for s in failed if s.start >= when + KILL_RECOVERY_S]
    outcome = Outcome(
        [
            f"SIGKILL to {len(killed) - 1} gunicorn workers at {when - run.began:.1f} s: "
            f"{len(run.samples)} requests, failed {len(failed)} {load.failures(run)}, of which "
            f"started {KILL_RECOVERY_S:g} s or more after the kill {len(late)}; server 5xx "
            f"{server_errors}; {completions(run)}",
            *load.summary(run),
        ]
    )
    checked(url, run, outcome)
    if late:
        outcome.problems.append(f"{len(late)} requests failed long after the workers were back")
    return outcome


def postgres_scenarios(chosen: list[str]) -> list[tuple[str, Outcome]]:
    outcomes = []
    with tempfile.TemporaryDirectory() as directory, Cluster(directory) as cluster:
        for name in POSTGRES_SCENARIOS:
            if name not in chosen:
                continue
            print(f"\n## {name}: {SIZE.people} people, think {SIZE.think_s} s\n", flush=True)
            with tempfile.TemporaryDirectory() as app_directory:
                if name == "reload":
                    outcome = reload_scenario(cluster, app_directory)
                elif name == "kill":
                    outcome = kill_scenario(cluster, app_directory)
                else:
                    mode = "immediate" if name == "crash" else "fast"
                    outcome = outage_scenario(cluster, app_directory, mode)
            outcomes.append((name, show(outcome)))
    return outcomes


def show(outcome: Outcome) -> Outcome:
    print("\n".join(outcome.lines + [f"PROBLEM: {p}" for p in outcome.problems]), flush=True)
    return outcome


def main() -> None:
    global SIZE
    arguments = sys.argv[1:]
    if "--short" in arguments:
        SIZE = SHORT
        arguments.remove("--short")
    chosen = arguments or list(SCENARIOS)
    unknown = set(chosen) - set(SCENARIOS)
    if unknown:
        raise SystemExit(f"unknown scenario {sorted(unknown)}; choose from {', '.join(SCENARIOS)}")
    print(
        f"faults ({SIZE.name}): {os.cpu_count()} cores shared by the app, the database and "
        "the people"
    )
    outcomes = []
    if "sqlite" in chosen:
        print("\n## sqlite: concurrent writers in one process and in many\n", flush=True)
        outcomes.append(("sqlite", show(sqlite_scenario())))
    if "sqlite-http" in chosen:
        print(f"\n## sqlite-http: {SIZE.people} people over HTTP\n", flush=True)
        with tempfile.TemporaryDirectory() as directory:
            outcomes.append(("sqlite-http", show(sqlite_http_scenario(directory))))
    if set(POSTGRES_SCENARIOS) & set(chosen):
        outcomes += postgres_scenarios(chosen)
    failed = [name for name, outcome in outcomes if outcome.problems]
    print(f"\nfaults: {len(outcomes) - len(failed)}/{len(outcomes)} scenarios held", end="")
    if failed:
        raise SystemExit(f"; FAILED: {', '.join(failed)}")
    print()


if __name__ == "__main__":
    main()
