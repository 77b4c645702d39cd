"""Validation of a live-moment entry, a follow-up answer and the data choices.

Every field of an entry is optional, but at least one trigger, body signal or response must be
given (PRACTICE.md §7); anything else is refused with a message from the copy and nothing is
written. Error messages are copy keys (moments.form.*), turned into words by the view.
"""

import uuid
import zoneinfo
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone

from moments import chips
from moments.models import TRIGGER_TEXT_MAX, Moment

# A device's own clock is trusted for when an entry was made (so an entry kept offline keeps
# its time) only within these bounds of the server's clock; outside them the server's is used.
CLIENT_CLOCK_PAST = timedelta(days=7)
CLIENT_CLOCK_AHEAD = timedelta(minutes=5)
EARLIER_TODAY_DEFAULT = timedelta(hours=2)  # "earlier today" without a time: 2 h before
YESTERDAY_DEFAULT = time(12, 0)  # "yesterday" without a time: at midday


def _choices(codes) -> list[tuple[str, str]]:
    return [(code, code) for code in codes]


@dataclass(frozen=True)
class Entry:
    """A validated entry, ready for services.log_moment."""

    client_id: uuid.UUID
    origin: str
    occurred_at: datetime
    entered_at: datetime
    context: str
    role: str
    triggers: list[str]
    trigger_text: str
    signals: list[str]
    intensity: int | None
    responses: list[str]
    used_practice: bool
    focus_key: str
    copy_version: str


class MomentForm(forms.Form):
    client_id = forms.UUIDField()
    copy_version = forms.CharField(max_length=20)
    when = forms.ChoiceField(choices=_choices(chips.WHEN), required=False)
    at_time = forms.TimeField(required=False)
    tz = forms.CharField(max_length=64, required=False)
    entered_at = forms.DateTimeField(required=False)
    context = forms.ChoiceField(choices=_choices(chips.CONTEXTS), required=False)
    role = forms.ChoiceField(choices=_choices(chips.ROLES), required=False)
    triggers = forms.MultipleChoiceField(choices=_choices(chips.TRIGGERS), required=False)
    trigger_text = forms.CharField(required=False, strip=True)
    signals = forms.MultipleChoiceField(choices=_choices(chips.SIGNALS), required=False)
    intensity = forms.TypedChoiceField(
        choices=[(str(n), str(n)) for n in chips.INTENSITIES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    responses = forms.MultipleChoiceField(choices=_choices(chips.RESPONSES), required=False)
    response_order = forms.CharField(required=False, max_length=400)
    used_practice = forms.BooleanField(required=False)
    focus = forms.CharField(required=False, max_length=40)

    def __init__(self, *args, time_zone: str = "UTC", **kwargs):
        super().__init__(*args, **kwargs)
        self.fallback_zone = time_zone

    def problem(self) -> str:
        """The copy key of the first problem, for the person (the form is invalid)."""
        for key in ("need_one", "too_long", "bad_time"):
            if key in self.errors.get("__all__", []) or key in self.errors.get("trigger_text", []):
                return key
        return "bad_choice"

    def clean_trigger_text(self) -> str:
        # A browser counts a line break as one character of the 280 but sends it as \r\n.
        text = self.cleaned_data["trigger_text"].replace("\r\n", "\n")
        if len(text) > TRIGGER_TEXT_MAX:
            raise forms.ValidationError("too_long")
        return text

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        if not (data["triggers"] or data["trigger_text"] or data["signals"] or data["responses"]):
            raise forms.ValidationError("need_one")
        data["responses"] = tap_order(data["responses"], data["response_order"])
        now = timezone.now()
        entered = data.get("entered_at")
        if entered is None or not (now - CLIENT_CLOCK_PAST <= entered <= now + CLIENT_CLOCK_AHEAD):
            entered = now
        data["entered_at"] = min(entered, now)
        zone = _zone(data["tz"]) or _zone(self.fallback_zone) or zoneinfo.ZoneInfo("UTC")
        when = data["when"] or "now"
        if when == "now" and data["at_time"] is not None:
            when = "earlier"  # a time given with "now" means today at that time
        occurred = occurred_at(when, data["at_time"], data["entered_at"], zone)
        if occurred is None:
            raise forms.ValidationError("bad_time")
        data["occurred_at"] = occurred
        return data

    def entry(self) -> Entry:
        data = self.cleaned_data
        return Entry(
            client_id=data["client_id"],
            origin=Moment.Origin.SELF,  # the view makes it `prompted` for a reminder's token
            occurred_at=data["occurred_at"],
            entered_at=data["entered_at"],
            context=data["context"],
            role=data["role"],
            triggers=list(data["triggers"]),
            trigger_text=data["trigger_text"],
            signals=list(data["signals"]),
            intensity=data["intensity"],
            responses=data["responses"],
            used_practice=data["used_practice"],
            focus_key=data["focus"] if data["used_practice"] else "",
            copy_version=data["copy_version"],
        )


def tap_order(chosen: list[str], order: str) -> list[str]:
    """The chosen responses in the order they were tapped (the page's script records it in
    `response_order`); without it, or when it disagrees, in the order of the form."""
    tapped = [code for code in order.split(",") if code]
    if sorted(tapped) == sorted(chosen) and len(set(tapped)) == len(tapped):
        return tapped
    return list(chosen)


def occurred_at(when: str, at: time | None, entered: datetime, zone) -> datetime | None:
    """When the moment happened; None for a time later than when it was noted."""
    if when == "now":
        return entered
    local = entered.astimezone(zone)
    day = local.date() - timedelta(days=1 if when == "yesterday" else 0)
    if at is not None:
        chosen = datetime.combine(day, at, tzinfo=zone)
        return chosen if chosen <= entered else None
    if when == "yesterday":
        return datetime.combine(day, YESTERDAY_DEFAULT, tzinfo=zone)
    midnight = datetime.combine(day, time(0, 0), tzinfo=zone)
    return max(midnight, entered - EARLIER_TODAY_DEFAULT)


def _zone(name: str):
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class FollowUpForm(forms.Form):
    answer = forms.ChoiceField(choices=_choices(chips.FOLLOW_UPS))


class ConsentForm(forms.Form):
    agree = forms.BooleanField()


class KeepForm(forms.Form):
    keep = forms.BooleanField(required=False)
