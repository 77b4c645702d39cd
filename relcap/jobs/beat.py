"""Celery beat's scheduler with a heartbeat file, so a health check can tell beat is alive."""

from pathlib import Path

from celery.beat import PersistentScheduler
from django.conf import settings


class HeartbeatScheduler(PersistentScheduler):
    def tick(self, *args, **kwargs) -> float:
        Path(settings.RELCAP_BEAT_HEARTBEAT_FILE).touch()
        return super().tick(*args, **kwargs)
