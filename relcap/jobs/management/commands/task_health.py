"""Health check of a Celery worker or of beat, for docker compose and CI."""

import socket
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from relcap.celery import app

BEAT_STALE_AFTER = 120  # seconds; beat ticks at least every CELERY_BEAT_MAX_LOOP_INTERVAL


class Command(BaseCommand):
    help = (
        "Exit 0 when this host's Celery worker answers a ping (worker) or beat has ticked "
        "in the last two minutes (beat); exit 1 otherwise."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("role", choices=["worker", "beat"])
        parser.add_argument("--hostname", default=f"celery@{socket.gethostname()}")

    def handle(self, *args, role: str, hostname: str, **options) -> None:
        if role == "worker":
            replies = app.control.ping(destination=[hostname], timeout=3)
            if not replies:
                raise CommandError(f"worker {hostname} did not answer a ping")
            self.stdout.write(f"worker {hostname} is up")
            return
        heartbeat = Path(settings.RELCAP_BEAT_HEARTBEAT_FILE)
        if not heartbeat.exists() or time.time() - heartbeat.stat().st_mtime > BEAT_STALE_AFTER:
            raise CommandError(f"beat has not ticked in {BEAT_STALE_AFTER} s ({heartbeat})")
        self.stdout.write("beat is ticking")
