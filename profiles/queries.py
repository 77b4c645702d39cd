"""Reads of profiles: what a request may see, answers as the engine wants them, progress."""

import base64
import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import pgettext_lazy

from assessments import scoring
from assessments.locales import SOURCE_LOCALE
from assessments.models import Dimension, InstrumentVersion, ReportCopyVersion
from assessments.queries import instrument_spec, respondent_locale_flags
from profiles.models import Answer, ContextMode, PageTime, Profile, ResultSnapshot

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


# The context mode of the last profile inside the start page's retake note ("Your last profile
# covered: close relationships and work."), as interface text in the active language.
RETAKE_MODE_WORDS = {
    ContextMode.BOTH: pgettext_lazy("retake note", "close relationships and work"),
    ContextMode.CLOSE_ONLY: pgettext_lazy("retake note", "close relationships only"),
    ContextMode.WORK_ONLY: pgettext_lazy("retake note", "work only"),
}


@dataclass(frozen=True)
class Retake:
    """What the start page says of the person's last profile (issue 14, line 4)."""

    context_mode: str
    label: str
    submitted_at: datetime
    locale: str = SOURCE_LOCALE


def start_state(request: HttpRequest) -> tuple[InstrumentVersion | None, Retake | None]:
    """The published instrument (with its released locales, `respondent_locale_flags`) and, for
    a retake, the requester's last submitted profile's context mode and locale, in one
    query."""
    last = own_submitted(request).order_by("-submitted_at", "-pk")
    instrument = (
        InstrumentVersion.objects.published()
        .annotate(
            last_mode=Subquery(last.values("context_mode")[:1]),
            last_at=Subquery(last.values("submitted_at")[:1]),
            last_locale=Subquery(last.values("locale")[:1]),
            **respondent_locale_flags(),
        )
        .first()
    )
    if instrument is None or instrument.last_mode is None:
        return instrument, None
    label = RETAKE_MODE_WORDS[ContextMode(instrument.last_mode)]
    return instrument, Retake(
        instrument.last_mode, label, instrument.last_at, instrument.last_locale
    )


def profile_by_token(token: str) -> Profile | None:
    if not token or len(token) > 100:
        return None
    return Profile.objects.filter(resume_token_hash=token_hash(token)).first()


@dataclass(frozen=True)
class PageTimeRow:
    total_ms: int
    visits: int
    last_render: str


@dataclass(frozen=True)
class PageState:
    """A draft with what is stored for one of its pages, read in one query."""

    profile: Profile
    answers: dict[int, int | None]  # every stored answer (None: skipped); no key: no row
    page_time: PageTimeRow | None  # the page's time row, None before its first save

    def stored(self, item_ids: Iterable[int]) -> dict[int, int | None]:
        """The stored answers to these item versions (as `stored_answers` gives them)."""
        wanted = set(item_ids)
        return {i: v for i, v in self.answers.items() if i in wanted}


def page_state(profiles: QuerySet[Profile], public_id: uuid.UUID, page: int) -> PageState | None:
    """The profile with this public id among `profiles`, its stored answers and its time on
    `page`, in one query: two outer joins, one row per stored answer (Django cannot narrow the
    answers join to the page's items in SQL, so `PageState.stored` picks them). A save reads
    it after `services.lock_draft` has locked the row: a locking SELECT with joins would, on
    PostgreSQL, return the joined rows as they were before it waited for the lock. None when
    no such profile is among `profiles`."""
    rows = profiles.filter(public_id=public_id).annotate(
        page_timing=FilteredRelation("page_times", condition=Q(page_times__page=page)),
        answer_item=F("answers__item_version_id"),
        answer_value=F("answers__value"),
        time_visits=F("page_timing__visits"),
        time_total=F("page_timing__total_ms"),
        time_render=F("page_timing__last_render"),
    )
    rows = list(rows)
    if not rows:
        return None
    first = rows[0]
    timing = None
    if first.time_visits is not None:
        timing = PageTimeRow(first.time_total, first.time_visits, first.time_render)
    answers = {r.answer_item: r.answer_value for r in rows if r.answer_item is not None}
    return PageState(profile=first, answers=answers, page_time=timing)


def with_answers(
    profiles: QuerySet[Profile], public_id: uuid.UUID
) -> tuple[Profile, dict[str, int | None], str | None] | None:
    """In one query: the profile with this public id among `profiles`, its stored answers by
    item code (as `answers_by_code`) and the version of the report copy published now. None
    when there is no such profile. (A submit locks the row first, see `page_state`.)"""
    published = ReportCopyVersion.objects.filter(status=ReportCopyVersion.Status.PUBLISHED)
    rows = profiles.filter(public_id=public_id).annotate(
        answer_code=F("answers__item_version__code"),
        answer_value=F("answers__value"),
        published_copy=Subquery(published.values("version")[:1]),
    )
    rows = list(rows)
    if not rows:
        return None
    answers = {r.answer_code: r.answer_value for r in rows if r.answer_code is not None}
    return rows[0], answers, rows[0].published_copy


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


def own_latest_snapshot(profiles: QuerySet[Profile], public_id: uuid.UUID) -> ResultSnapshot | None:
    """The newest snapshot of the profile with this public id among `profiles`, with its
    profile, in one query; None when there is no such profile or it has no snapshot."""
    earlier = Profile.objects.filter(
        user_id=OuterRef("profile__user_id"),
        submitted_at__lt=OuterRef("profile__submitted_at"),
        snapshots__isnull=False,
    )
    return (
        ResultSnapshot.objects.filter(profile__in=profiles.filter(public_id=public_id))
        .select_related("profile")
        .annotate(has_earlier=Exists(earlier))  # a first profile's report asks no more
        .order_by("-created_at", "-pk")
        .first()
    )


def latest_snapshot(profile: Profile) -> ResultSnapshot | None:
    return ResultSnapshot.objects.filter(profile=profile).order_by("-created_at", "-pk").first()


def review_rows(
    profile: Profile,
    answers: dict[str, int | None] | None = None,
    names: dict[str, str] | None = None,
) -> list[dict]:
    """Per capacity: statements shown, answered, skipped, the minimum needed, and where the
    skipped ones are, for the review screen (§2.6). `answers` by code, read here if not given;
    `names` the capacities' names in the profile's locale (default: the English labels)."""
    rules = scoring.get(scoring.CURRENT)
    spec = instrument_spec(profile.instrument_version_id)
    if answers is None:
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
                "name": names[dimension] if names else Dimension(dimension).label,
                "shown": len(items),
                "answered": answered,
                "skipped": len(skipped),
                "needed": needed,
                "below_minimum": answered < needed,
                "pages": sorted({i.page for i in skipped}),
            }
        )
    return rows
