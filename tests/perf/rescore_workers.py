"""Re-scoring time with 1 and 2 Celery workers: `python tests/perf/rescore_workers.py [profiles]`.

Needs PostgreSQL (`DATABASE_URL`; SQLite takes one writer at a time, so workers cannot share
the work) and Redis (`CELERY_BROKER_URL`, default redis://127.0.0.1:6379/0). Builds the
throwaway database `relcap_bench_statistics_<pid>` with the synthetic profiles of
tests/bench_statistics.py, then for each worker count starts that many workers (one process
each), runs `manage.py rescore --write score-1 --wait` and prints the wall time and rate.
The re-score snapshots are deleted between runs, so each run does the same work.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relcap.settings")
BROKER = os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
PREFIX = os.environ.setdefault("CELERY_KEY_PREFIX", f"relcap-bench-{uuid.uuid4().hex[:8]}:")
PROFILES = 3000
CHUNK = 100


def start_workers(count: int, database_url: str, log_dir: Path) -> list[subprocess.Popen]:
    env = {**os.environ, "DATABASE_URL": database_url}
    command = [sys.executable, "-m", "celery", "-A", "relcap", "worker", "--loglevel=INFO"]
    command += ["--concurrency=1", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    workers = []
    for number in range(count):
        log = log_dir / f"worker-{count}-{number}.log"
        workers.append(
            subprocess.Popen(
                [*command, f"--hostname=bench{number}-{uuid.uuid4().hex[:6]}@%h"],
                cwd=ROOT,
                env=env,
                stdout=log.open("wb"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
        deadline = time.monotonic() + 90
        while " ready." not in log.read_text(errors="replace"):
            if time.monotonic() > deadline or workers[-1].poll() is not None:
                raise SystemExit(f"worker did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.2)
    return workers


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        worker.wait(timeout=30)


def forget_queues() -> None:
    """Delete this run's keys (queue bindings) from Redis."""
    import redis

    client = redis.Redis.from_url(BROKER)
    for key in client.scan_iter(match=f"{PREFIX}*"):
        client.delete(key)


def timed_rescore() -> float:
    from django.core.management import call_command

    out = StringIO()
    start = time.perf_counter()
    call_command("rescore", "--write", "score-1", "--wait", "--chunk-size", str(CHUNK), stdout=out)
    seconds = time.perf_counter() - start
    print("   ", out.getvalue().strip())
    return seconds


def main(count: int) -> None:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        raise SystemExit("set DATABASE_URL to a PostgreSQL server: workers share work there")
    import tempfile

    from tests.bench_statistics import populate, setup

    with tempfile.TemporaryDirectory() as directory:
        setup(directory)
        from django.db import connection

        from profiles.models import ResultSnapshot

        db = connection.settings_dict
        url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
        try:
            populate(count)
            rows = []
            for workers_count in (1, 2, 1, 2):
                ResultSnapshot.objects.filter(reason="rescore").delete()
                workers = start_workers(workers_count, url, Path(directory))
                try:
                    seconds = timed_rescore()
                finally:
                    stop_workers(workers)
                rows.append((workers_count, seconds))
        finally:
            connection.close()
            connection.creation.destroy_test_db(db["NAME"], verbosity=0, keepdb=False)
            forget_queues()
    print(f"{count:,} profiles, chunks of {CHUNK}, load {os.getloadavg()[0]:.1f}")
    for workers_count, seconds in rows:
        print(f"  {workers_count} worker(s): {seconds:.1f} s, {count / seconds:,.0f} profiles/s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else PROFILES)
