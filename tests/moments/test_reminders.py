"""Reminders (moments/reminders.py, moments/tasks.py): due times at local time across DST,
one send per (person, due time), pause after 5 ignored, and the signed tokens."""

from datetime import UTC, datetime, time, timedelta
from unittest import mock

import pytest
from django.core import mail, signing
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from moments import reminders, tasks
from moments.models import MomentsSettings, Reminder
from tests.factories import UserFactory
from tests.moments.helpers_views import moment

pytestmark = pytest.mark.django_db
BERLIN = "Europe/Berlin"


def choice(frequency="daily", at=time(9, 0), weekday=None, zone=BERLIN, **extra):
    return MomentsSettings(
        reminder_frequency=frequency, reminder_time=at, reminder_weekday=weekday,
        time_zone=zone, **extra,
    )  # fmt: skip


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- due times -----------------------------------------------------------------------------


def test_daily_due_time_is_the_local_time_in_winter_and_in_summer():
    winter, summer = choice(), choice()

    assert reminders.last_due(winter, utc(2026, 1, 15, 12)) == utc(2026, 1, 15, 8)  # CET +1
    assert reminders.last_due(summer, utc(2026, 7, 15, 12)) == utc(2026, 7, 15, 7)  # CEST +2
    assert reminders.last_due(winter, utc(2026, 1, 15, 7, 59)) == utc(2026, 1, 14, 8)


def test_across_the_spring_change_the_time_stays_local():
    daily = choice()  # Berlin moves from +1 to +2 on Sunday 29 March 2026

    before = reminders.next_due(daily, utc(2026, 3, 28, 9))
    after = reminders.next_due(daily, before)

    assert before == utc(2026, 3, 29, 7)  # 09:00 CEST on the day of the change
    assert reminders.last_due(daily, utc(2026, 3, 28, 12)) == utc(2026, 3, 28, 8)
    assert after == utc(2026, 3, 30, 7)


def test_a_time_in_the_spring_gap_is_sent_once_an_hour_later():
    in_gap = choice(at=time(2, 30))  # 02:30 does not exist in Berlin on 29 March 2026

    due = reminders.next_due(in_gap, utc(2026, 3, 28, 12))

    assert due == utc(2026, 3, 29, 1, 30)  # 03:30 CEST
    assert reminders.next_due(in_gap, due) == utc(2026, 3, 30, 0, 30)


def test_a_time_that_happens_twice_in_autumn_is_sent_once():
    twice = choice(at=time(2, 30))  # 02:30 happens twice in Berlin on 25 October 2026

    first = reminders.next_due(twice, utc(2026, 10, 24, 12))
    second = reminders.next_due(twice, first)

    assert first == utc(2026, 10, 25, 0, 30)  # the first 02:30, still CEST
    assert second == utc(2026, 10, 26, 1, 30)  # the next day, CET


def test_weekly_due_time_is_on_the_chosen_weekday():
    weekly = choice("weekly", at=time(19, 0), weekday=6, zone="America/New_York")  # Sundays

    due = reminders.next_due(weekly, utc(2026, 3, 4, 12))  # a Wednesday

    assert due == utc(2026, 3, 8, 23)  # Sunday 8 March 19:00 EDT (the US change is that day)
    assert reminders.next_due(weekly, due) == utc(2026, 3, 15, 23)


def test_a_zone_ahead_of_utc_already_on_the_next_day():
    daily = choice(at=time(7, 0), zone="Pacific/Auckland")  # +13 in January

    assert reminders.last_due(daily, utc(2026, 1, 15, 20)) == utc(2026, 1, 15, 18)


def test_off_or_incomplete_choices_have_no_due_time():
    now = utc(2026, 1, 15, 12)
    assert reminders.last_due(choice("off"), now) is None
    assert reminders.last_due(choice("weekly", weekday=None), now) is None
    assert reminders.last_due(choice(zone="Mars/Olympus"), now) is None


# --- scheduling and sending ----------------------------------------------------------------


def person_with(frequency="daily", at=time(9, 0), weekday=None, zone=BERLIN, chosen=None):
    person = UserFactory()
    MomentsSettings.objects.create(
        person=person, reminder_frequency=frequency, reminder_time=at, reminder_weekday=weekday,
        time_zone=zone, reminders_chosen_at=chosen or utc(2026, 1, 1),
        reminder_base_url="https://relcap.example/",
    )  # fmt: skip
    return person


def run_schedule(now, django_capture_on_commit_callbacks):
    with (
        mock.patch("moments.tasks.timezone.now", return_value=now),
        django_capture_on_commit_callbacks(execute=True),
    ):
        return tasks.schedule_reminders.apply().get()


