"""Practitioners, invitations, connections and what a person shares (PRACTICE.md §2-§4).

Nothing about a person is visible to a practitioner except through a live Share; a Share is
deleted when the person revokes it or the connection ends, so the next request answers 404.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from profiles.models import Profile

INVITATION_DAYS_DEFAULT = 14
INVITATION_DAYS_MAX = 60
INVITATIONS_PER_DAY = 50
NOTE_MAX_LENGTH = 500
# §5: reminders to share, to a connected person who has shared nothing yet.
SHARE_REMINDERS_MAX = 3
SHARE_REMINDER_SPACING = timedelta(days=7)


class PractitionerProfile(models.Model):
    """A person's request to be a practitioner, and staff's decision on it."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Not approved")
        WITHDRAWN = "withdrawn", _("Approval withdrawn")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practitioner"
    )
    display_name = models.CharField(_("display name"), max_length=100)
    profession = models.CharField(_("profession"), max_length=100)
    organisation = models.CharField(_("organisation"), max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    requested_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-requested_at"]
        permissions = [
            (
                "decide_practitioner",
                "Can approve, refuse or withdraw practitioner status (logged)",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_status_display()})"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class Invitation(models.Model):
    """One invitation from a practitioner. The token is derived from `nonce` with the secret key
    (practice/tokens.py) and stored only as its SHA-256; it is good for one answer."""

    class Status(models.TextChoices):
        PENDING = "pending", _("invited")
        ACCEPTED = "accepted", _("connected")
        DECLINED = "declined", _("not accepted")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practitioner = models.ForeignKey(
        PractitionerProfile, on_delete=models.CASCADE, related_name="invitations"
    )
    # The creating form's one-time id: a double click finds the invitation it already made.
    nonce = models.UUIDField(unique=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField(blank=True)
    note = models.CharField(max_length=NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    answered_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    connection = models.OneToOneField(
        "Connection", null=True, blank=True, on_delete=models.SET_NULL, related_name="invitation"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["practitioner", "created_at"])]

    def __str__(self) -> str:
        return f"Invitation {self.public_id} ({self.status})"

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    def is_open(self, now=None) -> bool:
        return self.status == self.Status.PENDING and not self.is_expired(now)

    def shown_status(self, now=None) -> str:
        """What the practitioner sees: invited, expired, not accepted or connected."""
        if self.status == self.Status.PENDING and self.is_expired(now):
            return str(_("expired"))
        return self.get_status_display()

    @staticmethod
    def default_expiry(created_at, days: int = INVITATION_DAYS_DEFAULT):
        return created_at + timedelta(days=days)


class Connection(models.Model):
    """A person and a practitioner, linked by an accepted invitation; nothing is shared by it.

    Ending it (either side, or the person's account deletion) deletes every share at once; the
    row stays, with `person` cleared on account deletion, so the practitioner sees "ended".
    """

    class EndedBy(models.TextChoices):
        PERSON = "person", _("the person")
        PRACTITIONER = "practitioner", _("the practitioner")
        DELETION = "deletion", _("account deleted")

    class Level(models.TextChoices):
        SUMMARY = "summary", _("Summary")
        REPORT = "report", _("Full report")
        REPORT_ANSWERS = "report_answers", _("Full report and answers")

    class MomentsLevel(models.TextChoices):
        """§4: live moments as a weekly summary (the 4-week view) or the individual entries."""

        SUMMARY = "summary", _("Weekly summary")
        ENTRIES = "entries", _("Individual entries")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    practitioner = models.ForeignKey(
        PractitionerProfile, on_delete=models.CASCADE, related_name="connections"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practice_connections",
    )
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.CharField(max_length=12, choices=EndedBy.choices, blank=True)
    # §3: on unless the person unticks it; the dates only, never the content.
    show_submission_dates = models.BooleanField(default=True)
    # §4's separate choices, each off by default.
    share_checkin = models.BooleanField(default=False)
    share_future = models.BooleanField(default=False)
    future_level = models.CharField(max_length=14, choices=Level.choices, default=Level.SUMMARY)
    share_moments = models.BooleanField(default=False)
    moments_level = models.CharField(
        max_length=8, choices=MomentsLevel.choices, default=MomentsLevel.SUMMARY
    )
    # The name the person chose to be shown to this practitioner (on the brief); may be empty.
    person_display_name = models.CharField(max_length=100, blank=True)
    # §5 reminders to share: the person may switch them off (on by default); the count and the
    # last one are kept here so the cap is one conditional UPDATE and cheap to show.
    allows_share_reminders = models.BooleanField(default=True)
    share_reminders_sent = models.PositiveSmallIntegerField(default=0)
    share_reminder_last_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["practitioner", "person"],
                condition=Q(ended_at__isnull=True),
                name="one_live_connection_per_pair",
            ),
        ]

    def __str__(self) -> str:
        return f"Connection {self.public_id}"

    @property
    def is_live(self) -> bool:
        return self.ended_at is None and self.person_id is not None


class Share(models.Model):
    """One submitted profile shared on one connection at one level."""

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="shares")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="shares")
    level = models.CharField(
        max_length=14, choices=Connection.Level.choices, default=Connection.Level.SUMMARY
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # When the practitioner was told by e-mail that this share was made (§5 Notification);
    # set in the transaction that sends, so a retried task never mails twice.
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["connection", "profile"], name="one_share_per_profile")
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} at {self.level}"


