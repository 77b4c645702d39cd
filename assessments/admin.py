"""Admin for instrument versions and their items: drafts are editable, published ones are not."""

import json

from csp.constants import SELF
from csp.decorators import csp_replace
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin

from assessments import admin_statements, admin_translations, checks, queries, services
from assessments.forms import ItemVersionForm
from assessments.models import (
    PAGE_INSTRUCTION,
    RESPONSE_SCALE,
    InstrumentVersion,
    ItemVersion,
    ReportCopyVersion,
    SupportResource,
)
from assessments.scoring.spec import MODES

PREVIEW_WIDTHS = {"full": "Full width", "phone": "Phone width (360 px)"}


def preview_frame_only(view):
    """A page shown in a frame of this site's own admin pages, and nowhere else."""
    return csp_replace({"frame-ancestors": [SELF]})(xframe_options_sameorigin(view))


READ_ONLY_NOTE = (
    "This version is {status}, so it is read-only: profiles were scored with these exact "
    "statements, and changing them would change what those answers meant. To change a "
    "statement, go back to the list of versions, tick this one and choose “New draft from "
    "this version”; edit the draft, then publish it."
)


class CopyOnWriteAdmin(admin.ModelAdmin):
    """Actions shared by versioned content: copy a version into a new draft, publish a draft.

    Subclasses say how to copy (`copy_draft`) and publish (`publish_draft`, which raises
    `services.PublishError` with reasons and returns notes for the editor).
    """

    noun = "Version"
    published_note = ""

    @admin.action(description="New draft from this version (copy-on-write)")
    def make_draft(self, request: HttpRequest, queryset) -> None:
        if queryset.count() != 1:
            self.message_user(request, "Choose exactly one version to copy.", messages.ERROR)
            return
        source = queryset.get()
        draft = self.copy_draft(source)
        opts = self.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[draft.pk])
        message = 'Draft {} created from {}. <a href="{}">Edit it</a>.'
        self.message_user(request, format_html(message, draft.version, source.version, url))

    def publish_selected(self, request: HttpRequest, queryset) -> None:
        if queryset.count() != 1:
            self.message_user(request, "Choose exactly one draft to publish.", messages.ERROR)
            return
        draft = queryset.get()
        try:
            notes = self.publish_draft(draft)
        except services.PublishError as refused:
            reasons = " ".join(refused.problems)
            message = f"{self.noun} {draft.version} was not published: {reasons}"
            self.message_user(request, message, messages.ERROR)
            return
        for note in notes:
            self.message_user(request, note, messages.WARNING)
        message = f"{self.noun} {draft.version} is now published.{self.published_note}"
        self.message_user(request, message)

    def copy_draft(self, source):
        raise NotImplementedError

    def publish_draft(self, draft) -> list[str]:
        raise NotImplementedError


