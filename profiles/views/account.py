"""The account page and people's data rights: export, delete a profile, delete everything."""

import json
from uuid import UUID

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from profiles import privacy, queries
from relcap.accounts import delays
from relcap.accounts.forms import ConfirmPasswordForm, is_paused

# Apps above profiles add a section to the account page here (a template name, in their
# AppConfig.ready), so that this app's templates name no URL of an app that imports it.
ACCOUNT_SECTIONS: list[str] = []


@login_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    profiles = queries.account_profiles(request.user)
    context = {"profiles": profiles, "sections": ACCOUNT_SECTIONS}
    return render(request, "profiles/account.html", context)


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    data = privacy.export_user_data(user=request.user)
    filename = f"relcap-export-{timezone.now():%Y-%m-%d}.json"
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
def delete_profile(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Open to whoever owns the profile, signed in or through the resume link's session."""
    profile = get_object_or_404(queries.own_profiles(request), public_id=public_id)
    if request.method == "POST":
        privacy.delete_profile(profile=profile)
        messages.success(request, _("That profile and its answers are deleted."))
        return redirect("profiles:account" if request.user.is_authenticated else "home")
    return render(request, "profiles/account_profile_delete.html", {"profile": profile})


@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = ConfirmPasswordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        privacy.delete_account(user=request.user)
        logout(request)
        messages.success(request, _("Your account and everything in it are deleted. Take care."))
        response = redirect("home")
        response.delete_cookie(delays.DEVICE_COOKIE)  # this browser knew the deleted account
        return response
    status = 429 if is_paused(form) else 200
    return render(request, "profiles/account_delete.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def withdraw_consent(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        count = privacy.withdraw_consent(user=request.user)
        messages.success(
            request,
            ngettext(
                "Consent withdrawn: %(count)d stored profile and its answers are deleted.",
                "Consent withdrawn: %(count)d stored profiles and their answers are deleted.",
                count,
            )
            % {"count": count},
        )
        return redirect("profiles:account")
    count = queries.account_profile_count(request.user)
    return render(request, "profiles/account_withdraw.html", {"profile_count": count})


# profiles/urls.py adds these (`urlpatterns += account.urlpatterns`) inside its namespace.
urlpatterns = [
    path("account/", account, name="account"),
    path("account/export/", export, name="account_export"),
    path("account/delete/", delete_account, name="account_delete"),
    path("account/consent/withdraw/", withdraw_consent, name="consent_withdraw"),
    path("p/<uuid:public_id>/delete/", delete_profile, name="profile_delete"),
]
