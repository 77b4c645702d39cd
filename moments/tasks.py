"""Background work of live moments: the daily 12-month retention run and the reminder
e-mails (moments/reminders.py), both started by celery beat."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from moments import reminders, services
from relcap.jobs import engine
from relcap.jobs.engine import RelcapTask


@shared_task(base=RelcapTask)
def apply_retention() -> int:
    """Idempotent: deleting again what is gone already deletes nothing."""
    return services.apply_retention(now=timezone.now())


@shared_task(base=RelcapTask)
def schedule_reminders() -> int:
    """Every 15 minutes (celery beat): record the reminders due now and enqueue one send for
    each, on commit. A reminder is recorded once per (person, due time), so a retried or
    doubled run enqueues nothing twice."""
    with transaction.atomic():
        scheduled = reminders.schedule_due(timezone.now())
        for reminder_id in scheduled.made:
            engine.enqueue(send_reminder, reminder_id=reminder_id)
    return len(scheduled.made)


@shared_task(base=RelcapTask)
def send_reminder(*, reminder_id: int) -> bool:
    """Mail one recorded reminder; a second run of it (retry, redelivery) sends nothing."""
    return reminders.send(reminder_id=reminder_id, now=timezone.now())
