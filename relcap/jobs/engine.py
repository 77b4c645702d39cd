"""Enqueueing on commit, one run per task id, retries with backoff, and inline mode.

With CELERY_BROKER_URL set, `enqueue` hands a task to the broker once the surrounding
transaction has committed. Without one (`make run`, the tests) the same task runs in this
process at a moment chosen by the caller: right after the commit, after the response has been
sent (e-mails: so that the response takes as long whatever the task then finds), or at once
(a PDF the person is waiting for). Inline runs make one attempt; a failure is logged, not raised.
"""

import logging
import smtplib
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

from celery import Task
from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction

from relcap.jobs.models import TaskDone

logger = logging.getLogger("relcap.tasks")

AFTER_COMMIT = "after_commit"
AFTER_RESPONSE = "after_response"
NOW = "now"
# Errors worth another try later: the mail server or the database was briefly away.
TRANSIENT_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, OperationalError)
# Task arguments are ids, and sometimes an e-mail address: never shown by Celery's tooling.
HIDDEN_ARGUMENTS = "[hidden]"

# The tasks of the current request that run after its response (inline mode only).
_after_response: ContextVar[list | None] = ContextVar("relcap_after_response", default=None)


class RelcapTask(Task):
    """Base of every relcap task: acknowledged after it ran, so a worker killed mid-task has it
    redelivered; transient errors retried with exponential backoff; failures logged by id."""

    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = 2
    retry_backoff_max = 120
    retry_jitter = True
    max_retries = 8
    ignore_result = True

    def on_retry(self, exc: BaseException, task_id: str, args, kwargs, einfo) -> None:
        # The exception's class only: its message may hold an e-mail address.
        logger.warning("task %s[%s] will retry after %s", self.name, task_id, type(exc).__name__)

    def on_failure(self, exc: BaseException, task_id: str, args, kwargs, einfo) -> None:
        # Where it failed (file, line, code), but neither the message nor any argument.
        frames = "".join(traceback.format_tb(exc.__traceback__)) if exc.__traceback__ else ""
        logger.error(
            "task %s[%s] failed: %s\n%s", self.name, task_id, type(exc).__name__, frames.rstrip()
        )


@contextmanager
def once(task: Task) -> Iterator[bool]:
    """One transaction holding the task's effect and its TaskDone row; yields False when a run
    with this task id already committed. A concurrent run of the same id waits on the row."""
    key = task.request.id
    if not key:
        raise ValueError(f"{task.name} needs a task id to run once; use enqueue().")
    with transaction.atomic():
        try:
            with transaction.atomic():
                TaskDone.objects.create(key=key, task=task.name)
        except IntegrityError:
            yield False
            return
        yield True


@dataclass(frozen=True)
class Dispatch:
    """What runs on commit: send the task to the broker, or run it inline when there is none."""

    task: Task
    task_id: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    inline: str = AFTER_COMMIT

    def __call__(self) -> None:
        if settings.CELERY_BROKER_URL:
            self.task.apply_async(
                kwargs=self.kwargs, task_id=self.task_id, kwargsrepr=HIDDEN_ARGUMENTS
            )
            return
        pending = _after_response.get()
        if self.inline == AFTER_RESPONSE and pending is not None:
            pending.append(self)
            return
        self.run_inline()

    def run_inline(self) -> None:
        # retries=max_retries: one attempt, so a request never waits through a backoff.
        self.task.apply(
            kwargs=self.kwargs,
            task_id=self.task_id,
            retries=self.task.max_retries,
            throw=settings.RELCAP_INLINE_TASKS_RAISE,
        )


def enqueue(task: Task, /, *, inline: str = AFTER_COMMIT, **kwargs: Any) -> str:
    """Queue `task(**kwargs)` for when the current transaction commits; returns its task id.

    `inline` says when it runs without a broker: AFTER_COMMIT, AFTER_RESPONSE (when called
    inside a request; otherwise after commit) or NOW (at once, even inside a transaction).
    """
    dispatch = Dispatch(task, str(uuid4()), kwargs, inline)
    if inline == NOW and not settings.CELERY_BROKER_URL:
        dispatch.run_inline()
    else:
        transaction.on_commit(dispatch)
    return dispatch.task_id


@contextmanager
def tasks_after_response() -> Iterator[list[Dispatch]]:
    """Collect the AFTER_RESPONSE tasks committed inside the block (see the middleware)."""
    pending: list[Dispatch] = []
    token = _after_response.set(pending)
    try:
        yield pending
    finally:
        _after_response.reset(token)


def run_all(pending: list[Dispatch]) -> None:
    for dispatch in pending:
        dispatch.run_inline()


def uses_broker() -> bool:
    return bool(settings.CELERY_BROKER_URL)