def test_a_due_reminder_is_recorded_and_sent_once_with_content_free_words(
    django_capture_on_commit_callbacks,
):
    person = person_with()
    now = utc(2026, 1, 15, 8, 10)  # 09:10 in Berlin

    assert run_schedule(now, django_capture_on_commit_callbacks) == 1
    assert run_schedule(now, django_capture_on_commit_callbacks) == 0  # the next beat

    sent = Reminder.objects.get(person=person)
    assert sent.due_at == utc(2026, 1, 15, 8) and sent.sent_at is not None
    assert sent.copy_version == "copy-3" and sent.frequency == "daily"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [person.email]
    assert message.subject == "Was there a moment today?"
    assert person.username not in message.subject + message.body
    assert "https://relcap.example/" in message.body
    assert "?reminder=" in message.body
    # The token is timestamped (the second it was signed), so compare what it means, not its bytes.
    header = message.extra_headers["List-Unsubscribe"]
    path = reverse("moments:unsubscribe", args=["TOKEN"]).split("TOKEN")[0]
    prefix = "<https://relcap.example" + path
    assert header.startswith(prefix) and header.endswith("/>")
    token = header[len(prefix) : -2]
    assert reminders.unsubscribe_reminder(token) == sent
    assert header[1:-1] in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_weekly_reminders_ask_about_the_week():
    person_with("weekly", weekday=3)  # Thursday 15 January 2026

    made = reminders.schedule_due(utc(2026, 1, 15, 8, 5))
    assert reminders.send(reminder_id=made.made[0], now=utc(2026, 1, 15, 8, 5))

    assert mail.outbox[0].subject == "Was there a moment this week?"


def test_a_retried_send_never_mails_twice():
    person_with()
    made = reminders.schedule_due(utc(2026, 1, 15, 8, 5)).made

    assert reminders.send(reminder_id=made[0], now=utc(2026, 1, 15, 8, 6)) is True
    assert reminders.send(reminder_id=made[0], now=utc(2026, 1, 15, 8, 7)) is False
    assert tasks.send_reminder.apply(kwargs={"reminder_id": made[0]}).get() is False
    assert len(mail.outbox) == 1


def test_a_failed_send_leaves_the_reminder_unsent_for_the_retry():
    person_with()
    made = reminders.schedule_due(utc(2026, 1, 15, 8, 5)).made
    with (
        mock.patch("django.core.mail.EmailMessage.send", side_effect=ConnectionError),
        pytest.raises(ConnectionError),
    ):
        reminders.send(reminder_id=made[0], now=utc(2026, 1, 15, 8, 6))

    assert Reminder.objects.get(pk=made[0]).sent_at is None
    assert reminders.send(reminder_id=made[0], now=utc(2026, 1, 15, 8, 9)) is True
    assert len(mail.outbox) == 1


def test_one_reminder_per_person_and_due_time_in_the_database():
    person = person_with()
    Reminder.objects.create(person=person, due_at=utc(2026, 1, 15, 8))

    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(person=person, due_at=utc(2026, 1, 15, 8))
    assert reminders.schedule_due(utc(2026, 1, 15, 8, 5)).made == ()


def test_nothing_is_due_before_the_choice_was_saved_or_long_after_the_time():
    person_with(chosen=utc(2026, 1, 15, 8, 30))  # chose 09:00 at 09:30 local
    person_with(at=time(5, 0))  # 05:00 local, 4 hours ago: beat was down, skipped

    assert reminders.schedule_due(utc(2026, 1, 15, 8, 45)).made == ()


def test_reminders_that_are_off_or_paused_are_not_sent():
    off = person_with("off")
    paused = person_with()
    MomentsSettings.objects.filter(person=paused).update(reminders_paused_at=utc(2026, 1, 1))

    assert reminders.schedule_due(utc(2026, 1, 15, 8, 5)).made == ()
    assert not Reminder.objects.filter(person__in=[off, paused]).exists()


def test_switching_off_between_recording_and_sending_sends_nothing():
    person = person_with()
    made = reminders.schedule_due(utc(2026, 1, 15, 8, 5)).made
    MomentsSettings.objects.filter(person=person).update(reminder_frequency="off")

    assert reminders.send(reminder_id=made[0], now=utc(2026, 1, 15, 8, 6)) is False
    assert mail.outbox == []


START = utc(2026, 1, 10, 8, 5)


def run_days(days: int, start=START, answer_on=()):
    """One beat per day at 09:05 Berlin; on the days in `answer_on` the person logs a moment
    through that day's reminder."""
    for day in range(days):
        now = start + timedelta(days=day)
        made = reminders.schedule_due(now).made
        for reminder_id in made:
            reminders.send(reminder_id=reminder_id, now=now)
            if day in answer_on:
                reminder = Reminder.objects.get(pk=reminder_id)
                entry = moment(reminder.person, occurred_at=now, origin="prompted")
                reminders.answer(reminder=reminder, moment=entry)


def test_five_ignored_in_a_row_pause_the_reminders():
    person = person_with()

    run_days(8)

    settings = MomentsSettings.objects.get(person=person)
    assert Reminder.objects.filter(person=person, sent_at__isnull=False).count() == 5
    assert settings.ignored_in_row == 5
    assert settings.reminders_paused_at == utc(2026, 1, 15, 8, 5)  # when the 6th was due
    assert len(mail.outbox) == 5


