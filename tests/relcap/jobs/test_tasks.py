"""The task engine: on commit, once per task id, retries with backoff, failures logged by id."""

import logging
import smtplib
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from relcap.accounts import tasks as account_tasks
from relcap.celery import app
from relcap.jobs import engine
from relcap.jobs.middleware import TasksAfterResponseMiddleware
from relcap.jobs.models import TaskDone
from relcap.jobs.tasks import prune_task_records
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

RESET = {"email": "river@example.org", "domain": "testserver", "use_https": False}


@pytest.fixture
def river():
    return UserFactory(email="river@example.org")


def test_a_task_runs_only_after_the_transaction_commits(river, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        engine.enqueue(account_tasks.send_password_reset, **RESET)
        assert mail.outbox == []

    assert len(mail.outbox) == 1


def test_a_task_of_a_rolled_back_transaction_never_runs(river, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        engine.enqueue(account_tasks.send_password_reset, **RESET)
        raise RuntimeError("the write failed")

    assert callbacks == []
    assert mail.outbox == []


def test_a_task_delivered_twice_sends_its_e_mail_once(river):
    first = account_tasks.send_password_reset.apply(kwargs=RESET, task_id="task-1")
    again = account_tasks.send_password_reset.apply(kwargs=RESET, task_id="task-1")

    assert (first.successful(), again.successful()) == (True, True)
    assert len(mail.outbox) == 1
    assert TaskDone.objects.filter(key="task-1").count() == 1


def test_two_tasks_with_their_own_ids_each_send(river):
    account_tasks.send_password_reset.apply(kwargs=RESET, task_id="task-1")
    account_tasks.send_password_reset.apply(kwargs=RESET, task_id="task-2")

    assert len(mail.outbox) == 2


def test_a_transient_smtp_error_is_retried_and_sends_once(river):
    real_send = mail.EmailMessage.send
    calls = []

    def flaky_send(message, *args, **kwargs):
        calls.append(message.to)
        if len(calls) == 1:
            raise smtplib.SMTPServerDisconnected("mail server went away")
        return real_send(message, *args, **kwargs)

    with mock.patch.object(mail.EmailMessage, "send", flaky_send):
        result = account_tasks.send_password_reset.apply(kwargs=RESET, task_id="task-1")

    assert result.successful()
    assert len(calls) == 2
    assert len(mail.outbox) == 1
    assert TaskDone.objects.filter(key="task-1").count() == 1


def test_every_task_acks_late_and_retries_transient_errors_with_backoff():
    app.loader.import_default_modules()  # what a worker does on start: find every tasks.py
    relcap_tasks = [t for name, t in app.tasks.items() if not name.startswith("celery.")]

    assert len(relcap_tasks) >= 8
    for task in relcap_tasks:
        assert isinstance(task, engine.RelcapTask), task.name
        assert (task.acks_late, task.reject_on_worker_lost) == (True, True), task.name
        assert smtplib.SMTPException in task.autoretry_for
        assert task.retry_backoff and task.retry_backoff_max <= 120


def test_a_failed_task_is_logged_with_its_id_and_no_personal_data(river, caplog, settings):
    settings.RELCAP_INLINE_TASKS_RAISE = False
    refused = smtplib.SMTPRecipientsRefused({"river@example.org": (550, b"no such user")})

    with (
        mock.patch.object(mail.EmailMessage, "send", side_effect=refused),
        caplog.at_level(logging.WARNING, logger="relcap.tasks"),
    ):
        engine.Dispatch(account_tasks.send_password_reset, "task-77", RESET).run_inline()

    failures = [r for r in caplog.records if r.name == "relcap.tasks"]
    assert [r.levelname for r in failures] == ["ERROR"]
    assert "task-77" in failures[0].getMessage()
    assert "SMTPRecipientsRefused" in failures[0].getMessage()
    assert "river" not in caplog.text
    assert not TaskDone.objects.exists()


def test_with_a_broker_the_task_is_sent_with_its_arguments_hidden_from_celery_tools(
    settings, django_capture_on_commit_callbacks
):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/5"

    with (
        mock.patch.object(account_tasks.send_password_reset, "apply_async") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        task_id = engine.enqueue(account_tasks.send_password_reset, **RESET)

    send.assert_called_once_with(kwargs=RESET, task_id=task_id, kwargsrepr="[hidden]")
    assert mail.outbox == []


def test_inline_e_mail_tasks_of_a_request_wait_until_its_response_is_closed(
    river, django_capture_on_commit_callbacks
):
    def view(request):
        with django_capture_on_commit_callbacks(execute=True):  # the view's transaction commits
            engine.enqueue(account_tasks.send_password_reset, inline=engine.AFTER_RESPONSE, **RESET)
        return HttpResponse("sent?")

    response = TasksAfterResponseMiddleware(view)(RequestFactory().get("/"))
    sent_before_close = len(mail.outbox)
    response.close()

    assert sent_before_close == 0
    assert len(mail.outbox) == 1


def test_inline_e_mail_tasks_outside_a_request_run_right_after_commit(
    river, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        engine.enqueue(account_tasks.send_password_reset, inline=engine.AFTER_RESPONSE, **RESET)
    sent_before_commit = len(mail.outbox)

    callbacks[0]()

    assert sent_before_commit == 0
    assert len(mail.outbox) == 1


def test_task_records_are_pruned_after_a_week():
    old = TaskDone.objects.create(key="old", task="x")
    recent = TaskDone.objects.create(key="recent", task="x")
    TaskDone.objects.filter(pk=old.pk).update(done_at=timezone.now() - timedelta(days=8))

    pruned = prune_task_records.apply().result

    assert pruned == 1
    assert list(TaskDone.objects.values_list("key", flat=True)) == [recent.key]
