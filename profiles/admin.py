"""Admin for individual people's records: hidden unless staff hold view_individual_data.

Staff who edit questions never see anyone's answers. Support staff with the permission see a
read-only profile record (dates, consent, instrument; no answers, no results), and every
list or detail view is written to AccessLog (ASSESSMENT.md §7.4).
"""

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from profiles.models import AccessLog, Profile

PERMISSION = "profiles.view_individual_data"


def may_see_individuals(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.has_perm(PERMISSION)


def log_access(request: HttpRequest, action: str, profile: Profile | None = None) -> None:
    AccessLog.objects.create(
        staff=request.user,
        staff_username=request.user.get_username(),
        action=action,
        profile_public_id=profile.public_id if profile else None,
    )


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Profile)
class ProfileAdmin(ReadOnlyAdmin):
    fields = [
        "public_id", "user", "instrument_version", "context_mode", "consent_notice_version",
        "consented_at", "research_opt_in", "created_at", "updated_at", "submitted_at",
    ]  # fmt: skip
    readonly_fields = fields
    list_display = ["public_id", "user", "instrument_version", "created_at", "submitted_at"]
    list_select_related = ["user", "instrument_version"]
    search_fields = ["=public_id", "=user__username"]
    actions = None

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_see_individuals(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_see_individuals(request)

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        if response.status_code == 200:
            log_access(request, AccessLog.Action.LIST)
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        profile = self.get_object(request, object_id)
        if response.status_code == 200 and profile is not None:
            log_access(request, AccessLog.Action.VIEW, profile)
        return response


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "staff_username", "action", "profile_public_id"]
    list_filter = ["action"]
    search_fields = ["=staff_username", "=profile_public_id"]
    actions = None

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser
