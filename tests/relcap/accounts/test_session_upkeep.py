"""Expired sessions are deleted daily (Django's `clearsessions`, run by beat)."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from relcap.accounts.tasks import clear_expired_sessions

pytestmark = pytest.mark.django_db


def session(expires_in: timedelta) -> str:
    store = SessionStore()
    store["granted"] = ["a profile"]
    store.create()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() + expires_in
    )
    return store.session_key


def test_the_daily_task_deletes_expired_sessions_and_keeps_live_ones():
    expired = session(timedelta(seconds=-1))
    live = session(timedelta(days=1))

    clear_expired_sessions.apply()

    assert not Session.objects.filter(session_key=expired).exists()
    assert SessionStore(session_key=live).load() == {"granted": ["a profile"]}


def test_beat_runs_it_once_a_day():
    entry = settings.CELERY_BEAT_SCHEDULE["expired-sessions"]

    assert entry["task"] == clear_expired_sessions.name
    assert entry["schedule"].hour == {4} and entry["schedule"].minute == {30}
