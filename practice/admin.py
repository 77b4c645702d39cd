"""Staff decide on practitioner requests (`practice.decide_practitioner`) and create organisations
and their admins (`practice.manage_organisations`); every look at an account and every decision
or appointment is written to the staff access log (profiles.services.log_access)."""

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse

from practice import organisations, services
from practice.models import Membership, Organisation, OrganisationAdmin, PractitionerProfile
from profiles.models import AccessLog
from profiles.services import log_access

PERMISSION = "practice.decide_practitioner"
ORGANISATION_PERMISSION = "practice.manage_organisations"


def may_decide(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.has_perm(PERMISSION)


@admin.register(PractitionerProfile)
class PractitionerProfileAdmin(admin.ModelAdmin):
    list_display = ["display_name", "profession", "organisation", "status", "requested_at"]
    list_filter = ["status"]
    readonly_fields = [
        "user",
        "display_name",
        "profession",
        "organisation",
        "member_of",
        "status",
        "requested_at",
        "decided_at",
        "decided_by",
    ]
    fields = readonly_fields
    actions = ["approve", "refuse", "withdraw"]
    view_on_site = False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_decide(request)

    @admin.display(description="member of (joined by invitation)")
    def member_of(self, obj: PractitionerProfile) -> str:
        """The organisation they joined, beside the free text they typed, which proves nothing."""
        membership = Membership.objects.filter(practitioner=obj).select_related("organisation")
        found = membership.first()
        return found.organisation.name if found else "—"

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_decide(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_decide(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200:
            log_access(request, AccessLog.Action.LIST, record=AccessLog.Record.ACCOUNT)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        obj = self.get_object(request, object_id)
        if response.status_code == 200 and obj is not None:
            log_access(
                request, AccessLog.Action.VIEW, record=AccessLog.Record.ACCOUNT, account=obj.user
            )
        return response

    def _decide(self, request: HttpRequest, queryset, status: str) -> None:
        for practitioner in queryset.select_related("user"):
            services.decide(practitioner=practitioner, status=status, staff=request.user)
            log_access(
                request,
                AccessLog.Action.VIEW,
                record=AccessLog.Record.ACCOUNT,
                account=practitioner.user,
            )
        self.message_user(request, f"{queryset.count()} updated.", messages.SUCCESS)

    @admin.action(description="Approve practitioner status", permissions=["change"])
    def approve(self, request, queryset) -> None:
        self._decide(request, queryset, PractitionerProfile.Status.APPROVED)

    @admin.action(description="Refuse practitioner status", permissions=["change"])
    def refuse(self, request, queryset) -> None:
        self._decide(request, queryset, PractitionerProfile.Status.REFUSED)

    @admin.action(description="Withdraw practitioner status", permissions=["change"])
    def withdraw(self, request, queryset) -> None:
        self._decide(request, queryset, PractitionerProfile.Status.WITHDRAWN)


def may_manage_organisations(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.has_perm(ORGANISATION_PERMISSION)


class OrganisationAdminInline(admin.TabularInline):
    """An organisation's admins: staff name the first one here (an account manages one)."""

    model = OrganisationAdmin
    fields = ["user", "added_at", "added_by"]
    readonly_fields = ["added_at", "added_by"]
    raw_id_fields = ["user"]
    extra = 1

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_manage_organisations(request)

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_manage_organisations(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # an appointment is made or removed, never moved to another account

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_manage_organisations(request)


@admin.register(Organisation)
class OrganisationModelAdmin(admin.ModelAdmin):
    """Organisations and their admins. Branding is the organisation admin's own (in the
    organisation area, where the accent colour is checked), so it is read-only here."""

    list_display = ["name", "display_name", "created_at"]
    fields = ["name", "display_name", "accent", "created_at"]
    readonly_fields = ["display_name", "accent", "created_at"]
    inlines = [OrganisationAdminInline]
    view_on_site = False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_manage_organisations(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_manage_organisations(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return may_manage_organisations(request)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_manage_organisations(request)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def save_formset(self, request: HttpRequest, form, formset, change) -> None:
        """Each new admin is made by the service and logged, like a practitioner decision."""
        for appointment in formset.save(commit=False):
            made = organisations.add_admin(
                organisation=form.instance, user=appointment.user, added_by=request.user
            )
            log_access(
                request, AccessLog.Action.VIEW, record=AccessLog.Record.ACCOUNT, account=made.user
            )
        for removed in formset.deleted_objects:
            log_access(
                request,
                AccessLog.Action.VIEW,
                record=AccessLog.Record.ACCOUNT,
                account=removed.user,
            )
            removed.delete()
