"""Retention (ASSESSMENT.md §7.4), run at a fixed `now` so no clock is involved."""

from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command

from profiles import privacy
from profiles.models import Answer, Profile
from tests.factories import ProfileFactory, UserFactory, answer_all

NOW = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)


def draft_touched(at: datetime, **fields) -> Profile:
    profile = ProfileFactory(**fields)
    answer_all(profile)
    Profile.objects.filter(pk=profile.pk).update(updated_at=at)  # auto_now would reset it
    return profile


def user_last_seen(at: datetime | None, joined: datetime, **fields):
    return UserFactory(last_login=at, date_joined=joined, **fields)


def exists(obj) -> bool:
    return type(obj).objects.filter(pk=obj.pk).exists()


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2026, 3, 31, 12, tzinfo=UTC), 1, datetime(2026, 2, 28, 12, tzinfo=UTC)),
        (datetime(2026, 3, 31, 12, tzinfo=UTC), 24, datetime(2024, 3, 31, 12, tzinfo=UTC)),
        (datetime(2026, 1, 15, tzinfo=UTC), 23, datetime(2024, 2, 15, tzinfo=UTC)),
        (datetime(2025, 2, 28, tzinfo=UTC), 12, datetime(2024, 2, 28, tzinfo=UTC)),
    ],
)
def test_months_before_counts_calendar_months_and_clamps_to_month_end(moment, months, expected):
    assert privacy.months_before(moment, months) == expected


@pytest.mark.django_db
def test_retention_deletes_drafts_untouched_for_over_30_days_with_their_answers():
    stale = draft_touched(NOW - timedelta(days=30, seconds=1))

    report = privacy.apply_retention(now=NOW)

    assert report.drafts_deleted == 1
    assert not exists(stale)
    assert not Answer.objects.filter(profile_id=stale.pk).exists()


@pytest.mark.django_db
def test_retention_keeps_drafts_touched_within_30_days():
    recent = draft_touched(NOW - timedelta(days=29, hours=23))

    report = privacy.apply_retention(now=NOW)

    assert report.drafts_deleted == 0
    assert exists(recent)


@pytest.mark.django_db
def test_retention_keeps_old_submitted_profiles():
    submitted = draft_touched(NOW - timedelta(days=400), submitted_at=NOW - timedelta(days=400))

    privacy.apply_retention(now=NOW)

    assert exists(submitted)


@pytest.mark.django_db
def test_retention_deletes_accounts_unused_for_24_months_with_everything_in_them():
    gone = user_last_seen(NOW - timedelta(days=731), joined=NOW - timedelta(days=1000))
    profile = draft_touched(NOW - timedelta(days=731), user=gone, submitted_at=NOW)

    report = privacy.apply_retention(now=NOW)

    assert report.accounts_deleted == 1
    assert not exists(gone)
    assert not exists(profile)


@pytest.mark.django_db
def test_retention_keeps_accounts_used_within_24_months():
    kept = user_last_seen(NOW - timedelta(days=700), joined=NOW - timedelta(days=1000))

    privacy.apply_retention(now=NOW)

    assert exists(kept)


@pytest.mark.django_db
def test_retention_counts_from_joining_when_an_account_never_signed_in():
    never = user_last_seen(None, joined=NOW - timedelta(days=731))
    fresh = user_last_seen(None, joined=NOW - timedelta(days=30))

    privacy.apply_retention(now=NOW)

    assert not exists(never)
    assert exists(fresh)


@pytest.mark.django_db
def test_retention_leaves_staff_accounts_to_the_administrators():
    staff = user_last_seen(
        NOW - timedelta(days=900), joined=NOW - timedelta(days=1000), is_staff=True
    )

    privacy.apply_retention(now=NOW)

    assert exists(staff)


@pytest.mark.django_db
def test_retention_mails_a_notice_on_the_day_an_account_reaches_23_months(
    django_capture_on_commit_callbacks,
):
    due_at = privacy.months_before(NOW, 23) - timedelta(hours=3)
    due = user_last_seen(due_at, joined=NOW - timedelta(days=1000), email="due@example.org")
    user_last_seen(due_at - timedelta(days=2), joined=NOW - timedelta(days=1000))  # told before
    user_last_seen(NOW - timedelta(days=300), joined=NOW - timedelta(days=1000))

    with django_capture_on_commit_callbacks(execute=True):  # the notice is a task, sent on commit
        report = privacy.apply_retention(now=NOW)

    assert report.accounts_notified == 1
    assert [m.to for m in mail.outbox] == [["due@example.org"]]
    assert "sign in before then" in mail.outbox[0].body
    assert exists(due)


@pytest.mark.django_db
def test_retention_deletes_sign_ups_never_confirmed_within_a_week():
    stale = user_last_seen(None, joined=NOW - timedelta(days=8), is_active=False)
    pending = user_last_seen(None, joined=NOW - timedelta(days=2), is_active=False)

    report = privacy.apply_retention(now=NOW)

    assert report.signups_expired == 1
    assert not exists(stale)
    assert exists(pending)


@pytest.mark.django_db
def test_retention_deletes_failed_sign_in_records_older_than_a_day():
    old = AccessAttempt.objects.create(username="x", ip_address="10.0.0.1", failures_since_start=1)
    AccessAttempt.objects.filter(pk=old.pk).update(attempt_time=NOW - timedelta(days=2))
    new = AccessAttempt.objects.create(username="y", ip_address="10.0.0.1", failures_since_start=1)
    AccessAttempt.objects.filter(pk=new.pk).update(attempt_time=NOW - timedelta(hours=2))

    privacy.apply_retention(now=NOW)

    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["y"]


@pytest.mark.django_db
def test_apply_retention_command_prints_a_one_line_summary():
    draft_touched(datetime(2000, 1, 1, tzinfo=UTC))
    out = StringIO()

    call_command("apply_retention", stdout=out)

    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Deleted 1 stale drafts, 0 inactive accounts")
    assert get_user_model().objects.count() == 0
