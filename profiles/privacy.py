"""People's data rights and retention: export, delete, withdraw consent (ASSESSMENT.md §7.4)."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as SignInLog
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation

from assessments import queries as instrument_queries
from assessments.locales import SOURCE_LOCALE
from profiles import pdf_services, tasks
from profiles.models import AccessLog, Answer, DeletionNotice, Profile, ResultSnapshot
from profiles.services import DRAFT_RETENTION
from relcap.accounts import delays
from relcap.accounts.language import language_of
from relcap.accounts.models import LanguageChoice
from relcap.immutability import erasing_personal_data
from relcap.jobs import engine

logger = logging.getLogger(__name__)

INACTIVE_MONTHS = 24
# A submitted profile that no account holds (reached only by its private link) goes this many
# months after it was submitted: §7.4's 24 months, counted from the one date relcap has.
ANONYMOUS_MONTHS = 24
NOTICE_MONTHS = 23  # about 30 days before deletion
UNACTIVATED_SIGNUP_DAYS = 7
FAILED_SIGN_IN_RETENTION = timedelta(days=1)
DELETED_ACCOUNT = "[deleted account]"


# --- export -------------------------------------------------------------------------------

# Apps above profiles add their own part of a person's export here (in AppConfig.ready), so
# this module names no app that imports it: the practice app adds connections, shares and the
# log of every view of them. Each maps a key of the export to a function of the account.
EXPORT_PARTS: dict[str, Callable[[AbstractUser], Any]] = {}


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
            # The language chosen in the switcher (relcap/accounts/language.py), or None.
            "interface_language": LanguageChoice.objects.filter(user=user)
            .values_list("language", flat=True)
            .first(),
        },
        "profiles": [exported_profile(profile) for profile in profiles],
        "staff_views_of_your_profiles": [
            {
                "at": entry.created_at.isoformat(),
                "profile": str(entry.profile_public_id),
                "what": entry.get_action_display(),
            }
            for entry in AccessLog.objects.filter(
                profile_public_id__in=[p.public_id for p in profiles]
            )
        ],
        "staff_views_of_your_account": [
            {"at": entry.created_at.isoformat(), "what": entry.get_action_display()}
            for entry in AccessLog.objects.filter(account=user)
        ],
    } | {key: part(user) for key, part in EXPORT_PARTS.items()}


def export_profile_data(*, profile: Profile) -> dict[str, Any]:
    """One profile as JSON-ready data, for whoever holds it (also its private link alone)."""
    answers = Answer.objects.select_related("item_version").order_by("item_version__position")
    full = (
        Profile.objects.filter(pk=profile.pk)
        .select_related("instrument_version")
        .prefetch_related(Prefetch("answers", queryset=answers), "page_times", "snapshots")
        .get()
    )
    return {
        "format": "relcap-export-1",
        "exported_at": timezone.now().isoformat(),
        "profiles": [exported_profile(full)],
        "staff_views_of_your_profiles": [
            {"at": entry.created_at.isoformat(), "what": entry.get_action_display()}
            for entry in AccessLog.objects.filter(profile_public_id=full.public_id)
        ],
    }


def read_texts(profile: Profile) -> dict[int, str]:
    """The statements as the person read them, in the profile's locale (issue 16 line 4)."""
    if profile.locale == SOURCE_LOCALE:
        return {}  # the item versions' own texts
    return instrument_queries.texts_of_version(profile.instrument_version_id, profile.locale).items


def exported_profile(profile: Profile) -> dict[str, Any]:
    """One profile as export data; its answers, page times and snapshots come prefetched."""
    statements = read_texts(profile)
    return {
        "id": str(profile.public_id),
        "instrument_version": profile.instrument_version.version,
        "context_mode": profile.context_mode,
        "locale": profile.locale,
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
                "item_text": statements.get(answer.item_version_id, answer.item_version.text),
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
                "locale": s.locale,
                "reason": s.reason,
                "created_at": s.created_at.isoformat(),
                "data": s.data,
            }
            for s in sorted(profile.snapshots.all(), key=lambda s: (s.created_at, s.pk))
        ],
    }


# --- deletion -----------------------------------------------------------------------------


@transaction.atomic
def erase_profiles(profiles: QuerySet[Profile]) -> int:
    """Hard delete of profiles with their answers, page times, snapshots and stored PDF files;
    returns how many profiles went. Snapshots are frozen (relcap/immutability.py): erasing a
    person's data is the one way they go, so they are deleted here by name, then the rest by
    CASCADE; the PDF files go once the deletion has committed."""
    pdf_services.delete_pdfs_of(profiles)
    with erasing_personal_data():
        ResultSnapshot.objects.filter(profile__in=profiles).delete()
        count = profiles.count()
        profiles.delete()
    return count


