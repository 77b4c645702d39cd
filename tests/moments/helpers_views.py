"""Hand-made moments for the views and reminder tests."""

from datetime import UTC, datetime, timedelta

from moments.models import Moment

NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)


def moment(person, *, hours_ago: float = 1, **fields) -> Moment:
    occurred = fields.pop("occurred_at", NOW - timedelta(hours=hours_ago))
    fields.setdefault("copy_version", "copy-3")
    return Moment.objects.create(person=person, occurred_at=occurred, **fields)
