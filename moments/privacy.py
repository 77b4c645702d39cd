"""A person's live moments in their JSON export, with a code book (PRACTICE.md §7 Data).

Account deletion removes the moments with the account (Moment.person cascades)."""

from typing import Any

from moments import chips
from moments import copy as moments_copy
from moments.models import Moment, MomentsSettings, Reminder

FIELDS = (
    "client_id", "origin", "occurred_at", "entered_at", "context", "role", "triggers",
    "trigger_text", "signals", "intensity", "responses", "used_practice", "copy_version",
    "follow_up", "follow_up_asked_at",
)  # fmt: skip


def export_part(user) -> dict[str, Any]:
    moments = list(Moment.objects.filter(person=user).order_by("occurred_at", "pk"))
    found = MomentsSettings.objects.filter(person=user).first()
    versions = sorted({m.copy_version for m in moments})
    return {
        "consented_at": found.consented_at.isoformat() if found and found.consented_at else None,
        "consent_copy_version": found.consent_copy_version if found else "",
        "keep_beyond_12_months": found.keep_entries if found else False,
        "reminders": reminder_choice(found),
        "reminders_sent": [
            sent_reminder(r)
            for r in Reminder.objects.filter(person=user)
            .select_related("moment")
            .order_by("due_at", "pk")
        ],
        "entries": [exported(m) for m in moments],
        "code_book": code_book(versions),
    }


def _when(value) -> str | None:
    return value.isoformat() if value else None


def reminder_choice(found: MomentsSettings | None) -> dict[str, Any] | None:
    """The reminder choice as the person made it (moments/reminders.py)."""
    if found is None:
        return None
    return {
        "frequency": found.reminder_frequency,
        "time": _when(found.reminder_time),
        "weekday": found.reminder_weekday,
        "time_zone": found.time_zone,
        "chosen_at": _when(found.reminders_chosen_at),
        "site_address": found.reminder_base_url,
        "ignored_in_a_row": found.ignored_in_row,
        "paused_at": _when(found.reminders_paused_at),
        "unsubscribed_at": _when(found.reminders_unsubscribed_at),
    }


def sent_reminder(reminder: Reminder) -> dict[str, Any]:
    return {
        "due_at": _when(reminder.due_at),
        "sent_at": _when(reminder.sent_at),
        "opened_at": _when(reminder.opened_at),
        "frequency": reminder.frequency,
        "copy_version": reminder.copy_version,
        "entry": str(reminder.moment.client_id) if reminder.moment_id else None,
    }


def exported(moment: Moment) -> dict[str, Any]:
    return {
        "client_id": str(moment.client_id),
        "origin": moment.origin,
        "occurred_at": moment.occurred_at.isoformat(),
        "entered_at": moment.entered_at.isoformat(),
        "context": moment.context,
        "role": moment.role,
        "triggers": moment.triggers,
        "trigger_text": moment.trigger_text,
        "signals": moment.signals,
        "intensity": moment.intensity,
        "responses": [
            {"code": code, "capacity": chips.RESPONSES.get(code), "kind": chips.response_kind(code)}
            for code in moment.responses
        ],
        "used_practice": moment.used_practice,
        "focus": moment.focus_key,
        "copy_version": moment.copy_version,
        "follow_up": moment.follow_up,
        "follow_up_at": moment.follow_up_at.isoformat() if moment.follow_up_at else None,
        "follow_up_asked_at": moment.follow_up_asked_at.isoformat()
        if moment.follow_up_asked_at
        else None,
    }


def code_book(versions: list[str]) -> dict[str, Any]:
    """What each field and code means; chip words in every copy version the entries name."""
    words = moments_copy.published_texts()  # one query, read the same way every time
    book: dict[str, Any] = {"about": words["codebook"]["about"]}
    book["fields"] = {key: text for key, text in words["codebook"].items() if key != "about"}
    book["capacities_of_responses"] = dict(chips.RESPONSES)
    book["steering_responses"] = list(chips.STEERING)
    book["reactive_responses"] = list(chips.REACTIVE)
    book["chips"] = {}
    for version in versions:
        try:
            chip_words = moments_copy.texts(version)["chips"]
        except moments_copy.NoMomentsCopy:
            continue
        book["chips"][version] = chip_words
    return book
