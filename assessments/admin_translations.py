"""Admin pages for one instrument version's translations (issue 16 lines 2 and 5): the locales
with their state, per locale what is missing or out of date (with links to fix each), a page
per text to write and approve its translation with the locale's §2.3 checks, and the release
that offers a complete locale to respondents (refused, with the list, when it is not).

Views only: reads in assessments.queries, writes in assessments.services, checks in
assessments.checks. Permissions: view on the instrument version to see; `change_translation`
to save a draft; `approve_translation` to approve; `release_locale` to release.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from assessments import checks, queries, services
from assessments.locales import LOCALE_NAMES, NOT_VALIDATED, TARGET_LOCALES, fingerprint
from assessments.models import InstrumentText, InstrumentVersion, ItemVersion, Translation

NAME = "assessments_instrumentversion"
PERMISSIONS = {
    "edit": "assessments.change_translation",
    "approve": "assessments.approve_translation",
    "release": "assessments.release_locale",
}


def translation_urls(model_admin) -> list:
    """URL patterns added to the instrument version's admin (names keep its prefix)."""
    wrap = model_admin.admin_site.admin_view

    def bind(view, methods=("GET", "HEAD")):
        @require_http_methods(list(methods))
        def bound(request, *args, **kwargs):
            return view(model_admin, request, *args, **kwargs)

        return wrap(bound)

    writes = ("GET", "HEAD", "POST")
    return [
        path("<int:pk>/locales/", bind(locale_list), name=f"{NAME}_locales"),
        path("<int:pk>/locales/<str:locale>/", bind(locale_status), name=f"{NAME}_locale"),
        path(
            "<int:pk>/locales/<str:locale>/release/",
            bind(locale_release, ("POST",)),
            name=f"{NAME}_locale_release",
        ),
        path(
            "<int:pk>/locales/<str:locale>/item/<int:source_pk>/",
            bind(translation_edit, writes),
            {"kind": "item"},
            name=f"{NAME}_translate_item",
        ),
        path(
            "<int:pk>/locales/<str:locale>/text/<int:source_pk>/",
            bind(translation_edit, writes),
            {"kind": "text"},
            name=f"{NAME}_translate_text",
        ),
    ]


def _instrument(model_admin, request: HttpRequest, pk: int) -> InstrumentVersion:
    instrument = get_object_or_404(InstrumentVersion, pk=pk)
    if not model_admin.has_view_permission(request, instrument):
        raise PermissionDenied
    return instrument


def _locale(locale: str) -> str:
    if locale not in TARGET_LOCALES:
        raise Http404("relcap has no such locale.")
    return locale


def _context(model_admin, request: HttpRequest, instrument, **extra) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "instrument": instrument,
        **extra,
    }


def edit_url(instrument_id: int, locale: str, row: queries.TextStatus) -> str:
    kind = "translate_item" if row.kind == "item" else "translate_text"
    return reverse(f"admin:{NAME}_{kind}", args=[instrument_id, locale, row.source_id])


def locale_list(model_admin, request: HttpRequest, pk: int) -> HttpResponse:
    """Every locale of the version: how many texts are current, out of date or missing,
    whether it is released, and whether it is offered to respondents."""
    instrument = _instrument(model_admin, request, pk)
    offered = queries.offered_locales(instrument)
    locales = []
    for locale, name in TARGET_LOCALES.items():
        status = queries.locale_status(instrument, locale)
        locales.append(
            {
                "code": locale,
                "name": name,
                "status": status,
                "current": len(status.by_state(queries.TextState.CURRENT)),
                "out_of_date": len(status.by_state(queries.TextState.OUT_OF_DATE)),
                "missing": len(status.by_state(queries.TextState.MISSING)),
                "offered": locale in offered,
                "url": reverse(f"admin:{NAME}_locale", args=[pk, locale]),
            }
        )
    title = _("Translations of version %(version)s") % {"version": instrument.version}
    context = _context(model_admin, request, instrument, title=title, locales=locales)
    return TemplateResponse(request, "admin/assessments/locale_list.html", context)


def _status_context(model_admin, request, instrument, locale: str, **extra) -> dict:
    status = queries.locale_status(instrument, locale)
    rows = [
        {"row": row, "url": edit_url(instrument.pk, locale, row), "state": row.state}
        for row in status.rows
    ]
    to_fix = [r for r in rows if r["state"] != queries.TextState.CURRENT]
    can_release = (
        request.user.has_perm(PERMISSIONS["release"])
        and status.release is None
        and instrument.status == InstrumentVersion.Status.PUBLISHED
    )
    title = _("%(name)s (%(locale)s) of version %(version)s") % {
        "name": LOCALE_NAMES[locale],
        "locale": locale,
        "version": instrument.version,
    }
    return _context(
        model_admin,
        request,
        instrument,
        title=title,
        locale=locale,
        locale_name=LOCALE_NAMES[locale],
        status=status,
        rows=rows,
        to_fix=to_fix,
        can_release=can_release,
        not_validated=NOT_VALIDATED.get(locale, ""),
        **extra,
    )


def locale_status(model_admin, request: HttpRequest, pk: int, locale: str) -> HttpResponse:
    """What is missing or out of date in one locale, each with a link to fix it, then every
    text with its state; and the release button. The same queries at any number of
    statements."""
    instrument = _instrument(model_admin, request, pk)
    context = _status_context(model_admin, request, instrument, _locale(locale))
    return TemplateResponse(request, "admin/assessments/locale_status.html", context)


