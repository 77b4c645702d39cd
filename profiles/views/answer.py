"""Taking the questionnaire: start with consent, answer pages, resume, review and submit."""

import time
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from assessments import queries as instrument_queries
from assessments.queries import QuestionnaireTexts
from profiles import locales, queries, services
from profiles.forms import (
    PageForm,
    StartForm,
    elapsed_ms,
    read_stamp,
    render_stamp,
    tamper_problem,
)
from profiles.models import Profile
from profiles.views import keep
from profiles.views.conflict import conflict_page


def now_ms() -> int:
    return time.time_ns() // 1_000_000


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    instrument, previous = queries.start_state(request)
    if instrument is None:
        return render(request, "profiles/unavailable.html", status=503)
    # The questionnaire's locale (issue 16 line 4): the one asked for (the language links
    # above the form, or the form's own field), else the interface language when offered,
    # else English. One not offered is refused (400) and nothing is stored.
    offered = locales.respondent_locales(instrument)
    default = locales.default_locale(offered)
    posted = request.POST.get("locale", "") if request.method == "POST" else ""
    asked = posted or request.GET.get("locale", "") or default
    refused = asked not in offered
    shown = default if refused else asked
    texts = instrument_queries.questionnaire_texts(instrument, shown)
    form = StartForm(request.POST or None, texts=texts, offered=offered)
    if request.method == "POST" and not refused and form.is_valid():
        profile = services.start_profile(
            instrument=instrument,
            context_mode=form.cleaned_data["context_mode"],
            research_opt_in=form.cleaned_data["research_opt_in"],
            start_nonce=form.cleaned_data["nonce"],
            user=request.user,
            locale=asked,
        )
        if profile.user_id is None:  # also on a replay: this browser was shown the form
            services.grant_session_access(session=request.session, profile=profile)
        return redirect("profiles:answer_page", public_id=profile.public_id, page=1)
    if not form.is_bound:
        initial = {"locale": shown}
        # A retake starts with the setting chosen last time (issue 14, line 4).
        if previous:
            initial["context_mode"] = previous.context_mode
        form = StartForm(initial=initial, texts=texts, offered=offered)
    else:
        form.data = form.data.copy()
        form.data["locale"] = shown  # the form shown again keeps the language it is shown in
    context = {
        "form": form,
        "previous": previous,
        "locales": locales.choices(offered),
        "locale": shown,
        "locale_refused": refused,
        "consent": {
            key.removeprefix("consent."): text
            for key, text in texts.texts.items()
            if key.startswith("consent.")
        },
        "other_locale": previous is not None and previous.locale != shown,
    }
    status = 400 if refused or form.errors else 200
    with locales.in_locale(shown):
        return render(request, "profiles/start.html", context, status=status)


def questionnaire_texts(profile: Profile) -> QuestionnaireTexts:
    """Every text of the profile's questionnaire in its locale (cached per process for a
    published or retired version: no query)."""
    return instrument_queries.texts_of_version(profile.instrument_version_id, profile.locale)


def accessible_draft(request: HttpRequest, public_id: UUID) -> Profile:
    """The profile if this request may answer it; a valid resume token in the form re-opens
    access after the session expired. Anyone else gets 404."""
    profile = queries.own_profiles(request).filter(public_id=public_id).first()
    if profile is None:
        profile = token_access(request, public_id)
    if profile is None:
        raise Http404("No such questionnaire")
    return profile


def token_access(request: HttpRequest, public_id: UUID) -> Profile | None:
    """The anonymous draft a valid resume token in the posted form names, now granted to this
    session; None without one."""
    token = request.POST.get("resume") if request.method == "POST" else None
    if not token:
        return None
    by_token = queries.profile_by_token(token)
    if by_token and by_token.public_id == public_id and by_token.user_id is None:
        services.grant_session_access(session=request.session, profile=by_token)
        return by_token
    return None


def accessible_page(
    request: HttpRequest, public_id: UUID, page: int, *, lock: bool = False
) -> queries.PageState:
    """`accessible_draft` with the page's stored answers and time, in one query; with `lock`
    (a save, inside its transaction) the profile row is locked first, until the commit."""
    profiles = queries.own_profiles(request)
    if lock:
        services.lock_draft(profiles, public_id)
    state = queries.page_state(profiles, public_id, page)
    if state is None and token_access(request, public_id) is not None:
        profiles = Profile.objects.all()
        if lock:
            services.lock_draft(profiles, public_id)
        state = queries.page_state(profiles, public_id, page)
    if state is None:
        raise Http404("No such questionnaire")
    return state


