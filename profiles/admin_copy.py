"""The report copy editor in the admin (issue 19 lines 3-4): one field per text with where it
appears and its placeholders, a live preview against scored sample profiles, a publish
confirmation with the diff, and the report of a chosen sample as a person sees it.

`assessments` sits below `profiles` and cannot render a report, so the copy version's admin is
extended here (as analysis.admin extends the instrument version's): the subclass below
replaces the registration made in assessments.admin. Views only: texts are walked by
assessments.copy_edit, written by assessments.services, samples scored by profiles.copy_samples
and rendered by profiles.copy_preview. View permission to see and preview; change permission,
which only a draft allows, to save or publish.
"""

import hashlib
from dataclasses import dataclass, field

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from assessments import admin as assessments_admin
from assessments import admin_copy_translations, checks, copy_edit, services
from assessments import queries as instrument_queries
from assessments.copy_edit import Text, TextPath
from assessments.models import ReadOnlyError, ReportCopyVersion
from profiles import copy_preview, copy_previews, copy_samples

DRAFT_NOTE = (
    "Edit this draft's texts one at a time on its texts page (the link below): each text shows "
    "where it appears, the placeholders it takes and a preview on sample reports. Publishing "
    "shows every changed text against the copy published now before anything changes."
)
NAME = "assessments_reportcopyversion"
WIDTHS = assessments_admin.PREVIEW_WIDTHS
PLAIN = "text/plain; charset=utf-8"  # refusals name keys of a copy: never read as HTML
OWN_NAME = ("version",)  # the copy's own name, set when the draft is made; not edited here


class CopyVersionForm(forms.ModelForm):
    """A draft's name only; its texts are edited on the texts page."""

    class Meta:
        model = ReportCopyVersion
        fields = ["version"]


class ReportCopyVersionAdmin(assessments_admin.ReportCopyVersionAdmin):
    form = CopyVersionForm
    readonly_fields = [*assessments_admin.ReportCopyVersionAdmin.readonly_fields, "pages"]

    @admin.display(description="texts")
    def pages(self, obj: ReportCopyVersion) -> str:
        if obj.pk is None:
            return "—"
        texts = reverse(f"admin:{NAME}_texts", args=[obj.pk])
        report = reverse(f"admin:{NAME}_report_preview", args=[obj.pk])
        locales = reverse(f"admin:{NAME}_locales", args=[obj.pk])
        label = (
            _("Edit the texts one at a time") if obj.is_draft else _("See the texts one at a time")
        )
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
            texts,
            label,
            report,
            _("Preview a sample report with this copy"),
            locales,
            _("Translations"),
        )

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        """A draft's new name goes into its texts too (only a draft reaches here)."""
        if not change:
            super().save_model(request, obj, form, change)
            return
        services.rename_copy_draft(report_copy=obj, version=form.cleaned_data["version"])

    def get_fieldsets(self, request: HttpRequest, obj=None):
        meta = ["status", "based_on", "created_at", "published_at", "pages"]
        if obj is not None and not obj.is_draft:
            note = assessments_admin.COPY_READ_ONLY_NOTE.format(
                status=obj.get_status_display().lower()
            )
            return [(None, {"fields": ["version", *meta, "texts_as_json"], "description": note})]
        return [(None, {"fields": ["version", *meta], "description": DRAFT_NOTE})]

    def get_urls(self):
        wrap = self.admin_site.admin_view

        def bind(view, methods=("GET", "HEAD"), frame=False):
            @require_http_methods(list(methods))
            def bound(request, *args, **kwargs):
                return view(self, request, *args, **kwargs)

            return wrap(assessments_admin.preview_frame_only(bound) if frame else bound)

        writes = ("GET", "HEAD", "POST")
        return [
            path("<int:pk>/texts/", bind(texts_page, writes), name=f"{NAME}_texts"),
            path("<int:pk>/texts/preview/", bind(text_preview), name=f"{NAME}_text_preview"),
            path("<int:pk>/publish/", bind(publish_confirm, writes), name=f"{NAME}_publish"),
            path("<int:pk>/report/", bind(report_preview), name=f"{NAME}_report_preview"),
            path(
                "<int:pk>/report/frame/",
                bind(report_frame, frame=True),
                name=f"{NAME}_report_frame",
            ),
        ] + super().get_urls()

    @admin.action(description="Publish (shows every changed text first)")
    def publish_copy(self, request: HttpRequest, queryset):
        """Leads to the confirmation page with the diff; only its POST publishes."""
        if queryset.count() != 1:
            self.message_user(request, "Choose exactly one draft to publish.", messages.ERROR)
            return None
        return HttpResponseRedirect(reverse(f"admin:{NAME}_publish", args=[queryset.get().pk]))


