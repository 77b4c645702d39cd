"""Writes for taking the questionnaire: start, save a page, submit, attach, re-score."""

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from types import ModuleType
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.sessions.backends.base import SessionBase
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from assessments import queries as instrument_queries
from assessments import scoring
from assessments.locales import SOURCE_LOCALE
from assessments.models import InstrumentVersion, ReportCopyVersion
from profiles import queries
from profiles.models import AccessLog, Answer, PageTime, Profile, ResultSnapshot

CONSENT_NOTICE_VERSION = "consent-1"
DRAFT_RETENTION = timedelta(days=30)


class AlreadySubmitted(Exception):
    """The attempt was submitted; its answers can no longer change."""


def start_profile(
    *,
    instrument: InstrumentVersion,
    context_mode: str,
    research_opt_in: bool,
    start_nonce: uuid.UUID,
    user=None,
    locale: str = SOURCE_LOCALE,
) -> Profile:
    """Record consent and open a draft, once per start form.

    The nonce comes from the start form, so a double click, two racing requests or a replayed
    POST all find the one draft the first request made (the nonce is unique: the insert that
    comes second fails and reads the first one's row). Its resume token is derived from the
    nonce (`queries.resume_token`) and never changes, so every tab that was shown a link for
    this draft holds a working one; only the token's hash is stored. `locale` is one the
    view found offered (`profiles.locales`); it stays the profile's locale.
    """
    try:
        with transaction.atomic():
            return Profile.objects.create(
                instrument_version=instrument,
                context_mode=context_mode,
                locale=locale,
                research_opt_in=research_opt_in,
                consent_notice_version=CONSENT_NOTICE_VERSION,
                consented_at=timezone.now(),
                resume_token_hash=queries.token_hash(queries.derived_token(start_nonce)),
                start_nonce=start_nonce,
                user=user if user is not None and user.is_authenticated else None,
            )
    except IntegrityError:  # this form was sent before (a replay, a double click, a race)
        return Profile.objects.get(start_nonce=start_nonce)


def grant_session_access(*, session: SessionBase, profile: Profile) -> None:
    granted = list(session.get(queries.SESSION_KEY, []))
    if str(profile.public_id) not in granted:
        session[queries.SESSION_KEY] = [*granted, str(profile.public_id)]


@dataclass(frozen=True)
class PageSubmission:
    """One posted page form, as the page view has checked it."""

    item_ids: tuple[int, ...]  # every statement shown on the page
    shown: Mapping[int, int | None]  # stored answers it was rendered with; no key: no row
    posted: Mapping[int, int | None]  # the answers the body carried (None: Skip)
    moving_on: bool  # Next: statements still without an answer are stored as skipped
    render_id: str  # the render this form came from; its page time is counted once
    elapsed_ms: int | None

    def changes(self) -> dict[int, int | None]:
        """The posted answers that differ from what the form showed. Skip on a statement that
        had no answer row is a change too: it records that the person chose to leave it."""
        return {i: v for i, v in self.posted.items() if i not in self.shown or self.shown[i] != v}


@dataclass(frozen=True)
class PageConflict:
    """A form that changed answers which were also changed elsewhere after it was rendered."""

    stored: dict[int, int | None]  # the page's answers as stored now (rows only)
    changes: dict[int, int | None]  # every answer the form changed
    clashing: tuple[int, ...]  # the changed ones whose stored answer moved too


