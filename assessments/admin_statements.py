"""Admin pages for one instrument version's statements (issue 19): the list with search and
filters, a page per statement with the §2.3 checks beside the text, the JSON check that keeps
them live as the person types, and the publish confirmation with the diff.

Views only: the checks live in assessments.checks, writes in assessments.services, the diff in
assessments.version_diff. Permissions are those of the instrument version's admin: view to
see, change (which only a draft allows) to edit or publish.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import construct_change_message
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from assessments import checks, queries, services, version_diff
from assessments.forms import NewStatementForm, StatementForm
from assessments.locales import TARGET_LOCALES
from assessments.models import Context, Dimension, InstrumentVersion, ItemKind, ItemVersion

KEYING = {"forward": False, "reverse": True}


def statement_urls(model_admin) -> list:
    """URL patterns added to the instrument version's admin (names keep its prefix)."""
    wrap = model_admin.admin_site.admin_view

    def bind(view, methods=("GET", "HEAD")):
        @require_http_methods(list(methods))
        def bound(request, *args, **kwargs):
            return view(model_admin, request, *args, **kwargs)

        return wrap(bound)

    writes = ("GET", "HEAD", "POST")

    name = "assessments_instrumentversion"
    return [
        path("<int:pk>/statements/", bind(statement_list), name=f"{name}_statements"),
        path("<int:pk>/statements/check/", bind(statement_check), name=f"{name}_check"),
        path("<int:pk>/statements/add/", bind(statement_add, writes), name=f"{name}_add_statement"),
        path(
            "<int:pk>/statements/<int:item_pk>/",
            bind(statement_edit, writes),
            name=f"{name}_statement",
        ),
        path("<int:pk>/publish/", bind(publish_confirm, writes), name=f"{name}_publish"),
    ]


class StatementFilter(forms.Form):
    """Search and filters of the statement list (every one optional)."""

    q = forms.CharField(label=gettext_lazy("Search code or text"), required=False)
    dimension = forms.ChoiceField(
        label=gettext_lazy("Capacity"),
        required=False,
        choices=[("", gettext_lazy("All")), *Dimension.choices],
    )
    facet = forms.ChoiceField(
        label=gettext_lazy("Facet"),
        required=False,
        choices=[("", gettext_lazy("All")), ("1", "1"), ("2", "2")],
    )
    context = forms.ChoiceField(
        label=gettext_lazy("Context"),
        required=False,
        choices=[("", gettext_lazy("All")), *Context.choices],
    )
    keying = forms.ChoiceField(
        label=gettext_lazy("Keying"),
        required=False,
        choices=[
            ("", gettext_lazy("All")),
            ("forward", gettext_lazy("Forward-keyed")),
            ("reverse", gettext_lazy("Reverse-keyed")),
        ],
    )

    def apply(self, items):
        if not self.is_valid():
            return items
        data = self.cleaned_data
        if data["q"]:
            items = items.filter(Q(code__icontains=data["q"]) | Q(text__icontains=data["q"]))
        for name in ("dimension", "facet", "context"):
            if data[name]:
                items = items.filter(**{name: data[name]})
        if data["keying"]:
            items = items.filter(reverse=KEYING[data["keying"]])
        return items


def _context(model_admin, request: HttpRequest, instrument: InstrumentVersion, **extra) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "instrument": instrument,
        "editable": model_admin.has_change_permission(request, instrument),
        **extra,
    }


def _instrument_for_viewing(model_admin, request: HttpRequest, pk: int) -> InstrumentVersion:
    instrument = get_object_or_404(InstrumentVersion, pk=pk)
    if not model_admin.has_view_permission(request, instrument):
        raise PermissionDenied
    return instrument


def statement_list(model_admin, request: HttpRequest, pk: int) -> HttpResponse:
    """Every statement of a version in order, searchable and filtered; two queries of content
    whatever the number of statements."""
    instrument = _instrument_for_viewing(model_admin, request, pk)
    search = StatementFilter(request.GET)
    items = list(search.apply(queries.items_in_order(pk)))
    total = queries.items_in_order(pk).count() if search.has_changed() else len(items)
    title = _("Statements of version %(version)s") % {"version": instrument.version}
    context = _context(
        model_admin, request, instrument, title=title, items=items, search=search, total=total
    )
    return TemplateResponse(request, "admin/assessments/statement_list.html", context)


