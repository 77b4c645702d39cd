"""The live-moments area (PRACTICE.md §7): the practice page, consent, the entry form, the
follow-up, deletion, and the web-app manifest and service worker that make it installable."""

import dataclasses
import hashlib
import json
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.queries import CopyLocaleUnavailable, copy_texts
from moments import copy as moments_copy
from moments import queries, registry, reminders, services
from moments.forms import ConsentForm, FollowUpForm, KeepForm, MomentForm
from moments.models import Moment
from moments.present import chip_groups, line
from profiles.locales import interface_locale
from profiles.report import focus_blocks

# A reminder e-mail links to the entry form with a signed token naming the reminder
# (/moments/log/?reminder=<token>, moments/reminders.py). The form carries it back, and only
# an entry posted with a valid token of the person's own reminder is stored as `prompted`
# (PRACTICE.md §7); the reminder is then answered. A missing or forged token makes it `self`.
PROMPTED_PARAM = reminders.PROMPTED_PARAMETER
SELECTABLE = ("triggers", "signals", "responses")


def owner_tag(request: HttpRequest) -> str:
    """Names the signed-in account to the page's script without revealing it: entries kept on a
    shared device are sent only while the same person is signed in."""
    return salted_hmac("moments.queue-owner", str(request.user.pk)).hexdigest()[:20]


def _published_words() -> tuple[str, dict]:
    """The live copy's version and `moments` words in the interface language (issue 16)."""
    return moments_copy.interface_words(interface_locale())


def _focus(snapshot) -> tuple:
    """The person's focus from their newest profile, in the page's language when the
    profile's copy is released in it, else in the profile's own locale (issue 16)."""
    if snapshot is None:
        return ()
    try:
        copy = copy_texts(snapshot.copy_version, interface_locale())
    except CopyLocaleUnavailable:
        copy = copy_texts(snapshot.copy_version, snapshot.locale)
    return focus_blocks(snapshot.data, copy)[0]


def _consent_redirect(request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse('moments:consent')}?next={request.get_full_path()}")


def _parts(request: HttpRequest, parts: list) -> list[str]:
    rendered = []
    for part in parts:
        made = part(request)
        if made is not None:
            template_name, context = made
            rendered.append(render_to_string(template_name, context, request=request))
    return rendered


@never_cache
@login_required
@require_GET
def practice(request: HttpRequest) -> HttpResponse:
    found = queries.settings_of(request.user)
    if not queries.has_consented(found):
        return _consent_redirect(request)
    now, zone = timezone.now(), queries.zone_of(found)
    _version, words = _published_words()
    snapshot = queries.latest_snapshot(request.user)
    focus = _focus(snapshot)
    due = queries.due_follow_ups(
        request.user, now, services.FOLLOW_UP_AFTER, services.FOLLOW_UP_WITHIN
    )
    services.mark_asked(moment_ids=[m.pk for m in due], now=now)  # asked once, on this visit
    week = queries.this_week(request.user, now, zone)
    context = {
        "words": words,
        "focus": focus,
        "week": [line(m, interface_locale()) for m in week],
        "due": [line(m, interface_locale()) for m in due],
        "answers": [(code, words["follow_up"][code]) for code in Moment.FollowUp.values],
        "keep": found.keep_entries,
        "parts": _parts(request, registry.PRACTICE_PAGE_PARTS),
        "views": _parts(request, registry.PRACTICE_PAGE_VIEWS),
        "zone": zone,
        "owner": owner_tag(request),
    }
    return render(request, "moments/practice.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def consent(request: HttpRequest) -> HttpResponse:
    version, words = _published_words()
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}) or not next_url:
        next_url = reverse("moments:practice")
    form = ConsentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.give_consent(person=request.user, copy_version=version)
        return redirect(next_url)
    status = 400 if request.method == "POST" else 200
    context = {"words": words, "form": form, "next": next_url}
    return render(request, "moments/consent.html", context, status=status)


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def log(request: HttpRequest) -> HttpResponse:
    found = queries.settings_of(request.user)
    if not queries.has_consented(found):
        if request.method == "POST" and _wants_json(request):
            return JsonResponse({"error": "consent"}, status=403)
        return _consent_redirect(request)
    if request.method == "GET":
        token = request.GET.get(PROMPTED_PARAM, "")
        reminder = reminders.prompted_reminder(token, person=request.user) if token else None
        if reminder is not None:
            reminders.mark_opened(reminder, timezone.now())
        return _log_page(request, reminder_token=token if reminder else "")
    form = MomentForm(request.POST, time_zone=found.time_zone)
    words, problem = _entry_words(request.POST.get("copy_version", "")), ""
    if words is None or not form.is_valid():
        problem = "bad_choice" if words is None else form.problem()
    elif not _known_focus(form.cleaned_data):
        problem = "bad_choice"
    if problem:
        return _refused(request, problem, words)
    token = request.POST.get(PROMPTED_PARAM, "")
    reminder = reminders.prompted_reminder(token, person=request.user) if token else None
    origin = Moment.Origin.PROMPTED if reminder else Moment.Origin.SELF
    entry = dataclasses.replace(form.entry(), origin=origin)
    moment, _created = services.log_moment(person=request.user, entry=entry)
    if reminder is not None:
        reminders.answer(reminder=reminder, moment=moment)
    # A resend answers exactly like the first sending.
    if not _wants_json(request) or request.POST.get("notify"):
        messages.success(request, words["form"]["saved"])  # shown on the next page
    if _wants_json(request):
        return JsonResponse({"moment": str(moment.client_id), "saved": True})
    return redirect("moments:practice")