def lock_draft(profiles: QuerySet[Profile], public_id: uuid.UUID) -> bool:
    """Lock the unsubmitted profile with this public id among `profiles` for the rest of the
    transaction, and mark it as changed now; False when there is none. Every page save and
    the submit lock the row this way, so they run one at a time per profile; what is read
    after this (a new statement) is what is stored. A caller that then writes nothing rolls
    its transaction back, which takes the mark back as well."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_draft needs a transaction to hold the lock")
    drafts = profiles.filter(public_id=public_id, submitted_at__isnull=True)
    return drafts.update(updated_at=timezone.now()) == 1


@transaction.atomic
def save_page(*, profile: Profile, page: int, submission: PageSubmission) -> PageConflict | None:
    """Lock the profile and store what this form changed (`write_page`), all or nothing."""
    mine = Profile.objects.filter(pk=profile.pk)
    lock_draft(mine, profile.public_id)
    state = queries.page_state(mine, profile.public_id, page)
    return write_page(state=state, page=page, submission=submission)


def write_page(
    *, state: queries.PageState, page: int, submission: PageSubmission
) -> PageConflict | None:
    """Store what this form changed and count its page time, inside the caller's transaction,
    which has locked the profile row (`lock_draft`) before reading `state`, so `state` stays
    what is stored until the commit. When nothing is written (a conflict, a replay), the
    transaction is rolled back, so the lock's `updated_at` mark is undone too.

    Only answers the person changed in this form are written: an answer the form did not
    change stays as stored, even when another tab saved it after this form was rendered. When
    a changed answer was itself changed elsewhere since the render (and differs from this
    form's), nothing is written and the conflict is returned for the person to settle.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("write_page needs the transaction that locked the profile")
    locked = state.profile
    if locked.is_submitted:
        raise AlreadySubmitted(str(locked.public_id))
    stored = state.stored(submission.item_ids)
    changes = submission.changes()
    shown = submission.shown
    clashing = tuple(i for i, v in changes.items() if stored.get(i) not in (shown.get(i), v))
    if clashing:
        transaction.set_rollback(True)
        return PageConflict(stored=stored, changes=changes, clashing=clashing)
    now = timezone.now()
    writes = answers_to_write(stored, changes, submission)
    if writes:
        Answer.objects.bulk_create(
            [
                Answer(profile=locked, item_version_id=item_id, value=value, answered_at=now)
                for item_id, value in writes.items()
            ],
            update_conflicts=True,
            unique_fields=["profile", "item_version"],
            update_fields=["value", "answered_at"],
        )
    counted = count_page_time(state=state, page=page, submission=submission)
    if not writes and not counted:  # a replay: keep `updated_at` as it was
        transaction.set_rollback(True)
    return None


def answers_to_write(
    stored: Mapping[int, int | None], changes: Mapping[int, int | None], submission: PageSubmission
) -> dict[int, int | None]:
    """The changes not stored already, and with Next a "skipped" row for each statement that
    has no row yet; an answer equal to the stored one is not written again."""
    writes = {i: v for i, v in changes.items() if i not in stored or stored[i] != v}
    if submission.moving_on:
        writes.update({i: None for i in submission.item_ids if i not in stored and i not in writes})
    return writes


def count_page_time(*, state: queries.PageState, page: int, submission: PageSubmission) -> bool:
    """Add this form's time to the page once; a replay of the same render adds nothing. One
    statement: the row as `state` read it under the profile's lock decides insert or update."""
    added = submission.elapsed_ms or 0
    if state.page_time is None:
        PageTime.objects.create(
            profile=state.profile,
            page=page,
            total_ms=added,
            visits=1,
            last_render=submission.render_id,
        )
        return True
    if state.page_time.last_render == submission.render_id:
        return False
    PageTime.objects.filter(profile=state.profile, page=page).update(
        total_ms=F("total_ms") + added, visits=F("visits") + 1, last_render=submission.render_id
    )
    return True


def submit_profile(*, profile: Profile) -> ResultSnapshot:
    """Score and freeze the attempt once; a repeated submit returns the first snapshot."""
    return submit_own(profiles=Profile.objects.filter(pk=profile.pk), public_id=profile.public_id)


@transaction.atomic
def submit_own(*, profiles: QuerySet[Profile], public_id: uuid.UUID) -> ResultSnapshot | None:
    """`submit_profile` for the profile with this public id among `profiles` (those a request
    may see), None when it is not among them. The first statement marks the draft submitted,
    which locks its row: of two submits, the second waits, finds it submitted and returns the
    first one's snapshot. The answers are read after the lock, so they are all that is stored."""
    now = timezone.now()
    drafts = profiles.filter(public_id=public_id, submitted_at__isnull=True)
    submitting = drafts.update(submitted_at=now, updated_at=now) == 1
    state = queries.with_answers(profiles, public_id)
    if state is None:
        return None
    locked, answers, copy_version = state
    if not submitting:
        return ResultSnapshot.objects.get(profile=locked, reason=ResultSnapshot.Reason.SUBMISSION)
    if copy_version is None:
        raise ReportCopyVersion.DoesNotExist("No report copy is published.")
    rules = scoring.get(scoring.CURRENT)
    data = scored_data(profile=locked, rules=rules, answers=answers)
    return ResultSnapshot.objects.create(
        profile=locked,
        scoring_version=rules.VERSION,
        copy_version=copy_for_locale(copy_version, locked.locale),
        locale=locked.locale,
        reason=ResultSnapshot.Reason.SUBMISSION,
        data=data,
    )


def copy_for_locale(published: str, locale: str) -> str:
    """The copy a new snapshot in `locale` is pinned to: the published one when it can be read
    in that locale, else the newest earlier copy that can (a copy published while the person
    was answering may not be released in their language yet). English reads every copy."""
    if locale == SOURCE_LOCALE or locale in instrument_queries.copy_locales(published):
        return published
    for version in reversed(instrument_queries.copy_version_names()):
        if version != published and locale in instrument_queries.copy_locales(version):
            return version
    return published  # no copy speaks it: the report says so (profiles.views.report)


@transaction.atomic
def attach_to_user(*, profile: Profile, user) -> Profile:
    """Give an anonymous attempt to an account; an attempt that has an owner keeps it."""
    locked = Profile.objects.select_for_update().get(pk=profile.pk)
    if locked.user_id is None:
        locked.user = user
        locked.save(update_fields=["user", "updated_at"])
    return locked


def recompute(*, snapshot: ResultSnapshot, rules_version: str | None = None) -> dict:
    """Score the snapshot's stored answers again with the given rules (default: its own)."""
    rules = scoring.get(rules_version or snapshot.scoring_version)
    return scored_data(profile=snapshot.profile, rules=rules)


def scored_data(
    *, profile: Profile, rules: ModuleType, answers: Mapping[str, int | None] | None = None
) -> dict:
    """The profile's stored answers (read here unless given, by item code) and page times
    scored by `rules`, as snapshot data."""
    spec = instrument_queries.instrument_spec(profile.instrument_version_id)
    result = rules.score(
        spec,
        queries.answers_by_code(profile) if answers is None else dict(answers),
        mode=profile.context_mode,
        page_ms=queries.page_ms(profile),
    )
    return result.as_dict()


def rescore_profile(*, profile: Profile, rules_version: str) -> ResultSnapshot:
    """Write a new snapshot scored with `rules_version`, keeping every earlier one.

    The copy version and locale stay those of the snapshot it supersedes: a re-score
    recalculates numbers, it does not rewrite the texts the person read.
    """
    previous = queries.latest_snapshot(profile)
    if previous is None:
        raise ValueError(f"Profile {profile.public_id} has no snapshot to re-score.")
    return ResultSnapshot.objects.create(
        profile=profile,
        scoring_version=scoring.get(rules_version).VERSION,
        copy_version=previous.copy_version,
        locale=previous.locale,
        reason=ResultSnapshot.Reason.RESCORE,
        data=recompute(snapshot=previous, rules_version=rules_version),
    )


# ----------------------------------------------------------------------------- staff access log
# ASSESSMENT.md §7.4: every look by staff at one person's record, and every profile in a research
# export, is a row of AccessLog (profiles/staff_access.py decides who may look).
def log_access(
    request: HttpRequest,
    action: str,
    *,
    record: str = AccessLog.Record.PROFILE,
    profile: Profile | None = None,
    account: AbstractBaseUser | None = None,
) -> AccessLog:
    return AccessLog.objects.create(
        staff=request.user,
        staff_username=request.user.get_username(),
        action=action,
        record=record,
        profile_public_id=profile.public_id if profile else None,
        account=account,
    )


def log_export(request: HttpRequest, public_ids: Iterable[UUID]) -> None:
    """One row per profile of a research export batch, so each person's data export lists it."""
    AccessLog.objects.bulk_create(
        AccessLog(
            staff=request.user,
            staff_username=request.user.get_username(),
            action=AccessLog.Action.EXPORT,
            record=AccessLog.Record.PROFILE,
            profile_public_id=public_id,
        )
        for public_id in public_ids
    )
