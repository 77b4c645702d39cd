"""Support pages (ASSESSMENT.md §7.3): the general list and the page shown before results."""

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache

from assessments import queries as instrument_queries
from profiles import queries, report_queries
from profiles.locales import interface_copy, interface_locale


def support(request: HttpRequest) -> HttpResponse:
    copy, locale = interface_copy(), interface_locale()
    return render(
        request,
        "profiles/support.html",
        {"support": copy["support"], "resources": instrument_queries.support_resources_in(locale)},
    )


@never_cache
def profile_support(request: HttpRequest, public_id: UUID) -> HttpResponse:
    profile = get_object_or_404(queries.own_submitted(request), public_id=public_id)
    snapshot = queries.latest_snapshot(profile)
    copy = report_queries.snapshot_copy(snapshot)
    context = {
        "profile": profile,
        "support": copy["support"],
        "resources": instrument_queries.support_resources_in(snapshot.locale),
        "before_results": True,
    }
    return render(request, "profiles/support.html", context)