# ----------------------------------------------------------------------------- helpers
def _copy_for_viewing(model_admin, request: HttpRequest, pk: int) -> ReportCopyVersion:
    report_copy = get_object_or_404(ReportCopyVersion, pk=pk)
    if not model_admin.has_view_permission(request, report_copy):
        raise PermissionDenied
    return report_copy


def _context(model_admin, request: HttpRequest, report_copy: ReportCopyVersion, **extra) -> dict:
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "report_copy": report_copy,
        "editable": model_admin.has_change_permission(request, report_copy),
        **extra,
    }


def _instrument_id() -> int:
    return instrument_queries.published_instrument().pk


def _samples() -> tuple[copy_samples.Sample, ...]:
    return copy_samples.samples(_instrument_id())


def field_id(text_path: TextPath) -> str:
    return "text-" + hashlib.sha1(copy_edit.field_name(text_path).encode()).hexdigest()[:12]


@dataclass
class Field:
    """One text on the page: the text, what the form shows in it, its errors and preview."""

    text: Text
    value: str
    changed: bool = False
    errors: list[str] = field(default_factory=list)
    shown_on: list[str] = field(default_factory=list)
    preview: str = ""
    page: str = ""  # the page a registered renderer shows it on (profiles.copy_previews)

    @property
    def id(self) -> str:
        return field_id(self.text.path)

    @property
    def rows(self) -> int:
        return min(12, max(2, len(self.value) // 90 + 1 + self.value.count("\n")))


def _posted_texts(request: HttpRequest, stored: dict[TextPath, str]) -> dict[TextPath, str]:
    """The texts of the POST that differ from the draft (line ends as the browser sends
    them are made plain). A field naming no text of the draft (or its own name) is refused
    with a 400."""
    posted = {}
    for name in request.POST:
        text_path = copy_edit.path_of(name)
        if text_path is None:
            continue
        if text_path not in stored:
            raise ValueError(f"“{copy_edit.dotted(text_path)}” is not a text of this copy.")
        value = request.POST[name].replace("\r\n", "\n")
        if value != stored[text_path]:
            posted[text_path] = value
    return posted


# ----------------------------------------------------------------------------- the texts page
def texts_page(model_admin, request: HttpRequest, pk: int) -> HttpResponse:
    """Every text of a copy, filtered by group and searched by key or wording, each with where
    it appears and its placeholders. POST saves the texts that changed (all or none: every one
    is checked first, problems are shown next to their fields and nothing is written), or
    with "Preview" shows one field's preview without saving (the page without JavaScript)."""
    report_copy = _copy_for_viewing(model_admin, request, pk)
    editable = model_admin.has_change_permission(request, report_copy)
    if request.method == "POST" and not editable:
        raise PermissionDenied  # a published or retired copy is read-only
    all_texts = [t for t in copy_edit.texts_of(report_copy.texts) if t.path != OWN_NAME]
    stored = {t.path: t.value for t in all_texts}
    groups = [g for g in copy_edit.groups(report_copy.texts) if (g,) != OWN_NAME]
    group = request.GET.get("group", "")
    group = group if group in groups else ""
    query = request.GET.get("q", "").strip()
    sample_key = request.GET.get("sample", "")
    changes: dict[TextPath, str] = {}
    problems: dict[TextPath, list[str]] = {}
    preview_path: TextPath | None = None
    status = 200
    if request.method == "POST":
        try:
            changes = _posted_texts(request, stored)
        except ValueError as refused:
            return HttpResponseBadRequest(str(refused), content_type=PLAIN)
        previewing = "_preview" in request.POST
        preview_path = copy_edit.path_of(request.POST.get("_preview", ""))
        problems = {
            p: found for p, v in changes.items() if (found := copy_edit.text_problems(p, v))
        }
        if not previewing and not problems:
            try:
                services.save_copy_texts(report_copy=report_copy, changes=changes)
            except services.CopyEditError as error:
                problems = error.problems
            except ReadOnlyError:  # published by someone else since the page was loaded
                messages.error(
                    request,
                    _(
                        "Report copy %(version)s is no longer a draft, so nothing was saved. "
                        "Make a new draft from it to change a text."
                    )
                    % {"version": report_copy.version},
                )
                return HttpResponseRedirect(request.get_full_path())
            else:
                if changes:
                    names = ", ".join(copy_edit.dotted(p) for p in changes)
                    model_admin.log_change(request, report_copy, f"Changed texts: {names}.")
                count = len(changes)
                messages.success(
                    request,
                    ngettext(
                        "Saved %(count)d changed text.", "Saved %(count)d changed texts.", count
                    )
                    % {"count": count}
                    if count
                    else _("Nothing had changed, so nothing was saved."),
                )
                return HttpResponseRedirect(request.get_full_path())
        status = 400 if problems else 200
    shown = copy_preview.cached_appearances(_instrument_id(), _samples(), report_copy.texts)
    rows = []
    for text in all_texts:
        if group and text.group != group:
            continue
        if query and query.lower() not in f"{text.dotted} {text.value}".lower():
            continue
        value = changes.get(text.path, text.value)
        row = Field(text, value, text.path in changes, problems.get(text.path, []))
        row.shown_on = shown.get(text.path, [])
        entry = copy_previews.entry_for(text.path)
        row.page = entry.label if entry else ""
        rows.append(row)
    # Fields the POST changed stay on the page, filtered out or not, so no typed text is lost.
    listed = {row.text.path for row in rows}
    for text_path, value in changes.items():
        if text_path not in listed:
            text = Text(text_path, stored[text_path])
            rows.append(Field(text, value, True, problems.get(text_path, [])))
    for row in rows:
        if row.text.path == preview_path:
            row.preview = _preview_html(report_copy, changes, row, sample_key)
    samples = _samples()
    context = _context(
        model_admin,
        request,
        report_copy,
        title=f"Texts of report copy {report_copy.version}",
        rows=rows,
        total=len(all_texts),
        groups=groups,
        group=group,
        query=query,
        samples=samples,
        sample_key=sample_key,
        sample_labels={s.key: s.label for s in samples},
        problems=problems,
        preview_url=reverse(f"admin:{NAME}_text_preview", args=[pk]),
    )
    return TemplateResponse(request, "admin/profiles/copy_texts.html", context, status=status)


def _preview_html(report_copy, changes: dict, row: Field, sample_key: str) -> str:
    sample = _pick_sample(sample_key, row.shown_on)
    texts = copy_edit.with_changes(report_copy.texts, changes)
    return copy_preview.preview(sample, texts, row.text.path, row.value).html


def _pick_sample(key: str, shown_on: list[str]) -> copy_samples.Sample:
    """The chosen sample, else the first one whose report shows the text, else the first."""
    samples = {s.key: s for s in _samples()}
    if key in samples:
        return samples[key]
    return samples[shown_on[0]] if shown_on else next(iter(samples.values()))


def text_preview(model_admin, request: HttpRequest, pk: int) -> HttpResponse:
    """One text rendered against a sample, as JSON for the texts page's script: the report
    section with the text marked (or the text with example values when the sample's report
    does not show it) and the problems saving would report. Stores nothing."""
    report_copy = _copy_for_viewing(model_admin, request, pk)
    text_path = copy_edit.path_of(request.GET.get("field", ""))
    if text_path is None or copy_edit.text_at(report_copy.texts, text_path) is None:
        return JsonResponse({"error": "No such text in this copy."}, status=400)
    text = request.GET.get("text", "")[:5000].replace("\r\n", "\n")
    shown = copy_preview.cached_appearances(_instrument_id(), _samples(), report_copy.texts)
    sample = _pick_sample(request.GET.get("sample", ""), shown.get(text_path, []))
    result = copy_preview.preview(sample, report_copy.texts, text_path, text)
    return JsonResponse(
        {
            "html": result.html,
            "on_report": result.on_report,
            "page": result.page,
            "sample": sample.key,
            "sample_label": sample.label,
            "problems": copy_edit.text_problems(text_path, text),
        }
    )


# ----------------------------------------------------------------------------- publish
def publish_confirm(model_admin, request: HttpRequest, pk: int) -> HttpResponse:
    """Every text the draft changes, adds or removes against the copy published now (what it
    replaces), what publishing does, and the button; only a POST from here publishes, through
    services.publish_copy and its checks. A second POST publishes nothing again."""
    report_copy = get_object_or_404(ReportCopyVersion, pk=pk)
    if not request.user.has_perm("assessments.change_reportcopyversion"):
        raise PermissionDenied
    changelist = reverse(f"admin:{NAME}_changelist")
    if not report_copy.is_draft:
        status = report_copy.get_status_display().lower()
        messages.info(
            request,
            _("Report copy %(version)s is already %(status)s; nothing was published.")
            % {"version": report_copy.version, "status": status},
        )
        return HttpResponseRedirect(changelist)
    refused: list[str] = []
    if request.method == "POST":
        try:
            services.publish_copy(report_copy=report_copy)
        except services.PublishError as error:
            refused = error.problems
            report_copy.refresh_from_db()
            if not report_copy.is_draft:  # published by the other of two simultaneous posts
                return HttpResponseRedirect(changelist)
        else:
            messages.success(
                request,
                _(
                    "Report copy %(version)s is now published. New profiles use it; "
                    "existing reports keep the copy they were written with."
                )
                % {"version": report_copy.version},
            )
            for note in admin_copy_translations.copy_locale_notes(report_copy):
                messages.info(request, note)
            return HttpResponseRedirect(changelist)
    live = instrument_queries.live_copy()
    against = live or report_copy.based_on
    diff = copy_edit.diff(against.texts if against else {}, report_copy.texts)
    problems = refused or checks.copy_problems(report_copy.texts)
    context = _context(
        model_admin,
        request,
        report_copy,
        title=f"Publish report copy {report_copy.version}?",
        live=live,
        against=against,
        diff=diff,
        problems=problems,
        refused=bool(refused),
    )
    return TemplateResponse(
        request, "admin/profiles/copy_publish.html", context, status=409 if refused else 200
    )


# ----------------------------------------------------------------------------- report preview
def _chosen(request: HttpRequest, report_copy: ReportCopyVersion):
    """The sample and copy version the query string asks for (defaults: the first sample,
    this copy), or None for either that does not exist."""
    samples = _samples()
    key = request.GET.get("sample") or samples[0].key
    sample = next((s for s in samples if s.key == key), None)
    version = request.GET.get("copy") or report_copy.version
    chosen = (
        report_copy if version == report_copy.version else instrument_queries.copy_version(version)
    )
    return samples, sample, chosen


def report_preview(model_admin, request: HttpRequest, pk: int) -> HttpResponse:
    """A sample profile's report, with this copy or a chosen version, exactly as a person sees
    it (the page in a frame), at full or phone width."""
    report_copy = _copy_for_viewing(model_admin, request, pk)
    samples, sample, chosen = _chosen(request, report_copy)
    if sample is None or chosen is None:
        return HttpResponseBadRequest("No such sample profile or copy version.", content_type=PLAIN)
    width = request.GET.get("width", "full")
    width = width if width in WIDTHS else "full"
    query = {"sample": sample.key, "copy": chosen.version}
    context = _context(
        model_admin,
        request,
        report_copy,
        title=f"Sample report with report copy {chosen.version}",
        samples=samples,
        sample=sample,
        chosen=chosen,
        versions=instrument_queries.copy_version_names(),
        width=width,
        widths=WIDTHS,
        query=query,
        frame_url=reverse(f"admin:{NAME}_report_frame", args=[pk]),
    )
    return TemplateResponse(request, "admin/profiles/copy_report_preview.html", context)


def report_frame(model_admin, request: HttpRequest, pk: int) -> HttpResponse:
    """The report page itself for a sample (the person's layout and stylesheet, no admin), shown
    in the frame of the report preview; framed only by this site's own pages."""
    report_copy = _copy_for_viewing(model_admin, request, pk)
    _, sample, chosen = _chosen(request, report_copy)
    if sample is None or chosen is None:
        return HttpResponseBadRequest("No such sample profile or copy version.", content_type=PLAIN)
    try:
        body = copy_preview.render_body(sample, chosen.texts)
    except copy_preview.CannotRender:
        problems = "; ".join(checks.copy_problems(chosen.texts))
        return HttpResponseBadRequest(
            f"Report copy {chosen.version} cannot render a report yet: {problems}",
            content_type=PLAIN,
        )
    return TemplateResponse(
        request, "admin/profiles/report_frame.html", {"body": body, "sample": sample}
    )


admin.site.unregister(ReportCopyVersion)
admin.site.register(ReportCopyVersion, ReportCopyVersionAdmin)
