"""`rescore --write` in chunks that workers share; each chunk adds its snapshots once."""

from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from profiles import tasks
from profiles.models import ResultSnapshot
from relcap.celery import app
from tests.profiles.test_report import EXAMPLE_3, raw_answers, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_profiles():
    return [submitted(raw_answers(EXAMPLE_3)) for _ in range(5)]


def rescore_snapshots(profile) -> int:
    return ResultSnapshot.objects.filter(profile=profile, reason="rescore").count()


def test_rescore_write_runs_one_task_per_chunk_and_adds_one_snapshot_per_profile(five_profiles):
    out = StringIO()

    call_command("rescore", "--write", "score-1", "--chunk-size", "2", stdout=out)

    assert [rescore_snapshots(p) for p in five_profiles] == [1, 1, 1, 1, 1]
    assert "Rescored 5 profiles with score-1 in 3 of 3 chunks" in out.getvalue()


def test_rescore_chunk_delivered_twice_adds_its_snapshots_once(five_profiles):
    kwargs = {"profile_ids": [p.pk for p in five_profiles[:3]], "rules_version": "score-1"}

    first = tasks.rescore_chunk.apply(kwargs=kwargs, task_id="chunk-1").result
    again = tasks.rescore_chunk.apply(kwargs=kwargs, task_id="chunk-1").result

    assert (first, again) == (3, 0)
    assert [rescore_snapshots(p) for p in five_profiles] == [1, 1, 1, 0, 0]


def test_rescore_chunk_that_fails_midway_writes_nothing(five_profiles, settings):
    settings.RELCAP_INLINE_TASKS_RAISE = False
    kwargs = {"profile_ids": [p.pk for p in five_profiles], "rules_version": "score-1"}
    real = tasks.services.rescore_profile
    calls = []

    def fails_on_the_fourth(**arguments):
        calls.append(arguments["profile"].pk)
        if len(calls) == 4:
            raise RuntimeError("worker trouble")
        return real(**arguments)

    with mock.patch.object(tasks.services, "rescore_profile", fails_on_the_fourth):
        result = tasks.rescore_chunk.apply(kwargs=kwargs, task_id="chunk-1")

    assert result.failed()
    assert len(calls) == 4
    assert not ResultSnapshot.objects.filter(reason="rescore").exists()


def test_rescore_write_with_a_broker_queues_every_profile_once(
    five_profiles, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/5"
    out = StringIO()

    with (
        mock.patch.object(tasks.rescore_chunk, "apply_async") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        call_command("rescore", "--write", "score-1", "--chunk-size", "2", stdout=out)

    queued = [call.kwargs["kwargs"]["profile_ids"] for call in send.call_args_list]
    assert sorted(pk for chunk in queued for pk in chunk) == sorted(p.pk for p in five_profiles)
    assert [len(chunk) for chunk in queued] == [2, 2, 1]
    assert "Queued 5 profiles in 3 chunks" in out.getvalue()
    assert not ResultSnapshot.objects.filter(reason="rescore").exists()


def test_rescore_refuses_a_chunk_size_below_one():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("rescore", "--write", "score-1", "--chunk-size", "0")


def test_every_scheduled_task_exists_and_retention_runs_daily(settings):
    app.loader.import_default_modules()

    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert scheduled <= set(app.tasks)
    assert settings.CELERY_BEAT_SCHEDULE["retention"]["task"] == tasks.apply_retention.name
    assert "profiles.tasks.sweep_orphan_pdfs" in scheduled
