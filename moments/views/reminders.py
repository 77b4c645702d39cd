"""Reminder choice (/moments/reminders/) and the e-mail's one-click unsubscribe link."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from moments import reminders
from moments.reminder_forms import ReminderForm
from profiles.locales import interface_copy


def _words() -> dict:
    return interface_copy()["moments_reminders"]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    words = _words()
    choice = reminders.settings_of(request.user)
    initial = {
        "frequency": choice.reminder_frequency,
        "at": choice.reminder_time,
        "weekday": choice.reminder_weekday,
        "time_zone": choice.time_zone,
    }
    form = ReminderForm(request.POST or None, initial=initial, words=words)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = reminders.set_reminders(
            person=request.user,
            frequency=data["frequency"],
            at=data["at"],
            weekday=data["weekday"],
            time_zone=data["time_zone"],
            base_url=request.build_absolute_uri("/"),
            now=timezone.now(),
        )
        off = saved.reminder_frequency == saved.Frequency.OFF
        messages.success(request, words["saved_off"] if off else words["saved"])
        return redirect("moments:reminders")
    context = {
        "form": form,
        "words": words,
        "choice": choice,
        "next_due": reminders.next_due(choice, timezone.now()),
        "paused": choice.reminders_paused_at is not None
        and choice.reminder_frequency != choice.Frequency.OFF,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "moments/reminders_settings.html", context, status=status)


@never_cache
@csrf_exempt  # the signed token is the proof; RFC 8058 clients POST with no session or form
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows one button; POST (that button, or a mail client's List-Unsubscribe-Post)
    switches the reminders off. A forged, tampered or expired token changes nothing (404)."""
    words = _words()
    reminder = reminders.unsubscribe_reminder(token)
    if reminder is None:
        return render(request, "moments/reminders_unsubscribe.html", {"words": words}, status=404)
    if request.method == "POST":
        reminders.unsubscribe(reminder=reminder, now=timezone.now())
        context = {"words": words, "done": True}
        return render(request, "moments/reminders_unsubscribe.html", context)
    context = {"words": words, "reminder": reminder, "token": token}
    return render(request, "moments/reminders_unsubscribe.html", context)