class ShareReminder(models.Model):
    """One reminder to share sent by a practitioner (§5); the person's export lists them. Its id
    is what the e-mail's switch-off link signs (practice/tokens.py)."""

    connection = models.ForeignKey(
        Connection, on_delete=models.CASCADE, related_name="share_reminders"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"Reminder to share on {self.connection_id} at {self.sent_at:%Y-%m-%d}"


class ShareAccess(models.Model):
    """One view of shared content by a practitioner (§1.4): the person sees who, what, when."""

    class What(models.TextChoices):
        SUMMARY = "summary", _("the summary")
        REPORT = "report", _("the full report")
        REPORT_ANSWERS = "report_answers", _("the full report and answers")
        PDF = "pdf", _("the report PDF")
        MOMENTS_SUMMARY = "moments_summary", _("the live-moments summary")
        MOMENTS_ENTRIES = "moments_entries", _("the live-moment entries")
        BRIEF = "brief", _("the pre-session brief")
        BRIEF_PDF = "brief_pdf", _("the pre-session brief PDF")

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="accesses")
    practitioner_name = models.CharField(max_length=100)
    profile_public_id = models.UUIDField(null=True)  # none for live moments
    profile_submitted_at = models.DateTimeField(null=True)
    what = models.CharField(max_length=20, choices=What.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.practitioner_name} saw {self.what} at {self.at:%Y-%m-%d %H:%M}"


# --- practitioner notes (§5) -----------------------------------------------------------------
PRACTITIONER_NOTE_MAX_LENGTH = 5000
AGREED_PRACTICE_MAX_LENGTH = 1000
# After a connection ends its notes stay readable (and exportable) by the practitioner this
# long; then the daily task deletes them with the agreed practice (practice/notes.py).
NOTES_KEPT_DAYS = 30


class PractitionerNote(models.Model):
    """A practitioner's private note on one connection: never shown to the person, never in
    their export."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="notes")
    # The adding form's one-time id: a double submit finds the note it already made.
    nonce = models.UUIDField(unique=True, editable=False)
    body = models.TextField(max_length=PRACTITIONER_NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["connection", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=GreaterThan(Length("body"), 0)
                & LessThanOrEqual(Length("body"), PRACTITIONER_NOTE_MAX_LENGTH),
                name="note_body_length",
            )
        ]

    def __str__(self) -> str:
        return f"Note {self.public_id}"


class AgreedPractice(models.Model):
    """The one "agreed practice" note of a connection: written by the practitioner, shown to
    the person on their practice page while the connection is live. No row means none."""

    connection = models.OneToOneField(
        Connection, on_delete=models.CASCADE, related_name="agreed_practice"
    )
    text = models.TextField(max_length=AGREED_PRACTICE_MAX_LENGTH)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=GreaterThan(Length("text"), 0)
                & LessThanOrEqual(Length("text"), AGREED_PRACTICE_MAX_LENGTH),
                name="agreed_practice_text_length",
            )
        ]

    def __str__(self) -> str:
        return f"Agreed practice of connection {self.connection_id}"


# --- organisations (§6) ----------------------------------------------------------------------
ORGANISATION_INVITATION_DAYS = 14


class Organisation(models.Model):
    """A practice, clinic or team whose admins invite and remove practitioners and set the
    branding on their invitations. It sees counts only (§1.2, practice/organisation_queries.py)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=100, unique=True)
    # Branding (§6): shown on invitations and briefs; the name falls back to `name`.
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    # "#rrggbb", lower case; checked for WCAG AA contrast with white (practice/branding.py).
    accent = models.CharField(_("accent colour"), max_length=7, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        permissions = [
            (
                "manage_organisations",
                "Can create organisations and name their admins (logged)",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def shown_name(self) -> str:
        return self.display_name or self.name


class OrganisationAdmin(models.Model):
    """One account that manages one organisation; an account manages at most one."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="admins")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_admin"
    )
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["organisation", "added_at"]

    def __str__(self) -> str:
        return f"{self.user} manages {self.organisation}"


class Membership(models.Model):
    """A practitioner belonging to an organisation, from an accepted organisation invitation
    until an admin removes them (the row is then deleted). One organisation at a time.

    The practitioner's free-text `PractitionerProfile.organisation` stays what they wrote when
    they asked for practitioner status; only a membership brings an organisation's branding."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    practitioner = models.OneToOneField(
        PractitionerProfile, on_delete=models.CASCADE, related_name="membership"
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["practitioner__display_name", "pk"]

    def __str__(self) -> str:
        return f"{self.practitioner_id} in {self.organisation_id}"


class OrganisationInvitation(models.Model):
    """An organisation admin's invitation to a practitioner: by e-mail, single use, expiring;
    the token (practice/tokens.py, its own salt) is stored only as its SHA-256."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    nonce = models.UUIDField(unique=True, editable=False)
    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        PractitionerProfile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The published report copy when it was made: its e-mail is written in that copy.
    copy_version = models.CharField(max_length=20)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Organisation invitation {self.public_id}"

    def is_open(self, now=None) -> bool:
        return self.accepted_at is None and (now or timezone.now()) < self.expires_at


class BriefPdf(models.Model):
    """The stored PDF of one connection's pre-session brief for one set of inputs.

    `key` is the digest of everything the brief is made from (practice/brief.py `cache_key`):
    the shared profiles it shows, their snapshots and share levels, both copy versions, the
    check-in choice, the display name and the branding. Any change to a share gives a new key,
    so a stored file is served only while its inputs are still the live ones. A connection
    keeps at most one (storing a new one deletes the others), and a share's deletion takes the
    row with it; practice/brief_pdf.py deletes the files.
    """

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="brief_pdfs")
    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="+")
    previous_share = models.ForeignKey(
        Share, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=64)
    file = models.FileField(upload_to="brief-pdfs/")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["connection", "key"], name="one_brief_pdf_per_key")
        ]

    def __str__(self) -> str:
        return f"Brief PDF of connection {self.connection_id} ({self.key[:12]})"
