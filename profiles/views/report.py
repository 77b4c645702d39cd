"""Reading results: the report, its PDF, "My profiles" and the comparison of two profiles."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from assessments.queries import CopyLocaleUnavailable
from profiles import pdf_services, queries, report_queries
from profiles.comparison import changes_since_last, compare_profiles, history, profile_rows
from profiles.forms import CompareForm
from profiles.locales import in_locale, other_language
from profiles.report import build_report
from profiles.views import keep


def report_context(request: HttpRequest, public_id: UUID) -> dict:
    """The profile (404 unless it is the requester's) and its report from the newest snapshot."""
    snapshot = queries.own_latest_snapshot(queries.own_submitted(request), public_id)
    if snapshot is None:  # not this requester's, not submitted, or without a result yet
        raise Http404("No such profile, or it has no result yet.")
    profile = snapshot.profile
    # Issue 16 line 4: the snapshot's copy in the snapshot's locale, with its dates written in
    # that locale too, whatever the interface language (the body renders in it as well).
    copy = report_queries.snapshot_copy(snapshot)
    with in_locale(snapshot.locale):
        changes = changes_since_last(profile, snapshot, copy)
    return {
        "profile": profile,
        "snapshot": snapshot,
        "report": build_report(snapshot.data, copy, locale=snapshot.locale, reason=snapshot.reason),
        "changes": changes,
        "support_url": reverse("support"),
        "report_lang": other_language(snapshot.locale),
    }


@never_cache
def report(request: HttpRequest, public_id: UUID) -> HttpResponse:
    try:
        context = report_context(request, public_id)
    except CopyLocaleUnavailable:  # never English in its place (issue 16 line 4)
        return render(request, "profiles/report_unavailable.html", status=503)
    context.update(keep.link_context(request, context["profile"]))
    return render(request, "profiles/report.html", context)


@never_cache
def report_pdf(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The stored PDF of the newest snapshot; the first request has it made (by a worker, or
    at once without a broker) and, while it is being made, answers a short "wait" page."""
    profile = get_object_or_404(queries.own_submitted(request), public_id=public_id)
    snapshot = queries.latest_snapshot(profile)
    if snapshot is None:
        raise Http404("This profile has no result yet.")
    pdf = report_queries.stored_pdf(snapshot)
    if pdf is None:
        try:
            report_queries.snapshot_copy(snapshot)  # never an English PDF of a German result
        except CopyLocaleUnavailable:
            return render(request, "profiles/report_unavailable.html", status=503)
        support_url = request.build_absolute_uri(reverse("support"))
        pdf_services.request_report_pdf(snapshot=snapshot, support_url=support_url)
        pdf = report_queries.stored_pdf(snapshot)
    if pdf is None:
        return render(request, "profiles/pdf_pending.html", {"profile": profile}, status=202)
    with pdf.file.open("rb") as stored:
        response = HttpResponse(stored.read(), content_type="application/pdf")
    day = profile.submitted_at.date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="relcap-profile-{day}.pdf"'
    return response


@never_cache
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    profiles = list(report_queries.own_submitted_with_snapshots(request))
    context = {
        "rows": profile_rows(profiles),
        "drafts": report_queries.own_unfinished(request),
        "history": history(profiles),
        "can_compare": len(profiles) > 1,
        # Preselect the two newest profiles, the older one first.
        "default_a": profiles[1].public_id if len(profiles) > 1 else None,
        "default_b": profiles[0].public_id if profiles else None,
    }
    return render(request, "profiles/mine.html", context)


@never_cache
def compare(request: HttpRequest) -> HttpResponse:
    form = CompareForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose two different profiles to compare."))
        return redirect("profiles:mine")
    pair = report_queries.own_pair(request, form.cleaned_data["a"], form.cleaned_data["b"])
    if len(pair) != 2 or not all(p.snapshots_newest_first for p in pair):
        raise Http404("No such pair of profiles.")
    later_locale = pair[1].snapshots_newest_first[0].locale
    with in_locale(later_locale):
        comparison = compare_profiles(*pair)
    context = {"comparison": comparison, "comparison_lang": other_language(later_locale)}
    return render(request, "profiles/compare.html", context)


urlpatterns = [
    path("compare/", compare, name="compare"),
    path("p/<uuid:public_id>/pdf/", report_pdf, name="report_pdf"),
]
