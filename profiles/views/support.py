"""Support pages (ASSESSMENT.md §7.3): the general list and the page shown before results."""

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import translation
from django.views.decorators.cache import never_cache

from assessments import queries as instrument_queries
from assessments.locales import SOURCE_LOCALE
from profiles import queries, report_queries
from profiles.locales import base_language


def support(request: HttpRequest) -> HttpResponse:
    # The general page speaks the interface's language when the published copy is released in
    # it (issue 16); otherwise its English texts, the page's and the interface's language alike.
    version = instrument_queries.published_copy().version
    locale = base_language(translation.get_language())
    if locale not in instrument_queries.copy_locales(version):
        locale = SOURCE_LOCALE
    copy = instrument_queries.copy_texts(version, locale)
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
