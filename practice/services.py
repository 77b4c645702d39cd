"""Practice's writes: practitioner status, invitations, connections, shares and their log.

Every write is one transaction; a repeated form (double click) finds what it already made.
"""

import uuid
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from practice import tokens
from practice.models import (
    INVITATION_DAYS_MAX,
    INVITATIONS_PER_DAY,
    SHARE_REMINDER_SPACING,
    SHARE_REMINDERS_MAX,
    Connection,
    Invitation,
    PractitionerProfile,
    Share,
    ShareAccess,
    ShareReminder,
)
from profiles.models import Profile


class NotAllowed(Exception):
    """The write would break a rule; its message is for the person."""


# --- practitioner status ---------------------------------------------------------------------


def request_status(
    *, user: AbstractBaseUser, display_name: str, profession: str, organisation: str = ""
) -> PractitionerProfile:
    """A new request, or a renewed one after a refusal or withdrawal; an approved or pending
    request is left as it is."""
    with transaction.atomic():
        existing = PractitionerProfile.objects.select_for_update().filter(user=user).first()
        if existing is None:
            return PractitionerProfile.objects.create(
                user=user,
                display_name=display_name,
                profession=profession,
                organisation=organisation,
            )
        if existing.status in (existing.Status.APPROVED, existing.Status.REQUESTED):
            return existing
        existing.display_name, existing.profession = display_name, profession
        existing.organisation = organisation
        existing.status = existing.Status.REQUESTED
        existing.requested_at, existing.decided_at, existing.decided_by = timezone.now(), None, None
        existing.save()
        return existing


def decide(*, practitioner: PractitionerProfile, status: str, staff) -> PractitionerProfile:
    practitioner.status = status
    practitioner.decided_at = timezone.now()
    practitioner.decided_by = staff
    practitioner.save(update_fields=["status", "decided_at", "decided_by"])
    return practitioner


# --- invitations -----------------------------------------------------------------------------