def _entry_words(version: str) -> dict | None:
    try:
        return moments_copy.texts(version, interface_locale()) if version else None
    except moments_copy.NoMomentsCopy:
        return None


def _known_focus(data: dict) -> bool:
    """The focus named by "I used my practice" is a suggestion of the entry's copy."""
    return not data["focus"] or data["focus"] in copy_texts(data["copy_version"])["suggestions"]


def _refused(request: HttpRequest, problem: str, words: dict | None) -> HttpResponse:
    """A clear 400 and nothing written; the HTML form comes back with what was chosen."""
    if words is None:
        _version, words = _published_words()
    message = words["form"][problem]
    if _wants_json(request):
        return JsonResponse({"error": problem, "message": message}, status=400)
    return _log_page(
        request, reminder_token=request.POST.get(PROMPTED_PARAM, ""), problem=message, status=400
    )


def _log_page(
    request: HttpRequest, *, reminder_token: str = "", problem: str = "", status: int = 200
):
    version, words = _published_words()
    snapshot = queries.latest_snapshot(request.user)
    focus = _focus(snapshot)
    target = snapshot.data["focus"]["primary"]["target"] if focus else ""
    posted = request.POST if request.method == "POST" else None
    context = {
        "words": words,
        "chips": chip_groups(words),
        "copy_version": version,
        "client_id": posted.get("client_id") if posted else uuid.uuid4(),
        "reminder_token": reminder_token,
        "focus": focus[0] if focus else None,
        "focus_key": target,
        "problem": problem,
        "chosen": _chosen(posted),
        "trigger_text": posted.get("trigger_text", "") if posted else "",
        "owner": owner_tag(request),
    }
    return render(request, "moments/log.html", context, status=status)


def _chosen(posted) -> dict:
    """What the refused form had chosen, so that it comes back chosen ("when" defaults to now)."""
    if posted is None:
        return {"when": "now"}
    chosen = {key: posted.getlist(key) for key in SELECTABLE}
    for key in ("when", "context", "role", "intensity", "at_time", "used_practice"):
        chosen[key] = posted.get(key, "")
    return chosen


def _own(request: HttpRequest, client_id: uuid.UUID) -> Moment:
    moment = queries.own_moment(request.user, client_id)
    if moment is None:
        raise Http404
    return moment


@never_cache
@login_required
@require_POST
def follow_up(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    moment = _own(request, client_id)
    form = FollowUpForm(request.POST)
    _version, words = _published_words()
    if not form.is_valid() or moment.follow_up_asked_at is None:
        return HttpResponse(words["follow_up"]["refused"], status=400, content_type="text/plain")
    services.answer_follow_up(moment=moment, answer=form.cleaned_data["answer"])
    messages.success(request, words["follow_up"]["thanks"])
    return redirect("moments:practice")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    moment = _own(request, client_id)
    _version, words = _published_words()
    if request.method == "POST":
        services.delete_moment(moment=moment)
        messages.success(request, words["delete"]["done"])
        return redirect("moments:practice")
    zone = queries.zone_of(queries.settings_of(request.user))
    context = {
        "words": words,
        "moment": line(moment, interface_locale()),
        "everything": False,
        "zone": zone,
    }
    return render(request, "moments/confirm_delete.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete_all(request: HttpRequest) -> HttpResponse:
    _version, words = _published_words()
    if request.method == "POST":
        services.delete_all(person=request.user)
        messages.success(request, words["delete"]["all_done"])
        return redirect("moments:practice")
    context = {"words": words, "everything": True}
    return render(request, "moments/confirm_delete.html", context)


@never_cache
@login_required
@require_POST
def keep(request: HttpRequest) -> HttpResponse:
    form = KeepForm(request.POST)
    form.is_valid()  # an unticked box is "do not keep"
    services.set_keep(person=request.user, keep=form.cleaned_data.get("keep", False))
    _version, words = _published_words()
    messages.success(request, words["page"]["keep_saved"])
    return redirect(f"{reverse('moments:practice')}#data")


@require_GET
def manifest(request: HttpRequest) -> HttpResponse:
    """The web-app manifest: the practice page, added to a home screen, opens on its own."""
    _version, words = _published_words()
    data = {
        "name": words["page"]["app_name"],
        "short_name": words["page"]["app_short_name"],
        "id": reverse("moments:practice"),
        "start_url": reverse("moments:practice"),
        "scope": reverse("moments:practice"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f4e79",
        "icons": [{"src": static("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"}],
    }
    return HttpResponse(json.dumps(data), content_type="application/manifest+json")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """static/js/moments-sw.js, served under /moments/ so that its scope is the practice area,
    with the addresses it keeps for offline use."""
    source = finders.find("js/moments-sw.js")
    with open(source, encoding="utf-8") as handle:
        code = handle.read()
    config = {
        "assets": [
            static("bootstrap/css/bootstrap.min.css"),
            static("css/relcap.css"),
            static("css/moments.css"),
            static("js/moments.js"),
            static("img/favicon.svg"),
        ],
        "form": reverse("moments:log"),
        "scope": reverse("moments:practice"),
    }
    config["cache"] = hashlib.sha256((json.dumps(config) + code).encode()).hexdigest()[:16]
    body = f"self.RELCAP_MOMENTS = {json.dumps(config)};\n{code}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    return response
