"""People's data rights and retention: export, delete, withdraw consent (ASSESSMENT.md §7.4)."""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from profiles import pdf_services, tasks
from profiles.models import AccessLog, Answer, Profile
from profiles.services import DRAFT_RETENTION
from relcap.jobs import engine

logger = logging.getLogger(__name__)

INACTIVE_MONTHS = 24
NOTICE_MONTHS = 23  # about 30 days before deletion
UNACTIVATED_SIGNUP_DAYS = 7
FAILED_SIGN_IN_RETENTION = timedelta(days=1)


# --- export -------------------------------------------------------------------------------


def export_user_data(*, user: AbstractUser) -> dict[str, Any]:
    """Everything relcap holds about one account, as plain JSON-ready data."""
    answers = Answer.objects.select_related("item_version").order_by("item_version__position")
    profiles = (
        Profile.objects.filter(user=user)
        .select_related("instrument_version")
        .prefetch_related(Prefetch("answers", queryset=answers), "page_times", "snapshots")
        .order_by("created_at", "pk")
    )
    return {
        "format": "relcap-export-1",
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "profiles": [exported_profile(profile) for profile in profiles],
        "staff_views_of_your_profiles": [
            {"at": entry.created_at.isoformat(), "profile": str(entry.profile_public_id)}
            for entry in AccessLog.objects.filter(
                profile_public_id__in=[p.public_id for p in profiles]
            )
        ],
    }


def exported_profile(profile: Profile) -> dict[str, Any]:
    """One profile as export data; its answers, page times and snapshots come prefetched."""
    return {
        "id": str(profile.public_id),
        "instrument_version": profile.instrument_version.version,
        "context_mode": profile.context_mode,
        "consent": {
            "notice_version": profile.consent_notice_version,
            "consented_at": profile.consented_at.isoformat(),
            "research_opt_in": profile.research_opt_in,
        },
        "created_at": profile.created_at.isoformat(),
        "updated_at": profile.updated_at.isoformat(),
        "submitted_at": profile.submitted_at.isoformat() if profile.submitted_at else None,
        "answers": [
            {
                "item_code": answer.item_version.code,
                "item_text": answer.item_version.text,
                "value": answer.value,
                "answered_at": answer.answered_at.isoformat(),
            }
            for answer in profile.answers.all()
        ],
        "page_times": [
            {"page": t.page, "total_ms": t.total_ms, "visits": t.visits}
            for t in sorted(profile.page_times.all(), key=lambda t: t.page)
        ],
        "snapshots": [
            {
                "scoring_version": s.scoring_version,
                "copy_version": s.copy_version,
                "reason": s.reason,
                "created_at": s.created_at.isoformat(),
                "data": s.data,
            }
            for s in sorted(profile.snapshots.all(), key=lambda s: (s.created_at, s.pk))
        ],
    }


# --- deletion -----------------------------------------------------------------------------


@transaction.atomic
def delete_profile(*, profile: Profile) -> None:
    """Hard delete: answers, page times and snapshots go with the profile (CASCADE), and the
    stored PDF files with them."""
    pdf_services.delete_pdfs_of(Profile.objects.filter(pk=profile.pk))
    profile.delete()


@transaction.atomic
def withdraw_consent(*, user: AbstractUser) -> int:
    """Withdrawing consent to storing answers deletes every profile of the account; the account
    itself stays so the person can sign in again. Returns how many profiles were deleted."""
    profiles = Profile.objects.filter(user=user)
    count = profiles.count()
    pdf_services.delete_pdfs_of(profiles)
    profiles.delete()
    return count


@transaction.atomic
def delete_account(*, user: AbstractUser) -> None:
    """Hard delete of the user with profiles, answers, snapshots and stored PDFs; ends all
    their sessions.

    django-axes' failed sign-in records name the account by username only (no foreign key),
    so they are deleted here too.
    """
    end_sessions(user=user)
    AccessAttempt.objects.filter(username=user.get_username()).delete()
    AccessFailureLog.objects.filter(username=user.get_username()).delete()
    pdf_services.delete_pdfs_of(Profile.objects.filter(user=user))
    Profile.objects.filter(user=user).delete()
    user.delete()