def locale_release(model_admin, request: HttpRequest, pk: int, locale: str) -> HttpResponse:
    """Offer a complete locale to respondents. An incomplete one is refused (409) with every
    text that is missing or out of date; a second release (a double click) makes none."""
    instrument = _instrument(model_admin, request, pk)
    locale = _locale(locale)
    if not request.user.has_perm(PERMISSIONS["release"]):
        raise PermissionDenied
    status_url = reverse(f"admin:{NAME}_locale", args=[pk, locale])
    already = instrument.locale_releases.filter(locale=locale).exists()
    try:
        release = services.release_locale(instrument=instrument, locale=locale, user=request.user)
    except services.TranslationError as refused:
        context = _status_context(
            model_admin, request, instrument, locale, refused=refused.problems
        )
        return TemplateResponse(
            request, "admin/assessments/locale_status.html", context, status=409
        )
    if already:
        messages.info(request, _("%(locale)s was already released.") % {"locale": locale})
    else:
        model_admin.log_addition(request, release, [{"added": {}}])
        done = _(
            "%(name)s is now offered to respondents of version %(version)s. Its translations "
            "of this version can no longer change."
        )
        messages.success(
            request, done % {"name": LOCALE_NAMES[locale], "version": instrument.version}
        )
    return HttpResponseRedirect(status_url)


class TranslationForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Translation"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        max_length=2000,
        strip=True,
    )


def _source(instrument: InstrumentVersion, kind: str, source_pk: int):
    if kind == "item":
        return get_object_or_404(ItemVersion, pk=source_pk, instrument_version=instrument)
    return get_object_or_404(InstrumentText, pk=source_pk, instrument_version=instrument)


def translation_edit(
    model_admin, request: HttpRequest, pk: int, locale: str, source_pk: int, kind: str
) -> HttpResponse:
    """One text in one locale: the English, the approved translation (marked when out of
    date), the draft; saving runs the locale's checks and refuses with the reasons, and
    "Save and approve" approves it (logged) when they pass."""
    instrument = _instrument(model_admin, request, pk)
    locale = _locale(locale)
    source = _source(instrument, kind, source_pk)
    target = {"item": source} if kind == "item" else {"instrument_text": source}
    current = {
        t.status: t
        for t in Translation.objects.filter(
            locale=locale, status__in=[Translation.Status.DRAFT, Translation.Status.APPROVED],
            **target,
        )
    }  # fmt: skip
    approved, draft = (
        current.get(Translation.Status.APPROVED),
        current.get(Translation.Status.DRAFT),
    )
    released = instrument.locale_releases.filter(locale=locale).exists()
    user = request.user
    editable = not released and user.has_perm(PERMISSIONS["edit"])
    may_approve = editable and user.has_perm(PERMISSIONS["approve"])
    initial = (draft or approved).text if (draft or approved) else ""
    form = TranslationForm(request.POST or None, initial={"text": initial})
    refused: list[str] = []
    text = initial
    status_url = reverse(f"admin:{NAME}_locale", args=[pk, locale])
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if "_approve" in request.POST and not may_approve:
            raise PermissionDenied
        if form.is_valid():
            text = form.cleaned_data["text"]
            if "_check" not in request.POST:
                try:
                    saved = services.save_translation(
                        source=source, locale=locale, text=text, user=user
                    )
                    if "_approve" in request.POST and saved.status == Translation.Status.DRAFT:
                        saved = services.approve_translation(translation=saved, user=user)
                except services.TranslationError as error:
                    refused = error.problems
                else:
                    verb = "approved" if saved.status == Translation.Status.APPROVED else "saved"
                    model_admin.log_change(
                        request, saved, f"{locale} translation of {_label(kind, source)} {verb}."
                    )
                    note = (
                        _("The %(locale)s text of %(label)s was approved.")
                        if verb == "approved"
                        else _("The %(locale)s text of %(label)s was saved.")
                    ) % {"locale": locale, "label": _label(kind, source)}
                    messages.success(request, note)
                    return HttpResponseRedirect(status_url)
        else:
            text = request.POST.get("text", "")
    found = (
        checks.statement_checks(text, source.kind, source.context, locale) if kind == "item" else []
    )
    out_of_date = approved is not None and approved.source_fingerprint != fingerprint(source.text)
    title = _("%(label)s in %(name)s") % {
        "label": _label(kind, source),
        "name": LOCALE_NAMES[locale],
    }
    context = _context(
        model_admin,
        request,
        instrument,
        title=title,
        locale=locale,
        locale_name=LOCALE_NAMES[locale],
        kind=kind,
        source=source,
        approved=approved,
        draft=draft,
        out_of_date=out_of_date,
        form=form if editable else None,
        may_approve=may_approve,
        released=released,
        checks=found,
        refused=refused,
        status_url=status_url,
        not_validated=NOT_VALIDATED.get(locale, ""),
    )
    return TemplateResponse(
        request,
        "admin/assessments/translation_form.html",
        context,
        status=409 if refused else 200,
    )


def _label(kind: str, source) -> str:
    return source.code if kind == "item" else f"“{source.key}”"
