"""The organisation admin area (§6): practitioners, invitations by e-mail, branding and counts
only; the join page a practitioner opens from the e-mail; the accent stylesheet.

Every text is report copy (group "organisations", the published copy)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.copy_text import fill
from practice import branding, organisation_queries, organisations, tasks
from practice.forms import BrandingForm, OrganisationInviteForm
from profiles.locales import interface_copy
from relcap.accounts.views import LANDING_SESSION_KEY
from relcap.jobs import engine


def day(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y")


def texts() -> dict:
    return interface_copy()["organisations"]


@never_cache
@require_GET
def organisation(request: HttpRequest) -> HttpResponse:
    found = organisation_queries.admin_organisation(request)
    words = texts()
    memberships = organisation_queries.members(found)
    context = {
        "organisation": found,
        "texts": words,
        "rows": organisation_queries.member_counts(found, memberships, words["fewer_than_5"]),
        "pending": [
            (invitation, fill(words["pending_until"], {"date": day(invitation.expires_at)}))
            for invitation in organisation_queries.open_invitations(found)
        ],
        "branding": branding.Branding(name=found.shown_name, accent=found.accent),
    }
    return render(request, "practice/organisation.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def organisation_invite(request: HttpRequest) -> HttpResponse:
    found = organisation_queries.admin_organisation(request)
    words = texts()
    form = OrganisationInviteForm(request.POST or None)
    problem = ""
    if request.method == "POST" and form.is_valid():
        try:
            made, created = organisations.invite_practitioner(
                organisation=found, invited_by=request.user, **form.cleaned_data
            )
        except organisations.Refused as refusal:
            problem = fill(words[refusal.key], refusal.values)
        else:
            if created:
                engine.enqueue(
                    tasks.send_organisation_invitation,
                    inline=engine.AFTER_RESPONSE,
                    invitation_id=made.pk,
                    base_url=request.build_absolute_uri("/"),
                )
            messages.success(request, fill(words["invite_sent"], {"email": made.email}))
            return redirect("practice:organisation")
    elif request.method == "POST":
        problem = words["invite_email_problem"]
    context = {"organisation": found, "texts": words, "form": form, "problem": problem}
    status = 400 if request.method == "POST" else 200
    return render(request, "practice/organisation_invite.html", context, status=status)


@require_POST
def organisation_remove(request: HttpRequest, membership_id) -> HttpResponse:
    found = organisation_queries.admin_organisation(request)
    membership = organisation_queries.member(found, membership_id)
    name = membership.practitioner.display_name
    organisations.remove_member(membership=membership)
    words = texts()
    message = fill(
        words["removed_message"], {"practitioner": name, "organisation": found.shown_name}
    )
    messages.success(request, message)
    return redirect("practice:organisation")


@never_cache
@require_http_methods(["GET", "POST"])
def organisation_branding(request: HttpRequest) -> HttpResponse:
    found = organisation_queries.admin_organisation(request)
    words = texts()
    initial = {"display_name": found.display_name, "accent": found.accent}
    form = BrandingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        organisations.set_branding(organisation=found, **form.cleaned_data)
        messages.success(request, words["branding_saved"])
        return redirect("practice:organisation_branding")
    context = {
        "organisation": found,
        "texts": words,
        "form": form,
        "display_name_help": fill(words["display_name_help"], {"organisation": found.name}),
        "accent_problem": words["accent_refused"] if form.errors.get("accent") else "",
        "branding": branding.Branding(name=found.shown_name, accent=found.accent),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "practice/organisation_branding.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def organisation_join(request: HttpRequest, token: str) -> HttpResponse:
    words = texts()
    found = organisations.invitation_for_token(token)
    if found is None:
        context = {"texts": words, "reason": words["join_closed"]}
        return render(request, "practice/organisation_join_closed.html", context, status=404)
    values = {"organisation": found.organisation.shown_name}
    if not request.user.is_authenticated:
        request.session[LANDING_SESSION_KEY] = request.path
        if request.method == "POST":
            return redirect(f"{reverse('login')}?next={request.path}")
    elif request.method == "POST":
        try:
            organisations.join(invitation=found, user=request.user)
        except organisations.Refused as refusal:
            context = {"texts": words, "reason": fill(words[refusal.key], refusal.values)}
            return render(request, "practice/organisation_join_closed.html", context, status=400)
        messages.success(request, fill(words["joined"], values))
        return redirect("profiles:account")
    if not found.is_open():
        context = {"texts": words, "reason": words["join_closed"]}
        return render(request, "practice/organisation_join_closed.html", context, status=410)
    shown = {key: fill(words[key], values) for key in ("join_title", "join_intro", "join_private")}
    context = {
        "texts": words,
        "shown": shown,
        "button": fill(words["join_button"], values),
        "branding": branding.Branding(
            name=found.organisation.shown_name, accent=found.organisation.accent
        ),
    }
    return render(request, "practice/organisation_join.html", context)


@require_GET
def accent_css(request: HttpRequest, accent: str) -> HttpResponse:
    """`--org-accent` for one accent colour: only a colour that passes the contrast check, so
    the stylesheet can never carry anything but six hexadecimal digits."""
    colour = "#" + accent
    if accent != accent.lower() or branding.accent_problem(colour):
        raise Http404
    response = HttpResponse(f":root {{ --org-accent: {colour}; }}\n", content_type="text/css")
    return response
