"""Retention (ASSESSMENT.md §7.4), run at a fixed `now` so no clock is involved."""

from datetime import UTC, datetime, timedelta
from importlib import import_module
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from profiles import privacy
from profiles.models import Answer, DeletionNotice, Profile
from relcap.accounts import delays
from relcap.accounts.models import PasswordThrottle
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
def test_retention_deletes_drafts_untouched_for_over_30_days_with_their_answers(retain):
    stale = draft_touched(NOW - timedelta(days=30, seconds=1))

    report = retain(now=NOW)

    assert report.drafts_deleted == 1
    assert not exists(stale)
    assert not Answer.objects.filter(profile_id=stale.pk).exists()


@pytest.mark.django_db
def test_retention_keeps_drafts_touched_within_30_days(retain):
    recent = draft_touched(NOW - timedelta(days=29, hours=23))

    report = retain(now=NOW)

    assert report.drafts_deleted == 0
    assert exists(recent)


@pytest.mark.django_db
def test_retention_keeps_old_submitted_profiles(retain):
    submitted = draft_touched(NOW - timedelta(days=400), submitted_at=NOW - timedelta(days=400))

    retain(now=NOW)

    assert exists(submitted)


@pytest.mark.django_db
def test_retention_deletes_accounts_unused_for_24_months_with_everything_in_them(retain):
    gone = user_last_seen(NOW - timedelta(days=731), joined=NOW - timedelta(days=1000))
    profile = draft_touched(NOW - timedelta(days=731), user=gone, submitted_at=NOW)

    report = retain(now=NOW)

    assert report.accounts_deleted == 1
    assert not exists(gone)
    assert not exists(profile)


@pytest.mark.django_db
def test_retention_keeps_accounts_used_within_24_months(retain):
    kept = user_last_seen(NOW - timedelta(days=700), joined=NOW - timedelta(days=1000))

    retain(now=NOW)

    assert exists(kept)


@pytest.mark.django_db
def test_retention_counts_from_joining_when_an_account_never_signed_in(retain):
    never = user_last_seen(None, joined=NOW - timedelta(days=731))
    fresh = user_last_seen(None, joined=NOW - timedelta(days=30))

    retain(now=NOW)

    assert not exists(never)
    assert exists(fresh)


@pytest.mark.django_db
def test_retention_leaves_staff_accounts_to_the_administrators(retain):
    staff = user_last_seen(
        NOW - timedelta(days=900), joined=NOW - timedelta(days=1000), is_staff=True
    )

    retain(now=NOW)

    assert exists(staff)


@pytest.fixture
def retain(django_capture_on_commit_callbacks):
    """apply_retention, with the tasks it queues (the notices) run when it commits."""

    def run(**kwargs) -> privacy.RetentionReport:
        with django_capture_on_commit_callbacks(execute=True):
            return privacy.apply_retention(**kwargs)

    return run


@pytest.mark.django_db
def test_retention_mails_a_notice_on_the_day_an_account_reaches_23_months(
    django_capture_on_commit_callbacks,
):
    due_at = privacy.months_before(NOW, 23) - timedelta(hours=3)
    due = user_last_seen(due_at, joined=NOW - timedelta(days=1000), email="due@example.org")
    told = user_last_seen(due_at - timedelta(days=2), joined=NOW - timedelta(days=1000))
    with django_capture_on_commit_callbacks(execute=True):
        privacy.apply_retention(now=NOW - timedelta(days=2))  # told two days ago
    mail.outbox.clear()
    user_last_seen(NOW - timedelta(days=300), joined=NOW - timedelta(days=1000))

    with django_capture_on_commit_callbacks(execute=True):  # the notice is a task, sent on commit
        report = privacy.apply_retention(now=NOW)

    assert report.accounts_notified == 1
    assert [m.to for m in mail.outbox] == [["due@example.org"]]
    assert "sign in before then" in mail.outbox[0].body
    assert exists(due)
    assert exists(told)


