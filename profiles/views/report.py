"""Placeholder report views until the report lands: shows that the profile was saved."""

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from profiles import queries


@never_cache
def report(request: HttpRequest, public_id: UUID) -> HttpResponse:
    profile = get_object_or_404(queries.own_submitted(request), public_id=public_id)
    snapshot = queries.latest_snapshot(profile)
    return render(request, "profiles/report.html", {"profile": profile, "snapshot": snapshot})


@never_cache
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    profiles = queries.own_profiles(request).filter(user=request.user)
    return render(request, "profiles/mine.html", {"profiles": profiles})
