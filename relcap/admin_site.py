"""relcap's admin site: password checks with per-account delays, and a guarded "view on site".

Django's "view on site" redirect (/admin/r/<content type>/<pk>/) asks only that the user is
staff, so any staff member could turn a profile's pk into the public id that names its report.
Here it also needs a registered model admin that offers "view on site" (admins of people's
records do not: profiles/staff_access.py) and its view permission on that object; anything
else answers 404.
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.views import PasswordChangeView
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path, reverse

from relcap.accounts.forms import (
    DelayedAdminAuthenticationForm,
    DelayedAdminPasswordChangeForm,
    is_paused,
)
from relcap.accounts.views import PausedStatusMixin


class AdminPasswordChangeView(PausedStatusMixin, PasswordChangeView):
    form_class = DelayedAdminPasswordChangeForm


class RelcapAdminSite(admin.AdminSite):
    login_form = DelayedAdminAuthenticationForm

    def login(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        response = super().login(request, extra_context)
        form = (getattr(response, "context_data", None) or {}).get("form")
        if form is not None and is_paused(form):
            response.status_code = 429
        return response

    def password_change(self, request: HttpRequest, extra_context=None) -> HttpResponse:
        request.current_app = self.name
        view = AdminPasswordChangeView.as_view(
            success_url=reverse("admin:password_change_done", current_app=self.name),
            extra_context={**self.each_context(request), **(extra_context or {})},
        )
        return view(request)

    def get_urls(self) -> list[URLPattern | URLResolver]:
        guarded = path(
            "r/<path:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        urls = super().get_urls()
        return [guarded if getattr(u, "name", None) == "view_on_site" else u for u in urls]

    def view_on_site(
        self, request: HttpRequest, content_type_id: str, object_id: str
    ) -> HttpResponse:
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ValueError, ContentType.DoesNotExist):
            raise Http404 from None
        model_admin = self._registry.get(model)
        if model_admin is None or not model_admin.view_on_site:
            raise Http404
        obj = model_admin.get_object(request, unquote(object_id))
        if obj is None or not model_admin.has_view_permission(request, obj):
            raise Http404
        return shortcut(request, content_type_id, object_id)