@pytest.mark.django_db
def test_a_same_day_re_run_sends_no_second_deletion_notice(retain):
    due_at = privacy.months_before(NOW, 23) - timedelta(hours=3)
    user = user_last_seen(due_at, joined=NOW - timedelta(days=1000), email="due@example.org")

    first = retain(now=NOW)
    again = retain(now=NOW + timedelta(hours=1))

    notice = DeletionNotice.objects.get()
    assert (first.accounts_notified, again.accounts_notified) == (1, 0)
    assert len(mail.outbox) == 1
    assert (notice.user, notice.last_used_at, notice.sent_at) == (user, due_at, NOW)
    assert notice.deletion_date == privacy.months_after(due_at, 24).date()


@pytest.mark.django_db
def test_a_missed_day_still_sends_the_notice_with_the_true_deletion_date(retain):
    last_used = privacy.months_before(NOW, 23) - timedelta(days=4)  # its day was 4 days ago
    user_last_seen(last_used, joined=NOW - timedelta(days=1000), email="late@example.org")

    report = retain(now=NOW)

    deletion_date = privacy.months_after(last_used, 24).date()
    assert report.accounts_notified == 1
    assert f"{deletion_date.day} {deletion_date:%B %Y}" in mail.outbox[0].body


@pytest.mark.django_db
def test_signing_in_after_a_notice_and_falling_idle_again_earns_a_new_notice(retain):
    first_idle = privacy.months_before(NOW, 23) - timedelta(hours=3)
    user = user_last_seen(first_idle, joined=NOW - timedelta(days=2000), email="back@example.org")
    retain(now=NOW)
    user.last_login = NOW + timedelta(days=3)
    user.save()

    later = privacy.months_after(NOW, 23) + timedelta(days=3, hours=1)
    report = retain(now=later)

    assert report.accounts_notified == 1
    assert len(mail.outbox) == 2
    assert DeletionNotice.objects.filter(user=user).count() == 2


