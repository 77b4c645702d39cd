"""Admin pages for one report copy version's translations (issue 16 line 3), built like the
instrument's (assessments/admin_translations.py): the locales with how many texts are current,
out of date or missing; per locale what needs work, with a link to each, and every text; one
text with its English beside it, the placeholder and wording checks, saved as a draft or
approved (logged); and the release, refused with the list while anything is missing.

Views only: reads in assessments.queries, writes in assessments.services, checks in
assessments.checks. Permissions: view on the copy version to see; `change_copytranslation` to
save a draft; `approve_copytranslation` to approve; `release_copy_locale` to release.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from assessments import checks, copy_edit, queries, services
from assessments.copy_text import placeholder_names
from assessments.locales import LOCALE_NAMES, NOT_VALIDATED, TARGET_LOCALES, fingerprint
from assessments.models import CopyTranslation, ReportCopyVersion

NAME = "assessments_reportcopyversion"
PERMISSIONS = {
    "edit": "assessments.change_copytranslation",
    "approve": "assessments.approve_copytranslation",
    "release": "assessments.release_copy_locale",
}
STATE_NAMES = {
    queries.TextState.CURRENT: gettext_lazy("current"),
    queries.TextState.OUT_OF_DATE: gettext_lazy("out of date"),
    queries.TextState.MISSING: gettext_lazy("missing"),
}


def copy_translation_urls(model_admin) -> list:
    """URL patterns added to the report copy version's admin (names keep its prefix)."""
    wrap = model_admin.admin_site.admin_view

    def bind(view, methods=("GET", "HEAD")):
        @require_http_methods(list(methods))
        def bound(request, *args, **kwargs):
            return view(model_admin, request, *args, **kwargs)

        return wrap(bound)

    return [
        path("<int:pk>/locales/", bind(locale_list), name=f"{NAME}_locales"),
        path("<int:pk>/locales/<str:locale>/", bind(locale_status), name=f"{NAME}_locale"),
        path(
            "<int:pk>/locales/<str:locale>/release/",
            bind(locale_release, ("POST",)),
            name=f"{NAME}_locale_release",
        ),
        path(
            "<int:pk>/locales/<str:locale>/text/<path:key>/",
            bind(translation_edit, ("GET", "HEAD", "POST")),
            name=f"{NAME}_translate",
        ),
    ]


def _copy(model_admin, request: HttpRequest, pk: int) -> ReportCopyVersion:
    report_copy = get_object_or_404(ReportCopyVersion, pk=pk)
    if not model_admin.has_view_permission(request, report_copy):
        raise PermissionDenied
    return report_copy


def _locale(locale: str) -> str:
    if locale not in TARGET_LOCALES:
        raise Http404("relcap has no such locale.")
    return locale


def _context(model_admin, request: HttpRequest, report_copy, **extra) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "report_copy": report_copy,
        **extra,
    }


def edit_url(copy_id: int, locale: str, key: str) -> str:
    return reverse(f"admin:{NAME}_translate", args=[copy_id, locale, key])


def copy_locale_notes(report_copy: ReportCopyVersion) -> list[str]:
    """After publishing a copy: a locale is read again only once released for this copy, so
    say which are ready and which need work first (locales never translated are left out)."""
    notes = []
    for locale, name in TARGET_LOCALES.items():
        status = queries.copy_locale_status(report_copy, locale)
        if not any(row.approved for row in status.rows):
            continue
        values = {"name": name, "version": report_copy.version, "count": len(status.incomplete)}
        if status.is_complete:
            note = _("%(name)s is complete for %(version)s: release it under Translations so "
                     "reports written with it can be read in %(name)s.")  # fmt: skip
        else:
            note = ngettext(
                "%(name)s needs %(count)d text translated again before it can be released for "
                "%(version)s (see Translations).",
                "%(name)s needs %(count)d texts translated again before it can be released for "
                "%(version)s (see Translations).",
                len(status.incomplete),
            )
        notes.append(note % values)
    return notes


