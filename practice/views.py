"""The practice area: a person's invitation, sharing page and choices; a practitioner's clients,
invitations and the shared views. Shared content is reached only through a live share."""

import dataclasses
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.queries import CopyLocaleUnavailable, copy_texts
from moments import summary as moments_summary
from practice import brief as brief_model
from practice import brief_pdf as brief_pdfs
from practice import clients as client_list
from practice import mail, notes, qr, queries, services, tasks, tokens
from practice.branding import branding_for
from practice.clients import DEFAULT_SORT
from practice.forms import (
    AgreedPracticeForm,
    AnswerInvitationForm,
    ChoicesForm,
    ClientsFilterForm,
    InvitationForm,
    NoteEditForm,
    NoteForm,
    PractitionerRequestForm,
    ShareForm,
)
from practice.models import Connection, ShareAccess, ShareReminder
from profiles import pdf_services
from profiles.locales import interface_copy, interface_locale, other_language
from profiles.models import Answer
from profiles.queries import latest_snapshot
from profiles.report import build_report
from profiles.report_queries import snapshot_copy, stored_pdf
from relcap.accounts.views import LANDING_SESSION_KEY
from relcap.jobs import engine

# --- a person's side -------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def request_status(request: HttpRequest) -> HttpResponse:
    current = queries.own_status(request.user)
    form = PractitionerRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.request_status(user=request.user, **form.cleaned_data)
        messages.success(request, _("Thank you. Staff will look at your request."))
        return redirect("practice:request_status")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "current": current}
    return render(request, "practice/request_status.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    found = services.invitation_for_token(token)
    if found is None:
        return render(request, "practice/invitation_closed.html", status=404)
    if (
        found.connection is not None
        and request.user.is_authenticated
        and found.connection.person_id == request.user.pk
    ):
        return redirect("practice:sharing")  # already accepted by this person: a second click
    if not found.is_open():
        return render(request, "practice/invitation_closed.html", status=410)
    if not request.user.is_authenticated:
        # After a sign-up from here, activation lands back on this invitation.
        request.session[LANDING_SESSION_KEY] = request.path
        if request.method == "POST":
            return redirect(f"{reverse('login')}?next={request.path}")
    elif request.method == "POST":
        form = AnswerInvitationForm(request.POST)
        if not form.is_valid():
            return HttpResponseBadRequest(_("Choose whether to accept or decline."))
        if form.cleaned_data["answer"] == "decline":
            services.decline(invitation=found)
            messages.info(request, _("You declined the invitation. Nothing was shared."))
            return redirect("practice:sharing")
        try:
            services.accept(
                invitation=found,
                person=request.user,
                show_submission_dates=form.cleaned_data["show_submission_dates"],
            )
        except services.NotAllowed as refusal:
            return render(
                request, "practice/invitation_closed.html", {"reason": str(refusal)}, status=400
            )
        messages.success(
            request, _("You are connected. Nothing is shared until you choose to share it.")
        )
        return redirect("practice:sharing")
    branding = branding_for(found.practitioner)
    context = {
        "invitation": found,
        "practitioner": found.practitioner,
        "branding": branding,
        "on_behalf_of": mail.on_behalf_of(branding),
    }
    return render(request, "practice/invitation.html", context)


@never_cache
@login_required
@require_GET
def sharing(request: HttpRequest) -> HttpResponse:
    connections = list(queries.person_connections(request.user))
    profiles = queries.person_submitted_profiles(request.user)
    moments_words = interface_copy()["moments_views"]
    rows = []
    for connection in connections:
        levels = {share.profile_id: share.level for share in connection.shares.all()}
        choices = ChoicesForm(
            initial={
                "show_submission_dates": connection.show_submission_dates,
                "share_checkin": connection.share_checkin,
                "share_future": connection.share_future,
                "future_level": connection.future_level,
                "share_moments": connection.share_moments,
                "moments_level": connection.moments_level,
                "display_name": connection.person_display_name,
                "allows_share_reminders": connection.allows_share_reminders,
            },
            prefix=str(connection.public_id)[:8],
            moments_words=moments_words,
        )
        rows.append(
            {
                "connection": connection,
                "agreed_practice": notes.agreed_practice_of(connection),
                "choices": choices,
                "profiles": [(p, levels.get(p.pk, "none")) for p in profiles],
            }
        )
    context = {
        "rows": rows,
        "levels": [("none", _("Not shared")), *Connection.Level.choices],
        "log": queries.person_access_log(request.user)[:200],
    }
    return render(request, "practice/sharing.html", context)


@login_required
@require_POST
def share(request: HttpRequest, connection_id) -> HttpResponse:
    connection = queries.person_connection(request.user, connection_id)
    form = ShareForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose a profile and a level."))
    profile = next(
        (
            p
            for p in queries.person_submitted_profiles(request.user)
            if p.public_id == form.cleaned_data["profile"]
        ),
        None,
    )
    if profile is None:
        raise Http404
    try:
        services.set_share(
            connection=connection,
            profile=profile,
            level=form.cleaned_data["level"],
            base_url=request.build_absolute_uri("/"),
        )
    except services.NotAllowed as refusal:
        return HttpResponseBadRequest(str(refusal))
    messages.success(request, _("Your sharing choice is saved. It applies from now on."))
    return redirect("practice:sharing")


@login_required
@require_POST
def choices(request: HttpRequest, connection_id) -> HttpResponse:
    connection = queries.person_connection(request.user, connection_id)
    form = ChoicesForm(request.POST, prefix=str(connection.public_id)[:8])
    if not form.is_valid():
        return HttpResponseBadRequest(_("Those choices could not be saved."))
    try:
        services.set_choices(connection=connection, **form.cleaned_data)
    except services.NotAllowed as refusal:
        return HttpResponseBadRequest(str(refusal))
    messages.success(request, _("Your choices are saved."))
    return redirect("practice:sharing")


@login_required
@require_POST
def person_end(request: HttpRequest, connection_id) -> HttpResponse:
    connection = queries.person_connection(request.user, connection_id)
    services.end_connection(connection=connection, by=Connection.EndedBy.PERSON)
    messages.success(request, _("The connection is ended and nothing is shared any more."))
    return redirect("practice:sharing")


@never_cache
@csrf_exempt  # the signed token is the proof; RFC 8058 clients POST with no session or form
@require_http_methods(["GET", "POST"])
def share_reminders_off(request: HttpRequest, token: str) -> HttpResponse:
    """The reminder e-mail's switch-off link: GET shows one button, POST (it, or a mail
    client's List-Unsubscribe-Post) switches reminders to share off on that connection. A
    forged, tampered or expired token changes nothing (404)."""
    found = tokens.share_reminder_id(token)
    reminder = None if found is None else ShareReminder.objects.filter(pk=found).first()
    template = "practice/share_reminders_off.html"
    if reminder is None:
        return render(request, template, status=404)
    if request.method == "POST":
        services.switch_share_reminders_off(reminder=reminder)
        return render(request, template, {"done": True})
    return render(request, template, {"token": token})


def agreed_practice_part(request: HttpRequest) -> tuple[str, dict] | None:
    """The practice page's part (moments/registry.py, added in apps.py): each live
    connection's agreed practice with the practitioner's name; one query."""
    found = notes.live_agreed_practices(request.user)
    if not found:
        return None
    return "practice/_agreed_practice_part.html", {"agreed_practices": found}


# --- a practitioner's side -------------------------------------------------------------------


@never_cache
@require_GET
def clients(request: HttpRequest) -> HttpResponse:
    """Every invitation and connection, searched by name and sorted (PRACTICE.md §5)."""
    practitioner = queries.approved_practitioner(request)
    form = ClientsFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        context = {"practitioner": practitioner, "form": form, "rows": [], "total": None}
        return render(request, "practice/clients.html", context, status=400)
    search, sort, page = form.cleaned() if request.GET else ("", DEFAULT_SORT, 1)
    rows = queries.client_rows(practitioner, timezone.now())
    shown = client_list.sorted_rows([row for row in rows if client_list.matches(row, search)], sort)
    found = Paginator(shown, client_list.PAGE_SIZE).get_page(page)  # a page past the end: the last
    context = {
        "practitioner": practitioner,
        "form": form,
        "page": found,
        "rows": found.object_list,
        "matched": len(shown),
        "total": len(rows),
        "search": search,
        "sort": sort,
        "quality_words": interface_copy()["brief"]["quality_level"],
    }
    return render(request, "practice/clients.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest) -> HttpResponse:
    practitioner = queries.approved_practitioner(request)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made, created = services.create_invitation(
                practitioner=practitioner, **form.cleaned_data
            )
        except services.NotAllowed as refusal:
            form.add_error(None, str(refusal))
        else:
            if created and made.email:
                engine.enqueue(
                    tasks.send_invitation,
                    inline=engine.AFTER_RESPONSE,
                    invitation_id=made.pk,
                    base_url=request.build_absolute_uri("/"),
                    reminder=False,
                )
            return redirect("practice:invitation_detail", made.public_id)
    status = 400 if request.method == "POST" else 200
    return render(request, "practice/invite.html", {"form": form}, status=status)


@never_cache
@require_GET
def invitation_detail(request: HttpRequest, invitation_id) -> HttpResponse:
    practitioner = queries.approved_practitioner(request)
    found = queries.practitioner_invitation(practitioner, invitation_id)
    context = {"invitation": found, "shown_status": found.shown_status()}
    if found.is_open():
        url = mail.invitation_url(found, request.build_absolute_uri("/"))
        context.update(url=url, qr_svg=qr.svg(url, _("QR code of the invitation link")))
    return render(request, "practice/invitation_detail.html", context)


@require_POST
def remind(request: HttpRequest, invitation_id) -> HttpResponse:
    practitioner = queries.approved_practitioner(request)
    found = queries.practitioner_invitation(practitioner, invitation_id)
    if services.mark_reminded(invitation=found):
        engine.enqueue(
            tasks.send_invitation,
            inline=engine.AFTER_RESPONSE,
            invitation_id=found.pk,
            base_url=request.build_absolute_uri("/"),
            reminder=True,
        )
        messages.success(request, _("The reminder is on its way."))
    else:
        messages.info(request, _("A reminder was already sent, or the invitation is closed."))
    return redirect("practice:invitation_detail", found.public_id)


@never_cache
@require_GET
def client(request: HttpRequest, connection_id) -> HttpResponse:
    practitioner = queries.approved_practitioner(request)
    connection = queries.practitioner_connection(practitioner, connection_id)
    shares = list(connection.shares.select_related("profile").order_by("-profile__submitted_at"))
    refusal = services.share_reminder_refusal(
        connection, has_shares=bool(shares), now=timezone.now()
    )
    context = {
        "connection": connection,
        "shares": shares if connection.is_live else [],
        "reminder_refusal": refusal,
        "dates": queries.submission_dates(connection),
        **shared_moments(connection),
        **notes_context(connection),
    }
    return render(request, "practice/client.html", context)


def notes_context(
    connection: Connection, note_form: NoteForm | None = None, agreed_form=None
) -> dict:
    """The notes section of a client's page: forms while the connection is live; read-only,
    with the day they are deleted, for 30 days after it ended; nothing after that."""
    agreed = notes.agreed_practice_of(connection)
    readable = notes.readable(connection)
    context = {
        "notes": notes.notes_of(connection),
        "notes_readable": readable,
        "notes_deleted_on": notes.deleted_on(connection),
        "agreed_practice": agreed if readable else None,
    }
    if connection.is_live:
        context["note_form"] = note_form or NoteForm()
        context["agreed_form"] = agreed_form or AgreedPracticeForm(
            initial={"text": agreed.text if agreed else ""}
        )
    return context


def client_page_with_errors(request, connection, **forms) -> HttpResponse:
    """The client's page again with a form's errors, answering 400 (nothing was written)."""
    shares = connection.shares.select_related("profile").order_by("-profile__submitted_at")
    context = {
        "connection": connection,
        "shares": list(shares),
        "dates": queries.submission_dates(connection),
        **notes_context(connection, **forms),
    }
    return render(request, "practice/client.html", context, status=400)


@require_POST
def note_add(request: HttpRequest, connection_id) -> HttpResponse:
    practitioner = queries.approved_practitioner(request)
    connection = queries.practitioner_connection(practitioner, connection_id)
    if not connection.is_live:
        return HttpResponseBadRequest(_("This connection has ended: no new notes."))
    form = NoteForm(request.POST)
    if "nonce" in form.errors:  # the hidden one-time id: not something to correct in the form
        return HttpResponseBadRequest(_("This form is out of date. Reload the page."))
    if not form.is_valid():
        return client_page_with_errors(request, connection, note_form=form)
    try:
        notes.add_note(connection=connection, **form.cleaned_data)
    except services.NotAllowed as refusal:
        return HttpResponseBadRequest(str(refusal))
    messages.success(request, _("Your note is saved."))
    return redirect(reverse("practice:client", args=[connection.public_id]) + "#notes")


@never_cache
@require_http_methods(["GET", "POST"])
def note_edit(request: HttpRequest, connection_id, note_id) -> HttpResponse:
    practitioner = queries.approved_practitioner(request)
    note = notes.practitioner_note(practitioner, connection_id, note_id)
    connection = note.connection
    if not connection.is_live:
        return HttpResponseBadRequest(_("This connection has ended: its notes are read-only."))
    form = NoteEditForm(request.POST or None, initial={"body": note.body})
    if request.method == "POST" and form.is_valid():
        try:
            notes.edit_note(note=note, body=form.cleaned_data["body"])
        except services.NotAllowed as refusal:
            return HttpResponseBadRequest(str(refusal))
        messages.success(request, _("Your note is saved."))
        return redirect(reverse("practice:client", args=[connection.public_id]) + "#notes")
    status = 400 if request.method == "POST" else 200
    context = {"connection": connection, "note": note, "form": form}
    return render(request, "practice/note_edit.html", context, status=status)


@require_POST
def note_delete(request: HttpRequest, connection_id, note_id) -> HttpResponse:
    practitioner = queries.approved_practitioner(request)
    note = notes.practitioner_note(practitioner, connection_id, note_id)
    try:
        notes.delete_note(note=note)
    except services.NotAllowed as refusal:
        return HttpResponseBadRequest(str(refusal))
    messages.success(request, _("The note is deleted."))
    return redirect(reverse("practice:client", args=[connection_id]) + "#notes")


@require_POST
def agreed_practice(request: HttpRequest, connection_id) -> HttpResponse:
    practitioner = queries.approved_practitioner(request)
    connection = queries.practitioner_connection(practitioner, connection_id)
    if not connection.is_live:
        return HttpResponseBadRequest(_("This connection has ended."))
    form = AgreedPracticeForm(request.POST)
    if not form.is_valid():
        return client_page_with_errors(request, connection, agreed_form=form)
    try:
        saved = notes.set_agreed_practice(connection=connection, text=form.cleaned_data["text"])
    except services.NotAllowed as refusal:
        return HttpResponseBadRequest(str(refusal))
    if saved is None:
        messages.success(request, _("The agreed practice is removed."))
    else:
        messages.success(request, _("The agreed practice is saved. The person sees it now."))
    return redirect(reverse("practice:client", args=[connection.public_id]) + "#agreed-practice")


@never_cache
@require_GET
def notes_export(request: HttpRequest, connection_id) -> HttpResponse:
    """The practitioner's notes of one connection as JSON: while it is live and for 30 days
    after it ended."""
    practitioner = queries.approved_practitioner(request)
    connection = queries.practitioner_connection(practitioner, connection_id)
    if not notes.readable(connection):
        raise Http404
    response = JsonResponse(notes.export(connection), json_dumps_params={"indent": 2})
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="relcap-notes-{day}.json"'
    return response


def entry_texts(version: str) -> dict:
    """An entry's copy in the page's language when it is released in it, else its English
    (only copy-3 and later have moments, and German is released for copy-3)."""
    try:
        return copy_texts(version, interface_locale())
    except CopyLocaleUnavailable:
        return copy_texts(version)


def shared_moments(connection: Connection) -> dict:
    """The live-moments section of a client's page: the 4-week summary, and at the `entries`
    level the entries too; only while the person shares them, and each view logged (§1.4)."""
    level = queries.shared_moments_level(connection)
    if level is None:
        return {}
    now = timezone.now()
    words = interface_copy()["moments_views"]
    person_id = connection.person_id
    zone = moments_summary.person_zone(person_id)
    found = moments_summary.summary_for(person_id, moments_summary.SHARED_WEEKS, now, zone)
    context = {
        "moments_words": words,
        "moments_summary": moments_summary.present(
            found, words, chart_id="client-moments", heading_level=3
        ),
        "moments_entries": None,
    }
    what = ShareAccess.What.MOMENTS_SUMMARY
    if level == Connection.MomentsLevel.ENTRIES:
        context["moments_entries"] = moments_summary.shared_entries(
            person_id, now, entry_texts, zone
        )
        what = ShareAccess.What.MOMENTS_ENTRIES
    services.log_moments_view(connection=connection, what=what)
    return context


@require_POST
def client_remind(request: HttpRequest, connection_id) -> HttpResponse:
    """A reminder to share (§5), when the rules allow one; otherwise the client's page says why.
    An ended connection has nothing to remind about (404)."""
    practitioner = queries.approved_practitioner(request)
    connection = queries.practitioner_connection(practitioner, connection_id)
    if not connection.is_live:
        raise Http404
    sent = services.send_share_reminder(
        connection=connection, base_url=request.build_absolute_uri("/")
    )
    if sent is not None:
        messages.success(request, _("The reminder is on its way."))
    else:
        connection.refresh_from_db()
        refusal = services.share_reminder_refusal(
            connection, has_shares=connection.shares.exists(), now=timezone.now()
        )
        messages.info(request, refusal or _("No reminder was sent."))
    return redirect("practice:client", connection.public_id)


@require_POST
def practitioner_end(request: HttpRequest, connection_id) -> HttpResponse:
    practitioner = queries.approved_practitioner(request)
    connection = queries.practitioner_connection(practitioner, connection_id)
    services.end_connection(connection=connection, by=Connection.EndedBy.PRACTITIONER)
    messages.success(request, _("The connection is ended."))
    return redirect("practice:clients")


@never_cache
@require_GET
def shared(request: HttpRequest, connection_id, profile_id) -> HttpResponse:
    """A shared profile at its shared level, rendered from its snapshot and pinned copy."""
    practitioner = queries.approved_practitioner(request)
    found = queries.live_share(practitioner, connection_id, profile_id)
    snapshot = latest_snapshot(found.profile)
    if snapshot is None:
        raise Http404
    # In the snapshot's own copy and locale (issue 16 line 4), whatever the practitioner reads;
    # never English in place of a locale the copy is not released in.
    try:
        copy = snapshot_copy(snapshot)
    except CopyLocaleUnavailable:
        return render(request, "profiles/report_unavailable.html", status=503)
    report = build_report(snapshot.data, copy, locale=snapshot.locale, reason=snapshot.reason)
    if not found.connection.share_checkin:
        # The well-being check-in and its support notice are a separate choice (§4).
        report = dataclasses.replace(report, support=None)
    answers = []
    if found.level == Connection.Level.REPORT_ANSWERS:
        answers = answers_by_dimension(found.profile, checkin=found.connection.share_checkin)
    services.log_view(share=found, what=found.level)
    context = {
        "share": found,
        "connection": found.connection,
        "profile": found.profile,
        "snapshot": snapshot,
        "report": report,
        "answers": answers,
        "summary_only": found.level == Connection.Level.SUMMARY,
        "pdf_offered": pdf_offered(found, snapshot),
        "support_url": reverse("support"),
    }
    return render(request, "practice/shared.html", context)


def pdf_offered(share, snapshot) -> bool:
    """The report's PDF goes with the report level; it holds the support notice, so when there
    is one it is offered only if the person also shares their check-in."""
    if share.level == Connection.Level.SUMMARY:
        return False
    return share.connection.share_checkin or snapshot.data.get("support", "none") == "none"


@never_cache
@require_GET
def shared_pdf(request: HttpRequest, connection_id, profile_id) -> HttpResponse:
    practitioner = queries.approved_practitioner(request)
    found = queries.live_share(practitioner, connection_id, profile_id)
    snapshot = latest_snapshot(found.profile)
    if snapshot is None or not pdf_offered(found, snapshot):
        raise Http404
    pdf = stored_pdf(snapshot)
    if pdf is None:
        support_url = request.build_absolute_uri(reverse("support"))
        pdf_services.request_report_pdf(snapshot=snapshot, support_url=support_url)
        pdf = stored_pdf(snapshot)
    if pdf is None:
        return render(request, "profiles/pdf_pending.html", {"profile": found.profile}, status=202)
    services.log_view(share=found, what=ShareAccess.What.PDF)
    with pdf.file.open("rb") as stored:
        response = HttpResponse(stored.read(), content_type="application/pdf")
    day = found.profile.submitted_at.date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="relcap-shared-profile-{day}.pdf"'
    return response


def answers_by_dimension(profile, *, checkin: bool) -> list[tuple[str, list[Answer]]]:
    rows = Answer.objects.filter(profile=profile).select_related("item_version")
    if not checkin:
        rows = rows.exclude(item_version__kind="wb")
    ordered = sorted(rows, key=lambda a: (a.item_version.dimension, a.item_version.position))
    return [
        (dimension or _("Other statements"), list(group))
        for dimension, group in groupby(ordered, key=lambda a: a.item_version.dimension)
    ]


# --- the pre-session brief (PRACTICE.md §5) --------------------------------------------------


@never_cache
@require_GET
def brief(request: HttpRequest, connection_id) -> HttpResponse:
    """The brief of what the connection shares now; every profile it shows is logged."""
    practitioner = queries.approved_practitioner(request)
    source = queries.brief_source(practitioner, connection_id)
    try:  # in the snapshot's locale, never English in its place (issue 16)
        context = brief_model.brief_context(source)
    except CopyLocaleUnavailable:
        return render(request, "profiles/report_unavailable.html", status=503)
    context["brief_lang"] = other_language(source.snapshot.locale)
    services.log_brief_view(source=source, what=ShareAccess.What.BRIEF)
    return render(request, "practice/brief.html", context)


@never_cache
@require_GET
def brief_pdf(request: HttpRequest, connection_id) -> HttpResponse:
    """The brief as one A4 page: served from storage when its key matches the live shares,
    else made first (by a worker, or at once without a broker)."""
    practitioner = queries.approved_practitioner(request)
    source = queries.brief_source(practitioner, connection_id)
    try:
        key = brief_model.brief_context(source)["cache_key"]
    except CopyLocaleUnavailable:
        return render(request, "profiles/report_unavailable.html", status=503)
    pdf = brief_pdfs.stored(source.connection, key)
    if pdf is None:
        engine.enqueue(
            tasks.make_brief_pdf,
            inline=engine.NOW,
            practitioner_id=practitioner.pk,
            connection_public_id=str(source.connection.public_id),
        )
        pdf = brief_pdfs.stored(source.connection, key)
    if pdf is None:
        context = {"connection": source.connection}
        return render(request, "practice/brief_pending.html", context, status=202)
    services.log_brief_view(source=source, what=ShareAccess.What.BRIEF_PDF)
    with pdf.file.open("rb") as stored:
        response = HttpResponse(stored.read(), content_type="application/pdf")
    day = source.share.profile.submitted_at.date().isoformat()
    response["Content-Disposition"] = f'attachment; filename="relcap-brief-{day}.pdf"'
    return response
