"""Writes for taking the questionnaire: start, save a page, submit, attach, re-score."""

import secrets
import uuid
from datetime import timedelta
from types import ModuleType

from django.contrib.sessions.backends.base import SessionBase
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from assessments import queries as instrument_queries
from assessments import scoring
from assessments.models import InstrumentVersion
from profiles import queries
from profiles.models import Answer, PageTime, Profile, ResultSnapshot

CONSENT_NOTICE_VERSION = "consent-1"
DRAFT_RETENTION = timedelta(days=30)


class AlreadySubmitted(Exception):
    """The attempt was submitted; its answers can no longer change."""


@transaction.atomic
def start_profile(
    *,
    instrument: InstrumentVersion,
    context_mode: str,
    research_opt_in: bool,
    start_nonce: uuid.UUID,
    user=None,
) -> tuple[Profile, str | None]:
    """Record consent and open a draft; returns it and its resume token (None when the draft
    belongs to an account).

    The nonce comes from the start form, so a double click or a replayed POST finds the draft
    the first request made instead of opening a second one. The browser that replays it never
    saw the first response, so an anonymous draft gets a fresh token (the first one was never
    shown to anybody) and the caller grants this session access again.
    """
    existing = Profile.objects.filter(start_nonce=start_nonce).first()
    if existing is not None:
        return existing, rotate_token(profile=existing)
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            profile = Profile.objects.create(
                instrument_version=instrument,
                context_mode=context_mode,
                research_opt_in=research_opt_in,
                consent_notice_version=CONSENT_NOTICE_VERSION,
                consented_at=timezone.now(),
                resume_token_hash=queries.token_hash(token),
                start_nonce=start_nonce,
                user=user if user is not None and user.is_authenticated else None,
            )
    except IntegrityError:
        return Profile.objects.get(start_nonce=start_nonce), None
    return profile, token


def rotate_token(*, profile: Profile) -> str | None:
    if profile.user_id is not None or profile.is_submitted:
        return None
    token = secrets.token_urlsafe(32)
    Profile.objects.filter(pk=profile.pk).update(resume_token_hash=queries.token_hash(token))
    return token


def grant_session_access(*, session: SessionBase, profile: Profile) -> None:
    granted = list(session.get(queries.SESSION_KEY, []))
    if str(profile.public_id) not in granted:
        session[queries.SESSION_KEY] = [*granted, str(profile.public_id)]


@transaction.atomic
def save_page(
    *, profile: Profile, page: int, values: dict[int, int | None], elapsed_ms: int | None
) -> None:
    """Store one page's answers (keyed by item version id) and its time, all or nothing."""
    locked = Profile.objects.select_for_update().get(pk=profile.pk)
    if locked.is_submitted:
        raise AlreadySubmitted(str(profile.public_id))
    now = timezone.now()
    Answer.objects.bulk_create(
        [
            Answer(profile=locked, item_version_id=item_id, value=value, answered_at=now)
            for item_id, value in values.items()
        ],
        update_conflicts=True,
        unique_fields=["profile", "item_version"],
        update_fields=["value", "answered_at"],
    )
    timing, _ = PageTime.objects.get_or_create(profile=locked, page=page)
    PageTime.objects.filter(pk=timing.pk).update(
        total_ms=F("total_ms") + (elapsed_ms or 0), visits=F("visits") + 1
    )
    Profile.objects.filter(pk=locked.pk).update(updated_at=now)


@transaction.atomic
def submit_profile(*, profile: Profile) -> ResultSnapshot:
    """Score and freeze the attempt once; a repeated submit returns the first snapshot."""
    locked = Profile.objects.select_for_update().get(pk=profile.pk)
    if locked.is_submitted:
        return ResultSnapshot.objects.get(profile=locked, reason=ResultSnapshot.Reason.SUBMISSION)
    rules = scoring.get(scoring.CURRENT)
    data = scored_data(profile=locked, rules=rules)
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["submitted_at", "updated_at"])
    return ResultSnapshot.objects.create(
        profile=locked,
        scoring_version=rules.VERSION,
        copy_version=instrument_queries.published_copy().version,
        reason=ResultSnapshot.Reason.SUBMISSION,
        data=data,
    )


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


def scored_data(*, profile: Profile, rules: ModuleType) -> dict:
    """The profile's stored answers and page times scored by `rules`, as snapshot data."""
    spec = instrument_queries.instrument_spec(profile.instrument_version_id)
    result = rules.score(
        spec,
        queries.answers_by_code(profile),
        mode=profile.context_mode,
        page_ms=queries.page_ms(profile),
    )
    return result.as_dict()


def rescore_profile(*, profile: Profile, rules_version: str) -> ResultSnapshot:
    """Write a new snapshot scored with `rules_version`, keeping every earlier one.

    The copy version stays that of the snapshot it supersedes: a re-score recalculates
    numbers, it does not rewrite the texts the person read.
    """
    previous = queries.latest_snapshot(profile)
    if previous is None:
        raise ValueError(f"Profile {profile.public_id} has no snapshot to re-score.")
    return ResultSnapshot.objects.create(
        profile=profile,
        scoring_version=scoring.get(rules_version).VERSION,
        copy_version=previous.copy_version,
        reason=ResultSnapshot.Reason.RESCORE,
        data=recompute(snapshot=previous, rules_version=rules_version),
    )