def statement_edit(model_admin, request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """One statement: its text with the §2.3 checks beside it, its classification; saving
    runs the same checks and refuses with the reason next to the field."""
    item = get_object_or_404(
        ItemVersion.objects.select_related(
            "instrument_version", "derived_from__instrument_version"
        ),
        pk=item_pk,
        instrument_version_id=pk,
    )
    instrument = item.instrument_version
    if not model_admin.has_view_permission(request, instrument):
        raise PermissionDenied
    editable = model_admin.has_change_permission(request, instrument)
    if request.method == "POST" and not editable:
        raise PermissionDenied  # a published or retired version is read-only
    source = item.derived_from
    source_text = source.text if source is not None else ""
    form = StatementForm(request.POST or None, instance=item) if editable else None
    text, kind, context = item.text, item.kind, item.context
    if form is not None and form.is_bound:
        text = request.POST.get("text", "")
        kind = request.POST.get("kind", kind)
        context = request.POST.get("context", "")
        if form.is_valid() and "_check" not in request.POST:
            services.save_statement(item=form.instance)
            model_admin.log_change(request, item, construct_change_message(form, None, False))
            messages.success(
                request, _("Statement %(code)s was saved.") % {"code": form.instance.code}
            )
            if "_continue" in request.POST:
                return HttpResponseRedirect(request.path)
            listing = reverse("admin:assessments_instrumentversion_statements", args=[pk])
            return HttpResponseRedirect(f"{listing}#item-{item.pk}")
    title = _("Statement %(code)s of version %(version)s") % {
        "code": item.code,
        "version": instrument.version,
    }
    page_context = _context(
        model_admin,
        request,
        instrument,
        title=title,
        item=item,
        form=form,
        source_text=source_text,
        checks=checks.statement_checks(text, kind, context),
        check_url=reverse("admin:assessments_instrumentversion_check", args=[pk]),
        history=queries.statement_history(item) if request.method != "POST" else [],
    )
    return TemplateResponse(request, "admin/assessments/statement_form.html", page_context)


def statement_add(model_admin, request: HttpRequest, pk: int) -> HttpResponse:
    """A new statement for a draft, with the same checks as editing one."""
    instrument = get_object_or_404(InstrumentVersion, pk=pk)
    if not model_admin.has_change_permission(request, instrument):
        raise PermissionDenied  # only a draft takes new statements
    item = ItemVersion(instrument_version=instrument)
    form = NewStatementForm(request.POST or None, instance=item)
    text, kind, context = "", ItemKind.SCORED, ""
    if form.is_bound:
        text = request.POST.get("text", "")
        kind = request.POST.get("kind", kind)
        context = request.POST.get("context", "")
        if form.is_valid() and "_check" not in request.POST:
            services.add_statement(item=form.instance)
            model_admin.log_addition(request, form.instance, [{"added": {}}])
            messages.success(
                request, _("Statement %(code)s was added.") % {"code": form.instance.code}
            )
            edit = reverse(
                "admin:assessments_instrumentversion_statement", args=[pk, form.instance.pk]
            )
            return HttpResponseRedirect(edit)
    title = _("New statement for version %(version)s") % {"version": instrument.version}
    page_context = _context(
        model_admin,
        request,
        instrument,
        title=title,
        item=item,
        adding=True,
        form=form,
        source_text="",
        checks=checks.statement_checks(text, kind, context),
        check_url=reverse("admin:assessments_instrumentversion_check", args=[pk]),
    )
    return TemplateResponse(request, "admin/assessments/statement_form.html", page_context)


def statement_check(model_admin, request: HttpRequest, pk: int) -> JsonResponse:
    """The §2.3 checks of a text as JSON, for the live list beside the statement; stores
    nothing, so it is a GET that needs only view permission."""
    instrument = _instrument_for_viewing(model_admin, request, pk)
    kind = request.GET.get("kind", ItemKind.SCORED)
    found = checks.statement_checks(
        request.GET.get("text", "")[:1000], kind, request.GET.get("context", "")
    )
    return JsonResponse(
        {
            "version": instrument.version,
            "checks": [
                {"key": c.key, "name": c.name, "passed": c.passed, "detail": c.detail}
                for c in found
            ],
            "passed": all(c.passed for c in found),
        }
    )


def locale_notes(instrument: InstrumentVersion) -> list[str]:
    """After publishing: every locale is offered again only once released for this version
    (issue 16 line 2), so say which are ready and which need work first."""
    notes = []
    for locale, name in TARGET_LOCALES.items():
        status = queries.locale_status(instrument, locale)
        if not any(row.approved for row in status.rows):
            continue  # never translated: nothing to say
        if status.is_complete:
            note = _("%(name)s is complete for version %(version)s: release it under Translations "
                     "to offer it to respondents.")  # fmt: skip
        else:
            note = ngettext(
                "%(name)s needs %(count)d text translated again before it can be released for "
                "version %(version)s (see Translations).",
                "%(name)s needs %(count)d texts translated again before it can be released for "
                "version %(version)s (see Translations).",
                len(status.incomplete),
            )
        notes.append(
            note % {"name": name, "version": instrument.version, "count": len(status.incomplete)}
        )
    return notes


def publish_confirm(model_admin, request: HttpRequest, pk: int) -> HttpResponse:
    """What publishing would change, and a button that publishes; only a POST from this page
    publishes, and a second POST (a double click, a resend) makes no second version."""
    instrument = get_object_or_404(InstrumentVersion, pk=pk)
    if not request.user.has_perm("assessments.change_instrumentversion"):
        raise PermissionDenied
    changelist = reverse("admin:assessments_instrumentversion_changelist")
    if not instrument.is_draft:
        note = _("Version %(version)s is already %(status)s; nothing was published again.")
        status = instrument.get_status_display().lower()
        messages.info(request, note % {"version": instrument.version, "status": status})
        return HttpResponseRedirect(changelist)
    refused: list[str] = []
    if request.method == "POST":
        try:
            services.publish(instrument=instrument)
        except services.PublishError as error:
            refused = error.problems
            instrument.refresh_from_db()
            if not instrument.is_draft:  # published by the other of two simultaneous posts
                return HttpResponseRedirect(changelist)
        else:
            done = _(
                "Version %(version)s is now published. New profiles use it; existing reports "
                "keep the version they were answered with."
            )
            messages.success(request, done % {"version": instrument.version})
            for note in locale_notes(instrument):
                messages.info(request, note)
            return HttpResponseRedirect(changelist)
    diff = version_diff.preview(instrument)
    title = _("Publish version %(version)s?") % {"version": instrument.version}
    context = _context(model_admin, request, instrument, title=title, diff=diff, refused=refused)
    status = 409 if refused else 200
    return TemplateResponse(
        request, "admin/assessments/publish_confirm.html", context, status=status
    )
