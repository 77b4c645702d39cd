"""Live moments (PRACTICE.md §7): short records made right after a relational moment.

A moment never touches a profile or a score. Chip codes are stored, never their labels: the
labels come from the report copy version named on the entry, so rewording a chip never
rewrites an old entry.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

TRIGGER_TEXT_MAX = 280
INTENSITY_MAX = 10


class MomentsSettings(models.Model):
    """One per person: the separate consent of §7, retention choice, and reminder choices."""

    class Frequency(models.TextChoices):
        OFF = "off", "Off"
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moments_settings"
    )
    consented_at = models.DateTimeField(null=True, blank=True)
    consent_copy_version = models.CharField(max_length=20, blank=True)
    # §7 Data: entries older than 12 months are deleted unless the person chose to keep them.
    keep_entries = models.BooleanField(default=False)
    # §7 Reminders (opt-in): a local time in the person's own time zone.
    reminder_frequency = models.CharField(
        max_length=6, choices=Frequency.choices, default=Frequency.OFF
    )
    reminder_time = models.TimeField(null=True, blank=True)
    reminder_weekday = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(6)]
    )  # 0 = Monday, for weekly reminders
    time_zone = models.CharField(max_length=64, default="UTC")
    ignored_in_row = models.PositiveSmallIntegerField(default=0)
    reminders_paused_at = models.DateTimeField(null=True, blank=True)
    # When the reminder choice was last saved: no reminder is due before it (moments/reminders.py).
    reminders_chosen_at = models.DateTimeField(null=True, blank=True)
    # The site address the choice was saved on, for the e-mail's links (RELCAP_BASE_URL wins).
    reminder_base_url = models.CharField(max_length=200, blank=True)
    reminders_unsubscribed_at = models.DateTimeField(null=True, blank=True)  # by the e-mail link
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Moments settings of {self.person_id}"


class Moment(models.Model):
    """One live moment. `client_id` is made by the person's device, so a resend never duplicates."""

    class Origin(models.TextChoices):
        SELF = "self", "self"
        PROMPTED = "prompted", "prompted"

    class Context(models.TextChoices):
        CLOSE = "close", "close"
        WORK = "work", "work"

    class FollowUp(models.TextChoices):
        REPAIRED = "repaired", "repaired"
        NOT_YET = "not_yet", "not yet"
        NO_NEED = "no_need", "no need"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moments"
    )
    client_id = models.UUIDField(default=uuid.uuid4, editable=False)
    origin = models.CharField(max_length=8, choices=Origin.choices, default=Origin.SELF)
    occurred_at = models.DateTimeField()
    entered_at = models.DateTimeField(default=timezone.now)
    context = models.CharField(max_length=5, choices=Context.choices, blank=True)
    role = models.CharField(max_length=12, blank=True)  # a chip code, never a name
    triggers = models.JSONField(default=list, blank=True)  # chip codes
    trigger_text = models.TextField(blank=True, validators=[MaxLengthValidator(TRIGGER_TEXT_MAX)])
    signals = models.JSONField(default=list, blank=True)  # chip codes
    intensity = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(INTENSITY_MAX)],
    )
    responses = models.JSONField(default=list, blank=True)  # chip codes, in the order tapped
    used_practice = models.BooleanField(default=False)
    focus_key = models.CharField(max_length=40, blank=True)  # the focus practised, if any
    copy_version = models.CharField(max_length=20)  # the copy whose chip labels were shown
    follow_up = models.CharField(max_length=8, choices=FollowUp.choices, blank=True)
    follow_up_at = models.DateTimeField(null=True, blank=True)
    follow_up_asked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "client_id"], name="one_moment_per_client_id"
            ),
            models.CheckConstraint(
                condition=Q(intensity__isnull=True) | Q(intensity__lte=INTENSITY_MAX),
                name="moment_intensity_0_to_10",
            ),
        ]
        indexes = [models.Index(fields=["person", "occurred_at"], name="moment_person_time")]

    def __str__(self) -> str:
        return f"Moment {self.client_id}"


class Reminder(models.Model):
    """One reminder e-mail sent (§7 Reminders): recorded, and answered when an entry follows it."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moment_reminders"
    )
    due_at = models.DateTimeField()  # the scheduled local time, in UTC
    frequency = models.CharField(max_length=6, blank=True)  # daily or weekly, when it was made
    copy_version = models.CharField(max_length=20, blank=True)  # the copy its e-mail was worded in
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    moment = models.ForeignKey(
        Moment, null=True, blank=True, on_delete=models.SET_NULL, related_name="reminders"
    )

    class Meta:
        ordering = ["-due_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "due_at"], name="one_reminder_per_due_time")
        ]

    def __str__(self) -> str:
        return f"Reminder for {self.person_id} due {self.due_at:%Y-%m-%d %H:%M}"
