"""Reads of profiles: what a request may see, answers as the engine wants them, progress."""

import base64
import hashlib
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from assessments import scoring
from assessments.models import Dimension
from assessments.queries import instrument_spec
from profiles.models import Answer, PageTime, Profile, ResultSnapshot

SESSION_KEY = "relcap_profiles"  # public ids this browser session may open without an account
TOKEN_SALT = "relcap.resume-token"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def derived_token(start_nonce: uuid.UUID, secret: str | None = None) -> str:
    """The private resume token of the draft opened by this start form: an HMAC of the form's
    nonce under the secret key, so every request carrying that form yields the same token
    and no raw token needs to be stored anywhere (43 URL-safe characters, 256 bits)."""
    digest = salted_hmac(TOKEN_SALT, str(start_nonce), secret=secret, algorithm="sha256")
    return base64.urlsafe_b64encode(digest.digest()).rstrip(b"=").decode()


def resume_token(profile: Profile) -> str | None:
    """The token of an anonymous draft's private link, or None when it has none to show.

    Derived again on each call, under the current secret key or a fallback one, so a rotated
    key keeps old links working. A draft whose stored hash matches neither (a token made at
    random before tokens were derived) shows none; its link still opens it.
    """
    if profile.user_id is not None or profile.start_nonce is None:
        return None
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        token = derived_token(profile.start_nonce, secret)
        if token_hash(token) == profile.resume_token_hash:
            return token
    return None


def granted_ids(request: HttpRequest) -> list[str]:
    return list(request.session.get(SESSION_KEY, []))


def own_profiles(request: HttpRequest) -> QuerySet[Profile]:
    """Profiles this request may see: the signed-in person's, plus anonymous ones this session
    opened through their private resume link. Anything else answers 404."""
    granted = Q(public_id__in=granted_ids(request), user__isnull=True)
    if request.user.is_authenticated:
        return Profile.objects.filter(Q(user=request.user) | granted)
    return Profile.objects.filter(granted)


def account_profiles(user: AbstractBaseUser) -> QuerySet[Profile]:
    """Every profile of a signed-in person, drafts too, with its instrument version (one
    query): the account page lists them."""
    return Profile.objects.filter(user=user).select_related("instrument_version")


def account_profile_count(user: AbstractBaseUser) -> int:
    return Profile.objects.filter(user=user).count()


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


def stored_answers(profile: Profile, item_ids: Iterable[int]) -> dict[int, int | None]:
    """Stored answers to these item versions; an item with no row has no key (None: skipped)."""
    rows = Answer.objects.filter(profile=profile, item_version_id__in=list(item_ids))
    return dict(rows.values_list("item_version_id", "value"))


def page_ms(profile: Profile) -> dict[int, int]:
    return dict(PageTime.objects.filter(profile=profile).values_list("page", "total_ms"))


def first_open_page(profile: Profile) -> int | None:
    """The first page the person has not finished, or None when every page is finished.

    A page is finished when each statement shown on it has a stored answer row: a value, or
    "skipped" (null). Skipped rows are written when the person chooses Skip, and for every
    statement left without an answer when they press Next, because Next is the person's
    "done with this page". "Save and continue later" and Back store only what was chosen, so
    a half-answered page stays open, and a page never saved is open. So a person who moved on
    past statements is not sent back to them, and one who paused half-way returns there.
    """
    rules = scoring.get(scoring.CURRENT)
    spec = instrument_spec(profile.instrument_version_id)
    decided = set(
        Answer.objects.filter(profile=profile).values_list("item_version__code", flat=True)
    )
    open_pages = [
        item.page
        for item in rules.active_items(spec, profile.context_mode)
        if item.code not in decided
    ]
    return min(open_pages, default=None)


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