@admin.register(InstrumentVersion)
class InstrumentVersionAdmin(CopyOnWriteAdmin):
    list_display = [
        "version", "title", "status", "item_count", "attempt_count", "profile_count",
        "published_at",
    ]  # fmt: skip
    list_filter = ["status"]
    search_fields = ["version", "title", "notes"]
    readonly_fields = ["status", "based_on", "created_at", "published_at", "retired_at", "order"]
    actions = ["make_draft", "publish_version"]

    def get_queryset(self, request: HttpRequest):
        return queries.versions_with_usage()

    @admin.display(ordering="item_count", description="items")
    def item_count(self, obj: InstrumentVersion) -> int:
        return obj.item_count

    @admin.display(ordering="attempt_count", description="attempts")
    def attempt_count(self, obj: InstrumentVersion) -> int:
        return obj.attempt_count

    @admin.display(ordering="profile_count", description="scored profiles")
    def profile_count(self, obj: InstrumentVersion) -> int:
        return obj.profile_count

    @admin.display(description="statements")
    def order(self, obj: InstrumentVersion) -> str:
        if obj.pk is None:
            return "—"
        listing = reverse("admin:assessments_instrumentversion_statements", args=[obj.pk])
        locales = reverse("admin:assessments_instrumentversion_locales", args=[obj.pk])
        if not obj.is_draft:
            return format_html(
                '<a href="{}">{}</a> · <a href="{}">{}</a>',
                listing,
                _("See the statements"),
                locales,
                _("Translations"),
            )
        url = reverse("admin:assessments_instrumentversion_order", args=[obj.pk])
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">Change the order of statements</a> · '
            '<a href="{}">{}</a>',
            listing,
            _("Edit the statements one at a time"),
            url,
            locales,
            _("Translations"),
        )

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fields = ["version", "title", "notes", "status", "based_on", "order", "created_at",
                  "published_at", "retired_at"]  # fmt: skip
        if obj is not None and not obj.is_draft:
            note = READ_ONLY_NOTE.format(status=obj.get_status_display().lower())
            return [(None, {"fields": fields, "description": note})]
        return [(None, {"fields": fields})]

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return (obj is None or obj.is_draft) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return (obj is None or obj.is_draft) and super().has_delete_permission(request, obj)

    def get_urls(self):
        """The preview and the order of statements; `analysis.admin` adds the statistics and
        the export under the same prefix."""
        extra = [
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="assessments_instrumentversion_preview",
            ),
            path(
                "<int:pk>/preview/frame/",
                self.admin_site.admin_view(preview_frame_only(self.preview_frame_view)),
                name="assessments_instrumentversion_preview_frame",
            ),
            path(
                "<int:pk>/order/",
                self.admin_site.admin_view(self.order_view),
                name="assessments_instrumentversion_order",
            ),
        ]
        return (
            extra
            + admin_statements.statement_urls(self)
            + admin_translations.translation_urls(self)
            + super().get_urls()
        )

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The version as a respondent sees it, page by page, in a context mode; needs view
        permission on the version and stores nothing. At phone width (`?width=phone`) the
        respondent's own layout is shown in a 360 px frame (`preview_frame_view`)."""
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])  # a preview never stores answers
        instrument, mode = self._previewed(request, pk)
        width = request.GET.get("width", "full")
        width = width if width in PREVIEW_WIDTHS else "full"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Preview of version {instrument.version} as a respondent",
            "instrument": instrument,
            "mode": mode,
            "modes": MODES,
            "pages": queries.preview_pages(instrument.pk, mode) if width == "full" else [],
            "scale": RESPONSE_SCALE,
            "instruction": PAGE_INSTRUCTION,
            "width": width,
            "widths": PREVIEW_WIDTHS,
        }
        return TemplateResponse(request, "admin/assessments/preview.html", context)

    def preview_frame_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """The preview in the respondent's layout and stylesheet (no admin around it), for the
        phone-width frame; framed only by this site's own pages."""
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        instrument, mode = self._previewed(request, pk)
        context = {
            "instrument": instrument,
            "mode": mode,
            "pages": queries.preview_pages(instrument.pk, mode),
            "scale": RESPONSE_SCALE,
            "instruction": PAGE_INSTRUCTION,
        }
        return TemplateResponse(request, "admin/assessments/preview_frame.html", context)

    def _previewed(self, request: HttpRequest, pk: int) -> tuple[InstrumentVersion, str]:
        instrument = get_object_or_404(InstrumentVersion, pk=pk)
        if not self.has_view_permission(request, instrument):
            raise PermissionDenied
        mode = request.GET.get("mode", "both")
        return instrument, mode if mode in MODES else "both"

    def order_view(self, request: HttpRequest, pk: int):
        instrument = get_object_or_404(InstrumentVersion, pk=pk)
        if not self.has_change_permission(request, instrument):
            messages.error(request, _("Only a draft can be reordered."))
            return HttpResponseRedirect(reverse("admin:assessments_instrumentversion_changelist"))
        if request.method == "POST":
            item = get_object_or_404(
                ItemVersion, pk=request.POST.get("item"), instrument_version=pk
            )
            offset = -1 if request.POST.get("direction") == "up" else 1
            services.move_item(item=item, offset=offset)
            return HttpResponseRedirect(f"{request.path}#item-{item.pk}")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "instrument": instrument,
            "items": queries.items_in_order(pk),
            "title": f"Order of statements in draft {instrument.version}",
        }
        return TemplateResponse(request, "admin/assessments/instrument_order.html", context)

    @admin.action(description="Publish (after checking the blueprint)")
    def publish_version(self, request: HttpRequest, queryset):
        """Leads to the confirmation page with the diff; only its POST publishes."""
        if queryset.count() != 1:
            self.message_user(request, "Choose exactly one draft to publish.", messages.ERROR)
            return None
        url = reverse("admin:assessments_instrumentversion_publish", args=[queryset.get().pk])
        return HttpResponseRedirect(url)

    def copy_draft(self, source: InstrumentVersion) -> InstrumentVersion:
        return services.create_draft_from(
            source=source, version=services.next_draft_version(source)
        )