def test_an_answered_reminder_starts_the_count_again():
    person = person_with()

    run_days(9, answer_on={3})  # ignored 0,1,2; answered 3; ignored 4..7 → 4 in a row by day 8

    settings = MomentsSettings.objects.get(person=person)
    assert settings.reminders_paused_at is None
    assert settings.ignored_in_row == 4
    assert len(mail.outbox) == 9


def test_any_entry_after_a_reminder_also_answers_it():
    person = person_with()
    for day in range(7):
        now = utc(2026, 1, 10, 8, 5) + timedelta(days=day)
        for reminder_id in reminders.schedule_due(now).made:
            reminders.send(reminder_id=reminder_id, now=now)
        moment(person, occurred_at=now + timedelta(hours=2), entered_at=now + timedelta(hours=2))

    assert MomentsSettings.objects.get(person=person).ignored_in_row == 0
    assert len(mail.outbox) == 7


def test_saving_the_choice_again_resumes_paused_reminders():
    person = person_with()
    run_days(7)
    assert MomentsSettings.objects.get(person=person).reminders_paused_at is not None

    reminders.set_reminders(
        person=person, frequency="daily", at=time(9, 0), weekday=None, time_zone=BERLIN,
        base_url="https://relcap.example/", now=utc(2026, 1, 17, 12),
    )  # fmt: skip

    assert reminders.schedule_due(utc(2026, 1, 18, 8, 5)).made
    resumed = MomentsSettings.objects.get(person=person)
    assert resumed.reminders_paused_at is None and resumed.ignored_in_row == 0


# --- tokens --------------------------------------------------------------------------------


def a_reminder():
    person = person_with()
    return Reminder.objects.create(person=person, due_at=utc(2026, 1, 15, 8))


def test_prompted_token_gives_the_reminder_back_only_untouched_and_in_time():
    reminder = a_reminder()
    token = reminders.prompted_token(reminder)

    assert reminders.prompted_reminder(token) == reminder
    assert reminders.prompted_reminder(token, person=reminder.person) == reminder
    assert reminders.prompted_reminder(token, person=UserFactory()) is None
    assert reminders.prompted_reminder(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert reminders.prompted_reminder("") is None
    assert reminders.prompted_reminder(reminders.unsubscribe_token(reminder)) is None  # purpose
    forged = signing.TimestampSigner(salt="another").sign(str(reminder.pk))
    assert reminders.prompted_reminder(forged) is None
    later = datetime.now(UTC) + reminders.PROMPTED_MAX_AGE + timedelta(minutes=1)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        assert reminders.prompted_reminder(token) is None


def test_unsubscribe_token_is_refused_when_tampered_or_expired(client):
    reminder = a_reminder()
    token = reminders.unsubscribe_token(reminder)
    other = Reminder.objects.create(person=UserFactory(), due_at=utc(2026, 1, 15, 8))
    value, stamp, signature = token.split(":")
    tampered = f"{other.pk}:{stamp}:{signature}"

    assert reminders.unsubscribe_reminder(token) == reminder
    assert reminders.unsubscribe_reminder(tampered) is None
    assert client.post(reverse("moments:unsubscribe", args=[tampered])).status_code == 404
    later = datetime.now(UTC) + reminders.UNSUBSCRIBE_MAX_AGE + timedelta(minutes=1)
    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        assert client.post(reverse("moments:unsubscribe", args=[token])).status_code == 404
    assert MomentsSettings.objects.get(person=reminder.person).reminder_frequency == "daily"


def test_unsubscribe_get_shows_one_button_and_changes_nothing(client):
    reminder = a_reminder()
    url = reverse("moments:unsubscribe", args=[reminders.unsubscribe_token(reminder)])

    response = client.get(url)

    assert response.status_code == 200
    main = response.content.decode().partition("<main")[2].partition("</main>")[0]
    assert main.count('type="submit"') == 1  # the footer's language switcher is not in <main>
    assert MomentsSettings.objects.get(person=reminder.person).reminder_frequency == "daily"


def test_one_click_unsubscribe_post_works_without_a_session_or_csrf_token():
    reminder = a_reminder()
    url = reverse("moments:unsubscribe", args=[reminders.unsubscribe_token(reminder)])
    mail_client = Client(enforce_csrf_checks=True)  # RFC 8058: a bare POST from the mail client

    response = mail_client.post(url, {"List-Unsubscribe": "One-Click"})
    again = mail_client.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200 and again.status_code == 200
    settings = MomentsSettings.objects.get(person=reminder.person)
    assert settings.reminder_frequency == "off"
    assert settings.reminders_unsubscribed_at is not None
    assert reminders.schedule_due(utc(2026, 1, 16, 8, 5)).made == ()


def test_beat_runs_the_reminder_schedule_every_quarter_hour():
    from django.conf import settings

    from relcap.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["moment-reminders"]
    assert entry["task"] == "moments.tasks.schedule_reminders"
    assert entry["task"] in app.tasks
    assert entry["schedule"].minute == {0, 15, 30, 45}