def create_invitation(
    *,
    practitioner: PractitionerProfile,
    nonce: uuid.UUID,
    email: str = "",
    note: str = "",
    days: int,
) -> tuple[Invitation, bool]:
    """(invitation, created). The same form sent twice gives the first invitation back."""
    if not 1 <= days <= INVITATION_DAYS_MAX:
        raise NotAllowed("An invitation lasts between 1 and 60 days.")
    with transaction.atomic():
        # One practitioner's invitations are made one at a time, so the daily cap holds.
        PractitionerProfile.objects.select_for_update().get(pk=practitioner.pk)
        existing = Invitation.objects.filter(nonce=nonce).first()
        if existing is not None:
            if existing.practitioner_id != practitioner.pk:
                raise NotAllowed("This form was already used.")
            return existing, False
        now = timezone.now()
        recent = Invitation.objects.filter(
            practitioner=practitioner, created_at__gt=now - timedelta(days=1)
        ).count()
        if recent >= INVITATIONS_PER_DAY:
            raise NotAllowed("You have made 50 invitations in the last 24 hours.")
        invitation = Invitation.objects.create(
            practitioner=practitioner,
            nonce=nonce,
            token_hash=tokens.token_hash(tokens.invitation_token(nonce)),
            email=email,
            note=note,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
    return invitation, True


def invitation_for_token(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.select_related("practitioner", "connection")
        .filter(token_hash=tokens.token_hash(token))
        .first()
    )


def mark_reminded(*, invitation: Invitation) -> bool:
    """True the first time only; a pending invitation with an address gets one reminder."""
    with transaction.atomic():
        fresh = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if fresh.reminded_at is not None or not fresh.is_open() or not fresh.email:
            return False
        fresh.reminded_at = timezone.now()
        fresh.save(update_fields=["reminded_at"])
    return True


def accept(*, invitation: Invitation, person, show_submission_dates: bool) -> Connection:
    """A connection with nothing shared. Refused when the invitation is used or expired."""
    with transaction.atomic():
        fresh = (
            Invitation.objects.select_for_update()
            .select_related("practitioner")
            .get(pk=invitation.pk)
        )
        if fresh.status == Invitation.Status.ACCEPTED and fresh.connection is not None:
            if fresh.connection.person_id == person.pk:
                return fresh.connection  # the same person's second click
            raise NotAllowed("This invitation has already been used.")
        if not fresh.is_open():
            raise NotAllowed("This invitation is no longer open.")
        if fresh.practitioner.user_id == person.pk:
            raise NotAllowed("This is your own invitation.")
        connection = Connection.objects.filter(
            practitioner=fresh.practitioner, person=person, ended_at__isnull=True
        ).first()
        if connection is None:
            connection = Connection.objects.create(
                practitioner=fresh.practitioner,
                person=person,
                show_submission_dates=show_submission_dates,
            )
        fresh.status = Invitation.Status.ACCEPTED
        fresh.answered_at = timezone.now()
        fresh.connection = connection
        fresh.save(update_fields=["status", "answered_at", "connection"])
    return connection


def decline(*, invitation: Invitation) -> None:
    with transaction.atomic():
        fresh = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if fresh.is_open():
            fresh.status = Invitation.Status.DECLINED
            fresh.answered_at = timezone.now()
            fresh.save(update_fields=["status", "answered_at"])


# --- connections and shares ------------------------------------------------------------------


def end_connection(*, connection: Connection, by: str) -> None:
    """Ends it and removes every share at once."""
    with transaction.atomic():
        fresh = Connection.objects.select_for_update().get(pk=connection.pk)
        forget_brief_pdfs(fresh)
        fresh.shares.all().delete()
        if fresh.ended_at is None:
            fresh.ended_at = timezone.now()
            fresh.ended_by = by
            fresh.save(update_fields=["ended_at", "ended_by"])


def end_connections_of(*, user) -> None:
    """Account deletion: the person's connections and, for a practitioner, theirs."""
    now = timezone.now()
    for connection in Connection.objects.filter(person=user, brief_pdfs__isnull=False).distinct():
        forget_brief_pdfs(connection)
    Share.objects.filter(connection__person=user).delete()
    # The log of views is about the person: it goes with them; the practitioner sees "ended".
    ShareAccess.objects.filter(connection__person=user).delete()
    ShareReminder.objects.filter(connection__person=user).delete()  # the dates go with them too
    Connection.objects.filter(person=user, ended_at__isnull=True).update(
        ended_at=now, ended_by=Connection.EndedBy.DELETION
    )


def set_share(
    *, connection: Connection, profile: Profile, level: str, base_url: str = ""
) -> Share | None:
    """Share `profile` at `level`, change its level, or ("none") revoke it. A new share tells
    the practitioner by e-mail (after the commit); a change of level or a revoke does not."""
    if not connection.is_live:
        raise NotAllowed("This connection has ended.")
    if profile.user_id != connection.person_id or profile.submitted_at is None:
        raise NotAllowed("Only your own submitted profiles can be shared.")
    forget_brief_pdfs(connection)
    if level == "none":
        Share.objects.filter(connection=connection, profile=profile).delete()
        return None
    if level not in Connection.Level.values:
        raise NotAllowed("Choose one of the levels.")
    try:
        with transaction.atomic():
            share, created = Share.objects.update_or_create(
                connection=connection, profile=profile, defaults={"level": level}
            )
    except IntegrityError:  # a concurrent first share of the same profile: update it
        share = Share.objects.get(connection=connection, profile=profile)
        share.level = level
        share.save(update_fields=["level", "updated_at"])
    else:
        if created:
            notify_share(share, base_url)
    return share


def notify_share(share: Share, base_url: str = "") -> None:
    """Queue the practitioner's content-free e-mail about a new share (practice/mail.py); the
    task marks the share notified as it sends, so it mails at most once per share."""
    from practice import tasks
    from relcap.jobs import engine

    engine.enqueue(
        tasks.notify_share,
        inline=engine.AFTER_RESPONSE,
        share_id=share.pk,
        base_url=base_url,
    )


def set_choices(
    *,
    connection: Connection,
    show_submission_dates: bool,
    share_checkin: bool,
    share_future: bool,
    future_level: str,
    share_moments: bool,
    moments_level: str = Connection.MomentsLevel.SUMMARY,
    display_name: str | None = None,
    allows_share_reminders: bool | None = None,
) -> None:
    """The person's separate choices; `display_name` (the name on the brief) and
    `allows_share_reminders` are changed only when given."""
    if not connection.is_live:
        raise NotAllowed("This connection has ended.")
    if future_level not in Connection.Level.values:
        raise NotAllowed("Choose one of the levels.")
    if moments_level not in Connection.MomentsLevel.values:
        raise NotAllowed("Choose how to share your live moments.")
    forget_brief_pdfs(connection)
    name = {} if display_name is None else {"person_display_name": display_name.strip()}
    if allows_share_reminders is not None:
        name["allows_share_reminders"] = allows_share_reminders
    Connection.objects.filter(pk=connection.pk).update(
        **name,
        show_submission_dates=show_submission_dates,
        share_checkin=share_checkin,
        share_future=share_future,
        future_level=future_level,
        share_moments=share_moments,
        moments_level=moments_level,
    )


def forget_brief_pdfs(connection: Connection) -> None:
    """Any change to what a connection shares deletes its stored brief PDFs (a new key would
    never serve them; this also removes the files at once)."""
    from practice import brief_pdf

    brief_pdf.delete_for(connection.pk)


def share_future_profile(*, profile: Profile) -> int:
    """A newly submitted profile goes to every live connection that asked for future ones."""
    connections = Connection.objects.filter(
        person_id=profile.user_id, ended_at__isnull=True, share_future=True
    )
    made = 0
    for connection in connections:
        share, created = Share.objects.get_or_create(
            connection=connection, profile=profile, defaults={"level": connection.future_level}
        )
        if created:
            notify_share(share)
        made += created
    return made


# --- reminders to share (§5) -----------------------------------------------------------------


def share_reminder_refusal(connection: Connection, *, has_shares: bool, now: datetime) -> str:
    """Why no reminder to share can be sent now, for the practitioner ("" when one can):
    from the connection row already read and whether anything is shared on it."""
    if not connection.is_live:
        return _("This connection has ended.")
    if has_shares:
        return _("Something is shared on this connection, so there is nothing to remind about.")
    if not connection.allows_share_reminders:
        return _("This person has switched reminders off.")
    if connection.share_reminders_sent >= SHARE_REMINDERS_MAX:
        return _("All three reminders have been sent.")
    last = connection.share_reminder_last_at
    if last is not None and last > now - SHARE_REMINDER_SPACING:
        day = date_format(timezone.localtime(last + SHARE_REMINDER_SPACING), "j F Y")
        return _("A reminder was sent recently; the next one is possible on %(date)s.") % {
            "date": day
        }
    return ""


def send_share_reminder(
    *, connection: Connection, base_url: str, now: datetime | None = None
) -> ShareReminder | None:
    """Record one reminder to share and queue its e-mail, or None when the rules refuse it.
    The cap is one conditional UPDATE, so two clicks or two tabs at once send exactly one."""
    from practice import tasks
    from relcap.jobs import engine

    now = now or timezone.now()
    with transaction.atomic():
        counted = (
            Connection.objects.filter(
                Q(share_reminder_last_at__isnull=True)
                | Q(share_reminder_last_at__lte=now - SHARE_REMINDER_SPACING),
                pk=connection.pk,
                ended_at__isnull=True,
                person__isnull=False,
                allows_share_reminders=True,
                share_reminders_sent__lt=SHARE_REMINDERS_MAX,
            )
            .filter(~Exists(Share.objects.filter(connection=OuterRef("pk"))))
            .update(share_reminders_sent=F("share_reminders_sent") + 1, share_reminder_last_at=now)
        )
        if not counted:
            return None
        reminder = ShareReminder.objects.create(connection_id=connection.pk, sent_at=now)
        engine.enqueue(
            tasks.send_share_reminder,
            inline=engine.AFTER_RESPONSE,
            reminder_id=reminder.pk,
            base_url=base_url,
        )
    return reminder


def switch_share_reminders_off(*, reminder: ShareReminder) -> None:
    """The switch-off link: no more reminders to share on the reminder's connection."""
    Connection.objects.filter(pk=reminder.connection_id).update(allows_share_reminders=False)


def log_brief_view(*, source, what: str) -> list[ShareAccess]:
    """A brief shows the newest shared profile and, for "change since", the one before it:
    each is logged, so the person's log names every profile the practitioner saw."""
    shares = [source.share] + ([source.previous] if source.previous is not None else [])
    return [log_view(share=share, what=what) for share in shares]


def log_view(*, share: Share, what: str) -> ShareAccess:
    return ShareAccess.objects.create(
        connection=share.connection,
        practitioner_name=share.connection.practitioner.display_name,
        profile_public_id=share.profile.public_id,
        profile_submitted_at=share.profile.submitted_at,
        what=what,
    )


def log_moments_view(*, connection: Connection, what: str) -> ShareAccess:
    """A view of shared live moments (the summary or the entries): no profile is involved."""
    return ShareAccess.objects.create(
        connection=connection,
        practitioner_name=connection.practitioner.display_name,
        profile_public_id=None,
        profile_submitted_at=None,
        what=what,
    )