@admin.register(ItemVersion)
class ItemVersionAdmin(admin.ModelAdmin):
    form = ItemVersionForm
    list_display = [
        "code", "text", "instrument_version", "kind", "dimension", "facet", "context", "reverse",
        "page", "position", "change",
    ]  # fmt: skip
    list_filter = [
        "instrument_version",
        "kind",
        "dimension",
        "facet",
        "context",
        "reverse",
        "change",
    ]
    search_fields = ["code", "text"]
    list_select_related = ["instrument_version"]
    readonly_fields = ["instrument_version", "position", "derived_from"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # items are added inside a draft instrument version

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is not None and not obj.instrument_version.is_draft:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        if obj is not None and not obj.instrument_version.is_draft:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(SupportResource)
class SupportResourceAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "region",
        "phone",
        "url",
        "order",
        "is_emergency",
        "is_worldwide",
        "is_active",
    ]
    list_editable = ["order", "is_emergency", "is_active"]
    list_filter = ["region", "is_emergency", "is_worldwide", "is_active"]
    search_fields = ["name", "description", "region"]


COPY_READ_ONLY_NOTE = (
    "This report copy is {status}, so it is read-only: every saved profile names the copy "
    "version its report renders with, and changing these texts would change reports people "
    "have already read. To change a text, go back to the list of copy versions, tick this one "
    "and choose “New draft from this version”; edit the draft, then publish it."
)
COPY_DRAFT_NOTE = (
    "Edit the texts as JSON, keeping every key of copy-2. A few texts take placeholders, a "
    "plain name in braces that the report fills in: not_scored takes {dimension}, {answered}, "
    "{needed} and {total}; asi_note and the meaning of each pattern take {dimension}; texts "
    "under report, card, chart, comparison and changes keep the names copy-2 gives them, "
    "such as {date} or {score}. Saving "
    "checks that every required text is present and not empty, and that placeholders are "
    "plain names the text is given (no formats such as {answered:d}); write {{ or }} for a "
    "plain brace."
)


class ReportCopyVersionForm(forms.ModelForm):
    """Edits a draft's texts as JSON, refusing a set that lacks any text the report needs."""

    class Meta:
        model = ReportCopyVersion
        fields = ["version", "texts"]
        widgets = {"texts": forms.Textarea(attrs={"rows": 40, "cols": 100})}

    def clean_texts(self) -> dict:
        texts = self.cleaned_data["texts"]
        problems = checks.copy_problems(texts)
        if problems:
            raise forms.ValidationError(problems)
        return texts


@admin.register(ReportCopyVersion)
class ReportCopyVersionAdmin(CopyOnWriteAdmin):
    form = ReportCopyVersionForm
    noun = "Report copy"
    published_note = " New profiles use it; existing reports keep the copy they were written with."
    list_display = ["version", "status", "based_on", "created_at", "published_at"]
    list_filter = ["status"]
    search_fields = ["version"]
    readonly_fields = ["status", "based_on", "created_at", "published_at", "texts_as_json"]
    actions = ["make_draft", "publish_copy"]

    @admin.display(description="texts")
    def texts_as_json(self, obj: ReportCopyVersion) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.texts, indent=2, ensure_ascii=False))

    def get_fieldsets(self, request: HttpRequest, obj=None):
        meta = ["status", "based_on", "created_at", "published_at"]
        if obj is not None and obj.status != ReportCopyVersion.Status.DRAFT:
            note = COPY_READ_ONLY_NOTE.format(status=obj.get_status_display().lower())
            return [(None, {"fields": ["version", *meta, "texts_as_json"], "description": note})]
        return [(None, {"fields": ["version", *meta, "texts"], "description": COPY_DRAFT_NOTE})]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # drafts are made from an existing version, so no text is ever missing

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        is_draft = obj is None or obj.status == ReportCopyVersion.Status.DRAFT
        return is_draft and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        is_draft = obj is None or obj.status == ReportCopyVersion.Status.DRAFT
        return is_draft and super().has_delete_permission(request, obj)

    @admin.action(description="Publish (retires the copy published now)")
    def publish_copy(self, request: HttpRequest, queryset) -> None:
        self.publish_selected(request, queryset)

    def copy_draft(self, source: ReportCopyVersion) -> ReportCopyVersion:
        return services.create_copy_draft_from(
            source=source, version=services.next_copy_version(source)
        )

    def publish_draft(self, draft: ReportCopyVersion) -> list[str]:
        services.publish_copy(report_copy=draft)
        return []