def delete_profile(*, profile: Profile) -> None:
    erase_profiles(Profile.objects.filter(pk=profile.pk))


def withdraw_consent(*, user: AbstractUser) -> int:
    """Withdrawing consent to storing answers deletes every profile of the account; the account
    itself stays so the person can sign in again. Returns how many profiles were deleted."""
    return erase_profiles(Profile.objects.filter(user=user))


@transaction.atomic
def delete_account(*, user: AbstractUser) -> None:
    """Hard delete of the user with profiles, answers, snapshots and stored PDFs; ends all
    their sessions.

    Records that name the account without a foreign key go too: django-axes' sign-in records
    and the password delay counts (by the name typed: the username or the e-mail address, in
    any case), and the admin log's copy of the username is replaced.
    """
    end_sessions(user=user)
    forget_sign_in_records(user=user)
    anonymise_admin_log(user=user)
    erase_profiles(Profile.objects.filter(user=user))
    user.delete()


def typed_names(user: AbstractUser) -> list[str]:
    """What a person may have typed as their name at sign-in: username and e-mail address."""
    return [name for name in (user.get_username(), user.email) if name]


def any_of(lookup: str, values: list[str]) -> Q:
    """`lookup` matching any of `values`; matches nothing (never everything) when empty."""
    found = Q(pk__in=[])
    for value in values:
        found |= Q(**{lookup: value})
    return found


def forget_sign_in_records(*, user: AbstractUser) -> None:
    typed = any_of("username__iexact", typed_names(user))
    for model in (AccessAttempt, AccessFailureLog, SignInLog):
        model.objects.filter(typed).delete()
    delays.forgive(*typed_names(user))


def anonymise_admin_log(*, user: AbstractUser) -> int:
    """Admin log entries about the account, or about sign-in records naming it, keep what staff
    did and when, but no longer say who it was about."""
    about_account = Q(content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk))
    mentions = any_of("object_repr__icontains", typed_names(user))
    sign_in_types = ContentType.objects.get_for_models(AccessAttempt, AccessFailureLog, SignInLog)
    about_records = Q(content_type__in=list(sign_in_types.values())) & mentions
    return LogEntry.objects.filter(about_account | about_records).update(
        object_repr=DELETED_ACCOUNT, object_id=None
    )


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
    anonymous_deleted: int
    accounts_deleted: int
    deactivated_deleted: int
    signups_expired: int
    sign_in_failures_deleted: int
    accounts_notified: int

    def summary(self) -> str:
        return (
            f"Deleted {self.drafts_deleted} stale drafts, {self.anonymous_deleted} unclaimed "
            f"anonymous profiles, {self.accounts_deleted} inactive "
            f"accounts, {self.deactivated_deleted} deactivated accounts, "
            f"{self.signups_expired} unconfirmed sign-ups and "
            f"{self.sign_in_failures_deleted} old failed sign-in records; "
            f"sent {self.accounts_notified} deletion notices"
        )


def apply_retention(*, now: datetime, notify: bool = True) -> RetentionReport:
    """Apply §7.4 retention (docs/privacy.md); meant to run once a day, and safe to re-run.

    - drafts not submitted and untouched for 30 days are deleted;
    - submitted profiles no account holds are deleted 24 months after their submission;
    - accounts unused for 24 months (last sign-in, or joining if never signed in) are deleted
      with everything in them, deactivated ones too; staff accounts are left to the
      administrators;
    - active accounts unused for 23 months get one notice by e-mail (recorded, so a re-run or
      a missed day neither repeats nor loses it);
    - sign-ups never confirmed within 7 days are deleted;
    - django-axes' failed sign-in records (username, address, browser) and the password delay
      counts go after a day, long after their lockouts and delays have ended.
    """
    unused_since = months_before(now, INACTIVE_MONTHS)
    report = RetentionReport(
        drafts_deleted=delete_stale_drafts(now=now),
        anonymous_deleted=delete_unclaimed_profiles(now=now),
        accounts_deleted=delete_accounts(unused_accounts(before=unused_since)),
        deactivated_deleted=delete_accounts(unused_accounts(before=unused_since, active=False)),
        signups_expired=delete_accounts(
            unconfirmed_signups(before=now - timedelta(days=UNACTIVATED_SIGNUP_DAYS))
        ),
        sign_in_failures_deleted=delete_old_sign_in_records(now=now),
        accounts_notified=send_due_notices(now=now) if notify else 0,
    )
    logger.info("retention: %s", report.summary())
    return report


