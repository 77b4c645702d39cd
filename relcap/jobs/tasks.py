"""The task engine's own upkeep: forget finished-task records once no retry can come."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from relcap.jobs.engine import RelcapTask
from relcap.jobs.models import TaskDone

# Far longer than any retry (at most 8 tries, 2 minutes apart at most) or redelivery.
TASK_RECORD_RETENTION = timedelta(days=7)


@shared_task(base=RelcapTask)
def prune_task_records() -> int:
    done, _ = TaskDone.objects.filter(done_at__lt=timezone.now() - TASK_RECORD_RETENTION).delete()
    return done