@pytest.mark.django_db
def test_no_notices_run_records_nothing_so_the_next_run_sends_them(retain):
    due_at = privacy.months_before(NOW, 23) - timedelta(hours=3)
    user_last_seen(due_at, joined=NOW - timedelta(days=1000), email="due@example.org")

    quiet = retain(now=NOW, notify=False)
    normal = retain(now=NOW + timedelta(minutes=5))

    assert (quiet.accounts_notified, normal.accounts_notified) == (0, 1)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_notice_that_fails_to_send_is_not_recorded_and_goes_out_on_the_next_run(
    monkeypatch, retain
):
    due_at = privacy.months_before(NOW, 23) - timedelta(hours=3)
    user_last_seen(due_at, joined=NOW - timedelta(days=1000), email="due@example.org")

    def refuse(**kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(privacy, "send_deletion_notice", refuse)
    with pytest.raises(ConnectionRefusedError):
        retain(now=NOW)
    monkeypatch.undo()
    report = retain(now=NOW + timedelta(hours=1))

    assert report.accounts_notified == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_accounts_without_an_email_address_get_no_notice_and_are_still_deleted_on_time(retain):
    last_used = privacy.months_before(NOW, 23) - timedelta(hours=3)
    silent = user_last_seen(last_used, joined=NOW - timedelta(days=1000), email="")

    report = retain(now=NOW)
    retain(now=privacy.months_after(last_used, 24) + timedelta(hours=1))

    assert report.accounts_notified == 0
    assert not DeletionNotice.objects.exists()
    assert not exists(silent)


@pytest.mark.django_db
def test_notices_already_sent_by_the_old_daily_job_are_recorded_by_the_migration(retain):
    now = timezone.now()
    notified = user_last_seen(privacy.months_before(now, 23) - timedelta(days=5), joined=now)
    due_today = user_last_seen(privacy.months_before(now, 23) + timedelta(hours=1), joined=now)
    notice_migration = import_module("profiles.migrations.0007_record_deletion_notices")

    notice_migration.record_notices_already_sent(django_apps, None)
    recorded = list(DeletionNotice.objects.values_list("user", flat=True))
    report = retain(now=now + timedelta(hours=2))

    assert recorded == [notified.pk]
    assert report.accounts_notified == 1
    assert [m.to for m in mail.outbox] == [[due_today.email]]


@pytest.mark.django_db
def test_retention_deletes_deactivated_accounts_unused_for_24_months_without_a_notice(retain):
    gone = user_last_seen(
        NOW - timedelta(days=731), joined=NOW - timedelta(days=1000), is_active=False
    )
    profile = draft_touched(NOW - timedelta(days=731), user=gone, submitted_at=NOW)
    recent = user_last_seen(
        NOW - timedelta(days=300), joined=NOW - timedelta(days=1000), is_active=False
    )
    user_last_seen(
        privacy.months_before(NOW, 23) - timedelta(hours=3),
        joined=NOW - timedelta(days=1000),
        is_active=False,
    )

    report = retain(now=NOW)

    assert report.deactivated_deleted == 1
    assert not exists(gone)
    assert not exists(profile)
    assert exists(recent)
    assert report.accounts_notified == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_retention_leaves_deactivated_staff_accounts_to_the_administrators(retain):
    staff = user_last_seen(
        NOW - timedelta(days=900), joined=NOW - timedelta(days=1000), is_staff=True,
        is_active=False,
    )  # fmt: skip
    never = user_last_seen(None, joined=NOW - timedelta(days=30), is_staff=True, is_active=False)

    retain(now=NOW)

    assert exists(staff)
    assert exists(never)


@pytest.mark.django_db
def test_retention_deletes_sign_ups_never_confirmed_within_a_week(retain):
    stale = user_last_seen(None, joined=NOW - timedelta(days=8), is_active=False)
    pending = user_last_seen(None, joined=NOW - timedelta(days=2), is_active=False)

    report = retain(now=NOW)

    assert report.signups_expired == 1
    assert not exists(stale)
    assert exists(pending)


@pytest.mark.django_db
def test_retention_deletes_failed_sign_in_records_older_than_a_day(retain):
    old = AccessAttempt.objects.create(username="x", ip_address="10.0.0.1", failures_since_start=1)
    AccessAttempt.objects.filter(pk=old.pk).update(attempt_time=NOW - timedelta(days=2))
    new = AccessAttempt.objects.create(username="y", ip_address="10.0.0.1", failures_since_start=1)
    AccessAttempt.objects.filter(pk=new.pk).update(attempt_time=NOW - timedelta(hours=2))

    retain(now=NOW)

    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["y"]


@pytest.mark.django_db
def test_retention_deletes_password_delay_counts_older_than_a_day(retain):
    delays.begin_check(name="old-guess", now=NOW - timedelta(days=1, minutes=1))
    delays.begin_check(name="new-guess", now=NOW - timedelta(hours=2))

    report = retain(now=NOW)

    assert report.sign_in_failures_deleted == 1
    assert list(PasswordThrottle.objects.values_list("key", flat=True)) == [
        delays.name_key("new-guess")
    ]


@pytest.mark.django_db
def test_apply_retention_command_prints_a_one_line_summary():
    draft_touched(datetime(2000, 1, 1, tzinfo=UTC))
    out = StringIO()

    call_command("apply_retention", stdout=out)

    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "Deleted 1 stale drafts, 0 unclaimed anonymous profiles, 0 inactive accounts"
    )
    assert get_user_model().objects.count() == 0


@pytest.mark.django_db
def test_a_notice_is_written_in_the_language_the_person_chose_whatever_is_active(
    django_capture_on_commit_callbacks,
):
    from django.utils import translation

    from relcap.accounts.models import LanguageChoice

    due_at = privacy.months_before(NOW, 23) - timedelta(hours=3)
    german = user_last_seen(due_at, joined=NOW - timedelta(days=1000), email="de@example.org")
    user_last_seen(due_at, joined=NOW - timedelta(days=1000), email="en@example.org")
    LanguageChoice.objects.create(user=german, language="de")

    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        privacy.apply_retention(now=NOW)  # as if run inline after a German page

    bodies = {m.to[0]: m.body for m in mail.outbox}
    assert "sign in before then" in bodies["en@example.org"]
    assert "sign in before then" not in bodies["de@example.org"]
    assert "Sie haben Ihr relcap-Konto" in bodies["de@example.org"]