def locale_list(model_admin, request: HttpRequest, pk: int) -> HttpResponse:
    """Every locale of the copy: how many texts are current, out of date or missing, and
    whether reports can be read in it."""
    report_copy = _copy(model_admin, request, pk)
    readable = queries.copy_locales(report_copy.version)
    locales = []
    for locale, name in TARGET_LOCALES.items():
        status = queries.copy_locale_status(report_copy, locale)
        locales.append(
            {
                "code": locale,
                "name": name,
                "status": status,
                "counts": status.counts(),
                "readable": locale in readable,
                "url": reverse(f"admin:{NAME}_locale", args=[pk, locale]),
            }
        )
    title = _("Translations of report copy %(version)s") % {"version": report_copy.version}
    context = _context(model_admin, request, report_copy, title=title, locales=locales)
    return TemplateResponse(request, "admin/assessments/copy_locale_list.html", context)


def _status_context(model_admin, request, report_copy, locale: str, **extra) -> dict:
    status = queries.copy_locale_status(report_copy, locale)
    groups = list(dict.fromkeys(row.group for row in status.rows))
    group = request.GET.get("group", "")
    group = group if group in groups else ""
    rows = [
        {
            "row": row,
            "url": edit_url(report_copy.pk, locale, row.key),
            "state": row.state,
            "state_name": STATE_NAMES[row.state],
        }
        for row in status.rows
    ]
    to_fix = [r for r in rows if r["state"] != queries.TextState.CURRENT]
    shown = [r for r in rows if r["row"].group == group] if group else rows
    can_release = (
        request.user.has_perm(PERMISSIONS["release"])
        and status.release is None
        and not report_copy.is_draft
    )
    title = _("%(name)s (%(locale)s) of report copy %(version)s") % {
        "name": LOCALE_NAMES[locale],
        "locale": locale,
        "version": report_copy.version,
    }
    return _context(
        model_admin,
        request,
        report_copy,
        title=title,
        locale=locale,
        locale_name=LOCALE_NAMES[locale],
        status=status,
        counts=status.counts(),
        rows=shown,
        total=len(rows),
        groups=groups,
        group=group,
        to_fix=to_fix,
        can_release=can_release,
        not_validated=NOT_VALIDATED.get(locale, ""),
        **extra,
    )


def locale_status(model_admin, request: HttpRequest, pk: int, locale: str) -> HttpResponse:
    """What is missing or out of date in one locale, each with a link to fix it, then every
    text (or one group's) with its English and state; and the release button. The same
    number of queries at any number of texts."""
    report_copy = _copy(model_admin, request, pk)
    context = _status_context(model_admin, request, report_copy, _locale(locale))
    return TemplateResponse(request, "admin/assessments/copy_locale_status.html", context)


def locale_release(model_admin, request: HttpRequest, pk: int, locale: str) -> HttpResponse:
    """Release a complete locale of a published or retired copy. An incomplete one is refused
    (409) with every key missing or out of date; a second release makes none. Logged."""
    report_copy = _copy(model_admin, request, pk)
    locale = _locale(locale)
    if not request.user.has_perm(PERMISSIONS["release"]):
        raise PermissionDenied
    status_url = reverse(f"admin:{NAME}_locale", args=[pk, locale])
    already = report_copy.locale_releases.filter(locale=locale).exists()
    try:
        release = services.release_copy_locale(
            report_copy=report_copy, locale=locale, user=request.user
        )
    except services.TranslationError as refused:
        context = _status_context(
            model_admin, request, report_copy, locale, refused=refused.problems
        )
        return TemplateResponse(
            request, "admin/assessments/copy_locale_status.html", context, status=409
        )
    if already:
        messages.info(request, _("%(locale)s was already released.") % {"locale": locale})
    else:
        model_admin.log_addition(request, release, [{"added": {}}])
        done = _(
            "Reports written with %(version)s can now be read in %(name)s. Its texts of this "
            "copy can no longer change."
        )
        messages.success(
            request, done % {"name": LOCALE_NAMES[locale], "version": report_copy.version}
        )
    return HttpResponseRedirect(status_url)


class CopyTranslationForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Translation"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 80}),
        max_length=5000,
        strip=True,
    )


def _placeholder_check(key: str, english: str, text: str, locale: str) -> dict:
    """The placeholders the English uses and the ones `text` uses, and every problem."""
    wanted = sorted(placeholder_names(english) or ())
    used = sorted(placeholder_names(text) or ()) if text else []
    problems = checks.copy_translation_problems(key, english, text, locale) if text else []
    return {"wanted": wanted, "used": used, "problems": problems, "checked": bool(text)}


def translation_edit(
    model_admin, request: HttpRequest, pk: int, locale: str, key: str
) -> HttpResponse:
    """One copy text in one locale: the English beside the approved text (marked when out of
    date) and the draft, with the placeholder and wording checks; "Save as draft", "Save and
    approve" (logged) and "Check without saving"."""
    report_copy = _copy(model_admin, request, pk)
    locale = _locale(locale)
    english = services.copy_source_text(report_copy, key)
    if english is None:
        raise Http404("The copy has no such text.")
    current = {
        t.status: t
        for t in CopyTranslation.objects.filter(
            copy_version=report_copy, locale=locale, key=key,
            status__in=[CopyTranslation.Status.DRAFT, CopyTranslation.Status.APPROVED],
        )
    }  # fmt: skip
    approved = current.get(CopyTranslation.Status.APPROVED)
    draft = current.get(CopyTranslation.Status.DRAFT)
    released = report_copy.locale_releases.filter(locale=locale).exists()
    user = request.user
    editable = not released and user.has_perm(PERMISSIONS["edit"])
    may_approve = editable and user.has_perm(PERMISSIONS["approve"])
    initial = (draft or approved).text if (draft or approved) else ""
    form = CopyTranslationForm(request.POST or None, initial={"text": initial})
    refused: list[str] = []
    text = initial
    status_url = reverse(f"admin:{NAME}_locale", args=[pk, locale])
    if request.method == "POST":
        if not editable or ("_approve" in request.POST and not may_approve):
            raise PermissionDenied
        if form.is_valid():
            text = form.cleaned_data["text"]
            if "_check" not in request.POST:
                try:
                    saved = services.save_copy_translation(
                        report_copy=report_copy, key=key, locale=locale, text=text, user=user
                    )
                    if "_approve" in request.POST and saved.status == CopyTranslation.Status.DRAFT:
                        saved = services.approve_copy_translation(translation=saved, user=user)
                except services.TranslationError as error:
                    refused = error.problems
                else:
                    verb = "approved" if saved.status == "approved" else "saved"
                    model_admin.log_change(
                        request, saved, f"{locale} text “{key}” of {report_copy.version} {verb}."
                    )
                    note = (
                        _("The %(locale)s text “%(key)s” was approved.")
                        if verb == "approved"
                        else _("The %(locale)s text “%(key)s” was saved.")
                    ) % {"locale": locale, "key": key}
                    messages.success(request, note)
                    return HttpResponseRedirect(status_url)
        else:
            text = request.POST.get("text", "")
    out_of_date = approved is not None and approved.source_fingerprint != fingerprint(english)
    path_of = tuple(key.split("."))
    title = _("“%(key)s” in %(name)s") % {"key": key, "name": LOCALE_NAMES[locale]}
    context = _context(
        model_admin,
        request,
        report_copy,
        title=title,
        locale=locale,
        locale_name=LOCALE_NAMES[locale],
        key=key,
        english=english,
        where=copy_edit.where(path_of),
        approved=approved,
        draft=draft,
        out_of_date=out_of_date,
        form=form if editable else None,
        may_approve=may_approve,
        released=released,
        check=_placeholder_check(key, english, text, locale),
        refused=refused,
        status_url=status_url,
        not_validated=NOT_VALIDATED.get(locale, ""),
    )
    return TemplateResponse(
        request,
        "admin/assessments/copy_translation_form.html",
        context,
        status=409 if refused else 200,
    )
