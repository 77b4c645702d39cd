"""Staff access to individual people's records: who may look, and the log of every look.

A record about one person — a profile, an account, a failed sign-in record with the typed name
and the address — is shown in the admin only to active staff holding
`profiles.view_individual_data` (superusers hold every permission), on top of Django's own
model permissions; every list, detail, delete-confirmation and history page that shows one is
written to AccessLog (ASSESSMENT.md §7.4) by `profiles.services.log_access`. Without the
permission such pages answer 403 and the app is missing from the admin index.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import HttpRequest, HttpResponse

from profiles.models import AccessLog
from profiles.services import log_access

PERMISSION = "profiles.view_individual_data"


def may_see_individuals(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.has_perm(PERMISSION)


class IndividualDataAdmin(admin.ModelAdmin):
    """Admin of records about individual people: only with the permission, and every look is
    logged. `record` names the kind of record; `logged_subject` says which person it is about.

    "View on site" is off: a person's own pages are never for staff, and the site's guarded
    redirect (relcap/admin_site.py) refuses models whose admin does not offer it.
    """

    record = AccessLog.Record.PROFILE
    view_on_site = False

    def logged_subject(self, obj) -> dict:
        return {}

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_see_individuals(request) and super().has_module_permission(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_see_individuals(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, *args) -> bool:
        return may_see_individuals(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_see_individuals(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_see_individuals(request) and super().has_delete_permission(request, obj)

    def log_shown(self, request: HttpRequest, response: HttpResponse, action: str, object_id=None):
        if response.status_code != 200:
            return
        subject = {}
        if object_id is not None:
            obj = self.get_object(request, unquote(object_id))
            if obj is None:
                return
            subject = self.logged_subject(obj)
        log_access(request, action, record=self.record, **subject)

    def changelist_view(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        self.log_shown(request, response, AccessLog.Action.LIST)
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        self.log_shown(request, response, AccessLog.Action.VIEW, object_id)
        return response

    def delete_view(self, request: HttpRequest, object_id: str, extra_context=None):
        response = super().delete_view(request, object_id, extra_context)
        self.log_shown(request, response, AccessLog.Action.VIEW, object_id)
        return response

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        self.log_shown(request, response, AccessLog.Action.HISTORY, object_id)
        return response