def end_sessions(*, user: AbstractUser) -> int:
    """Delete every stored session signed in as `user`. Sessions hold the user id only inside
    their encoded data, so each live session is decoded (fine at relcap's scale)."""
    user_id = str(user.pk)
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == user_id
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


# --- retention ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RetentionReport:
    drafts_deleted: int
    accounts_deleted: int
    signups_expired: int
    sign_in_failures_deleted: int
    accounts_notified: int

    def summary(self) -> str:
        return (
            f"Deleted {self.drafts_deleted} stale drafts, {self.accounts_deleted} inactive "
            f"accounts, {self.signups_expired} unconfirmed sign-ups and "
            f"{self.sign_in_failures_deleted} old failed sign-in records; "
            f"sent {self.accounts_notified} deletion notices"
        )


def apply_retention(*, now: datetime, notify: bool = True) -> RetentionReport:
    """Apply §7.4 retention; meant to run once a day (each notice is due on one day only).

    - drafts not submitted and untouched for 30 days are deleted;
    - accounts unused for 24 months (last sign-in, or joining if never signed in) are deleted
      with everything in them; staff accounts are left to the administrators;
    - accounts reaching 23 months get a notice by e-mail;
    - sign-ups never confirmed within 7 days are deleted;
    - django-axes' failed sign-in records (username, address, browser) go after a day, long
      after their 15-minute lockout has ended.
    """
    drafts = Profile.objects.filter(submitted_at__isnull=True, updated_at__lt=now - DRAFT_RETENTION)
    drafts_deleted = drafts.count()
    drafts.delete()
    inactive = list(inactive_accounts(before=months_before(now, INACTIVE_MONTHS)))
    for user in inactive:
        delete_account(user=user)
    expired = list(unconfirmed_signups(before=now - timedelta(days=UNACTIVATED_SIGNUP_DAYS)))
    for user in expired:
        delete_account(user=user)
    failures = AccessAttempt.objects.filter(attempt_time__lt=now - FAILED_SIGN_IN_RETENTION)
    failures_deleted, _ = failures.delete()
    notice_day = months_before(now, NOTICE_MONTHS)
    due = list(inactive_accounts(before=notice_day, since=notice_day - timedelta(days=1)))
    if notify:
        for user in due:
            deletion_date = (now + timedelta(days=30)).date().isoformat()
            engine.enqueue(tasks.send_deletion_notice, user_id=user.pk, deletion_date=deletion_date)
    report = RetentionReport(
        drafts_deleted, len(inactive), len(expired), failures_deleted, len(due)
    )
    logger.info("retention: %s", report.summary())
    return report


def inactive_accounts(*, before: datetime, since: datetime | None = None) -> QuerySet:
    """Active, non-staff accounts whose last use (sign-in, else joining) is in [since, before)."""
    last_used = Q(last_login__lt=before) | Q(last_login__isnull=True, date_joined__lt=before)
    users = get_user_model().objects.filter(last_used, is_active=True, is_staff=False)
    if since is not None:
        users = users.filter(
            Q(last_login__gte=since) | Q(last_login__isnull=True, date_joined__gte=since)
        )
    return users


def unconfirmed_signups(*, before: datetime) -> QuerySet:
    return get_user_model().objects.filter(
        is_active=False, last_login__isnull=True, date_joined__lt=before
    )


def send_deletion_notice(*, user: AbstractUser, deletion_date: date) -> None:
    if not user.email:
        return
    context = {"username": user.get_username(), "deletion_date": deletion_date}
    subject = render_to_string("registration/inactive_notice_subject.txt", context)
    body = render_to_string("registration/inactive_notice_email.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [user.email])


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (clamped to the month's end)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))
