"""Admin for individual people's records: hidden unless staff hold view_individual_data.

Staff who edit questions never see anyone's answers. Support staff with the permission see a
read-only profile record (dates, consent, instrument; no answers, no results), accounts and
failed sign-in records; every list, detail and history view is written to AccessLog
(ASSESSMENT.md §7.4, profiles/staff_access.py).
"""

from axes.models import AccessAttempt, AccessFailureLog
from axes.models import AccessLog as SignInLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Model
from django.http import HttpRequest

from profiles.models import AccessLog, Profile
from profiles.staff_access import IndividualDataAdmin, may_see_individuals


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Profile)
class ProfileAdmin(IndividualDataAdmin, ReadOnlyAdmin):
    fields = [
        "public_id", "user", "instrument_version", "context_mode", "locale",
        "consent_notice_version", "consented_at", "research_opt_in", "created_at", "updated_at",
        "submitted_at",
    ]  # fmt: skip
    readonly_fields = fields
    list_display = [
        "public_id", "user", "instrument_version", "locale", "created_at", "submitted_at",
    ]  # fmt: skip
    list_filter = ["locale"]
    list_select_related = ["user", "instrument_version"]
    search_fields = ["=public_id", "=user__username"]
    actions = None

    def logged_subject(self, obj: Profile) -> dict:
        return {"profile": obj}

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_see_individuals(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_see_individuals(request)  # Django's view_profile alone shows nothing


class AccountAdmin(IndividualDataAdmin, UserAdmin):
    """Django's user admin; accounts are people's records, so it needs the permission too."""

    record = AccessLog.Record.ACCOUNT

    def logged_subject(self, obj) -> dict:
        return {"account": obj}

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = ""):
        response = super().user_change_password(request, id, form_url)
        self.log_shown(request, response, AccessLog.Action.VIEW, id)
        return response


def guard(model: type[Model], admin_class: type[admin.ModelAdmin]) -> None:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, admin_class)


guard(get_user_model(), AccountAdmin)
# django-axes registers its records (typed username, address, browser) when AXES_ENABLE_ADMIN.
for sign_in_model in (AccessAttempt, AccessFailureLog, SignInLog):
    if admin.site.is_registered(sign_in_model):
        axes_admin = type(admin.site.get_model_admin(sign_in_model))
        guarded = type(
            f"Guarded{axes_admin.__name__}",
            (IndividualDataAdmin, axes_admin),
            {"record": AccessLog.Record.SIGN_IN, "__module__": __name__},
        )
        guard(sign_in_model, guarded)


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "staff_username", "action", "record", "profile_public_id"]
    list_filter = ["action", "record"]
    search_fields = ["=staff_username", "=profile_public_id"]
    actions = None

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser


# The report copy editor replaces the copy version's admin registration (see its docstring).
from profiles import admin_copy  # noqa: E402, F401
