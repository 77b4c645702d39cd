"""A friendly answer to a stale form: nothing saved is lost, and typed answers stay selected."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve

from assessments import queries as instrument_queries
from profiles import queries
from profiles.forms import tamper_problem
from profiles.views.answer import accessible_draft, page_again


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django calls this when a POST fails its CSRF check (an expired or replaced form).

    On a questionnaire page the posted choices are shown again, unsaved, in a fresh form so
    one more press of Next stores them; elsewhere a plain explanation with a way back.
    """
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    if match is not None and match.view_name == "profiles:answer_page":
        response = stale_page(request, **match.kwargs)
        if response is not None:
            return response
    return render(request, "csrf_failure.html", status=403)


def stale_page(request: HttpRequest, public_id, page: int) -> HttpResponse | None:
    try:
        profile = accessible_draft(request, public_id)
    except Http404:
        return None
    if profile.is_submitted:
        return None
    total = queries.page_count(profile.instrument_version_id)
    items = list(
        instrument_queries.page_items(profile.instrument_version_id, page, profile.context_mode)
    )
    if not items or tamper_problem(request.POST, items):
        return None
    return page_again(request, profile, page, total, items, status=403)
