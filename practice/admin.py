"""Staff decide on practitioner requests: only with `practice.decide_practitioner`, every look
and every decision written to the staff access log (profiles.services.log_access)."""

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse

from practice import services
from practice.models import PractitionerProfile
from profiles.models import AccessLog
from profiles.services import log_access

PERMISSION = "practice.decide_practitioner"


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