def delete_stale_drafts(*, now: datetime) -> int:
    return erase_profiles(
        Profile.objects.filter(submitted_at__isnull=True, updated_at__lt=now - DRAFT_RETENTION)
    )


def delete_unclaimed_profiles(*, now: datetime) -> int:
    """Submitted profiles without an account, submitted 24 months ago or more: nobody can be
    told (relcap has no address for them), so the period is shown next to their private link."""
    return erase_profiles(
        Profile.objects.filter(
            user__isnull=True, submitted_at__lt=months_before(now, ANONYMOUS_MONTHS)
        )
    )


def delete_accounts(users: QuerySet) -> int:
    accounts = list(users)
    for user in accounts:
        delete_account(user=user)
    return len(accounts)


def delete_old_sign_in_records(*, now: datetime) -> int:
    attempts = AccessAttempt.objects.filter(attempt_time__lt=now - FAILED_SIGN_IN_RETENTION)
    deleted, _ = attempts.delete()
    return deleted + delays.delete_stale(now=now)


def with_last_use(users: QuerySet) -> QuerySet:
    """Accounts annotated with `last_used`: the last sign-in, else the joining date."""
    return users.annotate(last_used=Coalesce("last_login", "date_joined"))


def unused_accounts(*, before: datetime, active: bool = True) -> QuerySet:
    """Non-staff accounts last used before `before`. Deactivated ones (`active=False`) count
    only once they have been used: one never signed in to is an unconfirmed sign-up."""
    users = get_user_model().objects.filter(is_active=active, is_staff=False)
    if not active:
        users = users.filter(last_login__isnull=False)
    return with_last_use(users).filter(last_used__lt=before)


def unconfirmed_signups(*, before: datetime) -> QuerySet:
    return get_user_model().objects.filter(
        is_active=False, is_staff=False, last_login__isnull=True, date_joined__lt=before
    )


def notices_due(*, now: datetime) -> QuerySet:
    """Active accounts with an e-mail address, unused for 23 but not 24 months, not yet told
    about this stretch of disuse (a sign-in since an earlier notice starts a new one)."""
    told = DeletionNotice.objects.filter(user=OuterRef("pk"), last_used_at=OuterRef("last_used"))
    users = get_user_model().objects.filter(is_active=True, is_staff=False).exclude(email="")
    return (
        with_last_use(users)
        .filter(
            last_used__gte=months_before(now, INACTIVE_MONTHS),
            last_used__lt=months_before(now, NOTICE_MONTHS),
        )
        .exclude(Exists(told))
    )


def send_due_notices(*, now: datetime) -> int:
    """Queue one notice task per account due one; the task records and sends it
    (`notify_deletion`), so a failed send is tried again by the task and, failing that, by the
    next day's run, which finds no record."""
    due = list(notices_due(now=now))
    for user in due:
        engine.enqueue(
            tasks.send_deletion_notice,
            user_id=user.pk,
            last_used_at=user.last_used.isoformat(),
            decided_at=now.isoformat(),
        )
    return len(due)


@transaction.atomic
def notify_deletion(*, user: AbstractUser, last_used: datetime, now: datetime) -> bool:
    """Record the notice, then send it; False when it was already recorded.

    The unique (user, last use) pair makes a second run, even a simultaneous one, find the
    record and send nothing. If sending fails the record rolls back, so the next run retries.
    """
    deletion_date = months_after(last_used, INACTIVE_MONTHS).date()
    _, created = DeletionNotice.objects.get_or_create(
        user=user,
        last_used_at=last_used,
        defaults={"deletion_date": deletion_date, "sent_at": now},
    )
    if created:
        send_deletion_notice(user=user, deletion_date=deletion_date)
    return created


def send_deletion_notice(*, user: AbstractUser, deletion_date: date) -> None:
    if not user.email:
        return
    context = {"username": user.get_username(), "deletion_date": deletion_date}
    # Sent by the daily retention run (a worker, or inline after some request): in the language
    # the person chose, never in whatever language happens to be active.
    with translation.override(language_of(user)):
        subject = render_to_string("registration/inactive_notice_subject.txt", context)
        body = render_to_string("registration/inactive_notice_email.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [user.email])


def months_after(moment: datetime, months: int) -> datetime:
    return months_before(moment, -months)


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (clamped to the month's end)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    next_month = date(year + (month == 12), month % 12 + 1, 1)
    last_day = (next_month - timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))
