"""Reminders on a real Celery worker and Redis broker (tests/relcap/jobs/test_real_worker.py
explains the set-up): the scheduling task records a due reminder and the worker mails it once
through SMTP; a second schedule run sends nothing more."""

import time as clock
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from moments import tasks
from moments.models import MomentsSettings, Reminder
from relcap.jobs import engine
from tests.factories import UserFactory
from tests.relcap.jobs import test_real_worker as real

pytestmark = real.WORKER_DB
# The real-worker fixtures: this run's Redis queues, an SMTP recorder and a worker process.
broker, smtp, start_worker = real.broker, real.smtp, real.start_worker
wait_until = real.wait_until


def schedule_now() -> None:
    with transaction.atomic():
        engine.enqueue(tasks.schedule_reminders)


def test_a_real_worker_sends_a_due_reminder_once(start_worker, smtp):
    now = timezone.now()
    person = UserFactory(email="river@example.org")
    MomentsSettings.objects.create(
        person=person, reminder_frequency="daily", time_zone="UTC",
        reminder_time=(now - timedelta(minutes=5)).time().replace(second=0, microsecond=0),
        reminders_chosen_at=now - timedelta(hours=1), reminder_base_url="http://testserver/",
    )  # fmt: skip
    start_worker(smtp)

    schedule_now()
    assert smtp.received.wait(timeout=60), "no reminder arrived"
    wait_until(lambda: Reminder.objects.filter(sent_at__isnull=False).exists(), 10, "sent_at")
    schedule_now()  # the next beat finds the reminder recorded
    wait_until(lambda: Reminder.objects.count() == 1, 10, "the schedule run")
    clock.sleep(3)  # long enough for a second e-mail to show

    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert "To: river@example.org" in message
    assert "Subject: Was there a moment today?" in message
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in message
    assert Reminder.objects.get().person == person
