"""Analysis pages of an instrument version in the admin: item statistics (and releasing a §6
parameter set) and the pseudonymous CSV export.

`analysis.admin.InstrumentVersionAdmin.get_urls` adds `instrument_urls(self)`, under the same
names and paths as the version's own admin pages. Statistics and export need
`assessments.view_statistics`; releasing also needs `assessments.add_reliabilityparameterset`.
Superusers hold every permission. Every profile in an export is written to the staff access log.
"""

import csv
from collections.abc import Callable
from functools import partial

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from analysis import maintenance, queries, services, statistics
from assessments.locales import LOCALE_NAMES, NOT_VALIDATED, SOURCE_LOCALE
from assessments.models import InstrumentVersion
from profiles.services import log_export

STATISTICS_PERMISSION = "assessments.view_statistics"
RELEASE_PERMISSION = "assessments.add_reliabilityparameterset"
FLAG_LEGEND = (
    statistics.ALPHA_FAIR, statistics.ALPHA_LOW, statistics.R_FAIR, statistics.R_LOW,
    statistics.CHECK_KEYING, statistics.BETTER_WITHOUT, statistics.EXTREME,
    statistics.REDUNDANT, statistics.PATTERN_REVIEW,
)  # fmt: skip
View = Callable[[HttpRequest, admin.ModelAdmin, int], HttpResponse]


def instrument_urls(model_admin: admin.ModelAdmin) -> list[URLPattern]:
    def wrap(view: View) -> Callable[..., HttpResponse]:
        def bound(request: HttpRequest, pk: int) -> HttpResponse:
            return view(request, model_admin, pk)

        return model_admin.admin_site.admin_view(bound)

    prefix = "assessments_instrumentversion"
    return [
        path("<int:pk>/statistics/", wrap(statistics_view), name=f"{prefix}_statistics"),
        path("<int:pk>/export.csv", wrap(export_view), name=f"{prefix}_export"),
    ]


def require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def page_locale(request: HttpRequest) -> str:
    """The locale whose respondents the page shows (`?locale=`, default English): German and
    English respondents are never pooled (issue 16 line 4). An unknown one is a 404."""
    locale = request.GET.get("locale", SOURCE_LOCALE)
    if locale not in LOCALE_NAMES:
        raise Http404("relcap has no such locale")
    return locale


def statistics_view(request: HttpRequest, model_admin: admin.ModelAdmin, pk: int) -> HttpResponse:
    require(request, STATISTICS_PERMISSION)
    instrument = get_object_or_404(InstrumentVersion, pk=pk)
    locale = page_locale(request)
    if request.method == "POST":
        return release(request, instrument, locale)
    statistics_now = maintenance.item_statistics(instrument, locale)
    report = statistics_now.report
    title = f"Item statistics of version {instrument.version}"
    if locale != SOURCE_LOCALE:
        title += f" in {LOCALE_NAMES[locale]} ({NOT_VALIDATED.get(locale, '')})"
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        "locale": locale,
        "locale_name": LOCALE_NAMES[locale],
        "locales": [
            {"code": code, "name": name, "not_validated": NOT_VALIDATED.get(code, "")}
            for code, name in LOCALE_NAMES.items()
        ],
        "instrument": instrument,
        "report": report,
        "computed_at": statistics_now.computed_at,
        "dimensions": [(queries.DIMENSION_LABELS[d.code], d) for d in report.dimensions],
        "pooled": queries.version_names(report.pooled_versions),
        "release_problems": statistics.release_problems(report),
        "may_release": request.user.has_perm(RELEASE_PERMISSION),
        "parameter_sets": queries.parameter_sets_for(instrument, locale),
        "legend": FLAG_LEGEND,
        "minimum": statistics.MIN_SHOWN,
        "normal": statistics.MIN_NORMAL,
        "omega_minimum": statistics.OMEGA_MIN_N,
        "both_mode": report.both_mode,
    }
    return TemplateResponse(request, "admin/analysis/statistics.html", context)


def release(request: HttpRequest, instrument: InstrumentVersion, locale: str) -> HttpResponse:
    require(request, RELEASE_PERMISSION)
    # The kept sums of the page's locale as they are now (equal to computing from the
    # answers: tested), never figures taken from a form.
    report = maintenance.item_statistics(instrument, locale).report
    try:
        created = services.release_parameter_set(
            instrument=instrument, report=report, locale=locale
        )
    except services.ReleaseRefused as refused:
        messages.error(request, str(refused))
    else:
        where = LOCALE_NAMES[locale]
        messages.success(
            request,
            (
                _("Released parameter set %(name)s for version %(version)s.")
                if locale == SOURCE_LOCALE
                else _("Released parameter set %(name)s for version %(version)s in %(language)s.")
            )
            % {"name": created.name, "version": instrument.version, "language": where},
        )
    return redirect(request.get_full_path())


class _Echo:
    """A file-like sink for csv.writer that hands each written line straight back."""

    def write(self, value: str) -> str:
        return value


def export_view(request: HttpRequest, model_admin: admin.ModelAdmin, pk: int) -> HttpResponse:
    """Pseudonymous rows, but each is one person's answers: every exported profile is logged
    as staff access (profiles/staff_access.py), batch by batch as the rows stream out."""
    require(request, STATISTICS_PERMISSION)
    instrument = get_object_or_404(InstrumentVersion, pk=pk)
    writer = csv.writer(_Echo())
    rows = queries.export_rows(instrument, on_batch=partial(log_export, request))
    lines = (writer.writerow(row) for row in rows)
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    name = get_valid_filename(f"relcap-{instrument.version}-responses.csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
