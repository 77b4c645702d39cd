"""A person who agreed to live moments, and entries made through the services."""

import uuid
from datetime import timedelta

from django.utils import timezone

from moments import services
from moments.copy import published_version
from moments.models import Moment


def consented(person):
    services.give_consent(person=person, copy_version=published_version())
    return person


def entry_data(**extra) -> dict:
    data = {
        "client_id": str(uuid.uuid4()),
        "copy_version": published_version(),
        "when": "now",
        "context": "close",
        "role": "partner",
        "triggers": ["criticised"],
        "signals": ["tight_chest"],
        "intensity": "6",
        "responses": ["snapped", "paused"],
        "response_order": "snapped,paused",
    }
    data.update(extra)
    return {key: value for key, value in data.items() if value is not None}


def moment(person, *, hours_ago: float = 0, **extra) -> Moment:
    when = timezone.now() - timedelta(hours=hours_ago)
    fields = {
        "occurred_at": when,
        "entered_at": when,
        "copy_version": published_version(),
        "context": "work",
        "role": "colleague",
        "triggers": ["pressure"],
        "responses": ["paused"],
    } | extra
    return Moment.objects.create(person=person, **fields)