def page_context(profile: Profile, page: int, total: int, form: PageForm, stamp: str) -> dict:
    texts = form.texts or questionnaire_texts(profile)
    return {
        "profile": profile,
        "form": form,
        "page": page,
        "total": total,
        "instruction": texts.texts["instruction"],
        "scale_first": texts.texts["scale.1"],
        "scale_last": texts.texts["scale.7"],
        "skip_label": texts.texts["scale.skip"],
        "not_validated": locales.not_validated(profile.locale),
        "stamp": stamp,
        "resume_token": queries.resume_token(profile),
    }


def render_in_locale(
    request: HttpRequest, profile: Profile, template: str, context: dict, status: int = 200
) -> HttpResponse:
    """A questionnaire page, its interface in the profile's locale too."""
    with locales.in_locale(profile.locale):
        return render(request, template, context, status=status)


def render_page(
    request: HttpRequest, state: queries.PageState, page: int, total: int, items
) -> HttpResponse:
    shown = state.stored([item.pk for item in items])
    frozen = instrument_queries.is_frozen(state.profile.instrument_version_id)
    form = PageForm(items, shown=shown, frozen=frozen, texts=questionnaire_texts(state.profile))
    stamp = render_stamp(state.profile.public_id, page, now_ms(), shown)
    context = page_context(state.profile, page, total, form, stamp)
    return render_in_locale(request, state.profile, "profiles/page.html", context)


