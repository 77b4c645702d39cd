"""Background work of live moments: the daily 12-month retention run (celery beat)."""

from celery import shared_task
from django.utils import timezone

from moments import services
from relcap.jobs.engine import RelcapTask


@shared_task(base=RelcapTask)
def apply_retention() -> int:
    """Idempotent: deleting again what is gone already deletes nothing."""
    return services.apply_retention(now=timezone.now())
