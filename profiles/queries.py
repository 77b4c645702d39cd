"""Reads of profiles: what a request may see, answers as the engine wants them, progress."""

import hashlib
from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from assessments import scoring
from assessments.models import Dimension
from assessments.queries import instrument_spec
from profiles.models import Answer, PageTime, Profile, ResultSnapshot

SESSION_KEY = "relcap_profiles"  # public ids this browser session may open without an account


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def granted_ids(request: HttpRequest) -> list[str]:
    return list(request.session.get(SESSION_KEY, []))


def own_profiles(request: HttpRequest) -> QuerySet[Profile]:
    """Profiles this request may see: the signed-in person's, plus anonymous ones this session
    opened through their private resume link. Anything else answers 404."""
    granted = Q(public_id__in=granted_ids(request), user__isnull=True)
    if request.user.is_authenticated:
        return Profile.objects.filter(Q(user=request.user) | granted)
    return Profile.objects.filter(granted)


def own_drafts(request: HttpRequest) -> QuerySet[Profile]:
    return own_profiles(request).filter(submitted_at__isnull=True)


def own_submitted(request: HttpRequest) -> QuerySet[Profile]:
    return own_profiles(request).filter(submitted_at__isnull=False)


def profile_by_token(token: str) -> Profile | None:
    if not token or len(token) > 100:
        return None
    return Profile.objects.filter(resume_token_hash=token_hash(token)).first()


def answers_by_code(profile: Profile) -> dict[str, int | None]:
    rows = Answer.objects.filter(profile=profile).values_list("item_version__code", "value")
    return dict(rows)


def answers_by_item_id(profile: Profile, item_ids: Iterable[int]) -> dict[int, int | None]:
    rows = Answer.objects.filter(profile=profile, item_version_id__in=list(item_ids))
    return dict(rows.values_list("item_version_id", "value"))


def page_ms(profile: Profile) -> dict[int, int]:
    return dict(PageTime.objects.filter(profile=profile).values_list("page", "total_ms"))


def saved_pages(profile: Profile) -> set[int]:
    return set(PageTime.objects.filter(profile=profile).values_list("page", flat=True))


def page_count(instrument_version_id: int) -> int:
    return max((item.page for item in instrument_spec(instrument_version_id).items), default=0)


def latest_snapshot(profile: Profile) -> ResultSnapshot | None:
    return ResultSnapshot.objects.filter(profile=profile).order_by("-created_at", "-pk").first()


def review_rows(profile: Profile) -> list[dict]:
    """Per capacity: statements shown, answered, skipped, the minimum needed, and where the
    skipped ones are, for the review screen (§2.6)."""
    rules = scoring.get(scoring.CURRENT)
    spec = instrument_spec(profile.instrument_version_id)
    answers = answers_by_code(profile)
    rows = []
    for dimension in rules.DIMENSIONS:
        items = [
            i for i in rules.active_items(spec, profile.context_mode) if i.dimension == dimension
        ]
        skipped = [i for i in items if answers.get(i.code) is None]
        answered = len(items) - len(skipped)
        needed = rules.needed_for(len(items))
        rows.append(
            {
                "dimension": dimension,
                "name": Dimension(dimension).label,
                "shown": len(items),
                "answered": answered,
                "skipped": len(skipped),
                "needed": needed,
                "below_minimum": answered < needed,
                "pages": sorted({i.page for i in skipped}),
            }
        )
    return rows
