"""Taking the questionnaire: start with consent, answer pages, resume, review and submit."""

import time
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from assessments import queries as instrument_queries
from assessments.models import PAGE_INSTRUCTION
from profiles import queries, services
from profiles.forms import PageForm, StartForm, elapsed_ms, render_stamp, tamper_problem
from profiles.models import Profile

TOKENS_KEY = "relcap_tokens"  # raw resume tokens this session may show again


def now_ms() -> int:
    return time.time_ns() // 1_000_000


@never_cache
def start(request: HttpRequest) -> HttpResponse:
    instrument = instrument_queries.published_instrument()
    if instrument is None:
        return render(request, "profiles/unavailable.html", status=503)
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        profile, token = services.start_profile(
            instrument=instrument,
            context_mode=form.cleaned_data["context_mode"],
            research_opt_in=form.cleaned_data["research_opt_in"],
            start_nonce=form.cleaned_data["nonce"],
            user=request.user,
        )
        if token:
            remember_token(request, profile, token)
        elif profile.user_id is None:
            services.grant_session_access(session=request.session, profile=profile)
        return redirect("profiles:answer_page", public_id=profile.public_id, page=1)
    return render(
        request, "profiles/start.html", {"form": form}, status=400 if form.errors else 200
    )


def remember_token(request: HttpRequest, profile: Profile, token: str) -> None:
    if profile.user_id is None:
        services.grant_session_access(session=request.session, profile=profile)
        request.session[TOKENS_KEY] = {
            **request.session.get(TOKENS_KEY, {}),
            str(profile.public_id): token,
        }


def accessible_draft(request: HttpRequest, public_id: UUID) -> Profile:
    """The profile if this request may answer it; a valid resume token in the form re-opens
    access after the session expired. Anyone else gets 404."""
    token = request.POST.get("resume") if request.method == "POST" else None
    if token:
        by_token = queries.profile_by_token(token)
        if by_token and by_token.public_id == public_id and by_token.user_id is None:
            remember_token(request, by_token, token)
    return get_object_or_404(queries.own_profiles(request), public_id=public_id)


def page_context(request: HttpRequest, profile: Profile, page: int, total: int, form) -> dict:
    return {
        "profile": profile,
        "form": form,
        "page": page,
        "total": total,
        "instruction": PAGE_INSTRUCTION,
        "stamp": render_stamp(profile.public_id, page, now_ms()),
        "resume_token": request.session.get(TOKENS_KEY, {}).get(str(profile.public_id)),
    }


@never_cache
def answer_page(request: HttpRequest, public_id: UUID, page: int) -> HttpResponse:
    profile = accessible_draft(request, public_id)
    if profile.is_submitted:
        messages.info(request, "This questionnaire was already submitted; here are its results.")
        return redirect(profile)
    total = queries.page_count(profile.instrument_version_id)
    if not 1 <= page <= total:
        raise Http404("No such page")
    items = list(
        instrument_queries.page_items(profile.instrument_version_id, page, profile.context_mode)
    )
    if request.method != "POST":
        initial = {
            f"q{k}": v
            for k, v in queries.answers_by_item_id(profile, [i.pk for i in items]).items()
        }
        form = PageForm(items, initial=initial)
        return render(
            request, "profiles/page.html", page_context(request, profile, page, total, form)
        )
    problem = tamper_problem(request.POST, items)
    if problem:
        return render(
            request,
            "profiles/form_problem.html",
            {"problem": problem, "profile": profile, "page": page},
            status=400,
        )
    form = PageForm(items, data=request.POST)
    if not form.is_valid():
        context = page_context(request, profile, page, total, form)
        return render(request, "profiles/page.html", context, status=400)
    took = elapsed_ms(request.POST.get("rendered"), profile.public_id, page, now_ms())
    try:
        services.save_page(profile=profile, page=page, values=form.values(), elapsed_ms=took)
    except services.AlreadySubmitted:
        return redirect(profile)
    return redirect(next_step(profile, page, total, request.POST.get("nav", "next")))


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
    saved = queries.saved_pages(profile)
    total = queries.page_count(profile.instrument_version_id)
    first_open = next((p for p in range(1, total + 1) if p not in saved), None)
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
            request, "This questionnaire belongs to an account: please sign in to continue."
        )
        return redirect(
            f"{reverse('login')}?next={reverse('profiles:resume', args=[profile.public_id])}"
        )
    remember_token(request, profile, token)
    return redirect("profiles:resume", public_id=profile.public_id)


@never_cache
def saved(request: HttpRequest, public_id: UUID) -> HttpResponse:
    profile = get_object_or_404(queries.own_drafts(request), public_id=public_id)
    token = request.session.get(TOKENS_KEY, {}).get(str(profile.public_id))
    return render(request, "profiles/saved.html", {"profile": profile, "resume_token": token})


@never_cache
def review(request: HttpRequest, public_id: UUID) -> HttpResponse:
    profile = get_object_or_404(queries.own_profiles(request), public_id=public_id)
    if request.method == "POST":
        snapshot = services.submit_profile(profile=profile)
        if snapshot.data.get("support") == "urgent":
            return redirect("profiles:profile_support", public_id=public_id)
        return redirect(profile)
    if profile.is_submitted:
        return redirect(profile)
    rows = queries.review_rows(profile)
    total = queries.page_count(profile.instrument_version_id)
    return render(
        request, "profiles/review.html", {"profile": profile, "rows": rows, "total": total}
    )


@login_required
@require_POST
def attach(request: HttpRequest, public_id: UUID) -> HttpResponse:
    profile = get_object_or_404(queries.own_profiles(request), public_id=public_id)
    services.attach_to_user(profile=profile, user=request.user)
    messages.success(request, "This questionnaire is now saved in your account.")
    return (
        redirect("profiles:resume", public_id=public_id)
        if not profile.is_submitted
        else redirect(profile)
    )
