"""Writes of live moments: consent, entries (a resend never duplicates), follow-ups, deletion
and the 12-month retention."""

import dataclasses
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from moments.forms import Entry
from moments.models import Moment, MomentsSettings
from profiles.privacy import months_before

RETENTION_MONTHS = 12
FOLLOW_UP_AFTER = timedelta(hours=12)  # the next visit at least this long after a moment asks
FOLLOW_UP_WITHIN = timedelta(days=7)  # older moments are never asked about


def give_consent(*, person, copy_version: str) -> MomentsSettings:
    """Record the separate consent of §7 with the copy version whose words were agreed to; a
    second agreement keeps the first one's time."""
    found, _created = MomentsSettings.objects.get_or_create(person=person)
    if found.consented_at is None:
        found.consented_at = timezone.now()
        found.consent_copy_version = copy_version
        found.save(update_fields=["consented_at", "consent_copy_version", "updated_at"])
    return found


def log_moment(*, person, entry: Entry) -> tuple[Moment, bool]:
    """Store one entry once: a resend with the same client id (a double tap, a device sending
    its offline queue again) finds the first one and changes nothing. Two queries."""
    moment = Moment(person=person, **dataclasses.asdict(entry))
    Moment.objects.bulk_create([moment], ignore_conflicts=True)
    stored = Moment.objects.get(person=person, client_id=entry.client_id)
    # bulk_create with ignore_conflicts sets no primary key; the row read back is ours when it
    # holds exactly what was just sent and entered_at (to the microsecond) matches.
    created = stored.entered_at == entry.entered_at and stored.occurred_at == entry.occurred_at
    return stored, created


def mark_asked(*, moment_ids: list[int], now: datetime) -> None:
    """The follow-up question was shown for these moments: it is not asked again."""
    if moment_ids:
        Moment.objects.filter(pk__in=moment_ids, follow_up_asked_at__isnull=True).update(
            follow_up_asked_at=now
        )


def answer_follow_up(*, moment: Moment, answer: str) -> bool:
    """Store the first answer to "Did you come back to it?"; a resend changes nothing."""
    updated = Moment.objects.filter(pk=moment.pk, follow_up="").update(
        follow_up=answer, follow_up_at=timezone.now()
    )
    return bool(updated)


def set_keep(*, person, keep: bool) -> None:
    found, _created = MomentsSettings.objects.get_or_create(person=person)
    if found.keep_entries != keep:
        found.keep_entries = keep
        found.save(update_fields=["keep_entries", "updated_at"])


def delete_moment(*, moment: Moment) -> None:
    moment.delete()


def delete_all(*, person) -> int:
    with transaction.atomic():
        deleted, _ = Moment.objects.filter(person=person).delete()
    return deleted


def apply_retention(*, now: datetime) -> int:
    """Delete moments that happened more than 12 months ago, except those of people who chose
    to keep theirs. Safe to run again: what is gone stays gone."""
    cutoff = months_before(now, RETENTION_MONTHS)
    keepers = MomentsSettings.objects.filter(keep_entries=True).values("person_id")
    deleted, _ = (
        Moment.objects.filter(occurred_at__lt=cutoff).exclude(person_id__in=keepers).delete()
    )
    return deleted
