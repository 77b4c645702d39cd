"""Health checks of the worker and of beat (docker compose and .ci/run call them)."""

import os
import time
from io import StringIO
from unittest import mock

import pytest
from celery.beat import PersistentScheduler
from django.core.management import CommandError, call_command

from relcap.celery import app
from relcap.jobs.beat import HeartbeatScheduler


@pytest.fixture
def heartbeat(settings, tmp_path):
    settings.RELCAP_BEAT_HEARTBEAT_FILE = str(tmp_path / "beat-heartbeat")
    return tmp_path / "beat-heartbeat"


def test_beat_is_healthy_right_after_a_tick(heartbeat):
    scheduler = HeartbeatScheduler.__new__(HeartbeatScheduler)  # no schedule file needed
    with mock.patch.object(PersistentScheduler, "tick", return_value=30.0) as tick:
        assert scheduler.tick() == 30.0
    out = StringIO()

    call_command("task_health", "beat", stdout=out)

    assert tick.called
    assert "beat is ticking" in out.getvalue()


def test_beat_without_a_recent_tick_is_unhealthy(heartbeat):
    heartbeat.touch()
    three_minutes_ago = time.time() - 180
    os.utime(heartbeat, (three_minutes_ago, three_minutes_ago))

    with pytest.raises(CommandError, match="beat has not ticked"):
        call_command("task_health", "beat")


def test_beat_that_never_ticked_is_unhealthy(heartbeat):
    with pytest.raises(CommandError, match="beat has not ticked"):
        call_command("task_health", "beat")


def test_worker_that_answers_the_ping_is_healthy():
    out = StringIO()
    with mock.patch.object(app.control, "ping", return_value=[{"celery@w1": {"ok": "pong"}}]):
        call_command("task_health", "worker", "--hostname", "celery@w1", stdout=out)

    assert "worker celery@w1 is up" in out.getvalue()


def test_worker_that_does_not_answer_is_unhealthy():
    with (
        mock.patch.object(app.control, "ping", return_value=[]) as ping,
        pytest.raises(CommandError, match="did not answer"),
    ):
        call_command("task_health", "worker", "--hostname", "celery@w1")

    ping.assert_called_once_with(destination=["celery@w1"], timeout=3)
