"""An anonymous profile's own controls, open to whoever holds its private link: the link
itself (shown, and e-mailed on request), the JSON export of the profile (§7.4)."""

import json
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from profiles import privacy, private_link, queries
from profiles.forms import LinkMailForm
from profiles.models import Profile


def link_context(request: HttpRequest, profile: Profile, form: LinkMailForm | None = None) -> dict:
    """What the private-link panel needs; no link for a profile that belongs to an account."""
    url = private_link.link_url(request, profile)
    context = {
        "private_link": url,
        "link_mail_form": (form or LinkMailForm()) if url else None,
        "anonymous_retention_months": privacy.ANONYMOUS_MONTHS,
    }
    if profile.user_id is None:
        # Signing in or up from here saves this profile in the account (private_link.py).
        keep = private_link.keep_reference(profile)
        here = (
            private_link.back_to(profile)
            if profile.is_submitted
            else reverse("profiles:resume", args=[profile.public_id])
        )
        context["login_url"] = f"{reverse('login')}?{urlencode({'next': here, 'keep': keep})}"
        context["signup_url"] = f"{reverse('signup')}?{urlencode({'keep': keep})}"
    return context


@never_cache
@require_POST
def email_link(request: HttpRequest, public_id: UUID) -> HttpResponse:
    profile = get_object_or_404(queries.own_profiles(request), public_id=public_id)
    if profile.user_id is not None:  # saved in the requester's account: no private link
        messages.info(request, _("This profile is in your account: sign in to open it."))
        return redirect(private_link.back_to(profile))
    form = LinkMailForm(request.POST)
    if not form.is_valid() or private_link.link_url(request, profile) is None:
        context = {"profile": profile, "back": private_link.back_to(profile)}
        context.update(link_context(request, profile, form))
        return render(request, "profiles/link_mail.html", context, status=400)
    outcome = private_link.request_link_mail(
        profile=profile,
        email=form.cleaned_data["email"],
        nonce=form.cleaned_data["nonce"],
        base_url=request.build_absolute_uri("/"),
    )
    if outcome == private_link.MailOutcome.LIMITED:
        context = {"profile": profile, "back": private_link.back_to(profile), "limited": True}
        context.update(link_context(request, profile))
        context["limit"] = private_link.MAILS_PER_PROFILE_PER_DAY
        return render(request, "profiles/link_mail.html", context, status=429)
    messages.success(
        request,
        _(
            "The link is on its way to that address. We did not keep the address. "
            "If nothing arrives, look in your spam folder, or copy the link from this page."
        ),
    )
    return redirect(private_link.back_to(profile))


@never_cache
@require_GET
def export_profile(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """One profile's data as JSON, for its owner: signed in, or holding its private link."""
    profile = get_object_or_404(queries.own_profiles(request), public_id=public_id)
    data = privacy.export_profile_data(profile=profile)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    filename = f"relcap-profile-{timezone.now():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# profiles/urls.py adds these inside its namespace.
urlpatterns = [
    path("p/<uuid:public_id>/export/", export_profile, name="profile_export"),
    path("a/<uuid:public_id>/email-link/", email_link, name="email_link"),
]
