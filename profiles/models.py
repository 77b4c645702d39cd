"""People's attempts (profiles), their answers and page times, and immutable result snapshots."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from assessments.locales import LOCALE_NAMES, SOURCE_LOCALE
from assessments.models import InstrumentVersion, ItemVersion
from relcap.immutability import FrozenModel, ReadOnlyError

LOCALE_CHOICES = list(LOCALE_NAMES.items())


class LocaleLocked(ReadOnlyError):
    """A profile's locale cannot change once it has an answer (issue 16 line 4)."""


class ProfileQuerySet(models.QuerySet):
    def update(self, **kwargs):
        if "locale" in kwargs:
            answered = self.filter(answers__isnull=False).exclude(locale=kwargs["locale"])
            if answered.exists():
                raise LocaleLocked(LOCALE_LOCKED)
        return super().update(**kwargs)


LOCALE_LOCKED = (
    "A profile's locale cannot change once answering started: its answers were given to the "
    "texts of that locale."
)


class ContextMode(models.TextChoices):
    BOTH = "both", "Close relationships and work"
    CLOSE_ONLY = "close_only", "Close relationships only"
    WORK_ONLY = "work_only", "Work only"


class Profile(models.Model):
    """One attempt at the questionnaire: a draft until submitted, then a scored profile."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # SHA-256 of the private resume link's token; the token itself is never stored (it is
    # derived from the start nonce with the secret key: queries.resume_token).
    resume_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # One-time id of the start form: a double click or replay finds the draft it already made.
    start_nonce = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="profiles",
    )
    instrument_version = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="profiles"
    )
    context_mode = models.CharField(max_length=10, choices=ContextMode.choices)
    # The locale the questionnaire is taken in (issue 16 line 4): chosen at the start among
    # the offered ones, and fixed once the first answer is stored (LocaleLocked).
    locale = models.CharField(max_length=10, choices=LOCALE_CHOICES, default=SOURCE_LOCALE)
    consent_notice_version = models.CharField(max_length=20)
    consented_at = models.DateTimeField()
    research_opt_in = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "submitted_at"])]
        permissions = [
            (
                "view_individual_data",
                "Can see individual people's records: profiles, accounts, sign-in failures "
                "(logged)",
            ),
        ]

    def __str__(self) -> str:
        state = "submitted" if self.submitted_at else "draft"
        return f"Profile {self.public_id} ({state})"

    def save(self, *args, **kwargs) -> None:
        loaded = getattr(self, "_loaded_locale", None)
        if loaded is not None and self.locale != loaded and self.answers.exists():
            raise LocaleLocked(LOCALE_LOCKED)
        super().save(*args, **kwargs)
        self._loaded_locale = self.locale

    def get_absolute_url(self) -> str:
        return reverse("profiles:report", args=[self.public_id])

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @classmethod
    def from_db(cls, db, field_names, values):
        row = super().from_db(db, field_names, values)
        row._loaded_locale = row.__dict__.get("locale")
        return row


class Answer(models.Model):
    """A raw answer 1-7 to one item version; null means the statement was shown and skipped."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="answers")
    item_version = models.ForeignKey(ItemVersion, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField(null=True, blank=True)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "item_version"], name="one_answer_per_item"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=1, value__lte=7),
                name="answer_value_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item_version.code} = {self.value}"


class PageTime(models.Model):
    """Milliseconds spent on one page, summed over every visit (ASSESSMENT.md §4)."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="page_times")
    page = models.PositiveSmallIntegerField()
    total_ms = models.PositiveBigIntegerField(default=0)
    visits = models.PositiveIntegerField(default=0)
    # Render id of the form counted last: a double click or a resent form counts once.
    last_render = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "page"], name="one_page_time_per_page"),
        ]

    def __str__(self) -> str:
        return f"page {self.page}: {self.total_ms} ms"


class ResultSnapshot(FrozenModel):
    """The complete scored result, written once; the report renders from this alone. It goes
    only when the person's data is erased (profiles/privacy.py)."""

    frozen_label = "result snapshot"
    frozen_hint = "Re-scoring writes a new one."
    erasable = True

    class Reason(models.TextChoices):
        SUBMISSION = "submission", "Submission"
        RESCORE = "rescore", "Re-score"

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="snapshots")
    scoring_version = models.CharField(max_length=20)
    copy_version = models.CharField(max_length=20)
    # The locale of the profile when this snapshot was written: the report, its PDF and the
    # comparison render in it, whatever the interface language (issue 16 line 4).
    locale = models.CharField(max_length=10, choices=LOCALE_CHOICES, default=SOURCE_LOCALE)
    reason = models.CharField(max_length=12, choices=Reason.choices, default=Reason.SUBMISSION)
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        get_latest_by = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile"],
                condition=Q(reason="submission"),
                name="one_submission_snapshot_per_profile",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scoring_version} snapshot of {self.profile_id}"


class AccessLog(FrozenModel):
    """One look by staff at individual people's records (§7.4): profiles, accounts and failed
    sign-in records in the admin, and profiles in a research export. Kept append-only. A profile
    is named by its public id, not a foreign key, so the audit trail outlives a deleted profile
    without pointing at anyone; an account is a foreign key that a deletion sets to null."""

    frozen_label = "staff access log entry"
    frozen_hint = "The log is append-only."

    class Action(models.TextChoices):
        LIST = "list", "Listed records"
        VIEW = "view", "Viewed one record"
        HISTORY = "history", "Viewed a record's change history"
        EXPORT = "export", "Included a profile in a research export"

    class Record(models.TextChoices):
        PROFILE = "profile", "Profile"
        ACCOUNT = "account", "Account"
        SIGN_IN = "sign_in", "Failed sign-in record"

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    staff_username = models.CharField(max_length=150)
    action = models.CharField(max_length=10, choices=Action.choices)
    record = models.CharField(max_length=10, choices=Record.choices, default=Record.PROFILE)
    profile_public_id = models.UUIDField(null=True, blank=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_views",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        subject = self.profile_public_id or self.account_id or ""
        return f"{self.staff_username} {self.action} {self.record} {subject}".strip()


class DeletionNotice(models.Model):
    """The e-mail telling a person their unused account will be deleted (§7.4), one per stretch
    of disuse: `last_used_at` is the last sign-in (or joining) it was about, so signing in and
    later falling idle again earns a new notice, while a re-run of retention finds this one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deletion_notices"
    )
    last_used_at = models.DateTimeField()
    deletion_date = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "last_used_at"], name="one_deletion_notice_per_disuse"
            )
        ]

    def __str__(self) -> str:
        return f"Deletion notice sent {self.sent_at:%Y-%m-%d} for {self.deletion_date}"


class ReportPdf(models.Model):
    """The PDF of one snapshot in one copy version, made once by a task and kept in storage.

    Its inputs never change, so it is never made again. The file is personal data: deleting a
    person's profiles deletes it from storage too (profiles/pdf_services.py).
    """

    snapshot = models.ForeignKey(ResultSnapshot, on_delete=models.CASCADE, related_name="pdfs")
    copy_version = models.CharField(max_length=20)
    file = models.FileField(upload_to="report-pdfs/")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "copy_version"], name="one_pdf_per_snapshot_and_copy"
            ),
        ]

    def __str__(self) -> str:
        return f"PDF of snapshot {self.snapshot_id} ({self.copy_version})"