def page_again(
    request: HttpRequest, profile: Profile, page: int, total: int, items, status: int
) -> HttpResponse:
    """The posted page shown again unsaved, its choices selected, so one more press of Next
    stores them. A valid stamp is kept (changes still count from the first render); without
    one the form is compared with what is stored now, and absent fields show stored answers."""
    stamp_text = request.POST.get("rendered")
    stamp = read_stamp(stamp_text, profile.public_id, page, [item.pk for item in items])
    if stamp is not None:
        shown = stamp.shown
    else:
        shown = queries.stored_answers(profile, [item.pk for item in items])
        stamp_text = render_stamp(profile.public_id, page, now_ms(), shown)
    form = PageForm(items, data=request.POST, shown=shown, texts=questionnaire_texts(profile))
    form.is_valid()
    context = page_context(profile, page, total, form, stamp_text)
    context["stale"] = True
    return render_in_locale(request, profile, "profiles/page.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def answer_page(request: HttpRequest, public_id: UUID, page: int) -> HttpResponse:
    if request.method != "POST":
        return show_page(request, accessible_page(request, public_id, page), page)
    # The profile row is locked before the first read and until the commit, so what the checks
    # below compare with is what is stored until this save's writes are committed. A response
    # other than a redirect wrote nothing: its transaction (and the lock's mark) is rolled back.
    with transaction.atomic():
        response = post_page(request, accessible_page(request, public_id, page, lock=True), page)
        if response.status_code != 302:
            transaction.set_rollback(True)
        return response


def page_items(profile: Profile, page: int) -> tuple[int, list]:
    """The page count and this page's statements; 404 for a page the instrument lacks."""
    total = queries.page_count(profile.instrument_version_id)
    if not 1 <= page <= total:
        raise Http404("No such page")
    items = instrument_queries.page_items(profile.instrument_version_id, page, profile.context_mode)
    return total, list(items)


def already_submitted(request: HttpRequest, profile: Profile) -> HttpResponse:
    messages.info(request, _("This questionnaire was already submitted; here are its results."))
    return redirect(profile)


def show_page(request: HttpRequest, state: queries.PageState, page: int) -> HttpResponse:
    if state.profile.is_submitted:
        return already_submitted(request, state.profile)
    total, items = page_items(state.profile, page)
    return render_page(request, state, page, total, items)


def post_page(request: HttpRequest, state: queries.PageState, page: int) -> HttpResponse:
    profile = state.profile
    if profile.is_submitted:
        return already_submitted(request, profile)
    total, items = page_items(profile, page)
    problem = tamper_problem(request.POST, items)
    if problem:
        context = {"problem": problem, "profile": profile, "page": page}
        return render_in_locale(request, profile, "profiles/form_problem.html", context, 400)
    return save_posted_page(request, state, page, total, items)


def save_posted_page(
    request: HttpRequest, state: queries.PageState, page: int, total: int, items
) -> HttpResponse:
    profile = state.profile
    item_ids = [item.pk for item in items]
    stamp = read_stamp(request.POST.get("rendered"), profile.public_id, page, item_ids)
    if stamp is None:  # a form we cannot compare with what it showed: show it again
        return page_again(request, profile, page, total, items, status=400)
    form = PageForm(items, data=request.POST, shown=stamp.shown, texts=questionnaire_texts(profile))
    if not form.is_valid():
        context = page_context(profile, page, total, form, request.POST["rendered"])
        return render_in_locale(request, profile, "profiles/page.html", context, status=400)
    nav = request.POST.get("nav", "next")
    submission = services.PageSubmission(
        item_ids=tuple(item_ids),
        shown=stamp.shown,
        posted=form.posted_values(),
        moving_on=nav == "next",
        render_id=stamp.render_id,
        elapsed_ms=elapsed_ms(stamp, now_ms()),
    )
    conflict = services.write_page(state=state, page=page, submission=submission)
    if conflict is not None:
        return conflict_page(request, profile, page, items, stamp, conflict, nav)
    return redirect(next_step(profile, page, total, nav))


def next_step(profile: Profile, page: int, total: int, nav: str) -> str:
    if nav == "save":
        return reverse("profiles:saved", args=[profile.public_id])
    if nav == "back":
        return reverse("profiles:answer_page", args=[profile.public_id, max(1, page - 1)])
    if page >= total:
        return reverse("profiles:review", args=[profile.public_id])
    return reverse("profiles:answer_page", args=[profile.public_id, page + 1])


@never_cache
def resume(request: HttpRequest, public_id: UUID) -> HttpResponse:
    profile = get_object_or_404(queries.own_profiles(request), public_id=public_id)
    if profile.is_submitted:
        return redirect(profile)
    first_open = queries.first_open_page(profile)
    if first_open is None:
        return redirect("profiles:review", public_id=public_id)
    return redirect("profiles:answer_page", public_id=public_id, page=first_open)


@never_cache
def resume_link(request: HttpRequest, token: str) -> HttpResponse:
    profile = queries.profile_by_token(token)
    if profile is None:
        return render(request, "profiles/link_not_found.html", status=404)
    if profile.user_id is not None and profile.user_id != request.user.pk:
        messages.info(
            request, _("This questionnaire belongs to an account: please sign in to continue.")
        )
        return redirect(
            f"{reverse('login')}?next={reverse('profiles:resume', args=[profile.public_id])}"
        )
    if profile.user_id is None:
        services.grant_session_access(session=request.session, profile=profile)
    return redirect("profiles:resume", public_id=profile.public_id)


@never_cache
def saved(request: HttpRequest, public_id: UUID) -> HttpResponse:
    profile = get_object_or_404(queries.own_drafts(request), public_id=public_id)
    context = {"profile": profile, "resume_token": queries.resume_token(profile)}
    context.update(keep.link_context(request, profile))
    return render_in_locale(request, profile, "profiles/saved.html", context)


@never_cache
def review(request: HttpRequest, public_id: UUID) -> HttpResponse:
    if request.method == "POST":
        snapshot = services.submit_own(profiles=queries.own_profiles(request), public_id=public_id)
        if snapshot is None:
            raise Http404("No such questionnaire")
        if snapshot.data.get("support") == "urgent":
            return redirect("profiles:profile_support", public_id=public_id)
        return redirect(snapshot.profile)
    state = queries.with_answers(queries.own_profiles(request), public_id)
    if state is None:
        raise Http404("No such questionnaire")
    profile, answers, copy_version = state
    if profile.is_submitted:
        return redirect(profile)
    rows = queries.review_rows(profile, answers, capacity_names(copy_version, profile.locale))
    total = queries.page_count(profile.instrument_version_id)
    context = {
        "profile": profile,
        "rows": rows,
        "total": total,
        "not_validated": locales.not_validated(profile.locale),
    }
    return render_in_locale(request, profile, "profiles/review.html", context)


def capacity_names(copy_version: str | None, locale: str) -> dict[str, str] | None:
    """The capacities' names as the report will name them: in the copy the snapshot will be
    pinned to (`services.copy_for_locale`), in `locale`; None without a published copy or
    without one that speaks the locale."""
    if copy_version is None:
        return None
    pinned = services.copy_for_locale(copy_version, locale)
    try:
        dimensions = instrument_queries.copy_texts(pinned, locale)["dimensions"]
    except instrument_queries.CopyLocaleUnavailable:
        return None
    return {code: texts["name"] for code, texts in dimensions.items()}


@login_required
@require_POST
def attach(request: HttpRequest, public_id: UUID) -> HttpResponse:
    profile = get_object_or_404(queries.own_profiles(request), public_id=public_id)
    services.attach_to_user(profile=profile, user=request.user)
    messages.success(request, _("This questionnaire is now saved in your account."))
    return (
        redirect("profiles:resume", public_id=public_id)
        if not profile.is_submitted
        else redirect(profile)
    )
