"""Reminders to log a moment (PRACTICE.md §7, issue 18 line 7): opt-in, daily or weekly at the
person's own local time, content-free, one-click unsubscribe, paused after 5 ignored in a row.

How it runs: celery beat calls `tasks.schedule_reminders` every 15 minutes. `schedule_due`
finds, for every person with reminders on, the latest due time at or before now; if it lies
within GRACE and after the choice was saved, it records one Reminder per (person, due_at) —
unique in the database, so a second run, a retried task or two beats at once record it once —
and enqueues one `tasks.send_reminder` for it on commit. The send locks the row and marks it
sent in the same transaction as the e-mail, so a retried or redelivered send never mails twice.

Local time: a due time is the chosen wall-clock time on a local date in the person's zone
(zoneinfo), turned into UTC. A time that does not exist that day (the spring-forward gap)
is read with the offset before the change, so 02:30 becomes 03:30; a time that happens twice
(autumn) is its first occurrence. Either way there is exactly one reminder per local day
(daily) or per chosen weekday (weekly).

Ignored: a reminder is answered when an entry was made through its link (`answer`, which the
entry form calls with `prompted_reminder`'s result) or, since the person came anyway, when any
entry was entered after it was sent and before the next one was due. When the next reminder is
due and the previous one was not answered, `ignored_in_row` grows; at 5 the reminders pause
(`reminders_paused_at`) and nothing more is sent until the person saves their choice again.

Tokens (single-purpose, signed with the secret key, expiring; nothing stored):
- `?reminder=<token>` on the entry form's link: TimestampSigner, salt PROMPTED_SALT, value the
  reminder's id, valid PROMPTED_MAX_AGE. `prompted_reminder(token)` gives the Reminder back, or
  None when the token is forged, tampered with, expired or its reminder is gone; the entry made
  with it is stored with origin `prompted`.
- the unsubscribe link `/moments/reminders/unsubscribe/<token>/`: salt UNSUBSCRIBE_SALT, value
  the reminder's id, valid UNSUBSCRIBE_MAX_AGE. Its GET shows one button; its POST (the button,
  or a mail client's RFC 8058 one-click POST, with no session) switches reminders off.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse

from moments.models import Moment, MomentsSettings, Reminder

logger = logging.getLogger(__name__)

Frequency = MomentsSettings.Frequency
GRACE = timedelta(hours=2)  # a due time missed by longer (beat was down) is skipped, not sent late
IGNORED_TO_PAUSE = 5
PROMPTED_SALT = "relcap.moments.reminder.prompted"
UNSUBSCRIBE_SALT = "relcap.moments.reminder.unsubscribe"
PROMPTED_MAX_AGE = timedelta(days=8)  # a weekly reminder's link lasts until after the next one
UNSUBSCRIBE_MAX_AGE = timedelta(days=60)
PROMPTED_PARAMETER = "reminder"


class NotAllowed(Exception):
    """The choice cannot be saved; the message is for the person (a copy key)."""


# --- due times ---------------------------------------------------------------------------------


def zone_of(name: str) -> ZoneInfo | None:
    if not name or name not in _zone_names():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


_ZONES: set[str] = set()


def _zone_names() -> set[str]:
    if not _ZONES:
        _ZONES.update(available_timezones())
    return _ZONES


def local_due(day: date, at: time, zone: ZoneInfo) -> datetime:
    """`at` on the local `day` in `zone`, in UTC (fold=0: see the module's note on DST)."""
    return datetime.combine(day, at.replace(tzinfo=None), tzinfo=zone).astimezone(UTC)


def _is_reminder_day(choice: MomentsSettings, day: date) -> bool:
    return choice.reminder_frequency == Frequency.DAILY or day.weekday() == choice.reminder_weekday


def _choice_zone(choice: MomentsSettings) -> ZoneInfo | None:
    if choice.reminder_frequency == Frequency.OFF or choice.reminder_time is None:
        return None
    if choice.reminder_frequency == Frequency.WEEKLY and choice.reminder_weekday is None:
        return None
    return zone_of(choice.time_zone)


def last_due(choice: MomentsSettings, now: datetime) -> datetime | None:
    """The latest due time at or before `now` (None when reminders are off or incomplete)."""
    zone = _choice_zone(choice)
    if zone is None:
        return None
    today = now.astimezone(zone).date()
    for back in range(-1, 9):  # -1: a zone ahead of UTC may be on tomorrow's date already
        day = today - timedelta(days=back)
        if _is_reminder_day(choice, day):
            due = local_due(day, choice.reminder_time, zone)
            if due <= now:
                return due
    return None


def next_due(choice: MomentsSettings, after: datetime) -> datetime | None:
    """The first due time strictly after `after`."""
    zone = _choice_zone(choice)
    if zone is None:
        return None
    today = after.astimezone(zone).date()
    for ahead in range(-1, 9):
        day = today + timedelta(days=ahead)
        if _is_reminder_day(choice, day):
            due = local_due(day, choice.reminder_time, zone)
            if due > after:
                return due
    return None


# --- the person's choice -----------------------------------------------------------------------


def settings_of(person) -> MomentsSettings:
    """The person's settings, or unsaved defaults (reminders off): reading writes nothing."""
    return MomentsSettings.objects.filter(person=person).first() or MomentsSettings(person=person)


def set_reminders(
    *,
    person,
    frequency: str,
    at: time | None,
    weekday: int | None,
    time_zone: str,
    base_url: str,
    now: datetime,
) -> MomentsSettings:
    """Save the choice; saving it again also resumes paused reminders (the count starts over)."""
    if frequency not in Frequency.values:
        raise NotAllowed("problem_time")
    if zone_of(time_zone) is None:
        raise NotAllowed("problem_time_zone")
    if frequency != Frequency.OFF and at is None:
        raise NotAllowed("problem_time")
    if frequency == Frequency.WEEKLY and (weekday is None or not 0 <= weekday <= 6):
        raise NotAllowed("problem_weekday")
    with transaction.atomic():
        choice, _created = MomentsSettings.objects.select_for_update().get_or_create(person=person)
        choice.reminder_frequency = frequency
        choice.reminder_time = at.replace(second=0, microsecond=0) if at else None
        choice.reminder_weekday = weekday if frequency == Frequency.WEEKLY else None
        choice.time_zone = time_zone
        choice.reminders_chosen_at = now
        choice.ignored_in_row = 0
        choice.reminders_paused_at = None
        choice.reminder_base_url = base_url[:200]
        choice.save()
    return choice


def unsubscribe(*, reminder: Reminder, now: datetime) -> None:
    """Reminders off for the reminder's person; a second click changes nothing."""
    with transaction.atomic():
        choice = MomentsSettings.objects.select_for_update().filter(person_id=reminder.person_id)
        found = choice.first()
        if found is None or found.reminder_frequency == Frequency.OFF:
            return
        found.reminder_frequency = Frequency.OFF
        found.reminders_unsubscribed_at = now
        found.save(update_fields=["reminder_frequency", "reminders_unsubscribed_at", "updated_at"])


# --- tokens ------------------------------------------------------------------------------------


def _token(reminder: Reminder, salt: str) -> str:
    return signing.TimestampSigner(salt=salt).sign(str(reminder.pk))


def _reminder_of(token: str, salt: str, max_age: timedelta) -> Reminder | None:
    if not token or len(token) > 200:
        return None
    try:
        value = signing.TimestampSigner(salt=salt).unsign(token, max_age=max_age)
    except signing.BadSignature:  # tampered, forged, another purpose's, or expired
        return None
    if not value.isdigit():
        return None
    return Reminder.objects.filter(pk=int(value)).first()


def prompted_token(reminder: Reminder) -> str:
    return _token(reminder, PROMPTED_SALT)


def prompted_reminder(token: str, *, person=None) -> Reminder | None:
    """The reminder whose e-mail link carried `token` (the entry form's `?reminder=`), or None.
    With `person`, another person's reminder is None too."""
    reminder = _reminder_of(token, PROMPTED_SALT, PROMPTED_MAX_AGE)
    if reminder is None or (person is not None and reminder.person_id != person.pk):
        return None
    return reminder


def unsubscribe_token(reminder: Reminder) -> str:
    return _token(reminder, UNSUBSCRIBE_SALT)


def unsubscribe_reminder(token: str) -> Reminder | None:
    return _reminder_of(token, UNSUBSCRIBE_SALT, UNSUBSCRIBE_MAX_AGE)


def mark_opened(reminder: Reminder, now: datetime) -> None:
    Reminder.objects.filter(pk=reminder.pk, opened_at__isnull=True).update(opened_at=now)


def answer(*, reminder: Reminder, moment: Moment) -> None:
    """An entry was made through `reminder`'s link: the reminder is answered, and the count of
    ignored reminders starts over. The entry form calls this with the reminder it verified."""
    if moment.person_id != reminder.person_id:
        return
    with transaction.atomic():
        Reminder.objects.filter(pk=reminder.pk, moment__isnull=True).update(moment=moment)
        MomentsSettings.objects.filter(person_id=reminder.person_id).update(ignored_in_row=0)


# --- scheduling and sending --------------------------------------------------------------------


def _answered(previous: Reminder, until: datetime) -> bool:
    if previous.moment_id is not None:
        return True
    since = previous.sent_at or previous.due_at
    return Moment.objects.filter(
        person_id=previous.person_id, entered_at__gte=since, entered_at__lt=until
    ).exists()


@dataclass(frozen=True)
class Scheduled:
    made: tuple[int, ...]  # ids of the reminders recorded now (each gets one send)
    paused: tuple[int, ...]  # person ids paused now


def schedule_due(now: datetime) -> Scheduled:
    """Record every reminder due now (see the module's note); the sends are enqueued on commit
    by the caller, one per recorded reminder."""
    made, paused = [], []
    active = MomentsSettings.objects.exclude(reminder_frequency=Frequency.OFF).filter(
        reminders_paused_at__isnull=True, person__is_active=True
    )
    for choice in active.only(
        "pk",
        "person_id",
        "reminder_frequency",
        "reminder_time",
        "reminder_weekday",
        "time_zone",
        "reminders_chosen_at",
    ):
        due = last_due(choice, now)
        if due is None or due < now - GRACE:
            continue
        if choice.reminders_chosen_at is not None and due < choice.reminders_chosen_at:
            continue
        outcome = _record(choice.pk, due, now)
        if outcome == "made":
            made.append(_made_id(choice.person_id, due))
        elif outcome == "paused":
            paused.append(choice.person_id)
    return Scheduled(tuple(made), tuple(paused))


def _made_id(person_id: int, due: datetime) -> int:
    return Reminder.objects.values_list("pk", flat=True).get(person_id=person_id, due_at=due)


def _record(settings_pk: int, due: datetime, now: datetime) -> str:
    """ "made", "exists", "paused" or "off" for one person's due time, in one transaction that
    holds their settings row, so two schedulers at once decide once."""
    from assessments.queries import interface_copy
    from profiles.locales import person_locale

    with transaction.atomic():
        choice = MomentsSettings.objects.select_for_update().get(pk=settings_pk)
        if choice.reminder_frequency == Frequency.OFF or choice.reminders_paused_at is not None:
            return "off"
        if Reminder.objects.filter(person_id=choice.person_id, due_at=due).exists():
            return "exists"
        earlier = Reminder.objects.filter(person_id=choice.person_id, due_at__lt=due)
        if choice.reminders_chosen_at is not None:  # a saved choice starts the count over
            earlier = earlier.filter(due_at__gte=choice.reminders_chosen_at)
        previous = earlier.order_by("-due_at").first()
        if previous is not None and previous.sent_at is not None:
            choice.ignored_in_row = 0 if _answered(previous, due) else choice.ignored_in_row + 1
        if choice.ignored_in_row >= IGNORED_TO_PAUSE:
            choice.reminders_paused_at = now
            choice.save(update_fields=["ignored_in_row", "reminders_paused_at", "updated_at"])
            return "paused"
        choice.save(update_fields=["ignored_in_row", "updated_at"])
        try:
            with transaction.atomic():
                Reminder.objects.create(
                    person_id=choice.person_id,
                    due_at=due,
                    frequency=choice.reminder_frequency,
                    # the copy the e-mail will read, in the person's language (issue 16)
                    copy_version=interface_copy(person_locale(choice.person_id))["version"],
                )
        except IntegrityError:  # recorded by a concurrent run after all
            return "exists"
    return "made"


def base_url_for(choice: MomentsSettings | None) -> str:
    configured = getattr(settings, "RELCAP_BASE_URL", "")
    return (
        configured or (choice.reminder_base_url if choice else "") or "http://localhost/"
    ).rstrip("/")


def send(*, reminder_id: int, now: datetime) -> bool:
    """Mail one recorded reminder once: the row is locked and marked sent in the transaction
    that sends, so a second run finds it sent. False when nothing was sent."""
    from assessments.queries import CopyLocaleUnavailable, copy_texts
    from profiles.locales import in_locale, person_locale

    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update()
            .select_related("person")
            .filter(pk=reminder_id)
            .first()
        )
        if reminder is None or reminder.sent_at is not None:
            return False
        choice = MomentsSettings.objects.filter(person_id=reminder.person_id).first()
        if (
            choice is None
            or choice.reminder_frequency == Frequency.OFF
            or choice.reminders_paused_at is not None
            or not reminder.person.email
            or not reminder.person.is_active
        ):
            return False
        locale = person_locale(reminder.person_id)
        try:
            words = copy_texts(reminder.copy_version, locale)["moments_reminders"]
        except CopyLocaleUnavailable:  # their newest profile changed language since
            locale, words = "en", copy_texts(reminder.copy_version)["moments_reminders"]
        with in_locale(locale):
            message = reminder_message(reminder, words, base_url_for(choice))
        reminder.sent_at = now
        reminder.save(update_fields=["sent_at"])
        message.send()
    return True


def entry_url(reminder: Reminder, base: str) -> str:
    """The entry form's address with the prompted token (moments/views/entry.py reads it)."""
    return f"{base}{reverse('moments:log')}?{PROMPTED_PARAMETER}={prompted_token(reminder)}"


def unsubscribe_url(reminder: Reminder, base: str) -> str:
    return base + reverse("moments:unsubscribe", args=[unsubscribe_token(reminder)])


def reminder_message(reminder: Reminder, words: dict, base: str) -> EmailMessage:
    """Subject and body carry nothing about the person: the same words for everyone, and two
    links. List-Unsubscribe(-Post) let a mail client unsubscribe with one click (RFC 8058)."""
    subject_key = (
        "email_subject_weekly" if reminder.frequency == Frequency.WEEKLY else "email_subject_daily"
    )
    stop = unsubscribe_url(reminder, base)
    body = "\n\n".join(
        [
            words["email_body"],
            f"{words['email_link_intro']}\n{entry_url(reminder, base)}",
            f"{words['email_unsubscribe_intro']}\n{stop}",
            words["email_footer"],
        ]
    )
    return EmailMessage(
        subject=words[subject_key],
        body=body + "\n",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[reminder.person.email],
        headers={
            "List-Unsubscribe": f"<{stop}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
